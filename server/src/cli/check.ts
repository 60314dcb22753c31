// `tidemark check [dir]`: the drift engine for CI and GitOps. Exit 0 = no drift, 2 = drift at or
// above --fail-on, 1 = error (bad input, credentials, unreachable cloud, unreadable state).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Drift, HclFile, Severity } from '../model';
import type { ParsedHclFile } from '../hcl/parse-file';
import { discoverRoots, STATE_MARKERS } from '../hcl/roots';
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

Compares the Terraform configuration in dir (default: .) with the live cloud. When dir has no
*.tf files of its own, every root module below it is checked, each with its own state (a folder
with state, a backend or a terraform block that no other root uses as a module source).

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
  const dir = path.resolve(io.cwd, parsed.positional[0] ?? '.');
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new CliError(`${parsed.positional[0] ?? dir}: not a directory`);

  // The directory is the root module when it has .tf files of its own; otherwise every root under it is checked.
  const index = new WorkspaceIndex();
  const all = await index.addFolder(dir);
  const options: CheckOptions = { parsed, variables, io, failOn, maxLookups, started, index };
  if (rootFilesOf(dir, all).some((f) => f.file.endsWith('.tf'))) return emitOne(await checkRoot(dir, all, options), options);
  const found = discoverRoots(all, await foldersWithState(all));
  if (found.roots.length === 0) throw new CliError(`${dir}: no Terraform files (*.tf) here, and no root module below it`);
  if (flagString(parsed, 'state')) throw new CliError(`--state names one state file: give the root module's directory (found ${found.roots.length} roots under ${path.relative(io.cwd, dir) || '.'})`);
  io.err(`checking ${found.roots.length} root module${found.roots.length === 1 ? '' : 's'}: ${found.roots.map((r) => path.relative(io.cwd, r) || '.').join(', ')}`);
  const results: RootOutcome[] = [];
  for (const root of found.roots) {
    try {
      results.push(await checkRoot(root, all, options));
    } catch (error) {
      // One root that cannot be checked (credentials, state) is its own error; the others are still checked.
      if (!(error instanceof CliError)) throw error;
      results.push({ root, error: error.message });
    }
  }
  return emitMany(dir, results, options);
}

interface CheckOptions {
  parsed: ReturnType<typeof parseArgs>;
  variables: CliVariable[];
  io: CliIO;
  failOn: FailOn;
  maxLookups?: string;
  started: number;
  index: WorkspaceIndex;
}

/** One root module's check, ready to print. */
interface RootResult {
  root: string;
  report: DriftReport;
  errors: string[];
  /** Module calls not installed or stale: said on stderr, not an error. */
  warnings: string[];
  failures: string[];
  guardrails: Awaited<ReturnType<typeof guardrailFindings>>;
  account: string;
  region: string;
  regions: string[];
  stateLooked?: string;
  readAt?: string;
  calls: Record<string, number>;
  byRegion: Record<string, number>;
  totalCalls: number;
  failing: Drift[];
}

type RootOutcome = RootResult | { root: string; error: string };

/** Folders of the indexed files that hold a state of their own. */
async function foldersWithState(files: HclFile[]): Promise<Set<string>> {
  const dirs = [...new Set(files.map((f) => path.dirname(f.file)))];
  const out = new Set<string>();
  await Promise.all(dirs.map(async (d) => {
    for (const marker of STATE_MARKERS) if (await fs.stat(path.join(d, marker)).then(() => true, () => false)) out.add(d);
  }));
  return out;
}

async function checkRoot(root: string, indexed: ParsedHclFile[], o: CheckOptions): Promise<RootResult> {
  const { parsed, io } = o;
  // Configuration: the root module is the directory itself (subdirectories are modules or other roots).
  const rootFiles = rootFilesOf(root, indexed);
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
    cliVariables: o.variables,
  });
  let result;
  try {
    await module.loadConfig();
    await module.connect(files);
    await module.loadModules(files, () => o.index.allFiles());
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
      maxLookups: o.maxLookups === undefined ? undefined : Number(o.maxLookups),
      progress: (line) => io.err(line),
    });
    report.drifts = attributed.drifts;
    for (const w of attributed.warnings) io.err(`warning: ${w}`);
  }
  for (const b of broken) report.notChecked = withBlockReason(report.notChecked, b.address, b.address.split('.')[0], `syntax error in ${path.relative(io.cwd, b.file)}`);

  const totalCalls = module.totalCalls();
  const byRegion = module.pool?.callsByRegion() ?? { [clients.region]: totalCalls };
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
  return {
    root, report, errors, warnings: moduleLines.filter((m) => m.severity !== 'error').map((m) => m.line), failures, guardrails, account: identity.account, region: clients.region, regions: Object.keys(byRegion).sort(),
    stateLooked: module.statePresent ? module.stateLooked ?? '' : undefined, readAt: snapshot.readAt,
    calls: module.pool?.stats() ?? clients.gate.stats(), byRegion, totalCalls, failing: failing(report.drifts, o.failOn),
  };
}

