// Amazon ElastiCache (query protocol, Version 2015-02-02): cache subnet groups, cache parameter
// groups with their parameters, Redis/Valkey replication groups with their member cache clusters,
// and tags by ARN — what aws_elasticache_subnet_group, _parameter_group and _replication_group read
// and write. Nothing runs; every object is `available` at once. AUTH tokens are never stored and
// are hidden in CloudTrail as AWS hides them.
import type { CallContext } from '../../context';
import { ApiError, notFound } from '../../errors';
import { trailParameters, type QueryParams } from '../../protocol/query-xml';
import type { Tags } from '../../world';
import { items, node, type XmlNode } from '../../xml';
import { dailyWindow, invalidCombination, invalidValue, maintenanceWindow, pageOf, stringList, tagListNode, tagsParam } from '../rds/shapes';

export interface CacheSubnetGroup {
  name: string;
  region: string;
  description: string;
  subnetIds: string[];
  vpcId: string;
  tags: Tags;
}

export interface CacheParameterGroup {
  name: string;
  region: string;
  family: string;
  description: string;
  /** Values set by the user (source `user`). */
  parameters: Record<string, string>;
  tags: Tags;
}

export interface ReplicationGroup {
  id: string;
  region: string;
  description: string;
  engine: 'redis' | 'valkey';
  engineVersion: string;
  nodeType: string;
  numCacheClusters: number;
  parameterGroupName: string;
  subnetGroupName: string;
  securityGroupIds: string[];
  port: number;
  automaticFailover: boolean;
  multiAz: boolean;
  snapshotRetentionLimit: number;
  snapshotWindow: string;
  maintenanceWindow: string;
  atRestEncryption: boolean;
  transitEncryption: boolean;
  authTokenEnabled: boolean;
  autoMinorVersionUpgrade: boolean;
  notificationTopicArn?: string;
  createTime: string;
  tags: Tags;
}

export interface ElastiCacheState {
  subnetGroups: Record<string, CacheSubnetGroup>;
  parameterGroups: Record<string, CacheParameterGroup>;
  replicationGroups: Record<string, ReplicationGroup>;
}

interface CacheWorld {
  accountId: string;
  elasticache?: ElastiCacheState;
}

type Handler = (ctx: CallContext, params: QueryParams) => XmlNode[];

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const stateOf = (w: CacheWorld): ElastiCacheState => (w.elasticache ??= { subnetGroups: {}, parameterGroups: {}, replicationGroups: {} });
const key = (ctx: CallContext, name: string): string => `${ctx.region}/${name.toLowerCase()}`;
export const cacheArn = (w: CacheWorld, region: string, kind: 'subnetgroup' | 'parametergroup' | 'replicationgroup' | 'cluster', name: string): string =>
  `arn:aws:elasticache:${region}:${w.accountId}:${kind}:${name}`;

interface CacheParameterInfo {
  value: string;
  dataType: 'string' | 'integer';
  allowed?: [number, number] | string[];
  changeType: 'immediate' | 'requires-reboot';
  description: string;
}

const REDIS: Record<string, CacheParameterInfo> = {
  'maxmemory-policy': {
    value: 'volatile-lru', dataType: 'string', changeType: 'immediate', description: 'Max memory policy.',
    allowed: ['volatile-lru', 'allkeys-lru', 'volatile-lfu', 'allkeys-lfu', 'volatile-random', 'allkeys-random', 'volatile-ttl', 'noeviction'],
  },
  timeout: { value: '0', dataType: 'integer', allowed: [0, 2147483647], changeType: 'immediate', description: 'Close connection if client is idle for a given number of seconds, or never if 0.' },
  'notify-keyspace-events': { value: '', dataType: 'string', changeType: 'immediate', description: 'The keyspace events for Redis to notify Pub/Sub clients about.' },
  'tcp-keepalive': { value: '300', dataType: 'integer', allowed: [0, 2147483647], changeType: 'immediate', description: 'Keepalive interval in seconds.' },
  'maxmemory-samples': { value: '3', dataType: 'integer', allowed: [1, 64], changeType: 'immediate', description: 'Max memory samples.' },
  'cluster-enabled': { value: 'no', dataType: 'string', allowed: ['yes', 'no'], changeType: 'requires-reboot', description: 'Enable cluster mode.' },
};

/** `7.1` → `redis7`, `6.2.6` → `redis6.x`, valkey `7.2` → `valkey7`. */
function familyOf(engine: string, version: string): string {
  const major = Number(version.split('.')[0]);
  return major >= 7 ? `${engine}${major}` : `${engine}${major}.x`;
}

