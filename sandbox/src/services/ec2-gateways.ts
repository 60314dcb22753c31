// EC2 egress-only internet gateways, DHCP option sets, customer and virtual private gateways (with
// VPC attachments and route propagation), placement groups and secondary VPC CIDR blocks
// (query/XML), per the EC2 API reference.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { ec2Id } from '../ids';
import type { QueryParams } from '../protocol/query-xml';
import { arns, type CustomerGateway, type DhcpOptions, type EgressOnlyInternetGateway, type PlacementGroup, type Tags, type VpnGateway } from '../world';
import { items, node, type XmlNode } from '../xml';
import { authorizeWrite, filtered, notFound, queryKey, regionalVpc } from './ec2-calls';
import { routeTablesOf } from './ec2-routes';
import { paginate, tagFilterValues, tagSet, tagSpecifications, type FilterValues } from './ec2-shapes';

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

export const egressOnlyGatewaysOf = (ctx: CallContext): Record<string, EgressOnlyInternetGateway> => (ctx.world.egressOnlyInternetGateways ??= {});
export const dhcpOptionsOf = (ctx: CallContext): Record<string, DhcpOptions> => (ctx.world.dhcpOptions ??= {});
export const customerGatewaysOf = (ctx: CallContext): Record<string, CustomerGateway> => (ctx.world.customerGateways ??= {});
export const vpnGatewaysOf = (ctx: CallContext): Record<string, VpnGateway> => (ctx.world.vpnGateways ??= {});
export const placementGroupsOf = (ctx: CallContext): Record<string, PlacementGroup> => (ctx.world.placementGroups ??= {});

/** Taggable objects of this module by id prefix, for CreateTags/DeleteTags and the Tagging API. */
export const GATEWAY_KINDS = {
  'egress-only-internet-gateway': { prefix: 'eigw', code: 'InvalidEgressOnlyInternetGatewayId', noun: 'egress-only internet gateway ID', trail: 'AWS::EC2::EgressOnlyInternetGateway' },
  'dhcp-options': { prefix: 'dopt', code: 'InvalidDhcpOptionID', noun: 'dhcpOptions ID', trail: 'AWS::EC2::DHCPOptions' },
  'customer-gateway': { prefix: 'cgw', code: 'InvalidCustomerGatewayID', noun: 'customerGateway ID', trail: 'AWS::EC2::CustomerGateway' },
  'vpn-gateway': { prefix: 'vgw', code: 'InvalidVpnGatewayID', noun: 'vpnGateway ID', trail: 'AWS::EC2::VPNGateway' },
  'placement-group': { prefix: 'pg', code: 'InvalidPlacementGroup', noun: 'placement group ID', trail: 'AWS::EC2::PlacementGroup' },
} as const;
export type GatewayKind = keyof typeof GATEWAY_KINDS;

/** The tag holders of one kind in a world, by id (the table CreateTags and the Tagging API write through). */
export function gatewayTagTable(ctx: CallContext, kind: GatewayKind): Record<string, { tags: Tags; region: string }> {
  switch (kind) {
    case 'egress-only-internet-gateway': return egressOnlyGatewaysOf(ctx);
    case 'dhcp-options': return dhcpOptionsOf(ctx);
    case 'customer-gateway': return customerGatewaysOf(ctx);
    case 'vpn-gateway': return vpnGatewaysOf(ctx);
    case 'placement-group': return Object.fromEntries(Object.values(placementGroupsOf(ctx)).map((g) => [g.groupId, g]));
  }
}

/** Every write here names its resource by kind; the CloudTrail type comes from the kind table. */
const mutate = (ctx: CallContext, action: string, kind: GatewayKind, id?: string): void => authorizeWrite(ctx, action, kind, GATEWAY_KINDS[kind].trail, id);

