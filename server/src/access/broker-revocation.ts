// Ending access: credentials handed out cannot be recalled, so an ended grant whose tokens outlive it
// gets a journaled deny on its role (attached now, removed once the tokens expire), retried with the
// shared backoff while the cloud refuses; then the follow-up (auto-revert) runs.
import type { Grant } from '../model';
import type { SqlExecutor } from './ledger/database';
import { backoffDelay, type BackoffPolicy } from '../backoff';
import { redact } from './redact';
import { grantSessionName, revokeCutoff, revokePolicyDocument, revokePolicyName, roleNameFromArn } from './revoke-policy';
import type { BrokerCore } from './broker-core';

const DEFAULT_RETRY: BackoffPolicy = { baseMs: 2_000, capMs: 300_000 };

/** Makes an ended grant's outstanding credentials useless, and runs what follows an end. */
export class Revocations {
  /** Revoke policies whose last cloud call failed: how often, and not to be tried again before when. */
  private readonly revocationRetries = new Map<string, { attempts: number; notBefore: number }>();

  constructor(private readonly core: BrokerCore) {}

  /** Journals the scoped deny when credentials issued for the grant could outlive it. */
  async scheduleRevocation(tx: SqlExecutor, g: Grant): Promise<void> {
    this.core.parts.credentials.forget(g.id);
    const latest = await this.core.o.ledger.latestCredentialExpiry(g.id, tx);
    const endedAt = new Date(g.endedAt ?? this.core.clock.now().toISOString());
    if (!latest || Date.parse(latest) <= endedAt.getTime()) return;
    await this.core.o.ledger.saveRevocation(tx, {
      grantId: g.id,
      role: roleNameFromArn(g.roleArn),
      policyName: revokePolicyName(g.id),
      cutoff: revokeCutoff(endedAt).toISOString(),
      // Once every token issued before the cutoff has expired, the deny has nothing left to stop.
      removeAfter: new Date(Date.parse(latest) + 60_000).toISOString(),
    });
  }

  async afterEnd(): Promise<void> {
    await this.applyRevocations();
    await this.core.parts.deadlines.scheduleNext();
    // The follow-up (revert) may take many AWS calls: it runs on the tick, not in the caller's request.
    if (this.core.o.onGrantEnd) void this.core.parts.deadlines.tick();
  }

  async runGrantEnd(): Promise<void> {
    const handler = this.core.o.onGrantEnd;
    if (!handler) return;
    try {
      await handler.run({
        alert: (grantId, message) => this.core.emit({ type: 'alert', grantId, message }),
        syncApiEvents: (g) => this.core.parts.timeline.syncApiEvents(g),
        stopping: () => this.core.stopped,
      });
    } catch (error) {
      this.core.log(`grant-end follow-up failed (retried on the next tick): ${redact((error as Error).message)}`);
    }
  }

  /**
   * Attaches journaled denies and removes the ones no longer needed. A failed call is retried with
   * capped, jittered exponential backoff (the cloud may be gone for an hour); its alert is raised
   * once and then summarised.
   */
  async applyRevocations(): Promise<void> {
    const now = this.core.clock.now();
    for (const r of await this.core.o.ledger.pendingRevocations(now)) {
      const waiting = this.revocationRetries.get(r.grantId);
      if (waiting && waiting.notBefore > now.getTime()) continue;
      const g = await this.core.o.ledger.getGrant(this.core.o.ledger.db, r.grantId);
      if (!g) continue;
      const key = `revoke-policy:${r.grantId}`;
      try {
        if (!r.attachedAt) {
          await this.core.o.cloud.putRolePolicy(r.role, r.policyName, revokePolicyDocument(g.id, new Date(r.cutoff)));
          await this.core.o.ledger.transaction(async (tx) => {
            await this.core.o.ledger.saveRevocation(tx, { ...r, attachedAt: this.core.clock.now().toISOString() });
            await this.core.audit(tx, 'revoke-policy', 'tidemark', r.grantId, { action: 'attached', role: r.role, policy: r.policyName, sessionName: grantSessionName(g.id), tokensIssuedBefore: r.cutoff });
          });
        } else if (Date.parse(r.removeAfter) <= now.getTime()) {
          await this.core.o.cloud.deleteRolePolicy(r.role, r.policyName);
          await this.core.o.ledger.transaction(async (tx) => {
            await this.core.o.ledger.saveRevocation(tx, { ...r, removedAt: this.core.clock.now().toISOString() });
            await this.core.audit(tx, 'revoke-policy', 'tidemark', r.grantId, { action: 'removed', role: r.role, policy: r.policyName });
          });
        }
        this.revocationRetries.delete(r.grantId);
        this.core.resolveRepeating(key, r.grantId, `revoke policy ${r.policyName} ${r.attachedAt ? 'removed' : 'attached'}`);
      } catch (error) {
        const attempts = (waiting?.attempts ?? 0) + 1;
        const delay = backoffDelay(attempts, this.core.o.retry ?? DEFAULT_RETRY, this.core.o.random);
        this.revocationRetries.set(r.grantId, { attempts, notBefore: this.core.clock.now().getTime() + delay });
        const what = `revoke policy ${r.policyName} not ${r.attachedAt ? 'removed' : 'applied'} yet: ${redact((error as Error).message)}`;
        this.core.log(`grant ${r.grantId}: ${what} (attempt ${attempts}, next in ${Math.round(delay / 1000)} s)`);
        this.core.alertRepeating(key, r.grantId, `grant ${r.grantId}: ${what}`);
      }
    }
  }

  /** When a revoke policy whose cloud call failed may be tried again (undefined: no failure). */
  retryNotBefore(grantId: string): number | undefined {
    return this.revocationRetries.get(grantId)?.notBefore;
  }
}
