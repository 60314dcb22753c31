// EC2 network ACLs (query/XML), per the EC2 API reference: every VPC has a default ACL (allow all
// in and out at rule 100, the fixed deny at 32767); every subnet is associated with exactly one ACL
// of its VPC, the default one unless replaced.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { ec2Id } from '../ids';
import type { QueryParams } from '../protocol/query-xml';
import type { NetworkAcl, NetworkAclEntry, Vpc } from '../world';
import { items, node, type XmlNode } from '../xml';
import { authorizeWrite, filtered, queryKey, regionalVpc } from './ec2-calls';
import { paginate, tagFilterValues, tagSet, tagSpecifications, type FilterValues } from './ec2-shapes';

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

const DENY_ALL = (egress: boolean): NetworkAclEntry => ({ ruleNumber: 32767, egress, protocol: '-1', ruleAction: 'deny', cidrBlock: '0.0.0.0/0' });
const PROTOCOLS: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58', all: '-1' };

function defaultAclFor(vpc: Vpc): NetworkAcl {
  const allow = (egress: boolean): NetworkAclEntry => ({ ruleNumber: 100, egress, protocol: '-1', ruleAction: 'allow', cidrBlock: '0.0.0.0/0' });
  return {
    id: ec2Id('acl', `default:${vpc.id}`), region: vpc.region, vpcId: vpc.id, isDefault: true, tags: {}, associations: {},
    entries: [allow(false), DENY_ALL(false), allow(true), DENY_ALL(true)],
  };
}

/** The ACL table, with each VPC's default ACL and each subnet's association created on first use (stable ids). */
export function networkAclsOf(ctx: CallContext): Record<string, NetworkAcl> {
  const acls = (ctx.world.networkAcls ??= {});
  for (const vpc of Object.values(ctx.world.vpcs)) {
    if (!Object.values(acls).some((a) => a.vpcId === vpc.id && a.isDefault)) {
      const acl = defaultAclFor(vpc);
      acls[acl.id] = acl;
    }
  }
  for (const subnet of Object.values(ctx.world.subnets)) {
    if (Object.values(acls).some((a) => subnet.id in a.associations)) continue;
    const acl = Object.values(acls).find((a) => a.vpcId === subnet.vpcId && a.isDefault);
    if (acl) acl.associations[subnet.id] = ec2Id('aclassoc', `default:${subnet.id}`);
  }
  return acls;
}

function acl(ctx: CallContext, id: string): NetworkAcl {
  if (!/^acl-[0-9a-f]{8,17}$/.test(id)) throw new ApiError('InvalidNetworkAclID.Malformed', `Invalid id: "${id}"`, 400);
  const a = networkAclsOf(ctx)[id];
  if (!a || a.region !== ctx.region) throw new ApiError('InvalidNetworkAclID.NotFound', `The networkAcl ID '${id}' does not exist`, 400);
  return a;
}

const mutate = (ctx: CallContext, action: string, id?: string): void => authorizeWrite(ctx, action, 'network-acl', 'AWS::EC2::NetworkAcl', id);

const aclFilter: FilterValues<NetworkAcl> = (a, name) => {
  switch (name) {
    case 'network-acl-id': return [a.id];
    case 'vpc-id': return [a.vpcId];
    case 'default': return [String(a.isDefault)];
    case 'association.subnet-id': return Object.keys(a.associations);
    case 'association.association-id': return Object.values(a.associations);
    case 'association.network-acl-id': return Object.keys(a.associations).length ? [a.id] : [];
    case 'entry.rule-number': return a.entries.map((e) => String(e.ruleNumber));
    case 'entry.rule-action': return a.entries.map((e) => e.ruleAction);
    case 'entry.cidr': return a.entries.flatMap((e) => (e.cidrBlock ? [e.cidrBlock] : []));
    case 'owner-id': return [];
    default: return tagFilterValues(a.tags, name);
  }
};

