// The RDS types against the sandbox with the real SDK (query protocol): aws_db_subnet_group,
// aws_db_parameter_group, aws_db_instance, aws_rds_cluster, aws_rds_cluster_instance and
// aws_rds_cluster_parameter_group. The per-type contract; unset arguments with provider defaults
// are no drift; a minor engine upgrade AWS made under auto_minor_version_upgrade is a hint, not
// drift; one DescribeDBInstances serves both instance types, parameters are read only when
// declared; the master password is never read, stored, shown or logged; RDS's error codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddTagsToResourceCommand, CreateDBClusterCommand, CreateDBClusterParameterGroupCommand, CreateDBInstanceCommand, CreateDBParameterGroupCommand,
  CreateDBSubnetGroupCommand, DeleteDBInstanceCommand, DescribeDBInstancesCommand, ModifyDBClusterCommand, ModifyDBClusterParameterGroupCommand, ModifyDBInstanceCommand,
  ModifyDBParameterGroupCommand, ModifyDBSubnetGroupCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, TagResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import type { StateInstance } from '../../server/src/model';
import { diff } from '../drift/helpers';
import { contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let rds: RDSClient;

const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
const SG = 'sg-0a1b2c3d4e5f60a01';
const SG2 = 'sg-0a1b2c3d4e5f60a02';
const PASSWORD = 'Tr0ub4dor-and-3';
const arn = (kind: string, name: string) => `arn:aws:rds:${env.sandbox.region}:${env.sandbox.accountId}:${kind}:${name}`;

const PG_PARAMETERS = [
  { name: 'log_min_duration_statement', value: '1000', apply_method: 'immediate' },
  { name: 'rds.force_ssl', value: '1', apply_method: 'immediate' },
];

/** As the AWS provider v5 records them after apply (password in state, as Terraform keeps it). */
const state = (): StateInstance[] => [
  inst('aws_db_subnet_group', 'main', {
    id: 'main', name: 'main', name_prefix: '', description: 'Managed by Terraform', subnet_ids: SUBNETS, arn: arn('subgrp', 'main'),
    vpc_id: 'vpc-0a1b2c3d4e5f60718', supported_network_types: ['IPV4'], tags: { Team: 'data' }, tags_all: { Team: 'data' },
  }),
  inst('aws_db_parameter_group', 'pg', {
    id: 'app-pg16', name: 'app-pg16', family: 'postgres16', description: 'Managed by Terraform', parameter: PG_PARAMETERS, arn: arn('pg', 'app-pg16'),
    skip_destroy: false, tags: {}, tags_all: {},
  }),
  inst('aws_db_instance', 'db', {
    id: 'db-ABCDEFGHIJKLMNOPQRSTUVWXYZ', identifier: 'app-db', engine: 'postgres', engine_version: '16.3', engine_version_actual: '16.3', instance_class: 'db.t3.micro',
    allocated_storage: 20, max_allocated_storage: 0, storage_type: 'gp3', iops: 0, storage_throughput: 125, multi_az: false, publicly_accessible: false,
    backup_retention_period: 7, backup_window: '03:00-03:30', maintenance_window: 'mon:04:00-mon:04:30', deletion_protection: false,
    db_subnet_group_name: 'main', vpc_security_group_ids: [SG], parameter_group_name: 'app-pg16', storage_encrypted: true,
    kms_key_id: `arn:aws:kms:${env.sandbox.region}:${env.sandbox.accountId}:key/aws-rds`, iam_database_authentication_enabled: false,
    performance_insights_enabled: false, copy_tags_to_snapshot: true, auto_minor_version_upgrade: true, monitoring_interval: 0, username: 'app', db_name: 'app',
    password: PASSWORD, port: 5432, ca_cert_identifier: 'rds-ca-rsa2048-g1', enabled_cloudwatch_logs_exports: ['postgresql'], skip_final_snapshot: true,
    apply_immediately: false, arn: arn('db', 'app-db'), tags: { Team: 'data' }, tags_all: { Team: 'data' },
  }),
  inst('aws_rds_cluster_parameter_group', 'aurora', {
    id: 'aurora-pg15', name: 'aurora-pg15', family: 'aurora-postgresql15', description: 'Managed by Terraform',
    parameter: [{ name: 'log_statement', value: 'ddl', apply_method: 'immediate' }], arn: arn('cluster-pg', 'aurora-pg15'), tags: {}, tags_all: {},
  }),
  inst('aws_rds_cluster', 'aurora', {
    id: 'aurora', cluster_identifier: 'aurora', engine: 'aurora-postgresql', engine_mode: 'provisioned', engine_version: '15.4', engine_version_actual: '15.4',
    database_name: 'orders', master_username: 'orders', master_password: PASSWORD, port: 5432, backup_retention_period: 5,
    preferred_backup_window: '02:00-02:30', preferred_maintenance_window: 'tue:05:00-tue:05:30', db_subnet_group_name: 'main', vpc_security_group_ids: [SG],
    db_cluster_parameter_group_name: 'aurora-pg15', storage_encrypted: false, kms_key_id: '', deletion_protection: false, iam_database_authentication_enabled: false,
    copy_tags_to_snapshot: false, enabled_cloudwatch_logs_exports: [], availability_zones: ['us-east-1a', 'us-east-1b'], cluster_members: ['aurora-1'],
    skip_final_snapshot: true, arn: arn('cluster', 'aurora'), tags: { Team: 'orders' }, tags_all: { Team: 'orders' },
  }),
  inst('aws_rds_cluster_instance', 'aurora_1', {
    id: 'aurora-1', identifier: 'aurora-1', cluster_identifier: 'aurora', engine: 'aurora-postgresql', engine_version: '15.4', instance_class: 'db.r6g.large',
    publicly_accessible: false, db_subnet_group_name: 'main', db_parameter_group_name: 'default.aurora-postgresql15', auto_minor_version_upgrade: true,
    monitoring_interval: 0, performance_insights_enabled: false, promotion_tier: 0, preferred_maintenance_window: 'wed:06:00-wed:06:30',
    preferred_backup_window: '02:00-02:30', ca_cert_identifier: 'rds-ca-rsa2048-g1', copy_tags_to_snapshot: false, arn: arn('db', 'aurora-1'), tags: {}, tags_all: {},
  }),
];

before(async () => {
  env = await startTypeSandbox(['rds:*']);
  rds = env.sdk(RDSClient);
  // The calls the provider makes on apply for the state above.
  await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'main', DBSubnetGroupDescription: 'Managed by Terraform', SubnetIds: SUBNETS, Tags: [{ Key: 'Team', Value: 'data' }] }));
  await rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'app-pg16', DBParameterGroupFamily: 'postgres16', Description: 'Managed by Terraform' }));
  await rds.send(new ModifyDBParameterGroupCommand({
    DBParameterGroupName: 'app-pg16', Parameters: PG_PARAMETERS.map((p) => ({ ParameterName: p.name, ParameterValue: p.value, ApplyMethod: 'immediate' })),
  }));
  await rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'app-db', Engine: 'postgres', EngineVersion: '16.3', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, StorageType: 'gp3',
    MasterUsername: 'app', MasterUserPassword: PASSWORD, DBName: 'app', DBSubnetGroupName: 'main', VpcSecurityGroupIds: [SG], DBParameterGroupName: 'app-pg16',
    BackupRetentionPeriod: 7, PreferredBackupWindow: '03:00-03:30', PreferredMaintenanceWindow: 'Mon:04:00-Mon:04:30', StorageEncrypted: true,
    CopyTagsToSnapshot: true, AutoMinorVersionUpgrade: true, PubliclyAccessible: false, EnableCloudwatchLogsExports: ['postgresql'], Tags: [{ Key: 'Team', Value: 'data' }],
  }));
  await rds.send(new CreateDBClusterParameterGroupCommand({ DBClusterParameterGroupName: 'aurora-pg15', DBParameterGroupFamily: 'aurora-postgresql15', Description: 'Managed by Terraform' }));
  await rds.send(new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: 'aurora-pg15', Parameters: [{ ParameterName: 'log_statement', ParameterValue: 'ddl', ApplyMethod: 'immediate' }] }));
  await rds.send(new CreateDBClusterCommand({
    DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', EngineVersion: '15.4', DatabaseName: 'orders', MasterUsername: 'orders', MasterUserPassword: PASSWORD,
    BackupRetentionPeriod: 5, PreferredBackupWindow: '02:00-02:30', PreferredMaintenanceWindow: 'tue:05:00-tue:05:30', DBSubnetGroupName: 'main',
    VpcSecurityGroupIds: [SG], DBClusterParameterGroupName: 'aurora-pg15', Tags: [{ Key: 'Team', Value: 'orders' }],
  }));
  await rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'aurora-1', DBClusterIdentifier: 'aurora', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', PromotionTier: 0,
    PreferredMaintenanceWindow: 'wed:06:00-wed:06:30', PubliclyAccessible: false, AutoMinorVersionUpgrade: true,
  }));
});

