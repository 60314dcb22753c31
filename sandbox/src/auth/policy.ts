// IAM policy documents: parsing and validation into a normalised shape the evaluator walks.
// Errors use the wording IAM returns for MalformedPolicyDocument.

export type Effect = 'Allow' | 'Deny';

export interface Condition {
  /** Operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** Condition key as written (matched case-insensitively). */
  key: string;
  values: string[];
}

export type PrincipalSpec = '*' | { AWS?: string[]; Service?: string[]; Federated?: string[] };

export interface Statement {
  sid?: string;
  effect: Effect;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  conditions: Condition[];
}

export interface Policy {
  version?: string;
  statements: Statement[];
}

export class PolicyError extends Error {}

const KNOWN_OPERATORS = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
]);

/** The base operator without set qualifier and IfExists suffix. */
export function baseOperator(op: string): { base: string; ifExists: boolean; set?: 'ForAnyValue' | 'ForAllValues' } {
  let rest = op;
  let set: 'ForAnyValue' | 'ForAllValues' | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon);
    if (q !== 'ForAnyValue' && q !== 'ForAllValues') throw new PolicyError(`Invalid Condition type : ${op}`);
    set = q;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  return { base: rest, ifExists, set };
}

function stringList(value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new PolicyError(`Syntax errors in policy. ${what} must be a string or a list of strings.`);
  });
}

function principalSpec(value: unknown): PrincipalSpec {
  if (value === '*') return '*';
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new PolicyError('Invalid principal in policy');
  const out: { AWS?: string[]; Service?: string[]; Federated?: string[] } = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k !== 'AWS' && k !== 'Service' && k !== 'Federated' && k !== 'CanonicalUser') throw new PolicyError(`Invalid principal in policy: "${k}"`);
    if (k === 'CanonicalUser') continue;
    out[k] = stringList(v, 'Principal');
  }
  return out;
}

function parseStatement(raw: unknown, index: number): Statement {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new PolicyError(`Syntax errors in policy. Statement ${index + 1} is not an object.`);
  const s = raw as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition'].includes(key)) {
      throw new PolicyError(`Syntax errors in policy. Unknown field ${key} in statement ${index + 1}.`);
    }
  }
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new PolicyError('Invalid effect: ' + String(s.Effect ?? '(missing)'));
  if ((s.Action === undefined) === (s.NotAction === undefined)) throw new PolicyError('Policy statement must contain actions.');
  const conditions: Condition[] = [];
  if (s.Condition !== undefined) {
    if (!s.Condition || typeof s.Condition !== 'object' || Array.isArray(s.Condition)) throw new PolicyError('Syntax errors in policy. Condition must be an object.');
    for (const [operator, block] of Object.entries(s.Condition as Record<string, unknown>)) {
      const { base } = baseOperator(operator);
      if (!KNOWN_OPERATORS.has(base)) throw new PolicyError(`Invalid Condition type : ${operator}`);
      if (!block || typeof block !== 'object' || Array.isArray(block)) throw new PolicyError(`Syntax errors in policy. Condition ${operator} must be an object.`);
      for (const [key, values] of Object.entries(block as Record<string, unknown>)) conditions.push({ operator, key, values: stringList(values, `Condition ${operator} ${key}`) });
    }
  }
  return {
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    effect: s.Effect,
    actions: s.Action === undefined ? undefined : stringList(s.Action, 'Action'),
    notActions: s.NotAction === undefined ? undefined : stringList(s.NotAction, 'NotAction'),
    resources: s.Resource === undefined ? undefined : stringList(s.Resource, 'Resource'),
    notResources: s.NotResource === undefined ? undefined : stringList(s.NotResource, 'NotResource'),
    principal: s.Principal === undefined ? undefined : principalSpec(s.Principal),
    notPrincipal: s.NotPrincipal === undefined ? undefined : principalSpec(s.NotPrincipal),
    conditions,
  };
}

/**
 * Parses a policy document. `kind` decides which fields are required: identity policies need
 * Resource and forbid Principal; resource policies (trust, bucket) need Principal.
 */
export function parsePolicy(text: string, kind: 'identity' | 'resource' = 'identity'): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PolicyError('Syntax errors in policy.');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new PolicyError('Syntax errors in policy.');
  const doc = raw as Record<string, unknown>;
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') {
    throw new PolicyError(`The policy failed legacy parsing`);
  }
  if (doc.Statement === undefined) throw new PolicyError('Syntax errors in policy. Missing Statement.');
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const statements = list.map(parseStatement);
  for (const s of statements) {
    if (kind === 'identity') {
      if (s.principal || s.notPrincipal) throw new PolicyError('Policy document should not specify a principal.');
      if (!s.resources && !s.notResources) throw new PolicyError('Policy statement must contain resources.');
    } else if (!s.principal && !s.notPrincipal) {
      throw new PolicyError('Missing required field Principal');
    }
  }
  return { version: typeof doc.Version === 'string' ? doc.Version : undefined, statements };
}
