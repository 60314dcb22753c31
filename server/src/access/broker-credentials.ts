// Credentials: the role session an approved grant activates with, and the requester's refreshed
// credentials while it lives. Credentials stay in memory only; the ledger keeps a key fingerprint.
import type { Grant } from '../model';
import { grantDigest } from './ledger-rows';
import { keyFingerprint } from '../cloud/cloudtrail';
import { type AccessCredentials, CloudError } from './cloud';
import type { RoleEntry } from './config';
import { AccessError } from './errors';
import type { SqlExecutor } from './ledger/database';
import { type CredentialIssue, type GrantWrite, Ledger } from './ledger/ledger';
import { transition } from './lifecycle';
import { redact } from './redact';
import { grantSessionName } from './revoke-policy';
import type { BrokerCore } from './broker-core';
import type { Principal } from './broker-types';

/** STS refuses sessions shorter than 15 minutes. */
const STS_MIN_SECONDS = 900;
/** Cached credentials are replaced when they have less than this left (and the grant has more). */
const REFRESH_MARGIN_SECONDS = 300;

/** Issues and caches a grant's STS credentials. */
export class CredentialIssuer {
  private readonly credentials = new Map<string, AccessCredentials>();
  private readonly activating = new Map<string, Promise<Grant | undefined>>();
  /** Why the last activation attempt of an approved grant failed (told to whoever asks for its credentials). */
  private readonly activationErrors = new Map<string, string>();

  constructor(private readonly core: BrokerCore) {}

  /**
   * Issues the first credentials and marks the grant active; returns the grant as stored when this
   * call activated it. Safe to call twice: one wins. `known`: the grant as this process just wrote
   * or read it, so it need not be read again (a stale one only costs a read under the row lock).
   */
  async activate(id: string, known?: Grant): Promise<Grant | undefined> {
    const running = this.activating.get(id);
    if (running) return running;
    const work = this.doActivate(id, known).finally(() => this.activating.delete(id));
    this.activating.set(id, work);
    return work;
  }

  private async doActivate(id: string, known: Grant | undefined): Promise<Grant | undefined> {
    const g = known?.id === id && known.state === 'approved' ? known : await this.core.o.ledger.getGrant(this.core.o.ledger.db, id);
    if (!g || g.state !== 'approved' || this.core.stopped) return undefined;
    const role = this.core.role(g.role);
    let creds: AccessCredentials;
    try {
      creds = await this.core.o.cloud.assumeRole(this.assumeInput(g, role, g.durationSeconds));
    } catch (error) {
      if (this.core.stopped) return;
      const message = error instanceof CloudError ? error.message : String(error);
      this.core.log(`grant ${id}: activation failed, will retry: ${redact(message)}`);
      this.activationErrors.set(id, redact(message));
      this.core.alertRepeating(`activate:${id}`, id, `grant ${id} is approved but the broker cannot issue its credentials: ${redact(message)}`);
      await this.core.o.ledger.transaction((tx) => this.core.audit(tx, 'activate', 'tidemark', id, { outcome: 'failed', error: redact(message) }));
      return undefined;
    }
    // Stopped meanwhile: the next broker to start finishes this activation from the ledger.
    if (this.core.stopped) return undefined;
    const now = this.core.clock.now();
    const activation = (next: Grant) => ({
      grant: next,
      issue: { grantId: id, issuedAt: now.toISOString(), expiresAt: creds.expiration, keyFingerprint: keyFingerprint(creds.accessKeyId) },
      audits: [
        this.core.auditRecord('activate', 'tidemark', id, { from: 'approved', to: 'active', endsAt: next.endsAt, breakGlass: next.breakGlass, grantDigest: grantDigest(next) }),
        this.issueRecord(next, creds),
      ],
    });
    const first = transition(g, { type: 'activate' }, now);
    const stored = await this.core.writing(id, async () => {
      const activated = await this.writeActivation(id, first, g.version, activation, now);
      if (!activated) return undefined;
      this.credentials.set(id, creds);
      const stored = Ledger.stored(activated);
      this.core.announce(stored);
      return stored;
    });
    this.activationErrors.delete(id);
    this.core.resolveRepeating(`activate:${id}`, id, `grant ${id}: credentials issued`);
    if (!stored) {
      await this.core.parts.deadlines.scheduleNext();
      return undefined;
    }
    await this.core.parts.deadlines.noteGrant(stored);
    return stored;
  }