/** Objects named by id in a Describe call: every id must exist (EC2 fails the whole call otherwise). */
function byIds<T extends { region: string }>(ctx: CallContext, table: Record<string, T>, kind: GatewayKind, ids: string[]): T[] {
  const all = Object.values(table).filter((x) => x.region === ctx.region);
  if (!ids.length) return all;
  for (const id of ids) {
    if (!new RegExp(`^${GATEWAY_KINDS[kind].prefix}-[0-9a-f]{8,17}$`).test(id)) throw new ApiError(`${GATEWAY_KINDS[kind].code}.Malformed`, `Invalid id: "${id}"`, 400);
    if (table[id]?.region !== ctx.region) throw notFound(GATEWAY_KINDS[kind], id);
  }
  return ids.map((id) => table[id]!);
}

// ---- egress-only internet gateways

function egressXml(g: EgressOnlyInternetGateway): XmlNode[] {
  return [
    node('attachmentSet', [node('item', [node('state', 'attached'), node('vpcId', g.vpcId)])]),
    node('egressOnlyInternetGatewayId', g.id), tagSet(g.tags),
  ];
}

// ---- DHCP options

/** The option set a VPC uses without one of its own: Amazon's resolver and the region's domain. */
function defaultDhcp(ctx: CallContext, id: string): DhcpOptions {
  return { id, region: ctx.region, options: { 'domain-name': [ctx.region === 'us-east-1' ? 'ec2.internal' : `${ctx.region}.compute.internal`], 'domain-name-servers': ['AmazonProvidedDNS'] }, tags: {} };
}

/** Declared option sets plus the implicit default ones VPCs reference. */
function visibleDhcp(ctx: CallContext): Record<string, DhcpOptions> {
  const out: Record<string, DhcpOptions> = {};
  for (const v of Object.values(ctx.world.vpcs)) if (v.region === ctx.region && v.dhcpOptionsId !== 'default') out[v.dhcpOptionsId] = defaultDhcp(ctx, v.dhcpOptionsId);
  for (const d of Object.values(dhcpOptionsOf(ctx))) if (d.region === ctx.region) out[d.id] = d;
  return out;
}

function dhcpXml(ctx: CallContext, d: DhcpOptions): XmlNode[] {
  return [
    node('dhcpOptionsId', d.id), node('ownerId', ctx.world.accountId),
    node('dhcpConfigurationSet', items('item', Object.entries(d.options), ([key, values]) => [node('key', key), node('valueSet', items('item', values, (v) => [node('value', v)]))])),
    tagSet(d.tags),
  ];
}

const DHCP_KEYS = new Set(['domain-name', 'domain-name-servers', 'ntp-servers', 'netbios-name-servers', 'netbios-node-type', 'ipv6-address-preferred-lease-time']);

// ---- customer and VPN gateways

function customerXml(g: CustomerGateway): XmlNode[] {
  return [
    node('customerGatewayId', g.id), node('state', g.state), node('type', g.type), node('ipAddress', g.ipAddress), node('bgpAsn', g.bgpAsn),
    node('deviceName', g.deviceName), node('certificateArn', g.certificateArn), tagSet(g.tags),
  ];
}

function vpnXml(g: VpnGateway): XmlNode[] {
  return [
    node('vpnGatewayId', g.id), node('state', g.state), node('type', g.type), node('availabilityZone', g.availabilityZone),
    node('attachments', items('item', g.attachments, (a) => [node('vpcId', a.vpcId), node('state', a.state)])),
    node('amazonSideAsn', g.amazonSideAsn), tagSet(g.tags),
  ];
}

function vpnGateway(ctx: CallContext, id: string): VpnGateway {
  const g = vpnGatewaysOf(ctx)[id];
  if (!g || g.region !== ctx.region || g.state === 'deleted') throw notFound(GATEWAY_KINDS['vpn-gateway'], id);
  return g;
}

// ---- placement groups

function placementXml(ctx: CallContext, g: PlacementGroup): XmlNode[] {
  return [
    node('groupName', g.name), node('state', 'available'), node('strategy', g.strategy), node('partitionCount', g.partitionCount), node('groupId', g.groupId),
    tagSet(g.tags), node('groupArn', arns.ec2(g.region, ctx.world.accountId, 'placement-group', g.name)), node('spreadLevel', g.spreadLevel),
  ];
}

