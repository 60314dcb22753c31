// The follower's one CloudTrail question per poll: write events since the cursor (minus an overlap
// for late delivery), newest first, one page per API call, stopping at the call budget.
import type { AwsClients } from '../cloud/clients';
import { CloudEvent, keyFingerprint, lookupPages, paceFor, toCloudEvent } from '../cloud/cloudtrail';
import type { ChangeEvent } from '../model';

export interface TrailPage {
  /** Newest first, as CloudTrail returns them; failed calls included (they changed nothing, but are evidence). */
  events: ChangeEvent[];
  calls: number;
  /** False when the budget ran out before the window was fully listed. */
  complete: boolean;
}


/** A CloudTrail event as the follower keeps it: the key only as its fingerprint, plus the extra names the source gave. */
export function toChangeEvent(cloud: CloudEvent, names: readonly string[]): ChangeEvent {
  const { accessKeyId, ...rest } = cloud;
  return {
    ...rest,
    resources: [...new Set([...rest.resources, ...names].filter(Boolean))],
    sessionName: /:assumed-role\/[^/]+\/(.+)$/.exec(rest.principalArn ?? '')?.[1],
    keyFingerprint: accessKeyId ? keyFingerprint(accessKeyId) : undefined,
  };
}

export async function lookupWriteEvents(clients: Pick<AwsClients, 'cloudtrail' | 'gate' | 'region' | 'target'>, start: Date, maxCalls: number): Promise<TrailPage> {
  const events: ChangeEvent[] = [];
  let calls = 0;
  if (maxCalls <= 0) return { events, calls, complete: false };
  const trail = {
    client: clients.cloudtrail,
    pace: paceFor(clients.target.endpoints.cloudtrail, clients.region),
    call: <T>(attempt: () => Promise<T>) => clients.gate.call('cloudtrail:LookupEvents', attempt),
  };
  // One lookup attribute per call is all CloudTrail allows: the write filter is the one that matters.
  for await (const page of lookupPages(trail, { attribute: { key: 'ReadOnly', value: 'false' }, start })) {
    calls++;
    for (const raw of page.records) {
      // LookupEvents names resources (ids, bucket and role names); the record itself carries ARNs.
      events.push(toChangeEvent(toCloudEvent(raw), (raw.Resources ?? []).map((r) => r.ResourceName ?? '')));
    }
    if (page.more && calls >= maxCalls) return { events, calls, complete: false };
  }
  return { events, calls, complete: true };
}

/**
 * The same question in every region the resources live in (CloudTrail is regional), one budget for
 * all: the events merged newest first. Complete only when every region's window was listed.
 */
export async function lookupWriteEventsIn(regions: ReadonlyArray<Pick<AwsClients, 'cloudtrail' | 'gate' | 'region' | 'target'>>, start: Date, maxCalls: number): Promise<TrailPage> {
  const events: ChangeEvent[] = [];
  let calls = 0;
  let complete = true;
  for (const clients of regions) {
    const page = await lookupWriteEvents(clients, start, maxCalls - calls);
    events.push(...page.events);
    calls += page.calls;
    complete &&= page.complete;
  }
  events.sort((a, b) => b.at.localeCompare(a.at));
  return { events, calls, complete };
}
