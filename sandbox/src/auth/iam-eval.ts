// A small IAM policy evaluator following the documented order: an explicit Deny anywhere wins,
// then an Allow, otherwise the request is implicitly denied. Supports Action/NotAction,
// Resource/NotResource with `*`/`?` wildcards, policy variables, Principal matching for resource
// policies and the condition operators revocation and tagging rely on.
import { baseOperator, type Condition, type Policy, type PrincipalSpec, type Statement } from './policy';

/** Request context: condition keys lower-cased; multi-valued keys are arrays. */
export type RequestContext = Record<string, string | string[]>;

export interface EvalRequest {
  action: string;
  resource: string;
  context: RequestContext;
}

/** Who is asking, for matching `Principal` in resource policies. */
export interface PrincipalRef {
  account: string;
  /** ARNs that name this principal: a user ARN, or a session ARN plus its role ARN. */
  arns: string[];
  /** The ARNs a policy may name to grant this principal directly (user ARN, session ARN). */
  specificArns: string[];
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

const regexCache = new Map<string, RegExp>();

function wildcardRegex(pattern: string, ignoreCase: boolean): RegExp {
  const cacheKey = (ignoreCase ? 'i:' : 's:') + pattern;
  let re = regexCache.get(cacheKey);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (regexCache.size > 5000) regexCache.clear();
    regexCache.set(cacheKey, re);
  }
  return re;
}

export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return wildcardRegex(pattern, ignoreCase).test(value);
}

function contextValue(context: RequestContext, key: string): string | string[] | undefined {
  return context[key.toLowerCase()];
}

/** Replaces `${aws:username}`-style variables; unknown variables make the string match nothing. */
function substitute(text: string, context: RequestContext): string | undefined {
  if (!text.includes('${')) return text;
  let unresolved = false;
  const out = text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    const v = contextValue(context, name);
    if (typeof v !== 'string') { unresolved = true; return ''; }
    return v;
  });
  return unresolved ? undefined : out;
}

function matchesAny(patterns: string[], value: string, context: RequestContext, ignoreCase: boolean): boolean {
  return patterns.some((p) => {
    const resolved = substitute(p, context);
    return resolved !== undefined && wildcardMatch(resolved, value, ignoreCase);
  });
}

function parseDate(text: string): number {
  return /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d+$/.test(p) || v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(base ?? '');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}

/** One context value against one policy value, for a positive (non-negated) operator. */
function compare(base: string, policyValue: string, actual: string): boolean {
  switch (base) {
    case 'StringEquals': case 'StringNotEquals': case 'BinaryEquals': return policyValue === actual;
    case 'StringEqualsIgnoreCase': case 'StringNotEqualsIgnoreCase': return policyValue.toLowerCase() === actual.toLowerCase();
    case 'StringLike': case 'StringNotLike': return wildcardMatch(policyValue, actual);
    case 'ArnEquals': case 'ArnNotEquals': case 'ArnLike': case 'ArnNotLike': return wildcardMatch(policyValue, actual);
    case 'NumericEquals': case 'NumericNotEquals': return Number(actual) === Number(policyValue);
    case 'NumericLessThan': return Number(actual) < Number(policyValue);
    case 'NumericLessThanEquals': return Number(actual) <= Number(policyValue);
    case 'NumericGreaterThan': return Number(actual) > Number(policyValue);
    case 'NumericGreaterThanEquals': return Number(actual) >= Number(policyValue);
    case 'DateEquals': case 'DateNotEquals': return parseDate(actual) === parseDate(policyValue);
    case 'DateLessThan': return parseDate(actual) < parseDate(policyValue);
    case 'DateLessThanEquals': return parseDate(actual) <= parseDate(policyValue);
    case 'DateGreaterThan': return parseDate(actual) > parseDate(policyValue);
    case 'DateGreaterThanEquals': return parseDate(actual) >= parseDate(policyValue);
    case 'Bool': return policyValue.toLowerCase() === actual.toLowerCase();
    case 'IpAddress': case 'NotIpAddress': return inCidr(actual, policyValue);
    default: return false;
  }
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'ArnNotEquals', 'ArnNotLike', 'NotIpAddress']);

