// tidemark log <grant>: the grant's timeline — decisions, commands and API calls, merged by time.
import { GrantTimeline, TimelineEntry } from '../access/broker';
import { COMMON_HELP, parseAccessArgs, printResult, requireId, table, withBroker } from './access-common';
import { CliCommand } from './io';

const USAGE = `usage: tidemark log <grant>
  decisions, every recorded command, and the API calls CloudTrail attributes to the grant
${COMMON_HELP}`;

function row(e: TimelineEntry): string[] {
  const at = e.at.replace(/\.\d{3}Z$/, 'Z');
  switch (e.kind) {
    case 'state': return [at, 'grant', e.actor, e.text];
    case 'command': return [at, 'command', e.command.user, `${e.command.cwd} $ ${e.command.command}  → ${e.command.exitCode ?? '?'}`];
    case 'api': return [at, 'api', e.event.sourceIdentity ?? e.event.sessionName ?? '', `${e.event.eventSource} ${e.event.eventName}${e.event.errorCode ? ` (${e.event.errorCode})` : ''}${e.event.resources.length ? ` ${e.event.resources.join(', ')}` : ''}`];
  }
}

export function formatTimeline(t: GrantTimeline): string {
  const g = t.grant;
  const head = `${g.id}  ${g.state}  ${g.role}  ${g.requesterName}${g.breakGlass ? '  BREAK-GLASS' : ''}${g.review?.state === 'open' ? '  REVIEW-OPEN' : ''}`;
  return [head, table(t.entries.map(row)), ...t.warnings.map((w) => `warning: ${w}`)].join('\n');
}

export const run: CliCommand = async (args, io) => {
  const parsed = parseAccessArgs(args, {});
  if (parsed.flags.has('help')) { io.out(USAGE); return 0; }
  const id = requireId(parsed, USAGE);
  const timeline = await withBroker(parsed, io, (client) => client.call('log', { id }));
  printResult(io, parsed, timeline, () => formatTimeline(timeline));
  return 0;
};
