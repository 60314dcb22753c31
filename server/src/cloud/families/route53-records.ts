// ListResourceRecordSets once per hosted zone (300 record sets a page): serves every
// aws_route53_record of the check, however many records each zone has.
import { ListResourceRecordSetsCommand, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { failureText } from '../types/common';
import type { FamilyKey, ReadFamily } from './family';

export const route53RecordsFamily: ReadFamily<ResourceRecordSet> = {
  name: 'route53:ListResourceRecordSets',
  async load(keys, ctx) {
    const zones = [...new Set(keys.map((k) => k.value))];
    const byZone = new Map<string, ResourceRecordSet[]>();
    const failed = new Map<string, string>();
    await Promise.all(zones.map(async (zone) => {
      try {
        const sets: ResourceRecordSet[] = [];
        let next: { StartRecordName?: string; StartRecordType?: ResourceRecordSet['Type']; StartRecordIdentifier?: string } = {};
        for (;;) {
          const out = await ctx.clients.gate.call('route53:ListResourceRecordSets', () =>
            ctx.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone, MaxItems: 300, ...next })));
          sets.push(...(out.ResourceRecordSets ?? []));
          if (!out.IsTruncated) break;
          next = { StartRecordName: out.NextRecordName, StartRecordType: out.NextRecordType, StartRecordIdentifier: out.NextRecordIdentifier };
        }
        byZone.set(zone, sets);
      } catch (error) {
        failed.set(zone, failureText(error));
      }
    }));
    return {
      lookup(key) {
        const failure = failed.get(key.value);
        if (failure) return { failure };
        const sets = byZone.get(key.value);
        return sets ? { items: sets } : { failure: `route53:ListResourceRecordSets was not planned for zone ${key.value}` };
      },
    };
  },
};

/** True when the family's failure for a zone says the zone itself is gone. */
export const zoneGone = (failure: string): boolean => failure.includes('NoSuchHostedZone');

export const zoneKey = (zoneId: string): FamilyKey => ({ filter: 'zone', value: zoneId.replace(/^\/?hostedzone\//, '') });
