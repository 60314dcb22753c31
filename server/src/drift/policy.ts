// IAM/S3 policy documents compared by meaning, not by text: AWS reorders statements and values,
// turns single values into lists and back, and rewrites bare account ids as root ARNs.
import { canonicalJson, isObject, Known } from './values';

const LIST_KEYS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);

function asSortedList(v: unknown): Known[] {
  const list = Array.isArray(v) ? v : [v];
  const seen = new Map<string, Known>();
  for (const x of list) seen.set(canonicalJson(x), x as Known);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, x]) => x);
}

function principalValue(key: string, v: unknown): Known[] {
  return asSortedList(v).map((p) => (key === 'AWS' && typeof p === 'string' && /^\d{12}$/.test(p) ? `arn:aws:iam::${p}:root` : p));
}

function normalizePrincipal(p: unknown): Known {
  if (p === '*') return { AWS: ['*'] };
  if (!isObject(p)) return p as Known;
  const out: Record<string, Known> = {};
  for (const key of Object.keys(p).sort()) out[key] = principalValue(key, p[key]);
  return out;
}

function normalizeCondition(c: unknown): Known {
  if (!isObject(c)) return c as Known;
  const out: Record<string, Known> = {};
  for (const op of Object.keys(c).sort()) {
    const inner = c[op];
    if (!isObject(inner)) {
      out[op] = inner as Known;
      continue;
    }
    const keys: Record<string, Known> = {};
    // Condition keys are case-insensitive; values are strings on the wire whatever the JSON type.
    for (const k of Object.keys(inner).sort()) keys[k.toLowerCase()] = asSortedList(inner[k]).map((x) => (typeof x === 'object' ? x : String(x)));
    out[op] = keys;
  }
  return out;
}

function normalizeStatement(s: unknown): Known {
  if (!isObject(s)) return s as Known;
  const out: Record<string, Known> = {};
  for (const key of Object.keys(s).sort()) {
    const v = s[key];
    if (key === 'Sid' && v === '') continue;
    if (LIST_KEYS.has(key)) out[key] = asSortedList(v);
    else if (key === 'Principal' || key === 'NotPrincipal') out[key] = normalizePrincipal(v);
    else if (key === 'Condition') out[key] = normalizeCondition(v);
    else out[key] = v as Known;
  }
  return out;
}

/** Parses a policy given as JSON text (or an already-decoded object); undefined when it is not JSON. */
export function parsePolicy(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const text = v.trim();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The canonical form of a policy document; equal documents give equal canonical JSON. */
export function normalizePolicy(v: unknown): Known | undefined {
  const doc = parsePolicy(v);
  if (doc === undefined) return undefined;
  if (!isObject(doc)) return doc as Known;
  const out: Record<string, Known> = {};
  for (const key of Object.keys(doc).sort()) {
    if (key === 'Statement') {
      const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).map(normalizeStatement);
      out.Statement = asSortedList(statements);
    } else out[key] = doc[key] as Known;
  }
  return out;
}

export function policiesEqual(a: unknown, b: unknown): boolean {
  const na = normalizePolicy(a);
  const nb = normalizePolicy(b);
  if (na === undefined || nb === undefined) return false;
  return canonicalJson(na) === canonicalJson(nb);
}
