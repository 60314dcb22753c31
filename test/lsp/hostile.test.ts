// The language server on hostile files: it stays alive and answering, publishes one diagnostic
// naming the problem for each file (from disk and when opened), and still serves the valid files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DocumentSymbol, DocumentSymbolRequest } from 'vscode-languageserver-protocol/node';
import { fileUri, startLspSession } from '../support/lsp-client';
import { HOSTILE_FILES, VALID_FILE, writeHostileWorkspace } from '../support/hostile-files';

test('language server survives hostile files and still answers for the valid ones', async (t) => {
  const dir = writeHostileWorkspace('tidemark-lsp-hostile-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const session = await startLspSession({ rootDir: dir });
  try {
    // Files scanned from disk at startup.
    for (const file of HOSTILE_FILES) {
      const published = await session.diagnostics(fileUri(path.join(dir, file.name)), (p) => p.diagnostics.length > 0, 240_000);
      assert.equal(published.diagnostics.length, 1, `${file.name}: ${JSON.stringify(published.diagnostics).slice(0, 300)}`);
      assert.match(String(published.diagnostics[0].message), file.expect, file.name);
    }
    // The same texts opened in the editor (they arrive over the protocol, not from disk).
    let version = 1;
    for (const name of ['deep-dynamic.tf', 'deep-lists.tf', 'deep-objects.tf', 'deep-unary.tf', 'nul-bytes.tf']) {
      const uri = fileUri(path.join(dir, name));
      const v = ++version;
      await session.open(uri, readFileSync(path.join(dir, name), 'utf8'), v);
      const published = await session.diagnostics(uri, (p) => p.version === v, 240_000);
      assert.equal(published.diagnostics.length, 1, name);
      assert.match(String(published.diagnostics[0].message), HOSTILE_FILES.find((f) => f.name === name)!.expect, name);
    }
    const uri = fileUri(path.join(dir, VALID_FILE));
    const symbols = (await session.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => s.name), ['aws_s3_bucket.ok']);
    assert.equal(session.process.exitCode, null, `server exited; stderr: ${session.stderr().slice(0, 500)}`);
  } finally {
    await session.shutdown();
  }
});
