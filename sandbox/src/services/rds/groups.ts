// RDS subnet groups, DB parameter groups and DB cluster parameter groups (query protocol,
// Version 2014-10-31): create, describe (Marker pagination), modify, reset, delete, with RDS's
// error codes. Default parameter groups (`default.<family>`) exist as soon as something names them
// and cannot be modified or deleted.
import type { CallContext } from '../../context';
import { ApiError, notFound } from '../../errors';
import type { QueryParams } from '../../protocol/query-xml';
import { items, node, type XmlNode } from '../../xml';
import { parametersOf, parameterValueProblem } from './catalog';
import { rdsArn, rdsOf, type RdsParameterGroup, type RdsSubnetGroup } from './model';
import { invalidCombination, invalidValue, pageOf, stringList, tagsParam } from './shapes';

type Handler = (ctx: CallContext, params: QueryParams) => XmlNode[];
export type GroupKind = 'db' | 'cluster';

const key = (ctx: CallContext, name: string): string => `${ctx.region}/${name.toLowerCase()}`;

function checkGroupName(name: string, what: string): string {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,254}$/.test(name) || name.endsWith('-') || name.includes('--')) {
    throw invalidValue(`The parameter ${what} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`);
  }
  return name.toLowerCase();
}

// ---- subnet groups ----

export function subnetGroupFor(ctx: CallContext, name: string, action: string, record = true): RdsSubnetGroup {
  const arn = rdsArn(ctx.world, ctx.region, 'subgrp', name.toLowerCase());
  if (record) ctx.trail.resources.push({ type: 'AWS::RDS::DBSubnetGroup', name: name.toLowerCase(), arn });
  ctx.authorize(action, arn);
  const g = rdsOf(ctx.world).subnetGroups[key(ctx, name)];
  if (!g) throw notFound('DBSubnetGroupNotFoundFault', `DB subnet group '${name}' not found.`);
  return g;
}

/** Checks the subnets exist in this region, share a VPC and cover at least two zones; returns the VPC. */
export function subnetsVpc(ctx: CallContext, ids: string[]): string {
  if (ids.length === 0) throw invalidValue('The request must contain the parameter SubnetIds');
  const subnets = ids.map((id) => ctx.world.subnets[id]);
  const bad = ids.filter((id, i) => !subnets[i] || subnets[i]!.region !== ctx.region);
  if (bad.length) throw new ApiError('InvalidSubnet', `Some input subnets in :[${bad.join(', ')}] are invalid.`, 400);
  const vpcs = new Set(subnets.map((s) => s!.vpcId));
  if (vpcs.size > 1) throw invalidValue('The subnets in a DB subnet group must all belong to the same VPC.');
  if (new Set(subnets.map((s) => s!.availabilityZone)).size < 2) {
    throw new ApiError('DBSubnetGroupDoesNotCoverEnoughAZs', 'The DB subnet group doesn\'t meet Availability Zone (AZ) coverage requirement. Current AZ coverage: 1. Add subnets to cover at least 2 AZs.', 400);
  }
  return [...vpcs][0]!;
}

export function subnetGroupNode(ctx: CallContext, g: RdsSubnetGroup, name = 'DBSubnetGroup'): XmlNode {
  return node(name, [
    node('DBSubnetGroupName', g.name), node('DBSubnetGroupDescription', g.description), node('VpcId', g.vpcId), node('SubnetGroupStatus', 'Complete'),
    node('Subnets', items('Subnet', g.subnetIds, (id) => [
      node('SubnetIdentifier', id), node('SubnetAvailabilityZone', [node('Name', ctx.world.subnets[id]?.availabilityZone ?? '')]), node('SubnetStatus', 'Active'),
    ])),
    node('DBSubnetGroupArn', rdsArn(ctx.world, g.region, 'subgrp', g.name)),
    stringList('SupportedNetworkTypes', 'member', ['IPV4']),
  ]);
}

