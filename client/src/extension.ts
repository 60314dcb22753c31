// Thin VS Code side: starts the bundled language server, renders what it reports, and forwards
// what the user asks. No AWS calls and no drift logic live here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { DriftChangedNotification, DriftListRequest, DriftListResult, RefreshRequest } from '../../server/src/protocol';
import { runDriftAction } from './drift/drift-actions';
import { DriftNode, DriftTreeProvider } from './drift/drift-tree';
import { DriftStatus } from './status/status-bar';

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
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{tf,tfvars}'), configurationSection: 'tidemark' },
    outputChannel: output,
    diagnosticCollectionName: 'tidemark',
  };
  client = new LanguageClient('tidemark', 'Tidemark', serverOptions, clientOptions);

  const tree = new DriftTreeProvider();
  const status = new DriftStatus();
  const view = vscode.window.createTreeView('tidemark.drift', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(view, status);

  const reload = async (): Promise<void> => {
    if (!client) return;
    const data = await client.sendRequest<DriftListResult>(DriftListRequest);
    tree.update(data);
    status.update(data);
    const active = data.drifts.filter((d) => !d.suppressed).length;
    view.badge = active ? { value: active, tooltip: `${active} drifted attribute(s)` } : undefined;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('tidemark.refresh', () =>
      vscode.window.withProgress({ location: { viewId: 'tidemark.drift' }, title: 'Reading live state' }, async () => {
        await client?.sendRequest(RefreshRequest, {});
        await reload();
      }),
    ),
    vscode.commands.registerCommand('tidemark.drift.adopt', (node: DriftNode) => runDriftAction('adopt', node)),
    vscode.commands.registerCommand('tidemark.drift.revert', (node: DriftNode) => runDriftAction('revert', node)),
    vscode.commands.registerCommand('tidemark.drift.ignore', (node: DriftNode) => runDriftAction('ignore', node)),
    vscode.commands.registerCommand('tidemark.drift.import', (node: DriftNode) => runDriftAction('import', node)),
    vscode.commands.registerCommand('tidemark.drift.groupByFile', () => tree.setGroupBy('file')),
    vscode.commands.registerCommand('tidemark.drift.groupByGrant', () => tree.setGroupBy('grant')),
    vscode.commands.registerCommand('tidemark.drift.filter', async () => {
      const pick = await vscode.window.showQuickPick(['all', 'error', 'warning', 'info', 'hint'], { placeHolder: 'Show drift of severity' });
      if (pick) tree.setFilter(pick as 'all');
    }),
  );

  await client.start();
  context.subscriptions.push(client.onNotification(DriftChangedNotification, () => void reload()));
  output.info('Tidemark language server started.');
  await reload();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
