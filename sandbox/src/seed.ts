// Turns a validated scenario into the starting world. Everything the scenario leaves out is filled
// with AWS's defaults, and implied ids are derived from names so every start builds the same world.
import { createHash } from 'node:crypto';
import { ec2Id, iamId } from './ids';
import type { PolicyDocument, Scenario, ScenarioReplicationRule, ScenarioRule } from './scenario';
import { arns, DEFAULT_FLOW_LOG_FORMAT, emptyWorld, type SecurityGroupRule, type WorldData, type XmlTree } from './world';
import { newQueueAttributes } from './services/sqs/sqs';

export const DEFAULT_EPOCH = '2024-01-01T00:00:00.000Z';

/** A scenario replication rule as S3 keeps it (the V2 schema: filter, priority, delete markers). */
function replicationRule(r: ScenarioReplicationRule): XmlTree {
  return {
    name: 'Rule', value: [
      { name: 'ID', value: r.id }, { name: 'Priority', value: String(r.priority ?? 0) }, { name: 'Filter', value: [{ name: 'Prefix', value: r.prefix ?? '' }] },
      { name: 'Status', value: r.status ?? 'Enabled' }, { name: 'DeleteMarkerReplication', value: [{ name: 'Status', value: r.deleteMarkerReplication ?? 'Disabled' }] },
      { name: 'Destination', value: [{ name: 'Bucket', value: `arn:aws:s3:::${r.destination}` }, ...(r.storageClass ? [{ name: 'StorageClass', value: r.storageClass }] : [])] },
    ],
  };
}

export function policyText(doc: PolicyDocument): string {
  return typeof doc === 'string' ? doc : JSON.stringify(doc);
}

/** `6` → `tcp` and so on: AWS reports well-known protocols by name, `all` as `-1`. */
export function normaliseProtocol(protocol: string | number): string {
  const p = String(protocol).toLowerCase();
  return ({ '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' } as Record<string, string>)[p] ?? p;
}

export function ruleFromScenario(groupId: string, isEgress: boolean, r: ScenarioRule, index: number): SecurityGroupRule {
  const protocol = normaliseProtocol(r.protocol);
  const portless = protocol === '-1';
  return {
    ruleId: r.id ?? ec2Id('sgr', `${groupId}/${isEgress ? 'egress' : 'ingress'}/${index}`),
    groupId, isEgress, ipProtocol: protocol,
    fromPort: portless ? -1 : (r.fromPort ?? -1), toPort: portless ? -1 : (r.toPort ?? -1),
    cidrIpv4: r.cidr, cidrIpv6: r.cidrIpv6, prefixListId: r.prefixList, referencedGroupId: r.sourceGroup,
    description: r.description, tags: r.tags ?? {},
  };
}

