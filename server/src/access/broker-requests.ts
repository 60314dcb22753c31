// Requests and decisions: a grant asked for, approved, denied, revoked, released or reviewed — each
// one asked of the policy and applied as a lifecycle transition in a row-locked, audited transaction.
import { randomBytes } from 'node:crypto';
import type { Grant, GrantScope } from '../model';
import { grantDigest } from './ledger-rows';
import { Ledger } from './ledger/ledger';
import { parseDuration } from './duration';
import { AccessError } from './errors';
import { GrantEvent, isTerminal, transition, TransitionRefused } from './lifecycle';
import type { AccessAction } from './policy';
import { redact } from './redact';
import { PACKED_LIMIT, packSessionPolicy, ScopeError, scopeStatements } from './scope';
import { scopeFacts } from './scope-facts';
import type { BrokerCore } from './broker-core';
import type { GrantRequestInput, Principal } from './broker-types';

export function newGrantId(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return 'g-' + [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Every change a person asks of a grant. */
export class GrantRequests {
  constructor(private readonly core: BrokerCore) {}

  async request(p: Principal, input: GrantRequestInput): Promise<Grant> {
    const now = this.core.clock.now();
    const { config } = this.core.o.policy.current();
    const role = this.core.role(input.role);
    if (!Number.isInteger(input.durationSeconds) || input.durationSeconds <= 0) throw new AccessError('bad-request', 'duration must be a positive number of seconds');
    if (!input.reason?.trim()) throw new AccessError('bad-request', 'a reason is required');
    if (input.extends) {
      const base = await this.core.o.ledger.getGrant(this.core.o.ledger.db, input.extends);
      if (!base || base.requester !== p.arn || base.state !== 'active' || base.role !== role.name) {
        throw new AccessError('conflict', `grant ${input.extends} is not your active grant on ${role.name}; only that can be extended`);
      }
    }
    const scoped = input.scope?.length ? this.sessionPolicyFor(input.scope) : undefined;
    const action: AccessAction = input.breakGlass ? 'breakGlass' : 'request';
    const decision = this.core.ask({ action, principal: p, role, at: now, durationSeconds: input.durationSeconds, reason: input.reason, ticket: input.ticket, scope: scopeFacts(scoped?.scope) });
    const base = { role: role.name, durationSeconds: input.durationSeconds, breakGlass: Boolean(input.breakGlass), reason: redact(input.reason), ticket: input.ticket, ...(scoped ? { scope: scoped.scope, sessionPolicy: scoped.policy } : {}) };
    if (!decision.allowed) {
      await this.core.o.ledger.writeGrant({ audits: [this.core.auditRecord('request', p.arn, undefined, { ...base, outcome: 'refused', policies: decision.determining })] });
      const what = input.breakGlass ? 'break glass into' : 'request';
      throw new AccessError('forbidden', `policy does not allow ${p.name} to ${what} ${role.name} for ${Math.ceil(input.durationSeconds / 60)} min at ${now.toISOString()}${decision.errors.length ? ` (policy errors: ${decision.errors.join('; ')})` : ''}`);
    }
    const timeout = parseDuration(decision.annotations.pendingTimeout ?? '') ?? config.pendingTimeoutSeconds;
    const grant: Grant = {
      id: newGrantId(),
      requester: p.arn,
      requesterName: p.name,
      role: role.name,
      roleArn: role.arn,
      durationSeconds: input.durationSeconds,
      reason: base.reason,
      ticket: input.ticket ? redact(input.ticket) : undefined,
      state: input.breakGlass ? 'approved' : 'pending',
      breakGlass: Boolean(input.breakGlass),
      review: input.breakGlass ? { state: 'open' } : undefined,
      decisions: [],
      requestedAt: now.toISOString(),
      pendingExpiresAt: input.breakGlass ? undefined : new Date(now.getTime() + timeout * 1000).toISOString(),
      extends: input.extends,
      ...(scoped ? { scope: scoped.scope, sessionPolicy: scoped.policy } : {}),
      version: 1,
    };
    const stored = await this.core.writing(grant.id, async () => {
      await this.core.o.ledger.writeGrant({
        grant,
        audits: [this.core.auditRecord('request', p.arn, grant.id, { ...base, outcome: grant.state, policies: decision.determining, pendingExpiresAt: grant.pendingExpiresAt, grantDigest: grantDigest(grant) })],
      });
      const stored = Ledger.stored(grant);
      this.core.announce(stored);
      return stored;
    });
    if (grant.breakGlass) {
      this.core.emit({ type: 'alert', grantId: grant.id, message: `${p.name} broke glass into ${role.name}: post-review required` });
      const activated = await this.core.parts.credentials.activate(grant.id, stored);
      return activated ?? this.core.get(grant.id);
    }
    await this.core.parts.deadlines.noteGrant(stored);
    return stored;
  }

  approve(p: Principal, id: string, comment?: string): Promise<Grant> {
    return this.decideOn(p, id, 'approve', comment);
  }

  deny(p: Principal, id: string, comment?: string): Promise<Grant> {
    return this.decideOn(p, id, 'deny', comment);
  }

  private async decideOn(p: Principal, id: string, decision: 'approve' | 'deny', comment?: string): Promise<Grant> {
    const now = this.core.clock.now();
    const updated = await this.change(id, async (g) => {
      const role = this.core.role(g.role);
      const requester = this.core.userOf(g);
      const allowed = this.core.ask({ action: 'approve', principal: p, role, at: now, durationSeconds: g.durationSeconds, requester, breakGlass: g.breakGlass });
      if (!allowed.allowed && p.arn !== g.requester) throw new AccessError('forbidden', `policy does not allow ${p.name} to decide on ${role.name} requests`);
      if (decision === 'deny') return { type: 'deny', by: p.arn, byName: p.name, comment: comment && redact(comment) };
      const approvals = g.decisions.filter((d) => d.decision === 'approve').length + 1;
      const enough = this.core.ask({ action: 'activate', principal: requester, role, at: now, durationSeconds: g.durationSeconds, approvals, scope: scopeFacts(g.scope) }).allowed;
      return { type: 'approve', by: p.arn, byName: p.name, comment: comment && redact(comment), sufficient: enough };
    }, 'decision', p.arn);
    if (updated.state !== 'approved') {
      await this.core.parts.deadlines.noteGrant(updated);
      return updated;
    }
    // Activation notes the active grant's deadline; one that did not happen leaves the grant to the tick.
    return (await this.core.parts.credentials.activate(updated.id, updated)) ?? this.core.get(id);
  }

  async revoke(p: Principal, id: string, reason?: string): Promise<Grant> {
    const now = this.core.clock.now();
    await this.change(id, async (g) => {
      const allowed = p.arn === g.requester
        || this.core.ask({ action: 'revoke', principal: p, role: this.core.role(g.role), at: now, durationSeconds: g.durationSeconds, requester: this.core.userOf(g), breakGlass: g.breakGlass }).allowed;
      if (!allowed) throw new AccessError('forbidden', `policy does not allow ${p.name} to revoke ${g.requesterName}'s grant on ${g.role}`);
      return { type: 'revoke', by: p.arn, reason: reason && redact(reason) };
    }, 'end', p.arn);
    await this.core.parts.revocation.afterEnd();
    return this.core.get(id);
  }

  async release(p: Principal, id: string): Promise<Grant> {
    await this.change(id, async () => ({ type: 'release', by: p.arn }), 'end', p.arn);
    await this.core.parts.revocation.afterEnd();
    return this.core.get(id);
  }

  async review(p: Principal, id: string, note?: string): Promise<Grant> {
    const now = this.core.clock.now();
    await this.change(id, async (g) => {
      if (p.arn !== g.requester) {
        const allowed = this.core.ask({ action: 'review', principal: p, role: this.core.role(g.role), at: now, durationSeconds: g.durationSeconds, requester: this.core.userOf(g), breakGlass: g.breakGlass });
        if (!allowed.allowed) throw new AccessError('forbidden', `policy does not allow ${p.name} to review break-glass use of ${g.role}`);
      }
      return { type: 'review', by: p.arn, note: note && redact(note) };
    }, 'review', p.arn);
    this.core.parts.deadlines.reviewed(id);
    return this.core.get(id);
  }

  /**
   * Applies one lifecycle event to a grant and audits it, atomically (one statement, or one
   * row-locked transaction); returns the grant as stored, and announces it. `decideEvent` sees the
   * state the transition applies to: the write lands only over the version it decided on, or it
   * decides again under the row lock.
   */
  change(id: string, decideEvent: (g: Grant) => Promise<GrantEvent>, kind: 'decision' | 'end' | 'review', actor: string): Promise<Grant> {
    return this.core.writing(id, () => this.applyChange(id, decideEvent, kind, actor));
  }

  private async applyChange(id: string, decideEvent: (g: Grant) => Promise<GrantEvent>, kind: 'decision' | 'end' | 'review', actor: string): Promise<Grant> {
    const auditOf = (g: Grant, event: GrantEvent, next: Grant) =>
      this.core.auditRecord(kind, actor, id, { event: event.type, from: g.state, to: next.state, comment: 'comment' in event ? event.comment : undefined, reason: next.endReason, review: kind === 'review' ? next.review : undefined, grantDigest: grantDigest(next) });
    try {
      // Optimistic first: decide on the grant as read, then write it in one statement only over the
      // version read, which is deciding under the lock when nobody moved it meanwhile. An active
      // grant ending also schedules its revocation and follow-ups: that takes the locked transaction.
      const seen = await this.core.o.ledger.getGrant(this.core.o.ledger.db, id);
      if (!seen) throw new AccessError('not-found', `no grant ${id}`);
      const seenEvent = await decideEvent(seen);
      const optimistic = transition(seen, seenEvent, this.core.clock.now());
      const ending = seen.state === 'active' && isTerminal(optimistic.state);
      let next = !ending && (await this.core.o.ledger.writeGrant({ grant: optimistic, priorVersion: seen.version, audits: [auditOf(seen, seenEvent, optimistic)] })) ? optimistic : undefined;
      // Someone changed it first (or it is ending): decide again on the row locked.
      next ??= await this.core.o.ledger.transaction(async (tx) => {
        const g = await this.core.o.ledger.getGrant(tx, id, true);
        if (!g) throw new AccessError('not-found', `no grant ${id}`);
        const event = await decideEvent(g);
        const next = transition(g, event, this.core.clock.now());
        await this.core.o.ledger.updateGrant(tx, next);
        if (g.state === 'active' && isTerminal(next.state)) {
          await this.core.parts.revocation.scheduleRevocation(tx, next);
          await this.core.o.onGrantEnd?.ended(tx, next);
        }
        await this.core.o.ledger.appendAudit(tx, auditOf(g, event, next));
        return next;
      });
      const stored = Ledger.stored(next);
      this.core.announce(stored);
      return stored;
    } catch (error) {
      if (error instanceof TransitionRefused) throw new AccessError(error.code === 'self-approval' || error.code === 'not-requester' ? 'forbidden' : 'conflict', error.message);
      throw error;
    }
  }

  /** The scope as the broker checked it and the session policy it will pass; refuses rather than widens. */
  private sessionPolicyFor(scope: GrantScope[]): { scope: GrantScope[]; policy: string } {
    if (!Array.isArray(scope) || scope.some((r) => typeof r?.address !== 'string' || typeof r.type !== 'string' || typeof r.arn !== 'string')) {
      throw new AccessError('bad-request', 'scope must be a list of {address, type, arn}');
    }
    const clean = scope.map((r) => ({ address: r.address, type: r.type, arn: r.arn, ...(r.tagsOnly ? { tagsOnly: true } : {}), ...(r.origin ? { origin: r.origin } : {}) }));
    try {
      // Session tags share AWS's packed budget with the policy; a grant id tag is at most this long.
      const tagBudget = JSON.stringify({ 'tidemark-grant': newGrantId() }).length;
      return { scope: clean, policy: packSessionPolicy(scopeStatements(clean), PACKED_LIMIT - tagBudget) };
    } catch (error) {
      if (error instanceof ScopeError) throw new AccessError('bad-request', error.message);
      throw error;
    }
  }
}
