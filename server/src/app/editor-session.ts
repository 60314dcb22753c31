// The language server's composition root: one object holding everything a handler needs (connection,
// documents, index, services, settings) and the shared steps (publish, live refresh, alerts). Handlers in
// lsp/handlers/ receive it; nothing here is module-level state.
import type { Connection, TextDocuments, WorkspaceFolder } from 'vscode-languageserver/node';
import { CodeLensRefreshRequest } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { awsEndpointShim, AwsEndpointShim } from '../access/aws-cli-endpoint';
import { brokerGrantSource } from '../attribution/attributor';
import { EditorAlerts } from './editor-alerts';
import { WorkspaceIndex } from '../hcl/workspace-index';
import { driftDiagnostic } from '../lsp/drift-diagnostics';
import { syntaxDiagnostics } from '../lsp/syntax-diagnostics';
import type { Drift } from '../model';
import { AccessEventNotification, AlertNotification, DriftChangedNotification, type AccessEvent, type Alert, type BrokerEvent } from '../protocol';
import { redactValue } from '../access/redact';
import { ShownAlerts } from './shown-alerts';
import { keyToUri, uriToKey } from '../uri';
import { AccessService } from './access-service';
import { AttributionService } from './attribution-service';
import { DriftService, DriftSettings } from './drift-service';

/** The `tidemark.*` settings the server uses (from initializationOptions or workspace/configuration). */
export interface ServerSettings {
  drift: DriftSettings;
  brokerUrl?: string;
  /** PEM CA trusted for an https:// team broker besides the system CAs (`tidemark.broker.caFile`). */
  brokerCaFile?: string;
}

export const DEFAULT_SETTINGS: ServerSettings = { drift: { aws: {}, refreshIntervalSeconds: 300 } };

/** Reads the `tidemark` settings section; anything malformed falls back to the default. Pure. */
export function readSettings(raw: unknown): ServerSettings {
  const t = (raw && typeof raw === 'object' ? raw : {}) as { aws?: { profile?: string; region?: string; endpoint?: string }; refreshInterval?: number; broker?: { url?: string; caFile?: string } };
  const nonEmpty = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  return {
    brokerUrl: nonEmpty(t.broker?.url),
    brokerCaFile: nonEmpty(t.broker?.caFile),
    drift: {
      aws: { profile: nonEmpty(t.aws?.profile), region: nonEmpty(t.aws?.region), endpoint: nonEmpty(t.aws?.endpoint) },
      refreshIntervalSeconds: typeof t.refreshInterval === 'number' && t.refreshInterval >= 0 ? t.refreshInterval : 300,
    },
  };
}

/** What the client said it can do, from `initialize`. */
export interface ClientCapabilities {
  registerWatchers: boolean;
  askConfiguration: boolean;
  refreshLenses: boolean;
}

export class EditorSession {
  readonly index = new WorkspaceIndex();
  readonly drift: DriftService;
  readonly access: AccessService;
  readonly attribution: AttributionService;
  readonly alerts: EditorAlerts;
  folders: WorkspaceFolder[] = [];
  settings: ServerSettings = DEFAULT_SETTINGS;
  capabilities: ClientCapabilities = { registerWatchers: false, askConfiguration: false, refreshLenses: false };
  brokerToken?: string;
  /** The first read of the settings: access calls wait for it, or they would go to the wrong cloud. */
  settingsReady: Promise<void> = Promise.resolve();
  private refreshTimer?: NodeJS.Timeout;
  /** The diagnostics last sent per file: a re-diff that changes nothing sends nothing. */
  private readonly published = new Map<string, string>();
  private driftSignature = '';
  private readonly shownErrors = new Set<string>();
  /** aws CLI wrappers for grant terminals, by endpoint: written once, removed when the server stops. */
  private readonly awsWrappers = new Map<string, Promise<AwsEndpointShim>>();
  private readonly shownAlerts = new ShownAlerts();

  constructor(readonly connection: Connection, readonly documents: TextDocuments<TextDocument>, private readonly env: NodeJS.ProcessEnv) {
    const log = (line: string) => this.log(line);
    this.drift = new DriftService(this.index, {
      env,
      settings: () => this.settings.drift,
      textOf: (file) => documents.get(keyToUri(file))?.getText(),
      log,
    });
    this.access = new AccessService({
      workspace: () => (this.folders[0] ? uriToKey(this.folders[0].uri) : undefined),
      env,
      aws: () => this.settings.drift.aws,
      brokerUrl: () => this.settings.brokerUrl,
      brokerCaFile: () => this.settings.brokerCaFile,
      token: () => this.brokerToken,
      onEvent: (event) => this.brokerEvent(event),
      log,
    });
    // Who changed each drift: CloudTrail always, the broker's grants when one is reachable (never started for this).
    this.attribution = new AttributionService({
      drift: this.drift,
      grants: () => (this.access.reachable() ? brokerGrantSource((op, params) => this.access.call(op, params)) : undefined),
      log,
    });
    this.alerts = new EditorAlerts({ send: (alert) => this.showAlert(alert), log });
  }

  /** Shows an alert once per id, whichever way it came (this editor's reads or the team broker's watch). */
  showAlert(alert: Alert): void {
    if (this.shownAlerts.first(alert.id)) void this.connection.sendNotification(AlertNotification, alert);
  }

  /** What the broker pushes: grant events to the Access view, a team watch's alerts as alerts. */
  private brokerEvent(event: BrokerEvent): void {
    if (event.type === 'watch-alert') this.showAlert(redactValue(event.alert));
    else void this.connection.sendNotification(AccessEventNotification, event satisfies AccessEvent);
  }

  log(message: string): void {
    this.connection.console.log(`[tidemark] ${message}`);
  }