  /** The activation in one statement over the version read; if anything changed it since, under the row lock. */
  private async writeActivation(id: string, first: Grant, readVersion: number, activation: (next: Grant) => GrantWrite & { issue: CredentialIssue }, now: Date): Promise<Grant | undefined> {
    if (await this.core.o.ledger.writeGrant({ ...activation(first), priorVersion: readVersion })) return first;
    return this.core.o.ledger.transaction(async (tx) => {
      const locked = await this.core.o.ledger.getGrant(tx, id, true);
      // A revoke (or another broker's activation) got there first: these credentials are never handed out.
      if (!locked || locked.state !== 'approved') {
        await this.core.audit(tx, 'credentials', 'tidemark', id, { outcome: 'discarded', reason: `grant is ${locked?.state ?? 'gone'}` });
        return undefined;
      }
      const next = transition(locked, { type: 'activate' }, now);
      const { issue, audits } = activation(next);
      await this.core.o.ledger.updateGrant(tx, next);
      // Rows first, audit records last: the first append holds the chain's lock until the commit.
      await this.core.o.ledger.recordCredentialIssue(tx, issue.grantId, issue.issuedAt, issue.expiresAt, issue.keyFingerprint);
      for (const record of audits) await this.core.o.ledger.appendAudit(tx, record);
      return next;
    });
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

  private async recordIssue(tx: SqlExecutor, g: Grant, creds: AccessCredentials): Promise<void> {
    await this.recordIssueRow(tx, g, creds);
    await this.auditIssue(tx, g, creds);
  }

  private async recordIssueRow(tx: SqlExecutor, g: Grant, creds: AccessCredentials): Promise<void> {
    await this.core.o.ledger.recordCredentialIssue(tx, g.id, this.core.clock.now().toISOString(), creds.expiration, keyFingerprint(creds.accessKeyId));
  }

  private async auditIssue(tx: SqlExecutor, g: Grant, creds: AccessCredentials): Promise<void> {
    await this.core.o.ledger.appendAudit(tx, this.issueRecord(g, creds));
  }

  private issueRecord(g: Grant, creds: AccessCredentials) {
    return this.core.auditRecord('credentials', 'tidemark', g.id, { outcome: 'issued', to: g.requester, expiresAt: creds.expiration, sessionName: `tidemark-${g.id}`, sourceIdentity: g.requesterName });
  }

  /** The requester's current credentials; refreshed while the grant lives. Never stored. */
  async getCredentials(p: Principal, id: string): Promise<AccessCredentials> {
    const g = await this.core.get(id);
    if (g.requester !== p.arn) throw new AccessError('forbidden', `grant ${id} belongs to ${g.requesterName}; credentials go only to the requester`);
    if (g.state === 'approved') await this.activate(id);
    const current = await this.core.get(id);
    const failed = current.state === 'approved' ? this.activationErrors.get(id) : undefined;
    if (failed) throw new AccessError('unavailable', `grant ${id} is approved, but the broker cannot issue its credentials: ${failed}`);
    if (current.state !== 'active' || !current.endsAt) throw new AccessError('conflict', `grant ${id} is ${current.state}; no credentials`);
    const now = this.core.clock.now().getTime();
    const endsAt = Date.parse(current.endsAt);
    const cached = this.credentials.get(id);
    if (cached) {
      const left = Date.parse(cached.expiration) - now;
      if (left > REFRESH_MARGIN_SECONDS * 1000 || Date.parse(cached.expiration) >= endsAt) return cached;
    }
    const role = this.core.role(current.role);
    let creds: AccessCredentials;
    try {
      creds = await this.core.o.cloud.assumeRole(this.assumeInput(current, role, (endsAt - now) / 1000));
    } catch (error) {
      throw new AccessError('unavailable', `grant ${id}: cannot issue credentials: ${redact(error instanceof Error ? error.message : String(error))}`);
    }
    const still = await this.core.o.ledger.transaction(async (tx) => {
      const locked = await this.core.o.ledger.getGrant(tx, id, true);
      if (locked?.state !== 'active') return false;
      await this.recordIssue(tx, locked, creds);
      return true;
    });
    if (!still) throw new AccessError('conflict', `grant ${id} ended while its credentials were being issued`);
    this.credentials.set(id, creds);
    return creds;
  }

  /** Secrets to scrub from anything recorded under this grant. */
  knownSecrets(id: string): string[] {
    const c = this.credentials.get(id);
    return c ? [c.accessKeyId, c.secretAccessKey, c.sessionToken] : [];
  }

  /** Drops the cached credentials of a grant that ended. */
  forget(id: string): void {
    this.credentials.delete(id);
  }

  /** Drops every cached credential (the broker is stopping). */
  clear(): void {
    this.credentials.clear();
  }
}
