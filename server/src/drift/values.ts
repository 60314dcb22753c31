// Values the drift engine reasons about: plain JSON, or Unknown when a value cannot be proven.
// Unknown carries its reason so hovers can say why a comparison was not made.

export class Unknown {
  constructor(readonly reason: string) {}
}

export type Known = null | boolean | number | string | Known[] | { [key: string]: Known };
/** A value that may contain Unknown anywhere inside it. */
export type Value = null | boolean | number | string | Unknown | Value[] | { [key: string]: Value };

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

/** The first Unknown inside a value, or undefined when the value is fully known. */
export function firstUnknown(v: Value): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = firstUnknown(x);
      if (u) return u;
    }
    return undefined;
  }
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) {
      const u = firstUnknown(x);
      if (u) return u;
    }
  }
  return undefined;
}

export function isKnown(v: Value): v is Known {
  return firstUnknown(v) === undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** JSON with object keys sorted, so equal values have equal text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Converts an arbitrary JSON value (from state, hcl2json or a live read) into a Value. */
export function fromJson(v: unknown): Value {
  if (v === undefined) return null;
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) return v.map(fromJson);
  if (typeof v === 'object') {
    const out: { [key: string]: Value } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = fromJson(x);
    return out;
  }
  return new Unknown(`unsupported value of type ${typeof v}`);
}
