// RDS: one unit is a subnet group and parameter group with a PostgreSQL instance on them, and an
// Aurora cluster with its cluster parameter group and one member instance.
import {
  CreateDBClusterCommand, CreateDBClusterParameterGroupCommand, CreateDBInstanceCommand, CreateDBParameterGroupCommand, CreateDBSubnetGroupCommand,
  ModifyDBClusterParameterGroupCommand, ModifyDBParameterGroupCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { clientFor, tagsFor, type SeededBlock, type Seeder } from './seeder';
import { backingNetwork } from './backing';
import { defaultTagsOnly, pages, ref, pick, resourceBlock, slug, tagList, TEAMS } from './block-text';

const INSTANCE_CLASSES = ['db.t3.micro', 'db.t3.small', 'db.m6g.large'];

export const rdsSeeder: Seeder = {
  family: 'rds',
  types: ['aws_db_subnet_group', 'aws_db_parameter_group', 'aws_db_instance', 'aws_rds_cluster_parameter_group', 'aws_rds_cluster', 'aws_rds_cluster_instance'],
  readActions: [
    'rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'rds:DescribeDBSubnetGroups', 'rds:DescribeDBParameterGroups', 'rds:DescribeDBClusterParameterGroups',
    'rds:DescribeDBParameters', 'rds:DescribeDBClusterParameters', 'rds:ListTagsForResource',
  ],

  async seedUnit(target, suffix, random) {
    const rds = clientFor(RDSClient, target);
    const net = await backingNetwork(target);
    const s = slug(suffix);
    const team = pick(TEAMS, random);
    const arn = (kind: string, id: string) => `arn:aws:rds:${target.region}:${target.account}:${kind}:${id}`;
    // Generated at run time: no credential-shaped literal in the repository.
    const password = `bench-${s}-${Math.floor(random() * 1e9).toString(36)}`;
    const subnets = net.subnetIds.slice(0, 2);
    const untagged = defaultTagsOnly();

    const groupName = `bench-${s}`;
    const sg = tagsFor(`bench-dbsubnets-${s}`, { Team: team });
    await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: groupName, DBSubnetGroupDescription: 'Managed by Terraform', SubnetIds: subnets, Tags: tagList(sg.tagsAll) }));

    const pgName = `bench-pg16-${s}`;
    const parameters = [{ name: 'log_min_duration_statement', value: String(500 + Math.floor(random() * 10) * 100), apply_method: 'immediate' }, { name: 'rds.force_ssl', value: '1', apply_method: 'immediate' }];
    await rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: pgName, DBParameterGroupFamily: 'postgres16', Description: 'Managed by Terraform', Tags: tagList(untagged.tagsAll) }));
    await rds.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: pgName, Parameters: parameters.map((p) => ({ ParameterName: p.name, ParameterValue: p.value, ApplyMethod: 'immediate' })) }));

    const dbId = `bench-db-${s}`;
    const instanceClass = pick(INSTANCE_CLASSES, random);
    const db = tagsFor(dbId, { Team: team });
    const created = await rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: dbId, Engine: 'postgres', EngineVersion: '16.3', DBInstanceClass: instanceClass, AllocatedStorage: 20, StorageType: 'gp3',
      MasterUsername: 'app', MasterUserPassword: password, DBName: 'app', DBSubnetGroupName: groupName, VpcSecurityGroupIds: [net.securityGroupId], DBParameterGroupName: pgName,
      BackupRetentionPeriod: 7, PreferredBackupWindow: '03:00-03:30', PreferredMaintenanceWindow: 'mon:04:00-mon:04:30', StorageEncrypted: true,
      CopyTagsToSnapshot: true, AutoMinorVersionUpgrade: true, PubliclyAccessible: false, Tags: tagList(db.tagsAll),
    }));
    const dbi = created.DBInstance!;

    const cpgName = `bench-aurora-pg15-${s}`;
    await rds.send(new CreateDBClusterParameterGroupCommand({ DBClusterParameterGroupName: cpgName, DBParameterGroupFamily: 'aurora-postgresql15', Description: 'Managed by Terraform', Tags: tagList(untagged.tagsAll) }));
    await rds.send(new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: cpgName, Parameters: [{ ParameterName: 'log_statement', ParameterValue: 'ddl', ApplyMethod: 'immediate' }] }));

    const clusterId = `bench-aurora-${s}`;
    const cl = tagsFor(clusterId, { Team: team });
    const cluster = (await rds.send(new CreateDBClusterCommand({
      DBClusterIdentifier: clusterId, Engine: 'aurora-postgresql', EngineVersion: '15.4', DatabaseName: 'orders', MasterUsername: 'orders', MasterUserPassword: password,
      BackupRetentionPeriod: 5, PreferredBackupWindow: '02:00-02:30', PreferredMaintenanceWindow: 'tue:05:00-tue:05:30', DBSubnetGroupName: groupName,
      VpcSecurityGroupIds: [net.securityGroupId], DBClusterParameterGroupName: cpgName, Tags: tagList(cl.tagsAll),
    }))).DBCluster!;
    const memberId = `${clusterId}-1`;
    const member = (await rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: memberId, DBClusterIdentifier: clusterId, Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', PromotionTier: 0,
      PreferredMaintenanceWindow: 'wed:06:00-wed:06:30', PubliclyAccessible: false, AutoMinorVersionUpgrade: true, Tags: tagList(cl.tagsAll),
    }))).DBInstance!;

    const n = {
      subnets: `db_subnets_${suffix}`, pg: `db_params_${suffix}`, db: `db_${suffix}`, cpg: `cluster_params_${suffix}`, cluster: `aurora_${suffix}`, member: `aurora_member_${suffix}`,
    };
    const blocks: SeededBlock[] = [
      {
        type: 'aws_db_subnet_group', name: n.subnets,
        hcl: resourceBlock('aws_db_subnet_group', n.subnets, [['name', groupName], ['subnet_ids', subnets], ['tags', sg.tags]]),
        attributes: {
          id: groupName, name: groupName, name_prefix: '', description: 'Managed by Terraform', subnet_ids: subnets, arn: arn('subgrp', groupName),
          vpc_id: net.vpcId, supported_network_types: ['IPV4'], tags: sg.tags, tags_all: sg.tagsAll,
        },
      },
      {
        type: 'aws_db_parameter_group', name: n.pg,
        hcl: resourceBlock('aws_db_parameter_group', n.pg, [
          ['name', pgName], ['family', 'postgres16'],
          ...parameters.map((p) => ({ block: 'parameter', body: [['name', p.name], ['value', p.value], ['apply_method', p.apply_method]] as Array<[string, unknown]> })),
        ]),
        attributes: {
          id: pgName, name: pgName, name_prefix: '', family: 'postgres16', description: 'Managed by Terraform', parameter: parameters, arn: arn('pg', pgName),
          skip_destroy: false, tags: {}, tags_all: untagged.tagsAll,
        },
      },
      {
        type: 'aws_db_instance', name: n.db,
        hcl: resourceBlock('aws_db_instance', n.db, [
          ['identifier', dbId], ['engine', 'postgres'], ['engine_version', '16.3'], ['instance_class', instanceClass], ['allocated_storage', 20], ['storage_type', 'gp3'],
          ['username', 'app'], ['password', password], ['db_name', 'app'],
          ['db_subnet_group_name', ref(`aws_db_subnet_group.${n.subnets}.name`)], ['vpc_security_group_ids', [net.securityGroupId]],
          ['parameter_group_name', ref(`aws_db_parameter_group.${n.pg}.name`)],
          ['backup_retention_period', 7], ['backup_window', '03:00-03:30'], ['maintenance_window', 'mon:04:00-mon:04:30'],
          ['storage_encrypted', true], ['copy_tags_to_snapshot', true], ['skip_final_snapshot', true], ['tags', db.tags],
        ]),
        attributes: {
          id: dbi.DbiResourceId ?? dbId, resource_id: dbi.DbiResourceId ?? '', identifier: dbId, identifier_prefix: '', engine: 'postgres', engine_version: '16.3', engine_version_actual: dbi.EngineVersion ?? '16.3',
          instance_class: instanceClass, allocated_storage: 20, max_allocated_storage: 0, storage_type: 'gp3', iops: dbi.Iops ?? 0, storage_throughput: dbi.StorageThroughput ?? 0,
          multi_az: false, publicly_accessible: false, backup_retention_period: 7, backup_window: '03:00-03:30', maintenance_window: 'mon:04:00-mon:04:30',
          deletion_protection: false, db_subnet_group_name: groupName, vpc_security_group_ids: [net.securityGroupId], parameter_group_name: pgName, storage_encrypted: true,
          kms_key_id: dbi.KmsKeyId ?? '', iam_database_authentication_enabled: false, performance_insights_enabled: false, copy_tags_to_snapshot: true,
          auto_minor_version_upgrade: true, monitoring_interval: 0, username: 'app', db_name: 'app', password, port: dbi.Endpoint?.Port ?? 5432,
          ca_cert_identifier: dbi.CACertificateIdentifier ?? '', enabled_cloudwatch_logs_exports: [], skip_final_snapshot: true, apply_immediately: false,
          arn: arn('db', dbId), tags: db.tags, tags_all: db.tagsAll,
        },
        dependencies: [`aws_db_parameter_group.${n.pg}`, `aws_db_subnet_group.${n.subnets}`],
      },
      {
        type: 'aws_rds_cluster_parameter_group', name: n.cpg,
        hcl: resourceBlock('aws_rds_cluster_parameter_group', n.cpg, [
          ['name', cpgName], ['family', 'aurora-postgresql15'], { block: 'parameter', body: [['name', 'log_statement'], ['value', 'ddl'], ['apply_method', 'immediate']] },
        ]),
        attributes: {
          id: cpgName, name: cpgName, name_prefix: '', family: 'aurora-postgresql15', description: 'Managed by Terraform',
          parameter: [{ name: 'log_statement', value: 'ddl', apply_method: 'immediate' }], arn: arn('cluster-pg', cpgName), tags: {}, tags_all: untagged.tagsAll,
        },
      },
      {
        type: 'aws_rds_cluster', name: n.cluster,
        hcl: resourceBlock('aws_rds_cluster', n.cluster, [
          ['cluster_identifier', clusterId], ['engine', 'aurora-postgresql'], ['engine_version', '15.4'], ['database_name', 'orders'], ['master_username', 'orders'],
          ['master_password', password], ['backup_retention_period', 5], ['preferred_backup_window', '02:00-02:30'], ['preferred_maintenance_window', 'tue:05:00-tue:05:30'],
          ['db_subnet_group_name', ref(`aws_db_subnet_group.${n.subnets}.name`)], ['vpc_security_group_ids', [net.securityGroupId]],
          ['db_cluster_parameter_group_name', ref(`aws_rds_cluster_parameter_group.${n.cpg}.name`)], ['skip_final_snapshot', true], ['tags', cl.tags],
        ]),
        attributes: {
          id: clusterId, cluster_identifier: clusterId, cluster_identifier_prefix: '', cluster_resource_id: cluster.DbClusterResourceId ?? '', engine: 'aurora-postgresql', engine_mode: 'provisioned',
          engine_version: '15.4', engine_version_actual: cluster.EngineVersion ?? '15.4', database_name: 'orders', master_username: 'orders', master_password: password,
          port: cluster.Port ?? 5432, backup_retention_period: 5, preferred_backup_window: '02:00-02:30', preferred_maintenance_window: 'tue:05:00-tue:05:30',
          db_subnet_group_name: groupName, vpc_security_group_ids: [net.securityGroupId], db_cluster_parameter_group_name: cpgName, storage_encrypted: cluster.StorageEncrypted ?? false,
          kms_key_id: cluster.KmsKeyId ?? '', deletion_protection: false, iam_database_authentication_enabled: false, copy_tags_to_snapshot: false,
          enabled_cloudwatch_logs_exports: [], availability_zones: cluster.AvailabilityZones ?? [], cluster_members: [memberId], skip_final_snapshot: true,
          arn: arn('cluster', clusterId), tags: cl.tags, tags_all: cl.tagsAll,
        },
        dependencies: [`aws_db_subnet_group.${n.subnets}`, `aws_rds_cluster_parameter_group.${n.cpg}`],
      },
      {
        type: 'aws_rds_cluster_instance', name: n.member,
        hcl: resourceBlock('aws_rds_cluster_instance', n.member, [
          ['identifier', memberId], ['cluster_identifier', ref(`aws_rds_cluster.${n.cluster}.id`)], ['engine', 'aurora-postgresql'], ['instance_class', 'db.r6g.large'],
          ['preferred_maintenance_window', 'wed:06:00-wed:06:30'], ['tags', cl.tags],
        ]),
        attributes: {
          id: memberId, identifier: memberId, identifier_prefix: '', cluster_identifier: clusterId, engine: 'aurora-postgresql', engine_version: member.EngineVersion ?? '15.4',
          engine_version_actual: member.EngineVersion ?? '15.4', instance_class: 'db.r6g.large', publicly_accessible: false, db_subnet_group_name: groupName,
          db_parameter_group_name: member.DBParameterGroups?.[0]?.DBParameterGroupName ?? 'default.aurora-postgresql15', auto_minor_version_upgrade: true, monitoring_interval: 0,
          performance_insights_enabled: false, promotion_tier: 0, preferred_maintenance_window: 'wed:06:00-wed:06:30', preferred_backup_window: '02:00-02:30',
          ca_cert_identifier: member.CACertificateIdentifier ?? '', copy_tags_to_snapshot: false, arn: arn('db', memberId), tags: cl.tags, tags_all: cl.tagsAll,
        },
        dependencies: [`aws_rds_cluster.${n.cluster}`],
      },
    ];
    return blocks;
  },

  lowerBound(byType) {
    const instances = (byType.aws_db_instance ?? 0) + (byType.aws_rds_cluster_instance ?? 0);
    return {
      // One DescribeDBInstances family read (100 a page) serves both instance types.
      'rds:DescribeDBInstances': pages(instances, 100),
      'rds:DescribeDBClusters': pages(byType.aws_rds_cluster, 100),
      'rds:DescribeDBSubnetGroups': pages(byType.aws_db_subnet_group, 100),
      'rds:DescribeDBParameterGroups': pages(byType.aws_db_parameter_group, 100),
      'rds:DescribeDBClusterParameterGroups': pages(byType.aws_rds_cluster_parameter_group, 100),
      // A group's parameters have no batch read across groups: one user-source listing per group
      // (every seeded group declares `parameter`, and sets fewer than 100).
      'rds:DescribeDBParameters': byType.aws_db_parameter_group ?? 0,
      'rds:DescribeDBClusterParameters': byType.aws_rds_cluster_parameter_group ?? 0,
    };
  },
};