function aclXml(ctx: CallContext, a: NetworkAcl): XmlNode[] {
  const sorted = [...a.entries].sort((x, y) => Number(x.egress) - Number(y.egress) || x.ruleNumber - y.ruleNumber);
  return [
    node('networkAclId', a.id), node('vpcId', a.vpcId), node('default', a.isDefault), node('ownerId', ctx.world.accountId),
    node('entrySet', items('item', sorted, (e) => [
      node('ruleNumber', e.ruleNumber), node('protocol', e.protocol), node('ruleAction', e.ruleAction), node('egress', e.egress),
      node('cidrBlock', e.cidrBlock), node('ipv6CidrBlock', e.ipv6CidrBlock),
      node('icmpTypeCode', e.icmpType !== undefined ? [node('code', e.icmpCode ?? -1), node('type', e.icmpType)] : undefined),
      node('portRange', e.portFrom !== undefined ? [node('from', e.portFrom), node('to', e.portTo ?? e.portFrom)] : undefined),
    ])),
    node('associationSet', items('item', Object.entries(a.associations), ([subnet, id]) => [node('networkAclAssociationId', id), node('networkAclId', a.id), node('subnetId', subnet)])),
    tagSet(a.tags),
  ];
}

/** The entry a Create/ReplaceNetworkAclEntry request describes. */
function entrySpec(p: QueryParams): NetworkAclEntry {
  const ruleNumber = p.int('RuleNumber');
  if (ruleNumber === undefined) throw new ApiError('MissingParameter', 'The request must contain the parameter ruleNumber', 400);
  if (ruleNumber < 1 || ruleNumber > 32766) throw new ApiError('InvalidParameterValue', `Value (${ruleNumber}) for parameter ruleNumber is invalid. Expecting a value between 1 and 32766.`, 400);
  const raw = p.required('Protocol').toLowerCase();
  const protocol = PROTOCOLS[raw] ?? raw;
  if (!/^(-1|\d{1,3})$/.test(protocol)) throw new ApiError('InvalidParameterValue', `Invalid value '${raw}' for protocol`, 400);
  const action = p.required('RuleAction').toLowerCase();
  if (action !== 'allow' && action !== 'deny') throw new ApiError('InvalidParameterValue', `Value (${action}) for parameter ruleAction is invalid.`, 400);
  const cidrBlock = p.get('CidrBlock');
  const ipv6CidrBlock = p.get('Ipv6CidrBlock');
  if ((cidrBlock === undefined) === (ipv6CidrBlock === undefined)) throw new ApiError('InvalidParameterCombination', 'Exactly one of CidrBlock and Ipv6CidrBlock must be specified.', 400);
  const ported = protocol === '6' || protocol === '17';
  const portFrom = p.int('PortRange.From');
  const portTo = p.int('PortRange.To');
  if (ported && (portFrom === undefined || portTo === undefined)) throw new ApiError('InvalidParameterValue', 'TCP and UDP rules require a port range', 400);
  const icmp = protocol === '1' || protocol === '58';
  return {
    ruleNumber, egress: p.bool('Egress') ?? false, protocol, ruleAction: action, cidrBlock, ipv6CidrBlock,
    ...(ported ? { portFrom, portTo } : {}),
    ...(icmp ? { icmpType: p.int('Icmp.Type') ?? p.int('IcmpTypeCode.Type') ?? -1, icmpCode: p.int('Icmp.Code') ?? p.int('IcmpTypeCode.Code') ?? -1 } : {}),
  };
}

