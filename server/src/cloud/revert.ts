// Writes a declared value back to the cloud for one drift, through the resource type's writer.
import type { Drift } from '../model';
import type { LiveSnapshot } from '../drift/snapshot';
import type { Known } from '../drift/values';
import type { AwsClients } from './clients';
import { AwsCallError, describeError } from './errors';
import { failureText } from './types/common';
import type { ResourceType, RevertOutcome } from './types/resource-type';
import type { StateInstance } from '../model';

export async function revertDrift(
  drift: Drift,
  snapshot: LiveSnapshot,
  instance: StateInstance | undefined,
  types: ReadonlyMap<string, ResourceType>,
  clients: AwsClients,
): Promise<RevertOutcome> {
  if (drift.kind === 'unmanaged') return removeMember(drift, snapshot, types, clients);
  if (drift.kind !== 'changed') return { ok: false, message: `${drift.kind} drift cannot be reverted (use terraform apply or import)` };
  const entry = snapshot.get(drift.address);
  if (entry?.status !== 'found') return { ok: false, message: `${drift.address}: live state is not known; refresh first` };
  const live = entry.resource;
  const type = types.get(live.type);
  if (!type) return { ok: false, message: `${live.type} is not supported` };
  const [attribute, ...rest] = drift.attributePath;
  const rule = type.attributes.find((r) => r.name === attribute);
  if (rule?.forceNew) return { ok: false, message: `${attribute} cannot be written back in place: changing it forces replacement; run terraform apply instead` };
  // A sensitive attribute's drift shows keys only; the value to write is held apart (never serialized).
  if (rule?.sensitive && typeof drift.writeBack?.reveal !== 'function') return { ok: false, message: `${drift.address}: ${attribute} holds secret values that this drift no longer carries; refresh and revert again` };
  let declared = (rule?.sensitive ? drift.writeBack!.reveal() : drift.declared) as Known;
  if (attribute === 'tags') {
    // Per-key drift: start from the live tags and change only this key.
    const tags: Record<string, Known> = { ...((live.attributes.tags ?? {}) as Record<string, string>) };
    if (rest.length !== 1) return { ok: false, message: 'tag drift must name a key' };
    if (declared === null || declared === undefined) delete tags[rest[0]];
    else tags[rest[0]] = String(declared);
    declared = tags;
  }
  try {
    return await type.revert({ id: live.id, state: instance ?? { address: drift.address, resourceAddress: drift.address, type: live.type, name: '', module: '', attributes: {} }, live, attribute, declared }, clients);
  } catch (error) {
    const failure = error instanceof AwsCallError ? error.failure : describeError(error);
    return { ok: false, message: `${drift.address}: revert of ${attribute} failed: ${failureText(error)}`, failure };
  }
}

/** Reverting an unmanaged member of a managed container (a rule nobody declares) removes it live. */
async function removeMember(drift: Drift, snapshot: LiveSnapshot, types: ReadonlyMap<string, ResourceType>, clients: AwsClients): Promise<RevertOutcome> {
  const live = snapshot.unmanaged.find((l) => l.id === drift.liveId && l.container);
  if (!live) return { ok: false, message: `${drift.address}: only unmanaged members of managed resources can be reverted (import or delete the object instead)` };
  const remove = types.get(live.type)?.removeLive;
  if (!remove) return { ok: false, message: `${live.type} ${live.id} cannot be removed by Tidemark` };
  try {
    const outcome = await remove(live, clients);
    if (outcome.ok) snapshot.unmanaged = snapshot.unmanaged.filter((l) => l !== live);
    return outcome;
  } catch (error) {
    const failure = error instanceof AwsCallError ? error.failure : describeError(error);
    return { ok: false, message: `${drift.address}: removing ${live.id} failed: ${failureText(error)}`, failure };
  }
}
