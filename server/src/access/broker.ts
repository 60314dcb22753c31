// The broker owns grants: it asks the policy, applies lifecycle transitions in row-locked
// transactions (with their audit records), issues and ends credentials, and applies deadlines.
// Every entry point takes a Principal that authenticate() proved; nothing here trusts a name.
// This class is the broker's public API and its lifecycle (start, stop, events); each job lives in
// a part of its own (broker-identity, -requests, -credentials, -revocation, -deadlines, -timeline,
// -reads) sharing one BrokerCore.
import type { Grant } from '../model';
import { BrokerCore, BrokerParts } from './broker-core';
import { CredentialIssuer } from './broker-credentials';
import { Deadlines } from './broker-deadlines';
import { Authenticator } from './broker-identity';
import { GrantRequests } from './broker-requests';
import { ReadPolicy } from './broker-reads';
import { Revocations } from './broker-revocation';
import { GrantHistory } from './broker-timeline';
import type { BrokerEvent, BrokerOptions, GrantRequestInput, GrantTimeline, Principal } from './broker-types';
import type { ChainHead, ChainVerdict } from './audit-chain';
import type { SignedHead } from './audit-head';
import type { AccessCredentials, IdentityProof } from './cloud';
import { GRANT_CHANNEL } from './ledger/database';
import type { GrantNotice } from './ledger/ledger';
import { watchStatus, type SequencedAlert, type WatchStatus } from './ledger/watch-ledger';
import { WatchAlertFeed } from './watch-alert-feed';

export type { BrokerEvent, BrokerOptions, GrantEndContext, GrantEndHandler, GrantRequestInput, GrantTimeline, Principal, TimelineEntry } from './broker-types';
export type { CommandInput } from './session-log';
export { newGrantId } from './broker-requests';

export class Broker {
  private readonly core: BrokerCore;
  private readonly parts: BrokerParts;
  private readonly listeners = new Set<(e: BrokerEvent) => void>();
  private notices: Promise<void> = Promise.resolve();
  /** Per grant, the version last emitted from a notice (see onNotice). */
  private readonly emittedVersion = new Map<string, number>();
  private unlisten: (() => Promise<void>) | undefined;
  /** The team watch's alerts, relayed from the ledger whichever process leads the watch. */
  private readonly watchAlerts: WatchAlertFeed;

  constructor(o: BrokerOptions) {
    this.core = new BrokerCore(o, (e) => this.emit(e), (g) => this.announce(g));
    this.watchAlerts = new WatchAlertFeed(o.ledger.db, (seq, alert) => this.emit({ type: 'watch-alert', seq, alert }), (line) => this.core.log(line));
    this.parts = {
      identity: new Authenticator(this.core),
      requests: new GrantRequests(this.core),
      credentials: new CredentialIssuer(this.core),
      revocation: new Revocations(this.core),
      deadlines: new Deadlines(this.core),
      timeline: new GrantHistory(this.core),
      reads: new ReadPolicy(this.core),
    };
    this.core.parts = this.parts;
  }

  get audience(): string {
    return this.core.o.audience;
  }

  get stsEndpoint(): string {
    return this.core.o.cloud.stsEndpoint;
  }

  // -- lifecycle --------------------------------------------------------------------------------

  /** Recovery: applies deadlines that passed while no broker ran, finishes activations, re-attaches denies. */
  async start(): Promise<void> {
    this.unlisten = await this.core.o.ledger.db.listen(GRANT_CHANNEL, (payload) => void this.onNotice(payload));
    await this.watchAlerts.start();
    await this.tick();
  }

  async stop(): Promise<void> {
    this.core.stopped = true;
    await this.parts.deadlines.stop();
    await this.flushRefusals(undefined, true).catch((error) => this.core.log(`refusal summary not recorded: ${(error as Error).message}`));
    // Activations in flight are not awaited (STS may hang); they notice `stopped` and discard.
    await this.unlisten?.();
    await this.watchAlerts.stop();
    this.parts.credentials.clear();
  }

  /** The newest watch alert's sequence number: where a stream that has seen nothing yet starts. */
  watchAlertCursor(): Promise<number> {
    return this.watchAlerts.cursor();
  }

  /** The team watch's roots and ignored-event counts, from the ledger (whichever process leads). */
  watchStatus(): Promise<WatchStatus> {
    return watchStatus(this.core.o.ledger.db);
  }

  /** The watch alerts a stream that saw up to `seq` missed, oldest first (redacted). */
  watchAlertsAfter(seq: number): Promise<SequencedAlert[]> {
    return this.watchAlerts.after(seq);
  }

