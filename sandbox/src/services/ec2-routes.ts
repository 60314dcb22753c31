// EC2 route tables and internet gateways (query/XML), per the EC2 API reference: every VPC has a
// main route table with its `local` route; tables hold routes and subnet/gateway associations.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { ec2Id } from '../ids';
import type { QueryParams } from '../protocol/query-xml';
import type { InternetGateway, Route, RouteTable, Vpc } from '../world';
import { items, node, type XmlNode } from '../xml';
import { authorizeWrite, filtered, queryKey, regionalVpc } from './ec2-calls';
import { paginate, tagFilterValues, tagSet, tagSpecifications, type FilterValues } from './ec2-shapes';

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

/** Route targets as the API names them (request parameter, response element). */
const TARGETS: Array<[keyof Route, string, string]> = [
  ['gatewayId', 'GatewayId', 'gatewayId'],
  ['natGatewayId', 'NatGatewayId', 'natGatewayId'],
  ['networkInterfaceId', 'NetworkInterfaceId', 'networkInterfaceId'],
  ['instanceId', 'InstanceId', 'instanceId'],
  ['vpcPeeringConnectionId', 'VpcPeeringConnectionId', 'vpcPeeringConnectionId'],
  ['transitGatewayId', 'TransitGatewayId', 'transitGatewayId'],
  ['egressOnlyInternetGatewayId', 'EgressOnlyInternetGatewayId', 'egressOnlyInternetGatewayId'],
  ['carrierGatewayId', 'CarrierGatewayId', 'carrierGatewayId'],
  ['localGatewayId', 'LocalGatewayId', 'localGatewayId'],
  ['coreNetworkArn', 'CoreNetworkArn', 'coreNetworkArn'],
];
const DESTINATIONS: Array<[keyof Route, string, string]> = [
  ['destinationCidrBlock', 'DestinationCidrBlock', 'destination-cidr-block'],
  ['destinationIpv6CidrBlock', 'DestinationIpv6CidrBlock', 'destination-ipv6-cidr-block'],
  ['destinationPrefixListId', 'DestinationPrefixListId', 'destination-prefix-list-id'],
];

export function routeTablesOf(ctx: CallContext): Record<string, RouteTable> {
  const tables = (ctx.world.routeTables ??= {});
  // Every VPC has a main route table; VPCs seeded before route tables existed get theirs on first use,
  // with an id derived from the VPC's so it is the same on every start.
  for (const vpc of Object.values(ctx.world.vpcs)) {
    if (Object.values(tables).some((t) => t.vpcId === vpc.id && t.associations.some((a) => a.main))) continue;
    const table = mainTableFor(vpc);
    tables[table.id] = table;
  }
  return tables;
}

export function mainTableFor(vpc: Vpc): RouteTable {
  const id = ec2Id('rtb', `main:${vpc.id}`);
  return {
    id, region: vpc.region, vpcId: vpc.id, propagatingVgws: [], tags: {},
    routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable', state: 'active' }],
    associations: [{ id: ec2Id('rtbassoc', `main:${vpc.id}`), main: true }],
  };
}

export function internetGatewaysOf(ctx: CallContext): Record<string, InternetGateway> {
  return (ctx.world.internetGateways ??= {});
}

function checkId(prefix: string, id: string, code: string): void {
  if (!new RegExp(`^${prefix}-[0-9a-f]{8,17}$`).test(id)) throw new ApiError(`${code}.Malformed`, `Invalid id: "${id}"`, 400);
}

function table(ctx: CallContext, id: string): RouteTable {
  checkId('rtb', id, 'InvalidRouteTableID');
  const t = routeTablesOf(ctx)[id];
  if (!t || t.region !== ctx.region) throw new ApiError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`, 400);
  return t;
}

function gateway(ctx: CallContext, id: string): InternetGateway {
  checkId('igw', id, 'InvalidInternetGatewayID');
  const g = internetGatewaysOf(ctx)[id];
  if (!g || g.region !== ctx.region) throw new ApiError('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`, 400);
  return g;
}

