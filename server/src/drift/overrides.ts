// Terraform's override files (`override.tf`, `*_override.tf`): skipped while the primary files
// load, then merged into the blocks they name, file by file in lexical order and block by block in
// file order. The rules follow Terraform's "Override Files" documentation and its merge code:
// arguments replace arguments of the same name; nested blocks of a type replace *all* blocks of that
// type (a `dynamic "x"` counts as type x on both sides); a resource's `lifecycle` merges argument by
// argument; locals merge per name; `terraform` settings merge per setting (`required_providers` per
// provider, `backend`/`cloud` replace each other). What an override sets keeps its own file, so a
// drift on it is reported where the effective value is written.
import path from 'node:path';
import type { Attribute, Block, Range, TopBlock } from '../model';
import type { IndexedFile } from './module-scope';

/** An override Terraform rejects: reported with the override's file and position. */
export interface OverrideProblem {
  file: string;
  range: Range;
  message: string;
}

export interface EffectiveConfiguration {
  /** The primary files with override blocks merged in; override files themselves are gone. */
  files: IndexedFile[];
  problems: OverrideProblem[];
}

export function isOverrideFile(file: string): boolean {
  const base = path.basename(file);
  return base === 'override.tf' || base.endsWith('_override.tf');
}

/** Attributes and nested blocks merged from an override carry their file; the rest is the block's. */
export function sourceFile(item: Attribute | Block, blockFile: string): string {
  return item.file ?? blockFile;
}