  subscribe(listener: (e: BrokerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: BrokerEvent): void {
    for (const l of this.listeners) {
      try { l(e); } catch (error) { this.core.log(`listener failed: ${(error as Error).message}`); }
    }
  }

  /**
   * Notices are handled one at a time, in arrival order: each reads the grant as it is now, so two
   * reads racing could otherwise emit `active` and then the older `approved`. A read that is not
   * newer than what was already emitted is dropped; the stream may skip a state but never regress.
   */
  private onNotice(payload: string): Promise<void> {
    this.notices = this.notices.then(() => this.handleNotice(payload));
    return this.notices;
  }

  private async handleNotice(payload: string): Promise<void> {
    try {
      const notice = JSON.parse(payload) as GrantNotice;
      await this.core.written(notice.id);
      // This process wrote that version (or a later one) and announced it already: nothing to read.
      if (notice.version <= (this.emittedVersion.get(notice.id) ?? -1)) return;
      const grant = await this.core.o.ledger.getGrant(this.core.o.ledger.db, notice.id);
      if (!grant) return;
      this.announce(grant);
      // Another team broker may have added a deadline (or ended a grant, which may bring revocations).
      await this.parts.deadlines.noteGrant(grant);
    } catch (error) {
      this.core.log(`grant notice ignored: ${(error as Error).message}`);
    }
  }

  /** Emits a grant's state unless a version as new was emitted already: the stream never goes back. */
  private announce(grant: Grant): void {
    if (grant.version <= (this.emittedVersion.get(grant.id) ?? -1)) return;
    this.emittedVersion.set(grant.id, grant.version);
    this.emit({ type: 'grant', grant });
  }

  // -- identity -------------------------------------------------------------------------------

  authenticate(proof: IdentityProof | unknown, remote = 'unknown'): Promise<Principal> {
    return this.parts.identity.authenticate(proof, remote);
  }

  /**
   * Audits a refused request (bad proof or bad broker token). Per source and minute, the first
   * refusal for each of up to DISTINCT_REFUSALS_RECORDED reasons is recorded at once and the rest as
   * one record with a count, so a flood of bad requests adds at most a handful of records per
   * source and minute.
   */
  refuseAuthentication(reason: string, remote: string): Promise<void> {
    return this.parts.identity.refuseAuthentication(reason, remote);
  }

  /** Records the refusals counted since each source's first one: those of `only`, or every window that ended. */
  flushRefusals(only?: string, all = false): Promise<void> {
    return this.parts.identity.flushRefusals(only, all);
  }

  // -- requests and decisions -----------------------------------------------------------------

  request(p: Principal, input: GrantRequestInput): Promise<Grant> {
    return this.parts.requests.request(p, input);
  }

  approve(p: Principal, id: string, comment?: string): Promise<Grant> {
    return this.parts.requests.approve(p, id, comment);
  }

  deny(p: Principal, id: string, comment?: string): Promise<Grant> {
    return this.parts.requests.deny(p, id, comment);
  }

  revoke(p: Principal, id: string, reason?: string): Promise<Grant> {
    return this.parts.requests.revoke(p, id, reason);
  }

  release(p: Principal, id: string): Promise<Grant> {
    return this.parts.requests.release(p, id);
  }

  review(p: Principal, id: string, note?: string): Promise<Grant> {
    return this.parts.requests.review(p, id, note);
  }

  // -- credentials ----------------------------------------------------------------------------

  /** Issues the first credentials and marks the grant active. Safe to call twice: one wins. */
  async activate(id: string): Promise<void> {
    await this.parts.credentials.activate(id);
  }

  /** The requester's current credentials; refreshed while the grant lives. Never stored. */
  getCredentials(p: Principal, id: string): Promise<AccessCredentials> {
    return this.parts.credentials.getCredentials(p, id);
  }

  // -- deadlines ------------------------------------------------------------------------------

  /** Applies everything due now. Serialised: concurrent calls queue behind each other. */
  tick(): Promise<void> {
    return this.parts.deadlines.tick();
  }

  // -- reading --------------------------------------------------------------------------------

  get(id: string): Promise<Grant> {
    return this.core.get(id);
  }

  grants(filter: { active?: boolean; all?: boolean; mine?: Principal } = {}): Promise<Grant[]> {
    return this.parts.timeline.grants(filter);
  }

  recordCommands(p: Principal, id: string, commands: unknown): Promise<number> {
    return this.parts.timeline.recordCommands(p, id, commands);
  }

  /** Commands and API events of one grant, merged by time. Pulls new CloudTrail events first. */
  timeline(p: Principal, id: string): Promise<GrantTimeline> {
    return this.parts.timeline.timeline(p, id);
  }

  /**
   * The whole chain, checked against the ledger's head and, when given, a head kept outside the
   * ledger (the broker's own view: clients go through auditVerifyFor).
   */
  auditVerify(expected?: ChainHead): Promise<ChainVerdict> {
    return this.parts.timeline.auditVerify(expected);
  }

  /** The ledger's head, signed with the broker's key (kept outside the ledger) when it has one. */
  auditHead(): Promise<SignedHead> {
    return this.parts.timeline.auditHead();
  }

  /** Every record (the broker's own view: clients go through auditExportFor). */
  auditExport(since?: Date) {
    return this.parts.timeline.auditExport(since);
  }

  // -- reads on behalf of a principal: every one is decided by the policy ---------------------

  /** Whether the proven ARN is a person in config.yaml. Anyone else may only ask who they are. */
  isConfigured(p: Principal): boolean {
    return this.parts.reads.isConfigured(p);
  }

  requireConfigured(p: Principal): void {
    return this.parts.reads.requireConfigured(p);
  }

  /** The grants `p` may see: their own, and others' on roles the policy lets them list. */
  grantsFor(p: Principal, filter: { active?: boolean; all?: boolean; mine?: boolean } = {}): Promise<Grant[]> {
    return this.parts.reads.grantsFor(p, filter);
  }

  grantFor(p: Principal, id: string): Promise<Grant> {
    return this.parts.reads.grantFor(p, id);
  }

  auditVerifyFor(p: Principal, expected?: ChainHead): Promise<ChainVerdict> {
    return this.parts.reads.auditVerifyFor(p, expected);
  }

  auditHeadFor(p: Principal): Promise<SignedHead> {
    return this.parts.reads.auditHeadFor(p);
  }

  auditExportFor(p: Principal, since?: Date) {
    return this.parts.reads.auditExportFor(p, since);
  }

  /** Whether a pushed event may go to `p`: the same rule as listing the grant it is about. */
  mayReceive(p: Principal, e: BrokerEvent): Promise<boolean> {
    return this.parts.reads.mayReceive(p, e);
  }
}