const destinationOf = (r: Route): string => r.destinationCidrBlock ?? r.destinationIpv6CidrBlock ?? r.destinationPrefixListId ?? '';

const tableFilter: FilterValues<RouteTable> = (t, name) => {
  switch (name) {
    case 'route-table-id': return [t.id];
    case 'vpc-id': return [t.vpcId];
    case 'owner-id': return [];
    case 'association.route-table-association-id': return t.associations.map((a) => a.id);
    case 'association.route-table-id': return t.associations.length ? [t.id] : [];
    case 'association.subnet-id': return t.associations.flatMap((a) => (a.subnetId ? [a.subnetId] : []));
    case 'association.gateway-id': return t.associations.flatMap((a) => (a.gatewayId ? [a.gatewayId] : []));
    case 'association.main': return t.associations.some((a) => a.main) ? ['true'] : ['false'];
    case 'route.destination-cidr-block': return t.routes.flatMap((r) => (r.destinationCidrBlock ? [r.destinationCidrBlock] : []));
    case 'route.gateway-id': return t.routes.flatMap((r) => (r.gatewayId ? [r.gatewayId] : []));
    case 'route.nat-gateway-id': return t.routes.flatMap((r) => (r.natGatewayId ? [r.natGatewayId] : []));
    case 'route.origin': return t.routes.map((r) => r.origin);
    case 'route.state': return t.routes.map((r) => r.state);
    default: return tagFilterValues(t.tags, name);
  }
};

export function routeTableXml(ctx: CallContext, t: RouteTable): XmlNode[] {
  return [
    node('routeTableId', t.id), node('vpcId', t.vpcId), node('ownerId', ctx.world.accountId),
    node('routeSet', items('item', t.routes, (r) => [
      ...DESTINATIONS.map(([field, , ]) => node(field, r[field] as string | undefined)),
      ...TARGETS.map(([field, , element]) => node(element, r[field] as string | undefined)),
      ...(r.instanceId ? [node('instanceOwnerId', ctx.world.accountId)] : []),
      node('state', r.state), node('origin', r.origin),
    ])),
    node('associationSet', items('item', t.associations, (a) => [
      node('routeTableAssociationId', a.id), node('routeTableId', t.id), node('subnetId', a.subnetId), node('gatewayId', a.gatewayId),
      node('main', a.main), node('associationState', [node('state', 'associated')]),
    ])),
    node('propagatingVgwSet', items('item', t.propagatingVgws, (g) => [node('gatewayId', g)])),
    tagSet(t.tags),
  ];
}

/** The one destination and one target a CreateRoute/ReplaceRoute names. */
function routeSpec(ctx: CallContext, p: QueryParams, t: RouteTable): Route {
  const destinations = DESTINATIONS.filter(([, param]) => p.has(param));
  if (destinations.length !== 1) {
    throw new ApiError('InvalidParameterCombination', 'Exactly one of destinationCidrBlock, destinationIpv6CidrBlock and destinationPrefixListId must be specified.', 400);
  }
  const targets = TARGETS.filter(([, param]) => p.has(param));
  if (targets.length !== 1) throw new ApiError('InvalidParameterCombination', 'The parameter combination is not valid: exactly one route target must be specified.', 400);
  const [destField, destParam] = destinations[0]!;
  const [targetField, targetParam] = targets[0]!;
  const destination = p.required(destParam);
  if (destField === 'destinationCidrBlock' && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(destination)) {
    throw new ApiError('InvalidParameterValue', `Value (${destination}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`, 400);
  }
  const target = p.required(targetParam);
  if (targetField === 'gatewayId' && target.startsWith('igw-')) {
    const g = gateway(ctx, target);
    if (g.vpcId !== t.vpcId) throw new ApiError('InvalidParameterValue', `route table ${t.id} and network gateway ${target} belong to different networks`, 400);
  }
  if (targetField === 'instanceId') {
    const i = ctx.world.instances[target];
    if (!i || i.region !== ctx.region) throw new ApiError('InvalidInstanceID.NotFound', `The instance ID '${target}' does not exist`, 400);
    return { [destField]: destination, instanceId: target, networkInterfaceId: i.networkInterfaceId, origin: 'CreateRoute', state: 'active' } as Route;
  }
  return { [destField]: destination, [targetField]: target, origin: 'CreateRoute', state: 'active' } as Route;
}

