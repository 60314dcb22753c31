// What a root module knows before anything runs: variables (Terraform's precedence, see
// variables.ts), locals, provider settings, and other resources' attributes as recorded in state,
// all after override files are merged (overrides.ts). Built once per change; every block evaluates against it.
import type { Attribute, Block, HclFile, StateInstance, TopBlock } from '../model';
import { evaluateSource, Scope } from './expr-eval';
import { effectiveConfiguration } from './overrides';
import { parseTypeConstraint, TypeConstraintError, VarType } from './variable-types';
import { bindModuleArgument, orderSources, resolveVariables, VariableDeclaration, VariableInputs, VariableProblem } from './variables';
import { fromJson, isObject, Unknown, Value } from './values';

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

/** A variable block as variables.ts needs it; a type Tidemark cannot read makes the variable unknown. */
function variableDeclaration(b: TopBlock): { declaration: VariableDeclaration; typeProblem?: VariableProblem } {
  const name = b.labels[0];
  const typeAttr = b.attributes.find((a) => a.name === 'type');
  const def = b.attributes.find((a) => a.name === 'default');
  const nullable = b.attributes.find((a) => a.name === 'nullable');
  let type: VarType | undefined;
  let typeProblem: VariableProblem | undefined;
  if (typeAttr) {
    try {
      type = parseTypeConstraint(typeAttr.expression);
    } catch (error) {
      if (!(error instanceof TypeConstraintError)) throw error;
      typeProblem = { variable: name, file: typeAttr.file ?? b.file, range: typeAttr.range, message: `var.${name}: invalid type constraint: ${error.message}` };
    }
  }
  return {
    declaration: {
      name, type, nullable: nullable?.value !== false, file: def?.file ?? b.file, range: def?.range ?? b.headerRange,
      ...(def ? { default: attributeValue(def, EMPTY_SCOPE) } : {}),
    },
    typeProblem,
  };
}

const EMPTY_SCOPE: Scope = {
  variable: (n) => new Unknown(`var.${n} is not available here`),
  local: (n) => new Unknown(`local.${n} is not available here`),
  resource: (t, n) => new Unknown(`${t}.${n} is not available here`),
};

/**
 * What a module call hands a child module instance (see module-tree.ts): its path in state
 * (`module.app["blue"]`), the arguments that set the child's variables, and the provider
 * configurations it receives (the parent's default ones, or exactly those `providers = {}` names).
 */
export interface ChildBinding {
  path: string;
  /** The caller's argument for a variable, evaluated in the caller's scope; undefined when the call does not set it. */
  argument(name: string): Value | undefined;
  providers: ReadonlyMap<string, ProviderSettings>;
}

export class ModuleScope implements Scope {
  private readonly variables: Map<string, Value>;
  /** Values Terraform would reject (bad TF_VAR_, tfvars or default): those variables are unknown. */
  readonly variableProblems: VariableProblem[];
  private readonly localAttrs = new Map<string, Attribute>();
  private readonly localValues = new Map<string, Value>();
  private readonly evaluating = new Set<string>();
  /** State instances per resource address; turned into values on first reference (most never are). */
  private readonly resources = new Map<string, StateInstance[]>();
  private readonly resourceValues = new Map<string, Value>();
  private readonly declarations = new Map<string, VariableDeclaration>();
  readonly blocks: TopBlock[];
  readonly providers = new Map<string, ProviderSettings>();
  /** `module.app["blue"].` inside a child module instance, '' in the root module. */
  readonly prefix: string;
  /** Outputs of this module's child module calls, set by the module tree (see module-tree.ts). */
  moduleOutputs?: (name: string) => Value;

