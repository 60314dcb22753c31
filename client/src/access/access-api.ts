// The client's view of the access broker: one LSP request per operation (`tidemark/access/<op>`),
// answered by the language server. Only shapes the client renders are declared here.
import type { LanguageClient } from 'vscode-languageclient/node';
import { AccessRequestPrefix, AwsCliWrapperRequest, GrantChangesRequest, ScopeForRequest } from '../../../server/src/protocol';
import type { AccessCredentials, AwsCliWrapperResult, BrokerApi, CommandInput, Grant, GrantChangesResult, GrantScope, GrantTimeline, Principal, ScopeForParams, ScopeForResult, TimelineEntry } from '../../../server/src/protocol';

export type { Grant, GrantChangesResult, GrantScope, ScopeForParams, TimelineEntry };
/** The broker's types, under the names the client's views use. */
export type Me = Principal;
export type Credentials = AccessCredentials;
export type CommandRecord = CommandInput;
export type Timeline = GrantTimeline;
type AccessOps = BrokerApi;

export class AccessApi {
  constructor(private readonly client: LanguageClient) {}

  call<K extends keyof AccessOps>(op: K, params: AccessOps[K][0]): Promise<AccessOps[K][1]> {
    return this.client.sendRequest<AccessOps[K][1]>(AccessRequestPrefix + op, params);
  }

  /** The folder whose `aws` wrapper reaches `endpoint` with an aws CLI too old for AWS_ENDPOINT_URL (none when not needed). */
  awsCliWrapper(endpoint: string | undefined): Promise<AwsCliWrapperResult> {
    return this.client.sendRequest<AwsCliWrapperResult>(AwsCliWrapperRequest, { endpoint });
  }

  /** The scope for a request from the editor (blocks, a file, the diff vs a ref, a drift), resolved by the server. */
  scopeFor(params: ScopeForParams): Promise<ScopeForResult> {
    return this.client.sendRequest<ScopeForResult>(ScopeForRequest, params);
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