/** The i-th usable address of an IPv4 CIDR (AWS reserves the first four). */
function addressIn(cidr: string, index: number): string {
  const [base] = cidr.split('/');
  const n = (base ?? '0.0.0.0').split('.').reduce((acc, o) => acc * 256 + Number(o), 0) + 4 + index;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function stableHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

export function buildWorld(s: Scenario): WorldData {
  const w = emptyWorld(s.account, s.region, s.regions ?? [s.region]);
  const epoch = s.epoch ? new Date(s.epoch).toISOString() : DEFAULT_EPOCH;
  const policyArn = (nameOrArn: string): string => {
    if (nameOrArn.startsWith('arn:')) return nameOrArn;
    const m = s.managedPolicies?.find((p) => p.name === nameOrArn);
    return m?.arn ?? arns.policy(s.account, nameOrArn, m?.path ?? '/');
  };

  for (const p of s.managedPolicies ?? []) {
    const arn = p.arn ?? arns.policy(s.account, p.name, p.path ?? '/');
    w.policies[arn] = {
      arn, name: p.name, policyId: iamId('ANPA', arn), path: p.path ?? '/', description: p.description,
      createDate: epoch, updateDate: epoch, defaultVersionId: 'v1', versions: [{ versionId: 'v1', document: policyText(p.document), createDate: epoch }], tags: {},
    };
  }
  for (const u of s.users ?? []) {
    const path = u.path ?? '/';
    w.users[u.name] = {
      name: u.name, userId: iamId('AIDA', `user/${u.name}`), arn: arns.user(s.account, u.name, path), path, createDate: epoch, tags: u.tags ?? {},
      inlinePolicies: Object.fromEntries(Object.entries(u.policies ?? {}).map(([n, d]) => [n, policyText(d)])),
      attachedPolicies: (u.attachedPolicies ?? []).map(policyArn), permissionsBoundary: u.permissionsBoundary && policyArn(u.permissionsBoundary),
    };
    for (const k of u.accessKeys ?? []) w.accessKeys[k.id] = { accessKeyId: k.id, secretAccessKey: k.secret, userName: u.name, status: k.status ?? 'Active', createDate: epoch };
  }
  for (const r of s.roles ?? []) {
    const path = r.path ?? '/';
    w.roles[r.name] = {
      name: r.name, roleId: r.roleId ?? iamId('AROA', `role/${r.name}`), arn: arns.role(s.account, r.name, path), path,
      createDate: r.createDate ? new Date(r.createDate).toISOString() : epoch, description: r.description, trustPolicy: policyText(r.trustPolicy),
      maxSessionDuration: r.maxSessionDuration ?? 3600, tags: r.tags ?? {},
      inlinePolicies: Object.fromEntries(Object.entries(r.policies ?? {}).map(([n, d]) => [n, policyText(d)])),
      attachedPolicies: (r.attachedPolicies ?? []).map(policyArn), permissionsBoundary: r.permissionsBoundary && policyArn(r.permissionsBoundary),
    };
  }
  for (const v of s.vpcs ?? []) {
    w.vpcs[v.id] = {
      id: v.id, region: v.region ?? s.region, cidrBlock: v.cidrBlock, state: 'available', isDefault: false, instanceTenancy: v.instanceTenancy ?? 'default',
      dhcpOptionsId: v.dhcpOptionsId ?? `dopt-${stableHex(`dopt/${v.region ?? s.region}`, 17)}`,
      enableDnsSupport: v.enableDnsSupport ?? true, enableDnsHostnames: v.enableDnsHostnames ?? false, tags: v.tags ?? {},
    };
  }
  for (const sn of s.subnets ?? []) {
    const vpc = w.vpcs[sn.vpc]!;
    w.subnets[sn.id] = {
      id: sn.id, region: vpc.region, vpcId: sn.vpc, cidrBlock: sn.cidrBlock, availabilityZone: sn.availabilityZone ?? `${vpc.region}a`,
      mapPublicIpOnLaunch: sn.mapPublicIpOnLaunch ?? false, state: 'available', tags: sn.tags ?? {},
    };
  }
  for (const g of s.securityGroups ?? []) {
    const vpc = w.vpcs[g.vpc]!;
    const rules = [
      ...(g.ingress ?? []).map((r, i) => ruleFromScenario(g.id, false, r, i)),
      ...(g.egress ?? [{ protocol: '-1', cidr: '0.0.0.0/0' }]).map((r, i) => ruleFromScenario(g.id, true, r, i)),
    ];
    for (const r of rules) w.securityGroupRules[r.ruleId] = r;
    w.securityGroups[g.id] = {
      id: g.id, region: vpc.region, name: g.name, description: g.description ?? 'Managed by Terraform', vpcId: g.vpc, tags: g.tags ?? {}, ruleIds: rules.map((r) => r.ruleId),
    };
  }
  const perSubnet = new Map<string, number>();
  for (const n of s.instances ?? []) {
    const subnet = w.subnets[n.subnet]!;
    const index = perSubnet.get(subnet.id) ?? 0;
    perSubnet.set(subnet.id, index + 1);
    const defaultGroup = Object.values(w.securityGroups).find((g) => g.vpcId === subnet.vpcId && g.name === 'default');
    w.instances[n.id] = {
      id: n.id, region: subnet.region, reservationId: n.reservationId ?? `r-${stableHex(`r/${n.id}`, 17)}`, imageId: n.ami, instanceType: n.type,
      state: n.state ?? 'running', stateTransitionReason: n.state === 'stopped' ? `User initiated (${epoch.slice(0, 19).replace('T', ' ')} GMT)` : '',
      subnetId: subnet.id, vpcId: subnet.vpcId, availabilityZone: subnet.availabilityZone, privateIpAddress: n.privateIp ?? addressIn(subnet.cidrBlock, index),
      publicIpAddress: n.publicIp, securityGroupIds: n.securityGroups ?? (defaultGroup ? [defaultGroup.id] : []), keyName: n.keyName,
      launchTime: n.launchTime ? new Date(n.launchTime).toISOString() : epoch, tags: n.tags ?? {}, monitoring: n.monitoring ? 'enabled' : 'disabled',
      ebsOptimized: n.ebsOptimized ?? false, sourceDestCheck: n.sourceDestCheck ?? true, disableApiTermination: n.disableApiTermination ?? false,
      disableApiStop: n.disableApiStop ?? false, instanceInitiatedShutdownBehavior: n.instanceInitiatedShutdownBehavior ?? 'stop',
      iamInstanceProfileArn: n.iamInstanceProfile && (n.iamInstanceProfile.startsWith('arn:') ? n.iamInstanceProfile : `arn:aws:iam::${s.account}:instance-profile/${n.iamInstanceProfile}`),
      rootVolumeId: n.rootVolumeId ?? `vol-${stableHex(`vol/${n.id}`, 17)}`, networkInterfaceId: n.networkInterfaceId ?? `eni-${stableHex(`eni/${n.id}`, 17)}`,
    };
  }
  for (const g of s.internetGateways ?? []) {
    w.internetGateways ??= {};
    w.internetGateways[g.id] = { id: g.id, region: g.vpc ? w.vpcs[g.vpc]!.region : s.region, vpcId: g.vpc, tags: g.tags ?? {} };
  }
  for (const t of s.routeTables ?? []) {
    const vpc = w.vpcs[t.vpc]!;
    w.routeTables ??= {};
    w.routeTables[t.id] = {
      id: t.id, region: vpc.region, vpcId: vpc.id, propagatingVgws: [], tags: t.tags ?? {},
      routes: [
        { destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable', state: 'active' },
        ...(t.routes ?? []).map((r) => ({
          destinationCidrBlock: r.destination, gatewayId: r.gateway, natGatewayId: r.natGateway, networkInterfaceId: r.networkInterface,
          vpcPeeringConnectionId: r.vpcPeeringConnection, transitGatewayId: r.transitGateway, origin: 'CreateRoute' as const, state: 'active' as const,
        })),
      ],
      associations: [
        ...(t.main ? [{ id: `rtbassoc-${stableHex(`rtbassoc/main/${t.id}`, 17)}`, main: true }] : []),
        ...(t.subnets ?? []).map((entry) => {
          const subnetId = typeof entry === 'string' ? entry : entry.subnet;
          const id = (typeof entry === 'string' ? undefined : entry.id) ?? `rtbassoc-${stableHex(`rtbassoc/${subnetId}`, 17)}`;
          return { id, subnetId, main: false };
        }),
      ],
    };
  }
  for (const b of s.buckets ?? []) {
    const objects: WorldData['buckets'][string]['objects'] = {};
    for (const [key, content] of Object.entries(b.objects ?? {})) {
      const bytes = Buffer.from(content, 'utf8');
      objects[key] = { body: bytes.toString('base64'), etag: `"${createHash('md5').update(bytes).digest('hex')}"`, lastModified: epoch, contentType: 'application/octet-stream' };
    }
    w.buckets[b.name] = {
      name: b.name, region: b.region ?? s.region, creationDate: b.creationDate ? new Date(b.creationDate).toISOString() : epoch, tags: b.tags,
      versioning: b.versioning,
      // Since January 2023 every bucket has SSE-S3 default encryption unless configured otherwise.
      encryption: b.encryption
        ? { sseAlgorithm: b.encryption.algorithm, kmsMasterKeyId: b.encryption.kmsKeyId, bucketKeyEnabled: b.encryption.bucketKeyEnabled ?? false }
        : { sseAlgorithm: 'AES256', bucketKeyEnabled: false },
      policy: b.policy === undefined ? undefined : policyText(b.policy), publicAccessBlock: b.publicAccessBlock, objects,
      ...(b.replication ? { replication: { role: b.replication.role, rules: b.replication.rules.map(replicationRule) } } : {}),
    };
  }
  if (s.accountPublicAccessBlock) w.accountPublicAccessBlock = { ...s.accountPublicAccessBlock };
  for (const g of s.groups ?? []) {
    const path = g.path ?? '/';
    (w.groups ??= {})[g.name] = {
      name: g.name, groupId: iamId('AGPA', `group/${g.name}`), arn: arns.group(s.account, g.name, path), path, createDate: epoch,
      inlinePolicies: Object.fromEntries(Object.entries(g.policies ?? {}).map(([n, d]) => [n, policyText(d)])),
      attachedPolicies: (g.attachedPolicies ?? []).map(policyArn), members: [...(g.members ?? [])],
    };
  }
  for (const g of s.logGroups ?? []) {
    const region = g.region ?? s.region;
    (w.logGroups ??= {})[`${region}/${g.name}`] = {
      name: g.name, region, creationTime: new Date(epoch).getTime(), retentionInDays: g.retentionInDays, kmsKeyId: g.kmsKeyId, logGroupClass: 'STANDARD', tags: g.tags ?? {},
    };
  }
  for (const q of s.queues ?? []) {
    const region = q.region ?? s.region;
    (w.sqsQueues ??= {})[`${region}/${q.name}`] = { name: q.name, region, createdAt: new Date(epoch).getTime(), attributes: newQueueAttributes(q.attributes ?? {}), tags: q.tags ?? {}, messages: [] };
  }
  s.kmsKeys?.forEach((k, i) => {
    const region = k.region ?? s.region;
    // A stable UUID-shaped id when the scenario names none, so restarts reproduce it.
    const hex = createHash('sha256').update(`kms/${i}/${k.description ?? ''}`).digest('hex');
    const keyId = k.id ?? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    (w.kmsKeys ??= {})[keyId] = {
      keyId, region, creationDate: epoch, description: k.description ?? '', keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT',
      enabled: k.enabled ?? true, multiRegion: false,
      policy: k.policy ? policyText(k.policy) : JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${s.account}:root` }, Action: 'kms:*', Resource: '*' }] }),
      rotation: k.rotation ?? false, rotationPeriodInDays: 365, tags: k.tags ?? {},
    };
    for (const a of k.aliases ?? []) (w.kmsAliases ??= {})[`${region}/${a}`] = { name: a, region, targetKeyId: keyId, creationDate: epoch };
  });
  for (const g of s.egressOnlyInternetGateways ?? []) {
    (w.egressOnlyInternetGateways ??= {})[g.id] = { id: g.id, region: w.vpcs[g.vpc]!.region, vpcId: g.vpc, tags: g.tags ?? {} };
  }
  for (const e of s.vpcEndpoints ?? []) {
    const type = e.type ?? 'Gateway';
    (w.vpcEndpoints ??= {})[e.id] = {
      id: e.id, region: w.vpcs[e.vpc]!.region, vpcId: e.vpc, serviceName: e.serviceName, type,
      policyDocument: '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
      routeTableIds: e.routeTables ?? [], subnetIds: [], securityGroupIds: [], privateDnsEnabled: type === 'Interface', state: 'available', creationTimestamp: epoch, tags: e.tags ?? {},
    };
  }
  for (const f of s.flowLogs ?? []) {
    const region = (w.vpcs[f.resource] ?? w.subnets[f.resource])!.region;
    (w.flowLogs ??= {})[f.id] = {
      id: f.id, region, resourceId: f.resource, trafficType: f.trafficType ?? 'ALL', logDestinationType: 'cloud-watch-logs', logGroupName: f.logGroupName,
      logDestination: `arn:aws:logs:${region}:${s.account}:log-group:${f.logGroupName}`, deliverLogsPermissionArn: f.role, logFormat: DEFAULT_FLOW_LOG_FORMAT,
      maxAggregationInterval: 600, creationTime: epoch, tags: f.tags ?? {},
    };
  }
  for (const x of s.vpcPeeringConnections ?? []) {
    // The connection shows in the region of this account's side.
    const region = w.vpcs[x.requesterOwner ? x.peerVpc : x.vpc]!.region;
    (w.vpcPeeringConnections ??= {})[x.id] = {
      id: x.id, region, requesterVpcId: x.vpc, accepterVpcId: x.peerVpc, accepterOwnerId: x.peerOwner ?? s.account, accepterRegion: x.peerOwner ? region : w.vpcs[x.peerVpc]!.region,
      ...(x.requesterOwner ? { requesterOwnerId: x.requesterOwner } : {}),
      status: x.status ?? 'pending-acceptance', requesterAllowDns: x.requesterAllowDns ?? false, accepterAllowDns: x.accepterAllowDns ?? false, tags: x.tags ?? {},
    };
  }
  for (const z of s.hostedZones ?? []) {
    const name = `${z.name.toLowerCase().replace(/\.$/, '')}.`;
    const id = z.id ?? `Z${createHash('sha256').update(`zone/${name}`).digest('hex').slice(0, 20).toUpperCase()}`;
    const abs = (n: string): string => {
      const lower = n.toLowerCase().replace(/\.$/, '');
      return lower === name.slice(0, -1) || lower.endsWith(`.${name.slice(0, -1)}`) ? `${lower}.` : `${lower}.${name}`;
    };
    const ns = [1, 2, 3, 4].map((n) => `ns-${n}.awsdns-${n}${n}.sandbox.`);
    (w.hostedZones ??= {})[id] = {
      id, name, callerReference: `scenario-${id}`, comment: z.comment, privateZone: false, tags: z.tags ?? {},
      records: [
        { name, type: 'NS', ttl: 172800, values: ns },
        { name, type: 'SOA', ttl: 900, values: [`${ns[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`] },
        ...(z.records ?? []).map((r) => ({ name: abs(r.name), type: r.type, ttl: r.ttl ?? 300, values: r.values })),
      ],
    };
  }
  return w;
}