const subnetGroupOperations: Record<string, Handler> = {
  CreateDBSubnetGroup(ctx, params) {
    const raw = params.required('DBSubnetGroupName');
    if (!/^[A-Za-z0-9 ._-]{1,255}$/.test(raw) || raw.toLowerCase() === 'default') throw invalidValue(`Invalid DB subnet group name: ${raw}`);
    const name = raw.toLowerCase();
    const arn = rdsArn(ctx.world, ctx.region, 'subgrp', name);
    ctx.trail.resources.push({ type: 'AWS::RDS::DBSubnetGroup', name, arn });
    ctx.authorize('rds:CreateDBSubnetGroup', arn);
    const description = params.required('DBSubnetGroupDescription');
    const state = rdsOf(ctx.world);
    if (state.subnetGroups[key(ctx, name)]) throw new ApiError('DBSubnetGroupAlreadyExists', `The DB subnet group '${name}' already exists.`, 400);
    const subnetIds = params.list('SubnetIds.SubnetIdentifier');
    const vpcId = subnetsVpc(ctx, subnetIds);
    const g: RdsSubnetGroup = { name, region: ctx.region, description, subnetIds: [...new Set(subnetIds)], vpcId, tags: tagsParam(params) };
    state.subnetGroups[key(ctx, name)] = g;
    return [subnetGroupNode(ctx, g)];
  },
  DescribeDBSubnetGroups(ctx, params) {
    const name = params.get('DBSubnetGroupName');
    if (params.has('Filters.Filter.1.Name')) throw invalidValue('The parameter Filters is not currently supported.');
    let list: RdsSubnetGroup[];
    if (name !== undefined) list = [subnetGroupFor(ctx, name, 'rds:DescribeDBSubnetGroups', false)];
    else {
      ctx.authorize('rds:DescribeDBSubnetGroups', rdsArn(ctx.world, ctx.region, 'subgrp', '*'));
      list = Object.values(rdsOf(ctx.world).subnetGroups).filter((g) => g.region === ctx.region).sort((a, b) => a.name.localeCompare(b.name));
    }
    const page = pageOf(list, params);
    return [node('DBSubnetGroups', page.items.map((g) => subnetGroupNode(ctx, g))), node('Marker', page.marker)];
  },
  ModifyDBSubnetGroup(ctx, params) {
    const g = subnetGroupFor(ctx, params.required('DBSubnetGroupName'), 'rds:ModifyDBSubnetGroup');
    const subnetIds = params.list('SubnetIds.SubnetIdentifier');
    const vpcId = subnetsVpc(ctx, subnetIds);
    if (vpcId !== g.vpcId && Object.values(rdsOf(ctx.world).instances).some((i) => i.region === g.region && i.subnetGroupName === g.name)) {
      throw new ApiError('SubnetAlreadyInUse', 'The DB subnet group is in use by a DB instance in another VPC.', 400);
    }
    g.subnetIds = [...new Set(subnetIds)];
    g.vpcId = vpcId;
    const description = params.get('DBSubnetGroupDescription');
    if (description !== undefined) g.description = description;
    return [subnetGroupNode(ctx, g)];
  },
  DeleteDBSubnetGroup(ctx, params) {
    const g = subnetGroupFor(ctx, params.required('DBSubnetGroupName'), 'rds:DeleteDBSubnetGroup');
    const state = rdsOf(ctx.world);
    const inUse = [...Object.values(state.instances), ...Object.values(state.clusters)].some((d) => d.region === g.region && d.subnetGroupName === g.name);
    if (inUse) throw new ApiError('InvalidDBSubnetGroupStateFault', `Cannot delete the subnet group '${g.name}' because at least one database instance: is still using it.`, 400);
    delete state.subnetGroups[key(ctx, g.name)];
    return [];
  },
};

// ---- parameter groups (DB and cluster) ----

interface KindInfo {
  table: 'parameterGroups' | 'clusterParameterGroups';
  arnKind: 'pg' | 'cluster-pg';
  nameParam: string;
  node: string;
  arnNode: string;
  notFound: string;
  exists: string;
  cfnType: string;
  op: string;
}

const KINDS: Record<GroupKind, KindInfo> = {
  db: {
    table: 'parameterGroups', arnKind: 'pg', nameParam: 'DBParameterGroupName', node: 'DBParameterGroup', arnNode: 'DBParameterGroupArn',
    notFound: 'DBParameterGroupNotFound', exists: 'DBParameterGroupAlreadyExists', cfnType: 'AWS::RDS::DBParameterGroup', op: 'DBParameter',
  },
  cluster: {
    table: 'clusterParameterGroups', arnKind: 'cluster-pg', nameParam: 'DBClusterParameterGroupName', node: 'DBClusterParameterGroup', arnNode: 'DBClusterParameterGroupArn',
    notFound: 'DBParameterGroupNotFound', exists: 'DBParameterGroupAlreadyExists', cfnType: 'AWS::RDS::DBClusterParameterGroup', op: 'DBClusterParameter',
  },
};

