// One canonical form for nested configuration that Terraform and an AWS API spell differently:
// Terraform's snake_case blocks (each a list, as state and hcl2json hold them) and the API's
// PascalCase or camelCase objects and plural arrays. Pure.
// - names compare without case, underscores or a plural `s` (`text_transformation` is `TextTransformations`);
// - a one-element list is its element (Terraform's MaxItems=1 blocks are lists, the API's are objects);
// - repeated blocks and string lists are sets;
// - unset is unset: null, '', [], false and 0 are what the provider's state holds for an argument
//   nobody set, and APIs leave such fields out;
// - a caller's API defaults (by canonical key) equal their absence.
import { canonicalJson, isObject, Known } from '../../drift/values';

type Json = Known;

/** A field name as both shapes spell it: lower case, no underscores, no plural `s`. */
export function canonicalKey(key: string): string {
  const k = key.replace(/_/g, '').toLowerCase();
  return k.length > 3 && k.endsWith('s') ? k.slice(0, -1) : k;
}

function isUnset(v: Json | undefined): boolean {
  return v === undefined || v === null || v === '' || v === false || v === 0 || (Array.isArray(v) && v.length === 0);
}

/** The canonical form of a Terraform- or API-shaped value; undefined when it is unset. `defaults` (by canonical key) equal their absence. */
export function canonicalShape(value: unknown, defaults: Readonly<Record<string, Json>> = {}): Json | undefined {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) {
    const items = value.map((v) => canonicalShape(v, defaults)).filter((v): v is Json => !isUnset(v));
    if (items.length === 0) return undefined;
    if (items.length === 1 && isObject(items[0])) return items[0]!;
    return [...items].sort((a, b) => (canonicalJson(a) < canonicalJson(b) ? -1 : canonicalJson(a) > canonicalJson(b) ? 1 : 0));
  }
  if (isObject(value)) {
    const out: Record<string, Json> = {};
    for (const [k, raw] of Object.entries(value)) {
      const key = canonicalKey(k);
      const v = canonicalShape(raw, defaults);
      if (v === undefined || isUnset(v)) continue;
      if (key in defaults && canonicalJson(defaults[key]) === canonicalJson(v)) continue;
      out[key] = v;
    }
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return isUnset(value) ? undefined : value;
  return undefined;
}

