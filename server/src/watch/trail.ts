// The follower's one CloudTrail question per poll: write events since the cursor (minus an overlap
// for late delivery), newest first, one page per API call, stopping at the call budget.
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { toCloudEvent } from '../access/aws-cloud';
import { keyFingerprint } from '../access/broker';
import type { AwsClients } from '../cloud/clients';
import type { ChangeEvent } from '../model';

export interface TrailPage {
  /** Newest first, as CloudTrail returns them; failed calls included (they changed nothing, but are evidence). */
  events: ChangeEvent[];
  calls: number;
  /** False when the budget ran out before the window was fully listed. */
  complete: boolean;
}


export async function lookupWriteEvents(clients: Pick<AwsClients, 'cloudtrail' | 'gate'>, start: Date, maxCalls: number): Promise<TrailPage> {
  const events: ChangeEvent[] = [];
  let token: string | undefined;
  let calls = 0;
  do {
    if (calls >= maxCalls) return { events, calls, complete: false };
    calls++;
    const out = await clients.gate.call('cloudtrail:LookupEvents', () => clients.cloudtrail.send(new LookupEventsCommand({
      // One lookup attribute per call is all CloudTrail allows: the write filter is the one that matters.
      LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }],
      StartTime: start,
      NextToken: token,
    })));
    for (const raw of out.Events ?? []) {
      const e = toCloudEvent(raw.EventId, raw.EventTime, raw.EventSource, raw.EventName, raw.CloudTrailEvent, raw.AccessKeyId, raw.ReadOnly);
      const { accessKeyId, ...rest } = e;
      // LookupEvents names resources (ids, bucket and role names); the record itself carries ARNs.
      const names = [...rest.resources, ...(raw.Resources ?? []).map((r) => r.ResourceName ?? '')].filter(Boolean);
      events.push({
        ...rest,
        resources: [...new Set(names)],
        sessionName: /:assumed-role\/[^/]+\/(.+)$/.exec(rest.principalArn ?? '')?.[1],
        keyFingerprint: accessKeyId ? keyFingerprint(accessKeyId) : undefined,
      });
    }
    token = out.NextToken;
  } while (token);
  return { events, calls, complete: true };
}
