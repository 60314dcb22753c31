// RDS DB instances and DB clusters (query protocol, Version 2014-10-31): create, describe (by
// identifier or by `db-instance-id`/`db-cluster-id` filters, Marker pagination), modify (changes
// without ApplyImmediately wait as pending modified values, as on AWS), delete, with RDS's error
// codes. Master passwords are checked and dropped: never stored, never returned, and hidden in
// CloudTrail the way AWS hides them.
import { randomBytes } from 'node:crypto';
import type { CallContext } from '../../context';
import { ApiError, notFound } from '../../errors';
import { trailParameters, type QueryParams } from '../../protocol/query-xml';
import { items, node, type XmlNode } from '../../xml';
import { compareVersions, ENGINES, type EngineInfo } from './catalog';
import { parameterGroupFor, subnetGroupFor, subnetGroupNode } from './groups';
import { rdsArn, rdsOf, type RdsCluster, type RdsDbInstance } from './model';
import { dailyWindow, filtersParam, invalidCombination, invalidValue, maintenanceWindow, pageOf, stringList, tagListNode, tagsParam } from './shapes';

type Handler = (ctx: CallContext, params: QueryParams) => XmlNode[];

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const STORAGE_TYPES = new Set(['standard', 'gp2', 'gp3', 'io1', 'io2']);
const MONITORING_INTERVALS = new Set([0, 1, 5, 10, 15, 30, 60]);
const key = (ctx: CallContext, id: string): string => `${ctx.region}/${id.toLowerCase()}`;
const resourceId = (prefix: string): string => `${prefix}-${randomBytes(13).toString('base64').replace(/[^A-Z0-9]/gi, '').toUpperCase().slice(0, 26).padEnd(26, 'A')}`;

/** CloudTrail's request parameters with the master password hidden, as AWS records them. */
function hidePassword(ctx: CallContext, params: QueryParams): void {
  const recorded = trailParameters(params);
  if ('masterUserPassword' in recorded) recorded.masterUserPassword = HIDDEN;
  ctx.trail.requestParameters = recorded;
}

function checkPassword(params: QueryParams): void {
  const password = params.get('MasterUserPassword');
  if (password === undefined) return;
  if (password.length < 8 || password.length > 128 || /[/"@\s]/.test(password)) {
    throw invalidValue('The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides \'/\', \'@\', \'"\', \' \' may be used.');
  }
}

function engineOf(name: string): EngineInfo {
  const e = ENGINES[name];
  if (!e) throw invalidValue(`Invalid DB engine: ${name}`);
  return e;
}

function checkIdentifier(id: string, what: string): string {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(id) || id.endsWith('-') || id.includes('--')) {
    throw invalidValue(`The parameter ${what} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`);
  }
  return id.toLowerCase();
}

function checkVersion(engine: EngineInfo, engineName: string, version: string): string {
  if (!/^\d+(\.[\w]+)*$/.test(version)) throw invalidValue(`Cannot find version ${version} for ${engineName}`);
  return version;
}

/** The security groups named, which must exist in the subnet group's VPC. */
function securityGroups(ctx: CallContext, ids: string[], vpcId: string): string[] {
  for (const id of ids) {
    const sg = ctx.world.securityGroups[id];
    if (!sg || sg.region !== ctx.region) throw invalidValue(`Invalid security group , groupId= ${id}, groupName=.`);
    if (sg.vpcId !== vpcId) throw invalidCombination(`The DB instance and EC2 security group are in different VPCs. The DB instance is in ${vpcId} and the EC2 security group is in ${sg.vpcId}`);
  }
  return [...new Set(ids)];
}

/** The region's default VPC security group when none is named. */
function defaultSecurityGroup(ctx: CallContext, vpcId: string): string[] {
  const sg = Object.values(ctx.world.securityGroups).find((g) => g.region === ctx.region && g.vpcId === vpcId && g.name === 'default');
  return sg ? [sg.id] : [];
}

// ---- DB instances ----

function instanceFor(ctx: CallContext, id: string, action: string, record = true): RdsDbInstance {
  const lower = id.toLowerCase();
  const arn = rdsArn(ctx.world, ctx.region, 'db', lower);
  if (record) ctx.trail.resources.push({ type: 'AWS::RDS::DBInstance', name: lower, arn });
  ctx.authorize(action, arn);
  const i = rdsOf(ctx.world).instances[key(ctx, lower)];
  if (!i) throw notFound('DBInstanceNotFound', `DBInstance ${id} not found.`);
  return i;
}

function clusterFor(ctx: CallContext, id: string, action: string, record = true): RdsCluster {
  const lower = id.toLowerCase();
  const arn = rdsArn(ctx.world, ctx.region, 'cluster', lower);
  if (record) ctx.trail.resources.push({ type: 'AWS::RDS::DBCluster', name: lower, arn });
  ctx.authorize(action, arn);
  const c = rdsOf(ctx.world).clusters[key(ctx, lower)];
  if (!c) throw notFound('DBClusterNotFoundFault', `DBCluster ${id} not found.`);
  return c;
}

