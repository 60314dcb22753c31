// `tidemark check [dir]`: the drift engine for CI and GitOps. Exit 0 = no drift, 2 = drift at or
// above --fail-on, 1 = error (bad input, credentials, unreachable cloud, unreadable state).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Drift, Severity } from '../model';
import { WorkspaceIndex } from '../hcl/workspace-index';
import { DriftReport, severityRank } from '../drift/engine';
import { withBlockReason } from '../drift/accounting';
import { driftMessage, toSarif } from './sarif';
import { attributeForCli, attributionLine } from '../app/cli-attribution';
import { PolicyError } from '../access/policy';
import { findingLines, guardrailFindings, withGuardrailResults } from '../guardrails/code-check';
import { CliVariable, ignoreCommentsOf, rootFilesOf, RootModule, RootModuleError, withoutBrokenBlocks } from '../app/root-module';
import { flagString, parseArgs } from './args';
import { CliError, CliIO } from './io';

const HELP = `usage: tidemark check [dir] [options]

Compares the Terraform configuration in dir (default: .) with the live cloud.

  --json                 machine-readable report on stdout
  --sarif                SARIF 2.1.0 on stdout (GitHub code scanning)
  --fail-on <severity>   error | warning | info | never (default: info): exit 2 when
                         unignored drift at or above this severity is found
  --state <file>         read this state file instead of the backend / terraform.tfstate
  --workspace <name>     Terraform workspace (default: TF_WORKSPACE or .terraform/environment)
  --profile <name>       AWS profile (default: AWS_PROFILE / the SDK chain)
  --region <region>      AWS region (default: provider block, AWS_REGION, profile)
  --endpoint-url <url>   one endpoint for every AWS service (sandbox, AWS-compatible clouds)
  -var 'NAME=VALUE'      set a root-module variable, as terraform plan -var does (repeatable)
  -var-file <file>       read variable values from a .tfvars or .tfvars.json file (repeatable)
                         -var and -var-file win over TF_VAR_*, terraform.tfvars and
                         *.auto.tfvars, and later ones over earlier ones (Terraform's order)
  --no-color             plain text even on a terminal
  --no-attribution       do not look up who changed each drift (CloudTrail, grants)
  --max-lookups <n>      CloudTrail lookups for attribution (default 40, paced at 2 per
                         second); drifts past the cap are reported as not attributed
  --broker <url>         access broker for grants (default: TIDEMARK_BROKER_URL, or this
                         workspace's running broker; CloudTrail alone without one)

Rules in .tidemark/guardrails.cedar are applied to the declared code; a violation exits 2 whatever --fail-on says.

AWS credentials and endpoints follow the aws CLI: AWS_PROFILE, AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL(_<SERVICE>).
Exit codes: 0 no drift, 2 drift, 1 error.`;

const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
type FailOn = (typeof FAIL_ON)[number];



interface Colors {
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

function colors(on: boolean): Colors {
  const wrap = (code: number) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { red: wrap(31), yellow: wrap(33), cyan: wrap(36), dim: wrap(2), bold: wrap(1) };
}

function label(sev: Severity, c: Colors): string {
  switch (sev) {
    case 'error': return c.red('error');
    case 'warning': return c.yellow('warning');
    case 'info': return c.cyan('info');
    default: return c.dim('ignored');
  }
}

function failing(drifts: Drift[], failOn: FailOn): Drift[] {
  if (failOn === 'never') return [];
  return drifts.filter((d) => !d.suppressed && severityRank(d.severity ?? 'warning') >= severityRank(failOn));
}


/** `-var`/`-var-file` (also `--var`, `--var-file`, with `=` or a separate value), kept in command-line order. */
export function takeVariableArgs(args: string[], cwd: string): { rest: string[]; variables: CliVariable[] } {
  const rest: string[] = [];
  const variables: CliVariable[] = [];
  for (let i = 0; i < args.length; i++) {
    const m = /^--?(var|var-file)(?:=(.*))?$/s.exec(args[i]);
    if (!m) {
      rest.push(args[i]);
      if (args[i] === '--') {
        rest.push(...args.slice(i + 1));
        break;
      }
      continue;
    }
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new CliError(`-${m[1]} needs a value`);
    if (m[1] === 'var-file') {
      variables.push({ kind: 'file', file: path.resolve(cwd, value) });
      continue;
    }
    const eq = value.indexOf('=');
    if (eq <= 0) throw new CliError(`-var ${value}: expected NAME=VALUE`);
    variables.push({ kind: 'var', name: value.slice(0, eq).trim(), raw: value.slice(eq + 1) });
  }
  return { rest, variables };
}

export async function run(allArgs: string[], io: CliIO): Promise<number> {
  if (allArgs.includes('--help')) {
    io.out(HELP);
    return 0;
  }
  const started = Date.now();
  const { rest: args, variables } = takeVariableArgs(allArgs, io.cwd);
  const parsed = parseArgs(args, { booleans: ['json', 'sarif', 'no-color', 'no-attribution'], values: ['fail-on', 'state', 'workspace', 'profile', 'region', 'endpoint-url', 'broker', 'max-lookups'] });
  if (parsed.positional.length > 1) throw new CliError('expects at most one directory');
  const failOn = (flagString(parsed, 'fail-on') ?? 'info') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new CliError(`--fail-on must be one of ${FAIL_ON.join(', ')}`);
  if (parsed.flags.has('json') && parsed.flags.has('sarif')) throw new CliError('choose one of --json and --sarif');
  const maxLookups = flagString(parsed, 'max-lookups');
  if (maxLookups !== undefined && !/^\d+$/.test(maxLookups)) throw new CliError(`--max-lookups must be a whole number, got '${maxLookups}'`);
  const root = path.resolve(io.cwd, parsed.positional[0] ?? '.');
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) throw new CliError(`${parsed.positional[0] ?? root}: not a directory`);

