// The first live read of a module at start: the files open in the editor get their drift before the
// rest of the module is read (at 10,000 resources the full read takes tens of seconds), and what the
// server holds once the full read is done is what a server with nothing open holds. The bundled
// server over stdio, a real LSP client, the sandbox and changes made through the real SDK.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { loadScenarioFile, type SandboxHandle } from '../../sandbox/src/index';
import { DriftListRequest, type DriftListResult } from '../../server/src/protocol';
import { fileUri, LspSession, repoRoot } from '../support/lsp-client';
import { startSandboxLsp, stopSandboxLsp } from '../support/sandbox-lsp';
import { keyOf } from '../sandbox/helpers';
import { MODULES_SCENARIO, startDriftedModulesSandbox } from './modules-world';

const carol = keyOf(loadScenarioFile(MODULES_SCENARIO), 'carol');

let sandbox: SandboxHandle;
const sessions: LspSession[] = [];
const dirs: string[] = [];

before(async () => {
  sandbox = await startDriftedModulesSandbox();
});

after(async () => {
  for (const s of sessions) await stopSandboxLsp(s, undefined, undefined);
  await stopSandboxLsp(undefined, sandbox, undefined);
  for (const d of dirs) await stopSandboxLsp(undefined, undefined, d);
});

async function start(): Promise<{ session: LspSession; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-first-read-'));
  dirs.push(dir);
  cpSync(path.join(repoRoot, 'test/fixtures/modules/realistic'), dir, { recursive: true });
  const session = await startSandboxLsp(sandbox, carol, dir);
  sessions.push(session);
  return { session, dir };
}

const driftCount = (p: PublishDiagnosticsParams | undefined) => (p?.diagnostics ?? []).filter((d) => d.source === 'tidemark' && String(d.code).startsWith('drift.')).length;
/** The line the server logs when a root's full read is done (the priority read logs "…'s open files first"). */
const fullReadDone = (session: LspSession, dir: string) => session.logs.some((l) => l.includes(`read live state for ${path.basename(dir)} in `));

async function waitFor(what: string, session: LspSession, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms; server log:\n${session.logs.join('\n')}\nstderr: ${session.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What a server holds once its first full read is done: drifts and unchecked resources, attribution left out. */
async function settledReport(session: LspSession, dir: string): Promise<{ drifts: string[]; unchecked: string[] }> {
  await waitFor('the first full read', session, () => fullReadDone(session, dir));
  const list: DriftListResult = await session.connection.sendRequest(DriftListRequest);
  const rel = (uri: string) => path.relative(dir, new URL(uri).pathname);
  return {
    drifts: list.drifts.map((d) => JSON.stringify([rel(d.uri), d.address, d.attributePath, d.kind, d.range, d.declared, d.live, d.suppressed ?? null])).sort(),
    unchecked: list.unchecked.map((u) => `${u.address}: ${u.reason}`).sort(),
  };
}

test("an open file's drift is published before the rest of the module is read; closed files' resources are not yet known, never drift", async () => {
  const { session, dir } = await start();
  const child = path.join(dir, 'modules/app/main.tf');
  const caller = fileUri(path.join(dir, 'main.tf'));
  // Opened right after `initialized`: the server's first read starts only once the settings are asked for and answered.
  await session.open(fileUri(child), readFileSync(child, 'utf8'), 1);
  // Recorded in the order the server sent its messages: the state of the rest when the open file's drift arrived.
  let readDoneThen: boolean | undefined;
  let callerDriftThen: number | undefined;
  await session.diagnostics(fileUri(child), (p) => {
    if (driftCount(p) === 0) return false;
    readDoneThen = fullReadDone(session, dir);
    callerDriftThen = driftCount(session.latestDiagnostics(caller));
    return true;
  }, 60_000);
  assert.equal(readDoneThen, false, `the open file's drift came only after the full read:\n${session.logs.join('\n')}`);
  assert.equal(callerDriftThen, 0, 'main.tf (closed, its network module not read yet) showed drift before the full read');
  assert.ok(session.logs.some((l) => /read live state for .*'s open files first \(4 resources\)/.test(l)), session.logs.join('\n'));
  // Then the rest: the network module's subnet drift, on the call block in main.tf.
  await session.diagnostics(caller, (p) => (p.diagnostics ?? []).some((d) => /module\.network\.aws_subnet\.this\["a"\]/.test(String(d.message))), 60_000);
});

test('once the full read is done, the server that read the open file first holds exactly what a server with nothing open holds', async () => {
  const first = await start();
  const child = path.join(first.dir, 'modules/app/main.tf');
  await first.session.open(fileUri(child), readFileSync(child, 'utf8'), 1);
  const plain = await start();
  const [a, b] = [await settledReport(first.session, first.dir), await settledReport(plain.session, plain.dir)];
  assert.ok(first.session.logs.some((l) => l.includes("'s open files first")), first.session.logs.join('\n'));
  assert.ok(!plain.session.logs.some((l) => l.includes("'s open files first")), plain.session.logs.join('\n'));
  assert.ok(a.drifts.some((d) => d.includes('module.app[\\"green\\"].aws_instance.this[0]')), a.drifts.join('\n'));
  assert.ok(a.drifts.some((d) => d.includes('module.network.aws_subnet.this[\\"a\\"]')), a.drifts.join('\n'));
  assert.deepEqual(a, b);
});
