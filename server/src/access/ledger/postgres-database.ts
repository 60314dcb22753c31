// Team ledger: PostgreSQL through `pg`. LISTEN runs on one dedicated connection.
import { Client, Pool, PoolClient } from 'pg';
import { Database, SqlExecutor } from './database';

export async function openPostgres(connectionString: string): Promise<Database> {
  const pool = new Pool({ connectionString, max: 8 });
  // An idle connection dropped by the server (restart, failover) must not crash the broker; the pool
  // replaces it and the next query reports any lasting outage.
  pool.on('error', () => undefined);
  // Fail now with a clear message instead of on the first request.
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw new Error(`cannot connect to the PostgreSQL ledger: ${(error as Error).message}`);
  }
  const listeners: Client[] = [];
  let closed = false;
  const executor = (c: Pool | PoolClient): SqlExecutor => ({
    async query<R extends object>(sql: string, params: unknown[] = []) {
      return (await c.query(sql, params)).rows as R[];
    },
  });
  return {
    kind: 'postgres',
    ...executor(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      const client = new Client({ connectionString });
      await client.connect();
      client.on('notification', (n) => { if (n.channel === channel && n.payload !== undefined) onPayload(n.payload); });
      // A broken listen connection must not crash the broker; clients still poll on reconnect.
      client.on('error', () => undefined);
      await client.query(`LISTEN ${channel}`);
      listeners.push(client);
      return async () => {
        // close() may have ended it already; pg's end() on an ended client never settles.
        const at = listeners.indexOf(client);
        if (at < 0) return;
        listeners.splice(at, 1);
        await client.end().catch(() => undefined);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(listeners.splice(0).map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}