  constructor(allFiles: IndexedFile[], readonly state: StateView, inputs: VariableInputs = {}, extraInstances: StateInstance[] = [], readonly child?: ChildBinding) {
    const files = effectiveConfiguration(allFiles).files;
    this.prefix = child ? `${child.path}.` : '';
    this.blocks = files.filter((f) => f.file.endsWith('.tf')).flatMap((f) => f.blocks);
    const declarations: VariableDeclaration[] = [];
    const typeProblems: VariableProblem[] = [];
    for (const b of this.blocks) {
      if (b.kind === 'variable' && b.labels[0]) {
        const declaration = variableDeclaration(b);
        if (declaration.typeProblem) typeProblems.push(declaration.typeProblem);
        declarations.push(declaration.declaration);
        this.declarations.set(declaration.declaration.name, declaration.declaration);
      }
      if (b.kind === 'locals') for (const a of b.attributes) this.localAttrs.set(a.name, a);
    }
    if (child) {
      // A child module's variables come from its call's arguments only (never tfvars or TF_VAR_), bound on first use.
      this.variables = new Map();
      this.variableProblems = typeProblems;
    } else {
      const varFiles = files.filter((f) => f.file.endsWith('.tfvars')).map((f) => ({ file: f.file, attributes: f.attributes ?? [] }));
      const resolved = resolveVariables(declarations, orderSources(inputs, varFiles));
      this.variables = resolved.values;
      this.variableProblems = [...typeProblems, ...resolved.problems];
    }
    for (const p of typeProblems) this.variables.set(p.variable as string, new Unknown(p.message));
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
    // A (legacy) provider block inside the module wins over what the caller passes.
    for (const [key, settings] of child?.providers ?? []) if (!this.providers.has(key)) this.providers.set(key, settings);
  }

  /** The full state address of a resource block of this module: `module.app["blue"].aws_instance.this`. */
  addressOf(block: { address: string }): string {
    return `${this.prefix}${block.address}`;
  }

  /** State instances of every declared resource, shaped as Terraform exposes them to references. */
  private indexResources(extra: StateInstance[]): void {
    const seen = new Set<string>();
    const addresses = new Set(this.blocks.filter((b) => b.kind === 'resource').map((b) => b.address));
    for (const address of addresses) {
      const instances = [...this.state.instancesOf(this.prefix + address), ...extra.filter((i) => i.resourceAddress === this.prefix + address)];
      if (instances.length === 0) continue;
      seen.add(address);
      this.resources.set(address, instances);
    }
  }

  /** A resource's instances as Terraform exposes them to references: an object, a list (count) or a map (for_each). */
  private resourceValue(instances: StateInstance[]): Value {
    const keyed = instances.filter((i) => i.indexKey !== undefined);
    if (keyed.length === 0) return fromJson(instances[0].attributes);
    if (keyed.every((i) => typeof i.indexKey === 'number')) {
      const list: Value[] = [];
      for (const i of keyed) list[i.indexKey as number] = fromJson(i.attributes);
      return Array.from(list, (x) => x ?? new Unknown('instance not in state'));
    }
    return Object.fromEntries(keyed.map((i) => [String(i.indexKey), fromJson(i.attributes)]));
  }

  variable(name: string): Value {
    const known = this.variables.get(name);
    if (known !== undefined || !this.child) return known ?? new Unknown(`var.${name} is not declared`);
    const declaration = this.declarations.get(name);
    if (!declaration) return new Unknown(`var.${name} is not declared in ${this.child.path}`);
    const key = `var.${name}`;
    if (this.evaluating.has(key)) return new Unknown(`var.${name} of ${this.child.path} depends on itself`);
    this.evaluating.add(key);
    const value = bindModuleArgument(declaration, this.child.argument(name), this.child.path);
    this.evaluating.delete(key);
    this.variables.set(name, value);
    return value;
  }

  module(name: string): Value {
    return this.moduleOutputs?.(name) ?? new Unknown(`module.${name} is not a module call here`);
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
    const address = `${type}.${name}`;
    let value = this.resourceValues.get(address);
    if (value === undefined) {
      const instances = this.resources.get(address);
      if (!instances) return new Unknown(`${address} is not in state`);
      this.resourceValues.set(address, (value = this.resourceValue(instances)));
    }
    return value;
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
    const shared = { variable: (n: string) => this.variable(n), local: (n: string) => this.local(n), resource: (t: string, n: string) => this.resource(t, n), module: (n: string) => this.module(n) };
    if (typeof indexKey === 'number') return { ...shared, countIndex: indexKey };
    const forEach = block.attributes.find((a) => a.name === 'for_each');
    const all = forEach ? attributeValue(forEach, this) : new Unknown('no for_each');
    let value: Value = new Unknown('each.value is not known');
    if (isObject(all)) value = (all as { [k: string]: Value })[indexKey] ?? new Unknown(`for_each has no key '${indexKey}'`);
    else if (Array.isArray(all) && all.includes(indexKey)) value = indexKey;
    return { ...shared, each: { key: indexKey, value } };
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

