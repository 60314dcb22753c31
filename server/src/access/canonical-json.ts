// Canonical JSON: object keys sorted, no whitespace, undefined members dropped. Two equal values
// always give the same text, so a hash over it is stable across Node versions and databases.
// `audit verify` runs this once per record (100,000s of them): it appends to one string and sorts
// the keys alone, no entry arrays (profile: Object.entries/filter/sort/map/join were most of it).

export function canonicalJson(value: unknown): string {
  return encode(value);
}

/** Canonical JSON of an object without some of its own keys (the audit chain's hash and link). */
export function canonicalJsonWithout(value: Record<string, unknown>, omitted: ReadonlySet<string>): string {
  return encodeObject(value, omitted);
}

/**
 * The canonical JSON of `value` with one more member `key`, split where that member's value goes:
 * `before + canonicalJson(x) + after` is the text of `{ ...value, [key]: x }`. The ledger seals audit
 * records in the database this way, where only the sequence number is known.
 */
export function canonicalJsonAround(value: Record<string, unknown>, key: string, omitted?: ReadonlySet<string>): { before: string; after: string } {
  const keys = Object.keys(value).filter((k) => k !== key && value[k] !== undefined && !omitted?.has(k));
  keys.push(key);
  keys.sort();
  let out = '{';
  let before = '';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += JSON.stringify(keys[i]) + ':';
    if (keys[i] === key) {
      before = out;
      out = '';
    } else {
      out += encode(value[keys[i]]);
    }
  }
  return { before, after: out + '}' };
}

function encode(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`canonical JSON cannot encode ${value}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return encodeArray(value);
      return encodeObject(value as Record<string, unknown>, undefined);
    default:
      throw new Error(`canonical JSON cannot encode a ${typeof value}`);
  }
}

function encodeArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    const item = items[i];
    out += item === undefined ? 'null' : encode(item);
  }
  return out + ']';
}

function encodeObject(object: Record<string, unknown>, omitted: ReadonlySet<string> | undefined): string {
  // Default sort compares UTF-16 code units, the order canonical JSON has always used here.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined || omitted?.has(key)) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(key) + ':' + encode(member);
  }
  return out + '}';
}
