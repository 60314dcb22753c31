// initialize / initialized / configuration / shutdown: capabilities, the first index and live read.
import { DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, InitializeResult, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { REFRESH_COMMAND, REVERT_COMMAND } from '../drift-code-actions';
import { DriftChangedNotification } from '../../protocol';
import { uriToKey } from '../../uri';
import { EditorSession, readSettings } from '../../app/editor-session';

export function register(s: EditorSession): void {
  const { connection, index } = s;

  connection.onInitialize((params): InitializeResult => {
    s.folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    s.capabilities = {
      registerWatchers: Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration),
      askConfiguration: Boolean(params.capabilities.workspace?.configuration),
      refreshLenses: Boolean(params.capabilities.workspace?.codeLens?.refreshSupport),
    };
    // Tests and other editors may pass settings up front, in the shape of the `tidemark.*` settings.
    if (params.initializationOptions) s.settings = readSettings(params.initializationOptions);
    const fileFilter = { filters: [{ pattern: { glob: '**/*.{tf,tfvars}' } }] };
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        documentSymbolProvider: { label: 'Tidemark' },
        workspaceSymbolProvider: true,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [REVERT_COMMAND, REFRESH_COMMAND] },
        workspace: {
          workspaceFolders: { supported: true, changeNotifications: true },
          fileOperations: { didCreate: fileFilter, didDelete: { filters: [{ pattern: { glob: '**' } }] }, didRename: { filters: [{ pattern: { glob: '**' } }] } },
        },
      },
      serverInfo: { name: 'tidemark', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    s.settingsReady = s.loadSettings();
    const scan = index.track(s.indexFolders(s.folders));
    if (s.capabilities.registerWatchers) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.tf' }, { globPattern: '**/*.tfvars' }],
      });
    }
    connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
      for (const removed of event.removed) for (const key of index.removeUnder(uriToKey(removed.uri))) await s.publish(key);
      s.folders = s.folders.filter((f) => !event.removed.some((r) => r.uri === f.uri)).concat(event.added);
      await index.track(s.indexFolders(event.added));
      // The root modules of an added folder are checked like those found at start; a removed one's go.
      const added = await s.drift.discover();
      void s.connection.sendNotification(DriftChangedNotification);
      if (added.length) await s.refreshLive(added);
    });
    await scan;
    await s.settingsReady;
    if (s.capabilities.askConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'tidemark' });
    await s.drift.discover();
    s.scheduleRefresh();
    await s.refreshLive(s.drift.roots());
  });

  connection.onDidChangeConfiguration(async () => {
    await s.loadSettings();
    await s.access.reset();
    s.drift.applySettings();
    s.scheduleRefresh();
    await s.refreshLive(s.drift.roots());
  });

  connection.onShutdown(() => s.close());
}
