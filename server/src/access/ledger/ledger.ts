// Typed reads and writes over the ledger tables. Every write that changes a grant also appends its
// audit record and announces the change in the same transaction, so the three never disagree.
import { AuditRecord, ChangeEvent, Grant, GrantScope, GrantState, SessionCommand } from '../../model';
import { ChainHead, seal, UnsealedRecord } from '../audit-chain';
import { canonicalJson } from '../canonical-json';
import { LedgerRows } from '../ledger-rows';
import { Database, GRANT_CHANNEL, SqlExecutor } from './database';
import { migrate } from './migrations';

interface GrantRow {
  id: string;
  requester: string;
  requester_name: string;
  role: string;
  role_arn: string;
  duration_seconds: number;
  reason: string;
  ticket: string | null;
  state: GrantState;
  break_glass: boolean;
  review: Grant['review'] | null;
  decisions: Grant['decisions'];
  requested_at: Date | string;
  pending_expires_at: Date | string | null;
  activated_at: Date | string | null;
  ends_at: Date | string | null;
  ended_at: Date | string | null;
  ended_by: string | null;
  end_reason: string | null;
  extends: string | null;
  version: number;
  scope: GrantScope[] | null;
  session_policy: string | null;
}

const iso = (v: Date | string | null): string | undefined => (v === null ? undefined : new Date(v).toISOString());
const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

function toGrant(r: GrantRow): Grant {
  return {
    id: r.id,
    requester: r.requester,
    requesterName: r.requester_name,
    role: r.role,
    roleArn: r.role_arn,
    durationSeconds: Number(r.duration_seconds),
    reason: r.reason,
    ticket: r.ticket ?? undefined,
    state: r.state,
    breakGlass: r.break_glass,
    review: r.review ?? undefined,
    decisions: r.decisions,
    requestedAt: iso(r.requested_at)!,
    pendingExpiresAt: iso(r.pending_expires_at),
    activatedAt: iso(r.activated_at),
    endsAt: iso(r.ends_at),
    endedAt: iso(r.ended_at),
    endedBy: r.ended_by ?? undefined,
    endReason: r.end_reason ?? undefined,
    extends: r.extends ?? undefined,
    version: Number(r.version),
    ...(r.scope ? { scope: r.scope } : {}),
    ...(r.session_policy !== null ? { sessionPolicy: r.session_policy } : {}),
  };
}

const GRANT_COLUMNS = 'id, requester, requester_name, role, role_arn, duration_seconds, reason, ticket, state, break_glass, review, decisions, requested_at, pending_expires_at, activated_at, ends_at, ended_at, ended_by, end_reason, extends, version, scope, session_policy';

function grantParams(g: Grant): unknown[] {
  return [
    g.id, g.requester, g.requesterName, g.role, g.roleArn, g.durationSeconds, g.reason, orNull(g.ticket), g.state, g.breakGlass,
    g.review ? JSON.stringify(g.review) : null, JSON.stringify(g.decisions), g.requestedAt, orNull(g.pendingExpiresAt), orNull(g.activatedAt),
    orNull(g.endsAt), orNull(g.endedAt), orNull(g.endedBy), orNull(g.endReason), orNull(g.extends), g.version,
    g.scope ? JSON.stringify(g.scope) : null, orNull(g.sessionPolicy),
  ];
}

export interface GrantFilter {
  states?: GrantState[];
  requester?: string;
  /** Break-glass grants whose post-review is still open. */
  openReview?: boolean;
}

export interface Revocation {
  grantId: string;
  role: string;
  policyName: string;
  cutoff: string;
  removeAfter: string;
  attachedAt?: string;
  removedAt?: string;
}

/** Announced on GRANT_CHANNEL; small so it fits NOTIFY's 8000-byte limit. */
export interface GrantNotice {
  id: string;
  state: GrantState;
  version: number;
}

export class Ledger {
  private constructor(readonly db: Database) {}

