// The broker's front door: turns an identity proof into a Principal, and audits refusals without
// letting a flood of bad requests flood the audit log (per source and minute, a few records at most).
import { REFUSAL_WINDOW_SECONDS } from './refusal-limit';
import type { IdentityProof } from './cloud';
import { userForArn } from './config';
import { AccessError } from './errors';
import { IdentityRefused, verifyIdentityProof } from './identity';
import type { BrokerCore } from './broker-core';
import type { Principal } from './broker-types';

/** Distinct refusal reasons per source and minute that get a record of their own. */
const DISTINCT_REFUSALS_RECORDED = 5;

/** Proves who is asking; records who was refused. */
export class Authenticator {
  /** Refused authentications per source in the current minute, after the first (which is recorded at once). */
  private readonly refusals = new Map<string, { from: string; to: string; count: number; reasons: Record<string, number>; recorded: string[] }>();

  constructor(private readonly core: BrokerCore) {}

  async authenticate(proof: IdentityProof | unknown, remote = 'unknown'): Promise<Principal> {
    const now = this.core.clock.now();
    const verify = (at: Date) => verifyIdentityProof(proof, {
      audience: this.core.o.audience,
      cloud: this.core.o.cloud,
      now: at,
      useNonce: (nonce, expiresAt) => this.core.o.ledger.useNonce(nonce, expiresAt, now),
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
      return userForArn(this.core.o.policy.current().config, arn);
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
    const now = this.core.clock.now();
    const open = this.refusals.get(remote);
    if (open && now.getTime() - Date.parse(open.from) < REFUSAL_WINDOW_SECONDS * 1000) {
      // A new reason is worth its own record, a few times a minute at most.
      if (!open.recorded.includes(reason) && open.recorded.length < DISTINCT_REFUSALS_RECORDED) {
        open.recorded.push(reason);
        await this.core.o.ledger.transaction((tx) => this.core.audit(tx, 'auth-failure', 'anonymous', undefined, { reason, remote }));
        return;
      }
      open.count++;
      open.to = now.toISOString();
      open.reasons[reason] = (open.reasons[reason] ?? 0) + 1;
      return;
    }
    if (open) await this.flushRefusals(remote);
    this.refusals.set(remote, { from: now.toISOString(), to: now.toISOString(), count: 0, reasons: {}, recorded: [reason] });
    this.core.scheduler.at(new Date(now.getTime() + REFUSAL_WINDOW_SECONDS * 1000), () => void (this.core.stopped ? undefined : this.flushRefusals().catch((error) => this.core.log(`refusal summary not recorded: ${(error as Error).message}`))));
    await this.core.o.ledger.transaction((tx) => this.core.audit(tx, 'auth-failure', 'anonymous', undefined, { reason, remote }));
  }

  /** Records the refusals counted since each source's first one: those of `only`, or every window that ended. */
  async flushRefusals(only?: string, all = false): Promise<void> {
    const now = this.core.clock.now().getTime();
    for (const [remote, w] of [...this.refusals]) {
      if (only !== undefined ? remote !== only : !all && now - Date.parse(w.from) < REFUSAL_WINDOW_SECONDS * 1000) continue;
      this.refusals.delete(remote);
      if (!w.count) continue;
      await this.core.o.ledger.transaction((tx) => this.core.audit(tx, 'auth-failure', 'anonymous', undefined, { remote, count: w.count, reasons: w.reasons, from: w.from, to: w.to, summary: 'refusals after the first in this minute' }));
    }
  }
}
