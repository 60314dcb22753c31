// What the Lambda types share: the secret-safe form of environment variables, nested-block
// helpers in the provider's shape, and the function name a sub-resource's state names.
import { createHmac, randomBytes } from 'node:crypto';
import type { Known } from '../../drift/values';
import { functionRef } from '../families/lambda';
import { str } from './common';

/**
 * Environment values never stay in memory as read: each becomes an HMAC under a key that lives
 * only in this process, so equal values compare equal and nothing in a snapshot, log or drift can
 * be reversed to the value (not even by guessing, as a plain hash of a short secret could be).
 */
const PROCESS_KEY = randomBytes(32);
const DIGEST_PREFIX = '\u0000hmac-sha256:';

export function secretDigest(value: string): string {
  return value.startsWith(DIGEST_PREFIX) ? value : DIGEST_PREFIX + createHmac('sha256', PROCESS_KEY).update(value).digest('hex');
}

/** The first object of a nested-block list (`[{…}]`), or an object given directly. */
export function firstBlock(v: Known): Record<string, Known> | undefined {
  const item = Array.isArray(v) ? v[0] : v;
  return item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, Known>) : undefined;
}

/** A short form of a value's digest that may be shown: equal values, equal tokens; nothing to reverse. */
function secretToken(value: string): string {
  return secretDigest(value).slice(DIGEST_PREFIX.length, DIGEST_PREFIX.length + 16);
}

/**
 * Variable name → token, from `environment { variables = {…} }` (any number of blocks; values in
 * plain text or as digests) or from the redacted map a sensitive drift shows (`KEY = "(sensitive
 * <token>)"`), so that a drift's redacted values still compare (auto-revert's recheck does).
 */
export function environmentEntries(v: Known): Record<string, string> {
  const out: Record<string, string> = {};
  for (const block of Array.isArray(v) ? v : v === null ? [] : [v]) {
    if (!block || typeof block !== 'object' || Array.isArray(block)) continue;
    const vars = (block as Record<string, Known>).variables;
    if (vars && typeof vars === 'object' && !Array.isArray(vars)) {
      for (const [k, value] of Object.entries(vars)) out[k] = secretToken(value === null ? '' : String(value));
      continue;
    }
    for (const [k, value] of Object.entries(block)) {
      const token = typeof value === 'string' ? /^\(sensitive ([0-9a-f]{16})\)$/.exec(value)?.[1] : undefined;
      if (token) out[k] = token;
    }
  }
  return out;
}

/** The declared variables in plain text, for UpdateFunctionConfiguration (Revert only). */
export function environmentVariables(v: Known): Record<string, string> {
  const out: Record<string, string> = {};
  const vars = firstBlock(v)?.variables;
  if (vars && typeof vars === 'object' && !Array.isArray(vars)) for (const [k, value] of Object.entries(vars)) out[k] = value === null ? '' : String(value);
  return out;
}

/** Each field of the first block as one `name=value` atom (absent, null and '' alike). */
export function fieldAtoms(fields: string[]): (v: Known) => Known {
  return (v) => {
    const b = firstBlock(v);
    if (!b) return [];
    return fields.flatMap((f) => {
      const x = b[f];
      return x === undefined || x === null || x === '' ? [] : [`${f}=${typeof x === 'object' ? JSON.stringify(x) : String(x)}`];
    });
  };
}

export function strings(v: Known | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The unqualified function name a sub-resource's state records (`function_name` may be a name or an ARN). */
export function functionNameOf(attributes: Record<string, unknown>): string | undefined {
  const given = str(attributes.function_name);
  return given ? functionRef(given).name : undefined;
}