/** AWS takes `7.1` or `6.x` and runs a full version. */
function actualVersion(engine: string, requested: string | undefined): string {
  const v = requested ?? (engine === 'valkey' ? '7.2' : '7.1');
  if (/^\d+\.x$/.test(v)) return v === '6.x' ? '6.2.6' : `${v.split('.')[0]}.0.0`;
  if (/^\d+\.\d+$/.test(v)) return Number(v.split('.')[0]) >= 6 ? `${v}.0` : `${v}.0`;
  if (/^\d+\.\d+\.\d+$/.test(v)) return v;
  throw invalidValue(`Invalid EngineVersion: ${v}`);
}

function parametersOf(family: string): Record<string, CacheParameterInfo> | undefined {
  return /^(redis|valkey)\d/.test(family) ? REDIS : undefined;
}

// ---- subnet groups ----

function subnetGroupFor(ctx: CallContext, name: string, action: string, record = true): CacheSubnetGroup {
  const arn = cacheArn(ctx.world, ctx.region, 'subnetgroup', name.toLowerCase());
  if (record) ctx.trail.resources.push({ type: 'AWS::ElastiCache::SubnetGroup', name: name.toLowerCase(), arn });
  ctx.authorize(action, arn);
  const g = stateOf(ctx.world).subnetGroups[key(ctx, name)];
  if (!g) throw notFound('CacheSubnetGroupNotFoundFault', `Cache subnet group ${name} not found.`);
  return g;
}

function subnetsVpc(ctx: CallContext, ids: string[]): string {
  if (ids.length === 0) throw invalidValue('The request must contain the parameter SubnetIds');
  const bad = ids.filter((id) => ctx.world.subnets[id]?.region !== ctx.region);
  if (bad.length) throw new ApiError('InvalidSubnet', `The subnet ID ${bad[0]} does not exist`, 400);
  const vpcs = new Set(ids.map((id) => ctx.world.subnets[id]!.vpcId));
  if (vpcs.size > 1) throw new ApiError('SubnetNotAllowedFault', 'The subnets must all belong to the same VPC.', 400);
  return [...vpcs][0]!;
}

function subnetGroupNode(ctx: CallContext, g: CacheSubnetGroup): XmlNode {
  return node('CacheSubnetGroup', [
    node('CacheSubnetGroupName', g.name), node('CacheSubnetGroupDescription', g.description), node('VpcId', g.vpcId),
    node('Subnets', items('Subnet', g.subnetIds, (id) => [node('SubnetIdentifier', id), node('SubnetAvailabilityZone', [node('Name', ctx.world.subnets[id]?.availabilityZone ?? '')])])),
    node('ARN', cacheArn(ctx.world, g.region, 'subnetgroup', g.name)), stringList('SupportedNetworkTypes', 'member', ['ipv4']),
  ]);
}

// ---- parameter groups ----

function parameterGroupFor(ctx: CallContext, name: string, action: string, record = true): CacheParameterGroup {
  const lower = name.toLowerCase();
  const arn = cacheArn(ctx.world, ctx.region, 'parametergroup', lower);
  if (record) ctx.trail.resources.push({ type: 'AWS::ElastiCache::ParameterGroup', name: lower, arn });
  ctx.authorize(action, arn);
  const table = stateOf(ctx.world).parameterGroups;
  let g = table[key(ctx, lower)];
  const family = lower.startsWith('default.') ? lower.slice('default.'.length) : '';
  if (!g && family && parametersOf(family)) g = table[key(ctx, lower)] = { name: lower, region: ctx.region, family, description: `Default parameter group for ${family}`, parameters: {}, tags: {} };
  if (!g) throw notFound('CacheParameterGroupNotFound', `CacheParameterGroup ${name} not found.`);
  return g;
}

function parameterGroupNode(ctx: CallContext, g: CacheParameterGroup): XmlNode {
  return node('CacheParameterGroup', [
    node('CacheParameterGroupName', g.name), node('CacheParameterGroupFamily', g.family), node('Description', g.description), node('IsGlobal', false),
    node('ARN', cacheArn(ctx.world, g.region, 'parametergroup', g.name)),
  ]);
}

