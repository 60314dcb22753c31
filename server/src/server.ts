// LSP wiring only: capabilities and handlers that call the index and the pure builders.
import {
  CodeAction,
  CodeLens,
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  InitializeResult,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isTerraformFile, WorkspaceIndex } from './hcl/workspace-index';
import { renderHcl } from './drift/render-hcl';
import { driftCodeActions, REFRESH_COMMAND, REVERT_COMMAND } from './lsp/drift-code-actions';
import { driftDiagnostic, isDriftData } from './lsp/drift-diagnostics';
import { contains, driftHover } from './lsp/drift-hover';
import { driftLenses } from './lsp/drift-lens';
import { documentSymbols, workspaceSymbols } from './lsp/symbols';
import { syntaxDiagnostics } from './lsp/syntax-diagnostics';
import { DriftChangedNotification, DriftListRequest, DriftListResult, GrantChangesParams, GrantChangesRequest, GrantChangesResult, RefreshParams, RefreshRequest } from './protocol';
import { keyToUri, uriToKey } from './uri';
import { DriftService, DriftSettings } from './workspace/drift-service';
import { AccessEventNotification, AccessRequestPrefix, AccessSetTokenNotification } from './protocol';
import { OPERATIONS } from './access/operations';
import { AccessService, accessErrorMessage } from './workspace/access-service';
import { ResponseError } from 'vscode-languageserver/node';
import { AttributionService } from './workspace/attribution-service';
import { brokerGrantSource } from './attribution/attributor';
import { attributionHoverLines } from './lsp/drift-attribution';
import { EditorAlerts } from './alerts/editor-alerts';
import { AlertNotification } from './protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const index = new WorkspaceIndex();
let folders: WorkspaceFolder[] = [];
let canRegisterWatchers = false;
let canAskConfiguration = false;
let canRefreshLenses = false;
let settings: DriftSettings = { aws: {}, refreshIntervalSeconds: 300 };
let refreshTimer: NodeJS.Timeout | undefined;
let brokerUrl: string | undefined;
let brokerToken: string | undefined;
/** The first read of the settings: access calls wait for it, or they would go to the wrong cloud. */
let settingsReady: Promise<void> = Promise.resolve();

function log(message: string): void {
  connection.console.log(`[tidemark] ${message}`);
}

const drift = new DriftService(index, {
  env: process.env,
  settings: () => settings,
  textOf: (file) => documents.get(keyToUri(file))?.getText(),
  log,
});

const access = new AccessService({
  workspace: () => (folders[0] ? uriToKey(folders[0].uri) : undefined),
  env: process.env,
  aws: () => settings.aws,
  brokerUrl: () => brokerUrl,
  token: () => brokerToken,
  onEvent: (event) => void connection.sendNotification(AccessEventNotification, event),
  log,
});

// Who changed each drift: CloudTrail always, the broker's grants when one is reachable (never started for this).
const attribution = new AttributionService({
  drift,
  grants: () => (access.reachable() ? brokerGrantSource((op, params) => access.call(op, params)) : undefined),
  log,
});

const alerts = new EditorAlerts({ send: (alert) => void connection.sendNotification(AlertNotification, alert), log });

/** Alerts for what changed in a root module since its previous attributed read. */
async function raiseAlerts(root: string): Promise<void> {
  const drifts = index.allFiles().filter((f) => drift.rootOf(f.file) === root).flatMap((f) => driftsFor(f.file));
  const snapshot = drift.connectedModule(root)?.cache?.snapshot;
  await alerts.update(root, drifts, (address) => {
    const entry = snapshot?.get(address);
    return entry?.status === 'found' ? entry.resource.attributes : undefined;
  });
}

/** A file's drifts with their attribution laid over (severity follows the attribution class). */
function driftsFor(key: string) {
  return attribution.apply(drift.driftsFor(key));
}

async function publish(key: string): Promise<void> {
  const file = index.get(key);
  await connection.sendDiagnostics({
    uri: keyToUri(key),
    version: file?.version,
    diagnostics: file ? [...syntaxDiagnostics(file.errors), ...syntaxDiagnostics(drift.problemsFor(key)), ...driftsFor(key).map(driftDiagnostic)] : [],
  });
}

