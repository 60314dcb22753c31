// Cedar policy: compile with line:column errors, build authorization requests (pure), decide.
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { createHash } from 'node:crypto';
import { AccessConfig, RoleEntry, UserEntry } from './config';
import { POLICY_SCHEMA } from './policy-schema';
import type { ScopeFacts } from './scope-facts';

export type AccessAction =
  | 'request' | 'breakGlass' | 'approve' | 'revoke' | 'review' | 'activate'
  | 'listGrants' | 'readTimeline' | 'exportAudit' | 'verifyAudit';
export const ACCESS_ACTIONS: readonly AccessAction[] = [
  'request', 'breakGlass', 'approve', 'revoke', 'review', 'activate', 'listGrants', 'readTimeline', 'exportAudit', 'verifyAudit',
];
/** Actions on the audit log as a whole: their resource is the Ledger, not a role. */
export const LEDGER_ACTIONS: readonly AccessAction[] = ['exportAudit', 'verifyAudit'];
/** The one Ledger entity the audit actions apply to. */
export const AUDIT_LEDGER = { type: 'Tidemark::Ledger', id: 'audit' };

export interface PolicyProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export class PolicyError extends Error {
  constructor(readonly problems: PolicyProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'));
  }
}

export interface CompiledPolicy {
  file: string;
  text: string;
  /** Annotations of each static policy, indexed like `policies`' ids (`policy0`, `policy1`, …). */
  annotations: Array<Record<string, string>>;
  /**
   * The policies by the ids decisions name (`policy<N>`: the N-th in the file). Authorization uses
   * these rather than the text so the ids are ours: Cedar lists a parsed set's policies sorted by id
   * as strings (policy10 before policy2), which would pair a decision with the wrong annotations.
   */
  policies: Record<string, string>;
}

/** Byte offset (Cedar reports UTF-8 offsets) → 1-based line and column. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = Buffer.from(text, 'utf8').subarray(0, offset).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

function problemsOf(errors: cedar.DetailedError[], text: string, file: string): PolicyProblem[] {
  return errors.map((e) => {
    const loc = e.sourceLocations?.[0];
    const { line, column } = loc ? lineColumn(text, loc.start) : { line: 1, column: 1 };
    const detail = [loc?.label, e.help].filter(Boolean).join('; ');
    return { file, line, column, message: detail ? `${e.message} (${detail})` : e.message };
  });
}

/**
 * Parses and validates against the broker's schema (or another one: guardrails use their own);
 * throws PolicyError naming file:line:column.
 */
export function compilePolicy(text: string, file: string, schema: string = POLICY_SCHEMA): CompiledPolicy {
  const parsed = cedar.checkParsePolicySet({ staticPolicies: text });
  if (parsed.type === 'failure') throw new PolicyError(problemsOf(parsed.errors, text, file));
  const validation = cedar.validate({ schema, policies: { staticPolicies: text }, validationSettings: { mode: 'strict' } });
  if (validation.type === 'failure') throw new PolicyError(problemsOf(validation.errors, text, file));
  if (validation.validationErrors.length) throw new PolicyError(problemsOf(validation.validationErrors.map((v) => v.error), text, file));
  const parts = cedar.policySetTextToParts(text);
  if (parts.type === 'failure') throw new PolicyError(problemsOf(parts.errors, text, file));
  const annotations = parts.policies.map((p) => {
    const json = cedar.policyToJson(p);
    return json.type === 'success' ? { ...(json.json.annotations ?? {}) } : {};
  });
  return { file, text, annotations, policies: Object.fromEntries(parts.policies.map((p, i) => [`policy${i}`, p])) };
}

