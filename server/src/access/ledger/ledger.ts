// Typed reads and writes over the ledger tables. Every write that changes a grant also appends its
// audit record and announces the change in the same transaction, so the three never disagree.
import { createHash } from 'node:crypto';
import { AuditRecord, ChangeEvent, Grant, GrantScope, GrantState, SessionCommand } from '../../model';
import { ChainHead, parseStoredRow, seal, sealParts, StoredAuditRow, UnsealedRecord } from '../audit-chain';
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

/** The grant as one JSON object keyed by column, for jsonb_populate_record (jsonb columns as JSON, not text). */
const JSONB_COLUMNS: ReadonlySet<string> = new Set(['review', 'decisions', 'scope']);
function grantJson(g: Grant): string {
  const params = grantParams(g);
  const members = GRANT_COLUMNS.split(', ').map((c, i) => `"${c}":${JSONB_COLUMNS.has(c) && params[i] !== null ? String(params[i]) : JSON.stringify(params[i])}`);
  return `{${members.join(',')}}`;
}

export interface CredentialIssue {
  grantId: string;
  issuedAt: string;
  expiresAt: string;
  keyFingerprint: string;
}

/** One transition's writes, applied by writeGrant() in one statement. */
export interface GrantWrite {
  /** The grant as it is to be stored; absent: only the issue row and the audit records. */
  grant?: Grant;
  /** Write the grant only over this stored version; undefined inserts it. */
  priorVersion?: number;
  issue?: CredentialIssue;
  /** Appended in order, after every other write. At least one: every change is audited. */
  audits: UnsealedRecord[];
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

/** Records per page when verify streams the chain (measured: 1,000 and 20,000 were both slower on PGlite). */
const AUDIT_PAGE_ROWS = 5000;

/**
 * Joins a page's text columns for PGlite (chr(30) in SQL). Canonical JSON escapes every control
 * character, so no record the broker wrote contains it; a stored value that does makes its page
 * read row by row.
 */
const FIELD_SEP = '\x1e';

/** An audit row as the database returns it (`seq` is a bigint: a string from pg). */
interface AuditColumns { seq: string | number; body: string; prev_hash: string; hash: string }
const storedRow = (r: AuditColumns): StoredAuditRow => ({ seq: Number(r.seq), body: r.body, prevHash: r.prev_hash, hash: r.hash });

function noticeOf(g: Grant): string {
  const notice: GrantNotice = { id: g.id, state: g.state, version: g.version };
  return JSON.stringify(notice);
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

  /** Inserts the grant and announces it (delivered at commit), in one statement. */
  async insertGrant(tx: SqlExecutor, g: Grant): Promise<void> {
    const params = grantParams(g);
    const placeholders = params.map((_, i) => `$${i + 1}`).join(', ');
    await tx.query(
      `WITH added AS (INSERT INTO grants (${GRANT_COLUMNS}) VALUES (${placeholders}) RETURNING id) SELECT pg_notify($${params.length + 1}, $${params.length + 2}) FROM added`,
      [...params, GRANT_CHANNEL, noticeOf(g)],
    );
  }

  /** `lock`: hold the row until the transaction ends, so concurrent transitions queue up. */
  async getGrant(tx: SqlExecutor, id: string, lock = false): Promise<Grant | undefined> {
    const rows = await tx.query<GrantRow>(`SELECT ${GRANT_COLUMNS} FROM grants WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toGrant(rows[0]) : undefined;
  }

  /** Optimistic check on top of the row lock: the stored version must be the one we read. */
  async updateGrant(tx: SqlExecutor, g: Grant): Promise<void> {
    if (!(await this.updateGrantIfUnchanged(tx, g))) throw new Error(`grant ${g.id} changed concurrently; retry`);
  }

  /**
   * Writes `g` (version n) only over version n - 1, and announces it, in one statement; false when
   * the row has another version (someone changed it first). Locks the row either way.
   */
  async updateGrantIfUnchanged(tx: SqlExecutor, g: Grant): Promise<boolean> {
    const params = grantParams(g);
    const sets = GRANT_COLUMNS.split(', ').slice(1).map((c, i) => `${c} = $${i + 2}`).join(', ');
    const n = params.length;
    const rows = await tx.query(
      `WITH moved AS (UPDATE grants SET ${sets} WHERE id = $1 AND version = $${n + 1} RETURNING id) SELECT pg_notify($${n + 2}, $${n + 3}) FROM moved`,
      [...params, g.version - 1, GRANT_CHANNEL, noticeOf(g)],
    );
    return rows.length === 1;
  }

  /** A grant exactly as getGrant() would read it back after writing it (read-your-writes, no query). */
  static stored(g: Grant): Grant {
    const json = <T>(v: T | undefined): T | null => (v === undefined ? null : JSON.parse(JSON.stringify(v)) as T);
    return toGrant({
      id: g.id, requester: g.requester, requester_name: g.requesterName, role: g.role, role_arn: g.roleArn, duration_seconds: g.durationSeconds,
      reason: g.reason, ticket: orNull(g.ticket), state: g.state, break_glass: g.breakGlass, review: json(g.review), decisions: json(g.decisions) ?? [],
      requested_at: g.requestedAt, pending_expires_at: orNull(g.pendingExpiresAt), activated_at: orNull(g.activatedAt), ends_at: orNull(g.endsAt),
      ended_at: orNull(g.endedAt), ended_by: orNull(g.endedBy), end_reason: orNull(g.endReason), extends: orNull(g.extends), version: g.version,
      scope: json(g.scope), session_policy: orNull(g.sessionPolicy),
    });
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


  /**
   * Appends to the hash chain in one round trip: the database locks the head row (which serialises
   * appenders across connections until this transaction ends), seals, inserts and moves the head.
   * Keep it the last statement of a transaction: the lock is held from here to the commit.
   */
  async appendAudit(tx: SqlExecutor, record: UnsealedRecord): Promise<AuditRecord> {
    const { before, after } = sealParts(record);
    const [row] = await tx.query<{ appended_seq: string | number; appended_prev: string; appended_hash: string }>(
      'SELECT appended_seq, appended_prev, appended_hash FROM tidemark_audit_append($1, $2, $3, $4, $5, $6)',
      [before, after, record.at, record.kind, orNull(record.grantId), canonicalJson(record)],
    );
    const sealed = seal(record, Number(row.appended_seq), row.appended_prev);
    // Verify hashes what seal() hashes; a database that hashed other bytes must not extend the chain.
    if (sealed.hash !== row.appended_hash) throw new Error(`the ledger sealed audit record #${sealed.seq} with another hash than the broker computes (is the database encoding UTF8?); nothing was recorded`);
    return sealed;
  }

  /**
   * A whole transition in one autocommit statement (tidemark_grant_write, migration 8): the grant
   * row and its notice, a credential issue, then the audit appends, so the chain's head lock is held
   * only for the appends and the commit that ends the same statement — no round trip to this process
   * in between. Returns the sealed records, or undefined when the grant row had another version than
   * `priorVersion` (then nothing was written).
   */
  async writeGrant(w: GrantWrite): Promise<AuditRecord[] | undefined> {
    if (!w.audits.length) throw new Error('a grant write without an audit record');
    const audits = w.audits.map((record) => {
      const { before, after } = sealParts(record);
      // The database hashes the same text and refuses (rolling everything back) if its bytes differ.
      const textHash = createHash('sha256').update(`${before}\n${after}`, 'utf8').digest('hex');
      return { before, after, textHash, at: record.at, kind: record.kind, grantId: record.grantId ?? null, body: canonicalJson(record) };
    });
    const rows = await this.db.query<{ appended_seq: string | number; appended_prev: string; appended_hash: string }>(
      'SELECT appended_seq, appended_prev, appended_hash FROM tidemark_grant_write($1::jsonb, $2, $3, $4, $5::jsonb, $6::jsonb)',
      [w.grant ? grantJson(w.grant) : null, w.priorVersion ?? null, GRANT_CHANNEL, w.grant ? noticeOf(w.grant) : null, w.issue ? JSON.stringify(w.issue) : null, JSON.stringify(audits)],
    );
    if (!rows.length) return undefined;
    return rows.map((row, i) => {
      const sealed = seal(w.audits[i], Number(row.appended_seq), row.appended_prev);
      if (sealed.hash !== row.appended_hash) throw new Error(`the ledger sealed audit record #${sealed.seq} with another hash than the broker computes; verify will report it`);
      return sealed;
    });
  }

  /** The head the ledger keeps beside the records: how many there are and the last one's hash. */
  async readAuditHead(tx: SqlExecutor = this.db): Promise<ChainHead> {
    const [head] = await tx.query<{ seq: string | number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
    return { count: Number(head.seq), hash: head.hash };
  }

  /**
   * Every record, the stored head and the rows `log`/`grants` show, from one snapshot, so writes
   * running meanwhile never look like tampering. The records go to `onPage` in chain order, a page
   * at a time, and are not kept (verify streams them); when it returns false the rest are not read.
   */
  async readAuditSnapshot(onPage: (rows: StoredAuditRow[]) => boolean, pageSize = AUDIT_PAGE_ROWS): Promise<{ head: ChainHead; rows: LedgerRows }> {
    return this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const head = await this.readAuditHead(tx);
      // The next page is asked for before this one is checked: PostgreSQL reads it meanwhile.
      let next = this.readAuditPage(tx, 0, pageSize);
      for (;;) {
        const page = await next;
        if (!page.length) break;
        next = this.readAuditPage(tx, page[page.length - 1].seq, pageSize);
        let more: boolean;
        try {
          more = onPage(page);
        } catch (error) {
          await next.catch(() => undefined); // settled inside the transaction, never left unhandled
          throw error;
        }
        if (!more) {
          await next;
          break;
        }
      }
      const grants = await this.listGrants({}, tx);
      const commands = await this.listCommands(undefined, tx);
      const events = await tx.query<{ grant_id: string; body: string }>('SELECT grant_id, body FROM api_events');
      return { head, rows: { grants, commands, apiEvents: events.map((e) => ({ grantId: e.grant_id, event: JSON.parse(e.body) as ChangeEvent })) } };
    });
  }

  /**
   * Up to `limit` records after `afterSeq`, in chain order, exactly as stored. PGlite hands each
   * field over as its own buffer copy and decode (most of verify's time there), so it returns a
   * page as four joined columns and splits them here; a page that does not split into exactly one
   * piece per row (a separator inside a stored value) is read row by row instead.
   */
  private async readAuditPage(tx: SqlExecutor, afterSeq: number, limit: number): Promise<StoredAuditRow[]> {
    if (this.db.kind === 'pglite') {
      const [joined] = await tx.query<{ n: string | number; nulls: boolean | null; seqs: string | null; prevs: string | null; hashes: string | null; bodies: string | null }>(
        `SELECT count(*) AS n, bool_or(prev_hash IS NULL OR hash IS NULL OR body IS NULL) AS nulls, string_agg(seq::text, ',' ORDER BY seq) AS seqs,
          string_agg(prev_hash, chr(30) ORDER BY seq) AS prevs, string_agg(hash, chr(30) ORDER BY seq) AS hashes, string_agg(body, chr(30) ORDER BY seq) AS bodies
         FROM (SELECT seq, prev_hash, hash, body FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2) page`,
        [afterSeq, limit],
      );
      const n = Number(joined.n);
      if (n === 0) return [];
      // string_agg skips nulls, which could offset a separator inside another value: such pages go row by row.
      const seqs = joined.seqs?.split(',');
      const prevs = joined.prevs?.split(FIELD_SEP);
      const hashes = joined.hashes?.split(FIELD_SEP);
      const bodies = joined.bodies?.split(FIELD_SEP);
      if (!joined.nulls && seqs?.length === n && prevs?.length === n && hashes?.length === n && bodies?.length === n) {
        const rows: StoredAuditRow[] = new Array(n);
        for (let i = 0; i < n; i++) rows[i] = { seq: Number(seqs[i]), body: bodies[i], prevHash: prevs[i], hash: hashes[i] };
        return rows;
      }
    }
    const rows = await tx.query<AuditColumns>('SELECT seq, body, prev_hash, hash FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit]);
    return rows.map(storedRow);
  }

  /** Records in chain order; the body is parsed back exactly as stored so tampering shows. */
  async readAudit(since?: Date, tx: SqlExecutor = this.db): Promise<AuditRecord[]> {
    return (await this.readAuditRows(since, tx)).map(parseStoredRow);
  }

  /** Rows in chain order, bodies as stored (verify hashes the text; only what it must is parsed). */
  async readAuditRows(since?: Date, tx: SqlExecutor = this.db): Promise<StoredAuditRow[]> {
    const rows = await tx.query<AuditColumns>(
      since ? 'SELECT seq, body, prev_hash, hash FROM audit WHERE at >= $1 ORDER BY seq' : 'SELECT seq, body, prev_hash, hash FROM audit ORDER BY seq',
      since ? [since.toISOString()] : [],
    );
    return rows.map(storedRow);
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
