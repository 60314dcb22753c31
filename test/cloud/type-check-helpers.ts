// For the per-type tests: the drift a provider-shaped state shows against a live snapshot, under
// each type's own schema (the same comparison the engine runs on declared values), and a revert of
// each drift through the type's writer.
import type { AwsClients } from '../../server/src/cloud/clients';
import type { ResourceType, RevertOutcome } from '../../server/src/cloud/types/resource-type';
import { valuesEqual } from '../../server/src/drift/compare';
import type { LiveSnapshot } from '../../server/src/drift/snapshot';
import type { Known } from '../../server/src/drift/values';
import type { StateInstance } from '../../server/src/model';

interface Drift {
  instance: StateInstance;
  type: ResourceType;
  attribute: string;
  declared: Known;
}

function sameTags(a: unknown, b: unknown): boolean {
  const x = (a ?? {}) as Record<string, string>;
  const y = (b ?? {}) as Record<string, string>;
  return Object.keys(x).length === Object.keys(y).length && Object.entries(x).every(([k, v]) => y[k] === v);
}

function driftList(types: ReadonlyMap<string, ResourceType>, instances: StateInstance[], snapshot: LiveSnapshot): Drift[] {
  const out: Drift[] = [];
  for (const instance of instances) {
    const type = types.get(instance.type);
    const entry = snapshot.get(instance.address);
    if (!type) throw new Error(`${instance.type} is not registered`);
    if (entry?.status !== 'found') throw new Error(`${instance.address} was not found: ${JSON.stringify(entry)}`);
    const live = entry.resource.attributes;
    for (const rule of type.attributes) {
      const declared = (instance.attributes[rule.name] ?? rule.default) as Known | undefined;
      if (declared === undefined) continue;
      const equal = valuesEqual(rule, declared, (live[rule.name] ?? null) as Known, { selfId: entry.resource.id, live });
      if (equal === false) out.push({ instance, type, attribute: rule.name, declared });
    }
    if (type.tags && instance.attributes.tags !== undefined && !sameTags(instance.attributes.tags, live.tags)) {
      out.push({ instance, type, attribute: 'tags', declared: instance.attributes.tags as Known });
    }
  }
  return out;
}

/** `address attribute` of every drift. */
export function driftsOf(types: ReadonlyMap<string, ResourceType>, instances: StateInstance[], snapshot: LiveSnapshot): string[] {
  return driftList(types, instances, snapshot).map((d) => `${d.instance.address} ${d.attribute}`);
}

/** Reverts every drift through its type's writer; the failed outcomes name their drift. */
export async function revertAll(types: ReadonlyMap<string, ResourceType>, instances: StateInstance[], snapshot: LiveSnapshot, clients: AwsClients): Promise<Array<RevertOutcome & { drift: string }>> {
  const outcomes: Array<RevertOutcome & { drift: string }> = [];
  for (const d of driftList(types, instances, snapshot)) {
    const entry = snapshot.get(d.instance.address);
    if (entry?.status !== 'found') continue;
    const outcome = await d.type.revert({ id: entry.resource.id, state: d.instance, live: entry.resource, attribute: d.attribute, declared: d.declared }, clients);
    outcomes.push({ ...outcome, drift: `${d.instance.address} ${d.attribute}` });
  }
  return outcomes;
}
