// tidemark request <role> --duration 2h --reason "…" [--ticket T] [--break-glass] [--extends ID]
import { parseDuration } from '../access/duration';
import { flagString } from './args';
import { argumentError, COMMON_HELP, describeGrant, parseAccessArgs, printResult, withBroker } from './access-common';
import { CliCommand, CliError } from './io';

const USAGE = `usage: tidemark request <role> --duration 2h --reason TEXT [--ticket ID] [--break-glass] [--extends GRANT]
  --duration D       how long, counted from activation (e.g. 90m, 2h)
  --reason TEXT      why (stored redacted; shown to approvers)
  --ticket ID        change/incident ticket
  --break-glass      activate at once without approval if the policy allows; needs a post-review
  --extends GRANT    extend your active grant (a new request that needs approval)
${COMMON_HELP}`;

export const run: CliCommand = async (args, io) => {
  const parsed = parseAccessArgs(args, { booleans: ['break-glass'], values: ['duration', 'reason', 'ticket', 'extends'] });
  if (parsed.flags.has('help')) { io.out(USAGE); return 0; }
  const role = parsed.positional[0];
  if (!role) throw argumentError('missing role', USAGE);
  const durationText = flagString(parsed, 'duration');
  if (!durationText) throw argumentError('--duration is required', USAGE);
  const durationSeconds = parseDuration(durationText);
  if (!durationSeconds) throw new CliError(`--duration '${durationText}' is not a duration like 90m or 2h`);
  const reason = flagString(parsed, 'reason');
  if (!reason) throw argumentError('--reason is required', USAGE);
  const grant = await withBroker(parsed, io, (client) => client.call('request', {
    role, durationSeconds, reason, ticket: flagString(parsed, 'ticket'), breakGlass: parsed.flags.has('break-glass'), extends: flagString(parsed, 'extends'),
  }));
  printResult(io, parsed, grant, () => {
    const next = grant.state === 'pending' ? `waiting for approval (run: tidemark approve ${grant.id})`
      : grant.state === 'active' ? `active now; use: tidemark shell ${grant.id}` : grant.state;
    return `${describeGrant(grant)}\n${next}`;
  });
  return 0;
};
