// Evaluates parsed HCL expressions against what is knowable without running Terraform:
// variables (defaults and tfvars), locals, count/each, and attributes of other resources as
// recorded in state. Everything else evaluates to Unknown with a reason.
import { Expr, ExprSyntaxError, parseExpression, Step } from './expr-parse';
import { canonicalJson, deepEqual, firstUnknown, isObject, Known, Unknown, Value } from './values';

export interface Scope {
  variable(name: string): Value;
  local(name: string): Value;
  /** All instances of a resource: an object (single), array (count) or map (for_each); Unknown when absent. */
  resource(type: string, name: string): Value;
  /** A child module call's outputs: an object (single), list (count) or map (for_each) of output objects. */
  module?(name: string): Value;
  each?: { key: Value; value: Value };
  countIndex?: number;
}

/** Evaluates source text; syntax the parser rejects becomes Unknown rather than an exception. */
export function evaluateSource(source: string, scope: Scope): Value {
  let expr: Expr;
  try {
    expr = parseExpression(source);
  } catch (error) {
    if (error instanceof ExprSyntaxError) return new Unknown(`expression not understood (${error.message})`);
    throw error;
  }
  return evaluate(expr, scope);
}

export function evaluate(e: Expr, scope: Scope): Value {
  switch (e.t) {
    case 'lit':
      return e.v;
    case 'tmpl': {
      let out = '';
      for (const part of e.parts) {
        if (typeof part === 'string') {
          out += part;
          continue;
        }
        const v = evaluate(part, scope);
        if (v instanceof Unknown) return v;
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out += String(v);
        else return new Unknown('template interpolates a non-string value');
      }
      return out;
    }
    case 'tuple':
      return e.items.map((x) => evaluate(x, scope));
    case 'object': {
      const out: { [k: string]: Value } = {};
      for (const [k, v] of e.items) {
        const key = evaluate(k, scope);
        if (key instanceof Unknown) return key;
        if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') return new Unknown('object key is not a string');
        out[String(key)] = evaluate(v, scope);
      }
      return out;
    }
    case 'ref':
      return reference(e.root, e.steps, scope);
    case 'index':
      return applySteps(evaluate(e.x, scope), e.steps, scope);
    case 'call':
      return call(e.name, e.args.map((a) => evaluate(a, scope)));
    case 'unary': {
      const x = evaluate(e.x, scope);
      if (x instanceof Unknown) return x;
      if (e.op === '!') return typeof x === 'boolean' ? !x : new Unknown('! of a non-boolean');
      const n = toNumber(x);
      return n === undefined ? new Unknown('- of a non-number') : -n;
    }
    case 'binary':
      return binary(e.op, evaluate(e.l, scope), evaluate(e.r, scope));
    case 'cond': {
      const c = evaluate(e.c, scope);
      if (c instanceof Unknown) return c;
      const b = c === true || c === 'true' ? true : c === false || c === 'false' ? false : undefined;
      if (b === undefined) return new Unknown('condition is not a boolean');
      return evaluate(b ? e.a : e.b, scope);
    }
    case 'unsupported':
      return new Unknown(`${e.why} is not evaluated`);
  }
}

function reference(root: string, steps: Step[], scope: Scope): Value {
  const first = steps[0];
  const name = first && 'attr' in first ? first.attr : undefined;
  switch (root) {
    case 'var':
      return name ? applySteps(scope.variable(name), steps.slice(1), scope) : new Unknown('bare var reference');
    case 'local':
      return name ? applySteps(scope.local(name), steps.slice(1), scope) : new Unknown('bare local reference');
    case 'each':
      if (!scope.each) return new Unknown('each.* outside for_each');
      if (name === 'key') return applySteps(scope.each.key, steps.slice(1), scope);
      if (name === 'value') return applySteps(scope.each.value, steps.slice(1), scope);
      return new Unknown(`each.${name ?? ''} is not a thing`);
    case 'count':
      return name === 'index' && scope.countIndex !== undefined ? scope.countIndex : new Unknown('count.index outside count');
    case 'data':
      return new Unknown('data sources are not read');
    case 'module':
      if (!name) return new Unknown('bare module reference');
      return scope.module ? applySteps(scope.module(name), steps.slice(1), scope) : new Unknown(`module.${name} outputs are not evaluated here`);
    case 'path':
    case 'terraform':
    case 'self':
      return new Unknown(`${root}.* is not evaluated`);
    default:
      if (name && root.includes('_')) return applySteps(scope.resource(root, name), steps.slice(1), scope);
      return new Unknown(`'${root}' is not a known reference`);
  }
}

function applySteps(v: Value, steps: Step[], scope: Scope): Value {
  let cur = v;
  for (const step of steps) {
    if (cur instanceof Unknown) return cur;
    if ('splat' in step) return new Unknown('splat expressions are not evaluated');
    let key: Value;
    if ('attr' in step) key = step.attr;
    else key = evaluate(step.index, scope);
    if (key instanceof Unknown) return key;
    if (Array.isArray(cur)) {
      const i = toNumber(key);
      if (i === undefined || !Number.isInteger(i) || i < 0 || i >= cur.length) return new Unknown(`index ${String(key)} is out of range`);
      cur = cur[i];
    } else if (isObject(cur)) {
      const k = String(key);
      if (!(k in cur)) return new Unknown(`no attribute '${k}'`);
      cur = (cur as { [k: string]: Value })[k];
    } else {
      return new Unknown(`cannot index ${cur === null ? 'null' : typeof cur}`);
    }
  }
  return cur;
}

function toNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