export interface PolicyQuery {
  action: AccessAction;
  principal: UserEntry;
  /** The role asked about; absent for the audit actions (their resource is the Ledger). */
  role?: RoleEntry;
  at: Date;
  /** The grant's duration (0 when there is no grant, as for the audit actions). */
  durationSeconds: number;
  reason?: string;
  ticket?: string;
  /** For approve/revoke/review/listGrants/readTimeline: whose grant it is. */
  requester?: UserEntry;
  breakGlass?: boolean;
  /** For activate: approvals so far, including the one being recorded. */
  approvals?: number;
  /** For request, breakGlass and activate: what the grant's scope names (absent = no scope). */
  scope?: ScopeFacts;
}

const NO_SCOPE: ScopeFacts = {
  present: false, resources: 0, types: [], services: [], touchesIam: false, touchesKms: false, touchesSecurityGroups: false,
  touchesNetworkPaths: false, tagsOnly: false, source: 'none',
};

const userUid = (u: UserEntry) => ({ type: 'Tidemark::User', id: u.arn });
const roleUid = (r: RoleEntry) => ({ type: 'Tidemark::Role', id: r.name });

/** One formatter per configured timezone: building one costs more than the decision it serves (profile). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
    formatters.set(timezone, f);
  }
  return f;
}

/** Weekday 1..7 (Monday first) and hour 0..23 of `at` in `timezone`. */
export function clockIn(at: Date, timezone: string): { hour: number; weekday: number } {
  const parts = formatterFor(timezone).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.find((p) => p.type === 'weekday')?.value ?? 'Mon') + 1;
  return { hour, weekday };
}

/** The Cedar request for a question; pure, so policy tests and the broker ask exactly the same thing. */
export function buildAuthorizationCall(config: AccessConfig, policy: CompiledPolicy, q: PolicyQuery): cedar.AuthorizationCall {
  const when = clockIn(q.at, config.timezone);
  const durationMinutes = Math.ceil(q.durationSeconds / 60);
  const ledgerAction = LEDGER_ACTIONS.includes(q.action);
  if (!ledgerAction && !q.role) throw new Error(`policy question '${q.action}' needs a role`);
  let context: cedar.Context;
  switch (q.action) {
    case 'exportAudit':
    case 'verifyAudit':
      context = { when };
      break;
    case 'request':
    case 'breakGlass':
      context = { when, durationMinutes, reason: q.reason ?? '', hasTicket: Boolean(q.ticket), scope: { ...(q.scope ?? NO_SCOPE) } };
      break;
    case 'activate':
      context = { when, durationMinutes, approvals: q.approvals ?? 0, scope: { ...(q.scope ?? NO_SCOPE) } };
      break;
    default:
      context = { when, durationMinutes, requester: { __entity: userUid(q.requester ?? q.principal) }, breakGlass: Boolean(q.breakGlass) };
  }
  const people = new Map<string, UserEntry>();
  for (const u of [...config.users, q.principal, ...(q.requester ? [q.requester] : [])]) if (!people.has(u.arn)) people.set(u.arn, u);
  const groups = new Set([...people.values()].flatMap((u) => u.groups));
  const entities: cedar.EntityJson[] = [
    ...[...people.values()].map((u) => ({ uid: userUid(u), attrs: { name: u.name }, parents: u.groups.map((g) => ({ type: 'Tidemark::Group', id: g })) })),
    ...[...groups].map((g) => ({ uid: { type: 'Tidemark::Group', id: g }, attrs: {}, parents: [] })),
    q.role && !ledgerAction
      ? { uid: roleUid(q.role), attrs: { environment: q.role.environment, maxSessionMinutes: Math.floor(q.role.maxSessionSeconds / 60) }, parents: [] }
      : { uid: AUDIT_LEDGER, attrs: {}, parents: [] },
  ];
  return {
    principal: userUid(q.principal),
    action: { type: 'Tidemark::Action', id: q.action },
    resource: q.role && !ledgerAction ? roleUid(q.role) : AUDIT_LEDGER,
    context,
    schema: POLICY_SCHEMA,
    validateRequest: true,
    policies: { staticPolicies: policy.policies },
    entities,
  };
}

