// CloudTrail change events for drifted resources: LookupEvents by ResourceName (id, ARN or name),
// through the shared call gate, paginated, over a bounded window, cached per resource. CloudTrail
// allows one lookup attribute per call, so read-only calls are dropped here rather than filtered
// by the API. A later read asks only for the recent past (with an overlap for late delivery).
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { keyFingerprint } from '../access/broker';
import { toCloudEvent } from '../access/aws-cloud';
import type { AwsClients } from '../cloud/clients';
import type { ChangeEvent } from '../model';

export interface ResourceEventOptions {
  /** How far back to look (default 7 days; CloudTrail keeps 90). */
  windowSeconds?: number;
  /** Pages of 50 events per lookup (default 10): one resource's history stays bounded. */
  maxPages?: number;
  /** Re-read this much before the last read, for events delivered late (default 20 min). */
  overlapSeconds?: number;
  /** Minimum time between two lookups (default 500 ms: AWS allows 2 per second per account). */
  pacingMs?: number;
  /**
   * LookupEvents calls this reader may make in all (pages included; default: no cap). A one-shot
   * check sets it, so 100 drifted resources cost a bounded wait, not 50 silent seconds; resources
   * past the cap are reported as not looked up.
   */
  maxLookups?: number;
  /** Told after each LookupEvents call (progress for a command line). */
  onLookup?: (lookups: number) => void;
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


export class ResourceEventReader {
  private readonly cache = new Map<string, CacheEntry>();
  /** One lookup at a time: CloudTrail allows two LookupEvents per second per account. */
  private queue: Promise<unknown> = Promise.resolve();
  private lastCall = 0;
  private lookups = 0;

  constructor(private readonly clients: Pick<AwsClients, 'cloudtrail' | 'gate'>, private readonly o: ResourceEventOptions = {}) {}

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
    return this.o.maxLookups !== undefined && this.lookups >= this.o.maxLookups;
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

  private async paced<T>(fn: () => Promise<T>): Promise<T> {
    const wait = this.lastCall + (this.o.pacingMs ?? 500) - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    try {
      return await fn();
    } finally {
      this.lastCall = Date.now();
    }
  }

  private async read(name: string, now: Date): Promise<ChangeEvent[]> {
    const windowStart = now.getTime() - this.windowMs;
    const cached = this.cache.get(name);
    if (cached && now.getTime() - cached.readUntil < FRESH_MS) return [...cached.events.values()];
    const overlap = (this.o.overlapSeconds ?? 1200) * 1000;
    const start = new Date(cached ? Math.max(windowStart, cached.readUntil - overlap) : windowStart);
    const entry: CacheEntry = cached ?? { events: new Map(), readUntil: 0 };
    let token: string | undefined;
    for (let page = 0; page < (this.o.maxPages ?? 10); page++) {
      // A history cut short by the cap is not complete: it must not read as "no change found".
      if (this.capReached()) throw new Error(`history incomplete: the cap of ${this.o.maxLookups} CloudTrail lookups per check was reached`);
      this.lookups++;
      const out = await this.paced(() => this.clients.gate.call('cloudtrail:LookupEvents', () => this.clients.cloudtrail.send(new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: name }],
        StartTime: start,
        EndTime: now,
        NextToken: token,
      }))));
      for (const raw of out.Events ?? []) {
        const e = toCloudEvent(raw.EventId, raw.EventTime, raw.EventSource, raw.EventName, raw.CloudTrailEvent, raw.AccessKeyId, raw.ReadOnly);
        if (e.readOnly) continue;
        const { accessKeyId, ...rest } = e;
        entry.events.set(e.eventId, { ...rest, keyFingerprint: accessKeyId ? keyFingerprint(accessKeyId) : undefined });
      }
      this.o.onLookup?.(this.lookups);
      token = out.NextToken;
      if (!token) break;
    }
    for (const [id, e] of entry.events) if (Date.parse(e.at) < windowStart) entry.events.delete(id);
    entry.readUntil = now.getTime();
    this.cache.set(name, entry);
    return [...entry.events.values()];
  }
}
