import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Grant, GrantState } from '../../server/src/model';
import { GrantEvent, nextDeadline, transition, TransitionRefused } from '../../server/src/access/lifecycle';

const REQUESTER = 'arn:aws:iam::123456789012:user/alice';
const APPROVER = 'arn:aws:iam::123456789012:user/bob';
const T0 = new Date('2026-11-25T09:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function grant(state: GrantState, extra: Partial<Grant> = {}): Grant {
  return {
    id: 'g-test', requester: REQUESTER, requesterName: 'alice', role: 'prod-operator', roleArn: 'arn:aws:iam::123456789012:role/prod-operator',
    durationSeconds: 3600, reason: 'fix', state, breakGlass: false, decisions: [], requestedAt: T0.toISOString(),
    pendingExpiresAt: state === 'pending' ? at(3600).toISOString() : undefined,
    activatedAt: state === 'active' ? T0.toISOString() : undefined,
    endsAt: state === 'active' ? at(3600).toISOString() : undefined,
    version: 1, ...extra,
  };
}

const events: Record<string, GrantEvent> = {
  approve: { type: 'approve', by: APPROVER, byName: 'bob', sufficient: true },
  deny: { type: 'deny', by: APPROVER, byName: 'bob' },
  activate: { type: 'activate' },
  expire: { type: 'expire' },
  revoke: { type: 'revoke', by: APPROVER },
  release: { type: 'release', by: REQUESTER },
};

// Every state × event: the resulting state, or null when the transition is forbidden.
// (expire is applied exactly at the deadline: 3600 s after T0.)
const table: Record<GrantState, Record<string, GrantState | null>> = {
  pending: { approve: 'approved', deny: 'denied', activate: null, expire: 'expired', revoke: 'revoked', release: null },
  approved: { approve: null, deny: null, activate: 'active', expire: null, revoke: 'revoked', release: null },
  active: { approve: null, deny: null, activate: null, expire: 'expired', revoke: 'revoked', release: 'ended-early' },
  denied: { approve: null, deny: null, activate: null, expire: null, revoke: null, release: null },
  expired: { approve: null, deny: null, activate: null, expire: null, revoke: null, release: null },
  revoked: { approve: null, deny: null, activate: null, expire: null, revoke: null, release: null },
  'ended-early': { approve: null, deny: null, activate: null, expire: null, revoke: null, release: null },
};

for (const [state, row] of Object.entries(table) as Array<[GrantState, Record<string, GrantState | null>]>) {
  for (const [name, expected] of Object.entries(row)) {
    test(`${state} --${name}--> ${expected ?? 'refused'}`, () => {
      const g = grant(state);
      if (expected === null) {
        assert.throws(() => transition(g, events[name], at(3600)), (e: unknown) => e instanceof TransitionRefused && e.code === 'wrong-state');
      } else {
        const next = transition(g, events[name], at(3600));
        assert.equal(next.state, expected);
        assert.equal(next.version, 2);
        assert.equal(g.state, state, 'the input grant is not mutated');
      }
    });
  }
}

test('self-approval and self-denial are refused', () => {
  for (const type of ['approve', 'deny'] as const) {
    const event = type === 'approve' ? { type, by: REQUESTER, byName: 'alice', sufficient: true } : { type, by: REQUESTER, byName: 'alice' };
    assert.throws(() => transition(grant('pending'), event, T0), (e: unknown) => e instanceof TransitionRefused && e.code === 'self-approval');
  }
});

test('an approval that is not yet sufficient keeps the request pending and records it once', () => {
  const once = transition(grant('pending'), { type: 'approve', by: APPROVER, byName: 'bob', sufficient: false }, T0);
  assert.equal(once.state, 'pending');
  assert.deepEqual(once.decisions.map((d) => d.byName), ['bob']);
  assert.throws(() => transition(once, { type: 'approve', by: APPROVER, byName: 'bob', sufficient: true }, T0), (e: unknown) => e instanceof TransitionRefused && e.code === 'already-decided');
  const twice = transition(once, { type: 'approve', by: 'arn:aws:iam::123456789012:user/carol', byName: 'carol', sufficient: true }, T0);
  assert.equal(twice.state, 'approved');
  assert.equal(twice.pendingExpiresAt, undefined);
});

test('time counts from activation, not from the request', () => {
  const active = transition(grant('approved'), { type: 'activate' }, at(1800));
  assert.equal(active.activatedAt, at(1800).toISOString());
  assert.equal(active.endsAt, at(1800 + 3600).toISOString());
});

test('expiry happens exactly at the deadline, not a millisecond before', () => {
  const active = grant('active');
  assert.throws(() => transition(active, events.expire, new Date(at(3600).getTime() - 1)), (e: unknown) => e instanceof TransitionRefused && e.code === 'not-due');
  assert.equal(transition(active, events.expire, at(3600)).state, 'expired');
  const pending = grant('pending');
  assert.throws(() => transition(pending, events.expire, new Date(at(3600).getTime() - 1)), TransitionRefused);
  const expired = transition(pending, events.expire, at(3600));
  assert.equal(expired.endReason, 'request not approved in time');
});

test('only the requester releases; others revoke', () => {
  assert.throws(() => transition(grant('active'), { type: 'release', by: APPROVER }, T0), (e: unknown) => e instanceof TransitionRefused && e.code === 'not-requester');
  const revoked = transition(grant('active'), { type: 'revoke', by: REQUESTER }, T0);
  assert.equal(revoked.endReason, 'withdrawn by requester');
});

test('break-glass post-review: only by someone else, only once, in any state', () => {
  const bg = grant('expired', { breakGlass: true, review: { state: 'open' } });
  assert.throws(() => transition(bg, { type: 'review', by: REQUESTER }, T0), (e: unknown) => e instanceof TransitionRefused && e.code === 'self-approval');
  const reviewed = transition(bg, { type: 'review', by: APPROVER, note: 'ok' }, T0);
  assert.equal(reviewed.review?.state, 'done');
  assert.equal(reviewed.review?.reviewer, APPROVER);
  assert.throws(() => transition(reviewed, { type: 'review', by: APPROVER }, T0), (e: unknown) => e instanceof TransitionRefused && e.code === 'no-review');
  assert.throws(() => transition(grant('active'), { type: 'review', by: APPROVER }, T0), (e: unknown) => e instanceof TransitionRefused && e.code === 'no-review');
});

test('next deadline: pending timeout, active end, none when ended', () => {
  assert.equal(nextDeadline(grant('pending'))?.toISOString(), at(3600).toISOString());
  assert.equal(nextDeadline(grant('active'))?.toISOString(), at(3600).toISOString());
  assert.equal(nextDeadline(grant('revoked')), undefined);
});