export interface PolicyDecision {
  allowed: boolean;
  /** Ids of the policies that decided (Cedar's `policy<N>`, or their `@id` annotation). */
  determining: string[];
  /** Annotations of the determining policies, merged (e.g. `pendingTimeout`). */
  annotations: Record<string, string>;
  /** Evaluation errors (a policy that errors is skipped by Cedar; we still report it). */
  errors: string[];
}

/**
 * Cedar keeps parsed schemas and policy sets in the WASM instance, named by us. Passing both as text
 * made every decision re-parse them (profile of the broker benchmark: isAuthorized was 40% of a
 * request → approve → activate cycle). Names are content hashes, so a reloaded policy gets its own
 * entry and an unchanged one is parsed once; one entry per distinct policy text ever loaded.
 */
const preparedSets = new WeakMap<CompiledPolicy, string>();
const preparedNames = new Set<string>();

function prepared(kind: 'schema' | 'policies', text: string, parse: (name: string) => cedar.CheckParseAnswer): string | undefined {
  const name = `${kind}-${createHash('sha256').update(text).digest('hex')}`;
  if (preparedNames.has(name)) return name;
  if (parse(name).type !== 'success') return undefined;
  preparedNames.add(name);
  return name;
}

function policySetName(policy: CompiledPolicy): string | undefined {
  let name = preparedSets.get(policy);
  if (name === undefined) {
    // Ids and texts, in a stable order: two sets with the same ids and texts decide alike.
    const ids = Object.keys(policy.policies).sort();
    name = prepared('policies', JSON.stringify(ids.map((id) => [id, policy.policies[id]])), (n) => cedar.preparsePolicySet(n, { staticPolicies: policy.policies }));
    if (name === undefined) return undefined;
    preparedSets.set(policy, name);
  }
  return name;
}

function authorize(call: cedar.AuthorizationCall, policy: CompiledPolicy): cedar.AuthorizationAnswer {
  const policySetId = policySetName(policy);
  const schemaName = typeof call.schema === 'string' ? prepared('schema', call.schema, (n) => cedar.preparseSchema(n, call.schema!)) : undefined;
  // Whatever Cedar would not preparse is decided the long way, so it reports its own errors.
  if (policySetId === undefined || schemaName === undefined) return cedar.isAuthorized(call);
  const { schema: _schema, policies: _policies, ...request } = call;
  const stateful = { ...request, preparsedSchemaName: schemaName, preparsedPolicySetId: policySetId };
  // Cedar is a pure function of what it is given, and this key is all of it (the policy set and
  // schema by content hash, the request, its context and entities), so an equal key is an equal
  // answer. Repeats are common (the same approver, role and hour); time enters only as hour and weekday.
  const key = JSON.stringify(stateful);
  const known = answers.get(key);
  if (known) return known;
  const answer = cedar.statefulIsAuthorized(stateful);
  if (answers.size >= ANSWERS_KEPT) answers.delete(answers.keys().next().value!);
  answers.set(key, answer);
  return answer;
}

/** Answers by request (see authorize); the oldest goes first once this many are kept. */
const ANSWERS_KEPT = 1024;
const answers = new Map<string, cedar.AuthorizationAnswer>();

export function decide(config: AccessConfig, policy: CompiledPolicy, q: PolicyQuery): PolicyDecision {
  const answer = authorize(buildAuthorizationCall(config, policy, q), policy);
  if (answer.type === 'failure') return { allowed: false, determining: [], annotations: {}, errors: answer.errors.map((e) => e.message) };
  const { decision, diagnostics } = answer.response;
  const annotations: Record<string, string> = {};
  const determining = diagnostics.reason.map((id) => {
    const index = Number(/^policy(\d+)$/.exec(id)?.[1] ?? NaN);
    const ann = Number.isInteger(index) ? policy.annotations[index] ?? {} : {};
    Object.assign(annotations, ann);
    return ann.id ?? id;
  });
  return { allowed: decision === 'allow', determining, annotations, errors: diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`) };
}
