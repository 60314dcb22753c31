// The cached result of reading the cloud: what the engine diffs against on every keystroke.
import type { LiveResource } from '../model';

export type LiveEntry =
  | { status: 'found'; resource: LiveResource }
  /** The cloud answered that the object does not exist (e.g. InvalidInstanceID.NotFound, NoSuchBucket). */
  | { status: 'missing'; id: string; reason: string; readAt: string }
  /** The read failed or was not attempted: nothing about this object may be reported as drift. */
  | { status: 'unknown'; reason: string; readAt: string };

/** A declared resource that was not compared, and why (unsupported type, not in state, ...). */
export interface NotChecked {
  address: string;
  type: string;
  reason: string;
}

export class LiveSnapshot {
  private readonly entries = new Map<string, LiveEntry>();
  /** Live objects in scope (see config `unmanaged`) that no state instance or declared block claims. */
  unmanaged: LiveResource[] = [];
  /** Resources whose type the reader does not support. */
  notChecked: NotChecked[] = [];
  /** ISO time of the last completed read. */
  readAt?: string;
  account?: string;
  region?: string;

  /** Keyed by instance address, e.g. `aws_instance.web[0]`. */
  /** Bumped on every change of an entry: lets per-keystroke re-diffs know their cached results still hold. */
  version = 0;

  set(address: string, entry: LiveEntry): void {
    this.version++;
    this.entries.set(address, entry);
  }

  get(address: string): LiveEntry | undefined {
    return this.entries.get(address);
  }

  delete(address: string): void {
    this.version++;
    this.entries.delete(address);
  }

  addresses(): string[] {
    return [...this.entries.keys()];
  }

  private notCheckedIndex?: { list: NotChecked[]; length: number; byAddress: Map<string, NotChecked> };

  /** The reader's not-checked entry for an instance address (e.g. its provider could not be read). */
  notCheckedEntry(address: string): NotChecked | undefined {
    const idx = this.notCheckedIndex;
    if (!idx || idx.list !== this.notChecked || idx.length !== this.notChecked.length) {
      this.notCheckedIndex = { list: this.notChecked, length: this.notChecked.length, byAddress: new Map(this.notChecked.map((n) => [n.address, n])) };
    }
    return this.notCheckedIndex!.byAddress.get(address);
  }

    /** Addresses whose live state is unknown, with the reason (for hovers and the report). */
  unknown(): Array<{ address: string; reason: string }> {
    const out: Array<{ address: string; reason: string }> = [];
    for (const [address, e] of this.entries) if (e.status === 'unknown') out.push({ address, reason: e.reason });
    return out;
  }

  /** Overlays a partial read (incremental refresh) onto this snapshot. */
  merge(update: LiveSnapshot): void {
    this.version++;
    for (const [address, entry] of update.entries) this.entries.set(address, entry);
    if (update.readAt) this.readAt = update.readAt;
    this.account = update.account ?? this.account;
    this.region = update.region ?? this.region;
  }
}
