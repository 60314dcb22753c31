// "Open terminal with grant": a terminal whose environment points the AWS SDKs and CLI at the
// grant's credentials, served from this process's memory over loopback (the container-credentials
// protocol), so they are refreshed before they expire and never written to disk. Every command is
// recorded through shell integration into the grant's session log. When the grant ends the
// terminal is told, closed, and the credentials are dropped.
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AccessApi, CommandRecord, Credentials, Grant, errorText, timeLeft } from './access-api';

// Shell integration events (VS Code 1.93+), declared here because the manifest supports 1.91.
interface ShellExecution { commandLine: { value: string }; cwd?: vscode.Uri }
interface ShellIntegrationWindow {
  onDidStartTerminalShellExecution?: vscode.Event<{ terminal: vscode.Terminal; execution: ShellExecution }>;
  onDidEndTerminalShellExecution?: vscode.Event<{ terminal: vscode.Terminal; execution: ShellExecution; exitCode: number | undefined }>;
  onDidChangeTerminalShellIntegration?: vscode.Event<{ terminal: vscode.Terminal }>;
}

interface Session {
  grant: Grant;
  terminal: vscode.Terminal;
  token: string;
  credentials?: Credentials;
  started: Map<ShellExecution, string>;
  integrated: boolean;
}

/** AWS_ENDPOINT_URL / AWS_REGION from the `tidemark.aws.*` settings, when they are set. */
function cloudEnv(): Record<string, string> {
  const config = vscode.workspace.getConfiguration('tidemark.aws');
  const env: Record<string, string> = {};
  const endpoint = config.get<string>('endpoint', '').trim();
  const region = config.get<string>('region', '').trim();
  if (endpoint) env.AWS_ENDPOINT_URL = endpoint;
  if (region) env.AWS_REGION = env.AWS_DEFAULT_REGION = region;
  return env;
}

