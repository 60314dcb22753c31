// Runs inside the VS Code extension host (loaded by run.ts): the foundation features through the
// real VS Code API, against the bundled language server.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension('tidemark.tidemark');
  assert.ok(extension, 'the extension is installed');
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'examples/demo is open');

  const uri = vscode.Uri.joinPath(folder.uri, 'compute.tf');
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  await extension.activate();

  const commands = await vscode.commands.getCommands(true);
  for (const id of ['tidemark.showOutput', 'tidemark.refresh']) assert.ok(commands.includes(id), `${id} is registered`);

  // The outline comes from the server's HCL index.
  const symbols = await until('document symbols', async () => {
    const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    return found?.length ? found : undefined;
  });
  const names = symbols.map((s) => s.name);
  assert.ok(names.some((n) => n.includes('aws_instance.web')), `outline has aws_instance.web: ${names.join(', ')}`);

  // A syntax error is a diagnostic from source tidemark at its line; the rest stays indexed.
  await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'resource "aws_s3_bucket" "broken" {\n  bucket = \n'));
  const problem = await until('a syntax diagnostic', () =>
    vscode.languages.getDiagnostics(uri).find((d) => d.source === 'tidemark' && d.range.start.line <= 2));
  assert.ok(problem.range.start.line <= 2);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}
