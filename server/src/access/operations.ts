// The broker's operations as one typed table: the HTTP server, the in-process client and (later)
// the LSP custom requests (`tidemark/access/<operation>`) all go through dispatch(), so every
// transport offers exactly the same calls with the same checks.
import { AuditRecord, Grant } from '../model';
import { ChainVerdict, parseHead } from './audit-chain';
import { SignedHead } from './audit-head';
import { Broker, CommandInput, GrantRequestInput, GrantTimeline, Principal } from './broker';
import { AccessCredentials } from './cloud';
import { AccessError } from './errors';

export interface BrokerApi {
  whoami: [Record<string, never>, Principal];
  request: [GrantRequestInput, Grant];
  approve: [{ id: string; comment?: string }, Grant];
  deny: [{ id: string; comment?: string }, Grant];
  revoke: [{ id: string; reason?: string }, Grant];
  release: [{ id: string }, Grant];
  review: [{ id: string; note?: string }, Grant];
  grant: [{ id: string }, Grant];
  grants: [{ active?: boolean; all?: boolean; mine?: boolean }, Grant[]];
  credentials: [{ id: string }, AccessCredentials];
  recordCommands: [{ id: string; commands: CommandInput[] }, { recorded: number }];
  log: [{ id: string }, GrantTimeline];
  auditVerify: [{ expectHead?: string }, ChainVerdict];
  auditHead: [Record<string, never>, SignedHead];
  auditExport: [{ since?: string }, AuditRecord[]];
}

export type OperationName = keyof BrokerApi;
export type OperationParams<K extends OperationName> = BrokerApi[K][0];
export type OperationResult<K extends OperationName> = BrokerApi[K][1];

export const OPERATIONS: readonly OperationName[] = [
  'whoami', 'request', 'approve', 'deny', 'revoke', 'release', 'review', 'grant', 'grants', 'credentials', 'recordCommands', 'log', 'auditVerify', 'auditHead', 'auditExport',
];

export function isOperation(name: string): name is OperationName {
  return (OPERATIONS as readonly string[]).includes(name);
}

function text(params: Record<string, unknown>, key: string, required: true): string;
function text(params: Record<string, unknown>, key: string, required?: false): string | undefined;
function text(params: Record<string, unknown>, key: string, required = false): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) {
    if (required) throw new AccessError('bad-request', `missing '${key}'`);
    return undefined;
  }
  if (typeof v !== 'string') throw new AccessError('bad-request', `'${key}' must be a string`);
  return v;
}

/** Runs one operation for an authenticated principal; parameters are checked, never trusted. */
export async function dispatch<K extends OperationName>(broker: Broker, principal: Principal, op: K, raw: unknown): Promise<OperationResult<K>> {
  const p = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  // A proof that verifies but names nobody in config.yaml gets no further than 'whoami'.
  if (op !== 'whoami') broker.requireConfigured(principal);
  const result = await (async (): Promise<unknown> => {
    switch (op as OperationName) {
      case 'whoami': return principal;
      case 'request': {
        const duration = p.durationSeconds;
        if (typeof duration !== 'number') throw new AccessError('bad-request', `'durationSeconds' must be a number`);
        return broker.request(principal, {
          role: text(p, 'role', true), durationSeconds: duration, reason: text(p, 'reason', true), ticket: text(p, 'ticket'),
          breakGlass: p.breakGlass === true, extends: text(p, 'extends'),
        });
      }
      case 'approve': return broker.approve(principal, text(p, 'id', true), text(p, 'comment'));
      case 'deny': return broker.deny(principal, text(p, 'id', true), text(p, 'comment'));
      case 'revoke': return broker.revoke(principal, text(p, 'id', true), text(p, 'reason'));
      case 'release': return broker.release(principal, text(p, 'id', true));
      case 'review': return broker.review(principal, text(p, 'id', true), text(p, 'note'));
      case 'grant': return broker.grantFor(principal, text(p, 'id', true));
      case 'grants': return broker.grantsFor(principal, { active: p.active === true, all: p.all === true, mine: p.mine === true });
      case 'credentials': return broker.getCredentials(principal, text(p, 'id', true));
      case 'recordCommands': {
        if (!Array.isArray(p.commands)) throw new AccessError('bad-request', `'commands' must be a list`);
        return { recorded: await broker.recordCommands(principal, text(p, 'id', true), p.commands as CommandInput[]) };
      }
      case 'log': return broker.timeline(principal, text(p, 'id', true));
      case 'auditVerify': {
        const expectHead = text(p, 'expectHead');
        const expected = expectHead === undefined ? undefined : parseHead(expectHead);
        if (expectHead !== undefined && !expected) throw new AccessError('bad-request', `'expectHead' must be <count>:<64 hex digits>, not '${expectHead}'`);
        return broker.auditVerifyFor(principal, expected);
      }
      case 'auditHead': return broker.auditHeadFor(principal);
      case 'auditExport': {
        const since = text(p, 'since');
        if (since !== undefined && Number.isNaN(Date.parse(since))) throw new AccessError('bad-request', `'since' is not a date: ${since}`);
        return broker.auditExportFor(principal, since ? new Date(since) : undefined);
      }
    }
  })();
  return result as OperationResult<K>;
}