after(async () => {
  await env?.sandbox.stop();
});

contractTests({
  title: 'the RDS types',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_db_subnet_group.main description', change: () => rds.send(new ModifyDBSubnetGroupCommand({ DBSubnetGroupName: 'main', DBSubnetGroupDescription: 'edited by hand', SubnetIds: SUBNETS })) },
    { drift: 'aws_db_subnet_group.main tags', change: () => rds.send(new AddTagsToResourceCommand({ ResourceName: arn('subgrp', 'main'), Tags: [{ Key: 'Owner', Value: 'carol' }] })) },
    // A parameter nobody declares is drift on the set; the writer resets it.
    { drift: 'aws_db_parameter_group.pg parameter', change: () => rds.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: 'app-pg16', Parameters: [{ ParameterName: 'log_statement', ParameterValue: 'all', ApplyMethod: 'immediate' }] })) },
    { drift: 'aws_db_instance.db instance_class', change: () => rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'app-db', DBInstanceClass: 'db.t3.large', ApplyImmediately: true })) },
    { drift: 'aws_db_instance.db backup_retention_period', change: () => rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'app-db', BackupRetentionPeriod: 1, ApplyImmediately: true })) },
    { drift: 'aws_db_instance.db publicly_accessible', change: () => rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'app-db', PubliclyAccessible: true, ApplyImmediately: true })) },
    { drift: 'aws_db_instance.db vpc_security_group_ids', change: () => rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'app-db', VpcSecurityGroupIds: [SG, SG2], ApplyImmediately: true })) },
    { drift: 'aws_db_instance.db enabled_cloudwatch_logs_exports', change: () => rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'app-db', CloudwatchLogsExportConfiguration: { EnableLogTypes: ['upgrade'] }, ApplyImmediately: true })) },
    { drift: 'aws_db_instance.db tags', change: () => rds.send(new AddTagsToResourceCommand({ ResourceName: arn('db', 'app-db'), Tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
    { drift: 'aws_rds_cluster_parameter_group.aurora parameter', change: () => rds.send(new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: 'aurora-pg15', Parameters: [{ ParameterName: 'log_statement', ParameterValue: 'all', ApplyMethod: 'immediate' }] })) },
    { drift: 'aws_rds_cluster.aurora deletion_protection', change: () => rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'aurora', DeletionProtection: true, ApplyImmediately: true })) },
    { drift: 'aws_rds_cluster.aurora backup_retention_period', change: () => rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'aurora', BackupRetentionPeriod: 14, ApplyImmediately: true })) },
    { drift: 'aws_rds_cluster.aurora tags', change: () => rds.send(new AddTagsToResourceCommand({ ResourceName: arn('cluster', 'aurora'), Tags: [{ Key: 'Team', Value: 'x' }] })) },
    { drift: 'aws_rds_cluster_instance.aurora_1 instance_class', change: () => rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'aurora-1', DBInstanceClass: 'db.r6g.xlarge', ApplyImmediately: true })) },
    { drift: 'aws_rds_cluster_instance.aurora_1 promotion_tier', change: () => rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'aurora-1', PromotionTier: 3 })) },
  ],
});

