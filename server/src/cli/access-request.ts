// tidemark request <role> --duration 2h --reason "…" [--ticket T] [--break-glass] [--extends ID]
//   [--scope ADDRESS…] [--scope-from-diff [REF]] [--scope-from-plan FILE] [--state FILE]
import { parseDuration } from '../access/duration';
import { ScopeError } from '../access/scope';
import { buildScope, hasScopeInputs, ScopeInputs } from '../app/scope-input';
import { flagString } from './args';
import { argumentError, COMMON_HELP, describeGrant, parseAccessArgs, printResult, withBroker } from './access-common';
import { CliCommand, CliError } from './io';

const USAGE = `usage: tidemark request <role> --duration 2h --reason TEXT [--ticket ID] [--break-glass] [--extends GRANT]
                        [--scope ADDRESS]… [--scope-from-diff [GIT_REF]] [--scope-from-plan FILE] [--state FILE]
  --duration D       how long, counted from activation (e.g. 90m, 2h)
  --reason TEXT      why (stored redacted; shown to approvers)
  --ticket ID        change/incident ticket
  --break-glass      activate at once without approval if the policy allows; needs a post-review
  --extends GRANT    extend your active grant (a new request that needs approval)
  --scope ADDRESS    limit the credentials to this resource (repeatable), e.g. aws_instance.worker;
                     resolved through state to its ARN and enforced by AWS as a session policy
  --scope-from-diff [GIT_REF]
                     scope the resource blocks changed in the working tree against GIT_REF (default HEAD)
  --scope-from-plan FILE
                     scope the in-place updates of a plan: the output of \`terraform show -json PLANFILE\`
  --state FILE       state to resolve the scope with (default: the local state of the current directory)
${COMMON_HELP}`;

/** The scope options repeat or take an optional value, which the shared parser does not do: take them out first. */
function splitScopes(args: string[]): { rest: string[]; inputs: ScopeInputs } {
  const rest: string[] = [];
  const addresses: string[] = [];
  const inputs: ScopeInputs = { addresses };
  const value = (flag: string, i: number): string => {
    const v = args[i];
    if (v === undefined || v.startsWith('--')) throw new CliError(`option ${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') { rest.push(...args.slice(i)); break; }
    if (arg.startsWith('--scope=')) addresses.push(arg.slice('--scope='.length));
    else if (arg === '--scope') addresses.push(value(arg, ++i));
    else if (arg.startsWith('--scope-from-diff=')) inputs.diffRef = arg.slice('--scope-from-diff='.length);
    else if (arg === '--scope-from-diff') {
      // The ref is optional: the next argument is it unless it is another option.
      const next = args[i + 1];
      inputs.diffRef = next !== undefined && !next.startsWith('-') ? (i++, next) : 'HEAD';
    } else if (arg.startsWith('--scope-from-plan=')) inputs.planFile = arg.slice('--scope-from-plan='.length);
    else if (arg === '--scope-from-plan') inputs.planFile = value(arg, ++i);
    else rest.push(arg);
  }
  return { rest, inputs };
}

export const run: CliCommand = async (args, io) => {
  const { rest, inputs } = splitScopes(args);
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
  if (flagString(parsed, 'state') && !hasScopeInputs(inputs)) throw argumentError('--state only resolves a scope (--scope, --scope-from-diff, --scope-from-plan)', USAGE);
  let scope;
  try {
    scope = await buildScope(io.cwd, { ...inputs, stateFile: flagString(parsed, 'state') }, io.env);
  } catch (error) {
    if (error instanceof ScopeError) throw new CliError(error.message);
    throw error;
  }
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
