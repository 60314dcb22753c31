// Child modules as Terraform evaluates them. Each `module` call's source is resolved (a local path
// relative to the calling module's directory; any other source through the directory `terraform
// init` recorded in .terraform/modules/modules.json), expanded into instances by count/for_each
// (`module.app["blue"]`, `module.net[0]`), its variables bound from the call's arguments (each.key,
// each.value and count.index of that instance) and its outputs evaluated from the child's output
// expressions for the caller. Pure: the files of every module directory come from the caller (see
// app/module-files.ts). Whatever cannot be resolved or evaluated is said, never guessed.
import path from 'node:path';
import type { Range, StateInstance, TopBlock } from '../model';
import { attributeValue, IndexedFile, ModuleScope, ProviderSettings, StateView } from './module-scope';
import { effectiveConfiguration } from './overrides';
import type { NotChecked } from './snapshot';
import { Unknown, Value } from './values';

/** One entry of `.terraform/modules/modules.json`. */
export interface ManifestEntry {
  /** `net`, `outer.inner`: the call names from the root, joined by dots. */
  key: string;
  source: string;
  version?: string;
  /** Absolute directory the module was installed (or, for a local source, found) in. */
  dir: string;
}

export interface ModuleManifest {
  /** Where the manifest is (or would be), for messages. */
  file: string;
  /** Undefined when there is no manifest (`terraform init` never ran). */
  entries?: ReadonlyMap<string, ManifestEntry>;
  /** Why the manifest cannot be used (not JSON, not Terraform's shape): non-local modules are then not checked. */
  problem?: string;
}

/** What the module tree needs from the file system, loaded beforehand by the caller. */
export interface ModuleSources {
  /** The root module's directory: local sources of its calls are relative to it. */
  root: string;
  manifest: ModuleManifest;
  /** The parsed files of a module directory; undefined when it has no Terraform files (or does not exist). */
  filesOf(dir: string): IndexedFile[] | undefined;
  /** Every loaded module file, so a re-diff can tell whether any of them changed. */
  allFiles(): IndexedFile[];
  /** Shown in messages instead of absolute paths. */
  display(dir: string): string;
}

/** A module call that cannot be evaluated, with one line that says where and what to do. */
export interface ModuleProblem {
  /** The call's full path without instance keys of the call itself: `module.app["blue"].module.inner`. */
  call: string;
  file: string;
  range: Range;
  message: string;
  /** 'hint' for a module not installed yet (nothing is wrong with the code), 'error' otherwise. */
  severity: 'error' | 'warning' | 'hint';
}

export interface ModuleInstance {
  /** `module.app["blue"]`, `module.outer.module.inner`: the prefix of its resources' state addresses. */
  path: string;
  /** `app`, `outer.inner`: its key in modules.json. */
  key: string;
  name: string;
  indexKey?: number | string;
  /** The `module` block that calls it, in its parent's files. */
  call: TopBlock;
  parent?: ModuleInstance;
  dir: string;
  /** Its files, override files merged. */
  files: IndexedFile[];
  scope: ModuleScope;
  /** True when its code lies under `.terraform/` (installed by `terraform init`, not edited by hand). */
  installed: boolean;
}

const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
/** Deeper than any real configuration: guards against a manifest that nests keys without end. */
const MAX_DEPTH = 32;

export function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../') || source.startsWith('.\\') || source.startsWith('..\\');
}

/**
 * A source as modules.json records it: registry addresses gain their host, GitHub shorthands
 * become git URLs. Used only to tell whether the manifest is stale, so a form not known here
 * compares as written (and a mismatch is reported as stale, never guessed equal).
 */
