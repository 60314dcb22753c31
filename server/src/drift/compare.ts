// Equality per comparison kind. Every function answers only "equal or not" for fully known values.
import type { AttributeRule, NormalizeContext } from './schema';
import { normalizePolicy } from './policy';
import { canonicalJson, Known } from './values';

function scalarForm(v: Known): Known {
  if (v === null || v === '') return null;
  if (typeof v === 'string') {
    if (v === 'true' || v === 'false') return v === 'true';
    if (v.trim() !== '' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  }
  return v;
}

function asList(v: Known): Known[] {
  return v === null ? [] : Array.isArray(v) ? v : [v];
}

function canonicalSet(list: Known[]): string[] {
  return [...new Set(list.map(canonicalJson))].sort();
}

/** The canonical comparable form of a value under a rule; undefined when it cannot be interpreted (never drift). */
export function canonicalForm(rule: AttributeRule, value: Known, ctx: NormalizeContext): string | undefined {
  switch (rule.compare) {
    case 'scalar': {
      const v = rule.normalize ? rule.normalize(value, ctx) : value;
      return canonicalJson(scalarForm(v));
    }
    case 'set': {
      const items = asList(value).map((x) => scalarForm(rule.normalize ? rule.normalize(x, ctx) : x));
      return JSON.stringify(canonicalSet(items));
    }
    case 'policy': {
      if (value === null || value === '') return 'null';
      const doc = normalizePolicy(value);
      return doc === undefined ? undefined : canonicalJson(doc);
    }
    case 'blocks': {
      const atoms = rule.normalize ? rule.normalize(asList(value), ctx) : asList(value);
      return JSON.stringify(canonicalSet(asList(atoms)));
    }
  }
}

export function valuesEqual(rule: AttributeRule, a: Known, b: Known, ctx: NormalizeContext): boolean | undefined {
  const ca = canonicalForm(rule, a, ctx);
  const cb = canonicalForm(rule, b, ctx);
  if (ca === undefined || cb === undefined) return undefined;
  return ca === cb;
}
