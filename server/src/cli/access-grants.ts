// tidemark grants [--active] [--all] [--mine]
import { COMMON_HELP, grantRow, parseAccessArgs, printResult, scopeLines, table, withBroker } from './access-common';
import { CliCommand } from './io';

const USAGE = `usage: tidemark grants [--active] [--all] [--mine]
  (default: pending, approved and active grants, plus break-glass grants awaiting review)
  --active   only active grants
  --all      every grant, including ended ones
  --mine     only your own
${COMMON_HELP}`;

export const run: CliCommand = async (args, io) => {
  const parsed = parseAccessArgs(args, { booleans: ['active', 'all', 'mine'] });
  if (parsed.flags.has('help')) { io.out(USAGE); return 0; }
  const grants = await withBroker(parsed, io, (client) => client.call('grants', {
    active: parsed.flags.has('active'), all: parsed.flags.has('all'), mine: parsed.flags.has('mine'),
  }));
  printResult(io, parsed, grants, () => {
    if (!grants.length) return 'no grants';
    const open = grants.filter((g) => g.review?.state === 'open');
    const lines = [table([['GRANT', 'STATE', 'ROLE', 'USER', 'FOR', 'WHEN', 'APPROVALS', 'FLAGS', 'REASON'], ...grants.map(grantRow)])];
    for (const g of grants.filter((x) => x.scope?.length)) lines.push('', `${g.id}:`, ...scopeLines(g));
    if (open.length) lines.push('', `${open.length} break-glass grant(s) need a post-review: ${open.map((g) => `tidemark review ${g.id}`).join(', ')}`);
    return lines.join('\n');
  });
  return 0;
};
