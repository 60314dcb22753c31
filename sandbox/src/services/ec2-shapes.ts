// EC2 response shapes (lowerCamel element names, `<item>` lists) and filters, per the EC2 API
// reference. Kept apart from the operations so each reads on its own.
import { wildcardMatch } from '../auth/iam-eval';
import { ApiError } from '../errors';
import type { QueryParams } from '../protocol/query-xml';
import { arns, type Instance, type InstanceMetadataOptions, type InstanceStateName, type SecurityGroup, type SecurityGroupRule, type Subnet, type Tags, type Vpc, type WorldData } from '../world';
import { items, node, type XmlNode } from '../xml';

export const STATE_CODES: Record<InstanceStateName, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };

export const stateXml = (name: InstanceStateName): XmlNode[] => [node('code', STATE_CODES[name]), node('name', name)];

export const tagSet = (tags: Tags): XmlNode => node('tagSet', items('item', Object.entries(tags), ([k, v]) => [node('key', k), node('value', v)]));

const seconds = (iso: string): string => iso.replace(/\.\d{3}Z$/, '.000Z');

function privateDns(ip: string, region: string): string {
  return `ip-${ip.replace(/\./g, '-')}.${region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`}`;
}

/** What an instance launched without MetadataOptions gets in the sandbox (an AMI that requires IMDSv2). */
export const DEFAULT_METADATA_OPTIONS: InstanceMetadataOptions = { httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', instanceMetadataTags: 'disabled' };

/** EC2's public DNS name for a public address (compute-1 in us-east-1, <region>.compute elsewhere). */
function publicDns(ip: string, region: string): string {
  return `ec2-${ip.replace(/\./g, '-')}.${region === 'us-east-1' ? 'compute-1' : `${region}.compute`}.amazonaws.com`;
}

/** Cores and threads per core of an instance type: burstable t2 and single-vCPU types run one thread per core. */
export interface CpuOptions { coreCount: number; threadsPerCore: number }

export function instanceXml(w: WorldData, i: Instance, cpu: CpuOptions = { coreCount: 1, threadsPerCore: 2 }): XmlNode[] {
  const groups = i.securityGroupIds.map((id) => ({ id, name: w.securityGroups[id]?.name ?? id }));
  const live = i.state !== 'terminated';
  const metadata = i.metadataOptions ?? DEFAULT_METADATA_OPTIONS;
  const publicName = live && i.publicIpAddress ? publicDns(i.publicIpAddress, i.region) : '';
  const association = live && i.publicIpAddress ? [node('association', [node('publicIp', i.publicIpAddress), node('publicDnsName', publicName), node('ipOwnerId', 'amazon')])] : [];
  return [
    node('instanceId', i.id), node('imageId', i.imageId), node('instanceState', stateXml(i.state)),
    node('privateDnsName', live ? privateDns(i.privateIpAddress, i.region) : ''), node('dnsName', publicName), node('reason', i.stateTransitionReason),
    node('keyName', i.keyName), node('amiLaunchIndex', 0), node('productCodes', []), node('instanceType', i.instanceType), node('launchTime', seconds(i.launchTime)),
    node('placement', [node('availabilityZone', i.availabilityZone), node('groupName', ''), node('tenancy', 'default')]),
    node('monitoring', [node('state', i.monitoring)]),
    ...(live ? [node('subnetId', i.subnetId), node('vpcId', i.vpcId), node('privateIpAddress', i.privateIpAddress), node('ipAddress', i.publicIpAddress)] : []),
    node('sourceDestCheck', i.sourceDestCheck),
    node('groupSet', items('item', groups, (g) => [node('groupId', g.id), node('groupName', g.name)])),
    ...(i.state === 'stopped' ? [node('stateReason', [node('code', 'Client.UserInitiatedShutdown'), node('message', 'Client.UserInitiatedShutdown: User initiated shutdown')])] : []),
    node('architecture', 'x86_64'), node('rootDeviceType', 'ebs'), node('rootDeviceName', '/dev/xvda'),
    node('blockDeviceMapping', live ? [node('item', [node('deviceName', '/dev/xvda'), node('ebs', [
      node('volumeId', i.rootVolumeId), node('status', 'attached'), node('attachTime', seconds(i.launchTime)), node('deleteOnTermination', true),
    ])])] : []),
    node('virtualizationType', 'hvm'), node('clientToken', ''), tagSet(i.tags), node('hypervisor', 'xen'),
    node('networkInterfaceSet', live ? [node('item', [
      node('networkInterfaceId', i.networkInterfaceId), node('subnetId', i.subnetId), node('vpcId', i.vpcId), node('description', ''),
      node('ownerId', w.accountId), node('status', 'in-use'), node('privateIpAddress', i.privateIpAddress), node('privateDnsName', privateDns(i.privateIpAddress, i.region)),
      node('sourceDestCheck', i.sourceDestCheck), ...association, node('macAddress', `0e:${i.networkInterfaceId.slice(4, 14).match(/../g)!.join(':')}`), node('interfaceType', 'interface'),
      node('privateIpAddressesSet', [node('item', [node('privateIpAddress', i.privateIpAddress), node('privateDnsName', privateDns(i.privateIpAddress, i.region)), node('primary', true), ...association])]),
      node('ipv6AddressesSet', []),
      node('groupSet', items('item', groups, (g) => [node('groupId', g.id), node('groupName', g.name)])),
      node('attachment', [node('attachmentId', `eni-attach-${i.networkInterfaceId.slice(4)}`), node('deviceIndex', 0), node('status', 'attached'), node('attachTime', seconds(i.launchTime)), node('deleteOnTermination', true)]),
    ])] : []),
    node('iamInstanceProfile', i.iamInstanceProfileArn ? [node('arn', i.iamInstanceProfileArn), node('id', `AIPA${i.id.slice(2, 19).toUpperCase().padEnd(17, 'X')}`)] : undefined),
    node('ebsOptimized', i.ebsOptimized), node('enaSupport', true),
    node('metadataOptions', [
      node('state', 'applied'), node('httpTokens', metadata.httpTokens), node('httpPutResponseHopLimit', metadata.httpPutResponseHopLimit), node('httpEndpoint', metadata.httpEndpoint),
      node('httpProtocolIpv6', 'disabled'), node('instanceMetadataTags', metadata.instanceMetadataTags),
    ]),
    node('cpuOptions', [node('coreCount', cpu.coreCount), node('threadsPerCore', cpu.threadsPerCore)]),
    node('capacityReservationSpecification', [node('capacityReservationPreference', 'open')]),
    node('hibernationOptions', [node('configured', false)]), node('enclaveOptions', [node('enabled', false)]),
    node('maintenanceOptions', [node('autoRecovery', 'default')]),
    node('privateDnsNameOptions', [node('hostnameType', 'ip-name'), node('enableResourceNameDnsARecord', false), node('enableResourceNameDnsAAAARecord', false)]),
    node('currentInstanceBootMode', 'legacy-bios'),
    node('platformDetails', 'Linux/UNIX'), node('usageOperation', 'RunInstances'),
  ];
}

export function ruleXml(w: WorldData, r: SecurityGroupRule, region: string): XmlNode[] {
  return [
    node('securityGroupRuleId', r.ruleId), node('groupId', r.groupId), node('groupOwnerId', w.accountId), node('isEgress', r.isEgress),
    node('ipProtocol', r.ipProtocol), node('fromPort', r.fromPort), node('toPort', r.toPort),
    node('cidrIpv4', r.cidrIpv4), node('cidrIpv6', r.cidrIpv6), node('prefixListId', r.prefixListId),
    node('referencedGroupInfo', r.referencedGroupId ? [node('groupId', r.referencedGroupId), node('userId', w.accountId)] : undefined),
    node('description', r.description), tagSet(r.tags), node('securityGroupRuleArn', arns.ec2(region, w.accountId, 'security-group-rule', r.ruleId)),
  ];
}

/** DescribeSecurityGroups groups rules by protocol and port range, one entry per source list. */
function permissionsXml(w: WorldData, rules: SecurityGroupRule[]): XmlNode[] {
  const byKey = new Map<string, SecurityGroupRule[]>();
  for (const r of rules) {
    const key = `${r.ipProtocol}|${r.fromPort}|${r.toPort}`;
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  return [...byKey.values()].map((list) => {
    const first = list[0]!;
    const ports = first.ipProtocol === '-1' ? [] : [node('fromPort', first.fromPort), node('toPort', first.toPort)];
    return node('item', [
      node('ipProtocol', first.ipProtocol), ...ports,
      node('groups', items('item', list.filter((r) => r.referencedGroupId), (r) => [node('description', r.description), node('userId', w.accountId), node('groupId', r.referencedGroupId)])),
      node('ipRanges', items('item', list.filter((r) => r.cidrIpv4), (r) => [node('cidrIp', r.cidrIpv4), node('description', r.description)])),
      node('ipv6Ranges', items('item', list.filter((r) => r.cidrIpv6), (r) => [node('cidrIpv6', r.cidrIpv6), node('description', r.description)])),
      node('prefixListIds', items('item', list.filter((r) => r.prefixListId), (r) => [node('prefixListId', r.prefixListId), node('description', r.description)])),
    ]);
  });
}

export function rulesOf(w: WorldData, g: SecurityGroup): SecurityGroupRule[] {
  return g.ruleIds.map((id) => w.securityGroupRules[id]).filter((r): r is SecurityGroupRule => r !== undefined);
}

export function securityGroupXml(w: WorldData, g: SecurityGroup): XmlNode[] {
  const rules = rulesOf(w, g);
  return [
    node('ownerId', w.accountId), node('groupId', g.id), node('groupName', g.name), node('groupDescription', g.description),
    node('ipPermissions', permissionsXml(w, rules.filter((r) => !r.isEgress))),
    node('ipPermissionsEgress', permissionsXml(w, rules.filter((r) => r.isEgress))),
    node('vpcId', g.vpcId), node('securityGroupArn', arns.ec2(g.region, w.accountId, 'security-group', g.id)), tagSet(g.tags),
  ];
}

export function vpcXml(w: WorldData, v: Vpc): XmlNode[] {
  return [
    node('vpcId', v.id), node('ownerId', w.accountId), node('state', v.state), node('cidrBlock', v.cidrBlock),
    node('cidrBlockAssociationSet', [
      node('item', [node('cidrBlock', v.cidrBlock), node('associationId', `vpc-cidr-assoc-${v.id.slice(4)}`), node('cidrBlockState', [node('state', 'associated')])]),
      ...(v.cidrAssociations ?? []).map((a) => node('item', [node('cidrBlock', a.cidrBlock), node('associationId', a.associationId), node('cidrBlockState', [node('state', 'associated')])])),
    ]),
    node('ipv6CidrBlockAssociationSet', []), node('dhcpOptionsId', v.dhcpOptionsId), node('instanceTenancy', v.instanceTenancy), node('isDefault', v.isDefault), tagSet(v.tags),
  ];
}

function cidrSize(cidr: string): number {
  return 2 ** (32 - Number(cidr.split('/')[1] ?? 32));
}

export function subnetXml(w: WorldData, s: Subnet, usedAddresses: number): XmlNode[] {
  return [
    node('subnetId', s.id), node('subnetArn', arns.ec2(s.region, w.accountId, 'subnet', s.id)), node('state', s.state), node('ownerId', w.accountId),
    node('vpcId', s.vpcId), node('cidrBlock', s.cidrBlock), node('ipv6CidrBlockAssociationSet', []),
    node('availableIpAddressCount', Math.max(0, cidrSize(s.cidrBlock) - 5 - usedAddresses)), node('availabilityZone', s.availabilityZone),
    node('availabilityZoneId', `${s.region.replace(/^(\w\w)-(\w)\w*-(\d)$/, '$1$2$3')}-az${'abcdef'.indexOf(s.availabilityZone.slice(-1)) + 1}`),
    node('defaultForAz', false), node('mapPublicIpOnLaunch', s.mapPublicIpOnLaunch), node('mapCustomerOwnedIpOnLaunch', false),
    node('assignIpv6AddressOnCreation', false), node('enableDns64', false), node('ipv6Native', false),
    node('privateDnsNameOptionsOnLaunch', [node('hostnameType', 'ip-name'), node('enableResourceNameDnsARecord', false), node('enableResourceNameDnsAAAARecord', false)]),
    tagSet(s.tags),
  ];
}

/** A filter: name plus accepted values (OR), with `*`/`?` wildcards as EC2 allows. */
export interface Filter {
  name: string;
  values: string[];
}

export function readFilters(p: QueryParams): Filter[] {
  return p.structs('Filter').map((f) => ({ name: f.required('Name'), values: f.list('Value') }));
}

/** Values a resource has for a filter name; undefined means the filter name is unknown. */
export type FilterValues<T> = (resource: T, name: string) => string[] | undefined;

export function tagFilterValues(tags: Tags, name: string): string[] | undefined {
  if (name.startsWith('tag:')) {
    const v = tags[name.slice(4)];
    return v === undefined ? [] : [v];
  }
  if (name === 'tag-key') return Object.keys(tags);
  if (name === 'tag-value') return Object.values(tags);
  return undefined;
}

export function matchesFilters<T>(resource: T, filters: Filter[], values: FilterValues<T>): boolean {
  for (const f of filters) {
    const actual = values(resource, f.name);
    if (actual === undefined) throw new ApiError('InvalidParameterValue', `The filter '${f.name}' is invalid`, 400);
    if (!f.values.some((pattern) => actual.some((a) => wildcardMatch(pattern, a)))) return false;
  }
  return true;
}

export function checkFilterNames<T>(sample: T | undefined, filters: Filter[], values: FilterValues<T>): void {
  if (sample === undefined) return;
  for (const f of filters) if (values(sample, f.name) === undefined) throw new ApiError('InvalidParameterValue', `The filter '${f.name}' is invalid`, 400);
}

/** Offset pagination with opaque tokens bound to the query they came from. */
export function paginate<T>(list: T[], p: QueryParams, queryKey: string, limits: { min: number; max: number }): { page: T[]; nextToken?: string } {
  const max = p.int('MaxResults');
  if (max !== undefined && (max < limits.min || max > limits.max)) {
    throw new ApiError('InvalidParameterValue', `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between ${limits.min} and ${limits.max}.`, 400);
  }
  const tokenText = p.get('NextToken');
  let start = 0;
  if (tokenText) {
    try {
      const t = JSON.parse(Buffer.from(tokenText, 'base64url').toString('utf8')) as { o: number; q: string };
      if (t.q !== queryKey || !Number.isInteger(t.o) || t.o < 0) throw new Error('mismatch');
      start = t.o;
    } catch {
      throw new ApiError('InvalidParameterValue', `Invalid value '${tokenText}' for nextToken`, 400);
    }
  }
  if (max === undefined) return { page: list.slice(start) };
  const end = start + max;
  return { page: list.slice(start, end), nextToken: end < list.length ? Buffer.from(JSON.stringify({ o: end, q: queryKey })).toString('base64url') : undefined };
}

/** Tags from `TagSpecification.N` for one resource type. */
export function tagSpecifications(p: QueryParams, resourceType: string): Tags {
  const tags: Tags = {};
  for (const spec of p.structs('TagSpecification')) {
    if (spec.get('ResourceType') !== resourceType) continue;
    for (const t of spec.structs('Tag')) tags[t.required('Key')] = t.get('Value') ?? '';
  }
  return tags;
}