/** Only what a user must write: every other argument takes its provider default or AWS's choice. */
const MINIMAL_HCL = `resource "aws_db_instance" "db" {
  identifier          = "app-db"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "app"
  password            = "${PASSWORD}"
  skip_final_snapshot = true
  storage_encrypted   = true
  copy_tags_to_snapshot = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  tags = { Team = "data" }
}

resource "aws_db_subnet_group" "main" {
  name       = "main"
  subnet_ids = ["${SUBNETS[0]}", "${SUBNETS[1]}"]
  tags = { Team = "data" }
}

resource "aws_rds_cluster" "aurora" {
  cluster_identifier   = "aurora"
  engine               = "aurora-postgresql"
  master_username      = "orders"
  master_password      = "${PASSWORD}"
  backup_retention_period = 5
  tags = { Team = "orders" }
}

resource "aws_rds_cluster_instance" "aurora_1" {
  identifier         = "aurora-1"
  cluster_identifier = "aurora"
  engine             = "aurora-postgresql"
  instance_class     = "db.r6g.large"
}
`;

test('unset arguments take the provider default or AWS\'s choice: no drift; the password never appears in what Tidemark reads or reports', async () => {
  const instances = state().filter((i) => ['aws_db_instance', 'aws_db_subnet_group', 'aws_rds_cluster', 'aws_rds_cluster_instance'].includes(i.type));
  const snapshot = await readLive(env.clients, instances, { declared: false });
  const live = instances.map((i) => snapshot.get(i.address)).map((e) => (e?.status === 'found' ? e.resource : undefined)).filter((r) => r !== undefined);
  assert.equal(live.length, 4);
  const report = await diff({ files: { 'main.tf': MINIMAL_HCL }, state: instances, live });
  assert.deepEqual(report.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}`), []);
  assert.ok(report.checked >= 4, 'the blocks were compared');
  assert.ok(!JSON.stringify(live).includes(PASSWORD) && !JSON.stringify(report).includes(PASSWORD), 'the password is neither read nor reported');
  // A hand-made change is still drift under the minimal declaration (the default is compared).
  await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'app-db', DeletionProtection: true, ApplyImmediately: true }));
  try {
    const after = await readLive(env.clients, instances, { declared: false });
    const changed = await diff({ files: { 'main.tf': MINIMAL_HCL }, state: instances, live: instances.map((i) => after.get(i.address)).flatMap((e) => (e?.status === 'found' ? [e.resource] : [])) });
    assert.deepEqual(changed.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}`), ['aws_db_instance.db deletion_protection']);
  } finally {
    await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'app-db', DeletionProtection: false, ApplyImmediately: true }));
  }
});

