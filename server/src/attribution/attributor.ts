// The I/O around the pure classifier: reads the events of each drifted resource, finds the grants
// those events may belong to (one broker `grants` call, then `log` only for grants that match),
// and classifies every drift. Used by the language server after each live read and by the CLI.
import type { GrantTimeline } from '../access/broker';
import type { OperationName, OperationParams, OperationResult } from '../access/operations';
import type { Attribution, ChangeEvent, Drift, Grant } from '../model';
import { classifyDrift, claimedGrantId, driftKey, GrantEvidence, grantWindow, DEFAULT_SKEW_SECONDS } from './classify';
import type { EventSource } from './resource-events';

/** What attribution needs from the access broker. */
export interface GrantSource {
  /** Every grant the broker knows (ended ones included). */
  grants(): Promise<Grant[]>;
  /** The grant's commands and API events; undefined when the caller may not read them. */
  timeline(id: string): Promise<GrantTimeline | undefined>;
}

type Call = <K extends OperationName>(op: K, params: OperationParams<K>) => Promise<OperationResult<K>>;

/** A GrantSource over the broker's operations (LSP access service, CLI broker client). */
export function brokerGrantSource(call: Call): GrantSource {
  return {
    grants: () => call('grants', { all: true }),
    timeline: async (id) => {
      try {
        return await call('log', { id });
      } catch (error) {
        // Someone else's grant, and not a reviewer of its role: classify without its commands.
        if ((error as { code?: string }).code === 'forbidden' || /may read grant/.test((error as Error).message)) return undefined;
        throw error;
      }
    },
  };
}

/** The evidence a timeline gives: commands, and the events the broker already tied to the grant. */
export function evidenceFrom(grant: Grant, timeline: GrantTimeline | undefined): GrantEvidence {
  const entries = timeline?.entries ?? [];
  return {
    grant: timeline?.grant ?? grant,
    commands: entries.flatMap((e) => (e.kind === 'command' ? [e.command] : [])),
    eventIds: entries.flatMap((e) => (e.kind === 'api' ? [e.event.eventId] : [])),
  };
}

/** The grant's API events from its timeline. */
export function timelineEvents(timeline: GrantTimeline): ChangeEvent[] {
  return timeline.entries.flatMap((e) => (e.kind === 'api' ? [e.event] : []));
}

export interface AttributionResult {
  attributions: Map<string, Attribution>;
  /** Why attribution may be incomplete (CloudTrail denied, broker unreachable). */
  failures: string[];
  /** Whether grants could be confirmed (a broker answered). */
  brokered: boolean;
}

export interface AttributeInput {
  drifts: readonly Drift[];
  /** Every name CloudTrail may record the drift's object under (id, ARN, name). */
  namesOf: (d: Drift) => string[];
  /** Undefined when no broker is configured: unauthorized changes are still found. */
  grants?: GrantSource;
  now?: Date;
}

const LATE_DELIVERY_MS = 20 * 60_000;

export class Attributor {
  /** Timelines of ended grants do not change; they are read once. */
  private readonly endedTimelines = new Map<string, GrantTimeline | undefined>();

  constructor(private readonly reader: EventSource, private readonly log: (line: string) => void = () => undefined) {}

  async attribute(input: AttributeInput): Promise<AttributionResult> {
    const now = input.now ?? new Date();
    const failures: string[] = [];
    const targets = input.drifts.filter((d) => d.liveId);
    const byResource = new Map<string, { names: string[]; drifts: Drift[] }>();
    for (const d of targets) {
      const names = input.namesOf(d);
      const key = names.join('\u0000');
      const entry = byResource.get(key) ?? { names, drifts: [] };
      entry.drifts.push(d);
      byResource.set(key, entry);
    }
    const eventsOf = new Map<string, { events: ChangeEvent[]; since: string; failures: string[] }>();
    for (const [key, r] of byResource) {
      const found = await this.reader.eventsFor(r.names, now, r.drifts[0]);
      failures.push(...found.failures);
      eventsOf.set(key, found);
    }

    let evidence: GrantEvidence[] | undefined;
    if (input.grants) {
      try {
        evidence = await this.evidence(input.grants, [...eventsOf.values()].flatMap((x) => x.events), now);
      } catch (error) {
        failures.push(`access broker: ${(error as Error).message}`);
        evidence = undefined;
      }
    }

    const attributions = new Map<string, Attribution>();
    for (const [key, r] of byResource) {
      const found = eventsOf.get(key)!;
      for (const d of r.drifts) {
        const a = found.failures.length && found.events.length === 0
          // Not "no event yet": the events could not be read at all, and the sentence must say so.
          ? { class: 'unknown' as const, summary: `who changed it is unknown: ${found.failures[0]}` }
          : classifyDrift({ drift: d, events: found.events, grants: evidence, now }, { searchedSince: found.since });
        attributions.set(driftKey(d), a);
      }
    }
    for (const f of failures) this.log(`attribution: ${f}`);
    return { attributions, failures, brokered: evidence !== undefined };
  }

  /** Grants the events may belong to, with their commands; timelines only for those. */
  private async evidence(source: GrantSource, events: ChangeEvent[], now: Date): Promise<GrantEvidence[]> {
    const grants = await source.grants();
    const skew = DEFAULT_SKEW_SECONDS * 1000;
    const relevant = grants.filter((g) => events.some((e) => {
      if (claimedGrantId(e) === g.id) return true;
      if (e.sourceIdentity !== g.requesterName) return false;
      const w = grantWindow(g, now);
      const t = Date.parse(e.at);
      return w !== undefined && t >= w.start - skew && t <= w.end + skew;
    }));
    const out: GrantEvidence[] = [];
    for (const g of grants) {
      if (!relevant.includes(g)) {
        out.push({ grant: g, commands: [] });
        continue;
      }
      out.push(evidenceFrom(g, await this.timeline(source, g)));
    }
    return out;
  }

  private async timeline(source: GrantSource, g: Grant): Promise<GrantTimeline | undefined> {
    if (this.endedTimelines.has(g.id)) return this.endedTimelines.get(g.id);
    const t = await source.timeline(g.id);
    // CloudTrail may still deliver the grant's last calls for a while after it ends.
    const settled = g.endedAt !== undefined && Date.now() - Date.parse(g.endedAt) > LATE_DELIVERY_MS;
    const ended = settled && (t?.warnings.length ?? 0) === 0;
    if (ended) this.endedTimelines.set(g.id, t);
    return t;
  }
}
