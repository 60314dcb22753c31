// aws_ecs_cluster ↔ the ECS DescribeClusters family (100 clusters a call, settings and tags
// included), shared with aws_ecs_cluster_capacity_providers: one call serves both types.
import { ClusterSettingName, TagResourceCommand, UntagResourceCommand, UpdateClusterSettingsCommand } from '@aws-sdk/client-ecs';
import type { Known } from '../../drift/values';
import { clusterKey, clusterName, ecsClustersFamily } from '../families/ecs-clusters';
import { member } from '../families/family';
import type { AwsClients } from '../clients';
import { blocksOf } from './blocks';
import { cannotRevert, foundEntry, missingEntry, str, tagsArg, unknownEntry } from './common';
import type { ResourceType, RevertOutcome, RevertRequest } from './resource-type';

/** `setting { name value }` blocks as `name=value` atoms. */
const settingAtoms = (v: Known): Known => blocksOf(v).map((s) => `${String(s.name)}=${String(s.value)}`);

/** ECS tags (lowercase key/value) written back on a cluster, service or task definition ARN. */
export async function revertEcsTags(clients: AwsClients, request: RevertRequest): Promise<RevertOutcome> {
  const want = tagsArg(request.declared);
  const arn = request.live.arn;
  if (!want || !arn) return { ok: false, message: 'declared tags are not a map, or the ARN is unknown' };
  const have = (request.live.attributes.tags ?? {}) as Record<string, string>;
  const remove = Object.keys(have).filter((k) => !(k in want));
  const set = Object.entries(want).filter(([k, v]) => have[k] !== v);
  if (remove.length) await clients.gate.call('ecs:UntagResource', () => clients.ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: remove })));
  if (set.length) await clients.gate.call('ecs:TagResource', () => clients.ecs.send(new TagResourceCommand({ resourceArn: arn, tags: set.map(([key, value]) => ({ key, value })) })));
  return { ok: true, message: `tags restored (${set.length} set, ${remove.length} removed)` };
}

export const ecsTagMap = (tags: Array<{ key?: string; value?: string }> | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).filter((t) => t.key && !t.key.startsWith('aws:')).map((t) => [t.key!, t.value ?? '']));

export const awsEcsCluster: ResourceType = {
  type: 'aws_ecs_cluster',
  tags: true,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'setting', compare: 'blocks', normalize: settingAtoms, phrases: (v) => settingAtoms(v) as string[] },
  ],
  notCompared: {
    configuration: 'not read yet (execute command and managed storage configuration)',
    service_connect_defaults: 'not read yet',
    arn: 'computed by AWS',
  },
  idFromState: (a) => str(a.arn) ?? str(a.id) ?? str(a.name),
  idFromArn: (arn) => (/^arn:aws[\w-]*:ecs:[^:]*:\d{12}:cluster\/[^/]+$/.test(arn) ? arn : undefined),
  importId: (live) => String(live.attributes.name ?? clusterName(live.id)),
  suggestName: (live) => String(live.attributes.name ?? clusterName(live.id)).replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  family: member(ecsClustersFamily, {
    keys: (t) => [clusterKey(str(t.state.attributes.name) ?? t.id)],
    pick(t, rows, ctx) {
      const key = clusterKey(str(t.state.attributes.name) ?? t.id);
      const found = rows.lookup(key);
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const c = found.items[0];
      if (!c) return missingEntry(ctx, t.id, `ECS cluster ${key.value} does not exist`);
      return foundEntry(t, 'aws_ecs_cluster', ctx, {
        name: c.clusterName,
        setting: (c.settings ?? []).map((s) => ({ name: s.name, value: s.value })),
        tags: ecsTagMap(c.tags),
      }, { arn: c.clusterArn });
    },
  }),

  async revert(request, clients) {
    switch (request.attribute) {
      case 'setting': {
        const settings = blocksOf(request.declared).map((s) => ({ name: String(s.name) as ClusterSettingName, value: String(s.value) }));
        // A setting the block leaves out keeps AWS's default.
        if (!settings.some((s) => s.name === 'containerInsights')) settings.push({ name: 'containerInsights' as ClusterSettingName, value: 'disabled' });
        await clients.gate.call('ecs:UpdateClusterSettings', () => clients.ecs.send(new UpdateClusterSettingsCommand({ cluster: request.live.arn ?? request.id, settings })));
        return { ok: true, message: 'cluster settings restored' };
      }
      case 'tags':
        return revertEcsTags(clients, request);
      default:
        return cannotRevert(request.attribute);
    }
  },
};
