// Where a drifted attribute's value is written: a literal on the attribute, a terraform.tfvars /
// *.auto.tfvars entry, a variable's default, a module call's argument, or a local — followed
// through bare references (`var.x`, `local.y`) the way Terraform binds them. Adopting the live
// value edits it there. Anything else (an expression, TF_VAR_, -var, a .tfvars.json file, code
// installed under .terraform/) has no origin Tidemark may edit: only the attribute itself is.
import path from 'node:path';
import type { Attribute, Block, Drift, TopBlock, ValueOrigin } from '../model';
import type { IndexedFile, ModuleScope } from './module-scope';
import type { ModuleInstance } from './module-tree';
import { sourceFile } from './overrides';
import { orderSources, VariableInputs } from './variables';

const ESCAPES = /\$\{|%\{/;
const BARE = /^(var|local)\.([A-Za-z_][\w-]*)$/;

function isLiteral(attr: Attribute): boolean {
  const literal = (v: unknown): boolean => (typeof v === 'string' ? !ESCAPES.test(v) : Array.isArray(v) ? v.every(literal) : v && typeof v === 'object' ? Object.values(v).every(literal) : true);
  return attr.value !== undefined && literal(attr.value);
}

/** The root module: its files (with .tfvars) and the inputs from outside them. */
export interface RootInputs {
  files: IndexedFile[];
  inputs: VariableInputs;
}

/** One module of the chain from the root to the drifted block. */
interface Frame {
  scope: ModuleScope;
  /** Undefined for the root module. */
  instance?: ModuleInstance;
}

type Found = Omit<ValueOrigin, 'alsoChanges'> & { frame: Frame; symbol?: string };

/** The highest-precedence source that sets a root variable, when it is an editable HCL file. */
function rootVariableSource(name: string, root: RootInputs): { attr: Attribute; file: string } | 'elsewhere' | undefined {
  const varFiles = root.files.filter((f) => f.file.endsWith('.tfvars')).map((f) => ({ file: f.file, attributes: f.attributes ?? [] }));
  const sources = orderSources(root.inputs, varFiles);
  for (const s of [...sources].reverse()) {
    if (s.kind === 'env' || s.kind === 'cli') {
      if (s.name === name) return 'elsewhere';
    } else if (s.kind === 'hcl-file') {
      const attr = s.attributes.find((a) => a.name === name);
      if (attr) return { attr, file: s.file };
    } else {
      try {
        const doc = JSON.parse(s.text) as Record<string, unknown>;
        if (doc && typeof doc === 'object' && name in doc) return 'elsewhere';
      } catch {
        // Not JSON: its values are not used (reported elsewhere).
      }
    }
  }
  return undefined;
}

interface Walk {
  root: RootInputs;
  rootScope: ModuleScope;
}

function follow(expression: string, frame: Frame, walk: Walk, depth: number): Found | undefined {
  const m = BARE.exec(expression.trim());
  if (!m || depth > 16) return undefined;
  const [, kind, name] = m;
  const blocks = frame.scope.blocks;
  if (kind === 'local') {
    const attr = blocks.filter((b) => b.kind === 'locals').flatMap((b) => b.attributes).find((a) => a.name === name);
    if (!attr) return undefined;
    const file = attr.file ?? blocks.find((b) => b.kind === 'locals' && b.attributes.includes(attr))?.file;
    if (!file) return undefined;
    if (isLiteral(attr)) return { kind: 'local', file, range: attr.valueRange, indent: attr.range.start.character, where: `local.${name} (${path.basename(file)}:${attr.range.start.line + 1})`, frame, symbol: `local.${name}` };
    return follow(attr.expression, frame, walk, depth + 1);
  }
  const declaration = blocks.find((b) => b.kind === 'variable' && b.labels[0] === name);
  if (!declaration) return undefined;
  const inst = frame.instance;
  if (!inst) {
    const source = rootVariableSource(name, walk.root);
    if (source === 'elsewhere') return undefined;
    if (source) {
      if (!isLiteral(source.attr)) return undefined;
      return { kind: 'tfvars', file: source.file, range: source.attr.valueRange, indent: source.attr.range.start.character, where: `${path.basename(source.file)}:${source.attr.range.start.line + 1}`, frame, symbol: `var.${name}` };
    }
  } else {
    const arg = inst.call.attributes.find((a) => a.name === name);
    if (arg) {
      const parent: Frame = { scope: inst.parent?.scope ?? walk.rootScope, instance: inst.parent };
      const file = sourceFile(arg, inst.call.file);
      if (inst.parent?.installed) return undefined;
      if (isLiteral(arg)) return { kind: 'argument', file, range: arg.valueRange, indent: arg.range.start.character, where: `${name} = … of ${inst.path.replace(/\[[^\]]*\]$/, '')} (${path.basename(file)}:${arg.range.start.line + 1})`, frame: parent, symbol: `call:${inst.call.labels[0]}` };
      return follow(arg.expression, parent, walk, depth + 1);
    }
    if (inst.installed) return undefined;
  }
  const def = declaration.attributes.find((a) => a.name === 'default');
  if (!def || !isLiteral(def)) return undefined;
  const file = sourceFile(def, declaration.file);
  return { kind: 'default', file, range: def.valueRange, indent: def.range.start.character, where: `the default of var.${name} (${path.basename(file)}:${def.range.start.line + 1})`, frame, symbol: `var.${name}` };
}

/** Addresses (or module instances) in a frame that read `symbol`, besides the drifted instance's own path. */
function consumers(frame: Frame, symbol: string, instances: readonly ModuleInstance[]): string[] {
  const prefix = frame.instance ? `${frame.instance.path}.` : '';
  const out: string[] = [];
  if (symbol.startsWith('call:')) {
    const name = symbol.slice(5);
    return instances.filter((i) => i.call.labels[0] === name && i.parent === frame.instance).map((i) => i.path);
  }
  const reads = new RegExp(`(^|[^\\w.])${symbol.replace('.', '\\.')}(?![\\w-])`);
  for (const b of frame.scope.blocks) {
    if (b.kind !== 'resource' && b.kind !== 'module') continue;
    const uses = (block: Block): boolean => block.attributes.some((a) => reads.test(a.expression)) || block.blocks.some(uses);
    if (!uses(b)) continue;
    if (b.kind === 'resource') out.push(`${prefix}${b.address}`);
    else out.push(...instances.filter((i) => i.call === b && i.parent === frame.instance).map((i) => i.path));
  }
  return out;
}

/**
 * Where the value of a drifted top-level argument is written, and what else that source feeds.
 * Undefined when only the attribute itself can be edited (see the file comment).
 */
export function valueOrigin(drift: Drift, block: TopBlock, scope: ModuleScope, instance: ModuleInstance | undefined, root: RootInputs, instances: readonly ModuleInstance[], rootScope: ModuleScope): ValueOrigin | undefined {
  if (drift.kind !== 'changed' || drift.basis === 'state' || drift.attributePath.length !== 1) return undefined;
  const attr = block.attributes.find((a) => a.name === drift.attributePath[0]);
  if (!attr || isLiteral(attr)) return undefined;
  const found = follow(attr.expression, { scope, instance }, { root, rootScope }, 0);
  if (!found || found.file.split(path.sep).includes('.terraform')) return undefined;
  // The drifted instance itself, and the module instances on its way up, are what the edit is for.
  const own = new Set<string>([drift.address, drift.address.replace(/\[[^\]]*\]$/, '')]);
  for (let i = instance; i; i = i.parent) own.add(i.path);
  const also = found.symbol ? consumers(found.frame, found.symbol, instances).filter((a) => !own.has(a) && !drift.address.startsWith(`${a}.`)) : [];
  // A child's default serves every instance of that code whose call leaves the variable unset.
  const fed = found.frame.instance;
  if (found.kind === 'default' && fed && found.symbol) {
    const variable = found.symbol.slice('var.'.length);
    also.push(...instances.filter((i) => i !== fed && i.dir === fed.dir && !i.call.attributes.some((a) => a.name === variable)).map((i) => i.path));
  }
  const { symbol: _s, frame: _f, ...origin } = found;
  return { ...origin, alsoChanges: [...new Set(also)] };
}