function instanceNode(ctx: CallContext, i: RdsDbInstance): XmlNode {
  const subnetGroup = rdsOf(ctx.world).subnetGroups[key(ctx, i.subnetGroupName)];
  const pending = Object.entries(i.pending).map(([k, v]) => node(k, v));
  return node('DBInstance', [
    node('DBInstanceIdentifier', i.identifier), node('DBInstanceClass', i.instanceClass), node('Engine', i.engine), node('DBInstanceStatus', 'available'),
    node('MasterUsername', i.masterUsername), node('DBName', i.dbName),
    node('Endpoint', [node('Address', `${i.identifier}.c0abcdefghij.${i.region}.rds.amazonaws.com`), node('Port', i.port), node('HostedZoneId', 'Z2R2ITUGPM61AM')]),
    node('AllocatedStorage', i.allocatedStorage), node('InstanceCreateTime', i.createTime),
    node('PreferredBackupWindow', i.backupWindow), node('BackupRetentionPeriod', i.backupRetentionPeriod),
    node('VpcSecurityGroups', items('VpcSecurityGroupMembership', i.vpcSecurityGroupIds, (id) => [node('VpcSecurityGroupId', id), node('Status', 'active')])),
    node('DBParameterGroups', [node('DBParameterGroup', [node('DBParameterGroupName', i.parameterGroupName), node('ParameterApplyStatus', 'in-sync')])]),
    node('AvailabilityZone', i.availabilityZone),
    subnetGroup ? subnetGroupNode(ctx, subnetGroup) : undefined,
    node('PreferredMaintenanceWindow', i.maintenanceWindow),
    node('PendingModifiedValues', pending),
    node('MultiAZ', i.multiAz), node('EngineVersion', i.engineVersion), node('AutoMinorVersionUpgrade', i.autoMinorVersionUpgrade),
    node('PubliclyAccessible', i.publiclyAccessible), node('StorageType', i.storageType), node('Iops', i.iops), node('StorageThroughput', i.storageThroughput),
    node('DbInstancePort', 0), node('DBClusterIdentifier', i.clusterIdentifier),
    node('StorageEncrypted', i.storageEncrypted), node('KmsKeyId', i.kmsKeyId), node('DbiResourceId', i.resourceId),
    node('CACertificateIdentifier', i.caCertificate), node('CopyTagsToSnapshot', i.copyTagsToSnapshot),
    node('MonitoringInterval', i.monitoringInterval), node('MonitoringRoleArn', i.monitoringRoleArn), node('PromotionTier', i.promotionTier),
    node('DBInstanceArn', rdsArn(ctx.world, i.region, 'db', i.identifier)),
    node('IAMDatabaseAuthenticationEnabled', i.iamAuth), node('PerformanceInsightsEnabled', i.performanceInsights),
    i.cloudwatchLogsExports.length ? stringList('EnabledCloudwatchLogsExports', 'member', i.cloudwatchLogsExports) : undefined,
    node('DeletionProtection', i.deletionProtection), node('MaxAllocatedStorage', i.maxAllocatedStorage),
    tagListNode(i.tags),
  ].filter((n): n is XmlNode => n !== undefined));
}

/** Settings ModifyDBInstance applies at once, or (without ApplyImmediately) at the next maintenance window. */
const DEFERRED: Record<string, keyof RdsDbInstance> = {
  DBInstanceClass: 'instanceClass', AllocatedStorage: 'allocatedStorage', EngineVersion: 'engineVersion', MultiAZ: 'multiAz',
  StorageType: 'storageType', Iops: 'iops', StorageThroughput: 'storageThroughput', DBPortNumber: 'port',
};

function checkStorage(storageType: string, allocated: number | undefined, iops: number | undefined): void {
  if (!STORAGE_TYPES.has(storageType)) throw invalidValue(`Invalid storage type: ${storageType}`);
  if (allocated !== undefined && (allocated < 20 || allocated > 65536)) throw invalidValue(`Invalid storage size for engine: ${allocated}. Must be between 20 and 65536 GiB.`);
  if ((storageType === 'io1' || storageType === 'io2') && iops === undefined) throw invalidCombination(`Iops must be specified for storage type ${storageType}.`);
  if (iops !== undefined && (storageType === 'standard' || storageType === 'gp2')) throw invalidCombination(`Invalid storage type for DB instance: ${storageType} does not support IOPS.`);
}

function checkMonitoring(interval: number | undefined, role: string | undefined): void {
  if (interval === undefined) return;
  if (!MONITORING_INTERVALS.has(interval)) throw invalidValue(`Invalid MonitoringInterval ${interval}. Valid values: 0, 1, 5, 10, 15, 30, 60.`);
  if (interval > 0 && !role) throw invalidCombination('A MonitoringRoleARN value is required if you specify a MonitoringInterval value other than 0.');
}