const isDefaultGroup = (name: string): boolean => name.startsWith('default.');

/** The group a name refers to; `default.<family>` groups come into being when first named. */
export function parameterGroupFor(ctx: CallContext, kind: GroupKind, name: string, action: string, record = true): RdsParameterGroup {
  const k = KINDS[kind];
  const lower = name.toLowerCase();
  const arn = rdsArn(ctx.world, ctx.region, k.arnKind, lower);
  if (record) ctx.trail.resources.push({ type: k.cfnType, name: lower, arn });
  ctx.authorize(action, arn);
  const table = rdsOf(ctx.world)[k.table];
  let g = table[key(ctx, lower)];
  if (!g && isDefaultGroup(lower) && parametersOf(lower.slice('default.'.length))) {
    const family = lower.slice('default.'.length);
    g = table[key(ctx, lower)] = { name: lower, region: ctx.region, family, description: `Default parameter group for ${family}`, parameters: {}, tags: {} };
  }
  if (!g) throw notFound(k.notFound, `${kind === 'db' ? 'DBParameterGroup' : 'DBClusterParameterGroup'} not found: ${name}`);
  return g;
}

function groupNode(ctx: CallContext, kind: GroupKind, g: RdsParameterGroup): XmlNode {
  const k = KINDS[kind];
  return node(k.node, [
    node(k.nameParam, g.name), node('DBParameterGroupFamily', g.family), node('Description', g.description),
    node(k.arnNode, rdsArn(ctx.world, g.region, k.arnKind, g.name)),
  ]);
}

function parameterNodes(g: RdsParameterGroup, source: string | undefined): XmlNode[] {
  const catalog = parametersOf(g.family) ?? {};
  const rows = Object.entries(catalog).sort(([a], [b]) => a.localeCompare(b)).map(([name, info]) => {
    const user = g.parameters[name];
    const src = user ? 'user' : info.value !== undefined ? 'system' : 'engine-default';
    return { name, info, src, value: user?.value ?? info.value, applyMethod: user?.applyMethod ?? 'pending-reboot' };
  }).filter((r) => source === undefined || r.src === source);
  return rows.map((r) => node('Parameter', [
    node('ParameterName', r.name), node('ParameterValue', r.value), node('Description', r.info.description), node('Source', r.src),
    node('ApplyType', r.info.applyType), node('DataType', r.info.dataType),
    node('AllowedValues', Array.isArray(r.info.allowed) ? (typeof r.info.allowed[0] === 'number' ? r.info.allowed.join('-') : r.info.allowed.join(',')) : undefined),
    node('IsModifiable', true), node('ApplyMethod', r.applyMethod),
  ]));
}

function modifyParameters(ctx: CallContext, kind: GroupKind, params: QueryParams, reset: boolean): XmlNode[] {
  const k = KINDS[kind];
  const g = parameterGroupFor(ctx, kind, params.required(k.nameParam), `rds:${reset ? 'Reset' : 'Modify'}${k.node}`);
  if (isDefaultGroup(g.name)) throw new ApiError('InvalidDBParameterGroupState', `Default parameter groups cannot be ${reset ? 'reset' : 'modified'}: ${g.name}`, 400);
  const catalog = parametersOf(g.family) ?? {};
  const list = params.structs('Parameters.Parameter');
  if (list.length > 20) throw invalidValue('You can modify at most 20 parameters in one request.');
  if (reset && params.bool('ResetAllParameters')) {
    if (list.length) throw invalidCombination('ResetAllParameters and Parameters cannot be specified together.');
    g.parameters = {};
    return [node(k.nameParam, g.name)];
  }
  if (list.length === 0) throw invalidValue(reset ? 'Parameters or ResetAllParameters must be specified.' : 'The request must contain the parameter Parameters');
  const changes: Array<[string, { value: string; applyMethod: 'immediate' | 'pending-reboot' } | undefined]> = [];
  for (const p of list) {
    const name = p.get('ParameterName');
    if (!name) throw invalidValue('ParameterName must be provided');
    const info = catalog[name];
    if (!info) throw invalidValue(`Could not find parameter with name: ${name}`);
    const method = p.get('ApplyMethod');
    if (method !== undefined && method !== 'immediate' && method !== 'pending-reboot') throw invalidValue(`Invalid apply method: ${method}`);
    if (reset) {
      changes.push([name, undefined]);
      continue;
    }
    if (!method) throw invalidValue(`ApplyMethod must be provided for parameter ${name}`);
    if (method === 'immediate' && info.applyType === 'static') throw invalidCombination(`cannot use immediate apply method for static parameter`);
    const value = p.get('ParameterValue');
    if (value === undefined) throw invalidValue(`ParameterValue must be provided for parameter ${name}`);
    const problem = parameterValueProblem(name, info, value);
    if (problem) throw invalidValue(problem);
    changes.push([name, { value, applyMethod: method }]);
  }
  for (const [name, v] of changes) {
    if (v) g.parameters[name] = v;
    else delete g.parameters[name];
  }
  return [node(k.nameParam, g.name)];
}