function binary(op: string, l: Value, r: Value): Value {
  if (l instanceof Unknown) return l;
  if (r instanceof Unknown) return r;
  switch (op) {
    case '==':
    case '!=': {
      const ul = firstUnknown(l) ?? firstUnknown(r);
      if (ul) return ul;
      const eq = deepEqual(l, r);
      return op === '==' ? eq : !eq;
    }
    case '&&':
    case '||':
      if (typeof l !== 'boolean' || typeof r !== 'boolean') return new Unknown(`${op} of non-booleans`);
      return op === '&&' ? l && r : l || r;
  }
  const a = toNumber(l);
  const b = toNumber(r);
  if (a === undefined || b === undefined) return new Unknown(`${op} of non-numbers`);
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? new Unknown('division by zero') : a / b;
    case '%': return b === 0 ? new Unknown('division by zero') : a % b;
    case '<': return a < b;
    case '>': return a > b;
    case '<=': return a <= b;
    case '>=': return a >= b;
  }
  return new Unknown(`operator ${op} is not evaluated`);
}

type Fn = (args: Value[]) => Value;

const known = (f: (args: Known[]) => Value): Fn => (args) => {
  for (const a of args) {
    const u = firstUnknown(a);
    if (u) return u;
  }
  return f(args as Known[]);
};

const str = (f: (s: string, ...rest: Known[]) => Value): Fn =>
  known(([s, ...rest]) => (typeof s === 'string' ? f(s, ...rest) : new Unknown('expected a string')));

/** Terraform's set functions sort nothing, but sets are compared as sets downstream; keep order and drop duplicates. */
function dedupe(list: Known[]): Known[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const k = canonicalJson(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const FUNCTIONS: Record<string, Fn> = {
  jsonencode: known(([v]) => JSON.stringify(v)),
  jsondecode: str((s) => {
    try {
      return JSON.parse(s) as Known;
    } catch {
      return new Unknown('jsondecode of invalid JSON');
    }
  }),
  // merge keeps Unknown values inside objects: keys stay known even when some values are not.
  merge: (args) => {
    const out: { [k: string]: Value } = {};
    for (const a of args) {
      if (a instanceof Unknown) return a;
      if (a === null) continue;
      if (!isObject(a)) return new Unknown('merge of a non-object');
      Object.assign(out, a);
    }
    return out;
  },
  concat: (args) => {
    const out: Value[] = [];
    for (const a of args) {
      if (a instanceof Unknown) return a;
      if (!Array.isArray(a)) return new Unknown('concat of a non-list');
      out.push(...a);
    }
    return out;
  },
  tolist: (args) => args[0] ?? new Unknown('tolist needs an argument'),
  toset: known(([v]) => (Array.isArray(v) ? dedupe(v) : new Unknown('toset of a non-list'))),
  tomap: (args) => args[0] ?? new Unknown('tomap needs an argument'),
  tostring: known(([v]) => (v === null ? null : typeof v === 'object' ? new Unknown('tostring of a collection') : String(v))),
  tonumber: known(([v]) => (v === null ? null : toNumber(v) ?? new Unknown('tonumber of a non-number'))),
  tobool: known(([v]) => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : v === null ? null : new Unknown('tobool of a non-boolean'))),
  lower: str((s) => s.toLowerCase()),
  upper: str((s) => s.toUpperCase()),
  trimspace: str((s) => s.trim()),
  join: known(([sep, list]) =>
    typeof sep === 'string' && Array.isArray(list) && list.every((x) => typeof x !== 'object' || x === null)
      ? list.map((x) => String(x)).join(sep)
      : new Unknown('join expects a separator and a list of strings')),
  split: known(([sep, s]) => (typeof sep === 'string' && typeof s === 'string' ? s.split(sep) : new Unknown('split expects strings'))),
  replace: known(([s, find, rep]) => {
    if (typeof s !== 'string' || typeof find !== 'string' || typeof rep !== 'string') return new Unknown('replace expects strings');
    if (find.length > 1 && find.startsWith('/') && find.endsWith('/')) return new Unknown('regular-expression replace is not evaluated');
    return s.split(find).join(rep);
  }),
  length: known(([v]) => (Array.isArray(v) ? v.length : typeof v === 'string' ? [...v].length : isObject(v) ? Object.keys(v).length : new Unknown('length of a scalar'))),
  lookup: (args) => {
    const [m, k, d] = args;
    if (m instanceof Unknown) return m;
    if (k instanceof Unknown) return k;
    if (!isObject(m) || typeof k !== 'string') return new Unknown('lookup expects a map and a key');
    return k in m ? (m as { [k: string]: Value })[k] : d ?? new Unknown(`lookup: no key '${k}'`);
  },
  coalesce: (args) => {
    for (const a of args) {
      if (a instanceof Unknown) return a;
      if (a !== null && a !== '') return a;
    }
    return new Unknown('coalesce: no non-empty argument');
  },
  format: known(([f, ...rest]) => {
    if (typeof f !== 'string') return new Unknown('format expects a string');
    let i = 0;
    let bad = false;
    const out = f.replace(/%([%sdvq])/g, (_m, verb: string) => {
      if (verb === '%') return '%';
      const v = rest[i++];
      if (v === undefined || (typeof v === 'object' && v !== null)) {
        bad = true;
        return '';
      }
      return verb === 'q' ? JSON.stringify(String(v)) : String(v);
    });
    return bad || /%[^%sdvq]/.test(f) ? new Unknown('format verb not evaluated') : out;
  }),
};

function call(name: string, args: Value[]): Value {
  const fn = FUNCTIONS[name.replace(/^provider::[^:]+::/, '')];
  if (!fn) return new Unknown(`function ${name}() is not evaluated`);
  return fn(args);
}