const instanceOperations: Record<string, Handler> = {
  CreateDBInstance(ctx, params) {
    hidePassword(ctx, params);
    const id = checkIdentifier(params.required('DBInstanceIdentifier'), 'DBInstanceIdentifier');
    const arn = rdsArn(ctx.world, ctx.region, 'db', id);
    ctx.trail.resources.push({ type: 'AWS::RDS::DBInstance', name: id, arn });
    ctx.authorize('rds:CreateDBInstance', arn);
    const state = rdsOf(ctx.world);
    if (state.instances[key(ctx, id)]) throw new ApiError('DBInstanceAlreadyExists', 'DB instance already exists', 400);
    const instanceClass = params.required('DBInstanceClass');
    if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceClass)) throw invalidValue(`Invalid DB Instance class: ${instanceClass}`);
    const engineName = params.required('Engine');
    const engine = engineOf(engineName);
    checkPassword(params);
    const clusterId = params.get('DBClusterIdentifier');
    const cluster = clusterId !== undefined ? clusterFor(ctx, clusterId, 'rds:CreateDBInstance', false) : undefined;
    if (engine.cluster && !cluster) throw invalidValue(`The DBClusterIdentifier parameter is required for engine ${engineName}.`);
    if (cluster) {
      if (cluster.engine !== engineName) throw invalidCombination(`The engine name requested for your DB instance (${engineName}) doesn't match the engine name of your DB cluster (${cluster.engine}).`);
      for (const p of ['MasterUsername', 'MasterUserPassword', 'AllocatedStorage', 'BackupRetentionPeriod', 'PreferredBackupWindow', 'StorageEncrypted']) {
        if (params.has(p)) throw invalidCombination(`The requested DB Instance will be a member of a DB Cluster. Set ${p} for the DB Cluster.`);
      }
      if (params.has('VpcSecurityGroupIds.VpcSecurityGroupId.1')) throw invalidCombination('The requested DB Instance will be a member of a DB Cluster. Set the VPC security groups for the DB Cluster.');
    } else {
      if (!params.get('MasterUsername')) throw invalidValue('The parameter MasterUsername must be provided and must not be blank.');
      if (!params.get('MasterUserPassword') && !params.bool('ManageMasterUserPassword')) throw invalidValue('The parameter MasterUserPassword must be provided and must not be blank.');
    }
    const version = checkVersion(engine, engineName, params.get('EngineVersion') ?? cluster?.engineVersion ?? engine.defaultVersion);
    // `default` is the default VPC's implicit group, not a subnet group one can name.
    const inherited = cluster && cluster.subnetGroupName !== 'default' ? cluster.subnetGroupName : '';
    const subnetGroupName = (params.get('DBSubnetGroupName') ?? inherited).toLowerCase();
    const subnetGroup = subnetGroupName ? subnetGroupFor(ctx, subnetGroupName, 'rds:CreateDBInstance', false) : undefined;
    if (cluster && subnetGroup && subnetGroup.name !== cluster.subnetGroupName) throw invalidCombination('The DB subnet group of a cluster member must be the cluster\'s.');
    const vpcId = subnetGroup?.vpcId ?? Object.values(ctx.world.vpcs).find((v) => v.region === ctx.region && v.isDefault)?.id ?? '';
    const sgIds = params.list('VpcSecurityGroupIds.VpcSecurityGroupId');
    const vpcSecurityGroupIds = cluster ? cluster.vpcSecurityGroupIds : sgIds.length ? securityGroups(ctx, sgIds, vpcId) : defaultSecurityGroup(ctx, vpcId);
    const parameterGroupName = parameterGroupFor(ctx, 'db', params.get('DBParameterGroupName') ?? `default.${engine.family(version)}`, 'rds:CreateDBInstance', false).name;
    const storageType = params.get('StorageType') ?? (cluster ? 'aurora' : 'gp2');
    const allocatedStorage = cluster ? 1 : params.int('AllocatedStorage');
    if (!cluster) {
      if (allocatedStorage === undefined) throw invalidValue('The parameter AllocatedStorage must be provided.');
      checkStorage(storageType, allocatedStorage, params.int('Iops'));
    }
    const interval = params.int('MonitoringInterval');
    checkMonitoring(interval, params.get('MonitoringRoleArn'));
    const zones = subnetGroup ? subnetGroup.subnetIds.map((s) => ctx.world.subnets[s]?.availabilityZone ?? '') : [`${ctx.region}a`];
    const i: RdsDbInstance = {
      identifier: id, region: ctx.region, resourceId: resourceId('db'), instanceClass, engine: engineName, engineVersion: version,
      masterUsername: cluster?.masterUsername ?? params.get('MasterUsername'), dbName: params.get('DBName') ?? cluster?.databaseName,
      allocatedStorage: allocatedStorage ?? 1, maxAllocatedStorage: params.int('MaxAllocatedStorage'), storageType,
      iops: params.int('Iops'), storageThroughput: params.int('StorageThroughput') ?? (storageType === 'gp3' ? 125 : undefined),
      multiAz: params.bool('MultiAZ') ?? false, publiclyAccessible: params.bool('PubliclyAccessible') ?? false,
      backupRetentionPeriod: cluster?.backupRetentionPeriod ?? params.int('BackupRetentionPeriod') ?? 1,
      backupWindow: cluster?.backupWindow ?? dailyWindow(params.get('PreferredBackupWindow') ?? '07:00-07:30', 'backup window'),
      maintenanceWindow: maintenanceWindow(params.get('PreferredMaintenanceWindow') ?? 'sun:08:00-sun:08:30'),
      deletionProtection: params.bool('DeletionProtection') ?? false, subnetGroupName: subnetGroup?.name ?? 'default', vpcSecurityGroupIds, parameterGroupName,
      storageEncrypted: cluster?.storageEncrypted ?? params.bool('StorageEncrypted') ?? false,
      kmsKeyId: cluster?.kmsKeyId ?? (params.bool('StorageEncrypted') ? params.get('KmsKeyId') ?? `arn:aws:kms:${ctx.region}:${ctx.world.accountId}:key/aws-rds` : undefined),
      iamAuth: params.bool('EnableIAMDatabaseAuthentication') ?? false, performanceInsights: params.bool('EnablePerformanceInsights') ?? false,
      copyTagsToSnapshot: params.bool('CopyTagsToSnapshot') ?? false, autoMinorVersionUpgrade: params.bool('AutoMinorVersionUpgrade') ?? true,
      monitoringInterval: interval ?? 0, monitoringRoleArn: params.get('MonitoringRoleArn'),
      port: cluster?.port ?? params.int('Port') ?? engine.port, caCertificate: params.get('CACertificateIdentifier') ?? 'rds-ca-rsa2048-g1',
      cloudwatchLogsExports: params.list('EnableCloudwatchLogsExports.member'),
      availabilityZone: params.get('AvailabilityZone') ?? zones[0]!, clusterIdentifier: cluster?.identifier,
      promotionTier: cluster ? params.int('PromotionTier') ?? 1 : undefined,
      pending: {}, createTime: ctx.now.toISOString(), tags: tagsParam(params),
    };
    state.instances[key(ctx, id)] = i;
    return [instanceNode(ctx, i)];
  },
  DescribeDBInstances(ctx, params) {
    const id = params.get('DBInstanceIdentifier');
    const filters = filtersParam(params);
    for (const name of filters.keys()) if (!['db-instance-id', 'db-cluster-id', 'engine', 'dbi-resource-id'].includes(name)) throw invalidValue(`Unrecognized filter name: ${name}`);
    let list: RdsDbInstance[];
    if (id !== undefined) list = [instanceFor(ctx, id, 'rds:DescribeDBInstances', false)];
    else {
      ctx.authorize('rds:DescribeDBInstances', rdsArn(ctx.world, ctx.region, 'db', '*'));
      list = Object.values(rdsOf(ctx.world).instances).filter((i) => i.region === ctx.region).sort((a, b) => a.identifier.localeCompare(b.identifier));
    }
    const idOrArn = (values: string[], id: string, kind: 'db' | 'cluster'): boolean =>
      values.some((v) => v.toLowerCase() === id || v === rdsArn(ctx.world, ctx.region, kind, id));
    const ids = filters.get('db-instance-id');
    if (ids && ids.length > 100) throw invalidValue('The filter db-instance-id takes at most 100 values.');
    if (ids) list = list.filter((i) => idOrArn(ids, i.identifier, 'db'));
    const clusters = filters.get('db-cluster-id');
    if (clusters) list = list.filter((i) => i.clusterIdentifier !== undefined && idOrArn(clusters, i.clusterIdentifier, 'cluster'));
    const engines = filters.get('engine');
    if (engines) list = list.filter((i) => engines.includes(i.engine));
    const page = pageOf(list, params);
    return [node('DBInstances', page.items.map((i) => instanceNode(ctx, i))), node('Marker', page.marker)];
  },
  ModifyDBInstance(ctx, params) {
    hidePassword(ctx, params);
    const i = instanceFor(ctx, params.required('DBInstanceIdentifier'), 'rds:ModifyDBInstance');
    checkPassword(params);
    if (params.has('NewDBInstanceIdentifier')) throw invalidValue('Renaming a DB instance is not simulated by the sandbox.');
    const engine = engineOf(i.engine);
    const immediate = params.bool('ApplyImmediately') ?? false;
    const changes: Partial<Record<keyof RdsDbInstance, unknown>> = {};
    const cls = params.get('DBInstanceClass');
    if (cls !== undefined && !/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(cls)) throw invalidValue(`Invalid DB Instance class: ${cls}`);
    const version = params.get('EngineVersion');
    if (version !== undefined) {
      checkVersion(engine, i.engine, version);
      if (compareVersions(version, i.engineVersion) < 0) throw invalidCombination(`Cannot upgrade ${i.engine} from ${i.engineVersion} to ${version}`);
      if (engine.major(version) !== engine.major(i.engineVersion) && !params.bool('AllowMajorVersionUpgrade')) {
        throw invalidCombination('The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.');
      }
    }
    const storage = params.int('AllocatedStorage');
    if (i.clusterIdentifier && (storage !== undefined || params.has('BackupRetentionPeriod') || params.has('VpcSecurityGroupIds.VpcSecurityGroupId.1'))) {
      throw invalidCombination('The requested setting is managed by the DB cluster of this instance.');
    }
    if (storage !== undefined && storage < i.allocatedStorage) throw invalidValue(`Invalid storage size for engine name ${i.engine} and storage type ${i.storageType}: ${storage}. Storage cannot be reduced.`);
    const storageType = params.get('StorageType') ?? i.storageType;
    if (!i.clusterIdentifier && (params.has('StorageType') || params.has('Iops') || storage !== undefined)) checkStorage(storageType, storage, params.int('Iops') ?? i.iops);
    const interval = params.int('MonitoringInterval');
    checkMonitoring(interval, params.get('MonitoringRoleArn') ?? i.monitoringRoleArn);
    for (const [param, field] of Object.entries(DEFERRED)) {
      if (!params.has(param)) continue;
      const v = param === 'MultiAZ' ? params.bool(param) : ['AllocatedStorage', 'Iops', 'StorageThroughput', 'DBPortNumber'].includes(param) ? params.int(param) : params.get(param);
      if (immediate || param === 'DBPortNumber') changes[field] = v;
      else i.pending[param === 'DBPortNumber' ? 'Port' : param] = v!;
    }
    if (immediate) for (const p of Object.keys(DEFERRED)) delete i.pending[p];
    const sgIds = params.list('VpcSecurityGroupIds.VpcSecurityGroupId');
    const subnetGroupName = params.get('DBSubnetGroupName');
    const subnetGroup = subnetGroupName !== undefined ? subnetGroupFor(ctx, subnetGroupName, 'rds:ModifyDBInstance', false) : undefined;
    const vpcId = subnetGroup?.vpcId ?? rdsOf(ctx.world).subnetGroups[key(ctx, i.subnetGroupName)]?.vpcId ?? '';
    if (sgIds.length) changes.vpcSecurityGroupIds = securityGroups(ctx, sgIds, vpcId);
    if (subnetGroup) changes.subnetGroupName = subnetGroup.name;
    const pg = params.get('DBParameterGroupName');
    if (pg !== undefined) {
      const group = parameterGroupFor(ctx, 'db', pg, 'rds:ModifyDBInstance', false);
      if (group.family !== engine.family(String(changes.engineVersion ?? i.engineVersion))) throw invalidCombination(`The parameter group ${group.name} with DBParameterGroupFamily ${group.family} cannot be used for this instance. Please use a Parameter Group with DBParameterGroupFamily ${engine.family(i.engineVersion)}`);
      changes.parameterGroupName = group.name;
    }
    const bools: Record<string, keyof RdsDbInstance> = {
      PubliclyAccessible: 'publiclyAccessible', DeletionProtection: 'deletionProtection', EnableIAMDatabaseAuthentication: 'iamAuth',
      EnablePerformanceInsights: 'performanceInsights', CopyTagsToSnapshot: 'copyTagsToSnapshot', AutoMinorVersionUpgrade: 'autoMinorVersionUpgrade',
    };
    for (const [param, field] of Object.entries(bools)) if (params.has(param)) changes[field] = params.bool(param);
    const retention = params.int('BackupRetentionPeriod');
    if (retention !== undefined) {
      if (retention < 0 || retention > 35) throw invalidValue(`Invalid backup retention period: ${retention}. Must be between 0 and 35.`);
      changes.backupRetentionPeriod = retention;
    }
    if (params.has('PreferredBackupWindow')) changes.backupWindow = dailyWindow(params.get('PreferredBackupWindow')!, 'backup window');
    if (params.has('PreferredMaintenanceWindow')) changes.maintenanceWindow = maintenanceWindow(params.get('PreferredMaintenanceWindow')!);
    if (params.has('MaxAllocatedStorage')) changes.maxAllocatedStorage = params.int('MaxAllocatedStorage') || undefined;
    if (interval !== undefined) changes.monitoringInterval = interval;
    if (params.has('MonitoringRoleArn')) changes.monitoringRoleArn = params.get('MonitoringRoleArn') || undefined;
    if (params.has('CACertificateIdentifier')) changes.caCertificate = params.get('CACertificateIdentifier');
    if (params.has('PromotionTier')) {
      if (!i.clusterIdentifier) throw invalidCombination('PromotionTier applies only to DB cluster members.');
      changes.promotionTier = params.int('PromotionTier');
    }
    const enable = params.list('CloudwatchLogsExportConfiguration.EnableLogTypes.member');
    const disable = params.list('CloudwatchLogsExportConfiguration.DisableLogTypes.member');
    if (enable.length || disable.length) changes.cloudwatchLogsExports = [...new Set([...i.cloudwatchLogsExports, ...enable])].filter((t) => !disable.includes(t)).sort();
    Object.assign(i, changes);
    return [instanceNode(ctx, i)];
  },
  DeleteDBInstance(ctx, params) {
    const i = instanceFor(ctx, params.required('DBInstanceIdentifier'), 'rds:DeleteDBInstance');
    if (i.deletionProtection) throw new ApiError('InvalidParameterCombination', 'Cannot delete protected DB Instance, please disable deletion protection and try again.', 400);
    if (!i.clusterIdentifier && !params.bool('SkipFinalSnapshot') && !params.get('FinalDBSnapshotIdentifier')) {
      throw invalidCombination('FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
    }
    delete rdsOf(ctx.world).instances[key(ctx, i.identifier)];
    return [instanceNode(ctx, i)];
  },
};

