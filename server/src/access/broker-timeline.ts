// Reading grants and their history: the grant list, the session commands recorded for a grant, its
// timeline (commands and CloudTrail activity merged), and the audit chain's verification and export.
import type { AuditRecord, ChangeEvent, Grant, GrantState, SessionCommand } from '../model';
import { type ChainHead, type ChainVerdict, parseStoredRow, storedChainVerifier } from './audit-chain';
import { type SignedHead, signHead } from './audit-head';
import { apiEventDigest, checkRows } from './ledger-rows';
import { keyFingerprint } from '../cloud/cloudtrail';
import { AccessError } from './errors';
import { redact } from './redact';
import { acceptCommands } from './session-log';
import { deniedByScope, OUTSIDE_SCOPE } from './scope-denial';
import type { BrokerCore } from './broker-core';
import type { GrantTimeline, Principal, TimelineEntry } from './broker-types';

/** What happened under each grant, from the ledger (and CloudTrail, pulled into it). */
export class GrantHistory {
  constructor(private readonly core: BrokerCore) {}

  async grants(filter: { active?: boolean; all?: boolean; mine?: Principal } = {}): Promise<Grant[]> {
    const states: GrantState[] | undefined = filter.active ? ['active'] : filter.all ? undefined : ['pending', 'approved', 'active'];
    const list = await this.core.o.ledger.listGrants({ states, requester: filter.mine?.arn });
    if (filter.active || filter.all) return list;
    // Ended break-glass grants stay listed while their review is open.
    const open = await this.core.o.ledger.listGrants({ openReview: true, requester: filter.mine?.arn });
    return [...list, ...open.filter((g) => !list.some((x) => x.id === g.id))];
  }

  async recordCommands(p: Principal, id: string, commands: unknown): Promise<number> {
    const g = await this.core.get(id);
    if (g.requester !== p.arn) throw new AccessError('forbidden', `grant ${id} belongs to ${g.requesterName}`);
    const accepted = acceptCommands(g, commands, this.core.clock.now());
    const secrets = this.core.parts.credentials.knownSecrets(id);
    await this.core.o.ledger.transaction(async (tx) => {
      for (const c of accepted) {
        const record: SessionCommand = { ...c, grantId: id, user: g.requesterName, cwd: redact(c.cwd, secrets), command: redact(c.command, secrets) };
        await this.core.o.ledger.addCommand(tx, record);
        await this.core.audit(tx, 'command', p.arn, id, { at: record.at, cwd: record.cwd, command: record.command, exitCode: record.exitCode, source: record.source });
      }
    });
    return accepted.length;
  }