const versionHcl = (version: string) => `resource "aws_db_instance" "ver" {
  identifier     = "ver-db"
  engine         = "postgres"
  engine_version = "${version}"
  instance_class = "db.t3.micro"
  allocated_storage = 20
  username       = "app"
  password       = "${PASSWORD}"
}
`;

test('a minor engine upgrade AWS made under auto_minor_version_upgrade is a hint naming the setting; a declared major version is no drift; without auto upgrades it is drift', async () => {
  await rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'ver-db', Engine: 'postgres', EngineVersion: '16.2', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, MasterUsername: 'app', MasterUserPassword: PASSWORD,
  }));
  const recorded = [inst('aws_db_instance', 'ver', { identifier: 'ver-db', engine: 'postgres', engine_version: '16.2', instance_class: 'db.t3.micro', allocated_storage: 20, username: 'app', auto_minor_version_upgrade: true })];
  const versionDrift = async (declared: string) => {
    // After apply the provider records the declared version (or prefix) in state.
    const applied = recorded.map((i) => ({ ...i, attributes: { ...i.attributes, engine_version: declared } }));
    const snapshot = await readLive(env.clients, applied, { declared: false });
    const entry = snapshot.get('aws_db_instance.ver');
    assert.equal(entry?.status, 'found');
    const report = await diff({ files: { 'main.tf': versionHcl(declared) }, state: applied, live: entry?.status === 'found' ? [entry.resource] : [] });
    return report.drifts.filter((d) => d.attributePath[0] === 'engine_version');
  };
  assert.deepEqual(await versionDrift('16.2'), []);
  // The maintenance window's upgrade, as AWS makes it.
  await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'ver-db', EngineVersion: '16.4', ApplyImmediately: true }));
  const [owned] = await versionDrift('16.2');
  assert.equal(owned?.suppressed?.source, 'aws');
  assert.equal(owned?.severity, 'hint');
  assert.match(owned?.suppressed?.reason ?? '', /auto_minor_version_upgrade is on, so AWS upgraded postgres from 16.2 to 16.4/);
  assert.deepEqual(await versionDrift('16'), [], 'a declared major version matches any of its minor versions');
  await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'ver-db', AutoMinorVersionUpgrade: false, ApplyImmediately: true }));
  const [plain] = await versionDrift('16.2');
  assert.equal(plain?.suppressed, undefined, 'without automatic minor upgrades the version change is drift');
});

