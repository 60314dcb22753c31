// EC2 (query/XML): VPCs, subnets, security groups and their rules, instances and tags.
import { createHash } from 'node:crypto';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { ec2Id } from '../ids';
import type { QueryParams } from '../protocol/query-xml';
import { normaliseProtocol } from '../seed';
import { arns, type Instance, type InstanceMetadataOptions, type InstanceStateName, type SecurityGroup, type SecurityGroupRule, type Subnet, type Tags, type Vpc } from '../world';
import { items, node, type XmlNode } from '../xml';
import { addressesOf, ec2AddressOperations, keyPairsOf, natGatewaysOf } from './ec2-addresses';
import { ec2NetworkAclOperations, networkAclsOf } from './ec2-nacls';
import { ec2VolumeOperations, volumesOf } from './ec2-volumes';
import { cpuOptionsOf, ec2InstanceTypeOperations } from './ec2-instance-types';
import { ec2RouteOperations, internetGatewaysOf, mainTableFor, routeTablesOf } from './ec2-routes';
import { ec2GatewayOperations, GATEWAY_KINDS, gatewayTagTable, type GatewayKind } from './ec2-gateways';
import { ec2EndpointOperations, ENDPOINT_KINDS, endpointTagTable, type EndpointKind } from './ec2-endpoints';
import { ec2InterfaceOperations, INTERFACE_KINDS, interfaceTagTable, type InterfaceKind } from './ec2-interfaces';
import { ec2LaunchTemplateOperations, LAUNCH_TEMPLATE_KINDS, launchTemplateTagTable } from './ec2-launch-templates';
import {
  checkFilterNames, DEFAULT_METADATA_OPTIONS, instanceXml, matchesFilters, paginate, readFilters, ruleXml, rulesOf, securityGroupXml, stateXml, subnetXml, tagFilterValues,
  tagSpecifications, vpcXml, type Filter, type FilterValues,
} from './ec2-shapes';

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

/** How long terminated instances stay visible, as on EC2. */
const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

const KINDS = {
  instance: { prefix: 'i', code: 'InvalidInstanceID', noun: 'instance ID', trail: 'AWS::EC2::Instance' },
  vpc: { prefix: 'vpc', code: 'InvalidVpcID', noun: 'vpc ID', trail: 'AWS::EC2::VPC' },
  subnet: { prefix: 'subnet', code: 'InvalidSubnetID', noun: 'subnet ID', trail: 'AWS::EC2::Subnet' },
  'security-group': { prefix: 'sg', code: 'InvalidGroup', noun: 'security group', trail: 'AWS::EC2::SecurityGroup' },
  'security-group-rule': { prefix: 'sgr', code: 'InvalidSecurityGroupRuleId', noun: 'security group rule ID', trail: 'AWS::EC2::SecurityGroupRule' },
  'route-table': { prefix: 'rtb', code: 'InvalidRouteTableID', noun: 'routeTable ID', trail: 'AWS::EC2::RouteTable' },
  'internet-gateway': { prefix: 'igw', code: 'InvalidInternetGatewayID', noun: 'internetGateway ID', trail: 'AWS::EC2::InternetGateway' },
  'network-acl': { prefix: 'acl', code: 'InvalidNetworkAclID', noun: 'networkAcl ID', trail: 'AWS::EC2::NetworkAcl' },
  'elastic-ip': { prefix: 'eipalloc', code: 'InvalidAllocationID', noun: 'allocation ID', trail: 'AWS::EC2::EIP' },
  natgateway: { prefix: 'nat', code: 'InvalidNatGatewayID', noun: 'natGateway ID', trail: 'AWS::EC2::NatGateway' },
  'key-pair': { prefix: 'key', code: 'InvalidKeyPair', noun: 'key pair ID', trail: 'AWS::EC2::KeyPair' },
  volume: { prefix: 'vol', code: 'InvalidVolume', noun: 'volume', trail: 'AWS::EC2::Volume' },
  ...GATEWAY_KINDS,
  ...ENDPOINT_KINDS,
  ...INTERFACE_KINDS,
  ...LAUNCH_TEMPLATE_KINDS,
} as const;
type Kind = keyof typeof KINDS;

function malformed(kind: Kind, id: string): ApiError {
  const code = kind === 'security-group' ? 'InvalidGroupId.Malformed' : `${KINDS[kind].code}.Malformed`;
  return new ApiError(code, `Invalid id: "${id}"`, 400);
}

function notFound(kind: Kind, ids: string[]): ApiError {
  const k = KINDS[kind];
  if (kind === 'security-group') return new ApiError('InvalidGroup.NotFound', `The security group '${ids.join(', ')}' does not exist`, 400);
  const plural = ids.length > 1;
  return new ApiError(`${k.code}.NotFound`, `The ${k.noun}${plural ? 's' : ''} '${ids.join(', ')}' ${plural ? 'do' : 'does'} not exist`, 400);
}

function checkId(kind: Kind, id: string): void {
  if (!new RegExp(`^${KINDS[kind].prefix}-[0-9a-f]{8,17}$`).test(id)) throw malformed(kind, id);
}

function kindOfId(id: string): Kind | undefined {
  const prefix = id.slice(0, id.indexOf('-'));
  return (Object.keys(KINDS) as Kind[]).find((k) => KINDS[k].prefix === prefix);
}

