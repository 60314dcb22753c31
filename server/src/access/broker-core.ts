// What every part of the broker shares: its options, clock, scheduler and log, the event sink, the
// stopping flag, repeated-alert damping, and the small lookups each part needs (a role, a requester,
// a policy decision, an audit record, a grant). The parts reach each other through `parts`.
import { AlertRepeats } from '../alert-repeats';
import type { Grant } from '../model';
import type { UnsealedRecord } from './audit-chain';
import { type Clock, type Scheduler, systemClock, timerScheduler } from './clock';
import { roleNamed, type RoleEntry, type UserEntry, userForArn } from './config';
import { AccessError } from './errors';
import type { SqlExecutor } from './ledger/database';
import type { Ledger } from './ledger/ledger';
import { decide, type PolicyDecision } from './policy';
import type { BrokerEvent, BrokerOptions } from './broker-types';
import type { Authenticator } from './broker-identity';
import type { GrantRequests } from './broker-requests';
import type { CredentialIssuer } from './broker-credentials';
import type { Revocations } from './broker-revocation';
import type { Deadlines } from './broker-deadlines';
import type { GrantHistory } from './broker-timeline';
import type { ReadPolicy } from './broker-reads';

/** The broker's parts, one job each (broker.ts builds them and exposes the public API). */
export interface BrokerParts {
  identity: Authenticator;
  requests: GrantRequests;
  credentials: CredentialIssuer;
  revocation: Revocations;
  deadlines: Deadlines;
  timeline: GrantHistory;
  reads: ReadPolicy;
}

export class BrokerCore {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: (line: string) => void;
  /** Set once stop() began: long work stops between steps, activations in flight discard their result. */
  stopped = false;
  /** Filled by the Broker right after construction. */
  parts!: BrokerParts;
  private readonly repeats: AlertRepeats;

  /**
   * `emit` raises an event; `announce` publishes a grant this process just committed, at once and
   * without reading it back (the notice it also sent is then skipped as already seen).
   */
  constructor(readonly o: BrokerOptions, readonly emit: (e: BrokerEvent) => void, readonly announce: (g: Grant) => void = () => undefined) {
    this.clock = o.clock ?? systemClock;
    this.scheduler = o.scheduler ?? timerScheduler(this.clock);
    this.log = o.log ?? (() => undefined);
    this.repeats = new AlertRepeats((o.alertSummarySeconds ?? 900) * 1000);
  }

  /** Per grant, this process's write in progress (its commit's notice can arrive before it returns). */
  private readonly writes = new Map<string, Promise<unknown>>();

  /**
   * Runs `work` (a write of grant `id` and its announce()) so that a notice arriving meanwhile can
   * wait for it, find the version announced, and skip reading the grant back.
   */
  writing<T>(id: string, work: () => Promise<T>): Promise<T> {
    const run = work();
    const settled = run.catch(() => undefined).finally(() => { if (this.writes.get(id) === settled) this.writes.delete(id); });
    this.writes.set(id, settled);
    return run;
  }

  /** Settles when this process's write of grant `id` in progress (if any) has. */
  written(id: string): Promise<unknown> {
    return this.writes.get(id) ?? Promise.resolve();
  }

  /** Raises an alert for a failure that may repeat: once, then a summary per period. */
  alertRepeating(key: string, grantId: string, message: string): void {
    const text = this.repeats.note(key, message, this.clock.now().getTime());
    if (text) this.emit({ type: 'alert', grantId, message: text });
  }

  resolveRepeating(key: string, grantId: string, message: string): void {
    const text = this.repeats.resolve(key, message, this.clock.now().getTime());
    if (text) this.emit({ type: 'alert', grantId, message: text });
  }

  role(name: string): RoleEntry {
    const { config } = this.o.policy.current();
    const role = roleNamed(config, name);
    if (!role) throw new AccessError('not-found', `unknown role '${name}' (configured: ${config.roles.map((r) => r.name).join(', ') || 'none'})`);
    return role;
  }

  userOf(g: Grant): UserEntry {
    const u = userForArn(this.o.policy.current().config, g.requester);
    return { ...u, name: g.requesterName };
  }

  ask(q: Parameters<typeof decide>[2]): PolicyDecision {
    const { config, policy } = this.o.policy.current();
    return decide(config, policy, q);
  }

  async audit(tx: SqlExecutor, kind: UnsealedRecord['kind'], actor: string, grantId: string | undefined, data: Record<string, unknown>): Promise<void> {
    await this.o.ledger.appendAudit(tx, this.auditRecord(kind, actor, grantId, data));
  }

  /** An audit record stamped now, for Ledger.writeGrant (undefined members dropped, as stored). */
  auditRecord(kind: UnsealedRecord['kind'], actor: string, grantId: string | undefined, data: Record<string, unknown>): UnsealedRecord {
    const clean = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
    return { at: this.clock.now().toISOString(), kind, actor, grantId, data: clean };
  }

  async get(id: string): Promise<Grant> {
    const g = await this.o.ledger.getGrant(this.o.ledger.db, id);
    if (!g) throw new AccessError('not-found', `no grant ${id}`);
    return g;
  }
}
