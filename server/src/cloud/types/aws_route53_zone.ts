// aws_route53_zone ↔ Route 53 ListHostedZones (100 a page) when many zones are read, GetHostedZone
// per zone when few (a listing of every zone of the account would cost more); both give what is
// compared (name, comment). Tags from the Tagging API's page, else ListTagsForResources (10 a
// call). What only GetHostedZone gives — private-zone VPC associations, the delegation set's name
// servers — is not compared, so no zone costs a call of its own for it.
import {
  ChangeTagsForResourceCommand, GetHostedZoneCommand, HostedZone, ListHostedZonesCommand, UpdateHostedZoneCommentCommand,
} from '@aws-sdk/client-route-53';
import type { LiveEntry } from '../../drift/snapshot';
import type { Known } from '../../drift/values';
import { cannotRevert, failureText, foundEntry, labelFrom, missingEntry, str, revertTagMap, unknownEntry } from './common';
import type { ReadContext, ResourceType } from './resource-type';
import { route53Arn, route53Tags } from './route53-tags';
import { errorCode } from './s3-common';

/** Route 53 answers names absolute and lower-case; Terraform keeps them as written. */
export function dnsName(v: Known): Known {
  return typeof v === 'string' ? v.toLowerCase().replace(/\.$/, '').replace(/^\\052(?=\.|$)/, '*') : v;
}

const bareId = (id: string): string => id.replace(/^\/?hostedzone\//, '');

/** Above this many zones one listing of every zone is cheaper than GetHostedZone per zone (as for log groups). */
const LIST_ALL_ABOVE = 10;

/** Every hosted zone of the account by bare id: ⌈zones/100⌉ ListHostedZones calls. */
async function listedZones(ctx: ReadContext): Promise<Map<string, HostedZone | undefined>> {
  const out = new Map<string, HostedZone | undefined>();
  let Marker: string | undefined;
  do {
    const page = await ctx.clients.gate.call('route53:ListHostedZones', () => ctx.clients.route53.send(new ListHostedZonesCommand({ MaxItems: 100, Marker })));
    for (const z of page.HostedZones ?? []) if (z.Id) out.set(bareId(z.Id), z);
    Marker = page.IsTruncated ? page.NextMarker : undefined;
  } while (Marker);
  return out;
}

/**
 * The named zones, one GetHostedZone each (in parallel under the gate's cap); a zone that is gone
 * maps to undefined, one whose read failed to the failure's text.
 */
async function zonesById(ctx: ReadContext, ids: string[]): Promise<Map<string, HostedZone | string | undefined>> {
  return new Map(await Promise.all([...new Set(ids)].map(async (id): Promise<[string, HostedZone | string | undefined]> => {
    try {
      const out = await ctx.clients.gate.call('route53:GetHostedZone', () => ctx.clients.route53.send(new GetHostedZoneCommand({ Id: id })));
      return [id, out.HostedZone];
    } catch (error) {
      return [id, errorCode(error) === 'NoSuchHostedZone' ? undefined : failureText(error)];
    }
  })));
}

export const awsRoute53Zone: ResourceType = {
  type: 'aws_route53_zone',
  tags: true,
  taggingType: 'route53:hostedzone',
  attributes: [
    { name: 'name', compare: 'scalar', normalize: dnsName, forceNew: true },
    // The provider writes this comment when none is declared.
    { name: 'comment', compare: 'scalar', default: 'Managed by Terraform' },
  ],
  notCompared: {
    vpc: 'private-zone VPC associations are not read yet (only GetHostedZone gives them, one call per zone)',
    delegation_set_id: 'reusable delegation sets are not read yet',
    force_destroy: 'a Terraform-side deletion setting; AWS has nothing to compare it with',
  },
  idFromState: (a) => str(a.zone_id) ?? str(a.id),
  idFromArn: (arn) => /:hostedzone\/([A-Z0-9]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, String(live.attributes.name ?? live.id)),

  async read(targets, ctx) {
    const result = new Map<string, LiveEntry>();
    let zones: Map<string, HostedZone | string | undefined>;
    try {
      zones = targets.length > LIST_ALL_ABOVE ? await listedZones(ctx) : await zonesById(ctx, targets.map((t) => bareId(t.id)));
    } catch (error) {
      for (const t of targets) result.set(t.address, unknownEntry(ctx, failureText(error)));
      return result;
    }
    const present = targets.map((t) => bareId(t.id)).filter((id) => typeof zones.get(id) === 'object');
    const { tags, failures } = await route53Tags(ctx, 'hostedzone', present);
    for (const t of targets) {
      const id = bareId(t.id);
      const z = zones.get(id);
      if (!z) {
        result.set(t.address, missingEntry(ctx, t.id, `hosted zone ${id} does not exist`));
        continue;
      }
      if (typeof z === 'string') {
        result.set(t.address, unknownEntry(ctx, z));
        continue;
      }
      const tagFailure = failures.get(id);
      result.set(t.address, foundEntry(t, 'aws_route53_zone', ctx, {
        zone_id: id,
        name: z.Name ?? null,
        comment: z.Config?.Comment ?? '',
        tags: tags.get(id) ?? {},
      }, { arn: route53Arn('hostedzone', id), ...(tagFailure ? { unknownAttributes: { tags: tagFailure } } : {}) }));
    }
    return result;
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