function changeParameters(ctx: CallContext, params: QueryParams, reset: boolean): XmlNode[] {
  const g = parameterGroupFor(ctx, params.required('CacheParameterGroupName'), `elasticache:${reset ? 'Reset' : 'Modify'}CacheParameterGroup`);
  if (g.name.startsWith('default.')) throw new ApiError('InvalidCacheParameterGroupState', `Default parameter groups cannot be ${reset ? 'reset' : 'modified'}: ${g.name}`, 400);
  const catalog = parametersOf(g.family) ?? {};
  const list = params.structs('ParameterNameValues.ParameterNameValue');
  if (reset && params.bool('ResetAllParameters')) {
    if (list.length) throw invalidCombination('ResetAllParameters and ParameterNameValues cannot be specified together.');
    g.parameters = {};
    return [node('CacheParameterGroupName', g.name)];
  }
  if (list.length === 0) throw invalidValue('The request must contain the parameter ParameterNameValues');
  if (list.length > 20) throw invalidValue('You can modify at most 20 parameters in one request.');
  const changes: Array<[string, string | undefined]> = [];
  for (const p of list) {
    const name = p.get('ParameterName');
    if (!name) throw invalidValue('ParameterName must be provided');
    const info = catalog[name];
    if (!info) throw invalidValue(`Unknown parameter: ${name}`);
    if (reset) {
      changes.push([name, undefined]);
      continue;
    }
    const value = p.get('ParameterValue');
    if (value === undefined) throw invalidValue(`ParameterValue must be provided for ${name}`);
    if (info.dataType === 'integer') {
      const [lo, hi] = (info.allowed as [number, number] | undefined) ?? [0, Number.MAX_SAFE_INTEGER];
      if (!/^-?\d+$/.test(value) || Number(value) < lo || Number(value) > hi) throw invalidValue(`Value (${value}) for parameter ${name} is invalid. Must be an integer from ${lo} to ${hi}.`);
    } else if (Array.isArray(info.allowed) && !(info.allowed as string[]).includes(value)) {
      throw invalidValue(`Value (${value}) for parameter ${name} is invalid. Allowed values: ${(info.allowed as string[]).join(', ')}.`);
    }
    changes.push([name, value]);
  }
  for (const [name, value] of changes) {
    if (value === undefined) delete g.parameters[name];
    else g.parameters[name] = value;
  }
  return [node('CacheParameterGroupName', g.name)];
}

// ---- replication groups ----

function replicationGroupFor(ctx: CallContext, id: string, action: string, record = true): ReplicationGroup {
  const lower = id.toLowerCase();
  const arn = cacheArn(ctx.world, ctx.region, 'replicationgroup', lower);
  if (record) ctx.trail.resources.push({ type: 'AWS::ElastiCache::ReplicationGroup', name: lower, arn });
  ctx.authorize(action, arn);
  const g = stateOf(ctx.world).replicationGroups[key(ctx, lower)];
  if (!g) throw notFound('ReplicationGroupNotFoundFault', `ReplicationGroup ${id} not found.`);
  return g;
}

const memberIds = (g: ReplicationGroup): string[] => Array.from({ length: g.numCacheClusters }, (_, i) => `${g.id}-${String(i + 1).padStart(3, '0')}`);

function replicationGroupNode(ctx: CallContext, g: ReplicationGroup): XmlNode {
  const members = memberIds(g);
  const host = (id: string): string => `${id}.abc123.0001.${g.region.replace(/-/g, '')}.cache.amazonaws.com`;
  return node('ReplicationGroup', [
    node('ReplicationGroupId', g.id), node('Description', g.description), node('Status', 'available'), node('PendingModifiedValues', []),
    stringList('MemberClusters', 'ClusterId', members),
    node('NodeGroups', [node('NodeGroup', [
      node('NodeGroupId', '0001'), node('Status', 'available'),
      node('PrimaryEndpoint', [node('Address', `master.${g.id}.abc123.${g.region.replace(/-/g, '')}.cache.amazonaws.com`), node('Port', g.port)]),
      node('ReaderEndpoint', [node('Address', `replica.${g.id}.abc123.${g.region.replace(/-/g, '')}.cache.amazonaws.com`), node('Port', g.port)]),
      node('NodeGroupMembers', items('NodeGroupMember', members, (m, ) => [
        node('CacheClusterId', m), node('CacheNodeId', '0001'), node('ReadEndpoint', [node('Address', host(m)), node('Port', g.port)]),
        node('CurrentRole', m === members[0] ? 'primary' : 'replica'),
      ])),
    ])]),
    node('AutomaticFailover', g.automaticFailover ? 'enabled' : 'disabled'), node('MultiAZ', g.multiAz ? 'enabled' : 'disabled'),
    node('SnapshotRetentionLimit', g.snapshotRetentionLimit), node('SnapshotWindow', g.snapshotWindow), node('ClusterEnabled', false),
    node('CacheNodeType', g.nodeType), node('AuthTokenEnabled', g.authTokenEnabled), node('TransitEncryptionEnabled', g.transitEncryption),
    node('AtRestEncryptionEnabled', g.atRestEncryption), node('ARN', cacheArn(ctx.world, g.region, 'replicationgroup', g.id)),
    node('ReplicationGroupCreateTime', g.createTime), node('DataTiering', 'disabled'), node('AutoMinorVersionUpgrade', g.autoMinorVersionUpgrade),
    node('NetworkType', 'ipv4'), node('IpDiscovery', 'ipv4'), node('ClusterMode', 'disabled'), node('Engine', g.engine),
  ]);
}

