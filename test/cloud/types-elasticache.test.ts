// The ElastiCache types against the sandbox with the real SDK (query protocol):
// aws_elasticache_subnet_group, aws_elasticache_parameter_group and
// aws_elasticache_replication_group. The per-type contract; unset arguments with provider defaults
// are no drift; a patch upgrade AWS made under auto minor upgrades is a hint; the listings serve
// every group in one call each; deleted objects are missing; the AUTH token is never stored or
// logged; ElastiCache's error codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddTagsToResourceCommand, CreateCacheParameterGroupCommand, CreateCacheSubnetGroupCommand, CreateReplicationGroupCommand, DeleteReplicationGroupCommand,
  ElastiCacheClient, ModifyCacheParameterGroupCommand, ModifyCacheSubnetGroupCommand, ModifyReplicationGroupCommand,
} from '@aws-sdk/client-elasticache';
import type { StateInstance } from '../../server/src/model';
import { diff } from '../drift/helpers';
import { contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let ec: ElastiCacheClient;

const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
const SG = 'sg-0a1b2c3d4e5f60a01';
const SG2 = 'sg-0a1b2c3d4e5f60a02';
const TOKEN = 'a-long-auth-token-0123456789';
const arn = (kind: string, name: string) => `arn:aws:elasticache:${env.sandbox.region}:${env.sandbox.accountId}:${kind}:${name}`;

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_elasticache_subnet_group', 'cache', {
    id: 'cache', name: 'cache', description: 'Managed by Terraform', subnet_ids: SUBNETS, vpc_id: 'vpc-0a1b2c3d4e5f60718', arn: arn('subnetgroup', 'cache'),
    tags: { Team: 'web' }, tags_all: { Team: 'web' },
  }),
  inst('aws_elasticache_parameter_group', 'redis', {
    id: 'app-redis7', name: 'app-redis7', family: 'redis7', description: 'Managed by Terraform', arn: arn('parametergroup', 'app-redis7'),
    parameter: [{ name: 'maxmemory-policy', value: 'allkeys-lru' }, { name: 'timeout', value: '300' }], tags: {}, tags_all: {},
  }),
  inst('aws_elasticache_replication_group', 'sessions', {
    id: 'sessions', replication_group_id: 'sessions', description: 'session cache', engine: 'redis', engine_version: '7.1', engine_version_actual: '7.1.0',
    node_type: 'cache.t4g.small', num_cache_clusters: 2, port: 6379, parameter_group_name: 'app-redis7', subnet_group_name: 'cache', security_group_ids: [SG],
    automatic_failover_enabled: true, multi_az_enabled: false, snapshot_retention_limit: 3, snapshot_window: '04:00-05:00', maintenance_window: 'sun:06:00-sun:07:00',
    at_rest_encryption_enabled: true, transit_encryption_enabled: true, auth_token: TOKEN, auto_minor_version_upgrade: 'true', notification_topic_arn: '',
    apply_immediately: true, arn: arn('replicationgroup', 'sessions'), member_clusters: ['sessions-001', 'sessions-002'], tags: { Team: 'web' }, tags_all: { Team: 'web' },
  }),
];

before(async () => {
  env = await startTypeSandbox(['elasticache:*']);
  ec = env.sdk(ElastiCacheClient);
  // The calls the provider makes on apply for the state above.
  await ec.send(new CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: 'cache', CacheSubnetGroupDescription: 'Managed by Terraform', SubnetIds: SUBNETS, Tags: [{ Key: 'Team', Value: 'web' }] }));
  await ec.send(new CreateCacheParameterGroupCommand({ CacheParameterGroupName: 'app-redis7', CacheParameterGroupFamily: 'redis7', Description: 'Managed by Terraform' }));
  await ec.send(new ModifyCacheParameterGroupCommand({
    CacheParameterGroupName: 'app-redis7', ParameterNameValues: [{ ParameterName: 'maxmemory-policy', ParameterValue: 'allkeys-lru' }, { ParameterName: 'timeout', ParameterValue: '300' }],
  }));
  await ec.send(new CreateReplicationGroupCommand({
    ReplicationGroupId: 'sessions', ReplicationGroupDescription: 'session cache', Engine: 'redis', EngineVersion: '7.1', CacheNodeType: 'cache.t4g.small',
    NumCacheClusters: 2, Port: 6379, CacheParameterGroupName: 'app-redis7', CacheSubnetGroupName: 'cache', SecurityGroupIds: [SG], AutomaticFailoverEnabled: true,
    MultiAZEnabled: false, SnapshotRetentionLimit: 3, SnapshotWindow: '04:00-05:00', PreferredMaintenanceWindow: 'sun:06:00-sun:07:00',
    AtRestEncryptionEnabled: true, TransitEncryptionEnabled: true, AuthToken: TOKEN, Tags: [{ Key: 'Team', Value: 'web' }],
  }));
});

