// aws_rds_cluster ↔ the DescribeDBClusters family (100 identifiers a call, tags included).
// Identified, as in Terraform, by the cluster identifier. Writers: ModifyDBCluster with
// ApplyImmediately, tags by ARN.
//
// Unset Optional+Computed arguments (windows, port, subnet and parameter group, security groups,
// encryption) take what AWS chose and are compared only when declared. `master_password` is
// write-only: never read, compared or shown. `cluster_members` and `availability_zones` are not
// compared: members are the aws_rds_cluster_instance resources', and AWS fills in zones on its
// own (the provider's documentation tells users to ignore changes to them).
// Engine version: as aws_db_instance — a declared prefix of the running version is no drift, and
// a newer minor version while auto minor upgrades are on is AWS's own (a hint).
import { ModifyDBClusterCommand, type DBCluster, type ModifyDBClusterCommandInput } from '@aws-sdk/client-rds';
import { DB_CLUSTER_KEY, dbClustersFamily } from '../families/rds-databases';
import { member } from '../families/family';
import { type ArgumentKind, wireArgument } from './wire-argument';
import { bool, cannotRevert, foundEntry, labelFrom, missingEntry, num, unknownEntry, userTags } from './common';
import { engineVersionWrite, logExportsWrite, lowerCase, lowerId, minorUpgradeOwner, recordedEngineVersion, revertServiceTags } from './rds-common';
import type { ResourceType } from './resource-type';

interface ClusterArg {
  name: string;
  kind: ArgumentKind;
  live: (c: DBCluster) => unknown;
  param?: keyof ModifyDBClusterCommandInput;
}

const ARGS: ClusterArg[] = [
  { name: 'engine_mode', kind: 'string', live: (c) => c.EngineMode ?? 'provisioned' },
  { name: 'database_name', kind: 'string', live: (c) => c.DatabaseName ?? null },
  { name: 'master_username', kind: 'string', live: (c) => c.MasterUsername ?? null },
  { name: 'port', kind: 'int', live: (c) => c.Port ?? null, param: 'Port' },
  { name: 'backup_retention_period', kind: 'int', live: (c) => c.BackupRetentionPeriod ?? null, param: 'BackupRetentionPeriod' },
  { name: 'preferred_backup_window', kind: 'string', live: (c) => c.PreferredBackupWindow ?? null, param: 'PreferredBackupWindow' },
  { name: 'preferred_maintenance_window', kind: 'string', live: (c) => c.PreferredMaintenanceWindow ?? null, param: 'PreferredMaintenanceWindow' },
  { name: 'db_subnet_group_name', kind: 'string', live: (c) => c.DBSubnetGroup ?? null },
  { name: 'vpc_security_group_ids', kind: 'strings', live: (c) => (c.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId).filter(Boolean), param: 'VpcSecurityGroupIds' },
  { name: 'db_cluster_parameter_group_name', kind: 'string', live: (c) => c.DBClusterParameterGroup ?? null, param: 'DBClusterParameterGroupName' },
  { name: 'storage_encrypted', kind: 'bool', live: (c) => c.StorageEncrypted ?? false },
  { name: 'kms_key_id', kind: 'string', live: (c) => c.KmsKeyId ?? null },
  { name: 'deletion_protection', kind: 'bool', live: (c) => c.DeletionProtection ?? false, param: 'DeletionProtection' },
  { name: 'iam_database_authentication_enabled', kind: 'bool', live: (c) => c.IAMDatabaseAuthenticationEnabled ?? false, param: 'EnableIAMDatabaseAuthentication' },
  { name: 'copy_tags_to_snapshot', kind: 'bool', live: (c) => c.CopyTagsToSnapshot ?? false, param: 'CopyTagsToSnapshot' },
  { name: 'enabled_cloudwatch_logs_exports', kind: 'strings', live: (c) => c.EnabledCloudwatchLogsExports ?? [] },
];

