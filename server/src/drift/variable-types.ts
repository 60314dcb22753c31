// Terraform's type constraints (`type = list(string)`, `object({ a = optional(number, 1) })`) and
// its conversion of a value to them, enough to give every variable the value Terraform would:
// "5" becomes 5 for a number, ["a", 1] becomes ["a", "1"] for list(string), and a value that does
// not convert is an error, never a guess.
import { Expr, ExprSyntaxError, parseExpression } from './expr-parse';
import { evaluate } from './expr-eval';
import { canonicalJson, firstUnknown, isObject, Known, Unknown, Value } from './values';

export type VarType =
  | { kind: 'string' | 'number' | 'bool' | 'any' }
  | { kind: 'list' | 'set' | 'map'; element: VarType }
  | { kind: 'object'; attributes: Record<string, { type: VarType; optional: boolean; default?: Known }> }
  | { kind: 'tuple'; elements: VarType[] };

export const ANY: VarType = { kind: 'any' };

export class TypeConstraintError extends Error {}

const NO_SCOPE = {
  variable: (n: string) => new Unknown(`var.${n} is not allowed here`),
  local: (n: string) => new Unknown(`local.${n} is not allowed here`),
  resource: (t: string, n: string) => new Unknown(`${t}.${n} is not allowed here`),
};

function typeOf(e: Expr): VarType {
  if (e.t === 'ref' && e.steps.length === 0) {
    switch (e.root) {
      case 'string':
      case 'number':
      case 'bool':
      case 'any':
        return { kind: e.root };
      // Pre-0.12 shorthands, still accepted: list(any) and map(any).
      case 'list':
      case 'map':
        return { kind: e.root, element: ANY };
    }
  }
  if (e.t === 'call') {
    const [arg] = e.args;
    switch (e.name) {
      case 'list':
      case 'set':
      case 'map':
        if (e.args.length !== 1) throw new TypeConstraintError(`${e.name}() takes one element type`);
        return { kind: e.name, element: typeOf(arg) };
      case 'tuple':
        if (e.args.length !== 1 || arg.t !== 'tuple') throw new TypeConstraintError('tuple() takes a list of element types');
        return { kind: 'tuple', elements: arg.items.map(typeOf) };
      case 'object': {
        if (e.args.length !== 1 || arg.t !== 'object') throw new TypeConstraintError('object() takes an object of attribute types');
        const attributes: Record<string, { type: VarType; optional: boolean; default?: Known }> = {};
        for (const [k, v] of arg.items) {
          const name = k.t === 'ref' && k.steps.length === 0 ? k.root : k.t === 'lit' && typeof k.v === 'string' ? k.v : undefined;
          if (name === undefined) throw new TypeConstraintError('object attribute names must be plain names');
          if (v.t === 'call' && v.name === 'optional') {
            const [inner, def] = v.args;
            if (!inner || v.args.length > 2) throw new TypeConstraintError('optional() takes a type and an optional default');
            const type = typeOf(inner);
            let d: Known | undefined;
            if (def) {
              const raw = evaluate(def, NO_SCOPE);
              if (firstUnknown(raw)) throw new TypeConstraintError('an optional() default must be a constant');
              d = convert(raw as Known, type);
            }
            attributes[name] = { type, optional: true, ...(d !== undefined ? { default: d } : {}) };
          } else attributes[name] = { type: typeOf(v), optional: false };
        }
        return { kind: 'object', attributes };
      }
    }
  }
  throw new TypeConstraintError('not a type constraint');
}

/** A variable's `type` argument, from its source text. Legacy quoted types ("string") are Terraform errors today. */
export function parseTypeConstraint(source: string): VarType {
  let e: Expr;
  try {
    e = parseExpression(source);
  } catch (error) {
    if (error instanceof ExprSyntaxError) throw new TypeConstraintError(`type constraint not understood (${error.message})`);
    throw error;
  }
  return typeOf(e);
}

/** Primitive types take a TF_VAR_ / -var string literally; every other type parses it as HCL. */
export function parsesAsHcl(type: VarType | undefined): boolean {
  return type !== undefined && !['string', 'number', 'bool'].includes(type.kind);
}

export function describeType(t: VarType): string {
  switch (t.kind) {
    case 'list':
    case 'set':
    case 'map':
      return `${t.kind}(${describeType(t.element)})`;
    case 'tuple':
      return `tuple([${t.elements.map(describeType).join(', ')}])`;
    case 'object':
      return `object({${Object.entries(t.attributes).map(([k, a]) => `${k}=${describeType(a.type)}`).join(', ')}})`;
    default:
      return t.kind;
  }
}

function kindOf(v: Known): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Converts a value to a type the way Terraform's (cty's) automatic conversion does, or throws why not. */
export function convert(v: Known, t: VarType, where = 'value'): Known {
  if (v === null) return null;
  switch (t.kind) {
    case 'any':
      return v;
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      throw new TypeConstraintError(`${where}: string required, got ${kindOf(v)}`);
    case 'number':
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && NUMBER.test(v)) return Number(v);
      throw new TypeConstraintError(`${where}: number required, got ${typeof v === 'string' ? `"${v}"` : kindOf(v)}`);
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true') return true;
      if (v === 'false') return false;
      throw new TypeConstraintError(`${where}: bool required, got ${typeof v === 'string' ? `"${v}"` : kindOf(v)}`);
    case 'list':
    case 'set': {
      if (!Array.isArray(v)) throw new TypeConstraintError(`${where}: ${t.kind} required, got ${kindOf(v)}`);
      const items = v.map((x, i) => convert(x, t.element, `${where}[${i}]`));
      if (t.kind === 'list') return items;
      const seen = new Set<string>();
      return items.filter((x) => {
        const k = canonicalJson(x);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    }
    case 'map': {
      if (!isObject(v)) throw new TypeConstraintError(`${where}: map required, got ${kindOf(v)}`);
      const out: { [k: string]: Known } = {};
      for (const [k, x] of Object.entries(v as Record<string, Known>)) out[k] = convert(x, t.element, `${where}["${k}"]`);
      return out;
    }
    case 'tuple': {
      if (!Array.isArray(v)) throw new TypeConstraintError(`${where}: tuple required, got ${kindOf(v)}`);
      if (v.length !== t.elements.length) throw new TypeConstraintError(`${where}: tuple of ${t.elements.length} elements required, got ${v.length}`);
      return v.map((x, i) => convert(x, t.elements[i], `${where}[${i}]`));
    }
    case 'object': {
      if (!isObject(v)) throw new TypeConstraintError(`${where}: object required, got ${kindOf(v)}`);
      const src = v as Record<string, Known>;
      const out: { [k: string]: Known } = {};
      // Attributes the type does not declare are dropped, as Terraform does for object types.
      for (const [k, a] of Object.entries(t.attributes)) {
        if (k in src && src[k] !== null) out[k] = convert(src[k], a.type, `${where}.${k}`);
        else if (a.optional) out[k] = a.default ?? null;
        else if (k in src) out[k] = null;
        else throw new TypeConstraintError(`${where}: attribute "${k}" is required`);
      }
      return out;
    }
  }
}

/** Converts a possibly partly unknown value: unknown parts stay unknown, known parts must convert. */
export function convertValue(v: Value, t: VarType, where: string): Value {
  if (firstUnknown(v)) return v;
  return convert(v as Known, t, where);
}
