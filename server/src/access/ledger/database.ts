// The one SQL surface the ledger needs, implemented by embedded PGlite and by PostgreSQL (pg).
// Both speak the same dialect, so migrations and queries are shared.

export interface SqlExecutor {
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Database extends SqlExecutor {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction (READ COMMITTED); rolls back if it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Delivers NOTIFY payloads on `channel` (after the notifying transaction commits). */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Channel on which every committed grant change is announced. */
export const GRANT_CHANNEL = 'tidemark_grants';

/** Channel on which each alert a team watch claims is announced (payload: its sequence number). */
export const WATCH_ALERT_CHANNEL = 'tidemark_watch_alerts';
