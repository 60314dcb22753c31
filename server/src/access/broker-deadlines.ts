// Deadlines: one serialised tick applies whatever is due (pending requests expiring, grants ending,
// activations to finish, revoke policies, open reviews), and one timer wakes it for the next deadline.
import type { Grant } from '../model';
import { AccessError } from './errors';
import { isTerminal, nextDeadline } from './lifecycle';
import type { BrokerCore } from './broker-core';

/** However deadlines line up, the broker never ticks more often than this on its own. */
const MIN_TICK_GAP_MS = 1_000;

/** The broker's clock-driven work. */
export class Deadlines {
  private ticking: Promise<void> = Promise.resolve();
  private cancelTimer: (() => void) | undefined;
  /** When the armed timer fires (Infinity: none armed). */
  private armedAt = Infinity;
  /** scheduleNext() runs one at a time, so one variable can hold what was noted during its query. */
  private scheduling: Promise<void> = Promise.resolve();
  /** Deadlines noted while scheduleNext's query ran: it may have read before they were committed. */
  private notedDuringQuery = Infinity;
  private readonly lastAlert = new Map<string, number>();

  constructor(private readonly core: BrokerCore) {}

  /** Applies everything due now. Serialised: concurrent calls queue behind each other. */
  tick(): Promise<void> {
    const run = this.ticking.then(() => this.doTick());
    this.ticking = run.catch((error) => this.core.log(`tick failed: ${(error as Error).message}`));
    return run;
  }

  private async doTick(): Promise<void> {
    if (this.core.stopped) return;
    const now = this.core.clock.now();
    for (const g of await this.core.o.ledger.listGrants({ states: ['pending', 'active'] })) {
      const due = g.state === 'pending' ? g.pendingExpiresAt : g.endsAt;
      if (!due || Date.parse(due) > now.getTime()) continue;
      try {
        const ended = await this.core.parts.requests.change(g.id, async () => ({ type: 'expire' }), 'end', 'tidemark');
        if (ended.state === 'expired') {
          this.core.parts.credentials.forget(g.id);
          if (g.state === 'pending') this.core.emit({ type: 'alert', grantId: g.id, message: `request ${g.id} for ${g.role} expired before enough approvals; ${g.requesterName} may request again` });
        }
      } catch (error) {
        // Someone else moved it first (approved, revoked, another broker): nothing to do.
        if (!(error instanceof AccessError)) throw error;
      }
    }
    for (const g of await this.core.o.ledger.listGrants({ states: ['approved'] })) await this.core.parts.credentials.activate(g.id, g);
    await this.core.parts.revocation.applyRevocations();
    await this.core.parts.revocation.runGrantEnd();
    this.alertOpenReviews(await this.core.o.ledger.listGrants({ openReview: true }), now);
    await this.scheduleNext();
  }

  private alertOpenReviews(open: Grant[], now: Date): void {
    const every = (this.core.o.reviewAlertSeconds ?? 3600) * 1000;
    for (const g of open) {
      const last = this.lastAlert.get(g.id);
      if (last !== undefined && now.getTime() - last < every) continue;
      this.lastAlert.set(g.id, now.getTime());
      this.core.emit({ type: 'alert', grantId: g.id, message: `break-glass grant ${g.id} (${g.requesterName} on ${g.role}) still needs a post-review by someone else` });
    }
  }

  /**
   * A grant this process just committed, or heard of through a notice (team brokers share the
   * ledger): arms the timer for its next deadline without asking the ledger, when that is earlier
   * than the armed one. A deadline that went away (a request approved) leaves an early timer,
   * whose tick finds nothing due and asks the ledger again. An ended grant may have brought
   * revocations and follow-ups, which only the ledger knows: that asks the ledger at once.
   */
  noteGrant(g: Grant): Promise<void> {
    if (this.core.stopped) return Promise.resolve();
    if (isTerminal(g.state)) return this.scheduleNext();
    const due = nextDeadline(g);
    if (due) {
      this.notedDuringQuery = Math.min(this.notedDuringQuery, due.getTime());
      if (this.fireTime(due.getTime()) < this.armedAt) this.arm(due.getTime());
    }
    return Promise.resolve();
  }

  /** Asks the ledger for the earliest deadline of every kind and arms the timer for it. */
  scheduleNext(): Promise<void> {
    const run = this.scheduling.then(() => this.doScheduleNext());
    this.scheduling = run.catch(() => undefined);
    return run;
  }

  /** Work already due (a failing call waiting out its backoff) is never retried in a hot loop. */
  private fireTime(earliest: number): number {
    const now = this.core.clock.now().getTime();
    return earliest <= now ? now + MIN_TICK_GAP_MS : earliest;
  }

  private arm(earliest: number): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedAt = Infinity;
    const next = this.fireTime(earliest);
    if (!Number.isFinite(next)) return;
    this.armedAt = next;
    this.cancelTimer = this.core.scheduler.at(new Date(next), () => {
      this.armedAt = Infinity;
      this.cancelTimer = undefined;
      void this.tick();
    });
  }

  private async doScheduleNext(): Promise<void> {
    if (this.core.stopped) return;
    this.notedDuringQuery = Infinity;
    const [row] = await this.core.o.ledger.db.query<{ next: Date | null }>(
      `SELECT min(t) AS next FROM (
         SELECT pending_expires_at AS t FROM grants WHERE state = 'pending'
         UNION ALL SELECT ends_at FROM grants WHERE state = 'active'
       ) deadlines`,
    );
    const now = this.core.clock.now().getTime();
    // A revoke policy is due when it must be attached (now) or may be removed, but not before its retry time.
    const revocations = await this.core.o.ledger.db.query<{ grant_id: string; remove_after: Date; attached_at: Date | null }>(
      'SELECT grant_id, remove_after, attached_at FROM revocations WHERE removed_at IS NULL',
    );
    const revocationDue = revocations.map((r) => Math.max(
      r.attached_at ? new Date(r.remove_after).getTime() : now,
      this.core.parts.revocation.retryNotBefore(r.grant_id) ?? -Infinity,
    ));
    const follow = await this.core.o.onGrantEnd?.nextDue().catch(() => undefined);
    const times = [row?.next ? new Date(row.next).getTime() : Infinity, follow ? follow.getTime() : Infinity, ...revocationDue, this.notedDuringQuery];
    if (this.core.stopped) return;
    this.arm(Math.min(...times));
  }

  /** A break-glass grant was reviewed: its reminder starts over should the review reopen. */
  reviewed(id: string): void {
    this.lastAlert.delete(id);
  }

  /** Stops the timer and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedAt = Infinity;
    await this.ticking.catch(() => undefined);
  }
}