function queryKey(p: QueryParams): string {
  const parts = p.entries().filter(([k]) => k !== 'NextToken' && k !== 'MaxResults' && k !== 'DryRun').sort();
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

const arnOf = (ctx: CallContext, kind: Kind, id: string): string => arns.ec2(ctx.region, ctx.world.accountId, kind, id);

function lookup<T>(ctx: CallContext, table: Record<string, T & { region: string }>, kind: Kind, ids: string[]): (T & { region: string })[] {
  for (const id of ids) checkId(kind, id);
  const missing = ids.filter((id) => table[id]?.region !== ctx.region);
  if (missing.length) throw notFound(kind, missing);
  return ids.map((id) => table[id]!);
}

/** Authorizes a mutation on each resource and notes it for CloudTrail. */
function mutate(ctx: CallContext, action: string, kind: Kind, ids: string[]): void {
  for (const id of ids) ctx.trail.resources.push({ type: KINDS[kind].trail, name: id, arn: arnOf(ctx, kind, id) });
  ctx.authorize(action, ids.length ? ids.map((id) => arnOf(ctx, kind, id)) : [arnOf(ctx, kind, '*')]);
}

function visibleInstances(ctx: CallContext): Instance[] {
  const now = ctx.now.getTime();
  const out: Instance[] = [];
  for (const i of Object.values(ctx.world.instances)) {
    if (i.region !== ctx.region) continue;
    if (i.state === 'terminated' && i.terminatedAt && now - Date.parse(i.terminatedAt) > TERMINATED_VISIBLE_MS) continue;
    out.push(i);
  }
  return out;
}

const instanceFilter: FilterValues<Instance> = (i, name) => {
  switch (name) {
    case 'instance-id': return [i.id];
    case 'instance-state-name': return [i.state];
    case 'instance-state-code': return [String({ pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 }[i.state])];
    case 'instance-type': return [i.instanceType];
    case 'image-id': return [i.imageId];
    case 'vpc-id': return [i.vpcId];
    case 'subnet-id': return [i.subnetId];
    case 'availability-zone': return [i.availabilityZone];
    case 'private-ip-address': return [i.privateIpAddress];
    case 'ip-address': return i.publicIpAddress ? [i.publicIpAddress] : [];
    case 'key-name': return i.keyName ? [i.keyName] : [];
    case 'reservation-id': return [i.reservationId];
    case 'owner-id': return [];
    case 'instance.group-id': case 'group-id': return i.securityGroupIds;
    case 'monitoring-state': return [i.monitoring];
    case 'iam-instance-profile.arn': return i.iamInstanceProfileArn ? [i.iamInstanceProfileArn] : [];
    default: return tagFilterValues(i.tags, name);
  }
};

const vpcFilter: FilterValues<Vpc> = (v, name) => {
  switch (name) {
    case 'vpc-id': return [v.id];
    case 'cidr': return [v.cidrBlock];
    case 'cidr-block-association.cidr-block': return [v.cidrBlock, ...(v.cidrAssociations ?? []).map((a) => a.cidrBlock)];
    case 'cidr-block-association.association-id': return [`vpc-cidr-assoc-${v.id.slice(4)}`, ...(v.cidrAssociations ?? []).map((a) => a.associationId)];
    case 'cidr-block-association.state': return ['associated'];
    case 'state': return [v.state];
    case 'is-default': return [String(v.isDefault)];
    case 'dhcp-options-id': return [v.dhcpOptionsId];
    default: return tagFilterValues(v.tags, name);
  }
};

const subnetFilter: FilterValues<Subnet> = (s, name) => {
  switch (name) {
    case 'subnet-id': return [s.id];
    case 'vpc-id': return [s.vpcId];
    case 'cidr-block': case 'cidr': case 'cidrBlock': return [s.cidrBlock];
    case 'availability-zone': case 'availabilityZone': return [s.availabilityZone];
    case 'state': return [s.state];
    case 'map-public-ip-on-launch': return [String(s.mapPublicIpOnLaunch)];
    case 'default-for-az': return ['false'];
    default: return tagFilterValues(s.tags, name);
  }
};

function sgFilterFor(ctx: CallContext): FilterValues<SecurityGroup> {
  return (g, name) => {
    switch (name) {
      case 'group-id': return [g.id];
      case 'group-name': return [g.name];
      case 'vpc-id': return [g.vpcId];
      case 'description': return [g.description];
      case 'owner-id': return [ctx.world.accountId];
      case 'ip-permission.protocol': return rulesOf(ctx.world, g).filter((r) => !r.isEgress).map((r) => r.ipProtocol);
      case 'ip-permission.from-port': return rulesOf(ctx.world, g).filter((r) => !r.isEgress).map((r) => String(r.fromPort));
      case 'ip-permission.to-port': return rulesOf(ctx.world, g).filter((r) => !r.isEgress).map((r) => String(r.toPort));
      case 'ip-permission.cidr': return rulesOf(ctx.world, g).filter((r) => !r.isEgress && r.cidrIpv4).map((r) => r.cidrIpv4!);
      case 'ip-permission.group-id': return rulesOf(ctx.world, g).filter((r) => !r.isEgress && r.referencedGroupId).map((r) => r.referencedGroupId!);
      default: return tagFilterValues(g.tags, name);
    }
  };
}

const ruleFilter: FilterValues<SecurityGroupRule> = (r, name) => {
  switch (name) {
    case 'group-id': return [r.groupId];
    case 'security-group-rule-id': return [r.ruleId];
    default: return tagFilterValues(r.tags, name);
  }
};

function filtered<T>(list: T[], filters: Filter[], values: FilterValues<T>): T[] {
  checkFilterNames(list[0], filters, values);
  return filters.length ? list.filter((x) => matchesFilters(x, filters, values)) : list;
}

function boolValue(p: QueryParams, name: string): boolean | undefined {
  return p.bool(`${name}.Value`) ?? p.bool(name);
}

/** Rules described by `IpPermissions.N` (one rule per source), for authorize and revoke. */
function rulesFromPermissions(ctx: CallContext, p: QueryParams, groupId: string, isEgress: boolean): Omit<SecurityGroupRule, 'ruleId'>[] {
  const out: Omit<SecurityGroupRule, 'ruleId'>[] = [];
  const perms = p.structs('IpPermissions');
  // Legacy flat form: IpProtocol/FromPort/ToPort/CidrIp at the top level.
  if (!perms.length && p.has('IpProtocol')) {
    const protocol = normaliseProtocol(p.required('IpProtocol'));
    const ported = protocol !== '-1';
    const base = { groupId, isEgress, ipProtocol: protocol, fromPort: ported ? (p.int('FromPort') ?? -1) : -1, toPort: ported ? (p.int('ToPort') ?? -1) : -1, tags: {} };
    if (p.has('CidrIp')) out.push({ ...base, cidrIpv4: p.get('CidrIp') });
    if (p.has('SourceSecurityGroupId')) out.push({ ...base, referencedGroupId: p.get('SourceSecurityGroupId') });
    return out;
  }
  for (const perm of perms) {
    const protocol = normaliseProtocol(perm.required('IpProtocol'));
    const ported = protocol !== '-1';
    const fromPort = ported ? (perm.int('FromPort') ?? -1) : -1;
    const toPort = ported ? (perm.int('ToPort') ?? -1) : -1;
    if ((protocol === 'tcp' || protocol === 'udp') && (perm.int('FromPort') === undefined || perm.int('ToPort') === undefined)) {
      throw new ApiError('InvalidParameterValue', `Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.`, 400);
    }
    if ((protocol === 'tcp' || protocol === 'udp') && fromPort > toPort) throw new ApiError('InvalidParameterValue', `Invalid value 'Invalid port range (${fromPort}-${toPort}).' for portRange.`, 400);
    const base = { groupId, isEgress, ipProtocol: protocol, fromPort, toPort, tags: {} as Tags };
    for (const r of perm.structs('IpRanges')) out.push({ ...base, cidrIpv4: r.required('CidrIp'), description: r.get('Description') });
    for (const r of perm.structs('Ipv6Ranges')) out.push({ ...base, cidrIpv6: r.required('CidrIpv6'), description: r.get('Description') });
    for (const r of perm.structs('PrefixListIds')) out.push({ ...base, prefixListId: r.required('PrefixListId'), description: r.get('Description') });
    for (const r of perm.structs('Groups')) {
      const ref = r.get('GroupId');
      if (!ref) throw new ApiError('InvalidParameterValue', 'UserIdGroupPairs require a GroupId in a VPC', 400);
      if (!ctx.world.securityGroups[ref]) throw notFound('security-group', [ref]);
      out.push({ ...base, referencedGroupId: ref, description: r.get('Description') });
    }
  }
  for (const r of out) {
    if (r.cidrIpv4 !== undefined && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(r.cidrIpv4)) {
      throw new ApiError('InvalidParameterValue', `CIDR block ${r.cidrIpv4} is malformed`, 400);
    }
  }
  return out;
}

const sameRule = (a: Omit<SecurityGroupRule, 'ruleId'>, b: Omit<SecurityGroupRule, 'ruleId'>): boolean =>
  a.isEgress === b.isEgress && a.ipProtocol === b.ipProtocol && a.fromPort === b.fromPort && a.toPort === b.toPort &&
  a.cidrIpv4 === b.cidrIpv4 && a.cidrIpv6 === b.cidrIpv6 && a.prefixListId === b.prefixListId && a.referencedGroupId === b.referencedGroupId;

function describeRule(r: Omit<SecurityGroupRule, 'ruleId'>): string {
  const peer = r.cidrIpv4 ?? r.cidrIpv6 ?? r.prefixListId ?? r.referencedGroupId ?? '';
  const proto = r.ipProtocol === '-1' ? 'ALL' : r.ipProtocol.toUpperCase();
  return `peer: ${peer}, ${proto}, from port: ${r.fromPort}, to port: ${r.toPort}, ALLOW`;
}

function authorizeRules(ctx: CallContext, p: QueryParams, isEgress: boolean): XmlNode[] {
  const groupId = p.required('GroupId');
  checkId('security-group', groupId);
  mutate(ctx, isEgress ? 'ec2:AuthorizeSecurityGroupEgress' : 'ec2:AuthorizeSecurityGroupIngress', 'security-group', [groupId]);
  const [group] = lookup(ctx, ctx.world.securityGroups, 'security-group', [groupId]);
  const wanted = rulesFromPermissions(ctx, p, groupId, isEgress);
  if (!wanted.length) throw new ApiError('MissingParameter', 'The request must contain the parameter ipPermissions', 400);
  const existing = rulesOf(ctx.world, group!);
  for (const w of wanted) {
    if (existing.some((e) => sameRule(e, w)) || wanted.filter((x) => sameRule(x, w)).length > 1) {
      throw new ApiError('InvalidPermission.Duplicate', `the specified rule "${describeRule(w)}" already exists`, 400);
    }
  }
  const tags = tagSpecifications(p, 'security-group-rule');
  const created = wanted.map((w) => ({ ...w, tags: { ...tags }, ruleId: ec2Id('sgr') }));
  for (const r of created) {
    ctx.world.securityGroupRules[r.ruleId] = r;
    group!.ruleIds.push(r.ruleId);
  }
  return [node('return', true), node('securityGroupRuleSet', items('item', created, (r) => ruleXml(ctx.world, r, ctx.region)))];
}

function revokeRules(ctx: CallContext, p: QueryParams, isEgress: boolean): XmlNode[] {
  const groupId = p.required('GroupId');
  checkId('security-group', groupId);
  mutate(ctx, isEgress ? 'ec2:RevokeSecurityGroupEgress' : 'ec2:RevokeSecurityGroupIngress', 'security-group', [groupId]);
  const [group] = lookup(ctx, ctx.world.securityGroups, 'security-group', [groupId]);
  const existing = rulesOf(ctx.world, group!).filter((r) => r.isEgress === isEgress);
  const byId = p.list('SecurityGroupRuleId');
  let doomed: SecurityGroupRule[];
  if (byId.length) {
    doomed = byId.map((id) => {
      const r = existing.find((e) => e.ruleId === id);
      if (!r) throw new ApiError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist in security group '${groupId}'`, 400);
      return r;
    });
  } else {
    const wanted = rulesFromPermissions(ctx, p, groupId, isEgress);
    doomed = wanted.map((w) => {
      const r = existing.find((e) => sameRule(e, w));
      if (!r) throw new ApiError('InvalidPermission.NotFound', `The specified rule does not exist in this security group.`, 400);
      return r;
    });
  }
  const ids = new Set(doomed.map((r) => r.ruleId));
  group!.ruleIds = group!.ruleIds.filter((id) => !ids.has(id));
  for (const id of ids) delete ctx.world.securityGroupRules[id];
  return [node('return', true)];
}

function transition(ctx: CallContext, p: QueryParams, action: string, next: (i: Instance) => { shown: InstanceStateName; stored: InstanceStateName } | ApiError): XmlNode[] {
  const ids = p.list('InstanceId');
  if (!ids.length) throw new ApiError('MissingParameter', 'The request must contain the parameter InstanceId', 400);
  for (const id of ids) checkId('instance', id);
  mutate(ctx, action, 'instance', ids);
  const list = lookup(ctx, ctx.world.instances, 'instance', ids);
  const results = list.map((i) => ({ i, r: next(i) }));
  const failure = results.find((x) => x.r instanceof ApiError);
  if (failure) throw failure.r as ApiError;
  const when = `${ctx.now.toISOString().slice(0, 19).replace('T', ' ')} GMT`;
  const out = results.map(({ i, r }) => {
    const { shown, stored } = r as { shown: InstanceStateName; stored: InstanceStateName };
    const previous = i.state;
    if (previous !== stored) {
      i.state = stored;
      i.stateTransitionReason = stored === 'running' ? '' : `User initiated (${when})`;
      if (stored === 'terminated') i.terminatedAt = ctx.now.toISOString();
    }
    return { id: i.id, previous, current: previous === stored ? previous : shown };
  });
  return [node('instancesSet', items('item', out, (x) => [node('instanceId', x.id), node('currentState', stateXml(x.current)), node('previousState', stateXml(x.previous))]))];
}

function setTags(ctx: CallContext, resourceId: string, kind: Kind): Tags {
  const w = ctx.world;
  const table: Record<string, { tags: Tags; region?: string }> = kind in GATEWAY_KINDS ? gatewayTagTable(ctx, kind as GatewayKind)
    : kind in ENDPOINT_KINDS ? endpointTagTable(ctx, kind as EndpointKind)
    : kind in INTERFACE_KINDS ? interfaceTagTable(ctx, kind as InterfaceKind)
    : kind === 'launch-template' ? launchTemplateTagTable(ctx)
    : kind === 'instance' ? w.instances : kind === 'vpc' ? w.vpcs : kind === 'subnet' ? w.subnets : kind === 'security-group' ? w.securityGroups
      : kind === 'route-table' ? routeTablesOf(ctx) : kind === 'internet-gateway' ? internetGatewaysOf(ctx)
        : kind === 'network-acl' ? networkAclsOf(ctx) : kind === 'natgateway' ? natGatewaysOf(ctx) : kind === 'key-pair' ? keyPairsOf(ctx)
          : kind === 'elastic-ip' ? addressesOf(ctx) : kind === 'volume' ? volumesOf(ctx) : w.securityGroupRules;
  const r = table[resourceId];
  if (!r || (r.region !== undefined && r.region !== ctx.region)) throw notFound(kind, [resourceId]);
  return r.tags;
}

function taggedResources(ctx: CallContext, p: QueryParams, action: string): { id: string; kind: Kind }[] {
  const ids = p.list('ResourceId');
  if (!ids.length) throw new ApiError('MissingParameter', 'The request must contain the parameter resourceIdSet', 400);
  const list = ids.map((id) => {
    const kind = kindOfId(id);
    if (!kind) throw new ApiError('InvalidID', `The ID '${id}' is not valid`, 400);
    checkId(kind, id);
    ctx.trail.resources.push({ type: KINDS[kind].trail, name: id, arn: arnOf(ctx, kind, id) });
    return { id, kind };
  });
  ctx.authorize(action, list.map((r) => arnOf(ctx, r.kind, r.id)));
  return list;
}

/** CloudTrail's EC2 request shape: lists as {items: [...]}, id lists as `…Set`. */
function ec2TrailParameters(p: QueryParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ids = (name: string, set: string, field: string): void => {
    const list = p.list(name);
    if (list.length) out[set] = { items: list.map((v) => ({ [field]: v })) };
  };
  ids('InstanceId', 'instancesSet', 'instanceId');
  ids('ResourceId', 'resourcesSet', 'resourceId');
  ids('SecurityGroupRuleId', 'securityGroupRuleIds', 'securityGroupRuleId');
  const tags = p.structs('Tag');
  if (tags.length) out.tagSet = { items: tags.map((t) => ({ key: t.get('Key'), ...(t.has('Value') ? { value: t.get('Value') } : {}) })) };
  const perms = p.structs('IpPermissions');
  if (perms.length) {
    out.ipPermissions = {
      items: perms.map((perm) => ({
        ipProtocol: perm.get('IpProtocol'), fromPort: perm.int('FromPort'), toPort: perm.int('ToPort'),
        groups: { items: perm.structs('Groups').map((g) => ({ groupId: g.get('GroupId'), description: g.get('Description') })) },
        ipRanges: { items: perm.structs('IpRanges').map((r) => ({ cidrIp: r.get('CidrIp'), description: r.get('Description') })) },
        ipv6Ranges: {}, prefixListIds: {},
      })),
    };
  }
  for (const [k, v] of p.entries()) {
    if (/^(Action|Version|InstanceId|ResourceId|SecurityGroupRuleId|Tag|IpPermissions)(\.|$)/.test(k)) continue;
    const parts = k.split('.');
    const key = parts[0]!.charAt(0).toLowerCase() + parts[0]!.slice(1);
    const value: unknown = v === 'true' ? true : v === 'false' ? false : /^\d{1,9}$/.test(v) ? Number(v) : v;
    if (parts.length === 2 && parts[1] === 'Value') out[key] = { value };
    else if (parts.length === 1) out[key] = value;
  }
  return out;
}

export const ec2Operations: Record<string, Handler> = {
  ...ec2RouteOperations,
  ...ec2NetworkAclOperations,
  ...ec2AddressOperations,
  ...ec2VolumeOperations,
  ...ec2InstanceTypeOperations,
  ...ec2GatewayOperations,
  ...ec2EndpointOperations,
  ...ec2InterfaceOperations,
  ...ec2LaunchTemplateOperations,
  DescribeVpcs(ctx, p) {
    ctx.authorize('ec2:DescribeVpcs', '*');
    const ids = p.list('VpcId');
    const base = ids.length ? lookup(ctx, ctx.world.vpcs, 'vpc', ids) : Object.values(ctx.world.vpcs).filter((v) => v.region === ctx.region);
    const { page, nextToken } = paginate(filtered(base, readFilters(p), vpcFilter), p, queryKey(p), { min: 5, max: 1000 });
    return [node('vpcSet', items('item', page, (v) => vpcXml(ctx.world, v))), node('nextToken', nextToken)];
  },
  DescribeVpcAttribute(ctx, p) {
    ctx.authorize('ec2:DescribeVpcAttribute', '*');
    const [vpc] = lookup(ctx, ctx.world.vpcs, 'vpc', [p.required('VpcId')]);
    const attribute = p.required('Attribute');
    const values: Record<string, boolean> = { enableDnsSupport: vpc!.enableDnsSupport, enableDnsHostnames: vpc!.enableDnsHostnames, enableNetworkAddressUsageMetrics: false };
    if (!(attribute in values)) throw new ApiError('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`, 400);
    return [node('vpcId', vpc!.id), node(attribute, [node('value', values[attribute])])];
  },
  ModifyVpcAttribute(ctx, p) {
    const id = p.required('VpcId');
    checkId('vpc', id);
    mutate(ctx, 'ec2:ModifyVpcAttribute', 'vpc', [id]);
    const [vpc] = lookup(ctx, ctx.world.vpcs, 'vpc', [id]);
    const support = boolValue(p, 'EnableDnsSupport');
    const hostnames = boolValue(p, 'EnableDnsHostnames');
    if ((support === undefined) === (hostnames === undefined)) throw new ApiError('InvalidParameterCombination', 'Exactly one attribute can be modified at a time.', 400);
    if (support !== undefined) vpc!.enableDnsSupport = support;
    if (hostnames !== undefined) vpc!.enableDnsHostnames = hostnames;
    return [node('return', true)];
  },
  CreateVpc(ctx, p) {
    const cidr = p.required('CidrBlock');
    if (!/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-8])$/.test(cidr)) throw new ApiError('InvalidParameterValue', `Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`, 400);
    mutate(ctx, 'ec2:CreateVpc', 'vpc', []);
    const vpc: Vpc = {
      id: ec2Id('vpc'), region: ctx.region, cidrBlock: cidr, state: 'available', isDefault: false, instanceTenancy: p.get('InstanceTenancy') ?? 'default',
      dhcpOptionsId: Object.values(ctx.world.vpcs).find((v) => v.region === ctx.region)?.dhcpOptionsId ?? ec2Id('dopt'),
      enableDnsSupport: true, enableDnsHostnames: false, tags: tagSpecifications(p, 'vpc'),
    };
    ctx.world.vpcs[vpc.id] = vpc;
    ctx.trail.resources.push({ type: KINDS.vpc.trail, name: vpc.id });
    const egress = { ruleId: ec2Id('sgr'), isEgress: true, ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0', tags: {} };
    const group: SecurityGroup = { id: ec2Id('sg'), region: ctx.region, name: 'default', description: 'default VPC security group', vpcId: vpc.id, tags: {}, ruleIds: [egress.ruleId] };
    const ingress = { ruleId: ec2Id('sgr'), groupId: group.id, isEgress: false, ipProtocol: '-1', fromPort: -1, toPort: -1, referencedGroupId: group.id, tags: {} };
    group.ruleIds.unshift(ingress.ruleId);
    ctx.world.securityGroups[group.id] = group;
    ctx.world.securityGroupRules[egress.ruleId] = { ...egress, groupId: group.id };
    ctx.world.securityGroupRules[ingress.ruleId] = ingress;
    const main = mainTableFor(vpc);
    routeTablesOf(ctx)[main.id] = main;
    return [node('vpc', vpcXml(ctx.world, vpc))];
  },
  DescribeSubnets(ctx, p) {
    ctx.authorize('ec2:DescribeSubnets', '*');
    const ids = p.list('SubnetId');
    const base = ids.length ? lookup(ctx, ctx.world.subnets, 'subnet', ids) : Object.values(ctx.world.subnets).filter((s) => s.region === ctx.region);
    const { page, nextToken } = paginate(filtered(base, readFilters(p), subnetFilter), p, queryKey(p), { min: 5, max: 1000 });
    const used = new Map<string, number>();
    for (const i of Object.values(ctx.world.instances)) if (i.state !== 'terminated') used.set(i.subnetId, (used.get(i.subnetId) ?? 0) + 1);
    return [node('subnetSet', items('item', page, (s) => subnetXml(ctx.world, s, used.get(s.id) ?? 0))), node('nextToken', nextToken)];
  },
  CreateSubnet(ctx, p) {
    const vpcId = p.required('VpcId');
    checkId('vpc', vpcId);
    mutate(ctx, 'ec2:CreateSubnet', 'subnet', []);
    const [vpc] = lookup(ctx, ctx.world.vpcs, 'vpc', [vpcId]);
    const cidr = p.required('CidrBlock');
    if (!/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-8])$/.test(cidr)) throw new ApiError('InvalidSubnet.Range', `The CIDR '${cidr}' is invalid.`, 400);
    if (Object.values(ctx.world.subnets).some((s) => s.vpcId === vpcId && s.cidrBlock === cidr)) throw new ApiError('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`, 400);
    const subnet: Subnet = {
      id: ec2Id('subnet'), region: ctx.region, vpcId: vpc!.id, cidrBlock: cidr, availabilityZone: p.get('AvailabilityZone') ?? `${ctx.region}a`,
      mapPublicIpOnLaunch: false, state: 'available', tags: tagSpecifications(p, 'subnet'),
    };
    ctx.world.subnets[subnet.id] = subnet;
    ctx.trail.resources.push({ type: KINDS.subnet.trail, name: subnet.id });
    return [node('subnet', subnetXml(ctx.world, subnet, 0))];
  },
  ModifySubnetAttribute(ctx, p) {
    const id = p.required('SubnetId');
    checkId('subnet', id);
    mutate(ctx, 'ec2:ModifySubnetAttribute', 'subnet', [id]);
    const [subnet] = lookup(ctx, ctx.world.subnets, 'subnet', [id]);
    const v = boolValue(p, 'MapPublicIpOnLaunch');
    if (v === undefined) throw new ApiError('MissingParameter', 'The request must contain an attribute to modify', 400);
    subnet!.mapPublicIpOnLaunch = v;
    return [node('return', true)];
  },
  DescribeSecurityGroups(ctx, p) {
    ctx.authorize('ec2:DescribeSecurityGroups', '*');
    const ids = p.list('GroupId');
    const names = p.list('GroupName');
    let base = ids.length ? lookup(ctx, ctx.world.securityGroups, 'security-group', ids) : Object.values(ctx.world.securityGroups).filter((g) => g.region === ctx.region);
    if (names.length) {
      base = base.filter((g) => names.includes(g.name));
      const missing = names.filter((n) => !base.some((g) => g.name === n));
      if (missing.length) throw new ApiError('InvalidGroup.NotFound', `The security group '${missing.join(', ')}' does not exist in default VPC`, 400);
    }
    const { page, nextToken } = paginate(filtered(base, readFilters(p), sgFilterFor(ctx)), p, queryKey(p), { min: 5, max: 1000 });
    return [node('securityGroupInfo', items('item', page, (g) => securityGroupXml(ctx.world, g))), node('nextToken', nextToken)];
  },
  DescribeSecurityGroupRules(ctx, p) {
    ctx.authorize('ec2:DescribeSecurityGroupRules', '*');
    const ids = p.list('SecurityGroupRuleId');
    const base = ids.length
      ? ids.map((id) => {
        checkId('security-group-rule', id);
        const r = ctx.world.securityGroupRules[id];
        if (!r || ctx.world.securityGroups[r.groupId]?.region !== ctx.region) throw notFound('security-group-rule', [id]);
        return r;
      })
      : Object.values(ctx.world.securityGroups).filter((g) => g.region === ctx.region).flatMap((g) => rulesOf(ctx.world, g));
    const { page, nextToken } = paginate(filtered(base, readFilters(p), ruleFilter), p, queryKey(p), { min: 5, max: 1000 });
    return [node('securityGroupRuleSet', items('item', page, (r) => ruleXml(ctx.world, r, ctx.region))), node('nextToken', nextToken)];
  },
  CreateSecurityGroup(ctx, p) {
    const name = p.required('GroupName');
    const description = p.required('GroupDescription');
    const vpcId = p.required('VpcId');
    checkId('vpc', vpcId);
    mutate(ctx, 'ec2:CreateSecurityGroup', 'security-group', []);
    lookup(ctx, ctx.world.vpcs, 'vpc', [vpcId]);
    if (name.toLowerCase().startsWith('sg-')) throw new ApiError('InvalidParameterValue', 'Group names may not be in the format sg-*.', 400);
    if (Object.values(ctx.world.securityGroups).some((g) => g.vpcId === vpcId && g.name === name)) {
      throw new ApiError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`, 400);
    }
    const egress: SecurityGroupRule = { ruleId: ec2Id('sgr'), groupId: '', isEgress: true, ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0', tags: {} };
    const group: SecurityGroup = { id: ec2Id('sg'), region: ctx.region, name, description, vpcId, tags: tagSpecifications(p, 'security-group'), ruleIds: [egress.ruleId] };
    egress.groupId = group.id;
    ctx.world.securityGroups[group.id] = group;
    ctx.world.securityGroupRules[egress.ruleId] = egress;
    ctx.trail.resources.push({ type: KINDS['security-group'].trail, name: group.id });
    ctx.trail.responseElements = { groupId: group.id };
    return [node('return', true), node('groupId', group.id), node('securityGroupArn', arnOf(ctx, 'security-group', group.id)), ...(Object.keys(group.tags).length ? [node('tagSet', items('item', Object.entries(group.tags), ([k, v]) => [node('key', k), node('value', v)]))] : [])];
  },
  DeleteSecurityGroup(ctx, p) {
    const id = p.required('GroupId');
    checkId('security-group', id);
    mutate(ctx, 'ec2:DeleteSecurityGroup', 'security-group', [id]);
    const [group] = lookup(ctx, ctx.world.securityGroups, 'security-group', [id]);
    if (group!.name === 'default') throw new ApiError('CannotDelete', `the specified group: "${id}" name: "default" cannot be deleted by a user`, 400);
    const inUse = Object.values(ctx.world.instances).some((i) => i.state !== 'terminated' && i.securityGroupIds.includes(id));
    const referenced = Object.values(ctx.world.securityGroupRules).some((r) => r.referencedGroupId === id && r.groupId !== id);
    if (inUse || referenced) throw new ApiError('DependencyViolation', `resource ${id} has a dependent object`, 400);
    for (const ruleId of group!.ruleIds) delete ctx.world.securityGroupRules[ruleId];
    delete ctx.world.securityGroups[id];
    return [node('return', true), node('groupId', id)];
  },
  AuthorizeSecurityGroupIngress: (ctx, p) => authorizeRules(ctx, p, false),
  AuthorizeSecurityGroupEgress: (ctx, p) => authorizeRules(ctx, p, true),
  RevokeSecurityGroupIngress: (ctx, p) => revokeRules(ctx, p, false),
  RevokeSecurityGroupEgress: (ctx, p) => revokeRules(ctx, p, true),
  ModifySecurityGroupRules(ctx, p) {
    const groupId = p.required('GroupId');
    checkId('security-group', groupId);
    mutate(ctx, 'ec2:ModifySecurityGroupRules', 'security-group', [groupId]);
    const [group] = lookup(ctx, ctx.world.securityGroups, 'security-group', [groupId]);
    for (const entry of p.structs('SecurityGroupRule')) {
      const id = entry.required('SecurityGroupRuleId');
      const rule = ctx.world.securityGroupRules[id];
      if (!rule || !group!.ruleIds.includes(id)) throw notFound('security-group-rule', [id]);
      const spec = entry.scoped('SecurityGroupRule');
      const protocol = normaliseProtocol(spec.required('IpProtocol'));
      const ported = protocol !== '-1';
      const next = {
        ...rule, ipProtocol: protocol, fromPort: ported ? (spec.int('FromPort') ?? -1) : -1, toPort: ported ? (spec.int('ToPort') ?? -1) : -1,
        cidrIpv4: spec.get('CidrIpv4'), cidrIpv6: spec.get('CidrIpv6'), prefixListId: spec.get('PrefixListId'), referencedGroupId: spec.get('ReferencedGroupId'),
        description: spec.get('Description'),
      };
      if ([next.cidrIpv4, next.cidrIpv6, next.prefixListId, next.referencedGroupId].filter(Boolean).length !== 1) {
        throw new ApiError('InvalidParameterCombination', 'Specify exactly one of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId.', 400);
      }
      ctx.world.securityGroupRules[id] = next;
    }
    return [node('return', true)];
  },
  RunInstances(ctx, p) {
    const imageId = p.required('ImageId');
    const type = p.get('InstanceType') ?? 'm1.small';
    const min = p.int('MinCount') ?? 1;
    const max = p.int('MaxCount') ?? min;
    if (min < 1 || max < min) throw new ApiError('InvalidParameterValue', `Invalid value for MinCount/MaxCount (${min}/${max})`, 400);
    // The primary network interface may be given as NetworkInterface.1.* instead (what Terraform's
    // provider sends when it sets the subnet, the private IP or groups on the interface).
    const eni = p.structs('NetworkInterface').find((n) => (n.int('DeviceIndex') ?? 0) === 0);
    if (eni && (p.has('SubnetId') || p.list('SecurityGroupId').length)) {
      throw new ApiError('InvalidParameterCombination', 'Network interfaces and an instance-level subnet ID or security groups may not be specified on the same request', 400);
    }
    const subnetId = eni?.get('SubnetId') ?? p.get('SubnetId');
    mutate(ctx, 'ec2:RunInstances', 'instance', []);
    if (!/^ami-[0-9a-f]{8,17}$/.test(imageId)) throw new ApiError('InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`, 400);
    const subnet = subnetId ? lookup(ctx, ctx.world.subnets, 'subnet', [subnetId])[0]! : Object.values(ctx.world.subnets).find((s) => s.region === ctx.region);
    if (!subnet) throw new ApiError('VPCIdNotSpecified', 'No default VPC for this user', 400);
    const groups = eni ? eni.list('SecurityGroupId') : p.list('SecurityGroupId');
    lookup(ctx, ctx.world.securityGroups, 'security-group', groups);
    const foreign = groups.find((g) => ctx.world.securityGroups[g]!.vpcId !== subnet.vpcId);
    if (foreign) throw new ApiError('InvalidParameter', `Security group ${foreign} and subnet ${subnet.id} belong to different networks.`, 400);
    const defaultGroup = Object.values(ctx.world.securityGroups).find((g) => g.vpcId === subnet.vpcId && g.name === 'default');
    const metadataOptions = readMetadataOptions(p, 'MetadataOptions', DEFAULT_METADATA_OPTIONS);
    const tags = tagSpecifications(p, 'instance');
    const reservationId = ec2Id('r');
    const profile = p.get('IamInstanceProfile.Arn') ?? (p.get('IamInstanceProfile.Name') && `arn:aws:iam::${ctx.world.accountId}:instance-profile/${p.get('IamInstanceProfile.Name')}`);
    const used = new Set(Object.values(ctx.world.instances).filter((i) => i.subnetId === subnet.id).map((i) => i.privateIpAddress));
    const base = subnet.cidrBlock.split('/')[0]!.split('.').reduce((a, o) => a * 256 + Number(o), 0);
    let next = 4;
    const created: Instance[] = [];
    for (let n = 0; n < max; n++) {
      let ip = n === 0 ? (eni?.get('PrivateIpAddress') ?? p.get('PrivateIpAddress')) : undefined;
      if (ip && used.has(ip)) throw new ApiError('InvalidIPAddress.InUse', `Address ${ip} is in use.`, 400);
      while (!ip) {
        const v = base + next++;
        const candidate = [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
        if (!used.has(candidate)) ip = candidate;
      }
      used.add(ip);
      const id = ec2Id('i');
      const inst: Instance = {
        id, region: ctx.region, reservationId, imageId, instanceType: type, state: 'running', stateTransitionReason: '', subnetId: subnet.id, vpcId: subnet.vpcId,
        availabilityZone: subnet.availabilityZone, privateIpAddress: ip, securityGroupIds: groups.length ? groups : defaultGroup ? [defaultGroup.id] : [],
        keyName: p.get('KeyName'), launchTime: ctx.now.toISOString(), tags: { ...tags }, monitoring: p.bool('Monitoring.Enabled') ? 'enabled' : 'disabled',
        ebsOptimized: p.bool('EbsOptimized') ?? false, sourceDestCheck: true, disableApiTermination: p.bool('DisableApiTermination') ?? false, disableApiStop: p.bool('DisableApiStop') ?? false,
        instanceInitiatedShutdownBehavior: p.get('InstanceInitiatedShutdownBehavior') === 'terminate' ? 'terminate' : 'stop', userData: p.get('UserData'),
        iamInstanceProfileArn: profile || undefined, rootVolumeId: ec2Id('vol'), networkInterfaceId: ec2Id('eni'), metadataOptions,
      };
      ctx.world.instances[id] = inst;
      created.push(inst);
      ctx.trail.resources.push({ type: KINDS.instance.trail, name: id });
    }
    ctx.trail.responseElements = { reservationId, instancesSet: { items: created.map((i) => ({ instanceId: i.id })) } };
    // EC2 answers RunInstances while the instances are still pending.
    return [
      node('reservationId', reservationId), node('ownerId', ctx.world.accountId), node('groupSet', []),
      node('instancesSet', items('item', created, (i) => instanceXml(ctx.world, { ...i, state: 'pending' }, cpuOf(i.instanceType)))),
    ];
  },
  DescribeInstances(ctx, p) {
    ctx.authorize('ec2:DescribeInstances', '*');
    const ids = p.list('InstanceId');
    if (ids.length && p.has('MaxResults')) throw new ApiError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults', 400);
    let base: Instance[];
    if (ids.length) {
      for (const id of ids) checkId('instance', id);
      const visible = new Set(visibleInstances(ctx).map((i) => i.id));
      const missing = ids.filter((id) => !visible.has(id));
      if (missing.length) throw notFound('instance', missing);
      base = [...new Set(ids)].map((id) => ctx.world.instances[id]!);
    } else {
      base = visibleInstances(ctx);
    }
    const { page, nextToken } = paginate(filtered(base, readFilters(p), instanceFilter), p, queryKey(p), { min: 5, max: 1000 });
    const reservations = new Map<string, Instance[]>();
    for (const i of page) {
      const list = reservations.get(i.reservationId);
      if (list) list.push(i);
      else reservations.set(i.reservationId, [i]);
    }
    return [
      node('reservationSet', items('item', [...reservations.entries()], ([rid, list]) => [
        node('reservationId', rid), node('ownerId', ctx.world.accountId), node('groupSet', []),
        node('instancesSet', items('item', list, (i) => instanceXml(ctx.world, i, cpuOf(i.instanceType)))),
      ])),
      node('nextToken', nextToken),
    ];
  },
  DescribeInstanceAttribute(ctx, p) {
    ctx.authorize('ec2:DescribeInstanceAttribute', '*');
    const [i] = lookup(ctx, ctx.world.instances, 'instance', [p.required('InstanceId')]);
    const attribute = p.required('Attribute');
    const value = (v: string | boolean | undefined): XmlNode[] => (v === undefined ? [] : [node('value', v)]);
    const shapes: Record<string, XmlNode> = {
      instanceType: node('instanceType', value(i!.instanceType)),
      disableApiTermination: node('disableApiTermination', value(i!.disableApiTermination)),
      disableApiStop: node('disableApiStop', value(i!.disableApiStop)),
      instanceInitiatedShutdownBehavior: node('instanceInitiatedShutdownBehavior', value(i!.instanceInitiatedShutdownBehavior)),
      sourceDestCheck: node('sourceDestCheck', value(i!.sourceDestCheck)),
      ebsOptimized: node('ebsOptimized', value(i!.ebsOptimized)),
      userData: node('userData', value(i!.userData)),
      groupSet: node('groupSet', items('item', i!.securityGroupIds, (g) => [node('groupId', g)])),
    };
    const shape = shapes[attribute];
    if (!shape) throw new ApiError('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`, 400);
    return [node('instanceId', i!.id), shape];
  },
  ModifyInstanceMetadataOptions(ctx, p) {
    const id = p.required('InstanceId');
    mutate(ctx, 'ec2:ModifyInstanceMetadataOptions', 'instance', [id]);
    const i = lookup(ctx, ctx.world.instances, 'instance', [id])[0]!;
    if (i.state === 'terminated') throw new ApiError('IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be modified.`, 400);
    const next = readMetadataOptions(p, '', i.metadataOptions ?? DEFAULT_METADATA_OPTIONS);
    i.metadataOptions = next;
    return [node('instanceId', id), node('instanceMetadataOptions', [
      node('state', 'pending'), node('httpTokens', next.httpTokens), node('httpPutResponseHopLimit', next.httpPutResponseHopLimit), node('httpEndpoint', next.httpEndpoint),
      node('httpProtocolIpv6', 'disabled'), node('instanceMetadataTags', next.instanceMetadataTags),
    ])];
  },
  ModifyInstanceAttribute(ctx, p) {
    const id = p.required('InstanceId');
    checkId('instance', id);
    mutate(ctx, 'ec2:ModifyInstanceAttribute', 'instance', [id]);
    const [i] = lookup(ctx, ctx.world.instances, 'instance', [id]);
    const attribute = p.get('Attribute');
    const plain = attribute ? p.get('Value') : undefined;
    const pick = (name: string): string | undefined => (attribute === name ? plain : p.get(`${name.charAt(0).toUpperCase()}${name.slice(1)}.Value`));
    const asBool = (v: string | undefined, name: string): boolean | undefined => {
      if (v === undefined) return undefined;
      if (v !== 'true' && v !== 'false') throw new ApiError('InvalidParameterValue', `Value (${v}) for parameter ${name} is invalid.`, 400);
      return v === 'true';
    };
    const type = pick('instanceType');
    const groups = p.list('GroupId');
    let changed = 0;
    if (type !== undefined) {
      if (i!.state !== 'stopped') throw new ApiError('IncorrectInstanceState', `The instance '${id}' is not in the 'stopped' state.`, 400);
      i!.instanceType = type;
      changed++;
    }
    const flags: [keyof Instance, string][] = [['disableApiTermination', 'disableApiTermination'], ['disableApiStop', 'disableApiStop'], ['sourceDestCheck', 'sourceDestCheck'], ['ebsOptimized', 'ebsOptimized']];
    for (const [field, name] of flags) {
      const v = asBool(pick(name), name);
      if (v !== undefined) {
        (i as unknown as Record<string, unknown>)[field] = v;
        changed++;
      }
    }
    const behaviour = pick('instanceInitiatedShutdownBehavior');
    if (behaviour !== undefined) {
      if (behaviour !== 'stop' && behaviour !== 'terminate') throw new ApiError('InvalidParameterValue', `Value (${behaviour}) for parameter instanceInitiatedShutdownBehavior is invalid.`, 400);
      i!.instanceInitiatedShutdownBehavior = behaviour;
      changed++;
    }
    const userData = pick('userData');
    if (userData !== undefined) {
      if (i!.state !== 'stopped') throw new ApiError('IncorrectInstanceState', `The instance '${id}' is not in the 'stopped' state.`, 400);
      i!.userData = userData;
      changed++;
    }
    if (groups.length) {
      lookup(ctx, ctx.world.securityGroups, 'security-group', groups);
      i!.securityGroupIds = groups;
      changed++;
    }
    if (changed !== 1) throw new ApiError('InvalidParameterCombination', 'Exactly one attribute must be modified per request.', 400);
    return [node('return', true)];
  },
  StopInstances: (ctx, p) => transition(ctx, p, 'ec2:StopInstances', (i) => {
    if (i.state === 'terminated') return new ApiError('IncorrectInstanceState', `This instance '${i.id}' is not in a state from which it can be stopped.`, 400);
    if (i.disableApiStop) return new ApiError('OperationNotPermitted', `The instance '${i.id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`, 400);
    return { shown: 'stopping', stored: 'stopped' };
  }),
  StartInstances: (ctx, p) => transition(ctx, p, 'ec2:StartInstances', (i) => {
    if (i.state === 'terminated') return new ApiError('IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be started.`, 400);
    return { shown: 'pending', stored: 'running' };
  }),
  TerminateInstances: (ctx, p) => transition(ctx, p, 'ec2:TerminateInstances', (i) => {
    if (i.disableApiTermination) return new ApiError('OperationNotPermitted', `The instance '${i.id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`, 400);
    return { shown: 'shutting-down', stored: 'terminated' };
  }),
  MonitorInstances(ctx, p) {
    const ids = p.list('InstanceId');
    mutate(ctx, 'ec2:MonitorInstances', 'instance', ids);
    const list = lookup(ctx, ctx.world.instances, 'instance', ids);
    for (const i of list) i.monitoring = 'enabled';
    return [node('instancesSet', items('item', list, (i) => [node('instanceId', i.id), node('monitoring', [node('state', 'pending')])]))];
  },
  UnmonitorInstances(ctx, p) {
    const ids = p.list('InstanceId');
    mutate(ctx, 'ec2:UnmonitorInstances', 'instance', ids);
    const list = lookup(ctx, ctx.world.instances, 'instance', ids);
    for (const i of list) i.monitoring = 'disabled';
    return [node('instancesSet', items('item', list, (i) => [node('instanceId', i.id), node('monitoring', [node('state', 'disabling')])]))];
  },
  CreateTags(ctx, p) {
    const targets = taggedResources(ctx, p, 'ec2:CreateTags');
    const tags = p.structs('Tag').map((t) => [t.required('Key'), t.get('Value') ?? ''] as const);
    for (const [k, v] of tags) {
      if (k.length > 128) throw new ApiError('InvalidParameterValue', `Tag key exceeds the maximum length of 128 characters`, 400);
      if (v.length > 256) throw new ApiError('InvalidParameterValue', `Tag value exceeds the maximum length of 256 characters`, 400);
      if (k.toLowerCase().startsWith('aws:')) throw new ApiError('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use`, 400);
    }
    const sets = targets.map((t) => setTags(ctx, t.id, t.kind));
    for (const set of sets) {
      if (Object.keys({ ...set, ...Object.fromEntries(tags) }).length > 50) throw new ApiError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.', 400);
    }
    for (const set of sets) for (const [k, v] of tags) set[k] = v;
    return [node('return', true)];
  },
  DeleteTags(ctx, p) {
    const targets = taggedResources(ctx, p, 'ec2:DeleteTags');
    const tags = p.structs('Tag').map((t) => ({ key: t.required('Key'), value: t.get('Value') }));
    const sets = targets.map((t) => setTags(ctx, t.id, t.kind));
    for (const set of sets) {
      if (!tags.length) for (const k of Object.keys(set)) delete set[k];
      for (const t of tags) if (set[t.key] !== undefined && (t.value === undefined || set[t.key] === t.value)) delete set[t.key];
    }
    return [node('return', true)];
  },
  DescribeTags(ctx, p) {
    ctx.authorize('ec2:DescribeTags', '*');
    const w = ctx.world;
    type Row = { id: string; type: Kind; key: string; value: string };
    const rows: Row[] = [];
    const add = (type: Kind, id: string, tags: Tags): void => { for (const [key, value] of Object.entries(tags)) rows.push({ id, type, key, value }); };
    for (const i of visibleInstances(ctx)) add('instance', i.id, i.tags);
    for (const v of Object.values(w.vpcs)) if (v.region === ctx.region) add('vpc', v.id, v.tags);
    for (const s of Object.values(w.subnets)) if (s.region === ctx.region) add('subnet', s.id, s.tags);
    for (const g of Object.values(w.securityGroups)) if (g.region === ctx.region) {
      add('security-group', g.id, g.tags);
      for (const r of rulesOf(w, g)) add('security-group-rule', r.ruleId, r.tags);
    }
    for (const t of Object.values(routeTablesOf(ctx))) if (t.region === ctx.region) add('route-table', t.id, t.tags);
    for (const g of Object.values(internetGatewaysOf(ctx))) if (g.region === ctx.region) add('internet-gateway', g.id, g.tags);
    for (const a of Object.values(networkAclsOf(ctx))) if (a.region === ctx.region) add('network-acl', a.id, a.tags);
    for (const a of Object.values(addressesOf(ctx))) if (a.region === ctx.region) add('elastic-ip', a.allocationId, a.tags);
    for (const g of Object.values(natGatewaysOf(ctx))) if (g.region === ctx.region) add('natgateway', g.id, g.tags);
    for (const k of Object.values(keyPairsOf(ctx))) if (k.region === ctx.region) add('key-pair', k.keyPairId, k.tags);
    for (const v of Object.values(volumesOf(ctx))) if (v.region === ctx.region) add('volume', v.id, v.tags);
    const values: FilterValues<Row> = (r, name) => {
      switch (name) {
        case 'resource-id': return [r.id];
        case 'resource-type': return [r.type];
        case 'key': return [r.key];
        case 'value': return [r.value];
        default: return name.startsWith('tag:') ? (r.key === name.slice(4) ? [r.value] : []) : undefined;
      }
    };
    const { page, nextToken } = paginate(filtered(rows, readFilters(p), values), p, queryKey(p), { min: 5, max: 1000 });
    return [node('tagSet', items('item', page, (r) => [node('resourceId', r.id), node('resourceType', r.type), node('key', r.key), node('value', r.value)])), node('nextToken', nextToken)];
  },
};

/** EC2 requests may carry DryRun=true: authorization runs, then DryRunOperation stands in for the result. */
/** The instance type's default CPU layout, as instance descriptions report it. */
function cpuOf(type: string): { coreCount: number; threadsPerCore: number } {
  const { cores, threads } = cpuOptionsOf(type);
  return { coreCount: cores, threadsPerCore: threads };
}

/** Metadata options from `<prefix>.HttpTokens` etc. (RunInstances) or top-level names (ModifyInstanceMetadataOptions), over `base`. */
function readMetadataOptions(p: QueryParams, prefix: string, base: InstanceMetadataOptions): InstanceMetadataOptions {
  const name = (n: string): string => (prefix ? `${prefix}.${n}` : n);
  const oneOf = <T extends string>(n: string, allowed: readonly T[], fallback: T): T => {
    const v = p.get(name(n));
    if (v === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(v)) throw new ApiError('InvalidParameterValue', `Value (${v}) for parameter ${n} is invalid. Expected one of ${allowed.join(', ')}.`, 400);
    return v as T;
  };
  const hops = p.int(name('HttpPutResponseHopLimit')) ?? base.httpPutResponseHopLimit;
  if (hops < 1 || hops > 64) throw new ApiError('InvalidParameterValue', `Value (${hops}) for parameter HttpPutResponseHopLimit is invalid. Expected an integer between 1 and 64.`, 400);
  return {
    httpTokens: oneOf('HttpTokens', ['optional', 'required'] as const, base.httpTokens), httpPutResponseHopLimit: hops,
    httpEndpoint: oneOf('HttpEndpoint', ['enabled', 'disabled'] as const, base.httpEndpoint),
    instanceMetadataTags: oneOf('InstanceMetadataTags', ['enabled', 'disabled'] as const, base.instanceMetadataTags),
  };
}

export function ec2Call(handler: Handler, ctx: CallContext, p: QueryParams): XmlNode[] {
  ctx.trail.requestParameters = ec2TrailParameters(p);
  if (p.bool('DryRun')) {
    const authorize = ctx.authorize;
    ctx.authorize = (...args) => {
      authorize(...args);
      throw new ApiError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
    };
  }
  return handler(ctx, p);
}
