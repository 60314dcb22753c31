// The broker owns grants: it asks the policy, applies lifecycle transitions in row-locked
// transactions (with their audit records), issues and ends credentials, and applies deadlines.
// Every entry point takes a Principal that authenticate() proved; nothing here trusts a name.
import type { RevertRecord } from '../model';
import { REFUSAL_WINDOW_SECONDS } from './refusal-limit';
import { KeyObject, randomBytes } from 'node:crypto';
import { ChangeEvent, Grant, GrantScope, GrantState, SessionCommand } from '../model';
import { ChainHead, ChainVerdict, verifyChain } from './audit-chain';
import { SignedHead, signHead } from './audit-head';
import { apiEventDigest, checkRows, grantDigest } from './ledger-rows';
import { keyFingerprint } from '../cloud/cloudtrail';
import { AccessCloud, AccessCredentials, CloudError, IdentityProof } from './cloud';
import { Clock, Scheduler, systemClock, timerScheduler } from './clock';
import { roleNamed, RoleEntry, UserEntry, userForArn } from './config';
import { parseDuration } from './duration';
import { AccessError } from './errors';
import { IdentityRefused, verifyIdentityProof } from './identity';
import { GRANT_CHANNEL, SqlExecutor } from './ledger/database';
import { GrantNotice, Ledger } from './ledger/ledger';
import { GrantEvent, isTerminal, transition, TransitionRefused } from './lifecycle';
import { AccessAction, decide, PolicyDecision } from './policy';
import { PolicySource } from './policy-source';
import { AlertRepeats } from '../alert-repeats';
import { backoffDelay, BackoffPolicy } from '../backoff';
import { redact } from './redact';
import { acceptCommands } from './session-log';
import { PACKED_LIMIT, packSessionPolicy, ScopeError, scopeStatements } from './scope';
import { scopeFacts } from './scope-facts';
import { grantSessionName, revokeCutoff, revokePolicyDocument, revokePolicyName, roleNameFromArn } from './revoke-policy';

export type Principal = UserEntry;

export interface GrantRequestInput {
  role: string;
  durationSeconds: number;
  reason: string;
  ticket?: string;
  breakGlass?: boolean;
  /** Id of the requester's active grant this request extends. */
  extends?: string;
  /** Resources the credentials may change (resolved through state by the requester). */
  scope?: GrantScope[];
}

export type { CommandInput } from './session-log';

export type TimelineEntry =
  | { at: string; kind: 'state'; text: string; actor: string }
  | { at: string; kind: 'command'; command: SessionCommand }
  | { at: string; kind: 'api'; event: ChangeEvent };

export interface GrantTimeline {
  grant: Grant;
  entries: TimelineEntry[];
  /** Writes the broker made to revert this grant's changes (the revert journal), oldest first. */
  reverts: RevertRecord[];
  /** Why API activity may be incomplete (e.g. CloudTrail unreachable). */
  warnings: string[];
}

export type BrokerEvent =
  | { type: 'grant'; grant: Grant }
  | { type: 'alert'; grantId: string; message: string };

/** Context the broker hands to a GrantEndHandler's run(). */
export interface GrantEndContext {
  /** Raises a broker alert (editors, webhook, stdout). */
  alert(grantId: string, message: string): void;
  /** Pulls the grant's CloudTrail events into the ledger (`api_events`). */
  syncApiEvents(grant: Grant): Promise<void>;
  /** True once the broker is stopping: long work stops between steps and resumes on the next start. */
  stopping(): boolean;
}

/** Work that follows the end of a grant (auto-revert). The broker stays ignorant of what it does. */
export interface GrantEndHandler {
  /** Runs inside the transaction that ends an active grant, so the follow-up is journaled with the end itself. */
  ended(tx: SqlExecutor, grant: Grant): Promise<void>;
  /** Does whatever is due; called from the serialised tick (so after every end, on start and at deadlines). */
  run(ctx: GrantEndContext): Promise<void>;
  /** The next time run() has work, for the deadline timer. */
  nextDue(): Promise<Date | undefined>;
}

export interface BrokerOptions {
  ledger: Ledger;
  /** The grant's finished revert writes (the revert journal), for its timeline; wired by the composition root. */
  reverts?: (db: Ledger['db'], grantId: string) => Promise<RevertRecord[]>;
  policy: Pick<PolicySource, 'current'>;
  cloud: AccessCloud;
  /** Binds identity proofs to this broker (a proof for another broker is refused). */
  audience: string;
  clock?: Clock;
  scheduler?: Scheduler;
  log?: (line: string) => void;
  /** An open break-glass review alerts again after this long. */
  reviewAlertSeconds?: number;
  /** Follow-up when a grant ends (expiry, revoke, release), e.g. auto-revert. */
  onGrantEnd?: GrantEndHandler;
  /** Retry schedule for revoke policies the cloud did not take (default 2 s doubling to 5 min). */
  retry?: BackoffPolicy;
  /** Jitter source for retries (tests fix it). */
  random?: () => number;
  /** A failure that keeps repeating is raised once, then summarised at most this often (default 15 min). */
  alertSummarySeconds?: number;
  /** Ed25519 key, kept outside the ledger, that signs audit heads (`audit head`, exports). */
  auditKey?: KeyObject;
}

const DEFAULT_RETRY: BackoffPolicy = { baseMs: 2_000, capMs: 300_000 };
/** However deadlines line up, the broker never ticks more often than this on its own. */
const MIN_TICK_GAP_MS = 1_000;
/** Distinct refusal reasons per source and minute that get a record of their own. */
const DISTINCT_REFUSALS_RECORDED = 5;