export const awsRdsCluster: ResourceType = {
  type: 'aws_rds_cluster',
  tags: true,
  taggingType: 'rds:cluster',
  attributes: [
    { name: 'cluster_identifier', compare: 'scalar', forceNew: true },
    { name: 'engine', compare: 'scalar', forceNew: true },
    { name: 'engine_mode', compare: 'scalar', default: 'provisioned', forceNew: true },
    { name: 'engine_version', compare: 'scalar' },
    { name: 'database_name', compare: 'scalar', forceNew: true },
    { name: 'master_username', compare: 'scalar', forceNew: true },
    { name: 'port', compare: 'scalar' },
    { name: 'backup_retention_period', compare: 'scalar', default: 1 },
    { name: 'preferred_backup_window', compare: 'scalar' },
    { name: 'preferred_maintenance_window', compare: 'scalar', normalize: lowerCase },
    { name: 'db_subnet_group_name', compare: 'scalar', normalize: lowerCase, forceNew: true },
    { name: 'vpc_security_group_ids', compare: 'set', severity: 'warning' },
    { name: 'db_cluster_parameter_group_name', compare: 'scalar', normalize: lowerCase },
    { name: 'storage_encrypted', compare: 'scalar', forceNew: true, severity: 'warning' },
    { name: 'kms_key_id', compare: 'scalar', forceNew: true },
    { name: 'deletion_protection', compare: 'scalar', default: false },
    { name: 'iam_database_authentication_enabled', compare: 'scalar', default: false },
    { name: 'copy_tags_to_snapshot', compare: 'scalar', default: false },
    { name: 'enabled_cloudwatch_logs_exports', compare: 'set', default: [] },
  ],
  notCompared: {
    master_password: 'write-only: AWS never returns it; Tidemark never reads, compares or shows it',
    manage_master_user_password: 'write-only switch; the secret it creates is Secrets Manager\'s',
    cluster_members: 'the aws_rds_cluster_instance resources\' (Optional+Computed; the provider documents ignoring it)',
    availability_zones: 'AWS adds zones on its own (the provider documents ignoring changes to it)',
    apply_immediately: 'Terraform-side: when a change is applied',
    allow_major_version_upgrade: 'Terraform-side: permission for an upgrade',
    skip_final_snapshot: 'Terraform-side: what destroy does',
    final_snapshot_identifier: 'Terraform-side: what destroy does',
    snapshot_identifier: 'a creation input',
    global_cluster_identifier: 'not read yet',
    serverlessv2_scaling_configuration: 'not read yet',
    scaling_configuration: 'not read yet',
    cluster_identifier_prefix: 'a Terraform-side naming input; the identifier it produced is compared',
    engine_version_actual: 'computed: the running version (compared through engine_version)',
    arn: 'computed by AWS', endpoint: 'computed by AWS', reader_endpoint: 'computed by AWS', hosted_zone_id: 'computed by AWS', cluster_resource_id: 'computed by AWS',
  },
  idFromState: (a) => lowerId(a.cluster_identifier) ?? lowerId(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:rds:[^:]+:\d{12}:cluster:(.+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  family: member<DBCluster>(dbClustersFamily, {
    keys: (t) => [{ filter: DB_CLUSTER_KEY, value: t.id }],
    pick(t, rows, ctx) {
      const found = rows.lookup({ filter: DB_CLUSTER_KEY, value: t.id });
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const c = found.items[0];
      if (!c) return missingEntry(ctx, t.id, `DB cluster ${t.id} does not exist`);
      const recorded = t.state.attributes;
      const attributes: Record<string, unknown> = {
        cluster_identifier: c.DBClusterIdentifier, engine: c.Engine ?? null,
        engine_version: recordedEngineVersion(recorded.engine_version, c.EngineVersion), engine_version_actual: c.EngineVersion ?? null,
        tags: userTags(c.TagList),
      };
      for (const a of ARGS) attributes[a.name] = a.live(c);
      const entry = foundEntry(t, 'aws_rds_cluster', ctx, attributes, { arn: c.DBClusterArn });
      const owner = minorUpgradeOwner(c.Engine ?? '', recorded.engine_version, c.EngineVersion, c.AutoMinorVersionUpgrade ?? true);
      if (owner && entry.status === 'found') entry.resource.ownedAttributes = { engine_version: owner };
      return entry;
    },
  }),

  async revert(request, clients) {
    const { attribute, declared, id, live } = request;
    if (attribute === 'tags') return revertServiceTags(request, clients, 'rds', live.arn);
    const input: ModifyDBClusterCommandInput = { DBClusterIdentifier: id, ApplyImmediately: true };
    if (attribute === 'engine_version') {
      const write = engineVersionWrite(declared, String(live.attributes.engine_version_actual ?? ''), request.state.attributes);
      if ('ok' in write) return write;
      Object.assign(input, write);
    } else if (attribute === 'enabled_cloudwatch_logs_exports') {
      input.CloudwatchLogsExportConfiguration = logExportsWrite(declared, live.attributes.enabled_cloudwatch_logs_exports);
    } else {
      const a = ARGS.find((x) => x.name === attribute);
      if (!a?.param) return cannotRevert(attribute);
      const value = wireArgument(a.kind, declared);
      if (value === undefined) return { ok: false, message: `declared ${attribute} has the wrong type` };
      Object.assign(input, { [a.param]: value });
    }
    await clients.gate.call('rds:ModifyDBCluster', () => clients.rds.send(new ModifyDBClusterCommand(input)));
    return { ok: true, message: `${attribute} written back with ModifyDBCluster (applied immediately)` };
  },
};
