// aws_elasticache_parameter_group ↔ one DescribeCacheParameterGroups listing of the region (100 a
// page), and the group's parameters only when the block declares `parameter`: one
// DescribeCacheParameters listing with Source=user (plus the system values of names the state
// records but the user listing lacks, which the provider includes too). The set compares by name
// and value; Revert sets declared values and resets undeclared user values.
import {
  DescribeCacheParameterGroupsCommand, DescribeCacheParametersCommand, ModifyCacheParameterGroupCommand, ResetCacheParameterGroupCommand,
  type CacheParameterGroup, type Parameter,
} from '@aws-sdk/client-elasticache';
import { blocksOf } from './blocks';
import { cannotRevert, chunk, foundEntry, labelFrom } from './common';
import { MANAGED_BY_TERRAFORM } from './aws_db_subnet_group';
import { declaredParameters, listByName, lowerCase, lowerId, parameterAtoms, parameterPhrases, readFromListing, revertServiceTags, tagsOf } from './rds-common';
import type { ReadContext, ResourceType } from './resource-type';

async function listParameters(ctx: ReadContext, name: string, source: 'user' | 'system'): Promise<Parameter[]> {
  const out: Parameter[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.clients.gate.call('elasticache:DescribeCacheParameters', () =>
      ctx.clients.elasticache.send(new DescribeCacheParametersCommand({ CacheParameterGroupName: name, Source: source, Marker: marker, MaxRecords: 100 })));
    out.push(...(page.Parameters ?? []));
    marker = page.Marker;
  } while (marker);
  return out;
}

const block = (p: Parameter) => ({ name: p.ParameterName ?? '', value: p.ParameterValue ?? '' });

async function liveParameters(ctx: ReadContext, name: string, recorded: unknown) {
  const user = (await listParameters(ctx, name, 'user')).map(block);
  const have = new Set(user.map((p) => p.name.toLowerCase()));
  const wanted = new Set(blocksOf(recorded).map((p) => String(p.name ?? '').toLowerCase()).filter((n) => n && !have.has(n)));
  if (wanted.size === 0) return user;
  return [...user, ...(await listParameters(ctx, name, 'system')).map(block).filter((p) => wanted.has(p.name.toLowerCase()))];
}

export const awsElasticacheParameterGroup: ResourceType = {
  type: 'aws_elasticache_parameter_group',
  tags: true,
  taggingType: 'elasticache:parametergroup',
  attributes: [
    { name: 'name', compare: 'scalar', normalize: lowerCase, forceNew: true },
    { name: 'family', compare: 'scalar', forceNew: true },
    { name: 'description', compare: 'scalar', default: MANAGED_BY_TERRAFORM, forceNew: true },
    { name: 'parameter', compare: 'blocks', normalize: parameterAtoms, phrases: parameterPhrases },
  ],
  notCompared: { arn: 'computed by AWS' },
  idFromState: (a) => lowerId(a.name) ?? lowerId(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:elasticache:[^:]+:\d{12}:parametergroup:(.+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  async read(targets, ctx) {
    const listing = await listByName<{ CacheParameterGroups?: CacheParameterGroup[]; Marker?: string }, CacheParameterGroup>(
      ctx, 'elasticache:DescribeCacheParameterGroups',
      (Marker) => ctx.clients.elasticache.send(new DescribeCacheParameterGroupsCommand({ Marker, MaxRecords: 100 })),
      (p) => p.CacheParameterGroups, (p) => p.Marker, (g) => g.CacheParameterGroupName,
    );
    return readFromListing(targets, ctx, listing, 'ElastiCache parameter group', async (t, g) => {
      const attributes: Record<string, unknown> = {
        name: g.CacheParameterGroupName ?? t.id, family: g.CacheParameterGroupFamily ?? '', description: g.Description ?? '',
        tags: g.ARN ? await tagsOf(ctx, 'elasticache', g.ARN) : {},
      };
      if (!t.needs || t.needs.has('parameter')) attributes.parameter = await liveParameters(ctx, g.CacheParameterGroupName ?? t.id, t.state.attributes.parameter);
      return foundEntry(t, 'aws_elasticache_parameter_group', ctx, attributes, { arn: g.ARN });
    });
  },

  async revert(request, clients) {
    const { attribute, id } = request;
    if (attribute === 'tags') return revertServiceTags(request, clients, 'elasticache', request.live.arn);
    if (attribute !== 'parameter') return cannotRevert(attribute);
    const want = declaredParameters(request.declared);
    if (!want) return { ok: false, message: 'declared parameter is not a list of parameter blocks' };
    const have = new Map(blocksOf(request.live.attributes.parameter).map((p) => [String(p.name).toLowerCase(), String(p.value ?? '')]));
    const set = [...want].filter(([n, p]) => have.get(n) !== p.value).map(([ParameterName, p]) => ({ ParameterName, ParameterValue: p.value }));
    const reset = [...have.keys()].filter((n) => !want.has(n)).map((ParameterName) => ({ ParameterName }));
    for (const ParameterNameValues of chunk(set, 20)) {
      await clients.gate.call('elasticache:ModifyCacheParameterGroup', () => clients.elasticache.send(new ModifyCacheParameterGroupCommand({ CacheParameterGroupName: id, ParameterNameValues })));
    }
    for (const ParameterNameValues of chunk(reset, 20)) {
      await clients.gate.call('elasticache:ResetCacheParameterGroup', () => clients.elasticache.send(new ResetCacheParameterGroupCommand({ CacheParameterGroupName: id, ParameterNameValues })));
    }
    return { ok: true, message: `parameters restored (${set.length} set, ${reset.length} reset to the default)` };
  },
};
