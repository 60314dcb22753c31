// Where a child module's drift shows in the editor: the bundled language server over stdio, a real
// LSP client, the sandbox and changes made through the real SDK. In the child's own file on the
// attribute, naming the instance; and, when the child's code is installed (.terraform/modules) or
// serves several instances, on the caller too: on the argument that feeds it, else the call's header.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { loadScenarioFile, type SandboxHandle } from '../../sandbox/src/index';
import { fileUri, LspSession, repoRoot } from '../support/lsp-client';
import { startSandboxLsp, stopSandboxLsp } from '../support/sandbox-lsp';
import { keyOf } from '../sandbox/helpers';
import { MODULES_SCENARIO, startDriftedModulesSandbox } from './modules-world';

const carol = keyOf(loadScenarioFile(MODULES_SCENARIO), 'carol');

let sandbox: SandboxHandle;
let session: LspSession;
let dir: string;

before(async () => {
  sandbox = await startDriftedModulesSandbox();
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-modules-lsp-'));
  cpSync(path.join(repoRoot, 'test/fixtures/modules/realistic'), dir, { recursive: true });
  session = await startSandboxLsp(sandbox, carol, dir);
});

after(() => stopSandboxLsp(session, sandbox, dir));

async function open(name: string): Promise<{ uri: string; lines: string[] }> {
  const file = path.join(dir, name);
  const text = readFileSync(file, 'utf8');
  const uri = fileUri(file);
  await session.open(uri, text, 1);
  return { uri, lines: text.split('\n') };
}

const lineOf = (lines: string[], pattern: RegExp): number => {
  const i = lines.findIndex((l) => pattern.test(l));
  assert.ok(i >= 0, `no line matches ${pattern}`);
  return i;
};

const drifts = (diags: Diagnostic[]) => diags.filter((d) => d.source === 'tidemark' && d.code === 'drift.changed');

test("a shared child module: the drift sits on the child's attribute naming the instance, and on the caller's argument", async () => {
  const child = await open('modules/app/main.tf');
  const line = lineOf(child.lines, /^\s+instance_type\s+= var\.instance_type/);
  const published = await session.diagnostics(child.uri, (p) => drifts(p.diagnostics).some((d) => d.range.start.line === line));
  const onChild = drifts(published.diagnostics).filter((d) => d.range.start.line === line);
  assert.equal(onChild.length, 1, JSON.stringify(onChild));
  assert.match(String(onChild[0].message), /module\.app\["green"\]\.aws_instance\.this\[0\]: instance_type is "t3\.large" live but "t3\.small"/);

  const root = await open('main.tf');
  const argLine = lineOf(root.lines, /^\s+instance_type\s+= each\.value\.instance_type/);
  const atCaller = await session.diagnostics(root.uri, (p) => drifts(p.diagnostics).some((d) => d.range.start.line === argLine));
  const onCaller = drifts(atCaller.diagnostics).find((d) => d.range.start.line === argLine)!;
  assert.match(String(onCaller.message), /module\.app\["green"\]\.aws_instance\.this\[0\]: instance_type/);
  assert.match(String(onCaller.message), /declared in modules\/app\/main\.tf:\d+, whose value this call's instance_type sets/);
  const hover = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri: root.uri }, position: { line: argLine, character: 4 } });
  assert.match(JSON.stringify(hover?.contents), /module\.app\[\\"green\\"\]\.aws_instance\.this\[0\]/);
});

test('an installed registry module: its drift shows on the call block in the root module', async () => {
  const root = await open('main.tf');
  const header = lineOf(root.lines, /^module "network" \{/);
  const published = await session.diagnostics(root.uri, (p) => drifts(p.diagnostics).some((d) => d.range.start.line === header));
  const diagnostic = drifts(published.diagnostics).find((d) => d.range.start.line === header)!;
  assert.match(String(diagnostic.message), /module\.network\.aws_subnet\.this\["a"\]: tag Tier|module\.network\.aws_subnet\.this\["a"\].*Tier/);
  assert.match(String(diagnostic.message), /declared in \.terraform\/modules\/network\/main\.tf:\d+/);
});