  /** A file's drifts with their attribution laid over (severity follows the attribution class). */
  driftsFor(key: string): Drift[] {
    return this.attribution.apply(this.drift.driftsFor(key));
  }

  /**
   * Sends a file's diagnostics unless the editor already has exactly these for this version: a keystroke
   * re-diffs the whole module, but only the edited file and files whose drift changed are sent.
   */
  async publish(key: string): Promise<void> {
    const file = this.index.get(key);
    const diagnostics = file ? [...syntaxDiagnostics(file.errors), ...syntaxDiagnostics(this.drift.problemsFor(key)), ...this.driftsFor(key).map(driftDiagnostic)] : [];
    const signature = JSON.stringify([file?.version, diagnostics]);
    if (this.published.get(key) === signature) return;
    if (file) this.published.set(key, signature);
    else this.published.delete(key);
    await this.connection.sendDiagnostics({ uri: keyToUri(key), version: file?.version, diagnostics });
  }

  /** Publishes the files of a root module (drift can appear in any of them); tells the client when drift changed. */
  async publishModule(root: string): Promise<void> {
    for (const f of this.index.allFiles()) if (this.drift.belongsTo(f.file, root)) await this.publish(f.file);
    const signature = JSON.stringify(this.drift.roots().map((r) => this.attribution.apply(this.drift.report(r)?.drifts ?? []).map((d) => [d.file, d.address, d.attributePath, d.range, d.severity, d.suppressed, d.attribution?.grantId])));
    if (signature === this.driftSignature) return;
    this.driftSignature = signature;
    void this.connection.sendNotification(DriftChangedNotification);
    // Lenses ("2 attributes drifted") are pulled by the client: ask it to pull them again.
    if (this.capabilities.refreshLenses) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  /** Re-reads live state with $/progress; failures go to the log and, once per message, to the user. */
  async refreshLive(roots: string[], addresses?: string[]): Promise<void> {
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Tidemark', 0, 'Reading live state…', false);
    try {
      for (const [i, root] of roots.entries()) {
        progress?.report(Math.round((i / roots.length) * 100), `Reading live state (${i + 1}/${roots.length})`);
        // A first full read shows the open files' drift as soon as their resources are read.
        const open = this.documents.all().map((d) => uriToKey(d.uri));
        const failures = await this.drift.refresh(root, addresses, { files: open, publish: async () => { for (const f of open) await this.publish(f); } });
        for (const failure of failures) {
          this.log(`live read: ${failure}`);
          if (!this.shownErrors.has(failure)) {
            this.shownErrors.add(failure);
            void this.connection.window.showWarningMessage(`Tidemark: ${failure}`);
          }
        }
        await this.publishModule(root);
        // Attribution needs CloudTrail (and maybe the broker): drift is shown first, then who did it.
        progress?.report(Math.round(((i + 0.5) / roots.length) * 100), 'Finding who changed what…');
        const incomplete = await this.attribution.refresh(root, addresses).catch((error: Error) => [error.message]);
        for (const f of incomplete) this.log(`attribution: ${f}`);
        await this.publishModule(root);
        await this.raiseAlerts(root).catch((error: Error) => this.log(`alerts: ${error.message}`));
      }
    } finally {
      progress?.done();
    }
  }

  /** Alerts for what changed in a root module since its previous attributed read. */
  private async raiseAlerts(root: string): Promise<void> {
    const drifts = this.index.allFiles().filter((f) => this.drift.belongsTo(f.file, root)).flatMap((f) => this.driftsFor(f.file)).filter((d) => d.root === root);
    const snapshot = this.drift.connectedModule(root)?.cache?.snapshot;
    await this.alerts.update(root, drifts, (address) => {
      const entry = snapshot?.get(address);
      return entry?.status === 'found' ? entry.resource.attributes : undefined;
    });
  }

  async loadSettings(): Promise<void> {
    if (!this.capabilities.askConfiguration) return;
    const [raw] = await this.connection.workspace.getConfiguration([{ section: 'tidemark' }]).catch(() => [undefined]);
    if (raw) this.settings = readSettings(raw);
  }

  scheduleRefresh(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    const seconds = this.settings.drift.refreshIntervalSeconds;
    if (seconds > 0) {
      this.refreshTimer = setInterval(() => void this.refreshLive(this.drift.roots()), seconds * 1000);
      this.refreshTimer.unref();
    }
  }

  async indexFolders(added: WorkspaceFolder[]): Promise<void> {
    for (const folder of added) {
      const started = Date.now();
      const files = await this.index.addFolder(uriToKey(folder.uri));
      for (const file of files) if (!this.documents.get(keyToUri(file.file))) await this.publish(file.file);
      this.log(`indexed ${files.length} files in ${folder.name} (${Date.now() - started} ms)`);
    }
  }

  /**
   * The folder to put first on a grant terminal's PATH so `aws` reaches the endpoint (the setting, else
   * the environment's AWS_ENDPOINT_URL) when the installed CLI is too old to read AWS_ENDPOINT_URL.
   */
  async awsCliWrapper(endpoint: string | undefined): Promise<string | undefined> {
    const target = endpoint?.trim() || this.settings.drift.aws.endpoint || this.env.AWS_ENDPOINT_URL;
    if (!target) return undefined;
    let shim = this.awsWrappers.get(target);
    if (!shim) {
      shim = awsEndpointShim({ ...this.env, AWS_ENDPOINT_URL: target });
      this.awsWrappers.set(target, shim);
    }
    return (await shim).dir;
  }

  async close(): Promise<void> {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    for (const shim of this.awsWrappers.values()) await shim.then((s) => s.dispose(), () => undefined);
    this.awsWrappers.clear();
    await this.access.close();
  }
}
