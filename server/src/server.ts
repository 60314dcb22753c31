// LSP wiring only: capabilities and handlers that call the index and the pure builders.
import {
  createConnection,
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
import { documentSymbols, workspaceSymbols } from './lsp/symbols';
import { syntaxDiagnostics } from './lsp/syntax-diagnostics';
import { keyToUri, uriToKey } from './uri';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const index = new WorkspaceIndex();
let folders: WorkspaceFolder[] = [];
let canRegisterWatchers = false;

function log(message: string): void {
  connection.console.log(`[tidemark] ${message}`);
}

async function publish(key: string): Promise<void> {
  const file = index.get(key);
  await connection.sendDiagnostics({
    uri: keyToUri(key),
    version: file?.version,
    diagnostics: file ? syntaxDiagnostics(file.errors) : [],
  });
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
  const fileFilter = { filters: [{ pattern: { glob: '**/*.{tf,tfvars}' } }] };
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      documentSymbolProvider: { label: 'Tidemark' },
      workspaceSymbolProvider: true,
      workspace: {
        workspaceFolders: { supported: true, changeNotifications: true },
        fileOperations: { didCreate: fileFilter, didDelete: { filters: [{ pattern: { glob: '**' } }] }, didRename: { filters: [{ pattern: { glob: '**' } }] } },
      },
    },
    serverInfo: { name: 'tidemark', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
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
});

documents.onDidChangeContent(async ({ document }) => {
  const key = uriToKey(document.uri);
  await index.update(key, document.getText(), document.version);
  await publish(key);
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

connection.onWorkspaceSymbol(async ({ query }) => {
  await index.settled();
  return workspaceSymbols(index.blocks(), query, keyToUri);
});

documents.listen(connection);
connection.listen();
