import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, renameSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DocumentSymbol,
  DocumentSymbolRequest,
  WorkspaceSymbolRequest,
  SymbolInformation,
  DidChangeWatchedFilesNotification,
  FileChangeType,
} from 'vscode-languageserver-protocol/node';
import { fileUri, startLspSession } from '../support/lsp-client';
import { childEnv } from '../support/child-env';

const MAIN = `resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

variable "region" {
  default = "us-east-1"
}
`;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-lsp-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

test('document symbols, edits, syntax errors and shutdown over stdio', async () => {
  const dir = workspace({ 'main.tf': MAIN, 'other.tf': 'module "net" {\n  source = "./net"\n}\n' });
  const session = await startLspSession({ rootDir: dir });
  try {
    const uri = fileUri(path.join(dir, 'main.tf'));
    await session.open(uri, MAIN, 1);
    const symbols = (await session.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => s.name), ['aws_instance.web', 'var.region']);
    assert.deepEqual(symbols[0].range, { start: { line: 0, character: 0 }, end: { line: 3, character: 1 } });
    assert.deepEqual(symbols[0].children?.map((c) => c.name), ['ami', 'instance_type']);

    // Rename the resource with an incremental edit: "web" → "api" on line 0.
    await session.change(uri, 2, [{ range: { start: { line: 0, character: 25 }, end: { line: 0, character: 28 } }, text: 'api' }]);
    const after = (await session.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    assert.equal(after[0].name, 'aws_instance.api');

    // Break the instance_type expression: a diagnostic at the exact spot, other blocks still indexed.
    const broken = MAIN.replace('"t3.micro"', '').replace('"web"', '"api"');
    await session.change(uri, 3, [{ text: broken }]);
    const diags = await session.diagnostics(uri, (p) => p.version === 3);
    assert.equal(diags.diagnostics.length, 1);
    assert.equal(diags.diagnostics[0].source, 'tidemark');
    assert.equal(diags.diagnostics[0].range.start.line, 2);
    assert.equal(diags.diagnostics[0].range.start.character, 18);
    assert.match(String(diags.diagnostics[0].message), /Invalid expression/);
    const stillIndexed = (await session.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    assert.deepEqual(stillIndexed.map((s) => s.name), ['aws_instance.api', 'var.region']);

    // Workspace symbols span files, including ones never opened.
    const ws = (await session.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'net' })) as SymbolInformation[];
    assert.deepEqual(ws.map((s) => s.name), ['module.net']);
    assert.equal(ws[0].location.uri, fileUri(path.join(dir, 'other.tf')));

    // Fixing the file clears the diagnostic.
    await session.change(uri, 4, [{ text: MAIN }]);
    const cleared = await session.diagnostics(uri, (p) => p.version === 4);
    assert.deepEqual(cleared.diagnostics, []);

    assert.equal(await session.shutdown(), 0);
  } finally {
    session.process.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('watched file changes: create, change, rename and delete update the index', async () => {
  const dir = workspace({ 'main.tf': MAIN });
  const session = await startLspSession({ rootDir: dir });
  const names = async () =>
    ((await session.connection.sendRequest(WorkspaceSymbolRequest.type, { query: '' })) as SymbolInformation[]).map((s) => s.name).sort();
  const notify = (file: string, type: FileChangeType) =>
    session.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(file), type }] });
  try {
    // Wait until the initial scan has happened (the symbol list is not empty).
    for (let i = 0; i < 100 && (await names()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await names(), ['aws_instance.web', 'var.region']);

    const extra = path.join(dir, 'extra.tf');
    writeFileSync(extra, 'output "ip" {\n  value = aws_instance.web.private_ip\n}\n');
    await notify(extra, FileChangeType.Created);
    assert.deepEqual(await names(), ['aws_instance.web', 'output.ip', 'var.region']);

    const broken = path.join(dir, 'broken.tf');
    writeFileSync(broken, 'resource "aws_s3_bucket" "logs" {\n  bucket = \n}\n\nlocals {\n  x = 1\n}\n');
    await notify(broken, FileChangeType.Created);
    const diags = await session.diagnostics(fileUri(broken), (p) => p.diagnostics.length > 0);
    assert.equal(diags.diagnostics[0].range.start.line, 1);
    assert.ok((await names()).includes('locals'), 'the valid block after the broken one is recovered');

    const renamed = path.join(dir, 'outputs.tf');
    renameSync(extra, renamed);
    await notify(extra, FileChangeType.Deleted);
    await notify(renamed, FileChangeType.Created);
    const ws = (await session.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'output.ip' })) as SymbolInformation[];
    assert.equal(ws[0].location.uri, fileUri(renamed));

    unlinkSync(renamed);
    await notify(renamed, FileChangeType.Deleted);
    assert.ok(!(await names()).includes('output.ip'));
    await session.shutdown();
  } finally {
    session.process.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the server also speaks LSP over Node IPC, the transport the VS Code client uses', async () => {
  const { fork } = await import('node:child_process');
  const { createProtocolConnection, IPCMessageReader, IPCMessageWriter, InitializeRequest } = await import('vscode-languageserver-protocol/node');
  const { serverBundle } = await import('../support/lsp-client');
  const child = fork(serverBundle, ['--node-ipc'], { env: childEnv(), stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  try {
    const result = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(result.serverInfo?.name, 'tidemark');
    assert.ok(result.capabilities.documentSymbolProvider);
  } finally {
    connection.dispose();
    child.kill();
  }
});