// ---- DB clusters ----

function clusterNode(ctx: CallContext, c: RdsCluster): XmlNode {
  const members = Object.values(rdsOf(ctx.world).instances).filter((i) => i.region === c.region && i.clusterIdentifier === c.identifier)
    .sort((a, b) => a.createTime.localeCompare(b.createTime) || a.identifier.localeCompare(b.identifier));
  const host = `${c.identifier}.cluster-c0abcdefghij.${c.region}.rds.amazonaws.com`;
  return node('DBCluster', [
    node('AllocatedStorage', 1), stringList('AvailabilityZones', 'AvailabilityZone', c.availabilityZones), node('BackupRetentionPeriod', c.backupRetentionPeriod),
    node('DatabaseName', c.databaseName), node('DBClusterIdentifier', c.identifier), node('DBClusterParameterGroup', c.parameterGroupName), node('DBSubnetGroup', c.subnetGroupName),
    node('Status', 'available'), node('Endpoint', host), node('ReaderEndpoint', host.replace('.cluster-', '.cluster-ro-')), node('MultiAZ', members.length > 1),
    node('Engine', c.engine), node('EngineVersion', c.engineVersion), node('Port', c.port), node('MasterUsername', c.masterUsername),
    node('PreferredBackupWindow', c.backupWindow), node('PreferredMaintenanceWindow', c.maintenanceWindow),
    node('DBClusterMembers', items('DBClusterMember', members, (m, ) => [
      node('DBInstanceIdentifier', m.identifier), node('IsClusterWriter', m === members[0]), node('DBClusterParameterGroupStatus', 'in-sync'), node('PromotionTier', m.promotionTier ?? 1),
    ])),
    node('VpcSecurityGroups', items('VpcSecurityGroupMembership', c.vpcSecurityGroupIds, (id) => [node('VpcSecurityGroupId', id), node('Status', 'active')])),
    node('HostedZoneId', 'Z2R2ITUGPM61AM'), node('StorageEncrypted', c.storageEncrypted), node('KmsKeyId', c.kmsKeyId), node('DbClusterResourceId', c.resourceId),
    node('DBClusterArn', rdsArn(ctx.world, c.region, 'cluster', c.identifier)), node('IAMDatabaseAuthenticationEnabled', c.iamAuth), node('ClusterCreateTime', c.createTime),
    c.cloudwatchLogsExports.length ? stringList('EnabledCloudwatchLogsExports', 'member', c.cloudwatchLogsExports) : undefined,
    node('EngineMode', c.engineMode), node('DeletionProtection', c.deletionProtection), node('CopyTagsToSnapshot', c.copyTagsToSnapshot),
    tagListNode(c.tags), node('AutoMinorVersionUpgrade', c.autoMinorVersionUpgrade),
  ].filter((n): n is XmlNode => n !== undefined));
}

