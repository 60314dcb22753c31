// The broker's operations as one typed table: the HTTP server, the in-process client and (later)
// the LSP custom requests (`tidemark/access/<operation>`) all go through dispatch(), so every
// transport offers exactly the same calls with the same checks.
import { AuditRecord, Grant, GrantScope, ScopeOrigin } from '../model';
import { ChainVerdict, parseHead } from './audit-chain';
import { SignedHead } from './audit-head';
import { Broker, CommandInput, GrantRequestInput, GrantTimeline, Principal } from './broker';
import { AccessCredentials } from './cloud';
import { AccessError } from './errors';
import type { WatchStatus } from './ledger/watch-ledger';

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
  /** The team watch's roots (account, regions, state, events routed) and the events no root took. */
  watchStatus: [Record<string, never>, WatchStatus];
}

export type OperationName = keyof BrokerApi;
export type OperationParams<K extends OperationName> = BrokerApi[K][0];
export type OperationResult<K extends OperationName> = BrokerApi[K][1];

export const OPERATIONS: readonly OperationName[] = [
  'whoami', 'request', 'approve', 'deny', 'revoke', 'release', 'review', 'grant', 'grants', 'credentials', 'recordCommands', 'log', 'auditVerify', 'auditHead', 'auditExport', 'watchStatus',
];

export function isOperation(name: string): name is OperationName {
  return (OPERATIONS as readonly string[]).includes(name);
}

/** How a text field may look: its longest accepted length, and whether it may span lines. */
interface TextRule { maxChars: number; multiline: boolean }

/**
 * Text fields by name. Reasons and comments are prose (tab and newline allowed); ids, roles and
 * tickets are one line. PostgreSQL cannot store NUL, and other control or bidirectional-override
 * characters would let a request hide or reorder what an approver reads.
 */
const TEXT_RULES: Record<string, TextRule> = {
  id: { maxChars: 64, multiline: false },
  extends: { maxChars: 64, multiline: false },
  role: { maxChars: 128, multiline: false },
  ticket: { maxChars: 200, multiline: false },
  since: { maxChars: 64, multiline: false },
  reason: { maxChars: 2000, multiline: true },
  comment: { maxChars: 2000, multiline: true },
  note: { maxChars: 2000, multiline: true },
};
const DEFAULT_RULE: TextRule = { maxChars: 2000, multiline: false };

/** `scope`: at most 500 {address, type, arn}, each one line without hidden characters (approvers read them). */
function scopeField(value: unknown): GrantScope[] {
  if (!Array.isArray(value) || value.length > 500) throw new AccessError('bad-request', `'scope' must be a list of at most 500 resources`);
  return value.map((r: unknown, i) => {
    if (typeof r !== 'object' || r === null) throw new AccessError('bad-request', `'scope[${i}]' must be an object`);
    const item = r as Record<string, unknown>;
    const field = (key: 'address' | 'type' | 'arn'): string => {
      const v = item[key];
      if (typeof v !== 'string' || !v || v.length > 1000) throw new AccessError('bad-request', `'scope[${i}].${key}' must be a non-empty string`);
      const bad = forbiddenCharacter(v, false);
      if (bad) throw new AccessError('bad-request', `'scope[${i}].${key}' contains ${bad.code} at character ${bad.at + 1}`);
      return v;
    };
    const tagsOnly = item.tagsOnly;
    if (tagsOnly !== undefined && typeof tagsOnly !== 'boolean') throw new AccessError('bad-request', `'scope[${i}].tagsOnly' must be true or false`);
    const origin = item.origin === undefined ? undefined : originField(item.origin, `scope[${i}].origin`);
    return { address: field('address'), type: field('type'), arn: field('arn'), ...(tagsOnly ? { tagsOnly } : {}), ...(origin ? { origin } : {}) };
  });
}

/** Where a scoped resource came from, as approvers will read it: one-line texts, bounded numbers. */
function originField(value: unknown, name: string): ScopeOrigin {
  if (typeof value !== 'object' || value === null) throw new AccessError('bad-request', `'${name}' must be an object`);
  const o = value as Record<string, unknown>;
  const text = (key: string): string => {
    const v = o[key];
    if (typeof v !== 'string' || !v || v.length > 1000 || forbiddenCharacter(v, false)) throw new AccessError('bad-request', `'${name}.${key}' must be a one-line string`);
    return v;
  };
  const line = (key: string): number => {
    const v = o[key];
    if (!Number.isInteger(v) || (v as number) < 1) throw new AccessError('bad-request', `'${name}.${key}' must be a line number`);
    return v as number;
  };
  if (o.kind === 'address') return { kind: 'address' };
  if (o.kind === 'diff') return { kind: 'diff', file: text('file'), startLine: line('startLine'), endLine: line('endLine'), ref: text('ref') };
  if (o.kind === 'plan') {
    if (!Array.isArray(o.actions) || o.actions.length > 4 || o.actions.some((a) => typeof a !== 'string' || !/^[a-z-]{1,20}$/.test(a))) throw new AccessError('bad-request', `'${name}.actions' must be Terraform plan actions`);
    return { kind: 'plan', actions: o.actions as string[] };
  }
  throw new AccessError('bad-request', `'${name}.kind' must be address, diff or plan`);
}

/** The first character a field must not hold, as `U+XXXX`, or undefined. Pure, for the tests. */
export function forbiddenCharacter(value: string, multiline: boolean): { at: number; code: string } | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const allowedControl = c === 0x09 || (multiline && (c === 0x0a || c === 0x0d));
    const control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
    const bidi = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    if ((control && !allowedControl) || bidi) return { at: i, code: `U+${c.toString(16).toUpperCase().padStart(4, '0')}` };
  }
  return undefined;
}

/** Checks one text field against its rule; throws a bad-request naming the field. */
export function checkText(key: string, value: string): string {
  const rule = TEXT_RULES[key] ?? DEFAULT_RULE;
  if (value.length > rule.maxChars) throw new AccessError('bad-request', `'${key}' is ${value.length} characters; at most ${rule.maxChars}`);
  const bad = forbiddenCharacter(value, rule.multiline);
  if (bad) {
    const allowed = rule.multiline ? 'tab and newline are the only control characters allowed' : 'it must be one line of text without control characters';
    throw new AccessError('bad-request', `'${key}' contains ${bad.code} at character ${bad.at + 1}; ${allowed}`);
  }
  return value;
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
  return checkText(key, v);
}

/**
 * Session commands are a record of what was typed, so they are kept rather than refused: control
 * and bidi characters (NUL cannot even be stored) are written as visible `\u{…}` escapes.
 */
function escapeCommands(commands: unknown[]): unknown[] {
  const visible = (v: unknown): unknown => {
    if (typeof v !== 'string' || !forbiddenCharacter(v, true)) return v;
    return [...v].map((ch) => (forbiddenCharacter(ch, true) ? `\\u{${ch.charCodeAt(0).toString(16)}}` : ch)).join('');
  };
  return commands.map((raw) => (raw && typeof raw === 'object' && !Array.isArray(raw)
    ? { ...(raw as Record<string, unknown>), command: visible((raw as Record<string, unknown>).command), cwd: visible((raw as Record<string, unknown>).cwd) }
    : raw));
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
          breakGlass: p.breakGlass === true, extends: text(p, 'extends'), ...(p.scope !== undefined ? { scope: scopeField(p.scope) } : {}),
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
        return { recorded: await broker.recordCommands(principal, text(p, 'id', true), escapeCommands(p.commands) as CommandInput[]) };
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
      case 'watchStatus': return broker.watchStatus();
    }
  })();
  return result as OperationResult<K>;
}