  /** Commands and API events of one grant, merged by time. Pulls new CloudTrail events first. */
  async timeline(p: Principal, id: string): Promise<GrantTimeline> {
    this.core.parts.reads.requireConfigured(p);
    const g = await this.core.get(id);
    if (!this.core.parts.reads.mayRead(p, 'readTimeline', g)) throw new AccessError('forbidden', `only ${g.requesterName} and those the policy lets read timelines (readTimeline) of ${g.role} may read grant ${id}'s log`);
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
      ...(await this.core.o.ledger.listCommands(id)).map((c): TimelineEntry => ({ at: c.at, kind: 'command', command: c })),
      ...(await this.core.o.ledger.listApiEvents(id)).map((e): TimelineEntry => ({ at: e.at, kind: 'api', event: e, ...(deniedByScope(g, e) ? { denied: OUTSIDE_SCOPE } : {}) })),
    ];
    entries.sort((a, b) => a.at.localeCompare(b.at));
    return { grant: g, entries, warnings, reverts: this.core.o.reverts ? await this.core.o.reverts(this.core.o.ledger.db, id) : [] };
  }

  async syncApiEvents(g: Grant): Promise<void> {
    if (!g.activatedAt) return;
    const sessionName = `tidemark-${g.id}`;
    const start = new Date(Date.parse(g.activatedAt) - 300_000);
    const lastCredential = await this.core.o.ledger.latestCredentialExpiry(g.id);
    const end = new Date(Math.min(this.core.clock.now().getTime(), Date.parse(lastCredential ?? g.endsAt ?? g.activatedAt) + 300_000));
    const fingerprints = new Set((await this.core.o.ledger.credentialFingerprints(g.id)).map((f) => f.fingerprint));
    const raw = await this.core.o.cloud.lookupEvents({ sessionName, start, end });
    const mine = raw.filter((e) =>
      (e.principalArn?.endsWith(`/${sessionName}`) ?? false) || (e.accessKeyId !== undefined && fingerprints.has(keyFingerprint(e.accessKeyId))));
    const events: ChangeEvent[] = mine.map((e) => ({
      eventId: e.eventId, at: e.at, eventSource: e.eventSource, eventName: e.eventName, principalArn: e.principalArn,
      sourceIdentity: e.sourceIdentity, sessionName, grantId: g.id, readOnly: e.readOnly, errorCode: e.errorCode, resources: e.resources, parameterNames: e.parameterNames,
      ...(e.userAgent ? { userAgent: e.userAgent } : {}),
    }));
    if (!events.length) return;
    const added = await this.core.o.ledger.transaction(async (tx) => {
      const fresh = await this.core.o.ledger.addApiEvents(tx, g.id, events);
      for (const e of fresh) {
        await this.core.audit(tx, 'api-event', e.principalArn ?? sessionName, g.id, { eventId: e.eventId, at: e.at, eventSource: e.eventSource, eventName: e.eventName, sourceIdentity: e.sourceIdentity, errorCode: e.errorCode, resources: e.resources, bodyDigest: apiEventDigest(e) });
      }
      return fresh;
    });
    // Each refusal by the scope is raised once: the ledger returns only events it did not have.
    for (const e of added.filter((x) => deniedByScope(g, x))) {
      this.core.emit({ type: 'alert', grantId: g.id, message: `${g.requesterName}'s grant ${g.id}: ${e.eventName}${e.resources.length ? ` on ${e.resources.join(', ')}` : ''} ${OUTSIDE_SCOPE} (${e.errorCode})` });
    }
  }

  /**
   * The whole chain, checked against the ledger's head and, when given, a head kept outside the
   * ledger (the broker's own view: clients go through auditVerifyFor).
   */
  async auditVerify(expected?: ChainHead): Promise<ChainVerdict> {
    // Records that cannot be about a grant are not needed below: only the others are parsed.
    const aboutGrants: AuditRecord[] = [];
    const verifier = storedChainVerifier(expected, (row, mayMentionGrant) => { if (mayMentionGrant) aboutGrants.push(parseStoredRow(row)); });
    const { head, rows } = await this.core.o.ledger.readAuditSnapshot((page) => verifier.addAll(page));
    const chain = verifier.verdict(head);
    if (!chain.ok) return chain;
    // The chain holds; now the tables `log` and `grants` read must agree with it.
    const altered = checkRows(aboutGrants, rows);
    if (!altered.length) return chain;
    const first = altered[0];
    const others = altered.length > 1 ? ` (and ${altered.length - 1} more grant(s): ${altered.slice(1).map((a) => a.grantId).join(', ')})` : '';
    return { ok: false, count: chain.count, brokenAt: first.seq ?? chain.count, problem: `${first.problem}${others}`, grants: altered.map((a) => a.grantId) };
  }

  /** The ledger's head, signed with the broker's key (kept outside the ledger) when it has one. */
  async auditHead(): Promise<SignedHead> {
    return signHead(await this.core.o.ledger.readAuditHead(), this.core.clock.now(), this.core.o.audience, this.core.o.auditKey);
  }

  /** Every record (the broker's own view: clients go through auditExportFor). */
  async auditExport(since?: Date) {
    return this.core.o.ledger.readAudit(since);
  }
}
