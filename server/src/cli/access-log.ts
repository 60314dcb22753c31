// tidemark log <grant>: the grant's timeline — decisions, commands and API calls, merged by time —
// and the changes made under it (before → after, command, and what became of each).
import path from 'node:path';
import { GrantTimeline, TimelineEntry } from '../access/broker';
import { changesForCli } from '../app/cli-attribution';
import type { GrantChange } from '../model';
import { flagString } from './args';
import { COMMON_HELP, parseAccessArgs, printResult, requireId, scopeLines, table, withBroker } from './access-common';
import { CliCommand } from './io';

const USAGE = `usage: tidemark log <grant> [--dir DIR] [--no-changes]
  decisions, every recorded command, and the API calls CloudTrail attributes to the grant;
  then the changes made under it, compared with the Terraform code and live state in DIR
  (default: .): still drifted, adopted into code, ignored, or reverted
  --dir DIR          Terraform root module to compare the changes with
  --no-changes       only the timeline (no live read)
${COMMON_HELP}`;

function row(e: TimelineEntry): string[] {
  const at = e.at.replace(/\.\d{3}Z$/, 'Z');
  switch (e.kind) {
    case 'state': return [at, 'grant', e.actor, e.text];
    case 'command': return [at, 'command', e.command.user, `${e.command.cwd} $ ${e.command.command}  → ${e.command.exitCode ?? '?'}`];
    case 'api': return [at, 'api', e.event.sourceIdentity ?? e.event.sessionName ?? '', `${e.event.eventSource} ${e.event.eventName}${e.event.resources.length ? ` ${e.event.resources.join(', ')}` : ''}${e.denied ? ` — ${e.denied} (${e.event.errorCode})` : e.event.errorCode ? ` (${e.event.errorCode})` : ''}`];
  }
}

/** A value in one short line: changes show next to each other, the full value is in --json. */
function brief(v: unknown): string {
  if (v === undefined) return '?';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

/** Values as the status makes sense of them: a drift has two sides; adopted and reverted have one. */
function changeValues(c: GrantChange): string {
  if (c.status === 'adopted') return `code now says ${brief(c.after)}`;
  if (c.status === 'reverted') return `back to ${brief(c.before)}`;
  if (c.status === 'revert-failed' || c.status === 'kept') return `${brief(c.before)} → ${brief(c.after)}${c.note ? ` (${c.note})` : ''}`;
  return `${brief(c.before)} → ${brief(c.after)}`;
}

export function formatChanges(changes: GrantChange[]): string {
  if (changes.length === 0) return 'no changes found under this grant';
  return table(changes.map((c) => [
    (c.at ?? '').replace(/\.\d{3}Z$/, 'Z'),
    `${c.address}${c.attributePath.length ? ` ${c.attributePath.join('.')}` : ''}`,
    c.status,
    changeValues(c),
    c.command ? `$ ${c.command}` : c.eventName ?? '',
  ]));
}

export function formatTimeline(t: GrantTimeline): string {
  const g = t.grant;
  const head = `${g.id}  ${g.state}  ${g.role}  ${g.requesterName}${g.breakGlass ? '  BREAK-GLASS' : ''}${g.review?.state === 'open' ? '  REVIEW-OPEN' : ''}`;
  return [head, ...scopeLines(g), table(t.entries.map(row)), ...t.warnings.map((w) => `warning: ${w}`)].join('\n');
}

export const run: CliCommand = async (args, io) => {
  const parsed = parseAccessArgs(args, { booleans: ['no-changes'], values: ['dir'] });
  if (parsed.flags.has('help')) { io.out(USAGE); return 0; }
  const id = requireId(parsed, USAGE);
  const dir = path.resolve(io.cwd, flagString(parsed, 'dir') ?? '.');
  const result = await withBroker(parsed, io, async (client) => {
    const timeline = await client.call('log', { id });
    if (parsed.flags.has('no-changes')) return { timeline };
    return { timeline, ...(await changesForCli(dir, timeline, client, { cwd: io.cwd, env: io.env })) };
  });
  const { timeline } = result;
  const changes = 'changes' in result ? result.changes : undefined;
  const changeWarnings = 'warnings' in result ? result.warnings : [];
  printResult(io, parsed, { ...timeline, ...(changes ? { changes, warnings: [...timeline.warnings, ...changeWarnings] } : {}) }, () => [
    formatTimeline(timeline),
    ...(changes ? ['', 'Changes', formatChanges(changes), ...changeWarnings.map((w) => `warning: ${w}`)] : []),
  ].join('\n'));
  return 0;
};
