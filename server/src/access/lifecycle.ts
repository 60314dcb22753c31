// Grant lifecycle as a pure function: (grant, event, time) → next grant, or a refusal that says why.
// The broker applies it inside a row-locked transaction, so racing callers see one winner.
import { Grant, GrantState } from '../model';

export type GrantEvent =
  /** `sufficient`: the policy says the approvals including this one are enough to activate. */
  | { type: 'approve'; by: string; byName: string; comment?: string; sufficient: boolean }
  | { type: 'deny'; by: string; byName: string; comment?: string }
  | { type: 'activate' }
  | { type: 'expire' }
  | { type: 'revoke'; by: string; reason?: string }
  | { type: 'release'; by: string }
  | { type: 'review'; by: string; note?: string };

export type RefusalCode = 'wrong-state' | 'self-approval' | 'already-decided' | 'not-requester' | 'not-due' | 'no-review';

export class TransitionRefused extends Error {
  constructor(readonly code: RefusalCode, message: string) {
    super(message);
  }
}

export const TERMINAL_STATES: ReadonlySet<GrantState> = new Set(['denied', 'expired', 'revoked', 'ended-early']);

/** Which events each state accepts (review is separate: it is about the break-glass flag, not the state). */
const accepts: Record<GrantState, ReadonlySet<GrantEvent['type']>> = {
  pending: new Set(['approve', 'deny', 'expire', 'revoke']),
  approved: new Set(['activate', 'revoke']),
  active: new Set(['expire', 'revoke', 'release']),
  denied: new Set(),
  expired: new Set(),
  revoked: new Set(),
  'ended-early': new Set(),
};

export function transition(grant: Grant, event: GrantEvent, at: Date): Grant {
  const now = at.toISOString();
  if (event.type === 'review') return review(grant, event, now);
  if (!accepts[grant.state].has(event.type)) {
    throw new TransitionRefused('wrong-state', `grant ${grant.id} is ${grant.state}; cannot ${event.type} it`);
  }
  const next: Grant = { ...grant, decisions: [...grant.decisions], version: grant.version + 1 };
  switch (event.type) {
    case 'approve': {
      if (event.by === grant.requester) throw new TransitionRefused('self-approval', `grant ${grant.id}: requesters cannot approve their own request`);
      if (grant.decisions.some((d) => d.by === event.by)) throw new TransitionRefused('already-decided', `grant ${grant.id}: ${event.byName} has already approved it`);
      next.decisions.push({ by: event.by, byName: event.byName, decision: 'approve', at: now, comment: event.comment });
      if (event.sufficient) {
        next.state = 'approved';
        next.pendingExpiresAt = undefined;
      }
      return next;
    }
    case 'deny': {
      if (event.by === grant.requester) throw new TransitionRefused('self-approval', `grant ${grant.id}: requesters cannot decide on their own request (use revoke to withdraw it)`);
      next.decisions.push({ by: event.by, byName: event.byName, decision: 'deny', at: now, comment: event.comment });
      return end(next, 'denied', now, event.by, event.comment ?? 'denied');
    }
    case 'activate': {
      next.state = 'active';
      next.activatedAt = now;
      next.endsAt = new Date(at.getTime() + grant.durationSeconds * 1000).toISOString();
      return next;
    }
    case 'expire': {
      const due = grant.state === 'pending' ? grant.pendingExpiresAt : grant.endsAt;
      if (!due || at.getTime() < Date.parse(due)) throw new TransitionRefused('not-due', `grant ${grant.id} is not due to expire until ${due ?? 'never'}`);
      return end(next, 'expired', now, 'tidemark', grant.state === 'pending' ? 'request not approved in time' : 'grant time ended');
    }
    case 'revoke':
      return end(next, 'revoked', now, event.by, event.reason ?? (event.by === grant.requester ? 'withdrawn by requester' : 'revoked'));
    case 'release': {
      if (event.by !== grant.requester) throw new TransitionRefused('not-requester', `grant ${grant.id}: only the requester can release it (others revoke)`);
      return end(next, 'ended-early', now, event.by, 'released by requester');
    }
  }
}

function end(grant: Grant, state: GrantState, now: string, by: string, reason: string): Grant {
  return { ...grant, state, endedAt: now, endedBy: by, endReason: reason, pendingExpiresAt: undefined };
}

function review(grant: Grant, event: { by: string; note?: string }, now: string): Grant {
  if (!grant.breakGlass || grant.review?.state !== 'open') throw new TransitionRefused('no-review', `grant ${grant.id} has no open post-review`);
  if (event.by === grant.requester) throw new TransitionRefused('self-approval', `grant ${grant.id}: the break-glass user cannot review their own access`);
  return { ...grant, review: { state: 'done', reviewer: event.by, reviewedAt: now, note: event.note }, version: grant.version + 1 };
}

/** The next moment the broker must look at this grant, if any. */
export function nextDeadline(grant: Grant): Date | undefined {
  if (grant.state === 'pending' && grant.pendingExpiresAt) return new Date(grant.pendingExpiresAt);
  if (grant.state === 'active' && grant.endsAt) return new Date(grant.endsAt);
  return undefined;
}

export function isTerminal(state: GrantState): boolean {
  return TERMINAL_STATES.has(state);
}