/** Publishes every file of a root module (drift can appear in any of them) and tells the client. */
async function publishModule(root: string): Promise<void> {
  for (const f of index.allFiles()) if (drift.rootOf(f.file) === root) await publish(f.file);
  void connection.sendNotification(DriftChangedNotification);
  // Lenses ("2 attributes drifted") are pulled by the client: ask it to pull them again.
  if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
}

/** Re-reads live state with $/progress; failures go to the log and, once per message, to the user. */
const shownErrors = new Set<string>();
async function refreshLive(roots: string[], addresses?: string[]): Promise<void> {
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('Tidemark', 0, 'Reading live state…', false);
  try {
    for (const [i, root] of roots.entries()) {
      progress?.report(Math.round((i / roots.length) * 100), `Reading live state (${i + 1}/${roots.length})`);
      const failures = await drift.refresh(root, addresses);
      for (const failure of failures) {
        log(`live read: ${failure}`);
        if (!shownErrors.has(failure)) {
          shownErrors.add(failure);
          void connection.window.showWarningMessage(`Tidemark: ${failure}`);
        }
      }
      await publishModule(root);
      // Attribution needs CloudTrail (and maybe the broker): drift is shown first, then who did it.
      progress?.report(Math.round(((i + 0.5) / roots.length) * 100), 'Finding who changed what…');
      const incomplete = await attribution.refresh(root).catch((error: Error) => [error.message]);
      for (const f of incomplete) log(`attribution: ${f}`);
      await publishModule(root);
      await raiseAlerts(root).catch((error: Error) => log(`alerts: ${error.message}`));
    }
  } finally {
    progress?.done();
  }
}

function readSettings(raw: unknown): DriftSettings {
  const t = (raw && typeof raw === 'object' ? raw : {}) as { aws?: { profile?: string; region?: string; endpoint?: string }; refreshInterval?: number; broker?: { url?: string } };
  const nonEmpty = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  brokerUrl = nonEmpty(t.broker?.url);
  return {
    aws: { profile: nonEmpty(t.aws?.profile), region: nonEmpty(t.aws?.region), endpoint: nonEmpty(t.aws?.endpoint) },
    refreshIntervalSeconds: typeof t.refreshInterval === 'number' && t.refreshInterval >= 0 ? t.refreshInterval : 300,
  };
}

async function loadSettings(): Promise<void> {
  if (!canAskConfiguration) return;
  const [raw] = await connection.workspace.getConfiguration([{ section: 'tidemark' }]).catch(() => [undefined]);
  if (raw) settings = readSettings(raw);
}

function scheduleRefresh(): void {
  if (refreshTimer) clearInterval(refreshTimer);
  refreshTimer = undefined;
  if (settings.refreshIntervalSeconds > 0) {
    refreshTimer = setInterval(() => void refreshLive(drift.roots()), settings.refreshIntervalSeconds * 1000);
    refreshTimer.unref();
  }
}

async function indexFolders(added: WorkspaceFolder[]): Promise<void> {
  for (const folder of added) {
    const started = Date.now();
    const files = await index.addFolder(uriToKey(folder.uri));
    for (const file of files) if (!documents.get(keyToUri(file.file))) await publish(file.file);
    log(`indexed ${files.length} files in ${folder.name} (${Date.now() - started} ms)`);
  }
}

