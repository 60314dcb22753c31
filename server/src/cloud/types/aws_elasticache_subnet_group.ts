// aws_elasticache_subnet_group ↔ one DescribeCacheSubnetGroups listing of the region (100 a page,
// one page serving every declared group); tags from the Tagging API's by-ARN read, else
// ListTagsForResource. Identified by the name, which ElastiCache (and the provider) keep lower-case.
import { DescribeCacheSubnetGroupsCommand, ModifyCacheSubnetGroupCommand, type CacheSubnetGroup } from '@aws-sdk/client-elasticache';
import type { Known } from '../../drift/values';
import { stringsOf } from './blocks';
import { cannotRevert, foundEntry, labelFrom, str } from './common';
import { MANAGED_BY_TERRAFORM } from './aws_db_subnet_group';
import { listByName, lowerCase, lowerId, readFromListing, revertServiceTags, tagsOf } from './rds-common';
import type { ResourceType } from './resource-type';

export const awsElasticacheSubnetGroup: ResourceType = {
  type: 'aws_elasticache_subnet_group',
  tags: true,
  taggingType: 'elasticache:subnetgroup',
  attributes: [
    { name: 'name', compare: 'scalar', normalize: lowerCase, forceNew: true },
    { name: 'description', compare: 'scalar', default: MANAGED_BY_TERRAFORM },
    { name: 'subnet_ids', compare: 'set' },
  ],
  notCompared: { arn: 'computed by AWS', vpc_id: 'computed by AWS from the subnets' },
  idFromState: (a) => lowerId(a.name) ?? lowerId(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:elasticache:[^:]+:\d{12}:subnetgroup:(.+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  async read(targets, ctx) {
    const listing = await listByName<{ CacheSubnetGroups?: CacheSubnetGroup[]; Marker?: string }, CacheSubnetGroup>(
      ctx, 'elasticache:DescribeCacheSubnetGroups',
      (Marker) => ctx.clients.elasticache.send(new DescribeCacheSubnetGroupsCommand({ Marker, MaxRecords: 100 })),
      (p) => p.CacheSubnetGroups, (p) => p.Marker, (g) => g.CacheSubnetGroupName,
    );
    return readFromListing(targets, ctx, listing, 'ElastiCache subnet group', async (t, g) => foundEntry(t, 'aws_elasticache_subnet_group', ctx, {
      name: g.CacheSubnetGroupName ?? t.id,
      description: g.CacheSubnetGroupDescription ?? '',
      subnet_ids: (g.Subnets ?? []).map((s) => s.SubnetIdentifier).filter((s): s is string => Boolean(s)),
      tags: g.ARN ? await tagsOf(ctx, 'elasticache', g.ARN) : {},
    }, { arn: g.ARN }));
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    if (attribute === 'tags') return revertServiceTags(request, clients, 'elasticache', request.live.arn);
    if (attribute === 'description') {
      await clients.gate.call('elasticache:ModifyCacheSubnetGroup', () => clients.elasticache.send(new ModifyCacheSubnetGroupCommand({ CacheSubnetGroupName: id, CacheSubnetGroupDescription: str(declared) ?? '' })));
      return { ok: true, message: `description set to ${str(declared) ?? ''}` };
    }
    if (attribute === 'subnet_ids') {
      if (!Array.isArray(declared)) return { ok: false, message: 'declared subnet_ids is not a list' };
      const SubnetIds = stringsOf(declared as Known[]);
      await clients.gate.call('elasticache:ModifyCacheSubnetGroup', () => clients.elasticache.send(new ModifyCacheSubnetGroupCommand({ CacheSubnetGroupName: id, SubnetIds })));
      return { ok: true, message: `subnet_ids set to ${SubnetIds.join(', ')}` };
    }
    return cannotRevert(attribute);
  },
};
