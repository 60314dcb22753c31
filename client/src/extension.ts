// Thin VS Code side: starts the bundled language server and forwards what the user asks.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Tidemark', { log: true });
  context.subscriptions.push(output, vscode.commands.registerCommand('tidemark.showOutput', () => output.show(true)));

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Same `terraform` language id as HashiCorp's extension: both servers serve the file side by side.
    documentSelector: [
      { scheme: 'file', language: 'terraform' },
      { scheme: 'file', pattern: '**/*.tf' },
      { scheme: 'file', pattern: '**/*.tfvars' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{tf,tfvars}') },
    outputChannel: output,
    diagnosticCollectionName: 'tidemark',
  };
  client = new LanguageClient('tidemark', 'Tidemark', serverOptions, clientOptions);
  await client.start();
  output.info('Tidemark language server started.');
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
