// Pure decisions of auto-revert: which step each change made under an ended grant becomes (plan),
// and what to do with a planned step given what is live now (recheck). No I/O here: the executor
// reads and writes, these functions only decide.
import type { ChangeStatus, Drift } from '../model';
import type { LiveEntry } from '../drift/snapshot';
import type { TypeRegistry } from '../drift/schema';
import { valuesEqual } from '../drift/compare';
import { canonicalJson, isObject, Known } from '../drift/values';
import { describeAction, RevertAction, RevertConfig, RevertRule } from './config';

/** One resource changed under the grant, with the attribute paths known to have changed ([] = not known). */
export interface ChangedResource {
  address: string;
  attributePaths: string[][];
}

/** What is known live about a changed resource at planning time. */
export interface ResourceNow {
  type: string;
  status: LiveEntry['status'];
  liveId?: string;
  tags: Record<string, string>;
  /** Why the read failed (status unknown) or the object is gone (missing). */
  reason?: string;
}

export type StepState = 'planned' | 'done' | 'skipped' | 'failed' | 'superseded';

export interface PlannedStep {
  address: string;
  resourceType: string;
  /** [] = the whole resource (recorded when a touched resource has no drift left). */
  attributePath: string[];
  liveId?: string;
  /** Live value when planned: the executor writes only while live still equals it. */
  expected: unknown;
  /** Declared value to write back. */
  target: unknown;
  policy: string;
  state: StepState;
  status: ChangeStatus;
  reason: string;
  /** When a planned step may run (now, or when its grace period ends). */
  dueAt?: string;
  /** Raised as a broker alert when the step is recorded. */
  alert?: string;
}

export interface PlanInput {
  grantId: string;
  changed: ChangedResource[];
  /** Current drift on the changed resources, suppressed (ignored) drift included. */
  drifts: Drift[];
  resources: ReadonlyMap<string, ResourceNow>;
  config: RevertConfig;
  now: Date;
}

export interface Plan {
  steps: PlannedStep[];
  /** Changed resources whose live state could not be read: plan again later. */
  unreadable: Array<{ address: string; reason: string }>;
}

export function addressCovers(rule: string, address: string): boolean {
  return address === rule || address.startsWith(`${rule}[`);
}

/** The first rule matching the resource, else the default. */
export function actionFor(config: RevertConfig, r: { type: string; address: string; tags: Record<string, string> }): { action: RevertAction; rule?: RevertRule } {
  const rule = config.rules.find((x) =>
    (!x.type || x.type === r.type)
    && (!x.address || addressCovers(x.address, r.address))
    && (!x.tags || Object.entries(x.tags).every(([k, v]) => k in r.tags && (v === '*' || r.tags[k] === v))));
  return rule ? { action: rule.action, rule } : { action: config.default };
}

const pathText = (p: string[]) => (p.length ? p.join('.') : '(resource)');

/** A change path and a drift path name the same thing when one is a prefix of the other. */
function related(a: string[], b: string[]): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n).every((x, i) => x === b[i]);
}

/** One entry per address; a change with unknown attributes ([]) widens the resource to all its drift. */
export function mergeByAddress(changed: readonly ChangedResource[]): ChangedResource[] {
  const out = new Map<string, ChangedResource>();
  for (const c of changed) {
    const prev = out.get(c.address);
    if (!prev) { out.set(c.address, { address: c.address, attributePaths: [...c.attributePaths] }); continue; }
    if (prev.attributePaths.length === 0 || c.attributePaths.length === 0) prev.attributePaths = [];
    else for (const p of c.attributePaths) if (!prev.attributePaths.some((q) => pathText(q) === pathText(p))) prev.attributePaths.push(p);
  }
  return [...out.values()].sort((a, b) => a.address.localeCompare(b.address));
}

