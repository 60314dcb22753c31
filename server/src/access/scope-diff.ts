// A scope from a change: the resource blocks a git diff touches, or the in-place updates of a
// Terraform plan (`terraform show -json`), mapped to state instances. Pure: diff text, parsed
// blocks, plan JSON and state in; scope requests out, or a ScopeError naming the address or file.
import type { StateInstance, TopBlock } from '../model';
import { notCreated, ScopeError, ScopeRequest } from './scope';

/** 1-based lines of the new side a diff changed, per file path (as git prints it, relative to the top). */
export function changedLines(diff: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let file: string | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = line.slice(4).trim();
      file = target === '/dev/null' ? undefined : target.replace(/^b\//, '');
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!hunk || file === undefined) continue;
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    const lines = out.get(file) ?? [];
    // A pure deletion (count 0) sits after line `start`: the block around it changed.
    if (count === 0) lines.push(Math.max(start, 1));
    for (let i = 0; i < count; i++) lines.push(start + i);
    out.set(file, lines);
  }
  return out;
}

export interface TouchedBlock {
  block: TopBlock;
  /** First and last changed line inside the block (1-based). */
  startLine: number;
  endLine: number;
  /** Every changed line lies inside the block's `tags` argument. */
  tagsOnly: boolean;
}

/** The resource blocks of one file that contain changed lines (`lines` 1-based). */
export function touchedResourceBlocks(blocks: readonly TopBlock[], lines: readonly number[]): TouchedBlock[] {
  const out: TouchedBlock[] = [];
  for (const block of blocks) {
    if (block.kind !== 'resource') continue;
    const inside = lines.filter((l) => l - 1 >= block.range.start.line && l - 1 <= block.range.end.line);
    if (!inside.length) continue;
    const tags = block.attributes.find((a) => a.name === 'tags');
    const inTags = (l: number) => tags !== undefined && l - 1 >= tags.range.start.line && l - 1 <= tags.range.end.line;
    out.push({ block, startLine: Math.min(...inside), endLine: Math.max(...inside), tagsOnly: inside.every(inTags) });
  }
  return out;
}

/** `module.net["a"].module.db` → `module.net.module.db`: a module path without instance keys. */
export function modulePath(module: string): string {
  return module.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, '');
}

/**
 * The state instances a block declares: those of its type and name in every instance of the modules
 * whose source is the block's directory (`modulePaths`: '' for the root module). A block that is
 * not in state is not created yet: a scope cannot name it.
 */
export function instancesOfBlock(block: TopBlock, modulePaths: readonly string[], instances: readonly StateInstance[]): StateInstance[] {
  const [type, name] = [block.labels[0] ?? '', block.labels[1] ?? ''];
  const found = instances.filter((i) => i.type === type && i.name === name && modulePaths.includes(modulePath(i.module)));
  if (!found.length) {
    const where = modulePaths.filter(Boolean).length ? `${modulePaths.filter(Boolean)[0]}.` : '';
    throw new ScopeError(notCreated(`${where}${type}.${name}`, type));
  }
  return found;
}

interface PlanChange {
  address?: unknown;
  mode?: unknown;
  type?: unknown;
  change?: { actions?: unknown; before?: unknown; after?: unknown; after_unknown?: unknown };
}

const TAG_KEYS = new Set(['tags', 'tags_all']);

/** Top-level attributes whose planned value differs (unknown-after counts as different). */
function changedAttributes(before: unknown, after: unknown, afterUnknown: unknown): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const u = (afterUnknown ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(a), ...Object.keys(u)]);
  return [...keys].filter((k) => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null) || (u[k] !== undefined && u[k] !== false));
}

/**
 * The in-place updates of a `terraform show -json` plan as scope requests. Creates (no ARN yet),
 * deletes and replacements cannot be scoped and are refused naming the address; a plan whose
 * resources are not this state's (another workspace, or an older state) is refused naming the file.
 */
export function scopeFromPlan(text: string, file: string, instances: readonly StateInstance[], stateLabel: string): ScopeRequest[] {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (error) {
    throw new ScopeError(`${file}: not a JSON plan (${(error as Error).message}); give the output of \`terraform show -json PLANFILE\``);
  }
  const p = plan as { format_version?: unknown; resource_changes?: unknown };
  if (typeof plan !== 'object' || plan === null || typeof p.format_version !== 'string' || !Array.isArray(p.resource_changes)) {
    throw new ScopeError(`${file}: not a \`terraform show -json\` plan (no format_version and resource_changes)`);
  }
  const byAddress = new Map(instances.map((i) => [i.address, i]));
  const out: ScopeRequest[] = [];
  (p.resource_changes as PlanChange[]).forEach((rc, index) => {
    const actions = rc?.change?.actions;
    if (typeof rc?.address !== 'string' || typeof rc.type !== 'string' || !Array.isArray(actions) || actions.some((a) => typeof a !== 'string')) {
      throw new ScopeError(`${file}: resource_changes[${index}] has no address, type and change.actions`);
    }
    if (rc.mode !== 'managed') return;
    const acts = actions as string[];
    if (acts.every((a) => a === 'no-op' || a === 'read')) return;
    if (acts.length === 1 && acts[0] === 'create') throw new ScopeError(notCreated(rc.address, rc.type));
    if (acts.includes('delete')) throw new ScopeError(`${rc.address}: the plan ${acts.includes('create') ? 'replaces' : 'destroys'} it; a scope allows changes in place only, so destroying needs a request without a scope`);
    const inst = byAddress.get(rc.address);
    const before = rc.change!.before as Record<string, unknown> | null | undefined;
    if (!inst || (typeof before?.id === 'string' && inst.attributes.id !== undefined && before.id !== inst.attributes.id)) {
      throw new ScopeError(`${file}: the plan changes ${rc.address}${typeof before?.id === 'string' ? ` (${before.id})` : ''}, which ${stateLabel} ${inst ? `records as ${String(inst.attributes.id)}` : 'does not have'}: a plan of another workspace or of an older state`);
    }
    const changed = changedAttributes(before, rc.change!.after, rc.change!.after_unknown);
    out.push({ address: rc.address, tagsOnly: changed.length > 0 && changed.every((k) => TAG_KEYS.has(k)), origin: { kind: 'plan', actions: acts } });
  });
  if (!out.length) throw new ScopeError(`${file}: the plan changes no existing resource in place; there is nothing to scope`);
  return out;
}