function cacheClusterNode(ctx: CallContext, g: ReplicationGroup, id: string, index: number): XmlNode {
  const subnets = stateOf(ctx.world).subnetGroups[key(ctx, g.subnetGroupName)]?.subnetIds ?? [];
  const zone = ctx.world.subnets[subnets[index % Math.max(1, subnets.length)] ?? '']?.availabilityZone ?? `${g.region}a`;
  return node('CacheCluster', [
    node('CacheClusterId', id), node('CacheNodeType', g.nodeType), node('Engine', g.engine), node('EngineVersion', g.engineVersion),
    node('CacheClusterStatus', 'available'), node('NumCacheNodes', 1), node('PreferredAvailabilityZone', zone),
    node('CacheClusterCreateTime', g.createTime), node('PreferredMaintenanceWindow', g.maintenanceWindow),
    g.notificationTopicArn ? node('NotificationConfiguration', [node('TopicArn', g.notificationTopicArn), node('TopicStatus', 'active')]) : undefined,
    node('CacheParameterGroup', [node('CacheParameterGroupName', g.parameterGroupName), node('ParameterApplyStatus', 'in-sync')]),
    node('CacheSubnetGroupName', g.subnetGroupName), node('AutoMinorVersionUpgrade', g.autoMinorVersionUpgrade),
    node('SecurityGroups', items('member', g.securityGroupIds, (sg) => [node('SecurityGroupId', sg), node('Status', 'active')])),
    node('ReplicationGroupId', g.id), node('SnapshotRetentionLimit', g.snapshotRetentionLimit), node('SnapshotWindow', g.snapshotWindow),
    node('AuthTokenEnabled', g.authTokenEnabled), node('TransitEncryptionEnabled', g.transitEncryption), node('AtRestEncryptionEnabled', g.atRestEncryption),
    node('ARN', cacheArn(ctx.world, g.region, 'cluster', id)), node('ReplicationGroupLogDeliveryEnabled', false), node('NetworkType', 'ipv4'),
  ].filter((n): n is XmlNode => n !== undefined));
}

function hideAuthToken(ctx: CallContext, params: QueryParams): void {
  const recorded = trailParameters(params);
  if ('authToken' in recorded) recorded.authToken = HIDDEN;
  ctx.trail.requestParameters = recorded;
}

function checkSecurityGroups(ctx: CallContext, ids: string[], vpcId: string): string[] {
  for (const id of ids) {
    const sg = ctx.world.securityGroups[id];
    if (!sg || sg.region !== ctx.region) throw invalidValue(`Security group ${id} does not exist.`);
    if (vpcId && sg.vpcId !== vpcId) throw invalidCombination(`The security group ${id} is not in the VPC of the cache subnet group (${vpcId}).`);
  }
  return [...new Set(ids)];
}

function checkNodeType(type: string): string {
  if (!/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(type)) throw invalidValue(`Invalid CacheNodeType: ${type}`);
  return type;
}

function failoverSettings(failover: boolean, multiAz: boolean, clusters: number): void {
  if (failover && clusters < 2) throw invalidCombination('Automatic failover requires at least one read replica (NumCacheClusters >= 2).');
  if (multiAz && !failover) throw invalidCombination('Multi-AZ requires automatic failover to be enabled.');
}

