// Builds engine inputs from text: real HCL parsing, a state from instances, a snapshot from live attributes.
import { parseHclFile } from '../../server/src/hcl/parse-file';
import type { LiveResource, StateInstance } from '../../server/src/model';
import { EMPTY_CONFIG, DriftConfig } from '../../server/src/drift/config';
import { analyzeWorkspace, DiffContext, DriftReport } from '../../server/src/drift/engine';
import { parseIgnoreComments } from '../../server/src/drift/ignore';
import { LiveSnapshot } from '../../server/src/drift/snapshot';
import { StateIndex } from '../../server/src/state/parse-state';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';

export function instance(address: string, attributes: Record<string, unknown>): StateInstance {
  const m = /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[(.+)\])?$/.exec(address);
  if (!m) throw new Error(`bad address ${address}`);
  const indexKey = m[3] === undefined ? undefined : /^\d+$/.test(m[3]) ? Number(m[3]) : (JSON.parse(m[3]) as string);
  return { address, resourceAddress: `${m[1]}.${m[2]}`, type: m[1], name: m[2], module: '', indexKey, attributes };
}

export function live(address: string, type: string, id: string, attributes: Record<string, unknown>): LiveResource {
  return { address, type, id, attributes, readAt: '2026-01-01T00:00:00Z' };
}

export interface Case {
  files: Record<string, string>;
  state?: StateInstance[];
  live?: LiveResource[];
  missing?: string[];
  unknown?: Record<string, string>;
  config?: DriftConfig;
  now?: string;
  noState?: boolean;
  inferred?: StateInstance[];
  /** TF_VAR_ values (name without the prefix). */
  env?: Record<string, string>;
}

export async function diff(c: Case): Promise<DriftReport> {
  const files = await Promise.all(Object.entries(c.files).map(([name, text]) => parseHclFile(`/ws/${name}`, text)));
  const state = c.noState ? Object.assign(StateIndex.empty(), { present: false }) : Object.assign(new StateIndex(c.state ?? []), { present: true });
  const snapshot = new LiveSnapshot();
  for (const l of c.live ?? []) snapshot.set(l.address, { status: 'found', resource: l });
  for (const a of c.missing ?? []) snapshot.set(a, { status: 'missing', id: 'gone', reason: 'does not exist', readAt: '' });
  for (const [a, reason] of Object.entries(c.unknown ?? {})) snapshot.set(a, { status: 'unknown', reason, readAt: '' });
  const ctx: DiffContext = {
    types: RESOURCE_TYPES,
    config: c.config ?? EMPTY_CONFIG,
    comments: new Map(Object.entries(c.files).map(([name, text]) => [`/ws/${name}`, parseIgnoreComments(text)])),
    now: new Date(c.now ?? '2026-06-01T00:00:00Z'),
    inferred: c.inferred,
    variables: c.env ? { env: c.env } : undefined,
  };
  return analyzeWorkspace(files, state, snapshot, ctx);
}

export function summary(r: DriftReport): string[] {
  return r.drifts.map((d) => `${d.kind} ${d.address} ${d.attributePath.join('.')}${d.suppressed ? ' (suppressed)' : ''}${d.basis === 'state' ? ' (state)' : ''}`).sort();
}
