// What auto-revert needs of a workspace: its state's resources, a fresh live read, and a writer. The
// composition root implements it (app/revert-target.ts) over the broker's own Terraform root module.
import type { RevertOutcome } from '../cloud/types/resource-type';
import type { TypeRegistry } from '../drift/schema';
import type { LiveEntry } from '../drift/snapshot';
import type { Drift } from '../model';

/** A resource in state, by every name CloudTrail may record it under. */
export interface StateResource {
  address: string;
  type: string;
  names: string[];
}

export interface RevertTarget {
  readonly types: TypeRegistry;
  /** The state's resources (to map the grant's CloudTrail events to addresses). */
  resources(): StateResource[];
  /** Reads these resources live now; their drifts (ignored ones included) and live entries. */
  read(addresses: string[]): Promise<{ drifts: Drift[]; entries: Map<string, LiveEntry> }>;
  /** Writes the declared value of one drift back through its type's writer. */
  write(drift: Drift): Promise<RevertOutcome>;
}