const operations: Record<string, Handler> = {
  CreateCacheSubnetGroup(ctx, params) {
    const raw = params.required('CacheSubnetGroupName');
    if (!/^[A-Za-z0-9-]{1,255}$/.test(raw)) throw invalidValue(`Invalid cache subnet group name: ${raw}`);
    const name = raw.toLowerCase();
    const arn = cacheArn(ctx.world, ctx.region, 'subnetgroup', name);
    ctx.trail.resources.push({ type: 'AWS::ElastiCache::SubnetGroup', name, arn });
    ctx.authorize('elasticache:CreateCacheSubnetGroup', arn);
    const description = params.required('CacheSubnetGroupDescription');
    const table = stateOf(ctx.world).subnetGroups;
    if (table[key(ctx, name)]) throw new ApiError('CacheSubnetGroupAlreadyExists', `Cache subnet group ${name} already exists.`, 400);
    const subnetIds = params.list('SubnetIds.SubnetIdentifier');
    const g: CacheSubnetGroup = { name, region: ctx.region, description, subnetIds: [...new Set(subnetIds)], vpcId: subnetsVpc(ctx, subnetIds), tags: tagsParam(params) };
    table[key(ctx, name)] = g;
    return [subnetGroupNode(ctx, g)];
  },
  DescribeCacheSubnetGroups(ctx, params) {
    const name = params.get('CacheSubnetGroupName');
    let list: CacheSubnetGroup[];
    if (name !== undefined) list = [subnetGroupFor(ctx, name, 'elasticache:DescribeCacheSubnetGroups', false)];
    else {
      ctx.authorize('elasticache:DescribeCacheSubnetGroups', cacheArn(ctx.world, ctx.region, 'subnetgroup', '*'));
      list = Object.values(stateOf(ctx.world).subnetGroups).filter((g) => g.region === ctx.region).sort((a, b) => a.name.localeCompare(b.name));
    }
    const page = pageOf(list, params);
    return [node('Marker', page.marker), node('CacheSubnetGroups', page.items.map((g) => subnetGroupNode(ctx, g)))];
  },
  ModifyCacheSubnetGroup(ctx, params) {
    const g = subnetGroupFor(ctx, params.required('CacheSubnetGroupName'), 'elasticache:ModifyCacheSubnetGroup');
    const subnetIds = params.list('SubnetIds.SubnetIdentifier');
    if (subnetIds.length) {
      const vpcId = subnetsVpc(ctx, subnetIds);
      if (vpcId !== g.vpcId) throw new ApiError('SubnetInUse', 'The subnets must stay in the VPC of the cache subnet group.', 400);
      g.subnetIds = [...new Set(subnetIds)];
    }
    const description = params.get('CacheSubnetGroupDescription');
    if (description !== undefined) g.description = description;
    return [subnetGroupNode(ctx, g)];
  },
  DeleteCacheSubnetGroup(ctx, params) {
    const g = subnetGroupFor(ctx, params.required('CacheSubnetGroupName'), 'elasticache:DeleteCacheSubnetGroup');
    const state = stateOf(ctx.world);
    if (Object.values(state.replicationGroups).some((r) => r.region === g.region && r.subnetGroupName === g.name)) {
      throw new ApiError('CacheSubnetGroupInUse', `Cache subnet group ${g.name} is currently in use by a cache cluster.`, 400);
    }
    delete state.subnetGroups[key(ctx, g.name)];
    return [];
  },
  CreateCacheParameterGroup(ctx, params) {
    const raw = params.required('CacheParameterGroupName');
    if (!/^[A-Za-z][A-Za-z0-9-]{0,254}$/.test(raw) || raw.endsWith('-') || raw.includes('--')) throw invalidValue(`Invalid parameter group name: ${raw}`);
    const name = raw.toLowerCase();
    const arn = cacheArn(ctx.world, ctx.region, 'parametergroup', name);
    ctx.trail.resources.push({ type: 'AWS::ElastiCache::ParameterGroup', name, arn });
    ctx.authorize('elasticache:CreateCacheParameterGroup', arn);
    const family = params.required('CacheParameterGroupFamily');
    if (!parametersOf(family)) throw invalidValue(`Invalid parameter group family: ${family}`);
    const description = params.required('Description');
    const table = stateOf(ctx.world).parameterGroups;
    if (table[key(ctx, name)]) throw new ApiError('CacheParameterGroupAlreadyExists', `Parameter group ${name} already exists.`, 400);
    const g: CacheParameterGroup = { name, region: ctx.region, family, description, parameters: {}, tags: tagsParam(params) };
    table[key(ctx, name)] = g;
    return [parameterGroupNode(ctx, g)];
  },
  DescribeCacheParameterGroups(ctx, params) {
    const name = params.get('CacheParameterGroupName');
    let list: CacheParameterGroup[];
    if (name !== undefined) list = [parameterGroupFor(ctx, name, 'elasticache:DescribeCacheParameterGroups', false)];
    else {
      ctx.authorize('elasticache:DescribeCacheParameterGroups', cacheArn(ctx.world, ctx.region, 'parametergroup', '*'));
      list = Object.values(stateOf(ctx.world).parameterGroups).filter((g) => g.region === ctx.region).sort((a, b) => a.name.localeCompare(b.name));
    }
    const page = pageOf(list, params);
    return [node('Marker', page.marker), node('CacheParameterGroups', page.items.map((g) => parameterGroupNode(ctx, g)))];
  },
  DescribeCacheParameters(ctx, params) {
    const g = parameterGroupFor(ctx, params.required('CacheParameterGroupName'), 'elasticache:DescribeCacheParameters', false);
    const source = params.get('Source');
    if (source !== undefined && !['user', 'system', 'engine-default'].includes(source)) throw invalidValue(`Invalid source: ${source}`);
    const rows = Object.entries(parametersOf(g.family) ?? {}).sort(([a], [b]) => a.localeCompare(b))
      .map(([name, info]) => ({ name, info, user: g.parameters[name] }))
      .filter((r) => source === undefined || (source === 'user') === (r.user !== undefined));
    const page = pageOf(rows, params);
    return [node('Marker', page.marker), node('Parameters', page.items.map((r) => node('Parameter', [
      node('ParameterName', r.name), node('ParameterValue', r.user ?? r.info.value), node('Description', r.info.description),
      node('Source', r.user !== undefined ? 'user' : 'system'), node('DataType', r.info.dataType),
      node('AllowedValues', Array.isArray(r.info.allowed) ? (typeof r.info.allowed[0] === 'number' ? r.info.allowed.join('-') : r.info.allowed.join(',')) : undefined),
      node('IsModifiable', true), node('MinimumEngineVersion', '2.6.13'), node('ChangeType', r.info.changeType),
    ]))), node('CacheNodeTypeSpecificParameters', [])];
  },
  ModifyCacheParameterGroup: (ctx, params) => changeParameters(ctx, params, false),
  ResetCacheParameterGroup: (ctx, params) => changeParameters(ctx, params, true),
  DeleteCacheParameterGroup(ctx, params) {
    const g = parameterGroupFor(ctx, params.required('CacheParameterGroupName'), 'elasticache:DeleteCacheParameterGroup');
    if (g.name.startsWith('default.')) throw new ApiError('InvalidCacheParameterGroupState', `Default parameter groups cannot be deleted: ${g.name}`, 400);
    const state = stateOf(ctx.world);
    if (Object.values(state.replicationGroups).some((r) => r.region === g.region && r.parameterGroupName === g.name)) {
      throw new ApiError('InvalidCacheParameterGroupState', `Parameter group ${g.name} is in use.`, 400);
    }
    delete state.parameterGroups[key(ctx, g.name)];
    return [];
  },
  CreateReplicationGroup(ctx, params) {
    hideAuthToken(ctx, params);
    const raw = params.required('ReplicationGroupId');
    if (!/^[A-Za-z][A-Za-z0-9-]{0,39}$/.test(raw) || raw.endsWith('-') || raw.includes('--')) throw invalidValue(`Invalid replication group id: ${raw}`);
    const id = raw.toLowerCase();
    const arn = cacheArn(ctx.world, ctx.region, 'replicationgroup', id);
    ctx.trail.resources.push({ type: 'AWS::ElastiCache::ReplicationGroup', name: id, arn });
    ctx.authorize('elasticache:CreateReplicationGroup', arn);
    const state = stateOf(ctx.world);
    if (state.replicationGroups[key(ctx, id)]) throw new ApiError('ReplicationGroupAlreadyExists', `Replication group ${id} already exists.`, 400);
    const description = params.required('ReplicationGroupDescription');
    const engine = (params.get('Engine') ?? 'redis').toLowerCase();
    if (engine !== 'redis' && engine !== 'valkey') throw invalidValue(`Invalid engine: ${engine}. The sandbox simulates redis and valkey replication groups.`);
    const engineVersion = actualVersion(engine, params.get('EngineVersion'));
    const family = familyOf(engine, engineVersion);
    const pg = parameterGroupFor(ctx, params.get('CacheParameterGroupName') ?? `default.${family}`, 'elasticache:CreateReplicationGroup', false);
    if (pg.family !== family) throw invalidCombination(`The parameter group ${pg.name} (family ${pg.family}) does not match the engine version ${engineVersion} (family ${family}).`);
    const subnetGroupName = params.get('CacheSubnetGroupName');
    const subnetGroup = subnetGroupName !== undefined ? subnetGroupFor(ctx, subnetGroupName, 'elasticache:CreateReplicationGroup', false) : undefined;
    const numCacheClusters = params.int('NumCacheClusters') ?? 1;
    if (numCacheClusters < 1 || numCacheClusters > 6) throw invalidValue('NumCacheClusters must be between 1 and 6.');
    const automaticFailover = params.bool('AutomaticFailoverEnabled') ?? false;
    const multiAz = params.bool('MultiAZEnabled') ?? false;
    failoverSettings(automaticFailover, multiAz, numCacheClusters);
    const authToken = params.get('AuthToken');
    const transitEncryption = params.bool('TransitEncryptionEnabled') ?? false;
    if (authToken !== undefined && (!transitEncryption || authToken.length < 16 || authToken.length > 128)) {
      throw invalidValue('The AUTH token must be 16 to 128 printable characters and requires TransitEncryptionEnabled.');
    }
    const retention = params.int('SnapshotRetentionLimit') ?? 0;
    if (retention < 0 || retention > 35) throw invalidValue('SnapshotRetentionLimit must be between 0 and 35.');
    const g: ReplicationGroup = {
      id, region: ctx.region, description, engine, engineVersion, nodeType: checkNodeType(params.required('CacheNodeType')), numCacheClusters,
      parameterGroupName: pg.name, subnetGroupName: subnetGroup?.name ?? 'default',
      securityGroupIds: checkSecurityGroups(ctx, params.list('SecurityGroupIds.SecurityGroupId'), subnetGroup?.vpcId ?? ''),
      port: params.int('Port') ?? 6379, automaticFailover, multiAz, snapshotRetentionLimit: retention,
      snapshotWindow: dailyWindow(params.get('SnapshotWindow') ?? '05:00-06:00', 'snapshot window'),
      maintenanceWindow: maintenanceWindow(params.get('PreferredMaintenanceWindow') ?? 'sun:07:00-sun:08:00'),
      atRestEncryption: params.bool('AtRestEncryptionEnabled') ?? false, transitEncryption, authTokenEnabled: authToken !== undefined,
      autoMinorVersionUpgrade: params.bool('AutoMinorVersionUpgrade') ?? true, notificationTopicArn: params.get('NotificationTopicArn'),
      createTime: ctx.now.toISOString(), tags: tagsParam(params),
    };
    state.replicationGroups[key(ctx, id)] = g;
    return [replicationGroupNode(ctx, g)];
  },
  DescribeReplicationGroups(ctx, params) {
    const id = params.get('ReplicationGroupId');
    let list: ReplicationGroup[];
    if (id !== undefined) list = [replicationGroupFor(ctx, id, 'elasticache:DescribeReplicationGroups', false)];
    else {
      ctx.authorize('elasticache:DescribeReplicationGroups', cacheArn(ctx.world, ctx.region, 'replicationgroup', '*'));
      list = Object.values(stateOf(ctx.world).replicationGroups).filter((g) => g.region === ctx.region).sort((a, b) => a.id.localeCompare(b.id));
    }
    const page = pageOf(list, params);
    return [node('Marker', page.marker), node('ReplicationGroups', page.items.map((g) => replicationGroupNode(ctx, g)))];
  },
  DescribeCacheClusters(ctx, params) {
    const id = params.get('CacheClusterId');
    const all = Object.values(stateOf(ctx.world).replicationGroups).filter((g) => g.region === ctx.region).sort((a, b) => a.id.localeCompare(b.id))
      .flatMap((g) => memberIds(g).map((m, i) => ({ g, m, i })));
    let list = all;
    if (id !== undefined) {
      const arn = cacheArn(ctx.world, ctx.region, 'cluster', id.toLowerCase());
      ctx.authorize('elasticache:DescribeCacheClusters', arn);
      list = all.filter((c) => c.m === id.toLowerCase());
      if (!list.length) throw notFound('CacheClusterNotFound', `CacheCluster ${id} not found.`);
    } else ctx.authorize('elasticache:DescribeCacheClusters', cacheArn(ctx.world, ctx.region, 'cluster', '*'));
    const page = pageOf(list, params);
    return [node('Marker', page.marker), node('CacheClusters', page.items.map((c) => cacheClusterNode(ctx, c.g, c.m, c.i)))];
  },
  ModifyReplicationGroup(ctx, params) {
    hideAuthToken(ctx, params);
    const g = replicationGroupFor(ctx, params.required('ReplicationGroupId'), 'elasticache:ModifyReplicationGroup');
    const changes: Partial<ReplicationGroup> = {};
    if (params.has('ReplicationGroupDescription')) changes.description = params.get('ReplicationGroupDescription');
    if (params.has('CacheNodeType')) changes.nodeType = checkNodeType(params.get('CacheNodeType')!);
    if (params.has('EngineVersion')) {
      const v = actualVersion(g.engine, params.get('EngineVersion'));
      if (v.localeCompare(g.engineVersion, undefined, { numeric: true }) < 0) throw invalidValue(`Downgrading from ${g.engineVersion} to ${v} is not supported.`);
      changes.engineVersion = v;
    }
    if (params.has('CacheParameterGroupName')) {
      const pg = parameterGroupFor(ctx, params.get('CacheParameterGroupName')!, 'elasticache:ModifyReplicationGroup', false);
      if (pg.family !== familyOf(g.engine, changes.engineVersion ?? g.engineVersion)) throw invalidCombination(`The parameter group ${pg.name} (family ${pg.family}) does not match the engine version.`);
      changes.parameterGroupName = pg.name;
    }
    const sgs = params.list('SecurityGroupIds.SecurityGroupId');
    if (sgs.length) changes.securityGroupIds = checkSecurityGroups(ctx, sgs, stateOf(ctx.world).subnetGroups[key(ctx, g.subnetGroupName)]?.vpcId ?? '');
    const failover = params.bool('AutomaticFailoverEnabled') ?? g.automaticFailover;
    const multiAz = params.bool('MultiAZEnabled') ?? g.multiAz;
    failoverSettings(failover, multiAz, g.numCacheClusters);
    changes.automaticFailover = failover;
    changes.multiAz = multiAz;
    const retention = params.int('SnapshotRetentionLimit');
    if (retention !== undefined) {
      if (retention < 0 || retention > 35) throw invalidValue('SnapshotRetentionLimit must be between 0 and 35.');
      changes.snapshotRetentionLimit = retention;
    }
    if (params.has('SnapshotWindow')) changes.snapshotWindow = dailyWindow(params.get('SnapshotWindow')!, 'snapshot window');
    if (params.has('PreferredMaintenanceWindow')) changes.maintenanceWindow = maintenanceWindow(params.get('PreferredMaintenanceWindow')!);
    if (params.has('AutoMinorVersionUpgrade')) changes.autoMinorVersionUpgrade = params.bool('AutoMinorVersionUpgrade');
    if (params.has('NotificationTopicArn')) changes.notificationTopicArn = params.get('NotificationTopicArn') || undefined;
    Object.assign(g, changes);
    return [replicationGroupNode(ctx, g)];
  },
  DeleteReplicationGroup(ctx, params) {
    const g = replicationGroupFor(ctx, params.required('ReplicationGroupId'), 'elasticache:DeleteReplicationGroup');
    delete stateOf(ctx.world).replicationGroups[key(ctx, g.id)];
    return [replicationGroupNode(ctx, g)];
  },
};

