// aws_elasticache_replication_group ↔ one DescribeReplicationGroups listing of the region (100 a
// page) and, because a replication group does not report its engine version, parameter group,
// subnet group, security groups or maintenance window, one DescribeCacheClusters listing (100
// clusters a page) for its first member — as the provider reads them. Tags from the Tagging
// API's by-ARN read, else ListTagsForResource. Writers: ModifyReplicationGroup with
// ApplyImmediately, tags by ARN.
//
// Unset arguments: engine `redis`, automatic failover and Multi-AZ off and no snapshot retention
// are the provider's defaults; the node type, version, port, groups, windows, encryption and
// member count are Optional+Computed and compared only when declared. `auth_token` is write-only:
// never read, compared or shown. Engine versions compare as the provider records them (`7.1` for
// 7.1.0, `6.x` for any 6.*); a newer patch in the declared line while auto minor upgrades are on
// is AWS's own (a hint).
import {
  DescribeCacheClustersCommand, DescribeReplicationGroupsCommand, ModifyReplicationGroupCommand,
  type CacheCluster, type ModifyReplicationGroupCommandInput, type ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import type { Known } from '../../drift/values';
import { stringsOf } from './blocks';
import { type ArgumentKind, wireArgument } from './wire-argument';
import { bool, cannotRevert, foundEntry, labelFrom, num, str } from './common';
import { listByName, lowerCase, lowerId, minorUpgradeOwner, readFromListing, recordedEngineVersion, revertServiceTags, tagsOf, type Listing } from './rds-common';
import type { ResourceType } from './resource-type';

interface GroupArg {
  name: string;
  kind: ArgumentKind;
  param?: keyof ModifyReplicationGroupCommandInput;
}

/** Arguments written back with ModifyReplicationGroup. */
const WRITABLE: GroupArg[] = [
  { name: 'description', kind: 'string', param: 'ReplicationGroupDescription' },
  { name: 'node_type', kind: 'string', param: 'CacheNodeType' },
  { name: 'parameter_group_name', kind: 'string', param: 'CacheParameterGroupName' },
  { name: 'security_group_ids', kind: 'strings', param: 'SecurityGroupIds' },
  { name: 'automatic_failover_enabled', kind: 'bool', param: 'AutomaticFailoverEnabled' },
  { name: 'multi_az_enabled', kind: 'bool', param: 'MultiAZEnabled' },
  { name: 'snapshot_retention_limit', kind: 'int', param: 'SnapshotRetentionLimit' },
  { name: 'snapshot_window', kind: 'string', param: 'SnapshotWindow' },
  { name: 'maintenance_window', kind: 'string', param: 'PreferredMaintenanceWindow' },
  { name: 'auto_minor_version_upgrade', kind: 'bool', param: 'AutoMinorVersionUpgrade' },
  { name: 'notification_topic_arn', kind: 'string', param: 'NotificationTopicArn' },
  { name: 'engine_version', kind: 'string', param: 'EngineVersion' },
];

const enabled = (v: string | undefined): boolean => v === 'enabled' || v === 'enabling';

export const awsElasticacheReplicationGroup: ResourceType = {
  type: 'aws_elasticache_replication_group',
  tags: true,
  taggingType: 'elasticache:replicationgroup',
  attributes: [
    { name: 'replication_group_id', compare: 'scalar', normalize: lowerCase, forceNew: true },
    { name: 'description', compare: 'scalar' },
    { name: 'engine', compare: 'scalar', default: 'redis', forceNew: true },
    { name: 'engine_version', compare: 'scalar' },
    { name: 'node_type', compare: 'scalar' },
    { name: 'num_cache_clusters', compare: 'scalar' },
    { name: 'port', compare: 'scalar', forceNew: true },
    { name: 'parameter_group_name', compare: 'scalar', normalize: lowerCase },
    { name: 'subnet_group_name', compare: 'scalar', normalize: lowerCase, forceNew: true },
    { name: 'security_group_ids', compare: 'set', severity: 'warning' },
    { name: 'automatic_failover_enabled', compare: 'scalar', default: false },
    { name: 'multi_az_enabled', compare: 'scalar', default: false },
    { name: 'snapshot_retention_limit', compare: 'scalar', default: 0 },
    { name: 'snapshot_window', compare: 'scalar' },
    { name: 'maintenance_window', compare: 'scalar', normalize: lowerCase },
    { name: 'at_rest_encryption_enabled', compare: 'scalar', forceNew: true, severity: 'warning' },
    { name: 'transit_encryption_enabled', compare: 'scalar', severity: 'warning' },
    { name: 'auto_minor_version_upgrade', compare: 'scalar' },
    { name: 'notification_topic_arn', compare: 'scalar' },
  ],
  notCompared: {
    auth_token: 'write-only: AWS never returns it; Tidemark never reads, compares or shows it',
    auth_token_update_strategy: 'Terraform-side: how a token change is applied',
    apply_immediately: 'Terraform-side: when a change is applied',
    final_snapshot_identifier: 'Terraform-side: what destroy does',
    snapshot_arns: 'a creation input', snapshot_name: 'a creation input',
    preferred_cache_cluster_azs: 'placement AWS keeps once chosen',
    num_node_groups: 'cluster mode (sharding) is not read yet', replicas_per_node_group: 'cluster mode (sharding) is not read yet', node_group_configuration: 'not read yet',
    kms_key_id: 'not read yet', user_group_ids: 'not read yet', log_delivery_configuration: 'not read yet', data_tiering_enabled: 'not read yet',
    ip_discovery: 'not read yet', network_type: 'not read yet', transit_encryption_mode: 'not read yet', global_replication_group_id: 'not read yet',
    engine_version_actual: 'computed: the running version (compared through engine_version)',
    arn: 'computed by AWS', member_clusters: 'computed by AWS', primary_endpoint_address: 'computed by AWS', reader_endpoint_address: 'computed by AWS',
    configuration_endpoint_address: 'computed by AWS', cluster_enabled: 'computed by AWS',
  },
  idFromState: (a) => lowerId(a.replication_group_id) ?? lowerId(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:elasticache:[^:]+:\d{12}:replicationgroup:(.+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  async read(targets, ctx) {
    const ec = ctx.clients.elasticache;
    const [groups, clusters] = await Promise.all([
      listByName<{ ReplicationGroups?: ReplicationGroup[]; Marker?: string }, ReplicationGroup>(
        ctx, 'elasticache:DescribeReplicationGroups', (Marker) => ec.send(new DescribeReplicationGroupsCommand({ Marker, MaxRecords: 100 })),
        (p) => p.ReplicationGroups, (p) => p.Marker, (g) => g.ReplicationGroupId,
      ),
      listByName<{ CacheClusters?: CacheCluster[]; Marker?: string }, CacheCluster>(
        ctx, 'elasticache:DescribeCacheClusters', (Marker) => ec.send(new DescribeCacheClustersCommand({ Marker, MaxRecords: 100 })),
        (p) => p.CacheClusters, (p) => p.Marker, (c) => c.CacheClusterId,
      ),
    ]);
    const listing: Listing<ReplicationGroup> = clusters.byName ? groups : { failure: clusters.failure };
    return readFromListing(targets, ctx, listing, 'ElastiCache replication group', async (t, g) => {
      const first = g.MemberClusters?.[0] ? clusters.byName?.get(g.MemberClusters[0].toLowerCase()) : undefined;
      const recorded = t.state.attributes;
      const engine = g.Engine ?? first?.Engine ?? 'redis';
      const endpoint = g.ConfigurationEndpoint ?? g.NodeGroups?.[0]?.PrimaryEndpoint;
      const attributes: Record<string, unknown> = {
        replication_group_id: g.ReplicationGroupId,
        description: g.Description ?? '',
        engine,
        engine_version: recordedEngineVersion(recorded.engine_version, first?.EngineVersion),
        engine_version_actual: first?.EngineVersion ?? null,
        node_type: g.CacheNodeType ?? null,
        num_cache_clusters: g.MemberClusters?.length ?? 0,
        port: endpoint?.Port ?? null,
        parameter_group_name: first?.CacheParameterGroup?.CacheParameterGroupName ?? null,
        subnet_group_name: first?.CacheSubnetGroupName ?? null,
        security_group_ids: (first?.SecurityGroups ?? []).map((s) => s.SecurityGroupId).filter(Boolean),
        automatic_failover_enabled: enabled(g.AutomaticFailover),
        multi_az_enabled: enabled(g.MultiAZ),
        snapshot_retention_limit: g.SnapshotRetentionLimit ?? 0,
        snapshot_window: g.SnapshotWindow ?? null,
        maintenance_window: first?.PreferredMaintenanceWindow ?? null,
        at_rest_encryption_enabled: g.AtRestEncryptionEnabled ?? false,
        transit_encryption_enabled: g.TransitEncryptionEnabled ?? false,
        auto_minor_version_upgrade: g.AutoMinorVersionUpgrade ?? first?.AutoMinorVersionUpgrade ?? true,
        notification_topic_arn: first?.NotificationConfiguration?.TopicArn ?? '',
        tags: g.ARN ? await tagsOf(ctx, 'elasticache', g.ARN) : {},
      };
      const entry = foundEntry(t, 'aws_elasticache_replication_group', ctx, attributes, { arn: g.ARN });
      const owner = minorUpgradeOwner(engine, recorded.engine_version, first?.EngineVersion, Boolean(attributes.auto_minor_version_upgrade));
      if (owner && entry.status === 'found') entry.resource.ownedAttributes = { engine_version: owner };
      return entry;
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id, live } = request;
    if (attribute === 'tags') return revertServiceTags(request, clients, 'elasticache', live.arn);
    if (attribute === 'num_cache_clusters') return cannotRevert(attribute, 'adding or removing replicas (IncreaseReplicaCount/DecreaseReplicaCount) is not written back by Tidemark');
    const a = WRITABLE.find((x) => x.name === attribute);
    if (!a?.param) return cannotRevert(attribute);
    const value = wireArgument(a.kind, declared);
    if (value === undefined) return { ok: false, message: `declared ${attribute} has the wrong type` };
    if (attribute === 'engine_version' && typeof value === 'string' && String(live.attributes.engine_version_actual ?? '').startsWith(`${value}.`)) {
      return { ok: true, message: `engine_version ${String(live.attributes.engine_version_actual)} already matches ${value}` };
    }
    const input: ModifyReplicationGroupCommandInput = { ReplicationGroupId: id, ApplyImmediately: true, [a.param]: value };
    // Multi-AZ needs automatic failover: writing failover back off first turns Multi-AZ off as the provider does.
    if (attribute === 'automatic_failover_enabled' && value === false && live.attributes.multi_az_enabled === true) input.MultiAZEnabled = false;
    await clients.gate.call('elasticache:ModifyReplicationGroup', () => clients.elasticache.send(new ModifyReplicationGroupCommand(input)));
    return { ok: true, message: `${attribute} written back with ModifyReplicationGroup (applied immediately)` };
  },
};
