// Whether CloudTrail's record of a refused call is the grant's scope at work: the call was denied
// (errorCode) and the session policy the broker issued does not allow that action on those
// resources. A denial of a call the scope does allow comes from the role itself. Pure.
import type { ChangeEvent, Grant } from '../model';

/** The timeline's words for a call the session policy refused. */
export const OUTSIDE_SCOPE = "denied: outside the grant's scope";

const DENIED = /^(Client\.)?(AccessDenied|UnauthorizedOperation)(Exception)?$/;

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(value);
}

export function deniedByScope(grant: Pick<Grant, 'scope' | 'sessionPolicy'>, event: Pick<ChangeEvent, 'errorCode' | 'eventSource' | 'eventName' | 'resources'>): boolean {
  if (!grant.scope?.length || !grant.sessionPolicy || !event.errorCode || !DENIED.test(event.errorCode)) return false;
  let statements: Array<{ Action?: string[]; Resource?: string[] }>;
  try {
    statements = (JSON.parse(grant.sessionPolicy) as { Statement: typeof statements }).Statement;
  } catch {
    return true;
  }
  const action = `${event.eventSource.split('.')[0]}:${event.eventName}`;
  // Provably inside the scope only when the policy names the action on one of the call's resources.
  const inside = statements.some((s) => (s.Action ?? []).some((a) => globMatch(a, action))
    && (s.Resource ?? []).some((r) => event.resources.some((arn) => globMatch(r, arn))));
  return !inside;
}