export function planRevert(input: PlanInput): Plan {
  const steps: PlannedStep[] = [];
  const unreadable: Plan['unreadable'] = [];
  const seen = new Set<string>();
  const now = input.now.toISOString();
  for (const change of mergeByAddress(input.changed)) {
    const res = input.resources.get(change.address);
    if (!res || res.status === 'unknown') {
      unreadable.push({ address: change.address, reason: res?.reason ?? 'not read' });
      continue;
    }
    const base = { address: change.address, resourceType: res.type, liveId: res.liveId };
    if (res.status === 'missing') {
      const reason = `${change.address} no longer exists live (${res.reason ?? 'deleted'}); Tidemark does not recreate resources: run terraform apply`;
      steps.push({ ...base, attributePath: [], expected: null, target: null, policy: '-', state: 'failed', status: 'revert-failed', reason, alert: `grant ${input.grantId}: cannot revert: ${reason}` });
      continue;
    }
    const drifts = input.drifts
      .filter((d) => d.address === change.address && (change.attributePaths.length === 0 || change.attributePaths.some((p) => related(p, d.attributePath))))
      .sort((a, b) => pathText(a.attributePath).localeCompare(pathText(b.attributePath)));
    if (drifts.length === 0) {
      // Nothing the grant changed here differs from the code any more: one record for the resource.
      const paths = change.attributePaths.map(pathText).join(', ') || 'its attributes';
      steps.push({ ...base, attributePath: [], expected: null, target: null, policy: '-', state: 'skipped', status: 'adopted', reason: `no drift left on what the grant changed (${paths}): the code now declares the live value, or it was undone` });
      continue;
    }
    const { action, rule } = actionFor(input.config, { type: res.type, address: change.address, tags: res.tags });
    const policy = `${describeAction(action)}${rule ? ` (${rule.where})` : ' (default)'}`;
    for (const d of drifts) {
      const key = `${d.address} ${pathText(d.attributePath)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const step = { ...base, attributePath: d.attributePath, expected: d.live, target: d.declared, policy };
      const what = `${d.address} ${pathText(d.attributePath)}`;
      if (d.suppressed) {
        steps.push({ ...step, state: 'skipped', status: 'ignored', reason: `drift is ignored (${d.suppressed.source}${d.suppressed.reason ? `: ${d.suppressed.reason}` : ''})` });
      } else if (d.kind !== 'changed') {
        const reason = `${what}: ${d.kind} drift cannot be written back in place: run terraform apply or import`;
        steps.push({ ...step, state: 'failed', status: 'revert-failed', reason, alert: `grant ${input.grantId}: cannot revert ${reason}` });
      } else if (action.kind === 'alert-only') {
        const reason = `policy ${policy}: left as it is`;
        steps.push({ ...step, state: 'skipped', status: 'kept', reason, alert: `grant ${input.grantId} ended; ${what} is still changed and not in code; ${reason}` });
      } else if (action.kind === 'keep-if-adopted-within') {
        const due = new Date(input.now.getTime() + action.seconds * 1000).toISOString();
        steps.push({ ...step, state: 'planned', status: 'drifted', reason: `policy ${policy}: reverted at ${due} unless adopted into code by then`, dueAt: due });
      } else {
        steps.push({ ...step, state: 'planned', status: 'drifted', reason: `policy ${policy}`, dueAt: now });
      }
    }
  }
  return { steps, unreadable };
}

// -- recheck before writing -------------------------------------------------------------------

export type Recheck =
  | { do: 'write'; drift: Drift; note?: string }
  | { do: 'finish'; state: Exclude<StepState, 'planned'>; status: ChangeStatus; reason: string; alert?: string }
  | { do: 'retry'; reason: string };

/** A decision that writes nothing (more): finish the step, or try it again later. */
export type Settled = Exclude<Recheck, { do: 'write' }>;

/** The live value at an attribute path (`tags.Env` looks inside the tags map). */
export function liveValueAt(entry: LiveEntry | undefined, path: string[]): unknown {
  if (entry?.status !== 'found') return undefined;
  let v: unknown = entry.resource.attributes;
  for (const p of path) v = isObject(v) ? v[p] : undefined;
  return v ?? null;
}

/** Equal under the attribute's own comparison (sets as sets, policies semantically); tags and unknown rules as canonical JSON. */
export function sameValue(types: TypeRegistry, type: string, path: string[], a: unknown, b: unknown, selfId = ''): boolean {
  const rule = path.length === 1 ? types.get(type)?.attributes.find((r) => r.name === path[0]) : undefined;
  if (rule) {
    const eq = valuesEqual(rule, (a ?? null) as Known, (b ?? null) as Known, { selfId });
    if (eq !== undefined) return eq;
  }
  const norm = (v: unknown) => (v === undefined || v === '' ? null : v);
  return canonicalJson(norm(a)) === canonicalJson(norm(b));
}

/** What re-checking a step needs (a journaled step, or one about to be). */
export type StepView = Pick<PlannedStep, 'address' | 'resourceType' | 'attributePath' | 'liveId' | 'expected' | 'target'> & { grantId: string };

/**
 * Decides a planned step against a fresh read. Never writes over a value someone else set after the
 * plan; a step whose target is already live counts as done, so a retry after a crash is harmless.
 */
export function recheckStep(step: StepView, entry: LiveEntry | undefined, drift: Drift | undefined, types: TypeRegistry): Recheck {
  const what = `${step.address} ${pathText(step.attributePath)}`;
  if (!entry || entry.status === 'unknown') return { do: 'retry', reason: `live state of ${step.address} could not be read${entry ? `: ${entry.reason}` : ''}` };
  if (entry.status === 'missing') {
    const reason = `${step.address} no longer exists live; Tidemark does not recreate resources: run terraform apply`;
    return { do: 'finish', state: 'failed', status: 'revert-failed', reason, alert: `grant ${step.grantId}: cannot revert ${what}: ${reason}` };
  }
  const same = (a: unknown, b: unknown) => sameValue(types, step.resourceType, step.attributePath, a, b, step.liveId);
  if (!drift) {
    const live = liveValueAt(entry, step.attributePath);
    if (same(live, step.target)) return { do: 'finish', state: 'done', status: 'reverted', reason: `${what} is at the declared value` };
    if (same(live, step.expected)) return { do: 'finish', state: 'skipped', status: 'adopted', reason: `${what} was adopted into code before the revert ran` };
    return { do: 'finish', state: 'skipped', status: 'adopted', reason: `${what} is no longer drifted (live and code both changed since the plan)` };
  }
  if (drift.suppressed) return { do: 'finish', state: 'skipped', status: 'ignored', reason: `drift on ${what} is ignored now (${drift.suppressed.source}${drift.suppressed.reason ? `: ${drift.suppressed.reason}` : ''})` };
  if (!same(drift.live, step.expected)) {
    const reason = `${what} changed again since the plan (planned over ${canonicalJson(step.expected ?? null)}, live now ${canonicalJson(drift.live ?? null)}); not overwritten`;
    return { do: 'finish', state: 'superseded', status: 'revert-failed', reason, alert: `grant ${step.grantId}: revert of ${reason}; review it by hand` };
  }
  const note = same(drift.declared, step.target) ? undefined : `the declared value changed since the plan; writing the current one (${canonicalJson(drift.declared ?? null)})`;
  return { do: 'write', drift, note };
}

/** After a write: done only when a fresh read shows the declared value. */
export function confirmStep(step: StepView, entry: LiveEntry | undefined, drift: Drift | undefined): Settled {
  const what = `${step.address} ${pathText(step.attributePath)}`;
  if (!entry || entry.status !== 'found') return { do: 'retry', reason: `could not re-read ${step.address} to confirm the revert` };
  if (drift && !drift.suppressed) {
    const reason = `${what}: the write succeeded but live still differs (${canonicalJson(drift.live ?? null)})`;
    return { do: 'finish', state: 'failed', status: 'revert-failed', reason, alert: `grant ${step.grantId}: revert not confirmed: ${reason}` };
  }
  return { do: 'finish', state: 'done', status: 'reverted', reason: `${what} written back to the declared value and confirmed by a fresh read` };
}
