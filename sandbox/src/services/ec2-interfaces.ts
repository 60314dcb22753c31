// EC2 network interfaces (created on their own, plus the primary interfaces of instances, which
// DescribeNetworkInterfaces lists too) and customer-managed prefix lists (query/XML), per the EC2
// API reference.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { ec2Id } from '../ids';
import type { QueryParams } from '../protocol/query-xml';
import { arns, type ManagedPrefixList, type NetworkInterface, type Tags } from '../world';
import { items, node, type XmlNode } from '../xml';
import { authorizeWrite, filtered, notFound, queryKey } from './ec2-calls';
import { paginate, tagFilterValues, tagSet, tagSpecifications, type FilterValues } from './ec2-shapes';

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

export const networkInterfacesOf = (ctx: CallContext): Record<string, NetworkInterface> => (ctx.world.networkInterfaces ??= {});
export const prefixListsOf = (ctx: CallContext): Record<string, ManagedPrefixList> => (ctx.world.prefixLists ??= {});

export const INTERFACE_KINDS = {
  'network-interface': { prefix: 'eni', code: 'InvalidNetworkInterfaceID', noun: 'networkInterface ID', trail: 'AWS::EC2::NetworkInterface' },
  'prefix-list': { prefix: 'pl', code: 'InvalidPrefixListID', noun: 'prefix list ID', trail: 'AWS::EC2::PrefixList' },
} as const;
export type InterfaceKind = keyof typeof INTERFACE_KINDS;

export function interfaceTagTable(ctx: CallContext, kind: InterfaceKind): Record<string, { tags: Tags; region: string }> {
  return kind === 'network-interface' ? networkInterfacesOf(ctx) : prefixListsOf(ctx);
}

/** Every write here names its resource by kind; the CloudTrail type comes from the kind table. */
const mutate = (ctx: CallContext, action: string, kind: InterfaceKind, id?: string): void => authorizeWrite(ctx, action, kind, INTERFACE_KINDS[kind].trail, id);

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const start = ipToInt(base);
  const n = ipToInt(ip);
  return n >= start && n < start + size;
}

/** Addresses in use in a subnet: instances' and standalone interfaces'. */
function usedAddresses(ctx: CallContext, subnetId: string): Set<string> {
  const used = new Set<string>();
  for (const i of Object.values(ctx.world.instances)) if (i.subnetId === subnetId && i.state !== 'terminated') used.add(i.privateIpAddress);
  for (const e of Object.values(networkInterfacesOf(ctx))) if (e.subnetId === subnetId) for (const ip of e.privateIps) used.add(ip);
  return used;
}

