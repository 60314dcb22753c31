// The custom LSP messages between the VS Code client and the Tidemark server. The client imports
// nothing else from the server: it renders what arrives here and forwards what the user asks.
import type { Attribution, Drift, Grant, GrantChange, GrantScope, Severity } from '../model';
import type { BrokerEvent } from '../access/broker';

export type { Attribution, Drift, Grant, GrantChange, GrantScope, Severity };

/** `tidemark/drift` (request, no params): every drift the server currently knows, with counts. */
export const DriftListRequest = 'tidemark/drift';
export interface DriftListResult {
  drifts: DriftView[];
  /** When the live snapshot was read; undefined before the first successful read. */
  readAt?: string;
  /** Blocks that could not be checked, with the reason (unknown type, read failure), and their root module's URI. */
  unchecked: Array<{ address: string; reason: string; rootUri?: string }>;
  /** Root modules of the workspace (folder URIs): the view groups by them when there are several. */
  roots?: string[];
  refreshing: boolean;
}

/** A drift as the client shows it: the drift plus its URI and the grant it is attributed to. */
export interface DriftView extends Drift {
  uri: string;
  severityLabel: Severity;
  /** Grant id the change was made under, when attribution knows it. */
  grantId?: string;
  /** The root module (folder URI) whose check found it. */
  rootUri?: string;
}

/** `tidemark/driftChanged` (notification): the drift list changed; the client re-requests it. */
export const DriftChangedNotification = 'tidemark/driftChanged';

/** `tidemark/refresh` (request): re-read live state now; resolves when done. */
export const RefreshRequest = 'tidemark/refresh';
export interface RefreshParams {
  /** Only these resource addresses; all when omitted. */
  addresses?: string[];
}

/**
 * Access broker operations, one request each: `tidemark/access/<operation>` with the operation's
 * params (see server/src/access/operations.ts: request, approve, deny, revoke, release, review,
 * grant, grants, credentials, recordCommands, log, whoami, auditVerify, auditExport).
 */
export const AccessRequestPrefix = 'tidemark/access/';

/**
 * `tidemark/grantChanges` (request): what one grant changed in this workspace's resources, with
 * before/after, the command, and what became of each change (drifted, adopted, ignored, reverted).
 */
export const GrantChangesRequest = 'tidemark/grantChanges';
export interface GrantChangesParams {
  id: string;
}
export interface GrantChangesResult {
  changes: GrantChange[];
  /** Why the list may be incomplete (no broker, CloudTrail unreachable, log not readable). */
  warnings: string[];
}

/**
 * `tidemark/access/event` (notification): a grant changed or the broker raised an alert about a
 * grant — the broker's own events (BrokerEvent), as they arrive on its stream. A team watch's
 * alerts (`watch-alert` there) reach the editor as `tidemark/alert` instead, once per alert id.
 */
export const AccessEventNotification = 'tidemark/access/event';
export type AccessEvent = Exclude<BrokerEvent, { type: 'watch-alert' }>;

/**
 * `tidemark/alert` (notification): production changed under the workspace — drift appeared or was
 * attributed (an unattributed, no-grant change is severity `error`), or a guardrail was broken
 * (`critical`). The same Alert shape `tidemark watch` sends to webhooks and stdout.
 */
export const AlertNotification = 'tidemark/alert';
export type { Alert, AlertSeverity } from '../alerts/alert';

/** `tidemark/access/setToken` (notification): the team broker token from SecretStorage (memory only). */
export const AccessSetTokenNotification = 'tidemark/access/setToken';

/**
 * Commands the server executes (workspace/executeCommand). vscode-languageclient registers each as a
 * VS Code command, so none may share an id with a command the client registers itself.
 */
export const Commands = {
  revertLive: 'tidemark.server.revertLive',
  refresh: 'tidemark.server.refresh',
} as const;

export * from './broker';

/**
 * `tidemark/scopeFor` (request): the scope for a request made from the editor — the resource blocks
 * a selection touches, every resource block of a file, the blocks changed against a git ref, or the
 * resource of a drift (to revert it) — resolved through state to ARNs. The client opens the Access
 * view's request flow with it; an error is one line naming the address, file or ref.
 */
export const ScopeForRequest = 'tidemark/scopeFor';
export type ScopeForParams =
  | { kind: 'blocks'; uri: string; /** 0-based inclusive line ranges of the selections. */ lines: Array<{ start: number; end: number }> }
  | { kind: 'file'; uri: string }
  | { kind: 'diff'; /** Default HEAD. */ ref?: string; /** A file of the root module to diff (default: the first root). */ uri?: string }
  | { kind: 'drift'; uri: string; address: string };
export interface ScopeForResult {
  scope: GrantScope[];
}