/** The JSON report of one root, paths relative to that root. */
function rootJson(r: RootResult, seconds: number): Record<string, unknown> {
  const { report, root } = r;
  return {
    root, account: r.account, region: r.region, regions: r.regions, state: r.stateLooked ?? null, readAt: r.readAt,
    drifts: report.drifts.map((d) => ({ ...d, file: path.relative(root, d.file) })),
    unknown: report.unknown.map((u) => ({ ...u, file: path.relative(root, u.file) })),
    notChecked: report.notChecked, errors: r.errors, failures: r.failures,
    modules: (report.moduleProblems ?? []).map((p) => ({ call: p.call, file: path.relative(root, p.file), line: p.range.start.line + 1, severity: p.severity, message: p.message })),
    guardrails: r.guardrails.findings.map((f) => ({ ...f, file: path.relative(root, f.file) })),
    summary: { checked: report.checked, drifts: report.drifts.length, failing: r.failing.length, ignored: report.drifts.filter((d) => d.suppressed).length, unknown: report.unknown.length, notChecked: report.notChecked.length, instances: report.account },
    apiCalls: { total: r.totalCalls, byOperation: r.calls, byRegion: r.byRegion }, seconds,
  };
}

function exitCode(errors: number, failing: number, findings: number): number {
  if (errors) return 1;
  return failing || findings ? 2 : 0;
}

function emitOne(r: RootResult, o: CheckOptions): number {
  const { io, parsed } = o;
  const elapsed = (Date.now() - o.started) / 1000;
  if (parsed.flags.has('sarif')) {
    io.out(JSON.stringify(withGuardrailResults(toSarif(r.report.drifts, { root: r.root, toolVersion: '0.1.0' }), r.guardrails.findings, r.root), null, 2));
  } else if (parsed.flags.has('json')) {
    io.out(JSON.stringify(rootJson(r, elapsed), null, 2));
  } else {
    for (const line of findingLines(r.guardrails.findings, io.cwd)) io.out(line);
    printText(io, r.root, r.report, { colors: colors(io.isTTY && !parsed.flags.has('no-color') && !io.env.NO_COLOR), stateLooked: r.stateLooked, failures: r.failures, totalCalls: r.totalCalls, elapsed, identity: r.account, region: r.regions.join(', ') });
  }
  for (const w of r.warnings) io.err(`warning: ${w}`);
  for (const e of r.errors) io.err(e);
  return exitCode(r.errors.length, r.failing.length, r.guardrails.findings.length);
}

/** Several roots: each one's report under its name, then the totals. */
function emitMany(dir: string, results: RootOutcome[], o: CheckOptions): number {
  const { io, parsed } = o;
  const elapsed = (Date.now() - o.started) / 1000;
  const done = results.filter((r): r is RootResult => 'report' in r);
  const broken = results.filter((r): r is { root: string; error: string } => 'error' in r);
  const name = (root: string) => path.relative(io.cwd, root) || '.';
  const errorLines = [...broken.map((b) => `${name(b.root)}: ${b.error}`), ...done.flatMap((r) => r.errors.map((e) => (e.startsWith(name(r.root)) ? e : `${name(r.root)}: ${e}`)))];
  if (parsed.flags.has('sarif')) {
    // One run over the directory: each result's location is relative to it, so roots stay apart.
    let sarif = toSarif(done.flatMap((r) => r.report.drifts), { root: dir, toolVersion: '0.1.0' });
    sarif = withGuardrailResults(sarif, done.flatMap((r) => r.guardrails.findings), dir);
    io.out(JSON.stringify(sarif, null, 2));
  } else if (parsed.flags.has('json')) {
    const sum = (f: (r: RootResult) => number) => done.reduce((n, r) => n + f(r), 0);
    io.out(JSON.stringify({
      dir,
      roots: [...done.map((r) => ({ ...rootJson(r, elapsed), root: name(r.root) })), ...broken.map((b) => ({ root: name(b.root), errors: [b.error] }))],
      summary: {
        roots: results.length, checked: sum((r) => r.report.checked), drifts: sum((r) => r.report.drifts.length), failing: sum((r) => r.failing.length),
        unknown: sum((r) => r.report.unknown.length), notChecked: sum((r) => r.report.notChecked.length), errors: errorLines.length,
      },
      apiCalls: { total: sum((r) => r.totalCalls) }, seconds: elapsed,
    }, null, 2));
  } else {
    const c = colors(io.isTTY && !parsed.flags.has('no-color') && !io.env.NO_COLOR);
    for (const r of results) {
      io.out(c.bold(`== ${name(r.root)} ==`));
      if ('error' in r) {
        io.out(`  not checked: ${r.error}`);
        io.out('');
        continue;
      }
      for (const line of findingLines(r.guardrails.findings, io.cwd)) io.out(line);
      printText(io, r.root, r.report, { colors: c, stateLooked: r.stateLooked, failures: r.failures, totalCalls: r.totalCalls, elapsed: (Date.now() - o.started) / 1000, identity: r.account, region: r.regions.join(', ') });
      io.out('');
    }
    const drifts = done.reduce((n, r) => n + r.report.drifts.filter((d) => !d.suppressed).length, 0);
    io.out(`${results.length} roots · ${drifts} drift${drifts === 1 ? '' : 's'}${broken.length ? ` · ${broken.length} not checked` : ''} · ${done.reduce((n, r) => n + r.totalCalls, 0)} API calls in ${elapsed.toFixed(1)} s`);
  }
  for (const r of done) for (const w of r.warnings) io.err(`warning: ${w}`);
  for (const e of errorLines) io.err(e);
  return exitCode(errorLines.length, done.reduce((n, r) => n + r.failing.length, 0), done.reduce((n, r) => n + r.guardrails.findings.length, 0));
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
