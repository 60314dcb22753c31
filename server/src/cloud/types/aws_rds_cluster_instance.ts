// aws_rds_cluster_instance ↔ the DescribeDBInstances family (a cluster member is a DB instance:
// one call serves both instance types). Storage, backups, security groups and credentials belong
// to the cluster (aws_rds_cluster); the instance has its class, placement and monitoring.
// Writers: ModifyDBInstance with ApplyImmediately, tags by ARN.
import { lowerCase, lowerId } from './rds-common';
import { labelFrom } from './common';
import { arg, COMMON_ARGS, instanceMember, modifyInstance, type InstanceArg } from './rds-instance-common';
import type { ResourceType } from './resource-type';

const ARGS: InstanceArg[] = [
  ...COMMON_ARGS,
  arg('cluster_identifier', 'string', (i) => i.DBClusterIdentifier ?? null),
  arg('db_subnet_group_name', 'string', (i) => i.DBSubnetGroup?.DBSubnetGroupName ?? null),
  arg('db_parameter_group_name', 'string', (i) => i.DBParameterGroups?.[0]?.DBParameterGroupName ?? null, 'DBParameterGroupName'),
  arg('promotion_tier', 'int', (i) => i.PromotionTier ?? 0, 'PromotionTier'),
  arg('preferred_maintenance_window', 'string', (i) => i.PreferredMaintenanceWindow ?? null, 'PreferredMaintenanceWindow'),
];

export const awsRdsClusterInstance: ResourceType = {
  type: 'aws_rds_cluster_instance',
  tags: true,
  attributes: [
    { name: 'identifier', compare: 'scalar', forceNew: true },
    { name: 'cluster_identifier', compare: 'scalar', normalize: lowerCase, forceNew: true },
    { name: 'engine', compare: 'scalar', forceNew: true },
    { name: 'engine_version', compare: 'scalar' },
    { name: 'instance_class', compare: 'scalar' },
    { name: 'publicly_accessible', compare: 'scalar', default: false, severity: 'warning' },
    { name: 'db_subnet_group_name', compare: 'scalar', normalize: lowerCase, forceNew: true },
    { name: 'db_parameter_group_name', compare: 'scalar', normalize: lowerCase },
    { name: 'auto_minor_version_upgrade', compare: 'scalar', default: true },
    { name: 'monitoring_interval', compare: 'scalar', default: 0 },
    { name: 'performance_insights_enabled', compare: 'scalar' },
    { name: 'promotion_tier', compare: 'scalar', default: 0 },
    { name: 'preferred_maintenance_window', compare: 'scalar', normalize: lowerCase },
    { name: 'ca_cert_identifier', compare: 'scalar' },
    { name: 'copy_tags_to_snapshot', compare: 'scalar', default: false },
  ],
  notCompared: {
    apply_immediately: 'Terraform-side: when a change is applied',
    identifier_prefix: 'a Terraform-side naming input; the identifier it produced is compared',
    availability_zone: 'placement AWS chooses unless declared; it cannot change in place',
    preferred_backup_window: 'the cluster\'s (a member reports it; it is written on aws_rds_cluster)',
    monitoring_role_arn: 'not read yet',
    performance_insights_kms_key_id: 'not read yet',
    performance_insights_retention_period: 'not read yet',
    custom_iam_instance_profile: 'not read yet',
    engine_version_actual: 'computed: the running version (compared through engine_version)',
    arn: 'computed by AWS', endpoint: 'computed by AWS', port: 'the cluster\'s', writer: 'changes on failover', dbi_resource_id: 'computed by AWS',
    kms_key_id: 'the cluster\'s', storage_encrypted: 'the cluster\'s', network_type: 'not read yet',
  },
  idFromState: (a) => lowerId(a.identifier) ?? lowerId(a.id),
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  family: instanceMember('aws_rds_cluster_instance', () => ({}), ARGS),

  revert: (request, clients) => modifyInstance(clients, request, ARGS),
};