test('one DescribeDBInstances serves both instance types; parameters are read only when declared; a deleted instance is missing', async () => {
  env.sandbox.resetStats();
  await readLive(env.clients, state(), { declared: false });
  let stats = env.sandbox.stats();
  assert.equal(stats['rds:DescribeDBInstances'], 1, 'aws_db_instance and aws_rds_cluster_instance in one call');
  assert.equal(stats['rds:DescribeDBClusters'], 1);
  assert.equal(stats['rds:DescribeDBSubnetGroups'], 1);
  assert.equal(stats['rds:DescribeDBParameters'], 1);
  assert.equal(stats['rds:DescribeDBClusterParameters'], 1);
  // The groups' tags in one Tagging API call (instances and clusters carry theirs); it lists only
  // tagged objects, so each never-tagged group costs one ListTagsForResource.
  assert.equal(stats['tagging:GetResources'], 1);
  assert.equal(stats['rds:ListTagsForResource'], 2, 'the two untagged parameter groups');
  // Declared without `parameter` (needs from the block): no parameter listing at all.
  env.sandbox.resetStats();
  const groups = state().filter((i) => i.type === 'aws_db_parameter_group').map((i) => ({ ...i, attributes: { ...i.attributes, parameter: undefined } }));
  const { LiveReader } = await import('../../server/src/cloud/reader');
  const { RESOURCE_TYPES } = await import('../../server/src/cloud/types');
  await new LiveReader(env.clients, RESOURCE_TYPES).read(groups, { needs: new Map(groups.map((g) => [g.address, new Set(['name', 'family'])])) });
  stats = env.sandbox.stats();
  assert.equal(stats['rds:DescribeDBParameters'], undefined);
  assert.equal(stats['rds:DescribeDBParameterGroups'], 1);

  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'gone-db', Engine: 'mysql', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, MasterUsername: 'a', MasterUserPassword: PASSWORD }));
  await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'gone-db', SkipFinalSnapshot: true }));
  const snapshot = await readLive(env.clients, [inst('aws_db_instance', 'gone', { identifier: 'gone-db', engine: 'mysql' }), ...state()], { declared: false });
  assert.equal(snapshot.get('aws_db_instance.gone')?.status, 'missing');
  assert.equal(snapshot.get('aws_db_instance.db')?.status, 'found');
});

