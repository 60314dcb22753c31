// Embedded ledger: PGlite (Postgres compiled to WASM) persisted in one folder per workspace.
// Only one process may open a folder; the broker lock file (locate.ts) makes sure of that.
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { assetPath } from '../../assets';
import { Database, SqlExecutor } from './database';

/** PGlite's runtime files (its package does not export them, so look beside its entry point). */
function pgliteFile(name: string): string {
  return assetPath(name, () => path.join(path.dirname(require.resolve('@electric-sql/pglite')), name));
}

/** `dataDir` undefined = in memory (tests). */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const [wasmModule, initdbWasmModule] = await Promise.all([
    WebAssembly.compile(readFileSync(pgliteFile('pglite.wasm'))),
    WebAssembly.compile(readFileSync(pgliteFile('initdb.wasm'))),
  ]);
  const fsBundle = new Blob([readFileSync(pgliteFile('pglite.data'))]);
  const db = await PGlite.create({ dataDir, wasmModule, initdbWasmModule, fsBundle });
  const executor = (q: { query: PGlite['query'] }): SqlExecutor => ({
    async query<R extends object>(sql: string, params: unknown[] = []) {
      return (await q.query<R>(sql, params)).rows;
    },
  });
  return {
    kind: 'pglite',
    ...executor(db),
    transaction: (fn) => db.transaction((tx) => fn(executor(tx))),
    async listen(channel, onPayload) {
      const unsubscribe = await db.listen(channel, onPayload);
      return async () => { await unsubscribe(); };
    },
    close: () => db.close(),
  };
}