const TAG_KINDS: Record<string, { table: keyof ElastiCacheState; code: string; cfn: string }> = {
  subnetgroup: { table: 'subnetGroups', code: 'CacheSubnetGroupNotFoundFault', cfn: 'AWS::ElastiCache::SubnetGroup' },
  parametergroup: { table: 'parameterGroups', code: 'CacheParameterGroupNotFound', cfn: 'AWS::ElastiCache::ParameterGroup' },
  replicationgroup: { table: 'replicationGroups', code: 'ReplicationGroupNotFoundFault', cfn: 'AWS::ElastiCache::ReplicationGroup' },
};

/** The tagged object an ElastiCache ARN names (also used by the Tagging API). */
export function cacheTagHolder(w: CacheWorld, region: string, arn: string): { tags: Tags } | undefined {
  const m = /^arn:aws:elasticache:([^:]+):(\d{12}):([a-z]+):(.+)$/.exec(arn);
  if (!m || m[1] !== region || m[2] !== w.accountId) return undefined;
  const kind = TAG_KINDS[m[3]!];
  return kind ? stateOf(w)[kind.table][`${region}/${m[4]!.toLowerCase()}`] : undefined;
}

function tagHolder(ctx: CallContext, arn: string, action: string, record: boolean): { tags: Tags } {
  const m = /^arn:aws:elasticache:([^:]+):(\d{12}):([a-z]+):(.+)$/.exec(arn);
  const kind = m ? TAG_KINDS[m[3]!] : undefined;
  if (!m || !kind) throw new ApiError('InvalidARN', `The ARN ${arn} is not a valid ElastiCache resource ARN.`, 400);
  if (record) ctx.trail.resources.push({ type: kind.cfn, name: m[4]!, arn });
  ctx.authorize(action, arn);
  const holder = cacheTagHolder(ctx.world, ctx.region, arn);
  if (!holder) throw notFound(kind.code, `${m[4]} not found.`);
  return holder;
}

export const elasticacheOperations: Record<string, Handler> = {
  ...operations,
  AddTagsToResource(ctx, params) {
    const holder = tagHolder(ctx, params.required('ResourceName'), 'elasticache:AddTagsToResource', true);
    holder.tags = { ...holder.tags, ...tagsParam(params) };
    return [tagListNode(holder.tags)];
  },
  RemoveTagsFromResource(ctx, params) {
    const holder = tagHolder(ctx, params.required('ResourceName'), 'elasticache:RemoveTagsFromResource', true);
    const keys = params.list('TagKeys.member');
    holder.tags = Object.fromEntries(Object.entries(holder.tags).filter(([k]) => !keys.includes(k)));
    return [tagListNode(holder.tags)];
  },
  ListTagsForResource(ctx, params) {
    return [tagListNode(tagHolder(ctx, params.required('ResourceName'), 'elasticache:ListTagsForResource', false).tags)];
  },
};
