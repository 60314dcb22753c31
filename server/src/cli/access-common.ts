// Shared plumbing for the access commands: find the broker, prove identity, map errors, format.
import path from 'node:path';
import { Grant, GrantScope } from '../model';
import { BrokerClient } from '../access/client';
import { AccessError } from '../access/errors';
import { envProofSource } from '../access/proof-source';
import { brokerTlsOptions } from '../access/http-client';
import { connectBroker } from '../app/broker-runtime';
import { formatDuration } from '../access/duration';
import { redact } from '../access/redact';
import { flagString, parseArgs, ParsedArgs } from './args';
import { CliError, CliIO } from './io';

/** Flags every access command accepts. */
export const COMMON_VALUES = ['broker', 'workspace', 'ca'];
export const COMMON_BOOLEANS = ['json', 'help', 'insecure'];

export function parseAccessArgs(args: string[], known: { booleans?: string[]; values?: string[] }): ParsedArgs {
  return parseArgs(args, { booleans: [...COMMON_BOOLEANS, ...(known.booleans ?? [])], values: [...COMMON_VALUES, ...(known.values ?? [])] });
}

export const COMMON_HELP = [
  '  --json             machine-readable output',
  '  --broker URL       team broker (default: TIDEMARK_BROKER_URL, else this workspace\'s embedded broker)',
  '  --ca FILE          CA certificate (PEM) trusted for an https:// broker besides the system CAs (TIDEMARK_BROKER_CA)',
  '  --insecure         allow a plain http:// broker URL that is not on this machine (TIDEMARK_BROKER_INSECURE=1)',
  '  --workspace DIR    workspace holding .tidemark/ (default: nearest above the current directory)',
].join('\n');

/** Connects, runs `fn`, always closes (an embedded broker started here stops with the command). */
export async function withBroker<T>(parsed: ParsedArgs, io: CliIO, fn: (client: BrokerClient) => Promise<T>): Promise<T> {
  let connection;
  try {
    connection = await connectBroker({
      cwd: io.cwd,
      env: io.env,
      proofs: envProofSource(io.env),
      brokerUrl: flagString(parsed, 'broker'),
      tls: brokerTlsOptions(io.env, { caFile: caFlag(parsed, io), insecure: parsed.flags.has('insecure') }),
      workspace: flagString(parsed, 'workspace'),
      log: (line) => { if (io.env.TIDEMARK_DEBUG) io.err(redact(line)); },
    });
  } catch (error) {
    throw asCliError(error);
  }
  try {
    return await fn(connection.client);
  } catch (error) {
    throw asCliError(error);
  } finally {
    await connection.client.close();
  }
}

/** `--ca FILE`, relative to the command's working directory like every other path. */
function caFlag(parsed: ParsedArgs, io: CliIO): string | undefined {
  const file = flagString(parsed, 'ca');
  return file ? path.resolve(io.cwd, file) : undefined;
}

export function asCliError(error: unknown): unknown {
  if (error instanceof AccessError) return new CliError(redact(error.message), error.code === 'unauthenticated' ? 3 : error.code === 'forbidden' ? 4 : 1);
  if (error instanceof Error && /ConfigError|PolicyError|PolicyTestFileError/.test(error.constructor.name)) return new CliError(error.message);
  if (error instanceof Error && error.name === 'CredentialsProviderError') return new CliError(`no AWS credentials to prove who you are (${error.message})`);
  return error;
}

/** A one-line error for a missing or bad argument: what is wrong, then the command's usage line. */
export function argumentError(problem: string, usage: string): CliError {
  return new CliError(`${problem} (${usage.split('\n')[0]})`);
}

export function requireId(parsed: ParsedArgs, usage: string): string {
  const id = parsed.positional[0];
  if (!id) throw argumentError('missing grant id', usage);
  return id;
}

function clock(iso: string | undefined): string {
  return iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '-';
}

/** One line per grant, aligned by the caller. */
export function grantRow(g: Grant): string[] {
  const timing = g.state === 'pending' ? `waits until ${clock(g.pendingExpiresAt)}`
    : g.state === 'active' ? `ends ${clock(g.endsAt)}`
    : g.endedAt ? `${g.endReason ?? g.state} ${clock(g.endedAt)}` : '';
  const flags = [g.breakGlass ? 'BREAK-GLASS' : '', g.review?.state === 'open' ? 'REVIEW-OPEN' : ''].filter(Boolean).join(' ');
  const approvals = g.decisions.filter((d) => d.decision === 'approve').map((d) => d.byName);
  return [g.id, g.state, g.role, g.requesterName, formatDuration(g.durationSeconds), timing, approvals.length ? `approved by ${approvals.join(', ')}` : '', flags, g.reason];
}

export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

export function describeGrant(g: Grant): string {
  return [table([grantRow(g)]), ...scopeLines(g)].join('\n');
}

/** What approvers must see before approving: each scoped resource, its ARN, and the actions by service. */
export function scopeLines(g: Grant): string[] {
  if (!g.scope?.length) return [];
  const lines = [`  scope: ${g.scope.length} resource${g.scope.length === 1 ? '' : 's'}`, ...table(g.scope.map((r) => ['   ', r.address, r.arn, scopeNote(r)])).split('\n')];
  if (g.sessionPolicy) {
    const statements = (JSON.parse(g.sessionPolicy) as { Statement: Array<{ Action: string[] }> }).Statement;
    const byService = new Map<string, Set<string>>();
    for (const a of statements.flatMap((s) => s.Action)) {
      const [service, name] = a.split(':') as [string, string];
      byService.set(service, (byService.get(service) ?? new Set()).add(name));
    }
    for (const [service, names] of byService) lines.push(`    ${service}: ${[...names].join(' ')}`);
  }
  return lines;
}

/** Where a scoped resource came from and how far it reaches: `main.tf:12-14 vs HEAD`, `plan: update`, `tags only`. */
export function scopeNote(r: GrantScope): string {
  const from = r.origin?.kind === 'diff' ? `${r.origin.file}:${r.origin.startLine}${r.origin.endLine !== r.origin.startLine ? `-${r.origin.endLine}` : ''} vs ${r.origin.ref}`
    : r.origin?.kind === 'plan' ? `plan: ${r.origin.actions.join('+')}` : '';
  return [from, r.tagsOnly ? 'tags only' : ''].filter(Boolean).join(', ');
}

export function printResult(io: CliIO, parsed: ParsedArgs, value: unknown, text: () => string): void {
  io.out(parsed.flags.has('json') ? JSON.stringify(value, null, 2) : text());
}
