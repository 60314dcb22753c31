// tidemark request <role> --duration 2h --reason "…" [--ticket T] [--break-glass] [--extends ID] [--scope ADDRESS…]
import path from 'node:path';
import { parseDuration } from '../access/duration';
import { resolveScope, ScopeError, type ScopeResource } from '../access/scope';
import { currentWorkspace, localStatePath, readLocalState } from '../state/local-state';
import { StateError } from '../state/parse-state';
import { flagString } from './args';
import { argumentError, COMMON_HELP, describeGrant, parseAccessArgs, printResult, withBroker } from './access-common';
import { CliCommand, CliError } from './io';

const USAGE = `usage: tidemark request <role> --duration 2h --reason TEXT [--ticket ID] [--break-glass] [--extends GRANT] [--scope ADDRESS]… [--state FILE]
  --duration D       how long, counted from activation (e.g. 90m, 2h)
  --reason TEXT      why (stored redacted; shown to approvers)
  --ticket ID        change/incident ticket
  --break-glass      activate at once without approval if the policy allows; needs a post-review
  --extends GRANT    extend your active grant (a new request that needs approval)
  --scope ADDRESS    limit the credentials to this resource (repeatable), e.g. aws_instance.worker;
                     resolved through state to its ARN and enforced by AWS as a session policy
  --state FILE       state to resolve --scope with (default: the local state of the current directory)
${COMMON_HELP}`;

/** `--scope` repeats, which the shared parser does not keep: take its values out first. */
function splitScopes(args: string[]): { rest: string[]; addresses: string[] } {
  const rest: string[] = [];
  const addresses: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') { rest.push(...args.slice(i)); break; }
    if (arg.startsWith('--scope=')) addresses.push(arg.slice('--scope='.length));
    else if (arg === '--scope') {
      const value = args[++i];
      if (value === undefined) throw new CliError('option --scope needs a value');
      addresses.push(value);
    } else rest.push(arg);
  }
  return { rest, addresses };
}

/** Addresses → live ARNs from local state; every problem is one line naming the address or file. */
async function scopeFromState(addresses: string[], stateFlag: string | undefined, cwd: string, env: NodeJS.ProcessEnv): Promise<ScopeResource[]> {
  const file = stateFlag ? path.resolve(cwd, stateFlag) : localStatePath(cwd, await currentWorkspace(cwd, env));
  try {
    const state = await readLocalState(file);
    if (!state) throw new CliError(`${stateFlag ?? path.relative(cwd, file)}: no state file, so --scope ${addresses[0]} cannot be resolved (pass --state FILE)`);
    return resolveScope(addresses, state.instances);
  } catch (error) {
    if (error instanceof ScopeError || error instanceof StateError) throw new CliError(error.message);
    throw error;
  }
}

export const run: CliCommand = async (args, io) => {
  const { rest, addresses } = splitScopes(args);
  const parsed = parseAccessArgs(rest, { booleans: ['break-glass'], values: ['duration', 'reason', 'ticket', 'extends', 'state'] });
  if (parsed.flags.has('help')) { io.out(USAGE); return 0; }
  const role = parsed.positional[0];
  if (!role) throw argumentError('missing role', USAGE);
  const durationText = flagString(parsed, 'duration');
  if (!durationText) throw argumentError('--duration is required', USAGE);
  const durationSeconds = parseDuration(durationText);
  if (!durationSeconds) throw new CliError(`--duration '${durationText}' is not a duration like 90m or 2h`);
  const reason = flagString(parsed, 'reason');
  if (!reason) throw argumentError('--reason is required', USAGE);
  if (flagString(parsed, 'state') && !addresses.length) throw argumentError('--state only resolves --scope addresses', USAGE);
  const scope = addresses.length ? await scopeFromState(addresses, flagString(parsed, 'state'), io.cwd, io.env) : undefined;
  const grant = await withBroker(parsed, io, (client) => client.call('request', {
    role, durationSeconds, reason, ticket: flagString(parsed, 'ticket'), breakGlass: parsed.flags.has('break-glass'), extends: flagString(parsed, 'extends'),
    ...(scope ? { scope } : {}),
  }));
  printResult(io, parsed, grant, () => {
    const next = grant.state === 'pending' ? `waiting for approval (run: tidemark approve ${grant.id})`
      : grant.state === 'active' ? `active now; use: tidemark shell ${grant.id}` : grant.state;
    return `${describeGrant(grant)}\n${next}`;
  });
  return 0;
};