export function conditionHolds(cond: Condition, context: RequestContext): boolean {
  const { base, ifExists, set } = baseOperator(cond.operator);
  const raw = contextValue(context, cond.key);
  if (base === 'Null') {
    const absent = raw === undefined || (Array.isArray(raw) && raw.length === 0);
    return cond.values.some((v) => (v.toLowerCase() === 'true') === absent);
  }
  const negated = NEGATED.has(base);
  const policyValues = cond.values.map((v) => substitute(v, context)).filter((v): v is string => v !== undefined);
  const actuals = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (actuals.length === 0) {
    if (set === 'ForAllValues') return true;
    return ifExists || negated;
  }
  const matchesOne = (actual: string): boolean => policyValues.some((p) => compare(base, p, actual));
  if (set === 'ForAllValues') return actuals.every((a) => (negated ? !matchesOne(a) : matchesOne(a)));
  if (negated) return set === 'ForAnyValue' ? actuals.some((a) => !matchesOne(a)) : actuals.every((a) => !matchesOne(a));
  return actuals.some(matchesOne);
}

function principalListMatches(spec: PrincipalSpec, who: PrincipalRef | undefined): 'specific' | 'account' | 'any' | false {
  if (spec === '*') return 'any';
  if (!who) return false;
  let result: 'specific' | 'account' | 'any' | false = false;
  for (const p of spec.AWS ?? []) {
    if (p === '*') result = result || 'any';
    else if (p === who.account || p === `arn:aws:iam::${who.account}:root`) result = result === 'specific' ? result : 'account';
    else if (who.specificArns.includes(p)) return 'specific';
    else if (who.arns.includes(p)) result = 'specific';
  }
  return result;
}

function statementApplies(s: Statement, req: EvalRequest, who?: PrincipalRef): 'specific' | 'account' | 'any' | false {
  if (s.actions && !s.actions.some((a) => wildcardMatch(a, req.action, true))) return false;
  if (s.notActions && s.notActions.some((a) => wildcardMatch(a, req.action, true))) return false;
  if (s.resources && !matchesAny(s.resources, req.resource, req.context, false)) return false;
  if (s.notResources && matchesAny(s.notResources, req.resource, req.context, false)) return false;
  let via: 'specific' | 'account' | 'any' = 'any';
  if (s.principal) {
    const m = principalListMatches(s.principal, who);
    if (!m) return false;
    via = m;
  }
  if (s.notPrincipal && principalListMatches(s.notPrincipal, who)) return false;
  for (const c of s.conditions) if (!conditionHolds(c, req.context)) return false;
  return via;
}

export interface PolicyOutcome {
  deny: boolean;
  allow: boolean;
  /** For resource policies: how the allowing statement named the principal. */
  allowVia?: 'specific' | 'account' | 'any';
}

export function evaluatePolicy(policy: Policy, req: EvalRequest, who?: PrincipalRef): PolicyOutcome {
  const out: PolicyOutcome = { deny: false, allow: false };
  for (const s of policy.statements) {
    const applies = statementApplies(s, req, who);
    if (!applies) continue;
    if (s.effect === 'Deny') out.deny = true;
    else {
      out.allow = true;
      if (!out.allowVia || applies === 'specific') out.allowVia = applies;
    }
  }
  return out;
}

export interface AuthorizationInput {
  identityPolicies: Policy[];
  /** Permissions boundary and session policy: identity allows must also be allowed by each of these. */
  limits?: Policy[];
  /** A resource-based policy (bucket policy) and the caller, for same-account grants. */
  resourcePolicy?: Policy;
  principal?: PrincipalRef;
}

/** Same-account evaluation: explicit deny > allow (identity ∩ boundary, or resource policy) > implicit deny. */
export function authorize(input: AuthorizationInput, req: EvalRequest): Decision {
  let identityAllow = false;
  for (const p of input.identityPolicies) {
    const o = evaluatePolicy(p, req);
    if (o.deny) return 'ExplicitDeny';
    identityAllow ||= o.allow;
  }
  for (const limit of input.limits ?? []) {
    const o = evaluatePolicy(limit, req);
    if (o.deny) return 'ExplicitDeny';
    if (!o.allow) identityAllow = false;
  }
  let resourceAllow = false;
  if (input.resourcePolicy) {
    const o = evaluatePolicy(input.resourcePolicy, req, input.principal);
    if (o.deny) return 'ExplicitDeny';
    resourceAllow = o.allow && o.allowVia === 'specific';
    if (o.allow && o.allowVia === 'any') resourceAllow = true;
  }
  return identityAllow || resourceAllow ? 'Allow' : 'ImplicitDeny';
}