after(async () => {
  await env?.sandbox.stop();
});

contractTests({
  title: 'the ElastiCache types',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_elasticache_subnet_group.cache description', change: () => ec.send(new ModifyCacheSubnetGroupCommand({ CacheSubnetGroupName: 'cache', CacheSubnetGroupDescription: 'edited' })) },
    { drift: 'aws_elasticache_subnet_group.cache subnet_ids', change: () => ec.send(new ModifyCacheSubnetGroupCommand({ CacheSubnetGroupName: 'cache', SubnetIds: [SUBNETS[0]!] })) },
    { drift: 'aws_elasticache_subnet_group.cache tags', change: () => ec.send(new AddTagsToResourceCommand({ ResourceName: arn('subnetgroup', 'cache'), Tags: [{ Key: 'Owner', Value: 'carol' }] })) },
    { drift: 'aws_elasticache_parameter_group.redis parameter', change: () => ec.send(new ModifyCacheParameterGroupCommand({
      CacheParameterGroupName: 'app-redis7', ParameterNameValues: [{ ParameterName: 'timeout', ParameterValue: '0' }, { ParameterName: 'notify-keyspace-events', ParameterValue: 'Ex' }],
    })) },
    { drift: 'aws_elasticache_replication_group.sessions node_type', change: () => ec.send(new ModifyReplicationGroupCommand({ ReplicationGroupId: 'sessions', CacheNodeType: 'cache.r7g.large', ApplyImmediately: true })) },
    { drift: 'aws_elasticache_replication_group.sessions snapshot_retention_limit', change: () => ec.send(new ModifyReplicationGroupCommand({ ReplicationGroupId: 'sessions', SnapshotRetentionLimit: 0, ApplyImmediately: true })) },
    { drift: 'aws_elasticache_replication_group.sessions security_group_ids', change: () => ec.send(new ModifyReplicationGroupCommand({ ReplicationGroupId: 'sessions', SecurityGroupIds: [SG, SG2], ApplyImmediately: true })) },
    { drift: 'aws_elasticache_replication_group.sessions maintenance_window', change: () => ec.send(new ModifyReplicationGroupCommand({ ReplicationGroupId: 'sessions', PreferredMaintenanceWindow: 'mon:01:00-mon:02:00', ApplyImmediately: true })) },
    { drift: 'aws_elasticache_replication_group.sessions tags', change: () => ec.send(new AddTagsToResourceCommand({ ResourceName: arn('replicationgroup', 'sessions'), Tags: [{ Key: 'Team', Value: 'x' }] })) },
  ],
});

const MINIMAL_HCL = `resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "session cache"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  snapshot_retention_limit   = 3
  auth_token                 = "${TOKEN}"
  transit_encryption_enabled = true
  tags = { Team = "web" }
}

resource "aws_elasticache_subnet_group" "cache" {
  name       = "cache"
  subnet_ids = ["${SUBNETS[0]}", "${SUBNETS[1]}"]
  tags = { Team = "web" }
}
`;

