// Which provider target (region, profile, assume_role) reads each state instance: the
// configuration its block names (see providers.ts), or, for an instance whose configuration cannot
// be evaluated here, the one state recorded at the last apply. Instances of a configuration that
// cannot be read are listed as not checked with the reason, never read in a guessed region.
import type { Range, StateInstance, TopBlock } from '../model';
import type { NotChecked } from './snapshot';
import {
  ModuleFrame, parseStateProvider, ProviderConfig, ProviderRef, providerTarget, ProviderTarget, refKey, resolveProvider, resourceProviderRef, targetKey,
} from './providers';

export interface PlannedTarget {
  key: string;
  target: ProviderTarget;
  /** The configurations read through it (for messages). */
  configs: ProviderConfig[];
  instances: StateInstance[];
}

/** A provider reference that resolves nowhere: one line, at the place to fix it. */
export interface ProviderProblem {
  file: string;
  range: Range;
  message: string;
}

export interface ProviderPlan {
  targets: PlannedTarget[];
  unreadable: NotChecked[];
  problems: ProviderProblem[];
}

export interface PlanInput {
  /** The root module's provider configurations (providerConfigs of its blocks). */
  rootProviders: ReadonlyMap<string, ProviderConfig>;
  /** Root resource blocks by resource address. */
  rootBlocks: ReadonlyMap<string, TopBlock>;
  instances: readonly StateInstance[];
  /**
   * The module frames (root first) and the block of a child-module instance, when the module tree
   * is evaluated; undefined falls back to the configuration state recorded for it.
   */
  moduleInstance?: (instance: StateInstance) => { frames: ModuleFrame[]; block: TopBlock } | undefined;
  /**
   * Settles what the configuration leaves open (the region from AWS_REGION or the profile, a
   * command-line override): the final target, or why there is none.
   */
  settle?: (config: ProviderConfig, target: ProviderTarget) => ProviderTarget | { reason: string };
  /** Relative file names in messages. */
  rel?: (file: string) => string;
}

export function planProviderTargets(input: PlanInput): ProviderPlan {
  const rel = input.rel ?? ((f: string) => f);
  const rootFrame: ModuleFrame = { address: '', providers: input.rootProviders };
  const targets = new Map<string, PlannedTarget>();
  const unreadable: NotChecked[] = [];
  const problems = new Map<string, ProviderProblem>();
  const byBlock = new Map<string, { config?: ProviderConfig; reason?: string }>();

  const resolveBlock = (frames: ModuleFrame[], block: TopBlock, cacheKey: string): { config?: ProviderConfig; reason?: string } => {
    const cached = byBlock.get(cacheKey);
    if (cached) return cached;
    const { ref, attribute } = resourceProviderRef(block);
    const at = attribute ? { file: attribute.file ?? block.file, range: attribute.range } : { file: block.file, range: block.headerRange };
    let out: { config?: ProviderConfig; reason?: string };
    if (!ref) out = { reason: `provider = ${attribute?.expression.trim()} is not a provider reference (expected NAME or NAME.ALIAS)` };
    else {
      const r = resolveProvider(frames, ref, rel);
      out = r.ok ? { config: r.config } : { reason: r.reason };
      if (!r.ok && r.file && r.range) Object.assign(at, { file: r.file, range: r.range });
    }
    if (out.reason) {
      const message = `${block.address}: ${out.reason}`;
      problems.set(`${at.file}:${at.range.start.line}:${message}`, { file: at.file, range: at.range, message });
      out = { reason: `${out.reason} (${rel(at.file)}:${at.range.start.line + 1})` };
    }
    byBlock.set(cacheKey, out);
    return out;
  };

  const fromState = (inst: StateInstance): { config?: ProviderConfig; reason?: string } => {
    const recorded = inst.provider ? parseStateProvider(inst.provider) : undefined;
    const ref: ProviderRef = recorded ? { local: recorded.local, ...(recorded.alias ? { alias: recorded.alias } : {}) } : { local: inst.type.split('_')[0] };
    if (recorded?.module) return { reason: `its provider ${recorded.module}.${refKey(ref)} is configured inside a child module, which is not evaluated here` };
    const r = resolveProvider([rootFrame], ref);
    return r.ok ? { config: r.config } : { reason: `state records provider ${refKey(ref)}, which the configuration no longer defines` };
  };

  for (const inst of input.instances) {
    let chosen: { config?: ProviderConfig; reason?: string };
    const rootBlock = inst.module === '' ? input.rootBlocks.get(inst.resourceAddress) : undefined;
    if (rootBlock) chosen = resolveBlock([rootFrame], rootBlock, inst.resourceAddress);
    else {
      const child = inst.module ? input.moduleInstance?.(inst) : undefined;
      chosen = child ? resolveBlock(child.frames, child.block, `${inst.module}|${inst.resourceAddress}`) : fromState(inst);
    }
    if (!chosen.config) {
      unreadable.push({ address: inst.address, type: inst.type, reason: chosen.reason ?? 'provider not known' });
      continue;
    }
    const t = providerTarget(chosen.config, rel);
    if (!t.ok) {
      unreadable.push({ address: inst.address, type: inst.type, reason: t.reason });
      continue;
    }
    const settled = input.settle ? input.settle(chosen.config, t.target) : t.target;
    if ('reason' in settled) {
      unreadable.push({ address: inst.address, type: inst.type, reason: settled.reason });
      continue;
    }
    const key = targetKey(settled);
    let planned = targets.get(key);
    if (!planned) targets.set(key, (planned = { key, target: settled, configs: [], instances: [] }));
    if (!planned.configs.includes(chosen.config)) planned.configs.push(chosen.config);
    planned.instances.push(inst);
  }
  return { targets: [...targets.values()], unreadable, problems: [...problems.values()] };
}