export const ec2GatewayOperations: Record<string, Handler> = {
  CreateEgressOnlyInternetGateway(ctx, p) {
    const vpcId = p.required('VpcId');
    mutate(ctx, 'ec2:CreateEgressOnlyInternetGateway', 'egress-only-internet-gateway');
    regionalVpc(ctx, vpcId);
    const g: EgressOnlyInternetGateway = { id: ec2Id('eigw'), region: ctx.region, vpcId, tags: tagSpecifications(p, 'egress-only-internet-gateway') };
    egressOnlyGatewaysOf(ctx)[g.id] = g;
    ctx.trail.resources.push({ type: GATEWAY_KINDS['egress-only-internet-gateway'].trail, name: g.id });
    ctx.trail.responseElements = { egressOnlyInternetGatewayId: g.id };
    return [node('clientToken', p.get('ClientToken')), node('egressOnlyInternetGateway', egressXml(g))];
  },
  DescribeEgressOnlyInternetGateways(ctx, p) {
    ctx.authorize('ec2:DescribeEgressOnlyInternetGateways', '*');
    const base = byIds(ctx, egressOnlyGatewaysOf(ctx), 'egress-only-internet-gateway', p.list('EgressOnlyInternetGatewayId'));
    const values: FilterValues<EgressOnlyInternetGateway> = (g, name) => tagFilterValues(g.tags, name);
    const { page, nextToken } = paginate(filtered(base, p, values), p, queryKey(p), { min: 5, max: 255 });
    return [node('egressOnlyInternetGatewaySet', items('item', page, egressXml)), node('nextToken', nextToken)];
  },
  DeleteEgressOnlyInternetGateway(ctx, p) {
    const id = p.required('EgressOnlyInternetGatewayId');
    mutate(ctx, 'ec2:DeleteEgressOnlyInternetGateway', 'egress-only-internet-gateway', id);
    const table = egressOnlyGatewaysOf(ctx);
    if (table[id]?.region !== ctx.region) throw notFound(GATEWAY_KINDS['egress-only-internet-gateway'], id);
    delete table[id];
    return [node('returnCode', true)];
  },

  CreateDhcpOptions(ctx, p) {
    mutate(ctx, 'ec2:CreateDhcpOptions', 'dhcp-options');
    const options: Record<string, string[]> = {};
    for (const c of p.structs('DhcpConfiguration')) {
      const key = c.required('Key');
      if (!DHCP_KEYS.has(key)) throw new ApiError('InvalidParameterValue', `Value (${key}) for parameter name is invalid. Unknown DHCP option`, 400);
      options[key] = c.list('Value');
    }
    if (!Object.keys(options).length) throw new ApiError('MissingParameter', 'The request must contain the parameter dhcpConfiguration', 400);
    const d: DhcpOptions = { id: ec2Id('dopt'), region: ctx.region, options, tags: tagSpecifications(p, 'dhcp-options') };
    dhcpOptionsOf(ctx)[d.id] = d;
    ctx.trail.resources.push({ type: GATEWAY_KINDS['dhcp-options'].trail, name: d.id });
    ctx.trail.responseElements = { dhcpOptionsId: d.id };
    return [node('dhcpOptions', dhcpXml(ctx, d))];
  },
  DescribeDhcpOptions(ctx, p) {
    ctx.authorize('ec2:DescribeDhcpOptions', '*');
    const base = byIds(ctx, visibleDhcp(ctx), 'dhcp-options', p.list('DhcpOptionsId'));
    const values: FilterValues<DhcpOptions> = (d, name) => {
      switch (name) {
        case 'dhcp-options-id': return [d.id];
        case 'key': return Object.keys(d.options);
        case 'value': return Object.values(d.options).flat();
        case 'owner-id': return [ctx.world.accountId];
        default: return tagFilterValues(d.tags, name);
      }
    };
    const { page, nextToken } = paginate(filtered(base, p, values), p, queryKey(p), { min: 5, max: 1000 });
    return [node('dhcpOptionsSet', items('item', page, (d) => dhcpXml(ctx, d))), node('nextToken', nextToken)];
  },
  AssociateDhcpOptions(ctx, p) {
    const id = p.required('DhcpOptionsId');
    const vpcId = p.required('VpcId');
    mutate(ctx, 'ec2:AssociateDhcpOptions', 'dhcp-options', id === 'default' ? undefined : id);
    ctx.trail.resources.push({ type: 'AWS::EC2::VPC', name: vpcId });
    const vpc = regionalVpc(ctx, vpcId);
    if (id !== 'default' && !visibleDhcp(ctx)[id]) throw notFound(GATEWAY_KINDS['dhcp-options'], id);
    vpc.dhcpOptionsId = id;
    return [node('return', true)];
  },
  DeleteDhcpOptions(ctx, p) {
    const id = p.required('DhcpOptionsId');
    mutate(ctx, 'ec2:DeleteDhcpOptions', 'dhcp-options', id);
    const table = dhcpOptionsOf(ctx);
    if (table[id]?.region !== ctx.region) throw notFound(GATEWAY_KINDS['dhcp-options'], id);
    if (Object.values(ctx.world.vpcs).some((v) => v.dhcpOptionsId === id)) throw new ApiError('DependencyViolation', `The dhcpOptions '${id}' has dependencies and cannot be deleted.`, 400);
    delete table[id];
    return [node('return', true)];
  },

  CreateCustomerGateway(ctx, p) {
    mutate(ctx, 'ec2:CreateCustomerGateway', 'customer-gateway');
    const type = p.required('Type');
    if (type !== 'ipsec.1') throw new ApiError('InvalidParameterValue', `Invalid value '${type}' for type`, 400);
    const ipAddress = p.get('IpAddress') ?? p.get('PublicIp');
    const certificateArn = p.get('CertificateArn');
    if (!ipAddress && !certificateArn) throw new ApiError('MissingParameter', 'The request must contain the parameter IpAddress', 400);
    const bgpAsn = p.get('BgpAsnExtended') ?? p.get('BgpAsn') ?? '65000';
    const existing = Object.values(customerGatewaysOf(ctx)).find((g) => g.region === ctx.region && g.state === 'available' && g.ipAddress === ipAddress && g.bgpAsn === bgpAsn);
    // EC2 answers an identical request with the existing gateway.
    const g: CustomerGateway = existing ?? {
      id: ec2Id('cgw'), region: ctx.region, bgpAsn, ipAddress: ipAddress ?? '', type, deviceName: p.get('DeviceName'), certificateArn, state: 'available',
      tags: tagSpecifications(p, 'customer-gateway'),
    };
    customerGatewaysOf(ctx)[g.id] = g;
    ctx.trail.resources.push({ type: GATEWAY_KINDS['customer-gateway'].trail, name: g.id });
    ctx.trail.responseElements = { customerGatewayId: g.id };
    return [node('customerGateway', customerXml(g))];
  },
  DescribeCustomerGateways(ctx, p) {
    ctx.authorize('ec2:DescribeCustomerGateways', '*');
    const base = byIds(ctx, customerGatewaysOf(ctx), 'customer-gateway', p.list('CustomerGatewayId'));
    const values: FilterValues<CustomerGateway> = (g, name) => {
      switch (name) {
        case 'customer-gateway-id': return [g.id];
        case 'bgp-asn': return [g.bgpAsn];
        case 'ip-address': return [g.ipAddress];
        case 'state': return [g.state];
        case 'type': return [g.type];
        default: return tagFilterValues(g.tags, name);
      }
    };
    return [node('customerGatewaySet', items('item', filtered(base, p, values), customerXml))];
  },
  DeleteCustomerGateway(ctx, p) {
    const id = p.required('CustomerGatewayId');
    mutate(ctx, 'ec2:DeleteCustomerGateway', 'customer-gateway', id);
    const g = customerGatewaysOf(ctx)[id];
    if (!g || g.region !== ctx.region || g.state === 'deleted') throw notFound(GATEWAY_KINDS['customer-gateway'], id);
    g.state = 'deleted';
    return [node('return', true)];
  },

  CreateVpnGateway(ctx, p) {
    mutate(ctx, 'ec2:CreateVpnGateway', 'vpn-gateway');
    const type = p.required('Type');
    if (type !== 'ipsec.1') throw new ApiError('InvalidParameterValue', `Invalid value '${type}' for type`, 400);
    const asn = p.int('AmazonSideAsn') ?? 64512;
    const g: VpnGateway = {
      id: ec2Id('vgw'), region: ctx.region, type, amazonSideAsn: asn, availabilityZone: p.get('AvailabilityZone'), state: 'available', attachments: [],
      tags: tagSpecifications(p, 'vpn-gateway'),
    };
    vpnGatewaysOf(ctx)[g.id] = g;
    ctx.trail.resources.push({ type: GATEWAY_KINDS['vpn-gateway'].trail, name: g.id });
    ctx.trail.responseElements = { vpnGatewayId: g.id };
    return [node('vpnGateway', vpnXml(g))];
  },
  DescribeVpnGateways(ctx, p) {
    ctx.authorize('ec2:DescribeVpnGateways', '*');
    const base = byIds(ctx, vpnGatewaysOf(ctx), 'vpn-gateway', p.list('VpnGatewayId'));
    const values: FilterValues<VpnGateway> = (g, name) => {
      switch (name) {
        case 'vpn-gateway-id': return [g.id];
        case 'amazon-side-asn': return [String(g.amazonSideAsn)];
        case 'attachment.state': return g.attachments.map((a) => a.state);
        case 'attachment.vpc-id': return g.attachments.map((a) => a.vpcId);
        case 'availability-zone': return g.availabilityZone ? [g.availabilityZone] : [];
        case 'state': return [g.state];
        case 'type': return [g.type];
        default: return tagFilterValues(g.tags, name);
      }
    };
    return [node('vpnGatewaySet', items('item', filtered(base, p, values), vpnXml))];
  },
  AttachVpnGateway(ctx, p) {
    const id = p.required('VpnGatewayId');
    const vpcId = p.required('VpcId');
    mutate(ctx, 'ec2:AttachVpnGateway', 'vpn-gateway', id);
    const g = vpnGateway(ctx, id);
    regionalVpc(ctx, vpcId);
    if (g.attachments.some((a) => a.state === 'attached')) throw new ApiError('VpnGatewayAttachmentLimitExceeded', `The VPN gateway ${id} is already attached to a VPC.`, 400);
    const other = Object.values(vpnGatewaysOf(ctx)).find((x) => x.state !== 'deleted' && x.attachments.some((a) => a.vpcId === vpcId && a.state === 'attached'));
    if (other) throw new ApiError('InvalidParameterValue', `The VPC ${vpcId} already has a VPN gateway attached (${other.id}).`, 400);
    g.attachments = [...g.attachments.filter((a) => a.vpcId !== vpcId), { vpcId, state: 'attached' }];
    return [node('attachment', [node('vpcId', vpcId), node('state', 'attached')])];
  },
  DetachVpnGateway(ctx, p) {
    const id = p.required('VpnGatewayId');
    const vpcId = p.required('VpcId');
    mutate(ctx, 'ec2:DetachVpnGateway', 'vpn-gateway', id);
    const g = vpnGateway(ctx, id);
    const a = g.attachments.find((x) => x.vpcId === vpcId && x.state === 'attached');
    if (!a) throw new ApiError('InvalidVpnGatewayAttachment.NotFound', `The attachment with vpn gateway ID '${id}' and vpc ID '${vpcId}' does not exist`, 400);
    a.state = 'detached';
    return [node('return', true)];
  },
  DeleteVpnGateway(ctx, p) {
    const id = p.required('VpnGatewayId');
    mutate(ctx, 'ec2:DeleteVpnGateway', 'vpn-gateway', id);
    const g = vpnGateway(ctx, id);
    if (g.attachments.some((a) => a.state === 'attached')) throw new ApiError('IncorrectState', `The VPN gateway ${id} is attached to a VPC.`, 400);
    g.state = 'deleted';
    return [node('return', true)];
  },
  EnableVgwRoutePropagation(ctx, p) {
    return propagation(ctx, p, true);
  },
  DisableVgwRoutePropagation(ctx, p) {
    return propagation(ctx, p, false);
  },

  AssociateVpcCidrBlock(ctx, p) {
    const vpcId = p.required('VpcId');
    ctx.trail.resources.push({ type: 'AWS::EC2::VPC', name: vpcId });
    ctx.authorize('ec2:AssociateVpcCidrBlock', [arns.ec2(ctx.region, ctx.world.accountId, 'vpc', vpcId)]);
    const vpc = regionalVpc(ctx, vpcId);
    const cidr = p.get('CidrBlock');
    if (!cidr) throw new ApiError('MissingParameter', 'The request must contain the parameter CidrBlock', 400);
    if (!/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-8])$/.test(cidr)) throw new ApiError('InvalidParameterValue', `Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`, 400);
    const list = (vpc.cidrAssociations ??= []);
    if (vpc.cidrBlock === cidr || list.some((a) => a.cidrBlock === cidr)) throw new ApiError('InvalidVpc.Range', `The CIDR '${cidr}' conflicts with another subnet`, 400);
    if (list.length >= 4) throw new ApiError('CidrLimitExceeded', `This network '${vpcId}' has met its maximum number of allowed CIDRs: 5`, 400);
    const a = { associationId: ec2Id('vpc-cidr-assoc'), cidrBlock: cidr };
    list.push(a);
    ctx.trail.responseElements = { associationId: a.associationId };
    return [node('cidrBlockAssociation', [node('associationId', a.associationId), node('cidrBlock', cidr), node('cidrBlockState', [node('state', 'associating')])]), node('vpcId', vpcId)];
  },
  DisassociateVpcCidrBlock(ctx, p) {
    const id = p.required('AssociationId');
    const vpc = Object.values(ctx.world.vpcs).find((v) => v.region === ctx.region && (v.cidrAssociations ?? []).some((a) => a.associationId === id));
    if (vpc) ctx.trail.resources.push({ type: 'AWS::EC2::VPC', name: vpc.id });
    ctx.authorize('ec2:DisassociateVpcCidrBlock', [arns.ec2(ctx.region, ctx.world.accountId, 'vpc', vpc?.id ?? '*')]);
    if (!vpc) {
      if (Object.values(ctx.world.vpcs).some((v) => `vpc-cidr-assoc-${v.id.slice(4)}` === id)) throw new ApiError('OperationNotPermitted', `The vpc CIDR block with association ID ${id} may not be disassociated. It is the primary IPv4 CIDR block of the VPC`, 400);
      throw new ApiError('InvalidVpcCidrBlockAssociationID.NotFound', `The vpc CIDR block association ID '${id}' does not exist`, 400);
    }
    const a = vpc.cidrAssociations!.find((x) => x.associationId === id)!;
    vpc.cidrAssociations = vpc.cidrAssociations!.filter((x) => x !== a);
    return [node('cidrBlockAssociation', [node('associationId', id), node('cidrBlock', a.cidrBlock), node('cidrBlockState', [node('state', 'disassociating')])]), node('vpcId', vpc.id)];
  },
  CreatePlacementGroup(ctx, p) {
    const name = p.required('GroupName');
    mutate(ctx, 'ec2:CreatePlacementGroup', 'placement-group', name);
    const strategy = p.get('Strategy') ?? 'cluster';
    if (!['cluster', 'partition', 'spread'].includes(strategy)) throw new ApiError('InvalidParameterValue', `Invalid value '${strategy}' for strategy`, 400);
    if (Object.values(placementGroupsOf(ctx)).some((g) => g.region === ctx.region && g.name === name)) throw new ApiError('InvalidPlacementGroup.Duplicate', `The placement group '${name}' already exists.`, 400);
    const partitionCount = p.int('PartitionCount');
    if (partitionCount !== undefined && strategy !== 'partition') throw new ApiError('InvalidParameterCombination', 'PartitionCount is only valid for the partition strategy.', 400);
    const spreadLevel = p.get('SpreadLevel') as PlacementGroup['spreadLevel'];
    const g: PlacementGroup = {
      groupId: ec2Id('pg'), region: ctx.region, name, strategy: strategy as PlacementGroup['strategy'],
      partitionCount: strategy === 'partition' ? partitionCount ?? 2 : undefined, spreadLevel: strategy === 'spread' ? spreadLevel ?? 'rack' : undefined,
      tags: tagSpecifications(p, 'placement-group'),
    };
    placementGroupsOf(ctx)[`${ctx.region}/${name}`] = g;
    ctx.trail.responseElements = { placementGroup: { groupName: name, groupId: g.groupId } };
    return [node('placementGroup', placementXml(ctx, g))];
  },
  DescribePlacementGroups(ctx, p) {
    ctx.authorize('ec2:DescribePlacementGroups', '*');
    const all = Object.values(placementGroupsOf(ctx)).filter((g) => g.region === ctx.region);
    for (const n of p.list('GroupName')) if (!all.some((g) => g.name === n)) throw new ApiError('InvalidPlacementGroup.Unknown', `The Placement Group '${n}' is unknown.`, 400);
    for (const i of p.list('GroupId')) if (!all.some((g) => g.groupId === i)) throw new ApiError('InvalidPlacementGroupId.NotFound', `The Placement Group ID '${i}' does not exist`, 400);
    const names = p.list('GroupName');
    const ids = p.list('GroupId');
    const base = all.filter((g) => (!names.length || names.includes(g.name)) && (!ids.length || ids.includes(g.groupId)));
    const values: FilterValues<PlacementGroup> = (g, name) => {
      switch (name) {
        case 'group-name': return [g.name];
        case 'group-id': return [g.groupId];
        case 'group-arn': return [arns.ec2(g.region, ctx.world.accountId, 'placement-group', g.name)];
        case 'state': return ['available'];
        case 'strategy': return [g.strategy];
        case 'spread-level': return g.spreadLevel ? [g.spreadLevel] : [];
        default: return tagFilterValues(g.tags, name);
      }
    };
    return [node('placementGroupSet', items('item', filtered(base, p, values), (g) => placementXml(ctx, g)))];
  },
  DeletePlacementGroup(ctx, p) {
    const name = p.required('GroupName');
    mutate(ctx, 'ec2:DeletePlacementGroup', 'placement-group', name);
    const key = `${ctx.region}/${name}`;
    if (!placementGroupsOf(ctx)[key]) throw new ApiError('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`, 400);
    delete placementGroupsOf(ctx)[key];
    return [node('return', true)];
  },
};

function propagation(ctx: CallContext, p: QueryParams, enable: boolean): XmlNode[] {
  const gatewayId = p.required('GatewayId');
  const tableId = p.required('RouteTableId');
  mutate(ctx, enable ? 'ec2:EnableVgwRoutePropagation' : 'ec2:DisableVgwRoutePropagation', 'vpn-gateway', gatewayId);
  ctx.trail.resources.push({ type: 'AWS::EC2::RouteTable', name: tableId });
  const table = routeTablesOf(ctx)[tableId];
  if (!table || table.region !== ctx.region) throw new ApiError('InvalidRouteTableID.NotFound', `The routeTable ID '${tableId}' does not exist`, 400);
  const g = vpnGateway(ctx, gatewayId);
  if (enable && !g.attachments.some((a) => a.vpcId === table.vpcId && a.state === 'attached')) {
    throw new ApiError('Gateway.NotAttached', `resource ${gatewayId} is not attached to network ${table.vpcId}`, 400);
  }
  table.propagatingVgws = enable ? [...new Set([...table.propagatingVgws, gatewayId])] : table.propagatingVgws.filter((x) => x !== gatewayId);
  return [node('return', true)];
}
