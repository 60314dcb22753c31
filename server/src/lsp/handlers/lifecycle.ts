// initialize / initialized / configuration / shutdown: the session's start (the capabilities are
// answered by capabilities.ts before the engine loads), the first index and live read.
import { DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, InitializeParams } from 'vscode-languageserver/node';
import { DriftChangedNotification } from '../../protocol';
import { uriToKey } from '../../uri';
import { EditorSession, readSettings } from '../../app/editor-session';

/** What `initialize` told the server: folders, the client's abilities, settings passed up front. */
export function applyInitialize(s: EditorSession, params: InitializeParams): void {
  s.folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  s.capabilities = {
    registerWatchers: Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration),
    askConfiguration: Boolean(params.capabilities.workspace?.configuration),
    refreshLenses: Boolean(params.capabilities.workspace?.codeLens?.refreshSupport),
  };
  // Tests and other editors may pass settings up front, in the shape of the `tidemark.*` settings.
  if (params.initializationOptions) s.settings = readSettings(params.initializationOptions);
}

/** After `initialized`: settings, the first index of the folders, the root modules and their first live read. */
export async function initialized(s: EditorSession): Promise<void> {
  const { connection, index } = s;
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
}

export function register(s: EditorSession): void {
  const { connection } = s;

  connection.onDidChangeConfiguration(async () => {
    await s.loadSettings();
    await s.access.reset();
    s.drift.applySettings();
    s.scheduleRefresh();
    await s.refreshLive(s.drift.roots());
  });

  connection.onShutdown(() => s.close());
}