connection.onInitialize((params): InitializeResult => {
  folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  canRegisterWatchers = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
  canAskConfiguration = Boolean(params.capabilities.workspace?.configuration);
  canRefreshLenses = Boolean(params.capabilities.workspace?.codeLens?.refreshSupport);
  // Tests and other editors may pass settings up front, in the shape of the `tidemark.*` settings.
  if (params.initializationOptions) settings = readSettings(params.initializationOptions);
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
  settingsReady = loadSettings();
  const scan = index.track(indexFolders(folders));
  if (canRegisterWatchers) {
    await connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.tf' }, { globPattern: '**/*.tfvars' }],
    });
  }
  connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
    for (const removed of event.removed) for (const key of index.removeUnder(uriToKey(removed.uri))) await publish(key);
    folders = folders.filter((f) => !event.removed.some((r) => r.uri === f.uri)).concat(event.added);
    await index.track(indexFolders(event.added));
  });
  await scan;
  await settingsReady;
  if (canAskConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'tidemark' });
  await drift.discover();
  scheduleRefresh();
  await refreshLive(drift.roots());
});

connection.onDidChangeConfiguration(async () => {
  await loadSettings();
  await access.reset();
  drift.applySettings();
  scheduleRefresh();
  await refreshLive(drift.roots());
});

documents.onDidChangeContent(async ({ document }) => {
  const key = uriToKey(document.uri);
  await index.update(key, document.getText(), document.version);
  // A keystroke re-diffs against the cached snapshot: no network.
  const root = drift.rootOf(key);
  if (root) {
    drift.reanalyze(root);
    await publishModule(root);
  } else await publish(key);
});

documents.onDidSave(({ document }) => {
  // A save is a natural moment to check the resources of that file against the cloud again.
  const key = uriToKey(document.uri);
  const root = drift.rootOf(key);
  if (root) void refreshLive([root], drift.addressesIn(key));
});

documents.onDidClose(async ({ document }) => {
  // Once closed, the file on disk is the truth again (unsaved edits were discarded).
  const key = uriToKey(document.uri);
  if (document.uri.startsWith('file:')) await index.updateFromDisk(key);
  else index.remove(key);
  await publish(key);
});

connection.onDidChangeWatchedFiles(({ changes }) => index.track((async () => {
  for (const change of changes) {
    const key = uriToKey(change.uri);
    if (documents.get(change.uri)) continue; // the editor's buffer wins over the disk
    if (change.type === FileChangeType.Deleted) index.remove(key);
    else if (isTerraformFile(key)) await index.updateFromDisk(key);
    await publish(key);
  }
})()));

connection.workspace.onDidCreateFiles(({ files }) => index.track((async () => {
  for (const f of files) if (isTerraformFile(f.uri)) { await index.updateFromDisk(uriToKey(f.uri)); await publish(uriToKey(f.uri)); }
})()));

connection.workspace.onDidDeleteFiles(({ files }) => index.track((async () => {
  for (const f of files) {
    const key = uriToKey(f.uri);
    const removed = index.get(key) ? [key] : index.removeUnder(key);
    index.remove(key);
    for (const r of removed) await publish(r);
  }
})()));

connection.workspace.onDidRenameFiles(({ files }) => index.track((async () => {
  for (const { oldUri, newUri } of files) {
    const oldKey = uriToKey(oldUri);
    const moved = index.get(oldKey) ? [oldKey] : index.removeUnder(oldKey);
    index.remove(oldKey);
    for (const r of moved) await publish(r);
    const newKey = uriToKey(newUri);
    if (isTerraformFile(newKey)) await index.updateFromDisk(newKey);
    else await index.addFolder(newKey);
    for (const f of index.allFiles()) if (f.file === newKey || f.file.startsWith(newKey + '/')) await publish(f.file);
  }
})()));

connection.onDocumentSymbol(async ({ textDocument }) => {
  await index.settled();
  const file = index.get(uriToKey(textDocument.uri));
  return file ? documentSymbols(file.blocks) : [];
});

connection.onHover(async ({ textDocument, position }) => {
  await index.settled();
  const key = uriToKey(textDocument.uri);
  const here = driftsFor(key).filter((d) => contains(d.range, position));
  const hover = driftHover(here, drift.readAt(key), new Date(), attributionHoverLines);
  return hover ? { contents: hover, range: here[0].range } : null;
});

connection.onCodeAction(async ({ textDocument, context }) => {
  await index.settled();
  const key = uriToKey(textDocument.uri);
  const file = index.get(key);
  const doc = documents.get(textDocument.uri);
  const endOfFile = doc ? doc.positionAt(doc.getText().length) : { line: 0, character: 0 };
  const actions: CodeAction[] = [];
  for (const diagnostic of context.diagnostics) {
    if (diagnostic.source !== 'tidemark' || !isDriftData(diagnostic.data)) continue;
    const data = diagnostic.data;
    const found = drift.findDrift(key, data.address, data.attributePath);
    if (!found) continue;
    const block = file?.blocks.find((b) => b.address === found.address.replace(/\[.*\]$/, ''));
    actions.push(...driftCodeActions({
      diagnostic, data, drift: found, block, uri: textDocument.uri, render: renderHcl,
      importHcl: found.kind === 'unmanaged' ? drift.importHcl(found) : undefined,
      endOfFile, canRevert: drift.canRevert(found),
    }));
  }
  return actions;
});

connection.onCodeLens(async ({ textDocument }): Promise<CodeLens[]> => {
  await index.settled();
  const key = uriToKey(textDocument.uri);
  return driftLenses(index.get(key)?.blocks ?? [], driftsFor(key), REFRESH_COMMAND);
});

connection.onExecuteCommand(async ({ command, arguments: args }) => {
  if (command === REFRESH_COMMAND) {
    const addresses = Array.isArray(args?.[0]) ? (args[0] as string[]) : undefined;
    await refreshLive(drift.roots(), addresses);
    return;
  }
  if (command === REVERT_COMMAND) {
    const data = args?.[0];
    if (!isDriftData(data)) return;
    const found = drift.findDrift(data.file, data.address, data.attributePath);
    if (!found) {
      void connection.window.showWarningMessage(`Tidemark: ${data.address} has no such drift any more; refresh first.`);
      return;
    }
    const path = found.attributePath.join('.');
    const answer = await connection.window.showWarningMessage(
      `Revert live ${found.address} ${path} to the declared value ${JSON.stringify(found.declared)}? This changes the cloud resource now.`,
      { title: 'Revert' },
      { title: 'Cancel' },
    );
    if (answer?.title !== 'Revert') return;
    const outcome = await drift.revert(found);
    log(`revert ${found.address} ${path}: ${outcome.message}`);
    if (outcome.ok) void connection.window.showInformationMessage(`Tidemark: ${outcome.message}`);
    else void connection.window.showErrorMessage(`Tidemark: revert failed: ${outcome.message}`);
    const root = drift.rootOf(found.file);
    if (root) await publishModule(root);
  }
});

connection.onRequest(DriftListRequest, async (): Promise<DriftListResult> => {
  await index.settled();
  const drifts = drift.roots().flatMap((r) => attribution.apply(drift.report(r)?.drifts ?? []))
    .map((d) => ({ ...d, uri: keyToUri(d.file), severityLabel: d.suppressed ? ('hint' as const) : d.severity ?? ('warning' as const), grantId: d.attribution?.grantId }));
  const readAt = drift.roots().map((r) => drift.status(r)?.readAt).filter(Boolean).sort()[0];
  return { drifts, readAt, unchecked: drift.unchecked(), refreshing: drift.roots().some((r) => drift.status(r)?.refreshing) };
});

connection.onRequest(RefreshRequest, async (params: RefreshParams | undefined) => {
  await refreshLive(drift.roots(), params?.addresses);
  return { drifts: drift.allDrifts().length };
});

connection.onRequest(GrantChangesRequest, async (params: GrantChangesParams | undefined): Promise<GrantChangesResult> => {
  if (typeof params?.id !== 'string') throw new ResponseError(1, `${GrantChangesRequest} needs a grant id`);
  try {
    return await attribution.changes(params.id);
  } catch (error) {
    throw new ResponseError(1, accessErrorMessage(error, log));
  }
});

// Access operations: the same typed table the CLI and the HTTP broker use.
for (const op of OPERATIONS) {
  connection.onRequest(`${AccessRequestPrefix}${op}`, async (params: unknown) => {
    try {
      await settingsReady;
      return await access.call(op, (params ?? {}) as never);
    } catch (error) {
      throw new ResponseError(1, accessErrorMessage(error, log));
    }
  });
}

connection.onNotification(AccessSetTokenNotification, async (params: { token?: string }) => {
  brokerToken = typeof params?.token === 'string' && params.token ? params.token : undefined;
  await access.reset();
});

connection.onShutdown(async () => {
  if (refreshTimer) clearInterval(refreshTimer);
  await access.close();
});

connection.onWorkspaceSymbol(async ({ query }) => {
  await index.settled();
  return workspaceSymbols(index.blocks(), query, keyToUri);
});

documents.listen(connection);
connection.listen();
