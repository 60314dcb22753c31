// Embedded ledger: PGlite (Postgres compiled to WASM) persisted in one folder per workspace.
// Only one process may open a folder; the broker lock file (locate.ts) makes sure of that.
import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Database, SqlExecutor } from './database';

/** PGlite's runtime files: beside the bundle in dist/, or in the installed package when unbundled. */
function pgliteFile(name: string): string {
  const beside = path.join(__dirname, name);
  if (existsSync(beside)) return beside;
  const inPackage = path.join(path.dirname(require.resolve('@electric-sql/pglite')), name);
  if (existsSync(inPackage)) return inPackage;
  throw new Error(`missing PGlite runtime file ${name} (looked in ${__dirname} and the @electric-sql/pglite package)`);
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
