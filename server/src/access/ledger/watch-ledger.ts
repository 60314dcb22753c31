// The team watch's shared state in the ledger: each watch's cursor (event ids processed, pending
// events, drifts reported), and an outbox of its alerts claimed by id. Whichever broker process
// leads the watch reads and writes these, so a takeover resumes where the last leader stopped and
// an alert two processes raise for the same change is sent once.
import type { Alert } from '../../model';
import { WATCH_ALERT_CHANNEL, type SqlExecutor } from './database';

/** A claimed alert with its place in the ledger's order (what an editor's stream resumes from). */
export interface SequencedAlert {
  seq: number;
  alert: Alert;
}

/** A root a watch routes events to, as its leader found it (account and regions declared or derived). */
export interface WatchRootRecord {
  /** Relative to the broker's workspace ('.' for the workspace itself). */
  root: string;
  /** Undefined: every account (a single-root watch takes every event). */
  account?: string;
  /** Empty: every region. */
  regions: string[];
  /** Where its Terraform state was read (file path or s3:// URL). */
  state?: string;
}

/** What `watchStatus` shows: every watch's roots with the events routed to each, and what no root took. */
export interface WatchStatus {
  roots: Array<WatchRootRecord & { watch: string; events: number }>;
  ignored: Array<{ watch: string; account: string; region: string; events: number; lastAt: string }>;
}

export class WatchLedger {
  constructor(private readonly db: SqlExecutor, readonly key: string) {}

  /** The stored cursor (JSON as saved), or undefined before the first save. */
  async loadCursor(): Promise<unknown> {
    const rows = await this.db.query<{ cursor: unknown }>('SELECT cursor FROM watch_cursors WHERE watch_key = $1', [this.key]);
    return rows[0]?.cursor;
  }

  async saveCursor(cursor: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO watch_cursors (watch_key, cursor, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (watch_key) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
      [this.key, JSON.stringify(cursor)],
    );
  }

  /** Records the alert unless its id was claimed before: true means this process sends it. */
  async claimAlert(id: string, alert: unknown): Promise<boolean> {
    // The notice goes out with the row's commit: every broker process then pushes it to its editors.
    const rows = await this.db.query(
      `WITH claimed AS (INSERT INTO watch_alerts (watch_key, alert_id, alert) VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING RETURNING seq)
       SELECT pg_notify('${WATCH_ALERT_CHANNEL}', seq::text) FROM claimed`,
      [this.key, id, JSON.stringify(alert)],
    );
    return rows.length === 1;
  }

  async markDelivered(ids: readonly string[]): Promise<void> {
    if (ids.length) await this.db.query('UPDATE watch_alerts SET delivered_at = now() WHERE watch_key = $1 AND alert_id = ANY($2::text[])', [this.key, [...ids]]);
  }

  /** Alerts claimed by a leader that died before its sinks had them: the next leader sends them. */
  async undelivered(): Promise<Array<{ id: string; alert: unknown }>> {
    const rows = await this.db.query<{ alert_id: string; alert: unknown }>('SELECT alert_id, alert FROM watch_alerts WHERE watch_key = $1 AND delivered_at IS NULL ORDER BY claimed_at', [this.key]);
    return rows.map((r) => ({ id: r.alert_id, alert: r.alert }));
  }

  /** The roots this watch follows now (a leader records them when it starts; others are dropped). */
  async saveRoots(roots: readonly WatchRootRecord[]): Promise<void> {
    await this.db.query('DELETE FROM watch_roots WHERE watch_key = $1 AND NOT (root = ANY($2::text[]))', [this.key, roots.map((r) => r.root)]);
    for (const r of roots) {
      await this.db.query(
        `INSERT INTO watch_roots (watch_key, root, account, regions, state, updated_at) VALUES ($1, $2, $3, $4::jsonb, $5, now())
         ON CONFLICT (watch_key, root) DO UPDATE SET account = EXCLUDED.account, regions = EXCLUDED.regions, state = EXCLUDED.state, updated_at = now()`,
        [this.key, r.root, r.account ?? null, JSON.stringify(r.regions), r.state ?? null],
      );
    }
  }

  /** Adds to the count of queue events routed to `root`. */
  async countRouted(root: string, events: number): Promise<void> {
    if (events) await this.db.query('UPDATE watch_roots SET events = events + $3 WHERE watch_key = $1 AND root = $2', [this.key, root, events]);
  }

  /** Adds to the counts of events no root took, by `account/region`. */
  async countIgnored(ignored: ReadonlyMap<string, number>): Promise<void> {
    for (const [key, events] of ignored) {
      const [account, region] = key.split('/') as [string, string];
      await this.db.query(
        `INSERT INTO watch_ignored (watch_key, account, region, events, last_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (watch_key, account, region) DO UPDATE SET events = watch_ignored.events + EXCLUDED.events, last_at = now()`,
        [this.key, account, region, events],
      );
    }
  }

  /** Forgets delivered alerts older than `days` (an id only needs remembering while a redelivery can come). */
  async prune(days: number): Promise<void> {
    await this.db.query(`DELETE FROM watch_alerts WHERE watch_key = $1 AND delivered_at IS NOT NULL AND claimed_at < now() - make_interval(days => $2::int)`, [this.key, days]);
  }
}

/** The highest sequence number claimed so far (0 before any): where a new listener starts. */
export async function lastAlertSeq(db: SqlExecutor): Promise<number> {
  const rows = await db.query<{ seq: string | null }>('SELECT max(seq)::text AS seq FROM watch_alerts');
  return Number(rows[0]?.seq ?? 0);
}

/** Alerts of every watch claimed after `seq`, oldest first, at most `limit`. */
export async function alertsAfter(db: SqlExecutor, seq: number, limit: number): Promise<SequencedAlert[]> {
  const rows = await db.query<{ seq: string; alert: Alert }>('SELECT seq::text AS seq, alert FROM watch_alerts WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit]);
  return rows.map((r) => ({ seq: Number(r.seq), alert: r.alert }));
}

/** Every watch's roots and ignored-event counts, for status (any broker process can answer). */
export async function watchStatus(db: SqlExecutor): Promise<WatchStatus> {
  const roots = await db.query<{ watch_key: string; root: string; account: string | null; regions: string[]; state: string | null; events: string }>(
    'SELECT watch_key, root, account, regions, state, events::text AS events FROM watch_roots ORDER BY watch_key, root',
  );
  const ignored = await db.query<{ watch_key: string; account: string; region: string; events: string; last_at: Date | string }>(
    'SELECT watch_key, account, region, events::text AS events, last_at FROM watch_ignored ORDER BY watch_key, account, region',
  );
  return {
    roots: roots.map((r) => ({ watch: r.watch_key, root: r.root, ...(r.account ? { account: r.account } : {}), regions: r.regions, ...(r.state ? { state: r.state } : {}), events: Number(r.events) })),
    ignored: ignored.map((r) => ({ watch: r.watch_key, account: r.account, region: r.region, events: Number(r.events), lastAt: new Date(r.last_at).toISOString() })),
  };
}