  static async open(db: Database): Promise<Ledger> {
    await migrate(db);
    return new Ledger(db);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async insertGrant(tx: SqlExecutor, g: Grant): Promise<void> {
    const placeholders = grantParams(g).map((_, i) => `$${i + 1}`).join(', ');
    await tx.query(`INSERT INTO grants (${GRANT_COLUMNS}) VALUES (${placeholders})`, grantParams(g));
    await this.notify(tx, g);
  }

  /** `lock`: hold the row until the transaction ends, so concurrent transitions queue up. */
  async getGrant(tx: SqlExecutor, id: string, lock = false): Promise<Grant | undefined> {
    const rows = await tx.query<GrantRow>(`SELECT ${GRANT_COLUMNS} FROM grants WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toGrant(rows[0]) : undefined;
  }

  /** Optimistic check on top of the row lock: the stored version must be the one we read. */
  async updateGrant(tx: SqlExecutor, g: Grant): Promise<void> {
    const params = grantParams(g);
    const sets = GRANT_COLUMNS.split(', ').slice(1).map((c, i) => `${c} = $${i + 2}`).join(', ');
    const rows = await tx.query(`UPDATE grants SET ${sets} WHERE id = $1 AND version = $${params.length + 1} RETURNING id`, [...params, g.version - 1]);
    if (rows.length !== 1) throw new Error(`grant ${g.id} changed concurrently; retry`);
    await this.notify(tx, g);
  }

  async listGrants(filter: GrantFilter = {}, tx: SqlExecutor = this.db): Promise<Grant[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.states?.length) { params.push(filter.states); where.push(`state = ANY($${params.length})`); }
    if (filter.requester) { params.push(filter.requester); where.push(`requester = $${params.length}`); }
    if (filter.openReview) where.push(`break_glass AND review->>'state' = 'open'`);
    const rows = await tx.query<GrantRow>(`SELECT ${GRANT_COLUMNS} FROM grants${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY requested_at, id`, params);
    return rows.map(toGrant);
  }

  private async notify(tx: SqlExecutor, g: Grant): Promise<void> {
    const notice: GrantNotice = { id: g.id, state: g.state, version: g.version };
    await tx.query('SELECT pg_notify($1, $2)', [GRANT_CHANNEL, JSON.stringify(notice)]);
  }

  /** Appends to the hash chain; the head row lock serialises appenders across connections. */
  async appendAudit(tx: SqlExecutor, record: UnsealedRecord): Promise<AuditRecord> {
    const [head] = await tx.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE');
    const sealed = seal(record, Number(head.seq) + 1, head.hash);
    const { seq, prevHash, hash, ...body } = sealed;
    await tx.query('INSERT INTO audit (seq, at, kind, grant_id, body, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      seq, sealed.at, sealed.kind, orNull(sealed.grantId), canonicalJson(body), prevHash, hash,
    ]);
    await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [seq, hash]);
    return sealed;
  }

  /** The head the ledger keeps beside the records: how many there are and the last one's hash. */
  async readAuditHead(tx: SqlExecutor = this.db): Promise<ChainHead> {
    const [head] = await tx.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
    return { count: Number(head.seq), hash: head.hash };
  }

  /**
   * Every record, the stored head and the rows `log`/`grants` show, from one snapshot, so writes
   * running meanwhile never look like tampering.
   */
  async readAuditSnapshot(): Promise<{ records: AuditRecord[]; head: ChainHead; rows: LedgerRows }> {
    return this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const head = await this.readAuditHead(tx);
      const records = await this.readAudit(undefined, tx);
      const grants = await this.listGrants({}, tx);
      const commands = await this.listCommands(undefined, tx);
      const events = await tx.query<{ grant_id: string; body: string }>('SELECT grant_id, body FROM api_events');
      return { head, records, rows: { grants, commands, apiEvents: events.map((e) => ({ grantId: e.grant_id, event: JSON.parse(e.body) as ChangeEvent })) } };
    });
  }

  /** Records in chain order; the body is parsed back exactly as stored so tampering shows. */
  async readAudit(since?: Date, tx: SqlExecutor = this.db): Promise<AuditRecord[]> {
    const rows = await tx.query<{ seq: string | number; body: string; prev_hash: string; hash: string }>(
      since ? 'SELECT seq, body, prev_hash, hash FROM audit WHERE at >= $1 ORDER BY seq' : 'SELECT seq, body, prev_hash, hash FROM audit ORDER BY seq',
      since ? [since.toISOString()] : [],
    );
    return rows.map((r) => {
      let body: Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>;
      try {
        body = JSON.parse(r.body);
      } catch {
        body = { at: '', kind: 'request', actor: '', data: { unreadable: r.body } };
      }
      return { ...body, seq: Number(r.seq), prevHash: r.prev_hash, hash: r.hash };
    });
  }

  async addCommand(tx: SqlExecutor, c: SessionCommand): Promise<void> {
    await tx.query('INSERT INTO session_commands (grant_id, at, username, cwd, command, exit_code, source) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      c.grantId, c.at, c.user, c.cwd, c.command, c.exitCode, c.source,
    ]);
  }

  /** One grant's commands, or every grant's (undefined). */
  async listCommands(grantId: string | undefined, tx: SqlExecutor = this.db): Promise<SessionCommand[]> {
    const rows = await tx.query<{ grant_id: string; at: Date; username: string; cwd: string; command: string; exit_code: number | null; source: SessionCommand['source'] }>(
      `SELECT grant_id, at, username, cwd, command, exit_code, source FROM session_commands${grantId === undefined ? '' : ' WHERE grant_id = $1'} ORDER BY at, id`,
      grantId === undefined ? [] : [grantId],
    );
    return rows.map((r) => ({ grantId: r.grant_id, at: iso(r.at)!, user: r.username, cwd: r.cwd, command: r.command, exitCode: r.exit_code, source: r.source }));
  }

  /** Stores events not seen before; returns the new ones (so each is audited once). */
  async addApiEvents(tx: SqlExecutor, grantId: string, events: ChangeEvent[]): Promise<ChangeEvent[]> {
    const added: ChangeEvent[] = [];
    for (const e of events) {
      const rows = await tx.query('INSERT INTO api_events (grant_id, event_id, at, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING event_id', [
        grantId, e.eventId, e.at, canonicalJson(e),
      ]);
      if (rows.length) added.push(e);
    }
    return added;
  }

  async listApiEvents(grantId: string): Promise<ChangeEvent[]> {
    const rows = await this.db.query<{ body: string }>('SELECT body FROM api_events WHERE grant_id = $1 ORDER BY at, event_id', [grantId]);
    return rows.map((r) => JSON.parse(r.body) as ChangeEvent);
  }

  async recordCredentialIssue(tx: SqlExecutor, grantId: string, issuedAt: string, expiresAt: string, keyFingerprint: string): Promise<void> {
    await tx.query('INSERT INTO credential_issues (grant_id, issued_at, expires_at, key_fingerprint) VALUES ($1, $2, $3, $4)', [grantId, issuedAt, expiresAt, keyFingerprint]);
  }

  async credentialFingerprints(grantId: string): Promise<Array<{ fingerprint: string; expiresAt: string }>> {
    const rows = await this.db.query<{ key_fingerprint: string; expires_at: Date }>('SELECT key_fingerprint, expires_at FROM credential_issues WHERE grant_id = $1', [grantId]);
    return rows.map((r) => ({ fingerprint: r.key_fingerprint, expiresAt: iso(r.expires_at)! }));
  }

  async latestCredentialExpiry(grantId: string, tx: SqlExecutor = this.db): Promise<string | undefined> {
    const [row] = await tx.query<{ latest: Date | null }>('SELECT max(expires_at) AS latest FROM credential_issues WHERE grant_id = $1', [grantId]);
    return row?.latest ? iso(row.latest) : undefined;
  }

  async saveRevocation(tx: SqlExecutor, r: Revocation): Promise<void> {
    await tx.query(
      `INSERT INTO revocations (grant_id, role, policy_name, cutoff, remove_after, attached_at, removed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (grant_id) DO UPDATE SET attached_at = EXCLUDED.attached_at, removed_at = EXCLUDED.removed_at`,
      [r.grantId, r.role, r.policyName, r.cutoff, r.removeAfter, orNull(r.attachedAt), orNull(r.removedAt)],
    );
  }

  /** Revocations whose deny is not attached yet, or whose deny may now be removed. */
  async pendingRevocations(now: Date): Promise<Revocation[]> {
    const rows = await this.db.query<{ grant_id: string; role: string; policy_name: string; cutoff: Date; remove_after: Date; attached_at: Date | null; removed_at: Date | null }>(
      'SELECT * FROM revocations WHERE attached_at IS NULL OR (removed_at IS NULL AND remove_after <= $1) ORDER BY cutoff', [now.toISOString()],
    );
    return rows.map((r) => ({
      grantId: r.grant_id, role: r.role, policyName: r.policy_name, cutoff: iso(r.cutoff)!, removeAfter: iso(r.remove_after)!,
      attachedAt: iso(r.attached_at), removedAt: iso(r.removed_at),
    }));
  }

  async nextRevocationRemoval(): Promise<Date | undefined> {
    const [row] = await this.db.query<{ next: Date | null }>('SELECT min(remove_after) AS next FROM revocations WHERE removed_at IS NULL');
    return row?.next ? new Date(row.next) : undefined;
  }

  /** True the first time a nonce is seen; a replayed proof returns false. */
  async useNonce(nonce: string, expiresAt: Date, now: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM proof_nonces WHERE expires_at < $1', [now.toISOString()]);
      const rows = await tx.query('INSERT INTO proof_nonces (nonce, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING nonce', [nonce, expiresAt.toISOString()]);
      return rows.length === 1;
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