test('unset arguments take the provider defaults or AWS\'s choice: no drift; the AUTH token is never read or reported', async () => {
  const instances = state().filter((i) => i.type !== 'aws_elasticache_parameter_group');
  const snapshot = await readLive(env.clients, instances, { declared: false });
  const live = instances.flatMap((i) => { const e = snapshot.get(i.address); return e?.status === 'found' ? [e.resource] : []; });
  assert.equal(live.length, 2);
  const report = await diff({ files: { 'main.tf': MINIMAL_HCL }, state: instances, live });
  assert.deepEqual(report.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}`), []);
  assert.ok(!JSON.stringify(live).includes(TOKEN) && !JSON.stringify(report).includes(TOKEN));
});

test('a patch upgrade AWS made under auto minor upgrades is a hint; a declared 7.1 matches 7.1.x', async () => {
  const instances = state().filter((i) => i.type === 'aws_elasticache_replication_group');
  const hcl = (version: string) => `resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "session cache"
  engine_version       = "${version}"
}
`;
  const versionDrift = async (declared: string) => {
    const applied = instances.map((i) => ({ ...i, attributes: { ...i.attributes, engine_version: declared } }));
    const entry = (await readLive(env.clients, applied, { declared: false })).get('aws_elasticache_replication_group.sessions');
    assert.equal(entry?.status, 'found');
    const report = await diff({ files: { 'main.tf': hcl(declared) }, state: applied, live: entry?.status === 'found' ? [entry.resource] : [] });
    return report.drifts.filter((d) => d.attributePath[0] === 'engine_version');
  };
  assert.deepEqual(await versionDrift('7.1'), []);
  await ec.send(new ModifyReplicationGroupCommand({ ReplicationGroupId: 'sessions', EngineVersion: '7.1.1', ApplyImmediately: true }));
  assert.deepEqual(await versionDrift('7.1'), [], 'the provider records 7.1 for 7.1.x');
  const [owned] = await versionDrift('7.1.0');
  assert.equal(owned?.suppressed?.source, 'aws');
  assert.match(owned?.suppressed?.reason ?? '', /auto_minor_version_upgrade is on/);
});

test('one listing per kind serves every group; parameters only when declared; a deleted group is missing', async () => {
  env.sandbox.resetStats();
  await readLive(env.clients, state(), { declared: false });
  const stats = env.sandbox.stats();
  assert.equal(stats['elasticache:DescribeReplicationGroups'], 1);
  assert.equal(stats['elasticache:DescribeCacheClusters'], 1);
  assert.equal(stats['elasticache:DescribeCacheSubnetGroups'], 1);
  assert.equal(stats['elasticache:DescribeCacheParameters'], 1);
  assert.equal(stats['tagging:GetResources'], 1, 'every group\'s tags in one Tagging API call');
  assert.equal(stats['elasticache:ListTagsForResource'], 1, 'only the untagged parameter group: the Tagging API lists tagged objects only');
  await ec.send(new CreateReplicationGroupCommand({ ReplicationGroupId: 'gone', ReplicationGroupDescription: 'x', CacheNodeType: 'cache.t4g.micro' }));
  await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: 'gone' }));
  const snapshot = await readLive(env.clients, [inst('aws_elasticache_replication_group', 'gone', { replication_group_id: 'gone' })], { declared: false });
  assert.equal(snapshot.get('aws_elasticache_replication_group.gone')?.status, 'missing');
});

test('the sandbox answers ElastiCache with its error codes and never keeps or logs the AUTH token', async () => {
  await assert.rejects(ec.send(new ModifyReplicationGroupCommand({ ReplicationGroupId: 'nope', CacheNodeType: 'cache.t4g.small' })), { name: 'ReplicationGroupNotFoundFault' });
  await assert.rejects(ec.send(new ModifyCacheParameterGroupCommand({ CacheParameterGroupName: 'app-redis7', ParameterNameValues: [{ ParameterName: 'maxmemory-policy', ParameterValue: 'sometimes' }] })), { name: 'InvalidParameterValueException' });
  await assert.rejects(ec.send(new CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: 'cache', CacheSubnetGroupDescription: 'x', SubnetIds: SUBNETS })), { name: 'CacheSubnetGroupAlreadyExistsFault' });
  await assert.rejects(ec.send(new ModifyReplicationGroupCommand({ ReplicationGroupId: 'sessions', MultiAZEnabled: true, AutomaticFailoverEnabled: false })), { name: 'InvalidParameterCombinationException' });
  const events = env.sandbox.world.events.filter((e) => e.eventSource === 'elasticache.amazonaws.com');
  const create = events.find((e) => e.eventName === 'CreateReplicationGroup' && e.resources.some((r) => r.name === 'sessions'));
  assert.ok(create);
  assert.equal(JSON.parse(create.cloudTrailEvent).requestParameters.authToken, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.ok(!events.some((e) => e.cloudTrailEvent.includes(TOKEN)));
  assert.ok(!JSON.stringify(env.sandbox.world.elasticache).includes(TOKEN));
});
