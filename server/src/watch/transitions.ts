// Pure: what changed between two drift readings of the same workspace. The follower feeds it every
// poll; the result is what alerts are made of.
import { driftKey } from '../attribution/classify';
import type { Drift } from '../model';

export type DriftTransition =
  /** A drift that was not there, or whose live value changed again (a new change). */
  | { kind: 'appeared'; drift: Drift }
  /** Same drift, but now tied to a change event (it was `unknown` before). */
  | { kind: 'attributed'; drift: Drift }
  /** Gone: adopted into the code, or changed back live. */
  | { kind: 'resolved'; drift: Drift };

export interface Reading {
  drifts: readonly Drift[];
  /** Addresses whose live state could not be read this time: their drifts are neither new nor gone. */
  unknownAddresses: ReadonlySet<string>;
}

function known(d: Drift | undefined): boolean {
  return d?.attribution !== undefined && d.attribution.class !== 'unknown';
}

/** Returns the transitions and the drifts to remember (ignored drift never alerts). */
export function transitions(previous: ReadonlyMap<string, Drift>, reading: Reading): { events: DriftTransition[]; current: Map<string, Drift> } {
  const events: DriftTransition[] = [];
  const current = new Map<string, Drift>();
  for (const d of reading.drifts) {
    if (d.suppressed) continue;
    const key = driftKey(d);
    const before = previous.get(key);
    current.set(key, d);
    if (!before || JSON.stringify(before.live) !== JSON.stringify(d.live)) events.push({ kind: 'appeared', drift: d });
    else if (!known(before) && known(d)) events.push({ kind: 'attributed', drift: d });
  }
  for (const [key, d] of previous) {
    if (current.has(key)) continue;
    if (reading.unknownAddresses.has(d.address)) current.set(key, d);
    else events.push({ kind: 'resolved', drift: d });
  }
  return { events, current };
}