export const ec2NetworkAclOperations: Record<string, Handler> = {
  DescribeNetworkAcls(ctx, p) {
    ctx.authorize('ec2:DescribeNetworkAcls', '*');
    const ids = p.list('NetworkAclId');
    const base = ids.length ? ids.map((id) => acl(ctx, id)) : Object.values(networkAclsOf(ctx)).filter((a) => a.region === ctx.region);
    const list = filtered(base, p, aclFilter);
    const { page, nextToken } = paginate(list, p, queryKey(p), { min: 5, max: 1000 });
    return [node('networkAclSet', items('item', page, (a) => aclXml(ctx, a))), node('nextToken', nextToken)];
  },
  CreateNetworkAcl(ctx, p) {
    const vpcId = p.required('VpcId');
    mutate(ctx, 'ec2:CreateNetworkAcl');
    const vpc = regionalVpc(ctx, vpcId);
    const a: NetworkAcl = { id: ec2Id('acl'), region: ctx.region, vpcId, isDefault: false, entries: [DENY_ALL(false), DENY_ALL(true)], associations: {}, tags: tagSpecifications(p, 'network-acl') };
    networkAclsOf(ctx)[a.id] = a;
    ctx.trail.resources.push({ type: 'AWS::EC2::NetworkAcl', name: a.id });
    ctx.trail.responseElements = { networkAclId: a.id };
    return [node('networkAcl', aclXml(ctx, a))];
  },
  DeleteNetworkAcl(ctx, p) {
    const id = p.required('NetworkAclId');
    mutate(ctx, 'ec2:DeleteNetworkAcl', id);
    const a = acl(ctx, id);
    if (a.isDefault) throw new ApiError('InvalidParameterValue', `cannot delete default network ACL ${id}`, 400);
    if (Object.keys(a.associations).length) throw new ApiError('DependencyViolation', `The networkAcl '${id}' has dependencies and cannot be deleted.`, 400);
    delete networkAclsOf(ctx)[id];
    return [node('return', true)];
  },
  CreateNetworkAclEntry(ctx, p) {
    const id = p.required('NetworkAclId');
    mutate(ctx, 'ec2:CreateNetworkAclEntry', id);
    const a = acl(ctx, id);
    const e = entrySpec(p);
    if (a.entries.some((x) => x.egress === e.egress && x.ruleNumber === e.ruleNumber)) throw new ApiError('NetworkAclEntryAlreadyExists', `The network acl entry identified by ${e.ruleNumber} already exists.`, 400);
    a.entries.push(e);
    return [node('return', true)];
  },
  ReplaceNetworkAclEntry(ctx, p) {
    const id = p.required('NetworkAclId');
    mutate(ctx, 'ec2:ReplaceNetworkAclEntry', id);
    const a = acl(ctx, id);
    const e = entrySpec(p);
    const index = a.entries.findIndex((x) => x.egress === e.egress && x.ruleNumber === e.ruleNumber);
    if (index < 0) throw new ApiError('InvalidNetworkAclEntry.NotFound', `The network acl entry identified by ${e.ruleNumber} does not exist.`, 400);
    a.entries[index] = e;
    return [node('return', true)];
  },
  DeleteNetworkAclEntry(ctx, p) {
    const id = p.required('NetworkAclId');
    mutate(ctx, 'ec2:DeleteNetworkAclEntry', id);
    const a = acl(ctx, id);
    const ruleNumber = p.int('RuleNumber');
    const egress = p.bool('Egress') ?? false;
    const index = a.entries.findIndex((x) => x.egress === egress && x.ruleNumber === ruleNumber);
    if (index < 0 || ruleNumber === 32767) throw new ApiError('InvalidNetworkAclEntry.NotFound', `The network acl entry identified by ${ruleNumber} does not exist.`, 400);
    a.entries.splice(index, 1);
    return [node('return', true)];
  },
  ReplaceNetworkAclAssociation(ctx, p) {
    const assocId = p.required('AssociationId');
    const next = acl(ctx, p.required('NetworkAclId'));
    mutate(ctx, 'ec2:ReplaceNetworkAclAssociation', next.id);
    const holder = Object.values(networkAclsOf(ctx)).find((a) => Object.values(a.associations).includes(assocId));
    if (!holder) throw new ApiError('InvalidAssociationID.NotFound', `The association ID '${assocId}' does not exist`, 400);
    if (holder.vpcId !== next.vpcId) throw new ApiError('InvalidParameterValue', `Network ACL ${next.id} belongs to a different network`, 400);
    const subnet = Object.keys(holder.associations).find((s) => holder.associations[s] === assocId)!;
    delete holder.associations[subnet];
    const newId = ec2Id('aclassoc');
    next.associations[subnet] = newId;
    ctx.trail.responseElements = { newAssociationId: newId };
    return [node('newAssociationId', newId)];
  },
};
