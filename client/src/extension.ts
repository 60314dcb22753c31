// Thin VS Code side: starts the bundled language server, renders what it reports, and forwards
// what the user asks. No AWS calls and no drift logic live here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { AccessEvent, AccessEventNotification, AccessSetTokenNotification, Alert, AlertNotification, DriftChangedNotification, DriftListRequest, DriftListResult, RefreshRequest } from '../../server/src/protocol';
import { AccessApi, Grant } from './access/access-api';
import { registerAccessCommands } from './access/access-commands';
import { AccessTreeProvider } from './access/access-tree';
import { GrantTerminals } from './access/grant-terminal';
import { AccessNotifier, showAlert } from './access/notifications';
import { registerSandboxCommands } from './sandbox';
import { GrantStatus } from './status/grant-status';
import { runDriftAction } from './drift/drift-actions';
import { DriftNode, DriftTreeProvider } from './drift/drift-tree';
import { DriftStatus } from './status/status-bar';

let client: LanguageClient | undefined;
let accessApi: AccessApi | undefined;
const TOKEN_KEY = 'tidemark.broker.token';

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
    // Drift hovers link a grant's timeline (attribution); only that command may run from them.
    markdown: { isTrusted: { enabledCommands: ['tidemark.access.showLog'] } },
  };
  client = new LanguageClient('tidemark', 'Tidemark', serverOptions, clientOptions);

  const tree = new DriftTreeProvider();
  const status = new DriftStatus();
  const view = vscode.window.createTreeView('tidemark.drift', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(view, status);

  const access = new AccessTreeProvider(() => accessApi);
  const accessView = vscode.window.createTreeView('tidemark.access', { treeDataProvider: access, showCollapseAll: true });
  const grantStatus = new GrantStatus();
  const notifier = new AccessNotifier(() => access.me);
  const terminals = new GrantTerminals(() => accessApi, context.asAbsolutePath(path.join('dist', 'cli.js')), output, () => void reloadAccess());
  context.subscriptions.push(access, accessView, grantStatus, terminals);
  const renderAccess = (): void => {
    const active = access.active();
    grantStatus.update(active);
    notifier.checkExpiry(active);
    const waiting = access.grants.filter((g) => g.state === 'pending' && !access.mine(g)).length;
    accessView.badge = waiting ? { value: waiting, tooltip: `${waiting} request(s) waiting for approval` } : undefined;
  };
  const ticker = setInterval(renderAccess, 1000);
  context.subscriptions.push({ dispose: () => clearInterval(ticker) });
  const reloadAccess = async (): Promise<void> => {
    await access.reload();
    renderAccess();
  };
  const reload = async (): Promise<void> => {
    if (!client) return;
    const data = await client.sendRequest<DriftListResult>(DriftListRequest);
    tree.update(data);
    status.update(data);
    const active = data.drifts.filter((d) => !d.suppressed).length;
    view.badge = active ? { value: active, tooltip: `${active} drifted attribute(s)` } : undefined;
    access.setDrifts(data.drifts);
    // The Drift view's welcome text differs before the first read ("not read yet") and after ("no drift").
    void vscode.commands.executeCommand('setContext', 'tidemark.liveRead', Boolean(data.readAt));
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

  context.subscriptions.push(
    ...registerAccessCommands(() => accessApi, reloadAccess, () => access.active().filter((g) => access.mine(g))),
    ...registerSandboxCommands(context),
    vscode.commands.registerCommand('tidemark.access.openTerminal', (arg: Grant | { grant?: Grant } | undefined) => {
      const grant = arg && 'id' in arg ? arg : arg?.grant ?? access.active().find((g) => access.mine(g));
      if (grant) return terminals.open(grant);
      void vscode.window.showInformationMessage('Tidemark: you have no active grant. Request access first.', 'Request access…').then((p) => { if (p) void vscode.commands.executeCommand('tidemark.access.request'); });
    }),
    vscode.commands.registerCommand('tidemark.setBrokerToken', async () => {
      const token = await vscode.window.showInputBox({ title: 'Tidemark broker token', prompt: 'Stored in VS Code Secret Storage (never in settings); empty to remove', password: true, ignoreFocusOut: true });
      if (token === undefined) return;
      if (token) await context.secrets.store(TOKEN_KEY, token);
      else await context.secrets.delete(TOKEN_KEY);
      await client?.sendNotification(AccessSetTokenNotification, { token: token || undefined });
      void vscode.window.showInformationMessage(token ? 'Tidemark: broker token stored.' : 'Tidemark: broker token removed.');
      await reloadAccess();
    }),
    context.secrets.onDidChange(async (e) => {
      if (e.key === TOKEN_KEY) await client?.sendNotification(AccessSetTokenNotification, { token: (await context.secrets.get(TOKEN_KEY)) || undefined });
    }),
  );

  await client.start();
  accessApi = new AccessApi(client);
  const token = await context.secrets.get(TOKEN_KEY);
  if (token) await client.sendNotification(AccessSetTokenNotification, { token });
  context.subscriptions.push(
    client.onNotification(DriftChangedNotification, () => void reload()),
    // New drift (a change no grant explains is an error) and guardrail violations, decided by the server.
    client.onNotification(AlertNotification, (alert: Alert) => showAlert(alert)),
    client.onNotification(AccessEventNotification, (event: AccessEvent) => {
      let closedTerminal = false;
      if (event.type === 'grant') {
        access.upsert(event.grant);
        closedTerminal = terminals.grantChanged(event.grant);
      }
      notifier.onEvent(event, closedTerminal);
      renderAccess();
    }),
  );
  output.info('Tidemark language server started.');
  await reload();
  void reloadAccess();
}

export async function deactivate(): Promise<void> {
  accessApi = undefined;
  await client?.stop();
  client = undefined;
}
