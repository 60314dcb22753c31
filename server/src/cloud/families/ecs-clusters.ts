// ECS DescribeClusters, 100 clusters a call, with settings and tags: serves aws_ecs_cluster and
// aws_ecs_cluster_capacity_providers together. AWS answers a cluster it does not know with a
// MISSING failure in the same reply (not an error), so an absent cluster is proven missing.
import { Cluster, ClusterField, DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { chunk, failureText } from '../types/common';
import type { FamilyKey, ReadFamily } from './family';

const CLUSTERS_PER_CALL = 100;

/** The cluster's name from a name or an ARN. */
export const clusterName = (ref: string): string => ref.replace(/^arn:aws[\w-]*:ecs:[^:]*:\d{12}:cluster\//, '');

export const clusterKey = (ref: string): FamilyKey => ({ filter: 'cluster', value: clusterName(ref) });

export const ecsClustersFamily: ReadFamily<Cluster> = {
  name: 'ecs:DescribeClusters',
  async load(keys, ctx) {
    const names = [...new Set(keys.map((k) => k.value))];
    const found = new Map<string, Cluster>();
    const failed = new Map<string, string>();
    await Promise.all(chunk(names, CLUSTERS_PER_CALL).map(async (group) => {
      try {
        const out = await ctx.clients.gate.call('ecs:DescribeClusters', () =>
          ctx.clients.ecs.send(new DescribeClustersCommand({ clusters: group, include: [ClusterField.SETTINGS, ClusterField.TAGS, ClusterField.CONFIGURATIONS] })));
        // An INACTIVE cluster is a deleted one that AWS still describes for a while.
        for (const c of out.clusters ?? []) if (c.clusterName && c.status !== 'INACTIVE') found.set(c.clusterName, c);
      } catch (error) {
        for (const n of group) failed.set(n, failureText(error));
      }
    }));
    return {
      lookup(key) {
        const failure = failed.get(key.value);
        if (failure) return { failure };
        const c = found.get(key.value);
        return { items: c ? [c] : [] };
      },
    };
  },
};