  // Configuration: the root module is the directory itself (subdirectories are modules or other roots).
  const index = new WorkspaceIndex();
  const rootFiles = rootFilesOf(root, await index.addFolder(root));
  if (!rootFiles.some((f) => f.file.endsWith('.tf'))) throw new CliError(`${root}: no Terraform files (*.tf) here`);
  const syntaxErrors = rootFiles.flatMap((f) => f.errors.map((e) => `${path.relative(io.cwd, f.file)}:${e.range.start.line + 1}:${e.range.start.character + 1}: ${e.message}`));
  const { files, broken } = withoutBrokenBlocks(rootFiles);
  const guardrails = await guardrailFindings(root, files, io.cwd).catch((error: unknown) => {
    throw error instanceof PolicyError ? new CliError(error.message) : error;
  });

  const module = new RootModule({
    root,
    env: io.env,
    aws: { profile: flagString(parsed, 'profile'), region: flagString(parsed, 'region'), endpoint: flagString(parsed, 'endpoint-url') },
    statePath: flagString(parsed, 'state'),
    workspace: flagString(parsed, 'workspace'),
    relativeTo: io.cwd,
    cliVariables: variables,
  });
  let result;
  try {
    await module.loadConfig();
    await module.connect(files);
    await module.loadModules(files, () => index.allFiles());
    result = await module.refreshAll();
  } catch (error) {
    if (error instanceof RootModuleError) throw new CliError(error.message);
    throw error;
  }
  const clients = module.clients!;
  const identity = module.identity!;
  const snapshot = module.cache!.snapshot;
  const failures = result.failures;
  const fatal = result.fatal;
  const report: DriftReport = module.analyze(files, await ignoreCommentsOf(files));
  const configProblems = module.configProblems(files).map((p) => `${p.file ? `${path.relative(io.cwd, p.file) || p.file}${p.line ? `:${p.line}` : ''}: ` : ''}${p.message}`);
  // Who changed each drift; its class sets the severity, so --fail-on and SARIF levels follow it.
  if (!parsed.flags.has('no-attribution')) {
    const attributed = await attributeForCli(module, report.drifts, {
      cwd: root, env: io.env, brokerUrl: flagString(parsed, 'broker'),
      maxLookups: maxLookups === undefined ? undefined : Number(maxLookups),
      progress: (line) => io.err(line),
    });
    report.drifts = attributed.drifts;
    for (const w of attributed.warnings) io.err(`warning: ${w}`);
  }
  for (const b of broken) report.notChecked = withBlockReason(report.notChecked, b.address, b.address.split('.')[0], `syntax error in ${path.relative(io.cwd, b.file)}`);
  const resolved = { state: module.statePresent, looked: module.stateLooked ?? '' };

  const elapsed = (Date.now() - started) / 1000;
  const calls = clients.gate.stats();
  const totalCalls = clients.gate.totalCalls();
  const bad = failing(report.drifts, failOn);
  // A read that failed leaves drift unknown: not drift, but not a clean bill of health either.
  const unread = report.unknown.filter((u) => u.attributePath.length === 0);
  // Module calls that cannot be evaluated: a broken one is an error, one not installed (or stale) a warning; the rest is checked.
  const moduleLines = (report.moduleProblems ?? []).map((p) => ({ severity: p.severity, line: `${path.relative(io.cwd, p.file) || p.file}:${p.range.start.line + 1}: ${p.message}` }));
  const errors = [
    ...syntaxErrors,
    ...configProblems,
    ...moduleLines.filter((m) => m.severity === 'error').map((m) => m.line),
    ...(fatal ? [fatal] : []),
    ...guardrails.errors,
    ...(unread.length ? [`${unread.length} resource${unread.length === 1 ? '' : 's'} could not be read, so their drift is unknown (first: ${unread[0].address}: ${unread[0].reason})`] : []),
  ];

