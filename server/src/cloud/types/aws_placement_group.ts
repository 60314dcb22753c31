// aws_placement_group (DescribePlacementGroups family, by group name): every argument forces a
// new group; only tags are written back (by the group's id, as CreateTags takes it).
import { CreateTagsCommand, DeleteTagsCommand } from '@aws-sdk/client-ec2';
import { member } from '../families/family';
import { placementGroupKey, placementGroupsFamily } from '../families/vpc-gateways';
import { cannotRevert, foundEntry, labelFrom, missingEntry, str, tagsArg, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

export const awsPlacementGroup: ResourceType = {
  type: 'aws_placement_group',
  tags: true,
  taggingType: 'ec2:placement-group',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'strategy', compare: 'scalar', forceNew: true },
    { name: 'partition_count', compare: 'scalar', forceNew: true },
    { name: 'spread_level', compare: 'scalar', forceNew: true },
  ],
  notCompared: { arn: 'computed by AWS', placement_group_id: 'computed by AWS' },
  family: member(placementGroupsFamily, {
    keys: (t) => [placementGroupKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(placementGroupKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const g = found.items.find((x) => x.GroupName === t.id && x.State !== 'deleted');
      if (!g) return missingEntry(ctx, t.id, `placement group ${t.id} does not exist`);
      return foundEntry(t, 'aws_placement_group', ctx, {
        name: g.GroupName, strategy: g.Strategy, partition_count: g.PartitionCount ?? 0, spread_level: g.SpreadLevel ?? '', placement_group_id: g.GroupId, tags: userTags(g.Tags),
      });
    },
  }),
  idFromState: (a) => str(a.name) ?? str(a.id),
  idFromArn: (arn) => /:placement-group\/([^/]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  async revert(request, clients) {
    if (request.attribute !== 'tags') return cannotRevert(request.attribute);
    const groupId = str(request.live.attributes.placement_group_id);
    const want = tagsArg(request.declared);
    if (!groupId || !want) return { ok: false, message: 'the placement group id or the declared tags are unknown' };
    const have = (request.live.attributes.tags ?? {}) as Record<string, string>;
    const remove = Object.keys(have).filter((k) => !(k in want));
    const set = Object.entries(want).filter(([k, v]) => have[k] !== v);
    if (remove.length) await clients.gate.call('ec2:DeleteTags', () => clients.ec2.send(new DeleteTagsCommand({ Resources: [groupId], Tags: remove.map((Key) => ({ Key })) })));
    if (set.length) await clients.gate.call('ec2:CreateTags', () => clients.ec2.send(new CreateTagsCommand({ Resources: [groupId], Tags: set.map(([Key, Value]) => ({ Key, Value })) })));
    return { ok: true, message: `tags restored (${set.length} set, ${remove.length} removed)` };
  },
};