const clusterOperations: Record<string, Handler> = {
  CreateDBCluster(ctx, params) {
    hidePassword(ctx, params);
    const id = checkIdentifier(params.required('DBClusterIdentifier'), 'DBClusterIdentifier');
    const arn = rdsArn(ctx.world, ctx.region, 'cluster', id);
    ctx.trail.resources.push({ type: 'AWS::RDS::DBCluster', name: id, arn });
    ctx.authorize('rds:CreateDBCluster', arn);
    const state = rdsOf(ctx.world);
    if (state.clusters[key(ctx, id)]) throw new ApiError('DBClusterAlreadyExistsFault', 'DB Cluster already exists', 400);
    const engineName = params.required('Engine');
    const engine = engineOf(engineName);
    if (!engine.cluster) throw invalidValue(`The engine ${engineName} is not a DB cluster engine in the sandbox (use aurora-postgresql or aurora-mysql).`);
    checkPassword(params);
    if (!params.get('MasterUsername')) throw invalidValue('The parameter MasterUsername must be provided and must not be blank.');
    if (!params.get('MasterUserPassword') && !params.bool('ManageMasterUserPassword')) throw invalidValue('The parameter MasterUserPassword must be provided and must not be blank.');
    const version = checkVersion(engine, engineName, params.get('EngineVersion') ?? engine.defaultVersion);
    const subnetGroupName = params.get('DBSubnetGroupName');
    const subnetGroup = subnetGroupName !== undefined ? subnetGroupFor(ctx, subnetGroupName, 'rds:CreateDBCluster', false) : undefined;
    const vpcId = subnetGroup?.vpcId ?? Object.values(ctx.world.vpcs).find((v) => v.region === ctx.region && v.isDefault)?.id ?? '';
    const sgIds = params.list('VpcSecurityGroupIds.VpcSecurityGroupId');
    const group = parameterGroupFor(ctx, 'cluster', params.get('DBClusterParameterGroupName') ?? `default.${engine.family(version)}`, 'rds:CreateDBCluster', false);
    if (group.family !== engine.family(version)) throw invalidCombination(`The parameter group ${group.name} with DBParameterGroupFamily ${group.family} cannot be used for this cluster.`);
    const retention = params.int('BackupRetentionPeriod') ?? 1;
    if (retention < 1 || retention > 35) throw invalidValue(`Invalid backup retention period: ${retention}. Must be between 1 and 35.`);
    const encrypted = params.bool('StorageEncrypted') ?? false;
    const zones = subnetGroup ? [...new Set(subnetGroup.subnetIds.map((s) => ctx.world.subnets[s]?.availabilityZone ?? ''))].sort() : [`${ctx.region}a`, `${ctx.region}b`, `${ctx.region}c`];
    const c: RdsCluster = {
      identifier: id, region: ctx.region, resourceId: resourceId('cluster'), engine: engineName, engineVersion: version, engineMode: params.get('EngineMode') ?? 'provisioned',
      masterUsername: params.get('MasterUsername'), databaseName: params.get('DatabaseName'), port: params.int('Port') ?? engine.port,
      backupRetentionPeriod: retention, backupWindow: dailyWindow(params.get('PreferredBackupWindow') ?? '07:00-07:30', 'backup window'),
      maintenanceWindow: maintenanceWindow(params.get('PreferredMaintenanceWindow') ?? 'sun:08:00-sun:08:30'),
      subnetGroupName: subnetGroup?.name ?? 'default', vpcSecurityGroupIds: sgIds.length ? securityGroups(ctx, sgIds, vpcId) : defaultSecurityGroup(ctx, vpcId),
      parameterGroupName: group.name, storageEncrypted: encrypted,
      kmsKeyId: encrypted ? params.get('KmsKeyId') ?? `arn:aws:kms:${ctx.region}:${ctx.world.accountId}:key/aws-rds` : undefined,
      deletionProtection: params.bool('DeletionProtection') ?? false, iamAuth: params.bool('EnableIAMDatabaseAuthentication') ?? false,
      copyTagsToSnapshot: params.bool('CopyTagsToSnapshot') ?? false, autoMinorVersionUpgrade: params.bool('AutoMinorVersionUpgrade') ?? true,
      cloudwatchLogsExports: params.list('EnableCloudwatchLogsExports.member').sort(), availabilityZones: zones,
      createTime: ctx.now.toISOString(), tags: tagsParam(params),
    };
    state.clusters[key(ctx, id)] = c;
    return [clusterNode(ctx, c)];
  },
  DescribeDBClusters(ctx, params) {
    const id = params.get('DBClusterIdentifier');
    const filters = filtersParam(params);
    for (const name of filters.keys()) if (!['db-cluster-id', 'engine', 'db-cluster-resource-id'].includes(name)) throw invalidValue(`Unrecognized filter name: ${name}`);
    let list: RdsCluster[];
    if (id !== undefined) list = [clusterFor(ctx, id, 'rds:DescribeDBClusters', false)];
    else {
      ctx.authorize('rds:DescribeDBClusters', rdsArn(ctx.world, ctx.region, 'cluster', '*'));
      list = Object.values(rdsOf(ctx.world).clusters).filter((c) => c.region === ctx.region).sort((a, b) => a.identifier.localeCompare(b.identifier));
    }
    const ids = filters.get('db-cluster-id');
    if (ids && ids.length > 100) throw invalidValue('The filter db-cluster-id takes at most 100 values.');
    if (ids) list = list.filter((c) => ids.some((v) => v.toLowerCase() === c.identifier || v === rdsArn(ctx.world, ctx.region, 'cluster', c.identifier)));
    const engines = filters.get('engine');
    if (engines) list = list.filter((c) => engines.includes(c.engine));
    const page = pageOf(list, params);
    return [node('DBClusters', page.items.map((c) => clusterNode(ctx, c))), node('Marker', page.marker)];
  },
  ModifyDBCluster(ctx, params) {
    hidePassword(ctx, params);
    const c = clusterFor(ctx, params.required('DBClusterIdentifier'), 'rds:ModifyDBCluster');
    checkPassword(params);
    if (params.has('NewDBClusterIdentifier')) throw invalidValue('Renaming a DB cluster is not simulated by the sandbox.');
    const engine = engineOf(c.engine);
    const changes: Partial<Record<keyof RdsCluster, unknown>> = {};
    const version = params.get('EngineVersion');
    if (version !== undefined) {
      checkVersion(engine, c.engine, version);
      if (compareVersions(version, c.engineVersion) < 0) throw invalidCombination(`Cannot upgrade ${c.engine} from ${c.engineVersion} to ${version}`);
      if (engine.major(version) !== engine.major(c.engineVersion) && !params.bool('AllowMajorVersionUpgrade')) {
        throw invalidCombination('The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.');
      }
      changes.engineVersion = version;
    }
    const retention = params.int('BackupRetentionPeriod');
    if (retention !== undefined) {
      if (retention < 1 || retention > 35) throw invalidValue(`Invalid backup retention period: ${retention}. Must be between 1 and 35.`);
      changes.backupRetentionPeriod = retention;
    }
    if (params.has('PreferredBackupWindow')) changes.backupWindow = dailyWindow(params.get('PreferredBackupWindow')!, 'backup window');
    if (params.has('PreferredMaintenanceWindow')) changes.maintenanceWindow = maintenanceWindow(params.get('PreferredMaintenanceWindow')!);
    if (params.has('Port')) changes.port = params.int('Port');
    const sgIds = params.list('VpcSecurityGroupIds.VpcSecurityGroupId');
    if (sgIds.length) changes.vpcSecurityGroupIds = securityGroups(ctx, sgIds, rdsOf(ctx.world).subnetGroups[key(ctx, c.subnetGroupName)]?.vpcId ?? '');
    const pg = params.get('DBClusterParameterGroupName');
    if (pg !== undefined) {
      const group = parameterGroupFor(ctx, 'cluster', pg, 'rds:ModifyDBCluster', false);
      if (group.family !== engine.family(String(changes.engineVersion ?? c.engineVersion))) throw invalidCombination(`The parameter group ${group.name} with DBParameterGroupFamily ${group.family} cannot be used for this cluster.`);
      changes.parameterGroupName = group.name;
    }
    const bools: Record<string, keyof RdsCluster> = {
      DeletionProtection: 'deletionProtection', EnableIAMDatabaseAuthentication: 'iamAuth', CopyTagsToSnapshot: 'copyTagsToSnapshot', AutoMinorVersionUpgrade: 'autoMinorVersionUpgrade',
    };
    for (const [param, field] of Object.entries(bools)) if (params.has(param)) changes[field] = params.bool(param);
    const enable = params.list('CloudwatchLogsExportConfiguration.EnableLogTypes.member');
    const disable = params.list('CloudwatchLogsExportConfiguration.DisableLogTypes.member');
    if (enable.length || disable.length) changes.cloudwatchLogsExports = [...new Set([...c.cloudwatchLogsExports, ...enable])].filter((t) => !disable.includes(t)).sort();
    Object.assign(c, changes);
    return [clusterNode(ctx, c)];
  },
  DeleteDBCluster(ctx, params) {
    const c = clusterFor(ctx, params.required('DBClusterIdentifier'), 'rds:DeleteDBCluster');
    if (c.deletionProtection) throw new ApiError('InvalidParameterCombination', 'Cannot delete protected Cluster, please disable deletion protection and try again.', 400);
    const state = rdsOf(ctx.world);
    if (Object.values(state.instances).some((i) => i.region === c.region && i.clusterIdentifier === c.identifier)) {
      throw new ApiError('InvalidDBClusterStateFault', 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.', 400);
    }
    if (!params.bool('SkipFinalSnapshot') && !params.get('FinalDBSnapshotIdentifier')) throw invalidCombination('FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
    delete state.clusters[key(ctx, c.identifier)];
    return [clusterNode(ctx, c)];
  },
};

export const rdsDatabaseOperations: Record<string, Handler> = { ...instanceOperations, ...clusterOperations };