export class GrantTerminals implements vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly disposables: vscode.Disposable[] = [];
  private server: http.Server | undefined;
  private port = 0;

  constructor(
    private readonly api: () => AccessApi | undefined,
    private readonly cliPath: string,
    private readonly log: vscode.LogOutputChannel,
    /** Told after a command reached the session log, so views showing it can reload. */
    private readonly onRecorded: (grantId: string) => void = () => undefined,
  ) {
    const w = vscode.window as unknown as ShellIntegrationWindow;
    if (w.onDidStartTerminalShellExecution) {
      this.disposables.push(w.onDidStartTerminalShellExecution((e) => this.byTerminal(e.terminal)?.started.set(e.execution, new Date().toISOString())));
    }
    if (w.onDidEndTerminalShellExecution) {
      this.disposables.push(w.onDidEndTerminalShellExecution((e) => void this.record(e.terminal, e.execution, e.exitCode)));
    }
    if (w.onDidChangeTerminalShellIntegration) {
      this.disposables.push(w.onDidChangeTerminalShellIntegration((e) => { const s = this.byTerminal(e.terminal); if (s) s.integrated = true; }));
    }
    this.disposables.push(vscode.window.onDidCloseTerminal((t) => {
      const s = this.byTerminal(t);
      if (s) {
        this.sessions.delete(s.grant.id);
      }
    }));
  }

  private byTerminal(t: vscode.Terminal): Session | undefined {
    for (const s of this.sessions.values()) if (s.terminal === t) return s;
    return undefined;
  }

  private async record(t: vscode.Terminal, execution: ShellExecution, exitCode: number | undefined): Promise<void> {
    const s = this.byTerminal(t);
    if (!s) return;
    const command: CommandRecord = {
      at: s.started.get(execution) ?? new Date().toISOString(),
      cwd: execution.cwd?.fsPath ?? '',
      command: execution.commandLine.value,
      exitCode: exitCode ?? null,
      source: 'terminal',
    };
    s.started.delete(execution);
    if (!command.command.trim()) return;
    try {
      await this.api()?.call('recordCommands', { id: s.grant.id, commands: [command] });
      this.onRecorded(s.grant.id);
    } catch (error) {
      this.log.warn(`could not record a command of ${s.grant.id}: ${errorText(error)}`);
    }
  }

  /** Loopback credentials endpoint; each terminal has its own bearer token. */
  private async ensureServer(): Promise<number> {
    if (this.server) return this.port;
    this.server = http.createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const id = decodeURIComponent((req.url ?? '').replace(/^\/grant\//, ''));
    const s = this.sessions.get(id);
    if (!s || req.headers.authorization !== s.token) {
      res.writeHead(403).end();
      return;
    }
    try {
      // Fresh credentials when fewer than 5 minutes remain.
      if (!s.credentials || Date.parse(s.credentials.expiration) - Date.now() < 5 * 60_000) {
        s.credentials = await this.api()!.call('credentials', { id });
      }
      const c = s.credentials;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, Token: c.sessionToken, Expiration: c.expiration }));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: errorText(error) }));
    }
  }

  async open(grant: Grant): Promise<void> {
    const existing = this.sessions.get(grant.id);
    if (existing) {
      existing.terminal.show();
      return;
    }
    const api = this.api();
    if (!api) return;
    let credentials: Credentials;
    try {
      credentials = await api.call('credentials', { id: grant.id });
    } catch (error) {
      void vscode.window.showErrorMessage(`Tidemark: no credentials for ${grant.id}: ${errorText(error)}`);
      return;
    }
    const port = await this.ensureServer();
    const token = randomBytes(24).toString('hex');
    const left = timeLeft(grant);
    const cloud = cloudEnv();
    // Debian's aws CLI (2.9) ignores AWS_ENDPOINT_URL: then the server's wrapper, first on PATH, passes --endpoint-url.
    const wrapper = await api.awsCliWrapper(cloud.AWS_ENDPOINT_URL).catch(() => ({ dir: undefined }));
    const terminal = vscode.window.createTerminal({
      name: `${grant.role} · ${grant.id} · ${left ? `${left.text} left` : grant.state}`,
      iconPath: new vscode.ThemeIcon('unlock'),
      color: new vscode.ThemeColor('terminal.ansiYellow'),
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri,
      env: {
        // The user's own keys must not win over the grant's.
        AWS_ACCESS_KEY_ID: null as unknown as string,
        AWS_SECRET_ACCESS_KEY: null as unknown as string,
        AWS_SESSION_TOKEN: null as unknown as string,
        AWS_PROFILE: null as unknown as string,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/grant/${encodeURIComponent(grant.id)}`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: token,
        TIDEMARK_GRANT: grant.id,
        // The same cloud Tidemark reads: with `tidemark.aws.endpoint` set (the sandbox, an
        // AWS-compatible cloud) the grant's credentials are only valid there.
        ...cloud,
        ...(wrapper.dir ? { PATH: `${wrapper.dir}${path.delimiter}${process.env.PATH ?? ''}`, TIDEMARK_AWS_WRAPPER: wrapper.dir } : {}),
      },
    });
    const session: Session = { grant, terminal, token, credentials, started: new Map(), integrated: false };
    this.sessions.set(grant.id, session);
    terminal.show();
    // Shell integration normally arrives within a second or two; without it nothing can be recorded.
    const w = vscode.window as unknown as ShellIntegrationWindow;
    setTimeout(() => {
      const integrated = session.integrated || Boolean((terminal as unknown as { shellIntegration?: unknown }).shellIntegration);
      if (this.sessions.get(grant.id) !== session || (integrated && w.onDidEndTerminalShellExecution)) return;
      void vscode.window
        .showWarningMessage(`Tidemark: shell integration is unavailable in this terminal, so commands run with ${grant.id} cannot be recorded. Use \`tidemark shell\` instead.`, 'Open tidemark shell')
        .then((pick) => {
          if (pick) this.openCliShell(grant);
        });
    }, 8000);
  }

  /** `tidemark shell <grant>`: the CLI's own recording shell. */
  openCliShell(grant: Grant): void {
    const terminal = vscode.window.createTerminal({
      name: `tidemark shell · ${grant.id}`,
      shellPath: process.execPath,
      shellArgs: [this.cliPath, 'shell', grant.id],
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri,
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    terminal.show();
  }

  /**
   * Called on every grant event: an ended grant closes its terminal and drops its credentials.
   * True when a terminal was closed; the caller's notification says so (one message, not two).
   */
  grantChanged(grant: Grant): boolean {
    const s = this.sessions.get(grant.id);
    if (!s) return false;
    s.grant = grant;
    if (grant.state === 'active' || grant.state === 'approved') return false;
    this.sessions.delete(grant.id);
    s.credentials = undefined;
    s.terminal.dispose();
    return true;
  }

  dispose(): void {
    for (const s of this.sessions.values()) {
      s.credentials = undefined;
    }
    this.sessions.clear();
    this.server?.close();
    for (const d of this.disposables) d.dispose();
  }
}
