// aws_route53_zone ↔ Route 53 GetHostedZone + ListTagsForResource per zone (in parallel under the
// gate's cap). Private-zone VPC associations are not compared yet.
import {
  ChangeTagsForResourceCommand, GetHostedZoneCommand, ListTagsForResourceCommand, UpdateHostedZoneCommentCommand,
} from '@aws-sdk/client-route-53';
import type { Known } from '../../drift/values';
import { cannotRevert, failureText, foundEntry, labelFrom, missingEntry, perTarget, str, revertTagMap, unknownEntry } from './common';
import type { ResourceType } from './resource-type';
import { errorCode } from './s3-common';

/** Route 53 answers names absolute and lower-case; Terraform keeps them as written. */
export function dnsName(v: Known): Known {
  return typeof v === 'string' ? v.toLowerCase().replace(/\.$/, '').replace(/^\\052(?=\.|$)/, '*') : v;
}

const bareId = (id: string): string => id.replace(/^\/?hostedzone\//, '');

export const awsRoute53Zone: ResourceType = {
  type: 'aws_route53_zone',
  tags: true,
  attributes: [
    { name: 'name', compare: 'scalar', normalize: dnsName, forceNew: true },
    // The provider writes this comment when none is declared.
    { name: 'comment', compare: 'scalar', default: 'Managed by Terraform' },
  ],
  notCompared: {
    vpc: 'private-zone VPC associations are not read yet',
    delegation_set_id: 'reusable delegation sets are not read yet',
    force_destroy: 'a Terraform-side deletion setting; AWS has nothing to compare it with',
  },
  idFromState: (a) => str(a.zone_id) ?? str(a.id),
  idFromArn: (arn) => /:hostedzone\/([A-Z0-9]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, String(live.attributes.name ?? live.id)),

  read(targets, ctx) {
    const r53 = ctx.clients.route53;
    return perTarget(targets, ctx, async (t) => {
      const id = bareId(t.id);
      try {
        const [zone, tags] = await Promise.all([
          ctx.clients.gate.call('route53:GetHostedZone', () => r53.send(new GetHostedZoneCommand({ Id: id }))),
          ctx.clients.gate.call('route53:ListTagsForResource', () => r53.send(new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: id }))),
        ]);
        const z = zone.HostedZone;
        if (!z) return unknownEntry(ctx, 'route53:GetHostedZone returned no zone');
        const tagMap: Record<string, string> = {};
        for (const tag of tags.ResourceTagSet?.Tags ?? []) if (tag.Key && !tag.Key.startsWith('aws:')) tagMap[tag.Key] = tag.Value ?? '';
        return foundEntry(t, 'aws_route53_zone', ctx, {
          zone_id: id,
          name: z.Name ?? null,
          comment: z.Config?.Comment ?? '',
          name_servers: zone.DelegationSet?.NameServers ?? [],
          tags: tagMap,
        }, { arn: `arn:aws:route53:::hostedzone/${id}` });
      } catch (error) {
        if (errorCode(error) === 'NoSuchHostedZone') return missingEntry(ctx, t.id, `hosted zone ${id} does not exist`);
        return unknownEntry(ctx, failureText(error));
      }
    });
  },

  async revert(request, clients) {
    const { attribute, declared } = request;
    const id = bareId(request.id);
    switch (attribute) {
      case 'comment':
        await clients.gate.call('route53:UpdateHostedZoneComment', () =>
          clients.route53.send(new UpdateHostedZoneCommentCommand({ Id: id, Comment: String(declared ?? '') })));
        return { ok: true, message: 'comment restored' };
      case 'tags':
        return revertTagMap(request, ({ set, remove }) => clients.gate.call('route53:ChangeTagsForResource', () => clients.route53.send(new ChangeTagsForResourceCommand({
          ResourceType: 'hostedzone', ResourceId: id,
          AddTags: set.length ? set : undefined,
          RemoveTagKeys: remove.length ? remove : undefined,
        }))));
      default:
        return cannotRevert(attribute);
    }
  },
};
