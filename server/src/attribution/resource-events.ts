// CloudTrail change events for drifted resources: LookupEvents by ResourceName (id, ARN or name),
// through the shared call gate, paginated, over a bounded window, cached per resource. CloudTrail
// allows one lookup attribute per call, so read-only calls are dropped here rather than filtered
// by the API. A later read asks only for the recent past (with an overlap for late delivery).
import type { AwsClients } from '../cloud/clients';
import { keyFingerprint, LookupPace, lookupPages, paceFor, toCloudEvent, TrailReader } from '../cloud/cloudtrail';
import type { ChangeEvent, Drift } from '../model';

export interface ResourceEventOptions {
  /** How far back to look (default 7 days; CloudTrail keeps 90). */
  windowSeconds?: number;
  /** Pages of 50 events per lookup (default 10): one resource's history stays bounded. */
  maxPages?: number;
  /** Re-read this much before the last read, for events delivered late (default 20 min). */
  overlapSeconds?: number;
  /** Paces the lookups (default: the process's shared pace for the clients' CloudTrail endpoint and region). */
  pace?: LookupPace;
  /**
   * LookupEvents calls this reader may make in all (pages included; default: no cap). A one-shot
   * check sets it, so 100 drifted resources cost a bounded wait, not 50 silent seconds; resources
   * past the cap are reported as not looked up.
   */
  maxLookups?: number;
  /** Told after each LookupEvents call (progress for a command line). */
  onLookup?: (lookups: number) => void;
  /** Shared by the readers of one check (one per region and identity), so `maxLookups` caps them together. */
  counter?: { lookups: number };
}

/** Where the attributor reads a drifted object's CloudTrail events from. */
export interface EventSource {
  /** `drift`: one of the object's drifts, to pick the region and identity it lives in. */
  eventsFor(names: readonly string[], now: Date, drift?: Drift): Promise<ResourceEvents>;
}

/** Starts the failure of a resource that was not looked up because the cap was reached. */
export const LOOKUP_CAP_REACHED = 'not looked up: the cap of';

export function lookupCapMessage(cap: number): string {
  return `${LOOKUP_CAP_REACHED} ${cap} CloudTrail lookups per check was reached`;
}

/** A resource read this recently is not read again (several drifts on one object, one pass). */
const FRESH_MS = 10_000;

export interface ResourceEvents {
  events: ChangeEvent[];
  /** Start of the window searched. */
  since: string;
  /** Lookups that failed (e.g. AccessDenied on cloudtrail:LookupEvents): the events may be incomplete. */
  failures: string[];
}

interface CacheEntry {
  events: Map<string, ChangeEvent>;
  /** Time up to which events were read. */
  readUntil: number;
}


export class ResourceEventReader implements EventSource {
  private readonly cache = new Map<string, CacheEntry>();
  /** One resource's lookup at a time: its pages are read in order, and the cache is filled before the next. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly count: { lookups: number };
  private readonly trail: TrailReader;

  constructor(clients: Pick<AwsClients, 'cloudtrail' | 'gate' | 'region' | 'target'>, private readonly o: ResourceEventOptions = {}) {
    this.count = o.counter ?? { lookups: 0 };
    this.trail = {
      client: clients.cloudtrail,
      pace: o.pace ?? paceFor(clients.target.endpoints.cloudtrail, clients.region),
      call: (attempt) => clients.gate.call('cloudtrail:LookupEvents', attempt),
    };
  }

  private get windowMs(): number {
    return (this.o.windowSeconds ?? 7 * 24 * 3600) * 1000;
  }

  /** Write events on any of the names (one object known by id and ARN), newest last. */
  async eventsFor(names: readonly string[], now: Date): Promise<ResourceEvents> {
    const since = new Date(now.getTime() - this.windowMs);
    const merged = new Map<string, ChangeEvent>();
    const failures: string[] = [];
    for (const name of new Set(names.filter(Boolean))) {
      if (this.capReached() && !this.fresh(name, now)) {
        failures.push(lookupCapMessage(this.o.maxLookups!));
        break;
      }
      try {
        for (const e of await this.lookup(name, now)) merged.set(e.eventId, e);
      } catch (error) {
        failures.push(`CloudTrail events for ${name}: ${(error as Error).message}`);
      }
    }
    const events = [...merged.values()].filter((e) => Date.parse(e.at) >= since.getTime()).sort((a, b) => a.at.localeCompare(b.at));
    return { events, since: since.toISOString(), failures };
  }

  private capReached(): boolean {
    return this.o.maxLookups !== undefined && this.count.lookups >= this.o.maxLookups;
  }

  private fresh(name: string, now: Date): boolean {
    const cached = this.cache.get(name);
    return cached !== undefined && now.getTime() - cached.readUntil < FRESH_MS;
  }

  private lookup(name: string, now: Date): Promise<ChangeEvent[]> {
    const run = this.queue.then(() => this.read(name, now));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(name: string, now: Date): Promise<ChangeEvent[]> {
    const windowStart = now.getTime() - this.windowMs;
    const cached = this.cache.get(name);
    if (cached && now.getTime() - cached.readUntil < FRESH_MS) return [...cached.events.values()];
    const overlap = (this.o.overlapSeconds ?? 1200) * 1000;
    const start = new Date(cached ? Math.max(windowStart, cached.readUntil - overlap) : windowStart);
    const entry: CacheEntry = cached ?? { events: new Map(), readUntil: 0 };
    // A history cut short by the cap is not complete: it must not read as "no change found".
    const budget = (): void => {
      if (this.capReached()) throw new Error(`history incomplete: the cap of ${this.o.maxLookups} CloudTrail lookups per check was reached`);
      this.count.lookups++;
    };
    let pages = 0;
    for await (const page of lookupPages(this.trail, { attribute: { key: 'ResourceName', value: name }, start, end: now }, budget)) {
      for (const raw of page.records) {
        const e = toCloudEvent(raw);
        if (e.readOnly) continue;
        const { accessKeyId, ...rest } = e;
        entry.events.set(e.eventId, { ...rest, keyFingerprint: accessKeyId ? keyFingerprint(accessKeyId) : undefined });
      }
      this.o.onLookup?.(this.count.lookups);
      if (++pages >= (this.o.maxPages ?? 10)) break;
    }
    for (const [id, e] of entry.events) if (Date.parse(e.at) < windowStart) entry.events.delete(id);
    entry.readUntil = now.getTime();
    this.cache.set(name, entry);
    return [...entry.events.values()];
  }
}

/**
 * CloudTrail is regional: a drift's events are read in the region (and as the identity) its
 * resource is read with — one reader per client set, one lookup count for all of them.
 */
export class RegionalEventReader implements EventSource {
  private readonly readers = new Map<AwsClients, ResourceEventReader>();
  private readonly counter = { lookups: 0 };

  constructor(
    private readonly fallback: AwsClients,
    private readonly clientsOf: (drift: Drift) => Promise<AwsClients | undefined>,
    private readonly o: ResourceEventOptions = {},
  ) {}

  async eventsFor(names: readonly string[], now: Date, drift?: Drift): Promise<ResourceEvents> {
    const clients = (drift ? await this.clientsOf(drift).catch(() => undefined) : undefined) ?? this.fallback;
    let reader = this.readers.get(clients);
    if (!reader) {
      reader = new ResourceEventReader(clients, { ...this.o, counter: this.counter });
      this.readers.set(clients, reader);
    }
    return reader.eventsFor(names, now);
  }
}
