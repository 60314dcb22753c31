// What a root module knows before anything runs: variables (defaults < terraform.tfvars <
// *.auto.tfvars < explicit overrides), locals, provider settings, and other resources' attributes
// as recorded in state. Built once per change; every block evaluates against it.
import path from 'node:path';
import type { Attribute, Block, HclFile, StateInstance, TopBlock } from '../model';
import { evaluateSource, Scope } from './expr-eval';
import { fromJson, isObject, Known, Unknown, Value } from './values';

/** The index gives .tfvars files their top-level attributes; .tf files have none. */
export type IndexedFile = HclFile & { attributes?: Attribute[] };

export interface StateView {
  /** True when a state (file or backend) was found; false means matching is inferred or impossible. */
  present: boolean;
  instancesOf(resourceAddress: string): StateInstance[];
}

export interface ProviderSettings {
  region: Value;
  defaultTags: Value;
}

const ESCAPES = /\$\{|%\{/;

function needsEvaluation(v: unknown): boolean {
  if (typeof v === 'string') return ESCAPES.test(v);
  if (Array.isArray(v)) return v.some(needsEvaluation);
  if (v && typeof v === 'object') return Object.values(v).some(needsEvaluation);
  return false;
}

/** An attribute's value: the parsed literal when it is one, otherwise the evaluated source text. */
export function attributeValue(attr: Attribute, scope: Scope): Value {
  if (attr.value !== undefined && !needsEvaluation(attr.value)) return fromJson(attr.value);
  if (!attr.expression) return new Unknown('attribute has no value');
  return evaluateSource(attr.expression, scope);
}

/** A nested block as an object: its attributes plus its own nested blocks as lists. */
export function blockValue(block: Block, scope: Scope): Value {
  const out: { [k: string]: Value } = {};
  for (const a of block.attributes) out[a.name] = attributeValue(a, scope);
  for (const b of block.blocks) {
    if (b.type === 'dynamic') {
      out[b.labels[0] ?? 'dynamic'] = new Unknown('dynamic blocks are not evaluated');
      continue;
    }
    const list = (out[b.type] as Value[] | undefined) ?? [];
    if (Array.isArray(list)) list.push(blockValue(b, scope));
    out[b.type] = list;
  }
  return out;
}

function isTfvars(file: string): boolean {
  const base = path.basename(file);
  return base === 'terraform.tfvars' || base.endsWith('.auto.tfvars');
}

/** Terraform loads terraform.tfvars first, then *.auto.tfvars in lexical order; later wins. */
function tfvarsOrder(a: string, b: string): number {
  const rank = (f: string) => (path.basename(f) === 'terraform.tfvars' ? 0 : 1);
  return rank(a) - rank(b) || path.basename(a).localeCompare(path.basename(b));
}

const EMPTY_SCOPE: Scope = {
  variable: (n) => new Unknown(`var.${n} is not available here`),
  local: (n) => new Unknown(`local.${n} is not available here`),
  resource: (t, n) => new Unknown(`${t}.${n} is not available here`),
};

export class ModuleScope implements Scope {
  private readonly variables = new Map<string, Value>();
  private readonly localAttrs = new Map<string, Attribute>();
  private readonly localValues = new Map<string, Value>();
  private readonly evaluating = new Set<string>();
  private readonly resources = new Map<string, Value>();
  readonly blocks: TopBlock[];
  readonly providers = new Map<string, ProviderSettings>();

  constructor(files: IndexedFile[], readonly state: StateView, overrides: Record<string, Known> = {}, extraInstances: StateInstance[] = []) {
    this.blocks = files.filter((f) => f.file.endsWith('.tf')).flatMap((f) => f.blocks);
    for (const b of this.blocks) {
      if (b.kind === 'variable' && b.labels[0]) {
        const def = b.attributes.find((a) => a.name === 'default');
        this.variables.set(b.labels[0], def ? attributeValue(def, EMPTY_SCOPE) : new Unknown(`var.${b.labels[0]} has no default and no value in terraform.tfvars or *.auto.tfvars`));
      }
      if (b.kind === 'locals') for (const a of b.attributes) this.localAttrs.set(a.name, a);
    }
    const tfvars = files.filter((f) => isTfvars(f.file)).sort((a, b) => tfvarsOrder(a.file, b.file));
    for (const f of tfvars) {
      for (const a of f.attributes ?? []) if (this.variables.has(a.name)) this.variables.set(a.name, attributeValue(a, EMPTY_SCOPE));
    }
    for (const [name, value] of Object.entries(overrides)) if (this.variables.has(name)) this.variables.set(name, value);
    this.indexResources(extraInstances);
    for (const b of this.blocks) {
      if (b.kind !== 'provider') continue;
      const alias = b.attributes.find((a) => a.name === 'alias');
      const key = `${b.labels[0] ?? ''}${alias && typeof alias.value === 'string' ? `.${alias.value}` : ''}`;
      const region = b.attributes.find((a) => a.name === 'region');
      const defaultTags = b.blocks.find((x) => x.type === 'default_tags')?.attributes.find((a) => a.name === 'tags');
      this.providers.set(key, {
        region: region ? attributeValue(region, this) : null,
        defaultTags: defaultTags ? attributeValue(defaultTags, this) : {},
      });
    }
  }

  /** State instances of every declared resource, shaped as Terraform exposes them to references. */
  private indexResources(extra: StateInstance[]): void {
    const seen = new Set<string>();
    const addresses = new Set(this.blocks.filter((b) => b.kind === 'resource').map((b) => b.address));
    for (const address of addresses) {
      const instances = [...this.state.instancesOf(address), ...extra.filter((i) => i.resourceAddress === address)];
      if (instances.length === 0) continue;
      seen.add(address);
      const keyed = instances.filter((i) => i.indexKey !== undefined);
      if (keyed.length === 0) this.resources.set(address, fromJson(instances[0].attributes));
      else if (keyed.every((i) => typeof i.indexKey === 'number')) {
        const list: Value[] = [];
        for (const i of keyed) list[i.indexKey as number] = fromJson(i.attributes);
        this.resources.set(address, Array.from(list, (x) => x ?? new Unknown('instance not in state')));
      } else {
        this.resources.set(address, Object.fromEntries(keyed.map((i) => [String(i.indexKey), fromJson(i.attributes)])));
      }
    }
  }

  variable(name: string): Value {
    return this.variables.get(name) ?? new Unknown(`var.${name} is not declared`);
  }

  local(name: string): Value {
    const cached = this.localValues.get(name);
    if (cached !== undefined) return cached;
    const attr = this.localAttrs.get(name);
    if (!attr) return new Unknown(`local.${name} is not declared`);
    if (this.evaluating.has(name)) return new Unknown(`local.${name} refers to itself`);
    this.evaluating.add(name);
    const v = attributeValue(attr, this);
    this.evaluating.delete(name);
    this.localValues.set(name, v);
    return v;
  }

  resource(type: string, name: string): Value {
    return this.resources.get(`${type}.${name}`) ?? new Unknown(`${type}.${name} is not in state`);
  }

  /** The provider configuration a resource block uses (`provider = aws.west` or the default). */
  providerFor(block: Block): ProviderSettings {
    const attr = block.attributes.find((a) => a.name === 'provider');
    const key = attr ? attr.expression.trim() : (block.labels[0] ?? '').split('_')[0];
    return this.providers.get(key) ?? { region: null, defaultTags: {} };
  }

  /** A scope for one instance: count.index / each.key / each.value set, everything else shared. */
  forInstance(block: Block, indexKey: number | string | undefined): Scope {
    if (indexKey === undefined) return this;
    if (typeof indexKey === 'number') return { variable: (n) => this.variable(n), local: (n) => this.local(n), resource: (t, n) => this.resource(t, n), countIndex: indexKey };
    const forEach = block.attributes.find((a) => a.name === 'for_each');
    const all = forEach ? attributeValue(forEach, this) : new Unknown('no for_each');
    let value: Value = new Unknown('each.value is not known');
    if (isObject(all)) value = (all as { [k: string]: Value })[indexKey] ?? new Unknown(`for_each has no key '${indexKey}'`);
    else if (Array.isArray(all) && all.includes(indexKey)) value = indexKey;
    return { variable: (n) => this.variable(n), local: (n) => this.local(n), resource: (t, n) => this.resource(t, n), each: { key: indexKey, value } };
  }

  /** Instance keys the configuration declares, or undefined when count/for_each is not known. */
  declaredKeys(block: Block): Array<number | string | undefined> | undefined {
    const count = block.attributes.find((a) => a.name === 'count');
    const forEach = block.attributes.find((a) => a.name === 'for_each');
    if (count) {
      const n = attributeValue(count, this);
      return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? Array.from({ length: n }, (_, i) => i) : undefined;
    }
    if (forEach) {
      const v = attributeValue(forEach, this);
      if (isObject(v)) return Object.keys(v);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
      return undefined;
    }
    return [undefined];
  }
}

