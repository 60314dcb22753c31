// EC2 flow logs, VPC endpoints and VPC peering connections (query/XML), per the EC2 API reference.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { ec2Id } from '../ids';
import type { QueryParams } from '../protocol/query-xml';
import { arns, DEFAULT_FLOW_LOG_FORMAT, type FlowLog, type Tags, type VpcEndpoint, type VpcPeeringConnection } from '../world';
import { items, node, type XmlNode } from '../xml';
import { filtered, notFound, queryKey, regionalVpc } from './ec2-calls';
import { routeTablesOf } from './ec2-routes';
import { paginate, tagFilterValues, tagSet, tagSpecifications, type FilterValues } from './ec2-shapes';

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

export const flowLogsOf = (ctx: CallContext): Record<string, FlowLog> => (ctx.world.flowLogs ??= {});
export const vpcEndpointsOf = (ctx: CallContext): Record<string, VpcEndpoint> => (ctx.world.vpcEndpoints ??= {});
export const peeringsOf = (ctx: CallContext): Record<string, VpcPeeringConnection> => (ctx.world.vpcPeeringConnections ??= {});

/** Taggable objects of this module by id prefix (CreateTags/DeleteTags and the Tagging API). */
export const ENDPOINT_KINDS = {
  'vpc-flow-log': { prefix: 'fl', code: 'InvalidFlowLogId', noun: 'flow log ID', trail: 'AWS::EC2::FlowLog' },
  'vpc-endpoint': { prefix: 'vpce', code: 'InvalidVpcEndpointId', noun: 'vpc endpoint ID', trail: 'AWS::EC2::VPCEndpoint' },
  'vpc-peering-connection': { prefix: 'pcx', code: 'InvalidVpcPeeringConnectionID', noun: 'vpcPeeringConnection ID', trail: 'AWS::EC2::VPCPeeringConnection' },
} as const;
export type EndpointKind = keyof typeof ENDPOINT_KINDS;

export function endpointTagTable(ctx: CallContext, kind: EndpointKind): Record<string, { tags: Tags; region: string }> {
  return kind === 'vpc-flow-log' ? flowLogsOf(ctx) : kind === 'vpc-endpoint' ? vpcEndpointsOf(ctx) : peeringsOf(ctx);
}


/** The policy AWS attaches to an endpoint created without one: full access. */
const FULL_ACCESS_POLICY = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

function mutate(ctx: CallContext, action: string, kind: EndpointKind, ids: string[]): void {
  for (const id of ids) ctx.trail.resources.push({ type: ENDPOINT_KINDS[kind].trail, name: id, arn: arns.ec2(ctx.region, ctx.world.accountId, kind, id) });
  ctx.authorize(action, ids.length ? ids.map((id) => arns.ec2(ctx.region, ctx.world.accountId, kind, id)) : [arns.ec2(ctx.region, ctx.world.accountId, kind, '*')]);
}

/** The resource a flow log watches: a VPC, subnet or network interface of this region. */
function flowLogTargetExists(ctx: CallContext, id: string): boolean {
  const w = ctx.world;
  if (id.startsWith('vpc-')) return w.vpcs[id]?.region === ctx.region;
  if (id.startsWith('subnet-')) return w.subnets[id]?.region === ctx.region;
  if (id.startsWith('eni-')) return Object.values(w.instances).some((i) => i.networkInterfaceId === id && i.region === ctx.region && i.state !== 'terminated');
  return false;
}

function flowLogXml(g: FlowLog): XmlNode[] {
  return [
    node('creationTime', g.creationTime), node('deliverLogsPermissionArn', g.deliverLogsPermissionArn), node('deliverLogsStatus', 'SUCCESS'), node('flowLogId', g.id),
    node('flowLogStatus', 'ACTIVE'), node('logGroupName', g.logGroupName), node('resourceId', g.resourceId), node('trafficType', g.trafficType),
    node('logDestinationType', g.logDestinationType), node('logDestination', g.logDestination), node('logFormat', g.logFormat), tagSet(g.tags),
    node('maxAggregationInterval', g.maxAggregationInterval),
  ];
}