function mark<T extends Attribute | Block>(item: T, file: string): T {
  return item.file ? item : { ...item, file };
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The general rule: arguments replace by name, nested block types replace as a whole. */
function mergeBody<T extends Block>(base: T, over: Block, file: string): T {
  const overAttrs = new Set(over.attributes.map((a) => a.name));
  const overTypes = new Set(over.blocks.map((b) => (b.type === 'dynamic' ? b.labels[0] ?? '' : b.type)));
  const kept = base.blocks.filter((b) => !overTypes.has(b.type === 'dynamic' ? b.labels[0] ?? '' : b.type));
  return {
    ...base,
    attributes: [...base.attributes.filter((a) => !overAttrs.has(a.name)), ...over.attributes.map((a) => mark(a, file))],
    blocks: [...kept, ...over.blocks.map((b) => mark(b, file))],
  };
}

/** An empty list does not replace: Terraform only takes a non-empty `ignore_changes` from the override. */
function setsIgnoreChanges(a: Attribute): boolean {
  return !(a.name === 'ignore_changes' && a.expression.replace(/\s/g, '') === '[]');
}

function mergeResource(base: TopBlock, over: TopBlock, file: string, problems: OverrideProblem[]): TopBlock {
  const dependsOn = over.attributes.find((a) => a.name === 'depends_on');
  if (dependsOn) problems.push({ file, range: dependsOn.range, message: `${over.address}: the depends_on argument may not be overridden (Terraform rejects it in an override file)` });
  const overLifecycle = over.blocks.find((b) => b.type === 'lifecycle');
  const baseLifecycle = base.blocks.find((b) => b.type === 'lifecycle');
  const overRest: Block = { ...over, attributes: over.attributes.filter((a) => a.name !== 'depends_on'), blocks: over.blocks.filter((b) => b.type !== 'lifecycle') };
  const merged = mergeBody(base, overRest, file);
  if (!overLifecycle) return merged;
  const lifecycle: Block = baseLifecycle
    ? {
        ...baseLifecycle,
        attributes: [
          ...baseLifecycle.attributes.filter((a) => !overLifecycle.attributes.some((o) => o.name === a.name && setsIgnoreChanges(o))),
          ...overLifecycle.attributes.filter(setsIgnoreChanges).map((a) => mark(a, file)),
        ],
      }
    : mark(overLifecycle, file);
  return { ...merged, blocks: [...merged.blocks.filter((b) => b.type !== 'lifecycle'), lifecycle] };
}

function mergeOutput(base: TopBlock, over: TopBlock, file: string, problems: OverrideProblem[]): TopBlock {
  const dependsOn = over.attributes.find((a) => a.name === 'depends_on');
  if (dependsOn) problems.push({ file, range: dependsOn.range, message: `${over.address}: the depends_on argument may not be overridden (Terraform rejects it in an override file)` });
  return mergeBody(base, { ...over, attributes: over.attributes.filter((a) => a.name !== 'depends_on') }, file);
}

function providerKey(b: Block): string {
  const alias = b.attributes.find((a) => a.name === 'alias');
  return `${b.labels[0] ?? ''}${alias && typeof alias.value === 'string' ? `.${alias.value}` : ''}`;
}

/** Terraform settings are per module, not per block: an override changes them wherever they are. */
function mergeTerraform(blocks: TopBlock[], over: TopBlock, file: string): TopBlock[] {
  const first = blocks.findIndex((b) => b.kind === 'terraform');
  if (first < 0) return [...blocks, over];
  const overAttrs = new Set(over.attributes.map((a) => a.name));
  const overProviders = over.blocks.filter((b) => b.type === 'required_providers').flatMap((b) => b.attributes);
  const overProviderNames = new Set(overProviders.map((a) => a.name));
  const replacesBackend = over.blocks.some((b) => b.type === 'backend' || b.type === 'cloud');
  const otherTypes = new Set(over.blocks.map((b) => b.type).filter((t) => t !== 'required_providers' && t !== 'backend' && t !== 'cloud'));
  return blocks.map((b, i) => {
    if (b.kind !== 'terraform') return b;
    const nested = b.blocks
      .filter((n) => !(replacesBackend && (n.type === 'backend' || n.type === 'cloud')) && !otherTypes.has(n.type))
      .map((n) => (n.type === 'required_providers' ? { ...n, attributes: n.attributes.filter((a) => !overProviderNames.has(a.name)) } : n));
    const cleaned: TopBlock = { ...b, attributes: b.attributes.filter((a) => !overAttrs.has(a.name)), blocks: nested };
    if (i !== first) return cleaned;
    const required = cleaned.blocks.find((n) => n.type === 'required_providers');
    const withProviders = overProviders.length
      ? required
        ? cleaned.blocks.map((n) => (n === required ? { ...n, attributes: [...n.attributes, ...overProviders.map((a) => mark(a, file))] } : n))
        : [...cleaned.blocks, mark(over.blocks.find((n) => n.type === 'required_providers') as Block, file)]
      : cleaned.blocks;
    return {
      ...cleaned,
      attributes: [...cleaned.attributes, ...over.attributes.map((a) => mark(a, file))],
      blocks: [...withProviders, ...over.blocks.filter((n) => n.type !== 'required_providers').map((n) => mark(n, file))],
    };
  });
}

/** Which primary block an override block names; undefined for kinds matched otherwise. */
function sameObject(base: TopBlock, over: TopBlock): boolean {
  if (base.kind !== over.kind) return false;
  if (over.kind === 'provider') return providerKey(base) === providerKey(over);
  return base.address === over.address;
}

function missingMessage(over: TopBlock): string {
  const [type, name] = over.labels;
  switch (over.kind) {
    case 'resource': return `there is no ${type} resource named "${name}": an override file can only override a resource block defined in a primary configuration file`;
    case 'data': return `there is no ${type} data resource named "${name}": an override file can only override a data block defined in a primary configuration file`;
    case 'variable': return `there is no variable named "${type}": an override file can only override a variable declared in a primary configuration file`;
    case 'output': return `there is no output named "${type}": an override file can only override an output defined in a primary configuration file`;
    case 'module': return `there is no module call named "${type}": an override file can only override a module call defined in a primary configuration file`;
    case 'provider': return `there is no ${type} provider configuration with the alias "${providerKey(over).split('.')[1] ?? ''}": an override file can only override an aliased provider configuration defined in a primary configuration file`;
    default: return `${over.address} cannot be overridden`;
  }
}

function applyOverrideBlock(blocks: TopBlock[], over: TopBlock, file: string, problems: OverrideProblem[]): TopBlock[] {
  switch (over.kind) {
    case 'terraform':
      return mergeTerraform(blocks, over, file);
    case 'locals': {
      let out = blocks;
      for (const local of over.attributes) {
        const owner = out.find((b) => b.kind === 'locals' && b.attributes.some((a) => a.name === local.name));
        if (!owner) {
          problems.push({ file, range: local.range, message: `there is no local value named "${local.name}": an override file can only override a local value defined in a primary configuration file` });
          continue;
        }
        const replaced: TopBlock = { ...owner, attributes: owner.attributes.map((a) => (a.name === local.name ? mark(local, file) : a)) };
        out = out.map((b) => (b === owner ? replaced : b));
      }
      return out;
    }
    case 'moved':
      problems.push({ file, range: over.headerRange, message: 'moved blocks cannot be overridden: records of moved objects can appear only in normal files, not in override files' });
      return blocks;
    case 'resource':
    case 'data':
    case 'variable':
    case 'output':
    case 'module':
    case 'provider': {
      const index = blocks.findIndex((b) => sameObject(b, over));
      if (index < 0) {
        // An absent default provider configuration is an empty one, which the override then fills.
        if (over.kind === 'provider' && !providerKey(over).includes('.')) return [...blocks, over];
        problems.push({ file, range: over.headerRange, message: missingMessage(over) });
        return blocks;
      }
      const base = blocks[index];
      const merged =
        over.kind === 'resource' || over.kind === 'data' ? mergeResource(base, over, file, problems)
        : over.kind === 'output' ? mergeOutput(base, over, file, problems)
        : mergeBody(base, over, file);
      return blocks.map((b, i) => (i === index ? merged : b));
    }
    default:
      // Terraform's merge ignores other block kinds (import, check…) in override files.
      return blocks;
  }
}

/** Merges override files into the primary files of one module, as Terraform does when it loads it. */
export function applyOverrides(files: IndexedFile[]): EffectiveConfiguration {
  const overrides = files.filter((f) => isOverrideFile(f.file)).sort((a, b) => byteOrder(path.basename(a.file), path.basename(b.file)));
  if (overrides.length === 0) return { files, problems: [] };
  const primary = files.filter((f) => !isOverrideFile(f.file));
  const problems: OverrideProblem[] = [];
  let blocks: TopBlock[] = primary.flatMap((f) => f.blocks);
  for (const o of overrides) for (const over of o.blocks) blocks = applyOverrideBlock(blocks, over, o.file, problems);
  // Blocks go back to the file of their header; an implied provider lives in the override file.
  const byFile = new Map<string, TopBlock[]>();
  for (const b of blocks) byFile.set(b.file, [...(byFile.get(b.file) ?? []), b]);
  const rebuilt: IndexedFile[] = primary.map((f) => {
    const own = byFile.get(f.file) ?? [];
    return own.length === f.blocks.length && own.every((b, i) => b === f.blocks[i]) ? f : { ...f, blocks: own };
  });
  for (const o of overrides) {
    const own = byFile.get(o.file);
    if (own?.length) rebuilt.push({ ...o, blocks: own });
  }
  return { files: rebuilt, problems };
}

let memo: { inputs: IndexedFile[]; result: EffectiveConfiguration } | undefined;

/** applyOverrides, reusing the last result while the same file objects come in (keystrokes elsewhere). */
export function effectiveConfiguration(files: IndexedFile[]): EffectiveConfiguration {
  if (!files.some((f) => isOverrideFile(f.file))) return { files, problems: [] };
  if (memo && memo.inputs.length === files.length && memo.inputs.every((f, i) => f === files[i])) return memo.result;
  const result = applyOverrides(files);
  memo = { inputs: [...files], result };
  return result;
}