/** The next free address of a subnet (AWS reserves the first four and the last). */
function nextAddress(ctx: CallContext, cidr: string, used: Set<string>): string {
  const [base, bits] = cidr.split('/') as [string, string];
  const start = ipToInt(base);
  const size = 2 ** (32 - Number(bits));
  for (let n = start + 4; n < start + size - 1; n++) {
    const ip = [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
    if (!used.has(ip)) return ip;
  }
  throw new ApiError('InsufficientFreeAddressesInSubnet', 'There are not enough free addresses in subnet to satisfy the requested number of instances.', 400);
}

/** One row per interface: standalone ones and the primary interfaces of live instances. */
interface InterfaceRow {
  e: NetworkInterface;
  /** True for an instance's primary interface (requester-managed fields differ). */
  primary: boolean;
}

function allInterfaces(ctx: CallContext): InterfaceRow[] {
  const rows: InterfaceRow[] = Object.values(networkInterfacesOf(ctx)).filter((e) => e.region === ctx.region).map((e) => ({ e, primary: false }));
  for (const i of Object.values(ctx.world.instances)) {
    if (i.region !== ctx.region || i.state === 'terminated') continue;
    rows.push({
      primary: true,
      e: {
        id: i.networkInterfaceId, region: i.region, subnetId: i.subnetId, vpcId: i.vpcId, availabilityZone: i.availabilityZone, description: '',
        privateIps: [i.privateIpAddress], securityGroupIds: i.securityGroupIds, sourceDestCheck: i.sourceDestCheck,
        attachment: { id: `eni-attach-${i.networkInterfaceId.slice(4)}`, instanceId: i.id, deviceIndex: 0, attachTime: i.launchTime }, tags: {},
      },
    });
  }
  return rows;
}

function macOf(id: string): string {
  return `0e:${id.slice(4, 14).match(/../g)!.join(':')}`;
}

function interfaceXml(ctx: CallContext, { e, primary }: InterfaceRow): XmlNode[] {
  const groups = e.securityGroupIds.map((id) => ({ id, name: ctx.world.securityGroups[id]?.name ?? id }));
  const dns = (ip: string): string => `ip-${ip.replace(/\./g, '-')}.${ctx.region === 'us-east-1' ? 'ec2.internal' : `${ctx.region}.compute.internal`}`;
  return [
    node('networkInterfaceId', e.id), node('subnetId', e.subnetId), node('vpcId', e.vpcId), node('availabilityZone', e.availabilityZone),
    node('description', e.description), node('ownerId', ctx.world.accountId), node('requesterManaged', false), node('status', e.attachment ? 'in-use' : 'available'),
    node('macAddress', macOf(e.id)), node('privateIpAddress', e.privateIps[0]), node('privateDnsName', dns(e.privateIps[0]!)), node('sourceDestCheck', e.sourceDestCheck),
    node('groupSet', items('item', groups, (g) => [node('groupId', g.id), node('groupName', g.name)])),
    ...(e.attachment ? [node('attachment', [
      node('attachmentId', e.attachment.id), node('instanceId', e.attachment.instanceId), node('instanceOwnerId', ctx.world.accountId), node('deviceIndex', e.attachment.deviceIndex),
      node('status', 'attached'), node('attachTime', e.attachment.attachTime), node('deleteOnTermination', primary), node('networkCardIndex', 0),
    ])] : []),
    node('privateIpAddressesSet', items('item', e.privateIps, (ip) => [node('privateIpAddress', ip), node('privateDnsName', dns(ip)), node('primary', ip === e.privateIps[0])])),
    node('ipv6AddressesSet', []), node('interfaceType', 'interface'), tagSet(e.tags),
  ];
}

function ownInterface(ctx: CallContext, id: string): NetworkInterface {
  const e = networkInterfacesOf(ctx)[id];
  if (e && e.region === ctx.region) return e;
  if (Object.values(ctx.world.instances).some((i) => i.networkInterfaceId === id && i.region === ctx.region && i.state !== 'terminated')) {
    throw new ApiError('OperationNotPermitted', `The network interface ${id} is the primary interface of an instance; change it through the instance.`, 400);
  }
  throw notFound(INTERFACE_KINDS['network-interface'], id);
}

function groupsIn(ctx: CallContext, vpcId: string, ids: string[]): string[] {
  for (const id of ids) {
    const g = ctx.world.securityGroups[id];
    if (!g || g.region !== ctx.region) throw new ApiError('InvalidGroup.NotFound', `The security group '${id}' does not exist`, 400);
    if (g.vpcId !== vpcId) throw new ApiError('InvalidParameterValue', `Security group ${id} and subnet belong to different networks.`, 400);
  }
  return ids;
}

function prefixListXml(ctx: CallContext, l: ManagedPrefixList): XmlNode[] {
  return [
    node('prefixListId', l.id), node('addressFamily', l.addressFamily), node('state', 'create-complete'), node('prefixListArn', arns.ec2(l.region, ctx.world.accountId, 'prefix-list', l.id)),
    node('prefixListName', l.name), node('maxEntries', l.maxEntries), node('version', l.version), tagSet(l.tags), node('ownerId', ctx.world.accountId),
  ];
}

function readEntries(p: QueryParams, name: string): Array<{ cidr: string; description?: string }> {
  return p.structs(name).map((e) => ({ cidr: e.required('Cidr'), ...(e.get('Description') !== undefined ? { description: e.get('Description') } : {}) }));
}

function checkCidr(cidr: string, family: ManagedPrefixList['addressFamily']): void {
  const ok = family === 'IPv4' ? /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) : /^[0-9a-fA-F:]+\/\d{1,3}$/.test(cidr);
  if (!ok) throw new ApiError('InvalidParameterValue', `The CIDR '${cidr}' is invalid for the address family ${family}.`, 400);
}

