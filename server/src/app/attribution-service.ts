// Attribution for the editor: after each live read of a root module, who changed each drift (from
// that module's CloudTrail, and the broker's grants when one is reachable). Results are kept per
// root and laid over every re-diff, so keystrokes cost no network.
import type { RootModule } from './root-module';
import type { DriftService } from './drift-service';
import type { Attribution, Drift, GrantChange } from '../model';
import { Attributor, GrantSource, timelineEvents } from '../attribution/attributor';
import { driftKey, withAttribution } from '../attribution/classify';
import { grantChanges, ResourceRef } from '../attribution/changes';
import { resourceNames } from '../attribution/names';
import { RegionalEventReader } from '../attribution/resource-events';

interface RootAttribution {
  module: RootModule;
  attributor: Attributor;
  results: Map<string, Attribution>;
}

export interface AttributionServiceOptions {
  drift: DriftService;
  /** The broker, when one is reachable now; undefined = attribute from CloudTrail alone. */
  grants: () => GrantSource | undefined;
  log: (line: string) => void;
}

export class AttributionService {
  private readonly roots = new Map<string, RootAttribution>();

  constructor(private readonly o: AttributionServiceOptions) {}

  private entry(root: string): RootAttribution | undefined {
    const module = this.o.drift.connectedModule(root);
    if (!module?.clients) return undefined;
    const existing = this.roots.get(root);
    // New settings make a new module (new clients): start over with its CloudTrail.
    if (existing?.module === module) return existing;
    const entry = { module, attributor: new Attributor(new RegionalEventReader(module.clients, (d) => module.clientsForDrift(d)), this.o.log), results: new Map<string, Attribution>() };
    this.roots.set(root, entry);
    return entry;
  }

  /**
   * Attributes the root's current drifts; returns why it may be incomplete. After a refresh of some
   * addresses only their drifts are looked up (nothing else was read, so nothing else changed);
   * the others keep their attribution, and attributions of drifts that are gone are dropped.
   */
  async refresh(root: string, addresses?: readonly string[]): Promise<string[]> {
    const e = this.entry(root);
    const report = this.o.drift.report(root);
    if (!e || !report) return [];
    const snapshot = e.module.cache?.snapshot;
    const refreshed = addresses?.length ? refreshedBy(addresses) : undefined;
    const drifts = refreshed ? report.drifts.filter((d) => refreshed(d.address)) : report.drifts;
    const result = await e.attributor.attribute({ drifts, namesOf: (d) => resourceNames(d, snapshot), grants: this.o.grants() });
    if (!refreshed) e.results = result.attributions;
    else {
      const current = new Set(report.drifts.map(driftKey));
      const kept = new Map([...e.results].filter(([key]) => current.has(key)));
      for (const [key, a] of result.attributions) kept.set(key, a);
      e.results = kept;
    }
    return result.failures;
  }

  /** Drifts with their attribution, severity following its class. */
  apply<T extends Drift>(drifts: readonly T[]): T[] {
    // Each drift by its own root's results: a shared child module's file holds drifts of several roots.
    return drifts.map((d) => {
      const results = this.resultsOf(d);
      return results ? withAttribution([d], results)[0]! : d;
    });
  }

  attributionOf(d: Drift): Attribution | undefined {
    return this.resultsOf(d)?.get(driftKey(d));
  }

  private resultsOf(d: Drift): ReadonlyMap<string, Attribution> | undefined {
    const root = d.root ?? this.o.drift.rootOf(d.file);
    return root ? this.roots.get(root)?.results : undefined;
  }

  /** What one grant changed across the workspace's root modules, and what became of it. */
  async changes(grantId: string): Promise<{ changes: GrantChange[]; warnings: string[] }> {
    const source = this.o.grants();
    if (!source) return { changes: [], warnings: ['no access broker is reachable'] };
    const timeline = await source.timeline(grantId);
    if (!timeline) return { changes: [], warnings: [`grant ${grantId}'s log is not readable for you`] };
    const drifts = this.o.drift.roots().flatMap((r) => this.apply(this.o.drift.report(r)?.drifts ?? []));
    const resources = this.o.drift.roots().flatMap((r) => workspaceResources(this.o.drift.connectedModule(r)));
    const commands = timeline.entries.flatMap((x) => (x.kind === 'command' ? [x.command] : []));
    return { changes: grantChanges({ grant: timeline.grant, events: timelineEvents(timeline), commands, drifts, resources, reverts: timeline.reverts }), warnings: timeline.warnings };
  }
}

/** Every live object a module's snapshot holds, by the names CloudTrail uses for it. */
export function workspaceResources(module: RootModule | undefined): ResourceRef[] {
  const snapshot = module?.cache?.snapshot;
  if (!snapshot) return [];
  const out: ResourceRef[] = [];
  for (const address of snapshot.addresses()) {
    const e = snapshot.get(address);
    if (e?.status !== 'found') continue;
    const names = resourceNames({ address, liveId: e.resource.id, kind: 'changed', attributePath: ['tags'] }, snapshot);
    out.push({ address, names, live: e.resource.attributes });
  }
  return out;
}

/** Whether a drift's address was read by a refresh of these instance or resource addresses (`aws_instance.web` covers `aws_instance.web[0]`). */
function refreshedBy(addresses: readonly string[]): (address: string) => boolean {
  const wanted = new Set(addresses);
  return (address) => wanted.has(address) || wanted.has(address.replace(/\[[^\]]*\]$/, ''));
}