export function normalizeSource(source: string): string {
  let s = source.trim();
  if (/^[\w-]+\/[\w-]+\/[\w-]+(\/\/.*)?$/.test(s)) s = `registry.terraform.io/${s}`;
  const gh = /^github\.com\/([^/]+)\/([^/?]+?)(\.git)?((?:\/\/|\?).*)?$/.exec(s);
  if (gh) s = `git::https://github.com/${gh[1]}/${gh[2]}.git${gh[4] ?? ''}`;
  return s.replace(/^registry\.terraform\.io\//, 'registry.terraform.io/').toLowerCase();
}

/** `module.app["blue"].module.inner` → [{ name: app, key: "blue" }, { name: inner }]. */
export function parseModulePath(modulePath: string): Array<{ name: string; key?: number | string }> | undefined {
  const out: Array<{ name: string; key?: number | string }> = [];
  let rest = modulePath;
  while (rest.length) {
    const m = /^module\.([A-Za-z_][\w-]*)/.exec(rest);
    if (!m) return undefined;
    rest = rest.slice(m[0].length);
    let key: number | string | undefined;
    if (rest.startsWith('[')) {
      const k = /^\[(\d+|"(?:[^"\\]|\\.)*")\]/.exec(rest);
      if (!k) return undefined;
      key = k[1].startsWith('"') ? (JSON.parse(k[1]) as string) : Number(k[1]);
      rest = rest.slice(k[0].length);
    }
    out.push({ name: m[1], key });
    if (rest.startsWith('.')) rest = rest.slice(1);
    else if (rest.length) return undefined;
  }
  return out;
}

export function instanceSegment(name: string, key: number | string | undefined): string {
  return key === undefined ? `module.${name}` : `module.${name}[${typeof key === 'number' ? key : JSON.stringify(key)}]`;
}

type Resolution = { dir: string; files: IndexedFile[]; installed: boolean } | { problem: string; severity: ModuleProblem['severity'] };

/** A node of the tree: the root module, or one module instance. */
interface Node {
  scope: ModuleScope;
  dir: string;
  /** '' for the root. */
  path: string;
  key: string;
  depth: number;
  /** Directories from the root down to this module (a local source pointing back into one is a cycle). */
  chain: string[];
  instance?: ModuleInstance;
}

interface CallResult {
  instances: ModuleInstance[];
  /** How Terraform exposes the call to references: single, count (list) or for_each (map). */
  shape: 'single' | 'count' | 'for_each';
  /** Set when the call could not be evaluated: references to its outputs are unknown for this reason. */
  unknown?: string;
}

export class ModuleTree {
  readonly problems: ModuleProblem[] = [];
  /** State instances under calls that could not be evaluated, or instances no longer declared. */
  readonly notChecked: NotChecked[] = [];
  private readonly calls = new Map<string, CallResult>();
  private readonly building = new Set<string>();
  private readonly outputs = new Map<string, Value>();
  private readonly effective = new Map<string, IndexedFile[]>();
  private readonly stateModules: string[];

  constructor(readonly root: ModuleScope, private readonly sources: ModuleSources, private readonly state: StateView & { instances?: readonly StateInstance[] }) {
    const rootDir = sources.root;
    this.stateModules = [...new Set((state.instances ?? []).map((i) => i.module).filter((m) => m))];
    const rootNode: Node = { scope: root, dir: rootDir, path: '', key: '', depth: 0, chain: [rootDir] };
    root.moduleOutputs = (name) => this.outputsOf(rootNode, name);
    this.walk(rootNode);
  }

  /** Every module instance, parents before children. */
  instances(): ModuleInstance[] {
    const out: ModuleInstance[] = [];
    const visit = (prefix: string): void => {
      for (const [id, result] of this.calls) {
        if (!id.startsWith(`${prefix}|`)) continue;
        for (const inst of result.instances) {
          out.push(inst);
          visit(inst.path);
        }
      }
    };
    visit('');
    return out;
  }

  private walk(node: Node): void {
    for (const call of node.scope.blocks) {
      if (call.kind !== 'module' || !call.labels[0]) continue;
      for (const inst of this.callInstances(node, call).instances) this.walk(this.nodeOf(inst, node));
    }
  }

  private nodeOf(inst: ModuleInstance, parent: Node): Node {
    return { scope: inst.scope, dir: inst.dir, path: inst.path, key: inst.key, depth: parent.depth + 1, chain: [...parent.chain, inst.dir], instance: inst };
  }

  private problem(node: Node, call: TopBlock, message: string, severity: ModuleProblem['severity']): void {
    const id = `${node.path ? `${node.path}.` : ''}module.${call.labels[0]}`;
    if (this.problems.some((p) => p.call === id && p.message === message)) return;
    this.problems.push({ call: id, file: call.file, range: call.headerRange, message, severity });
  }

  /** State instances whose module path lies under this call (any of its instances). */
  private stateUnder(callPrefix: string, key?: number | string, anyKey = true): StateInstance[] {
    const exact = key === undefined ? callPrefix : `${callPrefix}[${typeof key === 'number' ? key : JSON.stringify(key)}]`;
    return (this.state.instances ?? []).filter((i) => {
      const m = i.module;
      if (!m) return false;
      if (m === exact || m.startsWith(`${exact}.`)) return true;
      return anyKey && key === undefined && m.startsWith(`${callPrefix}[`);
    });
  }

  private listNotChecked(instances: StateInstance[], reason: string): void {
    for (const i of instances) if (!this.notChecked.some((n) => n.address === i.address)) this.notChecked.push({ address: i.address, type: i.type, reason });
  }

  private resolve(node: Node, call: TopBlock, key: string, label: string): Resolution {
    const attr = call.attributes.find((a) => a.name === 'source');
    if (!attr) return { problem: `module ${label} has no source argument: add source = "./path" or a registry address`, severity: 'error' };
    if (typeof attr.value !== 'string' || /\$\{|%\{/.test(attr.value)) return { problem: `module ${label}: source must be a literal string (Terraform does not allow expressions there)`, severity: 'error' };
    const source = attr.value;
    if (node.depth + 1 > MAX_DEPTH) return { problem: `module ${label}: modules nested more than ${MAX_DEPTH} deep are not evaluated`, severity: 'error' };
    if (isLocalSource(source)) {
      const dir = path.resolve(node.dir, source);
      if (node.chain.includes(dir)) {
        return { problem: `module ${label}: source ${source} is ${this.sources.display(dir)}, which already calls it (a cycle of local modules): point source at another directory`, severity: 'error' };
      }
      const files = this.sources.filesOf(dir);
      if (!files) return { problem: `module ${label}: source ${source} points nowhere (no Terraform files in ${this.sources.display(dir)}): fix the path`, severity: 'error' };
      return { dir, files, installed: dir.split(path.sep).includes('.terraform') };
    }
    const manifest = this.sources.manifest;
    if (manifest.problem) return { problem: `module ${label} cannot be located: ${manifest.problem}: run \`terraform init\``, severity: 'error' };
    const entry = manifest.entries?.get(key);
    if (!entry) return { problem: `module ${label} is not installed: run \`terraform init\``, severity: 'hint' };
    if (normalizeSource(entry.source) !== normalizeSource(source)) {
      return { problem: `module ${label}: ${this.sources.display(manifest.file)} records source ${entry.source}, but the call says ${source} (stale): run \`terraform init\``, severity: 'warning' };
    }
    const version = call.attributes.find((a) => a.name === 'version')?.value;
    if (typeof version === 'string' && /^\d+\.\d+\.\d+$/.test(version.trim()) && entry.version && entry.version !== version.trim()) {
      return { problem: `module ${label}: version ${entry.version} is installed, but the call asks for ${version.trim()} (stale): run \`terraform init\``, severity: 'warning' };
    }
    const files = this.sources.filesOf(entry.dir);
    if (!files) return { problem: `module ${label}: ${this.sources.display(manifest.file)} says it is in ${this.sources.display(entry.dir)}, which has no Terraform files (stale): run \`terraform init\``, severity: 'warning' };
    return { dir: entry.dir, files, installed: true };
  }

  /** The instances of one module call in one parent instance, built once. */
  private callInstances(node: Node, call: TopBlock): CallResult {
    const name = call.labels[0];
    const id = `${node.path}|${name}`;
    const done = this.calls.get(id);
    if (done) return done;
    if (this.building.has(id)) return { instances: [], shape: 'single', unknown: `module.${name} depends on itself` };
    this.building.add(id);
    try {
      const result = this.buildCall(node, call);
      this.calls.set(id, result);
      return result;
    } finally {
      this.building.delete(id);
    }
  }

  private buildCall(node: Node, call: TopBlock): CallResult {
    const name = call.labels[0];
    const key = node.key ? `${node.key}.${name}` : name;
    const callPrefix = `${node.path ? `${node.path}.` : ''}module.${name}`;
    // Sources are per call, whatever instance of its parent: named by their modules.json key.
    const label = `\`${key}\``;
    const shape: CallResult['shape'] = call.attributes.some((a) => a.name === 'count') ? 'count' : call.attributes.some((a) => a.name === 'for_each') ? 'for_each' : 'single';
    const resolved = this.resolve(node, call, key, label);
    if ('problem' in resolved) {
      this.problem(node, call, resolved.problem, resolved.severity);
      this.listNotChecked(this.stateUnder(callPrefix), resolved.problem);
      return { instances: [], shape, unknown: resolved.problem };
    }
    let keys = node.scope.declaredKeys(call);
    let unknown: string | undefined;
    if (!keys) {
      // count/for_each not known here: the instances in state are compared, each.value unknown (state vs live).
      const attr = call.attributes.find((a) => a.name === 'count' || a.name === 'for_each')!;
      const v = attributeValue(attr, node.scope);
      const why = v instanceof Unknown ? v.reason : `${attr.name} is not a ${attr.name === 'count' ? 'whole number' : 'map or set of strings'}`;
      keys = this.stateKeys(callPrefix);
      unknown = `\`${callPrefix}\`: ${attr.name} is not known (${why})`;
      this.problem(node, call, `${unknown}; ${keys.length ? `its ${keys.length} instance${keys.length === 1 ? '' : 's'} in state ${keys.length === 1 ? 'is' : 'are'} compared with the values recorded in state` : 'nothing of it is in state, so nothing is compared'}`, 'warning');
    } else {
      // Instances in state that the configuration no longer declares would be destroyed by terraform apply.
      const declared = new Set(keys.map((k) => JSON.stringify(k ?? null)));
      for (const k of this.stateKeys(callPrefix)) {
        if (declared.has(JSON.stringify(k ?? null))) continue;
        this.listNotChecked(this.stateUnder(callPrefix, k, false), `in state, but \`${callPrefix}\` no longer declares the instance ${instanceSegment(name, k).slice(`module.${name}`.length) || '(without a key)'} (terraform apply would destroy it)`);
      }
    }
    const effective = this.effectiveFiles(resolved.dir, resolved.files);
    const instances = keys.map((indexKey): ModuleInstance => {
      const instPath = `${node.path ? `${node.path}.` : ''}${instanceSegment(name, indexKey)}`;
      const callerScope = node.scope.forInstance(call, indexKey);
      const scope = new ModuleScope(effective, this.state, {}, [], {
        path: instPath,
        argument: (variable) => {
          if (META_ARGUMENTS.has(variable)) return undefined;
          const attr = call.attributes.find((a) => a.name === variable);
          return attr ? attributeValue(attr, callerScope) : undefined;
        },
        providers: providersPassed(call, node.scope),
      });
      const inst: ModuleInstance = { path: instPath, key, name, indexKey, call, parent: node.instance, dir: resolved.dir, files: effective, scope, installed: resolved.installed };
      const child: Node = this.nodeOf(inst, node);
      scope.moduleOutputs = (n) => this.outputsOf(child, n);
      return inst;
    });
    return { instances, shape, unknown };
  }

  private effectiveFiles(dir: string, files: IndexedFile[]): IndexedFile[] {
    const cached = this.effective.get(dir);
    if (cached) return cached;
    const effective = effectiveConfiguration(files).files;
    this.effective.set(dir, effective);
    return effective;
  }

  /** Instance keys of a call as recorded in state (`module.app["blue"]` → "blue"), in state order. */
  private stateKeys(callPrefix: string): Array<number | string | undefined> {
    const keys: Array<number | string | undefined> = [];
    const seen = new Set<string>();
    const depth = parseModulePath(callPrefix)?.length ?? 0;
    for (const m of this.stateModules) {
      if (m !== callPrefix && !m.startsWith(`${callPrefix}.`) && !m.startsWith(`${callPrefix}[`)) continue;
      const segment = parseModulePath(m)?.[depth - 1];
      if (!segment) continue;
      const id = JSON.stringify(segment.key ?? null);
      if (seen.has(id)) continue;
      seen.add(id);
      keys.push(segment.key);
    }
    return keys;
  }

  /** `module.NAME` as a reference in this module: its instances' outputs, shaped as Terraform exposes them. */
  private outputsOf(node: Node, name: string): Value {
    const call = node.scope.blocks.find((b) => b.kind === 'module' && b.labels[0] === name);
    if (!call) return new Unknown(`module.${name} is not declared`);
    const result = this.callInstances(node, call);
    if (result.unknown) return new Unknown(result.unknown);
    const values = result.instances.map((inst) => this.instanceOutputs(inst));
    if (result.shape === 'single') return values[0] ?? new Unknown(`module.${name} has no instance`);
    if (result.shape === 'count') return values;
    return Object.fromEntries(result.instances.map((inst, i) => [String(inst.indexKey), values[i]]));
  }

  private instanceOutputs(inst: ModuleInstance): Value {
    const cached = this.outputs.get(inst.path);
    if (cached !== undefined) return cached;
    if (this.building.has(`outputs ${inst.path}`)) return new Unknown(`the outputs of ${inst.path} depend on themselves`);
    this.building.add(`outputs ${inst.path}`);
    const out: { [k: string]: Value } = {};
    for (const b of inst.scope.blocks) {
      if (b.kind !== 'output' || !b.labels[0]) continue;
      const value = b.attributes.find((a) => a.name === 'value');
      out[b.labels[0]] = value ? attributeValue(value, inst.scope) : new Unknown(`output ${b.labels[0]} of ${inst.path} has no value`);
    }
    this.building.delete(`outputs ${inst.path}`);
    this.outputs.set(inst.path, out);
    return out;
  }
}

/**
 * The provider configurations a call hands its child: every default (unaliased) one of the
 * parent when there is no `providers` argument, else exactly those it names (child name → the
 * parent's configuration; a name the parent does not define maps to nothing).
 */
export function providersPassed(call: TopBlock, parent: ModuleScope): Map<string, ProviderSettings> {
  const out = new Map<string, ProviderSettings>();
  const attr = call.attributes.find((a) => a.name === 'providers');
  if (!attr) {
    for (const [key, settings] of parent.providers) if (!key.includes('.')) out.set(key, settings);
    return out;
  }
  const entry = /([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)?)\s*=\s*([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)?)/g;
  for (const m of attr.expression.matchAll(entry)) {
    const settings = parent.providers.get(m[2]);
    if (settings) out.set(m[1], settings);
  }
  return out;
}