function prefixList(ctx: CallContext, id: string): ManagedPrefixList {
  const l = prefixListsOf(ctx)[id];
  if (!l || l.region !== ctx.region) throw notFound(INTERFACE_KINDS['prefix-list'], id);
  return l;
}

export const ec2InterfaceOperations: Record<string, Handler> = {
  CreateNetworkInterface(ctx, p) {
    const subnetId = p.required('SubnetId');
    mutate(ctx, 'ec2:CreateNetworkInterface', 'network-interface');
    const subnet = ctx.world.subnets[subnetId];
    if (!subnet || subnet.region !== ctx.region) throw new ApiError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`, 400);
    const used = usedAddresses(ctx, subnetId);
    const requested = [p.get('PrivateIpAddress'), ...p.structs('PrivateIpAddresses').map((s) => s.get('PrivateIpAddress'))].filter((x): x is string => Boolean(x));
    for (const ip of requested) {
      if (!inCidr(ip, subnet.cidrBlock)) throw new ApiError('InvalidParameterValue', `Address ${ip} does not fall within the subnet's address range`, 400);
      if (used.has(ip)) throw new ApiError('InvalidIPAddress.InUse', `The specified address is already in use.`, 400);
      used.add(ip);
    }
    const ips = [...new Set(requested)];
    if (!ips.length) ips.push(nextAddress(ctx, subnet.cidrBlock, used));
    for (let n = p.int('SecondaryPrivateIpAddressCount') ?? 0; n > 0; n--) {
      const ip = nextAddress(ctx, subnet.cidrBlock, new Set([...used, ...ips]));
      ips.push(ip);
    }
    const groups = p.list('SecurityGroupId');
    const defaultGroup = Object.values(ctx.world.securityGroups).find((g) => g.vpcId === subnet.vpcId && g.name === 'default');
    const e: NetworkInterface = {
      id: ec2Id('eni'), region: ctx.region, subnetId, vpcId: subnet.vpcId, availabilityZone: subnet.availabilityZone, description: p.get('Description') ?? '',
      privateIps: ips, securityGroupIds: groups.length ? groupsIn(ctx, subnet.vpcId, groups) : defaultGroup ? [defaultGroup.id] : [], sourceDestCheck: true,
      tags: tagSpecifications(p, 'network-interface'),
    };
    networkInterfacesOf(ctx)[e.id] = e;
    ctx.trail.resources.push({ type: INTERFACE_KINDS['network-interface'].trail, name: e.id });
    ctx.trail.responseElements = { networkInterfaceId: e.id };
    return [node('networkInterface', interfaceXml(ctx, { e, primary: false })), node('clientToken', p.get('ClientToken'))];
  },
  DescribeNetworkInterfaces(ctx, p) {
    ctx.authorize('ec2:DescribeNetworkInterfaces', '*');
    const ids = p.list('NetworkInterfaceId');
    const all = allInterfaces(ctx);
    for (const id of ids) if (!all.some((r) => r.e.id === id)) throw notFound(INTERFACE_KINDS['network-interface'], id);
    const base = ids.length ? all.filter((r) => ids.includes(r.e.id)) : all;
    const values: FilterValues<InterfaceRow> = ({ e }, name) => {
      switch (name) {
        case 'network-interface-id': return [e.id];
        case 'subnet-id': return [e.subnetId];
        case 'vpc-id': return [e.vpcId];
        case 'availability-zone': return [e.availabilityZone];
        case 'description': return [e.description];
        case 'status': return [e.attachment ? 'in-use' : 'available'];
        case 'group-id': return e.securityGroupIds;
        case 'private-ip-address': case 'addresses.private-ip-address': return e.privateIps;
        case 'attachment.instance-id': return e.attachment ? [e.attachment.instanceId] : [];
        case 'attachment.attachment-id': return e.attachment ? [e.attachment.id] : [];
        case 'owner-id': return [ctx.world.accountId];
        default: return tagFilterValues(e.tags, name);
      }
    };
    const { page, nextToken } = paginate(filtered(base, p, values), p, queryKey(p), { min: 5, max: 1000 });
    return [node('networkInterfaceSet', items('item', page, (r) => interfaceXml(ctx, r))), node('nextToken', nextToken)];
  },
  ModifyNetworkInterfaceAttribute(ctx, p) {
    const id = p.required('NetworkInterfaceId');
    mutate(ctx, 'ec2:ModifyNetworkInterfaceAttribute', 'network-interface', id);
    const e = ownInterface(ctx, id);
    const description = p.get('Description.Value');
    const sourceDest = p.bool('SourceDestCheck.Value');
    const groups = p.list('SecurityGroupId');
    if (description === undefined && sourceDest === undefined && !groups.length) throw new ApiError('MissingParameter', 'The request must contain exactly one attribute to modify', 400);
    if (description !== undefined) e.description = description;
    if (sourceDest !== undefined) e.sourceDestCheck = sourceDest;
    if (groups.length) e.securityGroupIds = groupsIn(ctx, e.vpcId, groups);
    return [node('return', true)];
  },
  AttachNetworkInterface(ctx, p) {
    const id = p.required('NetworkInterfaceId');
    const instanceId = p.required('InstanceId');
    const deviceIndex = p.int('DeviceIndex');
    mutate(ctx, 'ec2:AttachNetworkInterface', 'network-interface', id);
    const e = ownInterface(ctx, id);
    const instance = ctx.world.instances[instanceId];
    if (!instance || instance.region !== ctx.region || instance.state === 'terminated') throw new ApiError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`, 400);
    if (deviceIndex === undefined) throw new ApiError('MissingParameter', 'The request must contain the parameter deviceIndex', 400);
    if (e.attachment) throw new ApiError('InvalidNetworkInterface.InUse', `Interface: [${id}] in use.`, 400);
    if (instance.availabilityZone !== e.availabilityZone) throw new ApiError('InvalidParameterCombination', 'The network interface and the instance are in different availability zones.', 400);
    const taken = deviceIndex === 0 || Object.values(networkInterfacesOf(ctx)).some((x) => x.attachment?.instanceId === instanceId && x.attachment.deviceIndex === deviceIndex);
    if (taken) throw new ApiError('InvalidParameterValue', `Instance '${instanceId}' already has an interface attached at device index '${deviceIndex}'.`, 400);
    e.attachment = { id: ec2Id('eni-attach'), instanceId, deviceIndex, attachTime: ctx.now.toISOString() };
    return [node('attachmentId', e.attachment.id), node('networkCardIndex', 0)];
  },
  DetachNetworkInterface(ctx, p) {
    const attachmentId = p.required('AttachmentId');
    const e = Object.values(networkInterfacesOf(ctx)).find((x) => x.region === ctx.region && x.attachment?.id === attachmentId);
    mutate(ctx, 'ec2:DetachNetworkInterface', 'network-interface', e?.id);
    if (!e) throw new ApiError('InvalidAttachmentID.NotFound', `The attachment ID '${attachmentId}' does not exist`, 400);
    e.attachment = undefined;
    return [node('return', true)];
  },
  DeleteNetworkInterface(ctx, p) {
    const id = p.required('NetworkInterfaceId');
    mutate(ctx, 'ec2:DeleteNetworkInterface', 'network-interface', id);
    const e = ownInterface(ctx, id);
    if (e.attachment) throw new ApiError('InvalidNetworkInterface.InUse', `The network interface '${id}' is currently in use.`, 400);
    delete networkInterfacesOf(ctx)[id];
    return [node('return', true)];
  },

  CreateManagedPrefixList(ctx, p) {
    const name = p.required('PrefixListName');
    const family = p.required('AddressFamily') as ManagedPrefixList['addressFamily'];
    const maxEntries = p.int('MaxEntries');
    mutate(ctx, 'ec2:CreateManagedPrefixList', 'prefix-list');
    if (family !== 'IPv4' && family !== 'IPv6') throw new ApiError('InvalidParameterValue', `Invalid value '${family}' for AddressFamily`, 400);
    if (maxEntries === undefined) throw new ApiError('MissingParameter', 'The request must contain the parameter MaxEntries', 400);
    const entries = readEntries(p, 'Entry');
    for (const e of entries) checkCidr(e.cidr, family);
    if (entries.length > maxEntries) throw new ApiError('InvalidParameterValue', `The number of entries exceeds the maximum of ${maxEntries}.`, 400);
    const l: ManagedPrefixList = { id: ec2Id('pl'), region: ctx.region, name, addressFamily: family, maxEntries, version: 1, entries, tags: tagSpecifications(p, 'prefix-list') };
    prefixListsOf(ctx)[l.id] = l;
    ctx.trail.resources.push({ type: INTERFACE_KINDS['prefix-list'].trail, name: l.id });
    ctx.trail.responseElements = { prefixListId: l.id };
    return [node('prefixList', prefixListXml(ctx, l))];
  },
  DescribeManagedPrefixLists(ctx, p) {
    ctx.authorize('ec2:DescribeManagedPrefixLists', '*');
    const ids = p.list('PrefixListId');
    const all = Object.values(prefixListsOf(ctx)).filter((l) => l.region === ctx.region);
    for (const id of ids) if (!all.some((l) => l.id === id)) throw notFound(INTERFACE_KINDS['prefix-list'], id);
    const base = ids.length ? all.filter((l) => ids.includes(l.id)) : all;
    const values: FilterValues<ManagedPrefixList> = (l, name) => {
      switch (name) {
        case 'prefix-list-id': return [l.id];
        case 'prefix-list-name': return [l.name];
        case 'owner-id': return [ctx.world.accountId];
        default: return tagFilterValues(l.tags, name);
      }
    };
    const { page, nextToken } = paginate(filtered(base, p, values), p, queryKey(p), { min: 1, max: 100 });
    return [node('prefixListSet', items('item', page, (l) => prefixListXml(ctx, l))), node('nextToken', nextToken)];
  },
  GetManagedPrefixListEntries(ctx, p) {
    ctx.authorize('ec2:GetManagedPrefixListEntries', '*');
    const l = prefixList(ctx, p.required('PrefixListId'));
    const target = p.int('TargetVersion');
    if (target !== undefined && target !== l.version) throw new ApiError('InvalidParameterValue', `The sandbox keeps only the current version (${l.version}) of ${l.id}.`, 400);
    const sorted = [...l.entries].sort((a, b) => a.cidr.localeCompare(b.cidr));
    const { page, nextToken } = paginate(sorted, p, queryKey(p), { min: 1, max: 100 });
    return [node('entrySet', items('item', page, (e) => [node('cidr', e.cidr), node('description', e.description)])), node('nextToken', nextToken)];
  },
  ModifyManagedPrefixList(ctx, p) {
    const id = p.required('PrefixListId');
    mutate(ctx, 'ec2:ModifyManagedPrefixList', 'prefix-list', id);
    const l = prefixList(ctx, id);
    const current = p.int('CurrentVersion');
    const add = readEntries(p, 'AddEntry');
    const remove = p.structs('RemoveEntry').map((e) => e.required('Cidr'));
    if ((add.length || remove.length) && current === undefined) throw new ApiError('MissingParameter', 'The request must contain the parameter CurrentVersion', 400);
    if (current !== undefined && current !== l.version) throw new ApiError('PrefixListVersionMismatch', `The prefix list ${id} has been modified: its current version is ${l.version}.`, 400);
    for (const e of add) checkCidr(e.cidr, l.addressFamily);
    for (const cidr of remove) if (!l.entries.some((e) => e.cidr === cidr)) throw new ApiError('InvalidPrefixListModification', `The CIDR ${cidr} is not an entry of ${id}.`, 400);
    const entries = [...l.entries.filter((e) => !remove.includes(e.cidr) && !add.some((a) => a.cidr === e.cidr)), ...add];
    const maxEntries = p.int('MaxEntries') ?? l.maxEntries;
    if (entries.length > maxEntries) throw new ApiError('InvalidParameterValue', `The number of entries exceeds the maximum of ${maxEntries}.`, 400);
    l.name = p.get('PrefixListName') ?? l.name;
    l.maxEntries = maxEntries;
    if (add.length || remove.length) {
      l.entries = entries;
      l.version += 1;
    }
    return [node('prefixList', prefixListXml(ctx, l))];
  },
  DeleteManagedPrefixList(ctx, p) {
    const id = p.required('PrefixListId');
    mutate(ctx, 'ec2:DeleteManagedPrefixList', 'prefix-list', id);
    prefixList(ctx, id);
    delete prefixListsOf(ctx)[id];
    return [node('prefixList', [node('prefixListId', id), node('state', 'delete-complete')])];
  },
};