function association(ctx: CallContext, id: string): { t: RouteTable; index: number } {
  checkId('rtbassoc', id, 'InvalidAssociationID');
  for (const t of Object.values(routeTablesOf(ctx))) {
    if (t.region !== ctx.region) continue;
    const index = t.associations.findIndex((a) => a.id === id);
    if (index >= 0) return { t, index };
  }
  throw new ApiError('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`, 400);
}

export const ec2RouteOperations: Record<string, Handler> = {
  DescribeRouteTables(ctx, p) {
    ctx.authorize('ec2:DescribeRouteTables', '*');
    const ids = p.list('RouteTableId');
    const all = Object.values(routeTablesOf(ctx)).filter((t) => t.region === ctx.region);
    const base = ids.length ? ids.map((id) => table(ctx, id)) : all;
    const { page, nextToken } = paginate(filtered(base, p, tableFilter), p, queryKey(p), { min: 5, max: 100 });
    return [node('routeTableSet', items('item', page, (t) => routeTableXml(ctx, t))), node('nextToken', nextToken)];
  },
  CreateRouteTable(ctx, p) {
    const vpcId = p.required('VpcId');
    authorizeWrite(ctx, 'ec2:CreateRouteTable', 'route-table', 'AWS::EC2::RouteTable');
    const vpc = regionalVpc(ctx, vpcId);
    const t: RouteTable = {
      id: ec2Id('rtb'), region: ctx.region, vpcId, associations: [], propagatingVgws: [], tags: tagSpecifications(p, 'route-table'),
      routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable', state: 'active' }],
    };
    routeTablesOf(ctx)[t.id] = t;
    ctx.trail.resources.push({ type: 'AWS::EC2::RouteTable', name: t.id });
    ctx.trail.responseElements = { routeTableId: t.id };
    return [node('routeTable', routeTableXml(ctx, t))];
  },
  DeleteRouteTable(ctx, p) {
    const id = p.required('RouteTableId');
    authorizeWrite(ctx, 'ec2:DeleteRouteTable', 'route-table', 'AWS::EC2::RouteTable', id);
    const t = table(ctx, id);
    if (t.associations.length) throw new ApiError('DependencyViolation', `The routeTable '${id}' has dependencies and cannot be deleted.`, 400);
    delete routeTablesOf(ctx)[id];
    return [node('return', true)];
  },
  CreateRoute(ctx, p) {
    const id = p.required('RouteTableId');
    authorizeWrite(ctx, 'ec2:CreateRoute', 'route-table', 'AWS::EC2::RouteTable', id);
    const t = table(ctx, id);
    const route = routeSpec(ctx, p, t);
    if (t.routes.some((r) => destinationOf(r) === destinationOf(route))) {
      throw new ApiError('RouteAlreadyExists', `The route identified by ${destinationOf(route)} already exists.`, 400);
    }
    t.routes.push(route);
    return [node('return', true)];
  },
  ReplaceRoute(ctx, p) {
    const id = p.required('RouteTableId');
    authorizeWrite(ctx, 'ec2:ReplaceRoute', 'route-table', 'AWS::EC2::RouteTable', id);
    const t = table(ctx, id);
    const route = routeSpec(ctx, p, t);
    const index = t.routes.findIndex((r) => destinationOf(r) === destinationOf(route));
    if (index < 0) throw new ApiError('InvalidRoute.NotFound', `no route with destination-cidr-block ${destinationOf(route)} in route table ${id}`, 400);
    if (t.routes[index]!.gatewayId === 'local') throw new ApiError('InvalidParameterValue', `cannot replace local route ${destinationOf(route)} in route table ${id}`, 400);
    t.routes[index] = route;
    return [node('return', true)];
  },
  DeleteRoute(ctx, p) {
    const id = p.required('RouteTableId');
    authorizeWrite(ctx, 'ec2:DeleteRoute', 'route-table', 'AWS::EC2::RouteTable', id);
    const t = table(ctx, id);
    const dest = DESTINATIONS.map(([, param]) => p.get(param)).find((v) => v !== undefined);
    if (!dest) throw new ApiError('MissingParameter', 'The request must contain the parameter destinationCidrBlock', 400);
    const index = t.routes.findIndex((r) => destinationOf(r) === dest);
    if (index < 0) throw new ApiError('InvalidRoute.NotFound', `no route with destination-cidr-block ${dest} in route table ${id}`, 400);
    if (t.routes[index]!.gatewayId === 'local') throw new ApiError('InvalidParameterValue', `cannot remove local route ${dest} in route table ${id}`, 400);
    t.routes.splice(index, 1);
    return [node('return', true)];
  },
  AssociateRouteTable(ctx, p) {
    const id = p.required('RouteTableId');
    authorizeWrite(ctx, 'ec2:AssociateRouteTable', 'route-table', 'AWS::EC2::RouteTable', id);
    const t = table(ctx, id);
    const subnetId = p.get('SubnetId');
    const gatewayId = p.get('GatewayId');
    if ((subnetId === undefined) === (gatewayId === undefined)) throw new ApiError('InvalidParameterCombination', 'Exactly one of SubnetId and GatewayId must be specified.', 400);
    if (subnetId) {
      const s = ctx.world.subnets[subnetId];
      if (!s || s.region !== ctx.region) throw new ApiError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`, 400);
      if (s.vpcId !== t.vpcId) throw new ApiError('InvalidParameterValue', `Route table ${id} and subnet ${subnetId} belong to different networks`, 400);
    }
    const holder = Object.values(routeTablesOf(ctx)).flatMap((x) => x.associations).find((a) => (subnetId && a.subnetId === subnetId) || (gatewayId && a.gatewayId === gatewayId));
    if (holder) throw new ApiError('Resource.AlreadyAssociated', `the specified association for route table ${id} conflicts with an existing association`, 400);
    const a = { id: ec2Id('rtbassoc'), subnetId, gatewayId, main: false };
    t.associations.push(a);
    ctx.trail.responseElements = { associationId: a.id };
    return [node('associationId', a.id), node('associationState', [node('state', 'associated')])];
  },
  DisassociateRouteTable(ctx, p) {
    const assocId = p.required('AssociationId');
    const { t, index } = association(ctx, assocId);
    authorizeWrite(ctx, 'ec2:DisassociateRouteTable', 'route-table', 'AWS::EC2::RouteTable', t.id);
    if (t.associations[index]!.main) throw new ApiError('InvalidParameterValue', `cannot disassociate the main route table association ${assocId}`, 400);
    t.associations.splice(index, 1);
    return [node('return', true)];
  },
  ReplaceRouteTableAssociation(ctx, p) {
    const assocId = p.required('AssociationId');
    const next = table(ctx, p.required('RouteTableId'));
    const { t, index } = association(ctx, assocId);
    authorizeWrite(ctx, 'ec2:ReplaceRouteTableAssociation', 'route-table', 'AWS::EC2::RouteTable', next.id);
    if (next.vpcId !== t.vpcId) throw new ApiError('InvalidParameterValue', `Route table ${next.id} belongs to a different network`, 400);
    const [old] = t.associations.splice(index, 1);
    // AWS gives the replacement association a new id (also for the main association).
    const a = { ...old!, id: ec2Id('rtbassoc') };
    next.associations.push(a);
    ctx.trail.responseElements = { newAssociationId: a.id };
    return [node('newAssociationId', a.id), node('associationState', [node('state', 'associated')])];
  },
  DescribeInternetGateways(ctx, p) {
    ctx.authorize('ec2:DescribeInternetGateways', '*');
    const ids = p.list('InternetGatewayId');
    const all = Object.values(internetGatewaysOf(ctx)).filter((g) => g.region === ctx.region);
    const base = ids.length ? ids.map((id) => gateway(ctx, id)) : all;
    const values: FilterValues<InternetGateway> = (g, name) => {
      switch (name) {
        case 'internet-gateway-id': return [g.id];
        case 'attachment.vpc-id': return g.vpcId ? [g.vpcId] : [];
        case 'attachment.state': return g.vpcId ? ['available'] : [];
        case 'owner-id': return [ctx.world.accountId];
        default: return tagFilterValues(g.tags, name);
      }
    };
    const { page, nextToken } = paginate(filtered(base, p, values), p, queryKey(p), { min: 5, max: 1000 });
    return [node('internetGatewaySet', items('item', page, (g) => internetGatewayXml(ctx, g))), node('nextToken', nextToken)];
  },
  CreateInternetGateway(ctx, p) {
    authorizeWrite(ctx, 'ec2:CreateInternetGateway', 'internet-gateway', 'AWS::EC2::InternetGateway');
    const g: InternetGateway = { id: ec2Id('igw'), region: ctx.region, tags: tagSpecifications(p, 'internet-gateway') };
    internetGatewaysOf(ctx)[g.id] = g;
    ctx.trail.resources.push({ type: 'AWS::EC2::InternetGateway', name: g.id });
    ctx.trail.responseElements = { internetGatewayId: g.id };
    return [node('internetGateway', internetGatewayXml(ctx, g))];
  },
  AttachInternetGateway(ctx, p) {
    const id = p.required('InternetGatewayId');
    authorizeWrite(ctx, 'ec2:AttachInternetGateway', 'internet-gateway', 'AWS::EC2::InternetGateway', id);
    const g = gateway(ctx, id);
    const vpcId = p.required('VpcId');
    const vpc = regionalVpc(ctx, vpcId);
    if (g.vpcId) throw new ApiError('Resource.AlreadyAssociated', `resource ${id} is already attached to network ${g.vpcId}`, 400);
    if (Object.values(internetGatewaysOf(ctx)).some((x) => x.vpcId === vpcId)) throw new ApiError('InvalidParameterValue', `Network ${vpcId} already has an internet gateway attached`, 400);
    g.vpcId = vpcId;
    return [node('return', true)];
  },
  DetachInternetGateway(ctx, p) {
    const id = p.required('InternetGatewayId');
    authorizeWrite(ctx, 'ec2:DetachInternetGateway', 'internet-gateway', 'AWS::EC2::InternetGateway', id);
    const g = gateway(ctx, id);
    const vpcId = p.required('VpcId');
    if (g.vpcId !== vpcId) throw new ApiError('Gateway.NotAttached', `resource ${id} is not attached to network ${vpcId}`, 400);
    g.vpcId = undefined;
    return [node('return', true)];
  },
  DeleteInternetGateway(ctx, p) {
    const id = p.required('InternetGatewayId');
    authorizeWrite(ctx, 'ec2:DeleteInternetGateway', 'internet-gateway', 'AWS::EC2::InternetGateway', id);
    const g = gateway(ctx, id);
    if (g.vpcId) throw new ApiError('DependencyViolation', `The internetGateway '${id}' has dependencies and cannot be deleted.`, 400);
    delete internetGatewaysOf(ctx)[id];
    return [node('return', true)];
  },
};

export function internetGatewayXml(ctx: CallContext, g: InternetGateway): XmlNode[] {
  return [
    node('internetGatewayId', g.id), node('ownerId', ctx.world.accountId),
    node('attachmentSet', g.vpcId ? [node('item', [node('vpcId', g.vpcId), node('state', 'available')])] : []),
    tagSet(g.tags),
  ];
}