function endpointXml(ctx: CallContext, e: VpcEndpoint): XmlNode[] {
  const groups = e.securityGroupIds.map((id) => ({ id, name: ctx.world.securityGroups[id]?.name ?? id }));
  return [
    node('vpcEndpointId', e.id), node('vpcEndpointType', e.type), node('vpcId', e.vpcId), node('serviceName', e.serviceName), node('state', e.state),
    node('policyDocument', e.policyDocument), node('routeTableIdSet', items('item', e.routeTableIds, (id) => id)), node('subnetIdSet', items('item', e.subnetIds, (id) => id)),
    node('groupSet', items('item', groups, (g) => [node('groupId', g.id), node('groupName', g.name)])), node('ipAddressType', 'ipv4'),
    node('dnsOptions', [node('dnsRecordIpType', e.type === 'Interface' ? 'ipv4' : undefined)]), node('privateDnsEnabled', e.privateDnsEnabled), node('requesterManaged', false),
    node('networkInterfaceIdSet', []), node('dnsEntrySet', []), node('creationTimestamp', e.creationTimestamp), tagSet(e.tags), node('ownerId', ctx.world.accountId),
  ];
}

function peeringXml(ctx: CallContext, c: VpcPeeringConnection): XmlNode[] {
  const side = (vpcId: string, ownerId: string, region: string, allowDns: boolean): XmlNode[] => {
    const v = ctx.world.vpcs[vpcId];
    return [
      node('cidrBlock', v?.cidrBlock), node('cidrBlockSet', v ? [node('item', [node('cidrBlock', v.cidrBlock)])] : []), node('ownerId', ownerId),
      ...(c.status === 'active' ? [node('peeringOptions', [
        node('allowDnsResolutionFromRemoteVpc', allowDns), node('allowEgressFromLocalClassicLinkToRemoteVpc', false), node('allowEgressFromLocalVpcToRemoteClassicLink', false),
      ])] : []),
      node('vpcId', vpcId), node('region', region),
    ];
  };
  const messages: Record<VpcPeeringConnection['status'], string> = { 'pending-acceptance': `Pending Acceptance by ${c.accepterOwnerId}`, active: 'Active', deleted: `Deleted by ${ctx.world.accountId}`, rejected: `Rejected by ${c.accepterOwnerId}` };
  return [
    node('accepterVpcInfo', side(c.accepterVpcId, c.accepterOwnerId, c.accepterRegion, c.accepterAllowDns)),
    node('requesterVpcInfo', side(c.requesterVpcId, c.requesterOwnerId ?? ctx.world.accountId, c.region, c.requesterAllowDns)),
    node('status', [node('code', c.status), node('message', messages[c.status])]), tagSet(c.tags), node('vpcPeeringConnectionId', c.id),
  ];
}

function peering(ctx: CallContext, id: string): VpcPeeringConnection {
  const c = peeringsOf(ctx)[id];
  if (!c || c.region !== ctx.region || c.status === 'deleted') throw notFound(ENDPOINT_KINDS['vpc-peering-connection'], id);
  return c;
}

function endpoint(ctx: CallContext, id: string): VpcEndpoint {
  const e = vpcEndpointsOf(ctx)[id];
  if (!e || e.region !== ctx.region || e.state === 'deleted') throw notFound(ENDPOINT_KINDS['vpc-endpoint'], id);
  return e;
}

function checkRouteTables(ctx: CallContext, vpcId: string, ids: string[]): void {
  for (const id of ids) {
    const t = routeTablesOf(ctx)[id];
    if (!t || t.region !== ctx.region || t.vpcId !== vpcId) throw new ApiError('InvalidRouteTableId.NotFound', `The routeTable ID '${id}' does not exist`, 400);
  }
}

function checkPolicy(text: string | undefined): void {
  if (text === undefined) return;
  try {
    JSON.parse(text);
  } catch {
    throw new ApiError('InvalidPolicyDocument', 'The policy document is not valid JSON', 400);
  }
}

