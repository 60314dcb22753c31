// The live snapshot the language server keeps: a full read on demand, and incremental refreshes
// of a few addresses (one batched call per type involved) merged into the same snapshot.
import type { StateInstance } from '../model';
import { LiveSnapshot } from '../drift/snapshot';
import type { InstanceReader, ReadOptions, ReadResult } from './reader';

export class LiveCache {
  readonly snapshot = new LiveSnapshot();

  /** `instances` returns the current state (and inferred) instances; read anew on every refresh. */
  /** `options(only)`: with `only`, a refresh of these resource addresses (plan their needs alone). */
  constructor(private readonly reader: InstanceReader, private readonly instances: () => StateInstance[], private readonly options: (only?: ReadonlySet<string>) => ReadOptions = () => ({})) {}

  async refreshAll(): Promise<ReadResult> {
    const result = await this.reader.read(this.instances(), this.options());
    for (const address of this.snapshot.addresses()) if (!result.snapshot.get(address)) this.snapshot.delete(address);
    this.snapshot.merge(result.snapshot);
    this.snapshot.unmanaged = result.snapshot.unmanaged;
    this.snapshot.notChecked = result.snapshot.notChecked;
    return result;
  }

  /**
   * Re-reads only these instance or resource addresses (`aws_instance.web` covers all its
   * instances). The unmanaged listing is not repeated.
   */
  async refreshResources(addresses: string[]): Promise<ReadResult> {
    const wanted = new Set(addresses);
    const chosen = this.instances().filter((i) => wanted.has(i.address) || wanted.has(i.resourceAddress));
    const { unmanagedTags: _skip, listTypes: _none, ...rest } = this.options(new Set(chosen.map((i) => i.resourceAddress)));
    const result = await this.reader.read(chosen, rest);
    this.snapshot.merge(result.snapshot);
    return result;
  }
}