/** STS refuses sessions shorter than 15 minutes. */
const STS_MIN_SECONDS = 900;
/** Cached credentials are replaced when they have less than this left (and the grant has more). */
const REFRESH_MARGIN_SECONDS = 300;

export function newGrantId(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return 'g-' + [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}

export class Broker {
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly log: (line: string) => void;
  private readonly credentials = new Map<string, AccessCredentials>();
  private readonly activating = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(e: BrokerEvent) => void>();
  private readonly lastAlert = new Map<string, number>();
  /** Revoke policies whose last cloud call failed: how often, and not to be tried again before when. */
  private readonly revocationRetries = new Map<string, { attempts: number; notBefore: number }>();
  private readonly repeats: AlertRepeats;
  /** Refused authentications per source in the current minute, after the first (which is recorded at once). */
  private readonly refusals = new Map<string, { from: string; to: string; count: number; reasons: Record<string, number>; recorded: string[] }>();
  /** Why the last activation attempt of an approved grant failed (told to whoever asks for its credentials). */
  private readonly activationErrors = new Map<string, string>();
  private ticking: Promise<void> = Promise.resolve();
  private cancelTimer: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private stopped = false;

  constructor(private readonly o: BrokerOptions) {
    this.clock = o.clock ?? systemClock;
    this.scheduler = o.scheduler ?? timerScheduler(this.clock);
    this.log = o.log ?? (() => undefined);
    this.repeats = new AlertRepeats((o.alertSummarySeconds ?? 900) * 1000);
  }

  /** Raises an alert for a failure that may repeat: once, then a summary per period. */
  private alertRepeating(key: string, grantId: string, message: string): void {
    const text = this.repeats.note(key, message, this.clock.now().getTime());
    if (text) this.emit({ type: 'alert', grantId, message: text });
  }

  private resolveRepeating(key: string, grantId: string, message: string): void {
    const text = this.repeats.resolve(key, message, this.clock.now().getTime());
    if (text) this.emit({ type: 'alert', grantId, message: text });
  }

  get audience(): string {
    return this.o.audience;
  }

  get stsEndpoint(): string {
    return this.o.cloud.stsEndpoint;
  }

  /** Recovery: applies deadlines that passed while no broker ran, finishes activations, re-attaches denies. */
  async start(): Promise<void> {
    this.unlisten = await this.o.ledger.db.listen(GRANT_CHANNEL, (payload) => void this.onNotice(payload));
    await this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    await this.ticking.catch(() => undefined);
    await this.flushRefusals(undefined, true).catch((error) => this.log(`refusal summary not recorded: ${(error as Error).message}`));
    // Activations in flight are not awaited (STS may hang); they notice `stopped` and discard.
    await this.unlisten?.();
    this.credentials.clear();
  }

  subscribe(listener: (e: BrokerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: BrokerEvent): void {
    for (const l of this.listeners) {
      try { l(e); } catch (error) { this.log(`listener failed: ${(error as Error).message}`); }
    }
  }

  private async onNotice(payload: string): Promise<void> {
    try {
      const notice = JSON.parse(payload) as GrantNotice;
      const grant = await this.o.ledger.getGrant(this.o.ledger.db, notice.id);
      if (grant) this.emit({ type: 'grant', grant });
      // Another team broker may have added a deadline or approved a grant.
      if (!this.stopped) await this.scheduleNext();
    } catch (error) {
      this.log(`grant notice ignored: ${(error as Error).message}`);
    }
  }

  // -- identity ---------------------------------------------------------------------------------

  async authenticate(proof: IdentityProof | unknown, remote = 'unknown'): Promise<Principal> {
    const now = this.clock.now();
    const verify = (at: Date) => verifyIdentityProof(proof, {
      audience: this.o.audience,
      cloud: this.o.cloud,
      now: at,
      useNonce: (nonce, expiresAt) => this.o.ledger.useNonce(nonce, expiresAt, now),
    });
    try {
      const { arn } = await verify(now).catch((error: unknown) => {
        // A simulated broker clock (the demo's fast-forward) must not make a proof signed now by the
        // real clock look stale: its freshness is then judged by the real clock (the same in production).
        const real = new Date();
        const timing = error instanceof IdentityRefused && /has expired/.test(error.message);
        if (!timing || Math.abs(real.getTime() - now.getTime()) < 1000) throw error;
        return verify(real);
      });
      return userForArn(this.o.policy.current().config, arn);
    } catch (error) {
      if (!(error instanceof IdentityRefused)) throw error;
      await this.refuseAuthentication(error.message, remote);
      throw new AccessError('unauthenticated', error.message);
    }
  }

  /**
   * Audits a refused request (bad proof or bad broker token). Per source and minute, the first
   * refusal for each of up to DISTINCT_REFUSALS_RECORDED reasons is recorded at once and the rest as
   * one record with a count, so a flood of bad requests adds at most a handful of records per
   * source and minute.
   */
  async refuseAuthentication(reason: string, remote: string): Promise<void> {
    const now = this.clock.now();
    const open = this.refusals.get(remote);
    if (open && now.getTime() - Date.parse(open.from) < REFUSAL_WINDOW_SECONDS * 1000) {
      // A new reason is worth its own record, a few times a minute at most.
      if (!open.recorded.includes(reason) && open.recorded.length < DISTINCT_REFUSALS_RECORDED) {
        open.recorded.push(reason);
        await this.o.ledger.transaction((tx) => this.audit(tx, 'auth-failure', 'anonymous', undefined, { reason, remote }));
        return;
      }
      open.count++;
      open.to = now.toISOString();
      open.reasons[reason] = (open.reasons[reason] ?? 0) + 1;
      return;
    }
    if (open) await this.flushRefusals(remote);
    this.refusals.set(remote, { from: now.toISOString(), to: now.toISOString(), count: 0, reasons: {}, recorded: [reason] });
    this.scheduler.at(new Date(now.getTime() + REFUSAL_WINDOW_SECONDS * 1000), () => void (this.stopped ? undefined : this.flushRefusals().catch((error) => this.log(`refusal summary not recorded: ${(error as Error).message}`))));
    await this.o.ledger.transaction((tx) => this.audit(tx, 'auth-failure', 'anonymous', undefined, { reason, remote }));
  }

  /** Records the refusals counted since each source's first one: those of `only`, or every window that ended. */
  async flushRefusals(only?: string, all = false): Promise<void> {
    const now = this.clock.now().getTime();
    for (const [remote, w] of [...this.refusals]) {
      if (only !== undefined ? remote !== only : !all && now - Date.parse(w.from) < REFUSAL_WINDOW_SECONDS * 1000) continue;
      this.refusals.delete(remote);
      if (!w.count) continue;
      await this.o.ledger.transaction((tx) => this.audit(tx, 'auth-failure', 'anonymous', undefined, { remote, count: w.count, reasons: w.reasons, from: w.from, to: w.to, summary: 'refusals after the first in this minute' }));
    }
  }

  // -- requests and decisions -------------------------------------------------------------------

  async request(p: Principal, input: GrantRequestInput): Promise<Grant> {
    const now = this.clock.now();
    const { config } = this.o.policy.current();
    const role = this.role(input.role);
    if (!Number.isInteger(input.durationSeconds) || input.durationSeconds <= 0) throw new AccessError('bad-request', 'duration must be a positive number of seconds');
    if (!input.reason?.trim()) throw new AccessError('bad-request', 'a reason is required');
    if (input.extends) {
      const base = await this.o.ledger.getGrant(this.o.ledger.db, input.extends);
      if (!base || base.requester !== p.arn || base.state !== 'active' || base.role !== role.name) {
        throw new AccessError('conflict', `grant ${input.extends} is not your active grant on ${role.name}; only that can be extended`);
      }
    }
    const scoped = input.scope?.length ? this.sessionPolicyFor(input.scope) : undefined;
    const action: AccessAction = input.breakGlass ? 'breakGlass' : 'request';
    const decision = this.ask({ action, principal: p, role, at: now, durationSeconds: input.durationSeconds, reason: input.reason, ticket: input.ticket, scope: scopeFacts(scoped?.scope) });
    const base = { role: role.name, durationSeconds: input.durationSeconds, breakGlass: Boolean(input.breakGlass), reason: redact(input.reason), ticket: input.ticket, ...(scoped ? { scope: scoped.scope, sessionPolicy: scoped.policy } : {}) };
    if (!decision.allowed) {
      await this.o.ledger.transaction((tx) => this.audit(tx, 'request', p.arn, undefined, { ...base, outcome: 'refused', policies: decision.determining }));
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
    await this.o.ledger.transaction(async (tx) => {
      await this.o.ledger.insertGrant(tx, grant);
      await this.audit(tx, 'request', p.arn, grant.id, { ...base, outcome: grant.state, policies: decision.determining, pendingExpiresAt: grant.pendingExpiresAt, grantDigest: grantDigest(grant) });
    });
    if (grant.breakGlass) {
      this.emit({ type: 'alert', grantId: grant.id, message: `${p.name} broke glass into ${role.name}: post-review required` });
      await this.activate(grant.id);
    }
    await this.scheduleNext();
    return this.get(grant.id);
  }

  approve(p: Principal, id: string, comment?: string): Promise<Grant> {
    return this.decideOn(p, id, 'approve', comment);
  }

  deny(p: Principal, id: string, comment?: string): Promise<Grant> {
    return this.decideOn(p, id, 'deny', comment);
  }

  private async decideOn(p: Principal, id: string, decision: 'approve' | 'deny', comment?: string): Promise<Grant> {
    const now = this.clock.now();
    const updated = await this.change(id, async (g) => {
      const role = this.role(g.role);
      const requester = this.userOf(g);
      const allowed = this.ask({ action: 'approve', principal: p, role, at: now, durationSeconds: g.durationSeconds, requester, breakGlass: g.breakGlass });
      if (!allowed.allowed && p.arn !== g.requester) throw new AccessError('forbidden', `policy does not allow ${p.name} to decide on ${role.name} requests`);
      if (decision === 'deny') return { type: 'deny', by: p.arn, byName: p.name, comment: comment && redact(comment) };
      const approvals = g.decisions.filter((d) => d.decision === 'approve').length + 1;
      const enough = this.ask({ action: 'activate', principal: requester, role, at: now, durationSeconds: g.durationSeconds, approvals, scope: scopeFacts(g.scope) }).allowed;
      return { type: 'approve', by: p.arn, byName: p.name, comment: comment && redact(comment), sufficient: enough };
    }, 'decision', p.arn);
    if (updated.state === 'approved') await this.activate(updated.id);
    await this.scheduleNext();
    return this.get(id);
  }

  async revoke(p: Principal, id: string, reason?: string): Promise<Grant> {
    const now = this.clock.now();
    await this.change(id, async (g) => {
      const allowed = p.arn === g.requester
        || this.ask({ action: 'revoke', principal: p, role: this.role(g.role), at: now, durationSeconds: g.durationSeconds, requester: this.userOf(g), breakGlass: g.breakGlass }).allowed;
      if (!allowed) throw new AccessError('forbidden', `policy does not allow ${p.name} to revoke ${g.requesterName}'s grant on ${g.role}`);
      return { type: 'revoke', by: p.arn, reason: reason && redact(reason) };
    }, 'end', p.arn);
    await this.afterEnd();
    return this.get(id);
  }

  async release(p: Principal, id: string): Promise<Grant> {
    await this.change(id, async () => ({ type: 'release', by: p.arn }), 'end', p.arn);
    await this.afterEnd();
    return this.get(id);
  }

  async review(p: Principal, id: string, note?: string): Promise<Grant> {
    const now = this.clock.now();
    await this.change(id, async (g) => {
      if (p.arn !== g.requester) {
        const allowed = this.ask({ action: 'review', principal: p, role: this.role(g.role), at: now, durationSeconds: g.durationSeconds, requester: this.userOf(g), breakGlass: g.breakGlass });
        if (!allowed.allowed) throw new AccessError('forbidden', `policy does not allow ${p.name} to review break-glass use of ${g.role}`);
      }
      return { type: 'review', by: p.arn, note: note && redact(note) };
    }, 'review', p.arn);
    this.lastAlert.delete(id);
    return this.get(id);
  }

  /**
   * Applies one lifecycle event to a locked grant and audits it, all in one transaction.
   * `decideEvent` runs under the lock, so it sees the state the transition will apply to.
   */
  private async change(id: string, decideEvent: (g: Grant) => Promise<GrantEvent>, kind: 'decision' | 'end' | 'review', actor: string): Promise<Grant> {
    try {
      return await this.o.ledger.transaction(async (tx) => {
        const g = await this.o.ledger.getGrant(tx, id, true);
        if (!g) throw new AccessError('not-found', `no grant ${id}`);
        const event = await decideEvent(g);
        const next = transition(g, event, this.clock.now());
        await this.o.ledger.updateGrant(tx, next);
        if (g.state === 'active' && isTerminal(next.state)) {
          await this.scheduleRevocation(tx, next);
          await this.o.onGrantEnd?.ended(tx, next);
        }
        await this.audit(tx, kind, actor, id, { event: event.type, from: g.state, to: next.state, comment: 'comment' in event ? event.comment : undefined, reason: next.endReason, review: kind === 'review' ? next.review : undefined, grantDigest: grantDigest(next) });
        return next;
      });
    } catch (error) {
      if (error instanceof TransitionRefused) throw new AccessError(error.code === 'self-approval' || error.code === 'not-requester' ? 'forbidden' : 'conflict', error.message);
      throw error;
    }
  }

  // -- credentials ------------------------------------------------------------------------------

  /** Issues the first credentials and marks the grant active. Safe to call twice: one wins. */
  async activate(id: string): Promise<void> {
    const running = this.activating.get(id);
    if (running) return running;
    const work = this.doActivate(id).finally(() => this.activating.delete(id));
    this.activating.set(id, work);
    return work;
  }

  private async doActivate(id: string): Promise<void> {
    const g = await this.o.ledger.getGrant(this.o.ledger.db, id);
    if (!g || g.state !== 'approved' || this.stopped) return;
    const role = this.role(g.role);
    let creds: AccessCredentials;
    try {
      creds = await this.o.cloud.assumeRole(this.assumeInput(g, role, g.durationSeconds));
    } catch (error) {
      if (this.stopped) return;
      const message = error instanceof CloudError ? error.message : String(error);
      this.log(`grant ${id}: activation failed, will retry: ${redact(message)}`);
      this.activationErrors.set(id, redact(message));
      this.alertRepeating(`activate:${id}`, id, `grant ${id} is approved but the broker cannot issue its credentials: ${redact(message)}`);
      await this.o.ledger.transaction((tx) => this.audit(tx, 'activate', 'tidemark', id, { outcome: 'failed', error: redact(message) }));
      return;
    }
    // Stopped meanwhile: the next broker to start finishes this activation from the ledger.
    if (this.stopped) return;
    const activated = await this.o.ledger.transaction(async (tx) => {
      const locked = await this.o.ledger.getGrant(tx, id, true);
      // A revoke (or another broker's activation) got there first: these credentials are never handed out.
      if (!locked || locked.state !== 'approved') {
        await this.audit(tx, 'credentials', 'tidemark', id, { outcome: 'discarded', reason: `grant is ${locked?.state ?? 'gone'}` });
        return undefined;
      }
      const next = transition(locked, { type: 'activate' }, this.clock.now());
      await this.o.ledger.updateGrant(tx, next);
      await this.audit(tx, 'activate', 'tidemark', id, { from: 'approved', to: 'active', endsAt: next.endsAt, breakGlass: next.breakGlass, grantDigest: grantDigest(next) });
      await this.recordIssue(tx, next, creds);
      return next;
    });
    this.activationErrors.delete(id);
    this.resolveRepeating(`activate:${id}`, id, `grant ${id}: credentials issued`);
    if (activated) this.credentials.set(id, creds);
    await this.scheduleNext();
  }

  private assumeInput(g: Grant, role: RoleEntry, secondsWanted: number) {
    return {
      roleArn: g.roleArn,
      sessionName: grantSessionName(g.id),
      sourceIdentity: g.requesterName,
      tags: { 'tidemark-grant': g.id },
      durationSeconds: Math.max(STS_MIN_SECONDS, Math.min(Math.ceil(secondsWanted), role.maxSessionSeconds)),
      ...(g.sessionPolicy !== undefined ? { policy: g.sessionPolicy } : {}),
    };
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

  private async recordIssue(tx: SqlExecutor, g: Grant, creds: AccessCredentials): Promise<void> {
    const issuedAt = this.clock.now().toISOString();
    await this.o.ledger.recordCredentialIssue(tx, g.id, issuedAt, creds.expiration, keyFingerprint(creds.accessKeyId));
    await this.audit(tx, 'credentials', 'tidemark', g.id, { outcome: 'issued', to: g.requester, expiresAt: creds.expiration, sessionName: `tidemark-${g.id}`, sourceIdentity: g.requesterName });
  }

  /** The requester's current credentials; refreshed while the grant lives. Never stored. */
  async getCredentials(p: Principal, id: string): Promise<AccessCredentials> {
    const g = await this.get(id);
    if (g.requester !== p.arn) throw new AccessError('forbidden', `grant ${id} belongs to ${g.requesterName}; credentials go only to the requester`);
    if (g.state === 'approved') await this.activate(id);
    const current = await this.get(id);
    const failed = current.state === 'approved' ? this.activationErrors.get(id) : undefined;
    if (failed) throw new AccessError('unavailable', `grant ${id} is approved, but the broker cannot issue its credentials: ${failed}`);
    if (current.state !== 'active' || !current.endsAt) throw new AccessError('conflict', `grant ${id} is ${current.state}; no credentials`);
    const now = this.clock.now().getTime();
    const endsAt = Date.parse(current.endsAt);
    const cached = this.credentials.get(id);
    if (cached) {
      const left = Date.parse(cached.expiration) - now;
      if (left > REFRESH_MARGIN_SECONDS * 1000 || Date.parse(cached.expiration) >= endsAt) return cached;
    }
    const role = this.role(current.role);
    let creds: AccessCredentials;
    try {
      creds = await this.o.cloud.assumeRole(this.assumeInput(current, role, (endsAt - now) / 1000));
    } catch (error) {
      throw new AccessError('unavailable', `grant ${id}: cannot issue credentials: ${redact(error instanceof Error ? error.message : String(error))}`);
    }
    const still = await this.o.ledger.transaction(async (tx) => {
      const locked = await this.o.ledger.getGrant(tx, id, true);
      if (locked?.state !== 'active') return false;
      await this.recordIssue(tx, locked, creds);
      return true;
    });
    if (!still) throw new AccessError('conflict', `grant ${id} ended while its credentials were being issued`);
    this.credentials.set(id, creds);
    return creds;
  }

  /** Secrets to scrub from anything recorded under this grant. */
  private knownSecrets(id: string): string[] {
    const c = this.credentials.get(id);
    return c ? [c.accessKeyId, c.secretAccessKey, c.sessionToken] : [];
  }

  // -- ending access ----------------------------------------------------------------------------

  /** Journals the scoped deny when credentials issued for the grant could outlive it. */
  private async scheduleRevocation(tx: SqlExecutor, g: Grant): Promise<void> {
    this.credentials.delete(g.id);
    const latest = await this.o.ledger.latestCredentialExpiry(g.id, tx);
    const endedAt = new Date(g.endedAt ?? this.clock.now().toISOString());
    if (!latest || Date.parse(latest) <= endedAt.getTime()) return;
    await this.o.ledger.saveRevocation(tx, {
      grantId: g.id,
      role: roleNameFromArn(g.roleArn),
      policyName: revokePolicyName(g.id),
      cutoff: revokeCutoff(endedAt).toISOString(),
      // Once every token issued before the cutoff has expired, the deny has nothing left to stop.
      removeAfter: new Date(Date.parse(latest) + 60_000).toISOString(),
    });
  }

  private async afterEnd(): Promise<void> {
    await this.applyRevocations();
    await this.scheduleNext();
    // The follow-up (revert) may take many AWS calls: it runs on the tick, not in the caller's request.
    if (this.o.onGrantEnd) void this.tick();
  }

  private async runGrantEnd(): Promise<void> {
    const handler = this.o.onGrantEnd;
    if (!handler) return;
    try {
      await handler.run({
        alert: (grantId, message) => this.emit({ type: 'alert', grantId, message }),
        syncApiEvents: (g) => this.syncApiEvents(g),
        stopping: () => this.stopped,
      });
    } catch (error) {
      this.log(`grant-end follow-up failed (retried on the next tick): ${redact((error as Error).message)}`);
    }
  }

  /**
   * Attaches journaled denies and removes the ones no longer needed. A failed call is retried with
   * capped, jittered exponential backoff (the cloud may be gone for an hour); its alert is raised
   * once and then summarised.
   */
  private async applyRevocations(): Promise<void> {
    const now = this.clock.now();
    for (const r of await this.o.ledger.pendingRevocations(now)) {
      const waiting = this.revocationRetries.get(r.grantId);
      if (waiting && waiting.notBefore > now.getTime()) continue;
      const g = await this.o.ledger.getGrant(this.o.ledger.db, r.grantId);
      if (!g) continue;
      const key = `revoke-policy:${r.grantId}`;
      try {
        if (!r.attachedAt) {
          await this.o.cloud.putRolePolicy(r.role, r.policyName, revokePolicyDocument(g.id, new Date(r.cutoff)));
          await this.o.ledger.transaction(async (tx) => {
            await this.o.ledger.saveRevocation(tx, { ...r, attachedAt: this.clock.now().toISOString() });
            await this.audit(tx, 'revoke-policy', 'tidemark', r.grantId, { action: 'attached', role: r.role, policy: r.policyName, sessionName: grantSessionName(g.id), tokensIssuedBefore: r.cutoff });
          });
        } else if (Date.parse(r.removeAfter) <= now.getTime()) {
          await this.o.cloud.deleteRolePolicy(r.role, r.policyName);
          await this.o.ledger.transaction(async (tx) => {
            await this.o.ledger.saveRevocation(tx, { ...r, removedAt: this.clock.now().toISOString() });
            await this.audit(tx, 'revoke-policy', 'tidemark', r.grantId, { action: 'removed', role: r.role, policy: r.policyName });
          });
        }
        this.revocationRetries.delete(r.grantId);
        this.resolveRepeating(key, r.grantId, `revoke policy ${r.policyName} ${r.attachedAt ? 'removed' : 'attached'}`);
      } catch (error) {
        const attempts = (waiting?.attempts ?? 0) + 1;
        const delay = backoffDelay(attempts, this.o.retry ?? DEFAULT_RETRY, this.o.random);
        this.revocationRetries.set(r.grantId, { attempts, notBefore: this.clock.now().getTime() + delay });
        const what = `revoke policy ${r.policyName} not ${r.attachedAt ? 'removed' : 'applied'} yet: ${redact((error as Error).message)}`;
        this.log(`grant ${r.grantId}: ${what} (attempt ${attempts}, next in ${Math.round(delay / 1000)} s)`);
        this.alertRepeating(key, r.grantId, `grant ${r.grantId}: ${what}`);
      }
    }
  }

  // -- deadlines --------------------------------------------------------------------------------

  /** Applies everything due now. Serialised: concurrent calls queue behind each other. */
  tick(): Promise<void> {
    const run = this.ticking.then(() => this.doTick());
    this.ticking = run.catch((error) => this.log(`tick failed: ${(error as Error).message}`));
    return run;
  }

  private async doTick(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    for (const g of await this.o.ledger.listGrants({ states: ['pending', 'active'] })) {
      const due = g.state === 'pending' ? g.pendingExpiresAt : g.endsAt;
      if (!due || Date.parse(due) > now.getTime()) continue;
      try {
        const ended = await this.change(g.id, async () => ({ type: 'expire' }), 'end', 'tidemark');
        if (ended.state === 'expired') {
          this.credentials.delete(g.id);
          if (g.state === 'pending') this.emit({ type: 'alert', grantId: g.id, message: `request ${g.id} for ${g.role} expired before enough approvals; ${g.requesterName} may request again` });
        }
      } catch (error) {
        // Someone else moved it first (approved, revoked, another broker): nothing to do.
        if (!(error instanceof AccessError)) throw error;
      }
    }
    for (const g of await this.o.ledger.listGrants({ states: ['approved'] })) await this.activate(g.id);
    await this.applyRevocations();
    await this.runGrantEnd();
    this.alertOpenReviews(await this.o.ledger.listGrants({ openReview: true }), now);
    await this.scheduleNext();
  }

  private alertOpenReviews(open: Grant[], now: Date): void {
    const every = (this.o.reviewAlertSeconds ?? 3600) * 1000;
    for (const g of open) {
      const last = this.lastAlert.get(g.id);
      if (last !== undefined && now.getTime() - last < every) continue;
      this.lastAlert.set(g.id, now.getTime());
      this.emit({ type: 'alert', grantId: g.id, message: `break-glass grant ${g.id} (${g.requesterName} on ${g.role}) still needs a post-review by someone else` });
    }
  }

  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    const [row] = await this.o.ledger.db.query<{ next: Date | null }>(
      `SELECT min(t) AS next FROM (
         SELECT pending_expires_at AS t FROM grants WHERE state = 'pending'
         UNION ALL SELECT ends_at FROM grants WHERE state = 'active'
       ) deadlines`,
    );
    const now = this.clock.now().getTime();
    // A revoke policy is due when it must be attached (now) or may be removed, but not before its retry time.
    const revocations = await this.o.ledger.db.query<{ grant_id: string; remove_after: Date; attached_at: Date | null }>(
      'SELECT grant_id, remove_after, attached_at FROM revocations WHERE removed_at IS NULL',
    );
    const revocationDue = revocations.map((r) => Math.max(
      r.attached_at ? new Date(r.remove_after).getTime() : now,
      this.revocationRetries.get(r.grant_id)?.notBefore ?? -Infinity,
    ));
    const follow = await this.o.onGrantEnd?.nextDue().catch(() => undefined);
    const times = [row?.next ? new Date(row.next).getTime() : Infinity, follow ? follow.getTime() : Infinity, ...revocationDue];
    // Work already due (a failing call waiting out its backoff) is never retried in a hot loop.
    const earliest = Math.min(...times);
    const next = earliest <= now ? now + MIN_TICK_GAP_MS : earliest;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (Number.isFinite(next)) this.cancelTimer = this.scheduler.at(new Date(next), () => void this.tick());
  }

  // -- reading ----------------------------------------------------------------------------------

  async get(id: string): Promise<Grant> {
    const g = await this.o.ledger.getGrant(this.o.ledger.db, id);
    if (!g) throw new AccessError('not-found', `no grant ${id}`);
    return g;
  }

  async grants(filter: { active?: boolean; all?: boolean; mine?: Principal } = {}): Promise<Grant[]> {
    const states: GrantState[] | undefined = filter.active ? ['active'] : filter.all ? undefined : ['pending', 'approved', 'active'];
    const list = await this.o.ledger.listGrants({ states, requester: filter.mine?.arn });
    if (filter.active || filter.all) return list;
    // Ended break-glass grants stay listed while their review is open.
    const open = await this.o.ledger.listGrants({ openReview: true, requester: filter.mine?.arn });
    return [...list, ...open.filter((g) => !list.some((x) => x.id === g.id))];
  }

  async recordCommands(p: Principal, id: string, commands: unknown): Promise<number> {
    const g = await this.get(id);
    if (g.requester !== p.arn) throw new AccessError('forbidden', `grant ${id} belongs to ${g.requesterName}`);
    const accepted = acceptCommands(g, commands, this.clock.now());
    const secrets = this.knownSecrets(id);
    await this.o.ledger.transaction(async (tx) => {
      for (const c of accepted) {
        const record: SessionCommand = { ...c, grantId: id, user: g.requesterName, cwd: redact(c.cwd, secrets), command: redact(c.command, secrets) };
        await this.o.ledger.addCommand(tx, record);
        await this.audit(tx, 'command', p.arn, id, { at: record.at, cwd: record.cwd, command: record.command, exitCode: record.exitCode, source: record.source });
      }
    });
    return accepted.length;
  }

  /** Commands and API events of one grant, merged by time. Pulls new CloudTrail events first. */
  async timeline(p: Principal, id: string): Promise<GrantTimeline> {
    this.requireConfigured(p);
    const g = await this.get(id);
    if (!this.mayRead(p, 'readTimeline', g)) throw new AccessError('forbidden', `only ${g.requesterName} and those the policy lets read timelines (readTimeline) of ${g.role} may read grant ${id}'s log`);
    const warnings: string[] = [];
    try {
      await this.syncApiEvents(g);
    } catch (error) {
      warnings.push(`API activity may be incomplete: ${redact((error as Error).message)}`);
    }
    const entries: TimelineEntry[] = [
      { at: g.requestedAt, kind: 'state', text: `requested ${g.role} for ${Math.ceil(g.durationSeconds / 60)} min: ${g.reason}`, actor: g.requesterName },
      ...g.decisions.map((d): TimelineEntry => ({ at: d.at, kind: 'state', text: `${d.decision}d${d.comment ? `: ${d.comment}` : ''}`, actor: d.byName })),
      ...(g.activatedAt ? [{ at: g.activatedAt, kind: 'state', text: `active until ${g.endsAt}`, actor: 'tidemark' } as TimelineEntry] : []),
      ...(g.endedAt ? [{ at: g.endedAt, kind: 'state', text: `${g.state}: ${g.endReason ?? ''}`, actor: g.endedBy ?? 'tidemark' } as TimelineEntry] : []),
      ...(await this.o.ledger.listCommands(id)).map((c): TimelineEntry => ({ at: c.at, kind: 'command', command: c })),
      ...(await this.o.ledger.listApiEvents(id)).map((e): TimelineEntry => ({ at: e.at, kind: 'api', event: e })),
    ];
    entries.sort((a, b) => a.at.localeCompare(b.at));
    return { grant: g, entries, warnings, reverts: this.o.reverts ? await this.o.reverts(this.o.ledger.db, id) : [] };
  }

  private async syncApiEvents(g: Grant): Promise<void> {
    if (!g.activatedAt) return;
    const sessionName = `tidemark-${g.id}`;
    const start = new Date(Date.parse(g.activatedAt) - 300_000);
    const lastCredential = await this.o.ledger.latestCredentialExpiry(g.id);
    const end = new Date(Math.min(this.clock.now().getTime(), Date.parse(lastCredential ?? g.endsAt ?? g.activatedAt) + 300_000));
    const fingerprints = new Set((await this.o.ledger.credentialFingerprints(g.id)).map((f) => f.fingerprint));
    const raw = await this.o.cloud.lookupEvents({ sessionName, start, end });
    const mine = raw.filter((e) =>
      (e.principalArn?.endsWith(`/${sessionName}`) ?? false) || (e.accessKeyId !== undefined && fingerprints.has(keyFingerprint(e.accessKeyId))));
    const events: ChangeEvent[] = mine.map((e) => ({
      eventId: e.eventId, at: e.at, eventSource: e.eventSource, eventName: e.eventName, principalArn: e.principalArn,
      sourceIdentity: e.sourceIdentity, sessionName, grantId: g.id, readOnly: e.readOnly, errorCode: e.errorCode, resources: e.resources, parameterNames: e.parameterNames,
      ...(e.userAgent ? { userAgent: e.userAgent } : {}),
    }));
    if (!events.length) return;
    await this.o.ledger.transaction(async (tx) => {
      for (const e of await this.o.ledger.addApiEvents(tx, g.id, events)) {
        await this.audit(tx, 'api-event', e.principalArn ?? sessionName, g.id, { eventId: e.eventId, at: e.at, eventSource: e.eventSource, eventName: e.eventName, sourceIdentity: e.sourceIdentity, errorCode: e.errorCode, resources: e.resources, bodyDigest: apiEventDigest(e) });
      }
    });
  }

  /**
   * The whole chain, checked against the ledger's head and, when given, a head kept outside the
   * ledger (the broker's own view: clients go through auditVerifyFor).
   */
  async auditVerify(expected?: ChainHead): Promise<ChainVerdict> {
    const { records, head, rows } = await this.o.ledger.readAuditSnapshot();
    const chain = verifyChain(records, { stored: head, expected });
    if (!chain.ok) return chain;
    // The chain holds; now the tables `log` and `grants` read must agree with it.
    const altered = checkRows(records, rows);
    if (!altered.length) return chain;
    const first = altered[0];
    const others = altered.length > 1 ? ` (and ${altered.length - 1} more grant(s): ${altered.slice(1).map((a) => a.grantId).join(', ')})` : '';
    return { ok: false, count: chain.count, brokenAt: first.seq ?? chain.count, problem: `${first.problem}${others}`, grants: altered.map((a) => a.grantId) };
  }

  /** The ledger's head, signed with the broker's key (kept outside the ledger) when it has one. */
  async auditHead(): Promise<SignedHead> {
    return signHead(await this.o.ledger.readAuditHead(), this.clock.now(), this.o.audience, this.o.auditKey);
  }

  /** Every record (the broker's own view: clients go through auditExportFor). */
  async auditExport(since?: Date) {
    return this.o.ledger.readAudit(since);
  }

  // -- reads on behalf of a principal: every one is decided by the policy ------------------------

  /** Whether the proven ARN is a person in config.yaml. Anyone else may only ask who they are. */
  isConfigured(p: Principal): boolean {
    return this.o.policy.current().config.users.some((u) => u.arn === p.arn);
  }

  requireConfigured(p: Principal): void {
    if (!this.isConfigured(p)) throw new AccessError('forbidden', `${p.arn} is not a user in .tidemark/config.yaml; only 'whoami' answers it`);
  }

  /** Own grants always; someone else's when the policy allows `action` on its role. */
  private mayRead(p: Principal, action: 'listGrants' | 'readTimeline', g: Grant): boolean {
    if (!this.isConfigured(p)) return false;
    if (g.requester === p.arn) return true;
    const { config } = this.o.policy.current();
    // A role since removed from config.yaml still names its grants: ask about it as it was.
    const role = roleNamed(config, g.role) ?? { name: g.role, arn: g.roleArn, maxSessionSeconds: 0, environment: '' };
    return this.ask({ action, principal: p, role, at: this.clock.now(), durationSeconds: g.durationSeconds, requester: this.userOf(g), breakGlass: g.breakGlass }).allowed;
  }

  /** The grants `p` may see: their own, and others' on roles the policy lets them list. */
  async grantsFor(p: Principal, filter: { active?: boolean; all?: boolean; mine?: boolean } = {}): Promise<Grant[]> {
    this.requireConfigured(p);
    const list = await this.grants({ active: filter.active, all: filter.all, mine: filter.mine ? p : undefined });
    return list.filter((g) => this.mayRead(p, 'listGrants', g));
  }

  async grantFor(p: Principal, id: string): Promise<Grant> {
    this.requireConfigured(p);
    const g = await this.get(id);
    if (!this.mayRead(p, 'listGrants', g)) throw new AccessError('forbidden', `grant ${id} belongs to ${g.requesterName}; the policy does not let ${p.name} see grants of ${g.role} (listGrants)`);
    return g;
  }

  private requireLedgerAction(p: Principal, action: 'exportAudit' | 'verifyAudit'): void {
    this.requireConfigured(p);
    const d = this.ask({ action, principal: p, at: this.clock.now(), durationSeconds: 0 });
    if (!d.allowed) throw new AccessError('forbidden', `policy does not allow ${p.name} to ${action === 'exportAudit' ? 'export' : 'verify'} the audit log (${action})`);
  }

  async auditVerifyFor(p: Principal, expected?: ChainHead): Promise<ChainVerdict> {
    this.requireLedgerAction(p, 'verifyAudit');
    return this.auditVerify(expected);
  }

  async auditHeadFor(p: Principal): Promise<SignedHead> {
    this.requireLedgerAction(p, 'verifyAudit');
    return this.auditHead();
  }

  async auditExportFor(p: Principal, since?: Date) {
    this.requireLedgerAction(p, 'exportAudit');
    return this.auditExport(since);
  }

  /** Whether a pushed event may go to `p`: the same rule as listing the grant it is about. */
  async mayReceive(p: Principal, e: BrokerEvent): Promise<boolean> {
    const g = e.type === 'grant' ? e.grant : await this.o.ledger.getGrant(this.o.ledger.db, e.grantId);
    return g ? this.mayRead(p, 'listGrants', g) : this.isConfigured(p);
  }

  // -- helpers ----------------------------------------------------------------------------------

  private role(name: string): RoleEntry {
    const { config } = this.o.policy.current();
    const role = roleNamed(config, name);
    if (!role) throw new AccessError('not-found', `unknown role '${name}' (configured: ${config.roles.map((r) => r.name).join(', ') || 'none'})`);
    return role;
  }

  private userOf(g: Grant): UserEntry {
    const u = userForArn(this.o.policy.current().config, g.requester);
    return { ...u, name: g.requesterName };
  }

  private ask(q: Parameters<typeof decide>[2]): PolicyDecision {
    const { config, policy } = this.o.policy.current();
    return decide(config, policy, q);
  }

  private async audit(tx: SqlExecutor, kind: Parameters<Ledger['appendAudit']>[1]['kind'], actor: string, grantId: string | undefined, data: Record<string, unknown>): Promise<void> {
    const clean = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
    await this.o.ledger.appendAudit(tx, { at: this.clock.now().toISOString(), kind, actor, grantId, data: clean });
  }
}