export const ec2EndpointOperations: Record<string, Handler> = {
  CreateFlowLogs(ctx, p) {
    const resourceIds = p.list('ResourceId');
    const resourceType = p.required('ResourceType');
    mutate(ctx, 'ec2:CreateFlowLogs', 'vpc-flow-log', []);
    if (!resourceIds.length) throw new ApiError('MissingParameter', 'The request must contain the parameter ResourceId', 400);
    if (!['VPC', 'Subnet', 'NetworkInterface'].includes(resourceType)) throw new ApiError('InvalidParameterValue', `Invalid value '${resourceType}' for ResourceType`, 400);
    const destinationType = (p.get('LogDestinationType') ?? 'cloud-watch-logs') as FlowLog['logDestinationType'];
    if (!['cloud-watch-logs', 's3', 'kinesis-data-firehose'].includes(destinationType)) throw new ApiError('InvalidParameterValue', `Invalid value '${destinationType}' for LogDestinationType`, 400);
    const logGroupName = p.get('LogGroupName');
    const destination = p.get('LogDestination');
    const role = p.get('DeliverLogsPermissionArn');
    if (destinationType === 'cloud-watch-logs' && !logGroupName && !destination) throw new ApiError('MissingParameter', 'The request must contain the parameter LogGroupName or LogDestination', 400);
    if (destinationType === 'cloud-watch-logs' && !role) throw new ApiError('InvalidParameter', 'DeliverLogsPermissionArn is required when delivering to CloudWatch Logs', 400);
    const interval = p.int('MaxAggregationInterval') ?? 600;
    if (![60, 600].includes(interval)) throw new ApiError('InvalidParameterValue', `Invalid value '${interval}' for MaxAggregationInterval`, 400);
    const created: string[] = [];
    const unsuccessful: Array<{ id: string; code: string; message: string }> = [];
    for (const resourceId of resourceIds) {
      if (!flowLogTargetExists(ctx, resourceId)) {
        unsuccessful.push({ id: resourceId, code: 'InvalidParameter', message: `The resource '${resourceId}' does not exist` });
        continue;
      }
      const groupName = logGroupName ?? (destinationType === 'cloud-watch-logs' ? destination?.split(':log-group:')[1]?.replace(/:\*$/, '') : undefined);
      const g: FlowLog = {
        id: ec2Id('fl'), region: ctx.region, resourceId, trafficType: p.get('TrafficType') ?? 'ALL', logDestinationType: destinationType, logGroupName: groupName,
        logDestination: destination ?? (groupName ? `arn:aws:logs:${ctx.region}:${ctx.world.accountId}:log-group:${groupName}` : undefined),
        deliverLogsPermissionArn: role, logFormat: p.get('LogFormat') ?? DEFAULT_FLOW_LOG_FORMAT, maxAggregationInterval: interval, creationTime: ctx.now.toISOString(),
        tags: tagSpecifications(p, 'vpc-flow-log'),
      };
      flowLogsOf(ctx)[g.id] = g;
      ctx.trail.resources.push({ type: ENDPOINT_KINDS['vpc-flow-log'].trail, name: g.id });
      created.push(g.id);
    }
    ctx.trail.responseElements = { flowLogIdSet: created };
    return [
      node('clientToken', p.get('ClientToken')), node('flowLogIdSet', items('item', created, (id) => id)),
      node('unsuccessful', items('item', unsuccessful, (u) => [node('error', [node('code', u.code), node('message', u.message)]), node('resourceId', u.id)])),
    ];
  },
  DescribeFlowLogs(ctx, p) {
    ctx.authorize('ec2:DescribeFlowLogs', '*');
    const ids = p.list('FlowLogId');
    const all = Object.values(flowLogsOf(ctx)).filter((g) => g.region === ctx.region);
    const base = ids.length ? all.filter((g) => ids.includes(g.id)) : all;
    const values: FilterValues<FlowLog> = (g, name) => {
      switch (name) {
        case 'flow-log-id': return [g.id];
        case 'resource-id': return [g.resourceId];
        case 'traffic-type': return g.trafficType ? [g.trafficType] : [];
        case 'log-destination-type': return [g.logDestinationType];
        case 'log-group-name': return g.logGroupName ? [g.logGroupName] : [];
        case 'deliver-log-status': return ['SUCCESS'];
        default: return tagFilterValues(g.tags, name);
      }
    };
    const { page, nextToken } = paginate(filtered(base, p, values), p, queryKey(p), { min: 1, max: 1000 });
    return [node('flowLogSet', items('item', page, flowLogXml)), node('nextToken', nextToken)];
  },
  DeleteFlowLogs(ctx, p) {
    const ids = p.list('FlowLogId');
    mutate(ctx, 'ec2:DeleteFlowLogs', 'vpc-flow-log', ids);
    const unsuccessful: string[] = [];
    for (const id of ids) {
      if (flowLogsOf(ctx)[id]?.region === ctx.region) delete flowLogsOf(ctx)[id];
      else unsuccessful.push(id);
    }
    return [node('unsuccessful', items('item', unsuccessful, (id) => [
      node('error', [node('code', 'InvalidFlowLogId.NotFound'), node('message', `Flow log ${id} does not exist`)]), node('resourceId', id),
    ]))];
  },

  CreateVpcEndpoint(ctx, p) {
    const vpcId = p.required('VpcId');
    const serviceName = p.required('ServiceName');
    mutate(ctx, 'ec2:CreateVpcEndpoint', 'vpc-endpoint', []);
    regionalVpc(ctx, vpcId);
    if (!/^com\.amazonaws\.[a-z0-9-]+\.[a-z0-9.-]+$/.test(serviceName)) throw new ApiError('InvalidServiceName', `The Vpc Endpoint Service '${serviceName}' does not exist`, 400);
    const type = (p.get('VpcEndpointType') ?? 'Gateway') as VpcEndpoint['type'];
    if (!['Gateway', 'Interface', 'GatewayLoadBalancer'].includes(type)) throw new ApiError('InvalidParameterValue', `Invalid value '${type}' for VpcEndpointType`, 400);
    const routeTableIds = p.list('RouteTableId');
    checkRouteTables(ctx, vpcId, routeTableIds);
    const policy = p.get('PolicyDocument');
    checkPolicy(policy);
    const e: VpcEndpoint = {
      id: ec2Id('vpce'), region: ctx.region, vpcId, serviceName, type, policyDocument: policy ?? (type === 'GatewayLoadBalancer' ? undefined : FULL_ACCESS_POLICY),
      routeTableIds, subnetIds: p.list('SubnetId'), securityGroupIds: p.list('SecurityGroupId'), privateDnsEnabled: p.bool('PrivateDnsEnabled') ?? type === 'Interface',
      state: 'available', creationTimestamp: ctx.now.toISOString(), tags: tagSpecifications(p, 'vpc-endpoint'),
    };
    vpcEndpointsOf(ctx)[e.id] = e;
    ctx.trail.resources.push({ type: ENDPOINT_KINDS['vpc-endpoint'].trail, name: e.id });
    ctx.trail.responseElements = { vpcEndpointId: e.id };
    return [node('vpcEndpoint', endpointXml(ctx, e)), node('clientToken', p.get('ClientToken'))];
  },
  DescribeVpcEndpoints(ctx, p) {
    ctx.authorize('ec2:DescribeVpcEndpoints', '*');
    const ids = p.list('VpcEndpointId');
    const all = Object.values(vpcEndpointsOf(ctx)).filter((e) => e.region === ctx.region && e.state !== 'deleted');
    for (const id of ids) if (!all.some((e) => e.id === id)) throw notFound(ENDPOINT_KINDS['vpc-endpoint'], id);
    const base = ids.length ? all.filter((e) => ids.includes(e.id)) : all;
    const values: FilterValues<VpcEndpoint> = (e, name) => {
      switch (name) {
        case 'vpc-endpoint-id': return [e.id];
        case 'vpc-id': return [e.vpcId];
        case 'service-name': return [e.serviceName];
        case 'vpc-endpoint-state': return [e.state];
        case 'vpc-endpoint-type': return [e.type];
        default: return tagFilterValues(e.tags, name);
      }
    };
    const { page, nextToken } = paginate(filtered(base, p, values), p, queryKey(p), { min: 5, max: 1000 });
    return [node('vpcEndpointSet', items('item', page, (e) => endpointXml(ctx, e))), node('nextToken', nextToken)];
  },
  ModifyVpcEndpoint(ctx, p) {
    const id = p.required('VpcEndpointId');
    mutate(ctx, 'ec2:ModifyVpcEndpoint', 'vpc-endpoint', [id]);
    const e = endpoint(ctx, id);
    const add = p.list('AddRouteTableId');
    checkRouteTables(ctx, e.vpcId, add);
    const policy = p.get('PolicyDocument');
    checkPolicy(policy);
    const edit = (list: string[], plus: string[], minus: string[]): string[] => [...new Set([...list.filter((x) => !minus.includes(x)), ...plus])];
    e.routeTableIds = edit(e.routeTableIds, add, p.list('RemoveRouteTableId'));
    e.subnetIds = edit(e.subnetIds, p.list('AddSubnetId'), p.list('RemoveSubnetId'));
    e.securityGroupIds = edit(e.securityGroupIds, p.list('AddSecurityGroupId'), p.list('RemoveSecurityGroupId'));
    if (p.bool('ResetPolicy')) e.policyDocument = FULL_ACCESS_POLICY;
    else if (policy !== undefined) e.policyDocument = policy;
    const dns = p.bool('PrivateDnsEnabled');
    if (dns !== undefined) e.privateDnsEnabled = dns;
    return [node('return', true)];
  },
  DeleteVpcEndpoints(ctx, p) {
    const ids = p.list('VpcEndpointId');
    mutate(ctx, 'ec2:DeleteVpcEndpoints', 'vpc-endpoint', ids);
    const unsuccessful: string[] = [];
    for (const id of ids) {
      const e = vpcEndpointsOf(ctx)[id];
      if (e && e.region === ctx.region && e.state !== 'deleted') e.state = 'deleted';
      else unsuccessful.push(id);
    }
    return [node('unsuccessful', items('item', unsuccessful, (id) => [
      node('error', [node('code', 'InvalidVpcEndpoint.NotFound'), node('message', `The VPC endpoint ${id} does not exist`)]), node('resourceId', id),
    ]))];
  },

  CreateVpcPeeringConnection(ctx, p) {
    const vpcId = p.required('VpcId');
    const peerVpcId = p.required('PeerVpcId');
    mutate(ctx, 'ec2:CreateVpcPeeringConnection', 'vpc-peering-connection', []);
    regionalVpc(ctx, vpcId);
    const ownerId = p.get('PeerOwnerId') ?? ctx.world.accountId;
    const region = p.get('PeerRegion') ?? ctx.region;
    // Only peers in this account and region can be checked (and accepted) here.
    if (ownerId === ctx.world.accountId && region === ctx.region) regionalVpc(ctx, peerVpcId);
    const c: VpcPeeringConnection = {
      id: ec2Id('pcx'), region: ctx.region, requesterVpcId: vpcId, accepterVpcId: peerVpcId, accepterOwnerId: ownerId, accepterRegion: region,
      status: 'pending-acceptance', requesterAllowDns: false, accepterAllowDns: false, tags: tagSpecifications(p, 'vpc-peering-connection'),
    };
    peeringsOf(ctx)[c.id] = c;
    ctx.trail.resources.push({ type: ENDPOINT_KINDS['vpc-peering-connection'].trail, name: c.id });
    ctx.trail.responseElements = { vpcPeeringConnectionId: c.id };
    return [node('vpcPeeringConnection', peeringXml(ctx, c))];
  },
  AcceptVpcPeeringConnection(ctx, p) {
    const id = p.required('VpcPeeringConnectionId');
    mutate(ctx, 'ec2:AcceptVpcPeeringConnection', 'vpc-peering-connection', [id]);
    const c = peering(ctx, id);
    // Only the accepter's account may accept.
    if (c.accepterOwnerId !== ctx.world.accountId) throw new ApiError('OperationNotPermitted', `User ${ctx.world.accountId} cannot accept peering ${id}`, 400);
    if (c.status !== 'pending-acceptance' && c.status !== 'active') throw new ApiError('InvalidStateTransition', `Invalid state transition for ${id}, attempted to transition from ${c.status} to active`, 400);
    c.status = 'active';
    return [node('vpcPeeringConnection', peeringXml(ctx, c))];
  },
  DescribeVpcPeeringConnections(ctx, p) {
    ctx.authorize('ec2:DescribeVpcPeeringConnections', '*');
    const ids = p.list('VpcPeeringConnectionId');
    const all = Object.values(peeringsOf(ctx)).filter((c) => c.region === ctx.region);
    for (const id of ids) if (!all.some((c) => c.id === id)) throw notFound(ENDPOINT_KINDS['vpc-peering-connection'], id);
    const base = ids.length ? all.filter((c) => ids.includes(c.id)) : all;
    const values: FilterValues<VpcPeeringConnection> = (c, name) => {
      switch (name) {
        case 'vpc-peering-connection-id': return [c.id];
        case 'status-code': return [c.status];
        case 'requester-vpc-info.vpc-id': return [c.requesterVpcId];
        case 'accepter-vpc-info.vpc-id': return [c.accepterVpcId];
        case 'accepter-vpc-info.owner-id': return [c.accepterOwnerId];
        case 'requester-vpc-info.owner-id': return [c.requesterOwnerId ?? ctx.world.accountId];
        default: return tagFilterValues(c.tags, name);
      }
    };
    const { page, nextToken } = paginate(filtered(base, p, values), p, queryKey(p), { min: 5, max: 1000 });
    return [node('vpcPeeringConnectionSet', items('item', page, (c) => peeringXml(ctx, c))), node('nextToken', nextToken)];
  },
  ModifyVpcPeeringConnectionOptions(ctx, p) {
    const id = p.required('VpcPeeringConnectionId');
    mutate(ctx, 'ec2:ModifyVpcPeeringConnectionOptions', 'vpc-peering-connection', [id]);
    const c = peering(ctx, id);
    const accepter = p.bool('AccepterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc');
    const requester = p.bool('RequesterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc');
    // Each account sets the options of its own side only.
    const denied = (side: string): ApiError => new ApiError('OperationNotPermitted', `User ${ctx.world.accountId} does not have permission to modify the ${side} side peering options`, 400);
    if (accepter !== undefined && c.accepterOwnerId !== ctx.world.accountId) throw denied('accepter');
    if (requester !== undefined && (c.requesterOwnerId ?? ctx.world.accountId) !== ctx.world.accountId) throw denied('requester');
    if (c.status !== 'active') throw new ApiError('OperationNotPermitted', `Peering connection ${id} is not active.`, 400);
    if (accepter !== undefined) c.accepterAllowDns = accepter;
    if (requester !== undefined) c.requesterAllowDns = requester;
    const options = (allow: boolean | undefined): XmlNode[] => (allow === undefined ? [] : [node('allowDnsResolutionFromRemoteVpc', allow)]);
    return [
      ...(accepter !== undefined ? [node('accepterPeeringConnectionOptions', options(accepter))] : []),
      ...(requester !== undefined ? [node('requesterPeeringConnectionOptions', options(requester))] : []),
    ];
  },
  DeleteVpcPeeringConnection(ctx, p) {
    const id = p.required('VpcPeeringConnectionId');
    mutate(ctx, 'ec2:DeleteVpcPeeringConnection', 'vpc-peering-connection', [id]);
    peering(ctx, id).status = 'deleted';
    return [node('return', true)];
  },
};