function parameterGroupOperations(kind: GroupKind): Record<string, Handler> {
  const k = KINDS[kind];
  return {
    [`Create${k.node}`](ctx, params) {
      const name = checkGroupName(params.required(k.nameParam), k.nameParam);
      const arn = rdsArn(ctx.world, ctx.region, k.arnKind, name);
      ctx.trail.resources.push({ type: k.cfnType, name, arn });
      ctx.authorize(`rds:Create${k.node}`, arn);
      const family = params.required('DBParameterGroupFamily');
      const description = params.required('Description');
      if (!parametersOf(family) || (kind === 'cluster' && !family.startsWith('aurora-'))) throw invalidValue(`ParameterGroupFamily ${family} is not a valid parameter group family${kind === 'cluster' ? ' for DB clusters' : ''}.`);
      if (isDefaultGroup(name)) throw invalidValue('Parameter group names starting with default. are reserved.');
      const table = rdsOf(ctx.world)[k.table];
      if (table[key(ctx, name)]) throw new ApiError(k.exists, `Parameter group ${name} already exists`, 400);
      const g: RdsParameterGroup = { name, region: ctx.region, family, description, parameters: {}, tags: tagsParam(params) };
      table[key(ctx, name)] = g;
      return [groupNode(ctx, kind, g)];
    },
    [`Describe${k.node}s`](ctx, params) {
      const name = params.get(k.nameParam);
      if (params.has('Filters.Filter.1.Name')) throw invalidValue('The parameter Filters is not currently supported.');
      let list: RdsParameterGroup[];
      if (name !== undefined) list = [parameterGroupFor(ctx, kind, name, `rds:Describe${k.node}s`, false)];
      else {
        ctx.authorize(`rds:Describe${k.node}s`, rdsArn(ctx.world, ctx.region, k.arnKind, '*'));
        list = Object.values(rdsOf(ctx.world)[k.table]).filter((g) => g.region === ctx.region).sort((a, b) => a.name.localeCompare(b.name));
      }
      const page = pageOf(list, params);
      return [node(`${k.node}s`, page.items.map((g) => groupNode(ctx, kind, g))), node('Marker', page.marker)];
    },
    [`Describe${k.op}s`](ctx, params) {
      const g = parameterGroupFor(ctx, kind, params.required(k.nameParam), `rds:Describe${k.op}s`, false);
      const source = params.get('Source');
      if (source !== undefined && !['user', 'system', 'engine-default'].includes(source)) throw invalidValue(`Invalid source: ${source}. Valid values are user, system, engine-default.`);
      const page = pageOf(parameterNodes(g, source), params);
      return [node('Parameters', page.items), node('Marker', page.marker)];
    },
    [`Modify${k.node}`]: (ctx, params) => modifyParameters(ctx, kind, params, false),
    [`Reset${k.node}`]: (ctx, params) => modifyParameters(ctx, kind, params, true),
    [`Delete${k.node}`](ctx, params) {
      const g = parameterGroupFor(ctx, kind, params.required(k.nameParam), `rds:Delete${k.node}`);
      if (isDefaultGroup(g.name)) throw new ApiError('InvalidDBParameterGroupState', `Default parameter groups cannot be deleted: ${g.name}`, 400);
      const state = rdsOf(ctx.world);
      const users = kind === 'db' ? Object.values(state.instances) : Object.values(state.clusters);
      if (users.some((d) => d.region === g.region && d.parameterGroupName === g.name)) {
        throw new ApiError('InvalidDBParameterGroupState', `One or more database instances are still members of this parameter group ${g.name}, so the group cannot be deleted`, 400);
      }
      delete state[k.table][key(ctx, g.name)];
      return [];
    },
  };
}

export const rdsGroupOperations: Record<string, Handler> = {
  ...subnetGroupOperations,
  ...parameterGroupOperations('db'),
  ...parameterGroupOperations('cluster'),
};