  if (parsed.flags.has('sarif')) {
    io.out(JSON.stringify(withGuardrailResults(toSarif(report.drifts, { root, toolVersion: '0.1.0' }), guardrails.findings, root), null, 2));
  } else if (parsed.flags.has('json')) {
    io.out(JSON.stringify({
      root, account: identity.account, region: clients.region, state: resolved.state ? resolved.looked : null, readAt: snapshot.readAt,
      drifts: report.drifts.map((d) => ({ ...d, file: path.relative(root, d.file) })),
      unknown: report.unknown.map((u) => ({ ...u, file: path.relative(root, u.file) })),
      notChecked: report.notChecked, errors, failures,
      modules: (report.moduleProblems ?? []).map((p) => ({ call: p.call, file: path.relative(root, p.file), line: p.range.start.line + 1, severity: p.severity, message: p.message })),
      guardrails: guardrails.findings.map((f) => ({ ...f, file: path.relative(root, f.file) })),
      summary: { checked: report.checked, drifts: report.drifts.length, failing: bad.length, ignored: report.drifts.filter((d) => d.suppressed).length, unknown: report.unknown.length, notChecked: report.notChecked.length, instances: report.account },
      apiCalls: { total: totalCalls, byOperation: calls }, seconds: elapsed,
    }, null, 2));
  } else {
    for (const line of findingLines(guardrails.findings, io.cwd)) io.out(line);
    printText(io, root, report, { colors: colors(io.isTTY && !parsed.flags.has('no-color') && !io.env.NO_COLOR), stateLooked: resolved.state ? resolved.looked : undefined, failures, totalCalls, elapsed, identity: identity.account, region: clients.region });
  }
  for (const m of moduleLines) if (m.severity !== 'error') io.err(`warning: ${m.line}`);
  for (const e of errors) io.err(e);
  if (errors.length) return 1;
  return bad.length || guardrails.findings.length ? 2 : 0;
}

function printText(
  io: CliIO,
  root: string,
  report: DriftReport,
  o: { colors: Colors; stateLooked?: string; failures: string[]; totalCalls: number; elapsed: number; identity: string; region: string },
): void {
  const c = o.colors;
  const byFile = new Map<string, Drift[]>();
  for (const d of report.drifts) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  for (const [file, drifts] of [...byFile.entries()].sort()) {
    io.out(c.bold(path.relative(io.cwd, file) || path.relative(root, file)));
    for (const d of drifts.sort((a, b) => a.range.start.line - b.range.start.line)) {
      const where = `${d.range.start.line + 1}:${d.range.start.character + 1}`;
      const tags = [d.confidence === 'inferred' ? 'inferred' : '', d.basis === 'state' ? 'vs state' : ''].filter(Boolean).join(', ');
      io.out(`  ${c.dim(where.padEnd(8))} ${label(d.severity ?? 'warning', c).padEnd(io.isTTY ? 16 : 7)} ${driftMessage(d)}${tags ? c.dim(` [${tags}]`) : ''}`);
      if (d.suppressed) io.out(`  ${' '.repeat(8)} ${c.dim(`ignored by ${d.suppressed.source}${d.suppressed.reason ? `: ${d.suppressed.reason}` : ''}${d.suppressed.until ? ` (until ${d.suppressed.until})` : ''}`)}`);
      else if (d.note) io.out(`  ${' '.repeat(8)} ${c.dim(d.note)}`);
      if (d.attribution) io.out(`  ${' '.repeat(8)} ${attributionLine(d.attribution)}`);
      for (const caller of d.callers ?? []) io.out(`  ${' '.repeat(8)} ${c.dim(`called from ${path.relative(io.cwd, caller.file) || caller.file}:${caller.range.start.line + 1}${caller.argument ? ` (${caller.argument} = …)` : ''}`)}`);
    }
    io.out('');
  }
  if (report.notChecked.length) {
    io.out(c.bold('not checked'));
    for (const n of report.notChecked) io.out(`  ${n.address}: ${n.reason}`);
    io.out('');
  }
  const unknownResources = report.unknown.filter((u) => u.attributePath.length === 0);
  if (unknownResources.length) {
    io.out(c.bold('unknown (not compared)'));
    for (const u of unknownResources) io.out(`  ${u.address}: ${u.reason}`);
    io.out('');
  }
  const active = report.drifts.filter((d) => !d.suppressed);
  const count = (s: Severity) => active.filter((d) => d.severity === s).length;
  const parts = [`${active.length} drift${active.length === 1 ? '' : 's'}`];
  const sev = (['error', 'warning', 'info'] as const).filter((s) => count(s)).map((s) => `${count(s)} ${s}`);
  if (sev.length) parts[0] += ` (${sev.join(', ')})`;
  const ignored = report.drifts.length - active.length;
  if (ignored) parts.push(`${ignored} ignored`);
  // Out of the state's managed instances: the rest are listed above as unknown or not checked.
  parts.push(report.account ? `checked ${report.account.checked} of ${report.account.inState} resources` : `${report.checked} resources checked`);
  if (report.unknown.length) parts.push(`${report.unknown.length} unknown`);
  if (report.notChecked.length) parts.push(`${report.notChecked.length} not checked`);
  parts.push(`${o.totalCalls} API calls in ${o.elapsed.toFixed(1)} s`);
  io.out(`${parts.join(' · ')}`);
  io.out(c.dim(`account ${o.identity} · ${o.region} · state ${o.stateLooked ? path.relative(io.cwd, o.stateLooked) || o.stateLooked : 'none (matches inferred by name/tags)'}`));
}