test('the sandbox answers RDS with AWS\'s error codes and hides master passwords in CloudTrail', async () => {
  await assert.rejects(rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'nope', DBInstanceClass: 'db.t3.large' })), { name: 'DBInstanceNotFoundFault' });
  await assert.rejects(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'nope' })), { name: 'DBInstanceNotFoundFault' });
  await assert.rejects(rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'app-db', EngineVersion: '15.7', ApplyImmediately: true })), { name: 'InvalidParameterCombination' });
  await assert.rejects(rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'one-az', DBSubnetGroupDescription: 'x', SubnetIds: [SUBNETS[0]!] })), { name: 'DBSubnetGroupDoesNotCoverEnoughAZs' });
  await assert.rejects(rds.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: 'app-pg16', Parameters: [{ ParameterName: 'shared_preload_libraries', ParameterValue: 'pg_cron', ApplyMethod: 'immediate' }] })), { name: 'InvalidParameterCombination' });
  await assert.rejects(rds.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: 'app-pg16', Parameters: [{ ParameterName: 'no_such_thing', ParameterValue: '1', ApplyMethod: 'immediate' }] })), { name: 'InvalidParameterValue' });
  await assert.rejects(rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'main', DBSubnetGroupDescription: 'x', SubnetIds: SUBNETS })), { name: 'DBSubnetGroupAlreadyExistsFault' });
  const events = env.sandbox.world.events.filter((e) => e.eventSource === 'rds.amazonaws.com');
  const create = events.find((e) => e.eventName === 'CreateDBInstance' && e.resources.some((r) => r.name === 'app-db'));
  assert.ok(create, 'CreateDBInstance is recorded with the instance');
  assert.equal(JSON.parse(create.cloudTrailEvent).requestParameters.masterUserPassword, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.ok(!events.some((e) => e.cloudTrailEvent.includes(PASSWORD)), 'no CloudTrail record holds the password');
  assert.ok(!JSON.stringify(env.sandbox.world.rds).includes(PASSWORD), 'the sandbox does not store the password');
});

test('the Resource Groups Tagging API lists and tags RDS objects by their resource types', async () => {
  const tagging = env.sdk(ResourceGroupsTaggingAPIClient);
  const listed = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['rds:db', 'rds:subgrp'] }));
  const arns = (listed.ResourceTagMappingList ?? []).map((m) => m.ResourceARN).sort();
  assert.deepEqual(arns, [arn('db', 'app-db'), arn('subgrp', 'main')]);
  await tagging.send(new TagResourcesCommand({ ResourceARNList: [arn('cluster-pg', 'aurora-pg15')], Tags: { Team: 'orders' } }));
  const read = await readLive(env.clients, state().filter((i) => i.type === 'aws_rds_cluster_parameter_group'), { declared: false });
  const entry = read.get('aws_rds_cluster_parameter_group.aurora');
  assert.ok(entry?.status === 'found');
  assert.deepEqual(entry.resource.attributes.tags, { Team: 'orders' });
});

test('a cluster in the default VPC (no subnet group named) takes members, which read as found', async () => {
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'plain', Engine: 'aurora-mysql', MasterUsername: 'admin', MasterUserPassword: PASSWORD }));
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'plain-1', DBClusterIdentifier: 'plain', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
  const snapshot = await readLive(env.clients, [inst('aws_rds_cluster_instance', 'plain_1', { identifier: 'plain-1', cluster_identifier: 'plain', engine: 'aurora-mysql' })], { declared: false });
  assert.equal(snapshot.get('aws_rds_cluster_instance.plain_1')?.status, 'found');
});
