// A real LSP client over stdio against the bundled dist/server.js, for tests and benchmarks.
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { childEnv } from './child-env';
import { reap } from './child-reaper';
import {
  createProtocolConnection,
  InitializeRequest,
  InitializedNotification,
  ExitNotification,
  ShutdownRequest,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export const repoRoot = path.resolve(__dirname, '../../..');
export const serverBundle = path.join(repoRoot, 'dist', 'server.js');

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

export interface LspSession {
  connection: ProtocolConnection;
  process: ChildProcess;
  stderr: () => string;
  /** Questions the server asked (window/showMessageRequest) and messages it showed. */
  prompts: string[];
  messages: string[];
  /** The server's log lines (window/logMessage), for failure messages. */
  logs: string[];
  /** Resolves with the diagnostics for uri (the latest, or the next published) that satisfy the predicate. */
  diagnostics(uri: string, predicate?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined;
  open(uri: string, text: string, version?: number): Promise<void>;
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void>;
  close(uri: string): Promise<void>;
  shutdown(): Promise<number | null>;
}

export interface LspSessionOptions {
  rootDir?: string;
  env?: NodeJS.ProcessEnv;
  initializationOptions?: unknown;
  /** Picks the button a user would press on window/showMessageRequest (default: dismiss). */
  answer?: (message: string, actions: string[]) => string | undefined;
}

export async function startLspSession(options: LspSessionOptions = {}): Promise<LspSession> {
  const child = reap(spawn(process.execPath, [serverBundle, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: childEnv(options.env),
  }));
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const latest = new Map<string, PublishDiagnosticsParams>();
  const waiters: Array<{ uri: string; predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    latest.set(params.uri, params);
    for (const w of [...waiters]) {
      if (w.uri === params.uri && w.predicate(params)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(params);
      }
    }
  });
  // Servers may ask for configuration, progress tokens and registrations: answer like VS Code does.
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  const prompts: string[] = [];
  connection.onRequest('window/showMessageRequest', (params: { message: string; actions?: Array<{ title: string }> }) => {
    prompts.push(params.message);
    const title = options.answer?.(params.message, (params.actions ?? []).map((a) => a.title));
    return title ? { title } : null;
  });
  const messages: string[] = [];
  connection.onNotification('window/showMessage', (params: { message: string }) => {
    messages.push(params.message);
  });
  const logs: string[] = [];
  connection.onNotification('window/logMessage', (params: { message: string }) => {
    logs.push(params.message);
  });
  connection.onRequest('workspace/applyEdit', () => ({ applied: true }));
  connection.listen();

  const rootUri = options.rootDir ? fileUri(options.rootDir) : null;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: options.rootDir ? [{ uri: rootUri!, name: path.basename(options.rootDir) }] : null,
    initializationOptions: options.initializationOptions,
    capabilities: {
      workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, configuration: true },
      textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } },
      window: { workDoneProgress: true },
    },
  });
  await connection.sendNotification(InitializedNotification.type, {});

  return {
    connection,
    process: child,
    stderr: () => stderr,
    prompts,
    messages,
    logs,
    diagnostics(uri, predicate = () => true, timeoutMs = 20_000) {
      // What was already published counts: the server may have answered before the test asked.
      const current = latest.get(uri);
      if (current && predicate(current)) return Promise.resolve(current);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(latest.get(uri))}\nserver log:\n${logs.join('\n')}\nserver stderr: ${stderr}`)), timeoutMs);
        waiters.push({ uri, predicate, resolve: (p) => { clearTimeout(timer); resolve(p); } });
      });
    },
    latestDiagnostics: (uri) => latest.get(uri),
    open: (uri, text, version = 1) =>
      connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'terraform', version, text } }),
    change: (uri, version, changes) =>
      connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes }),
    close: (uri) => connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } }),
    async shutdown() {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}
