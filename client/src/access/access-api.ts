// The client's view of the access broker: one LSP request per operation (`tidemark/access/<op>`),
// answered by the language server. Only shapes the client renders are declared here.
import type { LanguageClient } from 'vscode-languageclient/node';
import { AccessRequestPrefix, Grant, GrantChangesRequest, GrantChangesResult } from '../../../server/src/protocol';

export type { Grant, GrantChangesResult };

export interface Me {
  arn: string;
  name: string;
  groups?: string[];
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
}

export interface CommandRecord {
  at?: string;
  cwd: string;
  command: string;
  exitCode: number | null;
  source: 'shell' | 'exec' | 'terminal';
}

export type TimelineEntry =
  | { at: string; kind: 'state'; text: string; actor: string }
  | { at: string; kind: 'command'; command: { at: string; cwd: string; command: string; exitCode: number | null; user: string } }
  | { at: string; kind: 'api'; event: { eventName: string; eventSource: string; resources: string[]; errorCode?: string; readOnly?: boolean } };

export interface Timeline {
  grant: Grant;
  entries: TimelineEntry[];
  warnings: string[];
}

export interface AccessOps {
  whoami: [Record<string, never>, Me];
  request: [{ role: string; durationSeconds: number; reason: string; ticket?: string; breakGlass?: boolean; extends?: string }, Grant];
  approve: [{ id: string; comment?: string }, Grant];
  deny: [{ id: string; comment?: string }, Grant];
  revoke: [{ id: string; reason?: string }, Grant];
  release: [{ id: string }, Grant];
  review: [{ id: string; note?: string }, Grant];
  grant: [{ id: string }, Grant];
  grants: [{ active?: boolean; all?: boolean; mine?: boolean }, Grant[]];
  credentials: [{ id: string }, Credentials];
  recordCommands: [{ id: string; commands: CommandRecord[] }, { recorded: number }];
  log: [{ id: string }, Timeline];
}

export class AccessApi {
  constructor(private readonly client: LanguageClient) {}

  call<K extends keyof AccessOps>(op: K, params: AccessOps[K][0]): Promise<AccessOps[K][1]> {
    return this.client.sendRequest<AccessOps[K][1]>(AccessRequestPrefix + op, params);
  }

  /** What a grant changed in this workspace and what became of it (the server compares with drift). */
  changes(id: string): Promise<GrantChangesResult> {
    return this.client.sendRequest<GrantChangesResult>(GrantChangesRequest, { id });
  }
}

export const ACTIVE_STATES = new Set(['active', 'approved']);
export const ENDED_STATES = new Set(['expired', 'revoked', 'ended-early', 'denied']);

/** `12:05` / `1:02:03` until the grant ends; undefined when it has no end yet. */
export function timeLeft(grant: Grant, now = Date.now()): { ms: number; text: string } | undefined {
  if (!grant.endsAt) return undefined;
  const ms = Math.max(0, Date.parse(grant.endsAt) - now);
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return { ms, text: h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}` };
}

export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}h${Math.round((seconds % 3600) / 60)}m`;
  return `${Math.round(seconds / 60)}m`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
