// aws_route53_zone_association: one GetHostedZone per distinct zone (in parallel under the gate's
// cap) lists the VPCs of a private zone; the association exists while the zone lists the VPC.
// Every argument forces a new association, so nothing is written back.
import { GetHostedZoneCommand, GetHostedZoneCommandOutput } from '@aws-sdk/client-route-53';
import type { LiveEntry } from '../../drift/snapshot';
import { cannotRevert, failureText, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';
import { errorCode } from './s3-common';

const bareId = (id: string): string => id.replace(/^\/?hostedzone\//, '');

export const awsRoute53ZoneAssociation: ResourceType = {
  type: 'aws_route53_zone_association',
  tags: false,
  attributes: [
    { name: 'zone_id', compare: 'scalar', forceNew: true },
    { name: 'vpc_id', compare: 'scalar', forceNew: true },
    { name: 'vpc_region', compare: 'scalar', forceNew: true },
  ],
  notCompared: { owning_account: 'computed by AWS' },
  revertUnsupported: 'every argument forces a new association; a removed one reads as missing',
  idFromState: (a) => str(a.id) ?? (str(a.zone_id) && str(a.vpc_id) ? `${String(a.zone_id)}:${String(a.vpc_id)}` : undefined),
  importId: (live) => `${String(live.attributes.zone_id)}:${String(live.attributes.vpc_id)}:${String(live.attributes.vpc_region)}`,
  suggestName: (live) => String(live.attributes.vpc_id ?? live.id).replace(/-/g, '_'),

  async read(targets, ctx) {
    // One read per zone however many associations name it.
    const zones = new Map<string, Promise<GetHostedZoneCommandOutput | { failure: string; missing: boolean }>>();
    const zoneOf = (id: string) => {
      let p = zones.get(id);
      if (!p) {
        p = ctx.clients.gate.call('route53:GetHostedZone', () => ctx.clients.route53.send(new GetHostedZoneCommand({ Id: id })))
          .catch((error: unknown) => ({ failure: failureText(error), missing: errorCode(error) === 'NoSuchHostedZone' }));
        zones.set(id, p);
      }
      return p;
    };
    const result = new Map<string, LiveEntry>();
    await Promise.all(targets.map(async (t) => {
      const a = t.state.attributes;
      const zoneId = bareId(str(a.zone_id) ?? t.id.split(':')[0] ?? '');
      const vpcId = str(a.vpc_id) ?? t.id.split(':')[1];
      const region = str(a.vpc_region);
      const zone = await zoneOf(zoneId);
      if ('failure' in zone) {
        result.set(t.address, zone.missing ? missingEntry(ctx, t.id, `hosted zone ${zoneId} does not exist`) : unknownEntry(ctx, zone.failure));
        return;
      }
      const vpc = (zone.VPCs ?? []).find((v) => v.VPCId === vpcId && (!region || v.VPCRegion === region));
      if (!vpc) {
        result.set(t.address, missingEntry(ctx, t.id, `hosted zone ${zoneId} is not associated with ${vpcId ?? 'the VPC'}`));
        return;
      }
      result.set(t.address, foundEntry(t, 'aws_route53_zone_association', ctx, { zone_id: zoneId, vpc_id: vpc.VPCId, vpc_region: vpc.VPCRegion }));
    }));
    return result;
  },

  revert: async (request) => cannotRevert(request.attribute),
};
