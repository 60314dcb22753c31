// ElastiCache: one unit is a subnet group and a parameter group with a Redis replication group of
// two nodes on them.
import {
  CreateCacheParameterGroupCommand, CreateCacheSubnetGroupCommand, CreateReplicationGroupCommand, DescribeCacheClustersCommand, ElastiCacheClient, ModifyCacheParameterGroupCommand,
} from '@aws-sdk/client-elasticache';
import { clientFor, tagsFor, type Seeder } from './seeder';
import { backingNetwork } from './backing';
import { defaultTagsOnly, pages, ref, pick, resourceBlock, slug, tagList, TEAMS } from './block-text';

const NODE_TYPES = ['cache.t4g.small', 'cache.t4g.medium', 'cache.r7g.large'];

export const elasticacheSeeder: Seeder = {
  family: 'elasticache',
  types: ['aws_elasticache_subnet_group', 'aws_elasticache_parameter_group', 'aws_elasticache_replication_group'],
  readActions: [
    'elasticache:DescribeCacheSubnetGroups', 'elasticache:DescribeCacheParameterGroups', 'elasticache:DescribeCacheParameters',
    'elasticache:DescribeReplicationGroups', 'elasticache:DescribeCacheClusters', 'elasticache:ListTagsForResource',
  ],

  async seedUnit(target, suffix, random) {
    const ec = clientFor(ElastiCacheClient, target);
    const net = await backingNetwork(target);
    const s = slug(suffix);
    const team = pick(TEAMS, random);
    const arn = (kind: string, id: string) => `arn:aws:elasticache:${target.region}:${target.account}:${kind}:${id}`;
    const subnets = net.subnetIds.slice(0, 2);
    const untagged = defaultTagsOnly();

    const subnetGroup = `bench-cache-${s}`;
    const sg = tagsFor(`bench-cachesubnets-${s}`, { Team: team });
    await ec.send(new CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: subnetGroup, CacheSubnetGroupDescription: 'Managed by Terraform', SubnetIds: subnets, Tags: tagList(sg.tagsAll) }));

    const paramGroup = `bench-redis7-${s}`;
    const parameters = [{ name: 'maxmemory-policy', value: pick(['allkeys-lru', 'volatile-lru', 'noeviction'], random) }, { name: 'timeout', value: String(60 * (1 + Math.floor(random() * 10))) }];
    await ec.send(new CreateCacheParameterGroupCommand({ CacheParameterGroupName: paramGroup, CacheParameterGroupFamily: 'redis7', Description: 'Managed by Terraform', Tags: tagList(untagged.tagsAll) }));
    await ec.send(new ModifyCacheParameterGroupCommand({ CacheParameterGroupName: paramGroup, ParameterNameValues: parameters.map((p) => ({ ParameterName: p.name, ParameterValue: p.value })) }));

    const groupId = `bench-${s}`.slice(0, 40);
    const nodeType = pick(NODE_TYPES, random);
    const rg = tagsFor(`bench-redis-${s}`, { Team: team });
    await ec.send(new CreateReplicationGroupCommand({
      ReplicationGroupId: groupId, ReplicationGroupDescription: `${team} cache`, Engine: 'redis', EngineVersion: '7.1', CacheNodeType: nodeType,
      NumCacheClusters: 2, Port: 6379, CacheParameterGroupName: paramGroup, CacheSubnetGroupName: subnetGroup, SecurityGroupIds: [net.securityGroupId], AutomaticFailoverEnabled: true,
      MultiAZEnabled: false, SnapshotRetentionLimit: 3, SnapshotWindow: '04:00-05:00', PreferredMaintenanceWindow: 'sun:06:00-sun:07:00',
      AtRestEncryptionEnabled: true, TransitEncryptionEnabled: false, Tags: tagList(rg.tagsAll),
    }));
    // The running patch version, as the provider records it: the first member's.
    const member = (await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: `${groupId}-001` }))).CacheClusters?.[0];

    const n = { subnets: `cache_subnets_${suffix}`, params: `cache_params_${suffix}`, group: `redis_${suffix}` };
    return [
      {
        type: 'aws_elasticache_subnet_group', name: n.subnets,
        hcl: resourceBlock('aws_elasticache_subnet_group', n.subnets, [['name', subnetGroup], ['subnet_ids', subnets], ['tags', sg.tags]]),
        attributes: { id: subnetGroup, name: subnetGroup, description: 'Managed by Terraform', subnet_ids: subnets, vpc_id: net.vpcId, arn: arn('subnetgroup', subnetGroup), tags: sg.tags, tags_all: sg.tagsAll },
      },
      {
        type: 'aws_elasticache_parameter_group', name: n.params,
        hcl: resourceBlock('aws_elasticache_parameter_group', n.params, [
          ['name', paramGroup], ['family', 'redis7'], ...parameters.map((p) => ({ block: 'parameter', body: [['name', p.name], ['value', p.value]] as Array<[string, unknown]> })),
        ]),
        attributes: { id: paramGroup, name: paramGroup, family: 'redis7', description: 'Managed by Terraform', arn: arn('parametergroup', paramGroup), parameter: parameters, tags: {}, tags_all: untagged.tagsAll },
      },
      {
        type: 'aws_elasticache_replication_group', name: n.group,
        hcl: resourceBlock('aws_elasticache_replication_group', n.group, [
          ['replication_group_id', groupId], ['description', `${team} cache`], ['engine', 'redis'], ['engine_version', '7.1'], ['node_type', nodeType], ['num_cache_clusters', 2],
          ['port', 6379], ['parameter_group_name', ref(`aws_elasticache_parameter_group.${n.params}.name`)], ['subnet_group_name', ref(`aws_elasticache_subnet_group.${n.subnets}.name`)],
          ['security_group_ids', [net.securityGroupId]], ['automatic_failover_enabled', true], ['snapshot_retention_limit', 3], ['snapshot_window', '04:00-05:00'],
          ['maintenance_window', 'sun:06:00-sun:07:00'], ['at_rest_encryption_enabled', true], ['tags', rg.tags],
        ]),
        attributes: {
          id: groupId, replication_group_id: groupId, description: `${team} cache`, engine: 'redis', engine_version: '7.1', engine_version_actual: member?.EngineVersion ?? '', node_type: nodeType,
          num_cache_clusters: 2, port: 6379, parameter_group_name: paramGroup, subnet_group_name: subnetGroup, security_group_ids: [net.securityGroupId],
          automatic_failover_enabled: true, multi_az_enabled: false, snapshot_retention_limit: 3, snapshot_window: '04:00-05:00', maintenance_window: 'sun:06:00-sun:07:00',
          at_rest_encryption_enabled: true, transit_encryption_enabled: false, auth_token: '', auto_minor_version_upgrade: 'true', notification_topic_arn: '',
          apply_immediately: null, arn: arn('replicationgroup', groupId), member_clusters: [`${groupId}-001`, `${groupId}-002`], tags: rg.tags, tags_all: rg.tagsAll,
        },
        dependencies: [`aws_elasticache_parameter_group.${n.params}`, `aws_elasticache_subnet_group.${n.subnets}`],
      },
    ];
  },

  lowerBound(byType) {
    const groups = byType.aws_elasticache_replication_group ?? 0;
    return {
      'elasticache:DescribeCacheSubnetGroups': pages(byType.aws_elasticache_subnet_group, 100),
      'elasticache:DescribeCacheParameterGroups': pages(byType.aws_elasticache_parameter_group, 100),
      // No batch read of parameters across groups: one user-source listing per group that declares `parameter` (all seeded ones).
      'elasticache:DescribeCacheParameters': byType.aws_elasticache_parameter_group ?? 0,
      'elasticache:DescribeReplicationGroups': pages(groups, 100),
      // A replication group does not report its engine version, parameter group, subnet group,
      // security groups or window: its first member's DescribeCacheClusters row does (100 a page).
      'elasticache:DescribeCacheClusters': pages(2 * groups, 100),
    };
  },
};
