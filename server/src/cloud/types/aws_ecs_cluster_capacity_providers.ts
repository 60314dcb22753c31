// aws_ecs_cluster_capacity_providers ↔ the ECS DescribeClusters family, shared with aws_ecs_cluster:
// the cluster's capacity providers and default strategy come in the same reply.
import { PutClusterCapacityProvidersCommand } from '@aws-sdk/client-ecs';
import type { Known } from '../../drift/values';
import { clusterKey, ecsClustersFamily } from '../families/ecs-clusters';
import { member } from '../families/family';
import { blocksOf, stringsOf } from './blocks';
import { cannotRevert, foundEntry, missingEntry, num, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

/** `default_capacity_provider_strategy` blocks; weight and base default to 0 in the provider. */
const strategyAtoms = (v: Known): Known => blocksOf(v).map((s) => `${String(s.capacity_provider)} weight ${num(s.weight as Known) ?? 0} base ${num(s.base as Known) ?? 0}`);

export const awsEcsClusterCapacityProviders: ResourceType = {
  type: 'aws_ecs_cluster_capacity_providers',
  tags: false,
  attributes: [
    { name: 'cluster_name', compare: 'scalar', forceNew: true },
    // Optional sets: an unset one is empty, and a live provider nobody declared is drift.
    { name: 'capacity_providers', compare: 'set', default: [], severity: 'warning' },
    { name: 'default_capacity_provider_strategy', compare: 'blocks', normalize: strategyAtoms, phrases: (v) => strategyAtoms(v) as string[], default: [], severity: 'warning' },
  ],
  idFromState: (a) => str(a.cluster_name) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  family: member(ecsClustersFamily, {
    keys: (t) => [clusterKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(clusterKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const c = found.items[0];
      if (!c) return missingEntry(ctx, t.id, `ECS cluster ${t.id} does not exist`);
      return foundEntry(t, 'aws_ecs_cluster_capacity_providers', ctx, {
        cluster_name: c.clusterName,
        capacity_providers: c.capacityProviders ?? [],
        default_capacity_provider_strategy: (c.defaultCapacityProviderStrategy ?? []).map((s) => ({ capacity_provider: s.capacityProvider, weight: s.weight ?? 0, base: s.base ?? 0 })),
      }, { arn: c.clusterArn });
    },
  }),

  async revert(request, clients) {
    const { attribute, declared, live } = request;
    if (attribute !== 'capacity_providers' && attribute !== 'default_capacity_provider_strategy') return cannotRevert(attribute);
    // PutClusterCapacityProviders takes both lists: the other one stays as it is live.
    const merged = { ...live.attributes, [attribute]: declared };
    await clients.gate.call('ecs:PutClusterCapacityProviders', () => clients.ecs.send(new PutClusterCapacityProvidersCommand({
      cluster: request.id,
      capacityProviders: stringsOf(merged.capacity_providers),
      defaultCapacityProviderStrategy: blocksOf(merged.default_capacity_provider_strategy).map((s) => ({ capacityProvider: String(s.capacity_provider), weight: num(s.weight as Known) ?? 0, base: num(s.base as Known) ?? 0 })),
    })));
    return { ok: true, message: `${attribute} restored` };
  },
};
