// Scenario files: the declared starting world (account, regions, principals, resources) in YAML or
// JSON. Validation walks the document once and reports the first problem with file, line and the
// field's path, so a typo never becomes a stack trace.
import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { FAULT_KNOBS, SERVICES, knobProblem, type FaultConfig } from './faults';

/** A policy document: JSON text or the parsed object. */
export type PolicyDocument = string | Record<string, unknown>;

export interface ScenarioAccessKey {
  id: string;
  secret: string;
  status?: 'Active' | 'Inactive';
}

export interface ScenarioUser {
  name: string;
  path?: string;
  accessKeys?: ScenarioAccessKey[];
  tags?: Record<string, string>;
  /** Inline policies by name. */
  policies?: Record<string, PolicyDocument>;
  /** Managed policy ARNs (or names of `managedPolicies` entries). */
  attachedPolicies?: string[];
  permissionsBoundary?: string;
}

export interface ScenarioRole {
  name: string;
  path?: string;
  description?: string;
  trustPolicy: PolicyDocument;
  maxSessionDuration?: number;
  tags?: Record<string, string>;
  policies?: Record<string, PolicyDocument>;
  attachedPolicies?: string[];
  permissionsBoundary?: string;
  /** Fixed unique id (AROA…); generated from the name when absent. */
  roleId?: string;
  createDate?: string;
}

export interface ScenarioManagedPolicy {
  name: string;
  /** Defaults to arn:aws:iam::<account>:policy<path><name>; AWS-managed ARNs are allowed. */
  arn?: string;
  path?: string;
  description?: string;
  document: PolicyDocument;
}

export interface ScenarioVpc {
  id: string;
  cidrBlock: string;
  region?: string;
  tags?: Record<string, string>;
  enableDnsSupport?: boolean;
  enableDnsHostnames?: boolean;
  instanceTenancy?: string;
  dhcpOptionsId?: string;
}

export interface ScenarioSubnet {
  id: string;
  vpc: string;
  cidrBlock: string;
  availabilityZone?: string;
  mapPublicIpOnLaunch?: boolean;
  tags?: Record<string, string>;
}

export interface ScenarioEgressOnlyInternetGateway {
  id: string;
  vpc: string;
  tags?: Record<string, string>;
}

export interface ScenarioVpcEndpoint {
  id: string;
  vpc: string;
  /** e.g. com.amazonaws.us-east-1.s3 */
  serviceName: string;
  type?: 'Gateway' | 'Interface';
  routeTables?: string[];
  tags?: Record<string, string>;
}

export interface ScenarioFlowLog {
  id: string;
  /** The VPC or subnet id it watches. */
  resource: string;
  logGroupName: string;
  /** The role that delivers to CloudWatch Logs (an ARN). */
  role: string;
  trafficType?: 'ACCEPT' | 'REJECT' | 'ALL';
  tags?: Record<string, string>;
}

/**
 * A VPC peering connection as it stands. `vpc` requests, `peerVpc` accepts; whichever side is in
 * this account must be declared under vpcs. With `requesterOwner` another account requested it
 * (this account is the accepter: the case aws_vpc_peering_connection_accepter manages); with
 * `peerOwner` this account requested it from another.
 */
export interface ScenarioVpcPeeringConnection {
  id: string;
  vpc: string;
  peerVpc: string;
  requesterOwner?: string;
  peerOwner?: string;
  /** Default pending-acceptance. */
  status?: 'pending-acceptance' | 'active';
  /** AllowDnsResolutionFromRemoteVpc per side (active connections only). */
  requesterAllowDns?: boolean;
  accepterAllowDns?: boolean;
  tags?: Record<string, string>;
}

export interface ScenarioInternetGateway {
  id: string;
  /** The attached VPC, if any. */
  vpc?: string;
  tags?: Record<string, string>;
}

/** One route: a destination and exactly one target. */
export interface ScenarioRoute {
  destination: string;
  gateway?: string;
  natGateway?: string;
  networkInterface?: string;
  vpcPeeringConnection?: string;
  transitGateway?: string;
}

export interface ScenarioRouteTable {
  id: string;
  vpc: string;
  /** The VPC's main table (otherwise AWS's implicit main table, with only the local route). */
  main?: boolean;
  routes?: ScenarioRoute[];
  /** Subnets explicitly associated with this table: a subnet id, or the subnet with a fixed association id. */
  subnets?: Array<string | { subnet: string; id?: string }>;
  tags?: Record<string, string>;
}

export interface ScenarioRule {
  /** Security group rule id (sgr-…); generated deterministically when absent. */
  id?: string;
  /** tcp, udp, icmp, icmpv6, -1 (all) or a protocol number. */
  protocol: string | number;
  fromPort?: number;
  toPort?: number;
  cidr?: string;
  cidrIpv6?: string;
  prefixList?: string;
  sourceGroup?: string;
  description?: string;
  tags?: Record<string, string>;
}

export interface ScenarioSecurityGroup {
  id: string;
  name: string;
  description?: string;
  vpc: string;
  tags?: Record<string, string>;
  ingress?: ScenarioRule[];
  /** Defaults to AWS's allow-all egress rule when absent. */
  egress?: ScenarioRule[];
}

export interface ScenarioInstance {
  id: string;
  type: string;
  ami: string;
  subnet: string;
  securityGroups?: string[];
  privateIp?: string;
  publicIp?: string;
  state?: 'running' | 'stopped';
  tags?: Record<string, string>;
  launchTime?: string;
  keyName?: string;
  monitoring?: boolean;
  ebsOptimized?: boolean;
  sourceDestCheck?: boolean;
  disableApiTermination?: boolean;
  disableApiStop?: boolean;
  instanceInitiatedShutdownBehavior?: 'stop' | 'terminate';
  iamInstanceProfile?: string;
  reservationId?: string;
  rootVolumeId?: string;
  networkInterfaceId?: string;
}

export interface ScenarioGroup {
  name: string;
  path?: string;
  members?: string[];
  policies?: Record<string, PolicyDocument>;
  attachedPolicies?: string[];
}

export interface ScenarioQueue {
  name: string;
  region?: string;
  /** SQS attribute values as SetQueueAttributes takes them (e.g. VisibilityTimeout, Policy). */
  attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface ScenarioLogGroup {
  name: string;
  region?: string;
  retentionInDays?: number;
  kmsKeyId?: string;
  tags?: Record<string, string>;
}

export interface ScenarioKmsKey {
  /** Key id (a UUID); derived from the description and position when absent. */
  id?: string;
  region?: string;
  description?: string;
  policy?: PolicyDocument;
  rotation?: boolean;
  enabled?: boolean;
  aliases?: string[];
  tags?: Record<string, string>;
}

export interface ScenarioRecord {
  name: string;
  type: string;
  ttl?: number;
  values: string[];
}

export interface ScenarioHostedZone {
  /** Without `/hostedzone/`; derived from the name when absent. */
  id?: string;
  name: string;
  comment?: string;
  tags?: Record<string, string>;
  records?: ScenarioRecord[];
}

export interface ScenarioBucket {
  name: string;
  region?: string;
  creationDate?: string;
  tags?: Record<string, string>;
  versioning?: 'Enabled' | 'Suspended';
  encryption?: { algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse'; kmsKeyId?: string; bucketKeyEnabled?: boolean };
  policy?: PolicyDocument;
  publicAccessBlock?: ScenarioPublicAccessBlock;
  /** Object key → UTF-8 content. */
  objects?: Record<string, string>;
  /** Replication (the source must be versioned): V2-schema rules to buckets declared here. */
  replication?: { role: string; rules: ScenarioReplicationRule[] };
}

export interface ScenarioReplicationRule {
  id: string;
  /** Default 0. */
  priority?: number;
  /** The filter's prefix (default: every object). */
  prefix?: string;
  /** Default Enabled. */
  status?: 'Enabled' | 'Disabled';
  /** The destination bucket's name (declared under buckets, versioned). */
  destination: string;
  storageClass?: string;
  /** Default Disabled. */
  deleteMarkerReplication?: 'Enabled' | 'Disabled';
}

export interface ScenarioLimits {
  /** CloudTrail LookupEvents requests per second per account (AWS: 2); 0 disables the limit. */
  lookupEventsPerSecond?: number;
}

export interface Scenario {
  account: string;
  region: string;
  regions?: string[];
  /** World time the scenario's resources were created at (ISO 8601); defaults to 2024-01-01. */
  epoch?: string;
  limits?: ScenarioLimits;
  faults?: FaultConfig;
  managedPolicies?: ScenarioManagedPolicy[];
  users?: ScenarioUser[];
  roles?: ScenarioRole[];
  vpcs?: ScenarioVpc[];
  subnets?: ScenarioSubnet[];
  securityGroups?: ScenarioSecurityGroup[];
  internetGateways?: ScenarioInternetGateway[];
  egressOnlyInternetGateways?: ScenarioEgressOnlyInternetGateway[];
  vpcEndpoints?: ScenarioVpcEndpoint[];
  flowLogs?: ScenarioFlowLog[];
  vpcPeeringConnections?: ScenarioVpcPeeringConnection[];
  routeTables?: ScenarioRouteTable[];
  instances?: ScenarioInstance[];
  buckets?: ScenarioBucket[];
  groups?: ScenarioGroup[];
  logGroups?: ScenarioLogGroup[];
  queues?: ScenarioQueue[];
  kmsKeys?: ScenarioKmsKey[];
  hostedZones?: ScenarioHostedZone[];
  /** The account's S3 public access block (S3 Control); absent = the account has none. */
  accountPublicAccessBlock?: ScenarioPublicAccessBlock;
}

export interface ScenarioPublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export class ScenarioError extends Error {}

type Path = (string | number)[];
type Locate = (path: Path) => number | undefined;

function pathText(path: Path): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** Walks the raw document with a path, so every complaint names the field and its line. */
class Checker {
  constructor(private readonly source: string, private readonly locate: Locate) {}

  fail(path: Path, message: string): never {
    let line: number | undefined;
    for (let i = path.length; i >= 0 && line === undefined; i--) line = this.locate(path.slice(0, i));
    const where = line === undefined ? this.source : `${this.source}:${line}`;
    throw new ScenarioError(`${where}: ${pathText(path) || '(top level)'}: ${message}`);
  }

  object(value: unknown, path: Path, allowed: readonly string[]): Record<string, unknown> {
    if (!value || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'must be a mapping');
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) if (!allowed.includes(key)) this.fail([...path, key], `unknown field (expected one of: ${allowed.join(', ')})`);
    return obj;
  }

  list(value: unknown, path: Path): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, 'must be a list');
    return value;
  }

  string(value: unknown, path: Path, pattern?: RegExp, hint?: string): string {
    if (typeof value !== 'string' || value === '') this.fail(path, 'must be a non-empty string');
    if (pattern && !pattern.test(value)) this.fail(path, `'${value}' is not valid${hint ? ` (${hint})` : ''}`);
    return value;
  }

  optString(value: unknown, path: Path, pattern?: RegExp, hint?: string): string | undefined {
    return value === undefined || value === null ? undefined : this.string(value, path, pattern, hint);
  }

  optBool(value: unknown, path: Path): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(path, 'must be true or false');
    return value;
  }

  optInt(value: unknown, path: Path, min: number, max: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) this.fail(path, `must be an integer from ${min} to ${max}`);
    return value;
  }

  oneOf<T extends string>(value: unknown, path: Path, options: readonly T[]): T | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !options.includes(value as T)) this.fail(path, `must be one of ${options.join(', ')}`);
    return value as T;
  }

  tags(value: unknown, path: Path): Record<string, string> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'must be a mapping of tag key to value');
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') this.fail([...path, k], 'tag values must be strings');
      if (k.length > 128) this.fail([...path, k], 'tag keys are at most 128 characters');
      out[k] = String(v);
    }
    return out;
  }

  policy(value: unknown, path: Path): PolicyDocument {
    if (typeof value === 'string') {
      try {
        const parsed: unknown = JSON.parse(value);
        if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
      } catch {
        this.fail(path, 'policy text is not a JSON object');
      }
      return value;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'must be a policy document (mapping or JSON text)');
    const doc = value as Record<string, unknown>;
    if (doc.Statement === undefined) this.fail([...path, 'Statement'], 'a policy document needs a Statement');
    return doc;
  }

  unique(seen: Set<string>, id: string, path: Path, what: string): void {
    if (seen.has(id)) this.fail(path, `duplicate ${what} '${id}'`);
    seen.add(id);
  }
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const CIDR4 = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const ACCESS_KEY = /^AKIA[A-Z0-9]{16}$/;
const NAME = /^[\w+=,.@-]{1,64}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const idOf = (prefix: string): RegExp => new RegExp(`^${prefix}-[0-9a-f]{8,17}$`);

function checkRule(c: Checker, raw: unknown, path: Path): ScenarioRule {
  const r = c.object(raw, path, ['id', 'protocol', 'fromPort', 'toPort', 'cidr', 'cidrIpv6', 'prefixList', 'sourceGroup', 'description', 'tags']);
  if (typeof r.protocol !== 'string' && typeof r.protocol !== 'number') c.fail([...path, 'protocol'], 'must be tcp, udp, icmp, -1 or a protocol number');
  const sources = ['cidr', 'cidrIpv6', 'prefixList', 'sourceGroup'].filter((k) => r[k] !== undefined);
  if (sources.length !== 1) c.fail(path, 'a rule needs exactly one of cidr, cidrIpv6, prefixList, sourceGroup');
  const protocol = String(r.protocol);
  const ported = ['tcp', 'udp', '6', '17'].includes(protocol);
  const rule: ScenarioRule = {
    id: c.optString(r.id, [...path, 'id'], idOf('sgr'), 'sgr- followed by hex digits'),
    protocol: r.protocol as string | number,
    fromPort: c.optInt(r.fromPort, [...path, 'fromPort'], -1, 65535),
    toPort: c.optInt(r.toPort, [...path, 'toPort'], -1, 65535),
    cidr: c.optString(r.cidr, [...path, 'cidr'], CIDR4, 'an IPv4 CIDR such as 10.0.0.0/16'),
    cidrIpv6: c.optString(r.cidrIpv6, [...path, 'cidrIpv6']),
    prefixList: c.optString(r.prefixList, [...path, 'prefixList'], idOf('pl')),
    sourceGroup: c.optString(r.sourceGroup, [...path, 'sourceGroup'], idOf('sg')),
    description: c.optString(r.description, [...path, 'description']),
    tags: c.tags(r.tags, [...path, 'tags']),
  };
  if (ported && (rule.fromPort === undefined || rule.toPort === undefined)) c.fail(path, `protocol ${protocol} needs fromPort and toPort`);
  if (rule.fromPort !== undefined && rule.toPort !== undefined && ported && rule.fromPort > rule.toPort) c.fail([...path, 'fromPort'], 'fromPort is greater than toPort');
  return rule;
}

/** Validates a raw document (already parsed) into a Scenario. */
export function validateScenario(raw: unknown, source = 'scenario', locate: Locate = () => undefined): Scenario {
  const c = new Checker(source, locate);
  const top = c.object(raw, [], ['account', 'region', 'regions', 'epoch', 'limits', 'faults', 'managedPolicies', 'users', 'roles', 'vpcs', 'subnets', 'securityGroups', 'internetGateways', 'egressOnlyInternetGateways', 'vpcEndpoints', 'flowLogs', 'vpcPeeringConnections', 'routeTables', 'instances', 'buckets', 'groups', 'logGroups', 'kmsKeys', 'hostedZones', 'queues', 'accountPublicAccessBlock']);
  const account = c.string(typeof top.account === 'number' ? String(top.account) : top.account, ['account'], ACCOUNT, '12 digits, quoted in YAML');
  const region = c.string(top.region, ['region'], REGION, 'e.g. us-east-1');
  const regions = c.list(top.regions, ['regions']).map((r, i) => c.string(r, ['regions', i], REGION));
  if (regions.length && !regions.includes(region)) c.fail(['regions'], `must include the default region ${region}`);
  const allRegions = regions.length ? regions : [region];
  const epoch = c.optString(top.epoch, ['epoch'], ISO, 'ISO 8601 UTC time such as 2024-01-01T00:00:00Z');

  let limits: ScenarioLimits | undefined;
  if (top.limits !== undefined) {
    const l = c.object(top.limits, ['limits'], ['lookupEventsPerSecond']);
    limits = { lookupEventsPerSecond: c.optInt(l.lookupEventsPerSecond, ['limits', 'lookupEventsPerSecond'], 0, 1_000_000) };
  }

  let faults: FaultConfig | undefined;
  if (top.faults !== undefined) {
    const f = c.object(top.faults, ['faults'], ['default', ...SERVICES]);
    faults = {};
    for (const [scope, knobsRaw] of Object.entries(f)) {
      const knobs = c.object(knobsRaw, ['faults', scope], FAULT_KNOBS);
      for (const [k, v] of Object.entries(knobs)) {
        const problem = knobProblem(k, v);
        if (problem) c.fail(['faults', scope, k], problem);
      }
      (faults as Record<string, unknown>)[scope] = knobs;
    }
  }

  const policyNames = new Set<string>();
  const managedPolicies = c.list(top.managedPolicies, ['managedPolicies']).map((raw, i): ScenarioManagedPolicy => {
    const p = ['managedPolicies', i];
    const m = c.object(raw, p, ['name', 'arn', 'path', 'description', 'document']);
    const name = c.string(m.name, [...p, 'name'], /^[\w+=,.@-]{1,128}$/);
    c.unique(policyNames, name, [...p, 'name'], 'managed policy');
    return {
      name, arn: c.optString(m.arn, [...p, 'arn'], /^arn:aws:iam::(aws|\d{12}):policy\//), path: c.optString(m.path, [...p, 'path'], /^\/([\w+=,.@-]+\/)*$/),
      description: c.optString(m.description, [...p, 'description']), document: c.policy(m.document, [...p, 'document']),
    };
  });
  const checkAttached = (list: unknown, p: Path): string[] | undefined => {
    if (list === undefined) return undefined;
    return c.list(list, p).map((a, j) => {
      const v = c.string(a, [...p, j]);
      if (!v.startsWith('arn:') && !policyNames.has(v)) c.fail([...p, j], `'${v}' is neither a policy ARN nor a name in managedPolicies`);
      return v;
    });
  };
  const checkInline = (value: unknown, p: Path): Record<string, PolicyDocument> | undefined => {
    if (value === undefined) return undefined;
    const o = c.object(value, p, Object.keys((value as object | null) ?? {}));
    const out: Record<string, PolicyDocument> = {};
    for (const [name, doc] of Object.entries(o)) {
      if (!/^[\w+=,.@-]{1,128}$/.test(name)) c.fail([...p, name], 'policy names use letters, digits and +=,.@_-');
      out[name] = c.policy(doc, [...p, name]);
    }
    return out;
  };

  const keyIds = new Set<string>();
  const userNames = new Set<string>();
  const users = c.list(top.users, ['users']).map((raw, i): ScenarioUser => {
    const p = ['users', i];
    const u = c.object(raw, p, ['name', 'path', 'accessKeys', 'tags', 'policies', 'attachedPolicies', 'permissionsBoundary']);
    const name = c.string(u.name, [...p, 'name'], NAME, 'letters, digits and +=,.@_-');
    c.unique(userNames, name, [...p, 'name'], 'user');
    return {
      name, path: c.optString(u.path, [...p, 'path'], /^\/([\w+=,.@-]+\/)*$/),
      accessKeys: c.list(u.accessKeys, [...p, 'accessKeys']).map((k, j) => {
        const kp = [...p, 'accessKeys', j];
        const key = c.object(k, kp, ['id', 'secret', 'status']);
        const id = c.string(key.id, [...kp, 'id'], ACCESS_KEY, 'AKIA followed by 16 upper-case letters or digits');
        c.unique(keyIds, id, [...kp, 'id'], 'access key id');
        return { id, secret: c.string(key.secret, [...kp, 'secret'], /^.{16,128}$/, '16 to 128 characters'), status: c.oneOf(key.status, [...kp, 'status'], ['Active', 'Inactive'] as const) };
      }),
      tags: c.tags(u.tags, [...p, 'tags']), policies: checkInline(u.policies, [...p, 'policies']),
      attachedPolicies: checkAttached(u.attachedPolicies, [...p, 'attachedPolicies']), permissionsBoundary: c.optString(u.permissionsBoundary, [...p, 'permissionsBoundary']),
    };
  });

  const roleNames = new Set<string>();
  const roles = c.list(top.roles, ['roles']).map((raw, i): ScenarioRole => {
    const p = ['roles', i];
    const r = c.object(raw, p, ['name', 'path', 'description', 'trustPolicy', 'maxSessionDuration', 'tags', 'policies', 'attachedPolicies', 'permissionsBoundary', 'roleId', 'createDate']);
    const name = c.string(r.name, [...p, 'name'], NAME, 'letters, digits and +=,.@_-');
    c.unique(roleNames, name, [...p, 'name'], 'role');
    if (r.trustPolicy === undefined) c.fail([...p, 'trustPolicy'], 'a role needs a trust policy');
    return {
      name, path: c.optString(r.path, [...p, 'path'], /^\/([\w+=,.@-]+\/)*$/), description: c.optString(r.description, [...p, 'description']),
      trustPolicy: c.policy(r.trustPolicy, [...p, 'trustPolicy']), maxSessionDuration: c.optInt(r.maxSessionDuration, [...p, 'maxSessionDuration'], 3600, 43200),
      tags: c.tags(r.tags, [...p, 'tags']), policies: checkInline(r.policies, [...p, 'policies']),
      attachedPolicies: checkAttached(r.attachedPolicies, [...p, 'attachedPolicies']), permissionsBoundary: c.optString(r.permissionsBoundary, [...p, 'permissionsBoundary']),
      roleId: c.optString(r.roleId, [...p, 'roleId'], /^AROA[A-Z0-9]{16,17}$/), createDate: c.optString(r.createDate, [...p, 'createDate'], ISO, 'ISO 8601 UTC time'),
    };
  });

  const regionOf = (value: unknown, p: Path): string | undefined => {
    const r = c.optString(value, p, REGION);
    if (r && !allRegions.includes(r)) c.fail(p, `region ${r} is not in the scenario's regions`);
    return r;
  };

  const vpcIds = new Set<string>();
  const vpcs = c.list(top.vpcs, ['vpcs']).map((raw, i): ScenarioVpc => {
    const p = ['vpcs', i];
    const v = c.object(raw, p, ['id', 'cidrBlock', 'region', 'tags', 'enableDnsSupport', 'enableDnsHostnames', 'instanceTenancy', 'dhcpOptionsId']);
    const id = c.string(v.id, [...p, 'id'], idOf('vpc'), 'vpc- followed by 8 or 17 hex digits');
    c.unique(vpcIds, id, [...p, 'id'], 'VPC id');
    return {
      id, cidrBlock: c.string(v.cidrBlock, [...p, 'cidrBlock'], CIDR4, 'an IPv4 CIDR'), region: regionOf(v.region, [...p, 'region']), tags: c.tags(v.tags, [...p, 'tags']),
      enableDnsSupport: c.optBool(v.enableDnsSupport, [...p, 'enableDnsSupport']), enableDnsHostnames: c.optBool(v.enableDnsHostnames, [...p, 'enableDnsHostnames']),
      instanceTenancy: c.oneOf(v.instanceTenancy, [...p, 'instanceTenancy'], ['default', 'dedicated'] as const), dhcpOptionsId: c.optString(v.dhcpOptionsId, [...p, 'dhcpOptionsId'], idOf('dopt')),
    };
  });

  const subnetIds = new Set<string>();
  const subnets = c.list(top.subnets, ['subnets']).map((raw, i): ScenarioSubnet => {
    const p = ['subnets', i];
    const s = c.object(raw, p, ['id', 'vpc', 'cidrBlock', 'availabilityZone', 'mapPublicIpOnLaunch', 'tags']);
    const id = c.string(s.id, [...p, 'id'], idOf('subnet'), 'subnet- followed by hex digits');
    c.unique(subnetIds, id, [...p, 'id'], 'subnet id');
    const vpc = c.string(s.vpc, [...p, 'vpc']);
    if (!vpcIds.has(vpc)) c.fail([...p, 'vpc'], `VPC '${vpc}' is not declared under vpcs`);
    return {
      id, vpc, cidrBlock: c.string(s.cidrBlock, [...p, 'cidrBlock'], CIDR4, 'an IPv4 CIDR'), availabilityZone: c.optString(s.availabilityZone, [...p, 'availabilityZone'], /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/),
      mapPublicIpOnLaunch: c.optBool(s.mapPublicIpOnLaunch, [...p, 'mapPublicIpOnLaunch']), tags: c.tags(s.tags, [...p, 'tags']),
    };
  });

  const igwIds = new Set<string>();
  const internetGateways = c.list(top.internetGateways, ['internetGateways']).map((raw, i): ScenarioInternetGateway => {
    const p = ['internetGateways', i];
    const g = c.object(raw, p, ['id', 'vpc', 'tags']);
    const id = c.string(g.id, [...p, 'id'], idOf('igw'), 'igw- followed by hex digits');
    c.unique(igwIds, id, [...p, 'id'], 'internet gateway id');
    const vpc = c.optString(g.vpc, [...p, 'vpc']);
    if (vpc !== undefined && !vpcIds.has(vpc)) c.fail([...p, 'vpc'], `VPC '${vpc}' is not declared under vpcs`);
    return { id, vpc, tags: c.tags(g.tags, [...p, 'tags']) };
  });

  const rtbIds = new Set<string>();
  const associated = new Set<string>();
  const mainOf = new Set<string>();
  const routeTables = c.list(top.routeTables, ['routeTables']).map((raw, i): ScenarioRouteTable => {
    const p = ['routeTables', i];
    const t = c.object(raw, p, ['id', 'vpc', 'main', 'routes', 'subnets', 'tags']);
    const id = c.string(t.id, [...p, 'id'], idOf('rtb'), 'rtb- followed by hex digits');
    c.unique(rtbIds, id, [...p, 'id'], 'route table id');
    const vpc = c.string(t.vpc, [...p, 'vpc']);
    if (!vpcIds.has(vpc)) c.fail([...p, 'vpc'], `VPC '${vpc}' is not declared under vpcs`);
    const main = c.optBool(t.main, [...p, 'main']);
    if (main) c.unique(mainOf, vpc, [...p, 'main'], 'main route table of VPC');
    const destinations = new Set<string>();
    const routes = t.routes === undefined ? undefined : c.list(t.routes, [...p, 'routes']).map((r, j): ScenarioRoute => {
      const rp = [...p, 'routes', j];
      const o = c.object(r, rp, ['destination', 'gateway', 'natGateway', 'networkInterface', 'vpcPeeringConnection', 'transitGateway']);
      const destination = c.string(o.destination, [...rp, 'destination'], CIDR4, 'an IPv4 CIDR');
      c.unique(destinations, destination, [...rp, 'destination'], 'route destination');
      const route: ScenarioRoute = {
        destination, gateway: c.optString(o.gateway, [...rp, 'gateway'], /^(igw|vgw)-[0-9a-f]{8,17}$/, 'igw- or vgw- followed by hex digits'),
        natGateway: c.optString(o.natGateway, [...rp, 'natGateway'], idOf('nat')), networkInterface: c.optString(o.networkInterface, [...rp, 'networkInterface'], idOf('eni')),
        vpcPeeringConnection: c.optString(o.vpcPeeringConnection, [...rp, 'vpcPeeringConnection'], idOf('pcx')), transitGateway: c.optString(o.transitGateway, [...rp, 'transitGateway'], idOf('tgw')),
      };
      const targets = [route.gateway, route.natGateway, route.networkInterface, route.vpcPeeringConnection, route.transitGateway].filter(Boolean);
      if (targets.length !== 1) c.fail(rp, 'a route needs exactly one target: gateway, natGateway, networkInterface, vpcPeeringConnection or transitGateway');
      if (route.gateway?.startsWith('igw-') && !igwIds.has(route.gateway)) c.fail([...rp, 'gateway'], `internet gateway '${route.gateway}' is not declared under internetGateways`);
      return route;
    });
    const subnets = t.subnets === undefined ? undefined : c.list(t.subnets, [...p, 'subnets']).map((s, j) => {
      const sp = [...p, 'subnets', j];
      const o = typeof s === 'string' ? { subnet: s } : c.object(s, sp, ['subnet', 'id']);
      const v = c.string(o.subnet, typeof s === 'string' ? sp : [...sp, 'subnet']);
      const id = c.optString(o.id, [...sp, 'id'], idOf('rtbassoc'), 'rtbassoc- followed by hex digits');
      if (!subnetIds.has(v)) c.fail(sp, `subnet '${v}' is not declared under subnets`);
      c.unique(associated, v, sp, 'subnet association (a subnet has one route table)');
      return id ? { subnet: v, id } : v;
    });
    return { id, vpc, main, routes, subnets, tags: c.tags(t.tags, [...p, 'tags']) };
  });

  const sgIds = new Set<string>();
  const ruleIds = new Set<string>();
  const rawGroups = c.list(top.securityGroups, ['securityGroups']);
  for (const [i, raw] of rawGroups.entries()) {
    const id = c.string((raw as Record<string, unknown> | null)?.id, ['securityGroups', i, 'id'], idOf('sg'), 'sg- followed by hex digits');
    c.unique(sgIds, id, ['securityGroups', i, 'id'], 'security group id');
  }
  const securityGroups = rawGroups.map((raw, i): ScenarioSecurityGroup => {
    const p = ['securityGroups', i];
    const g = c.object(raw, p, ['id', 'name', 'description', 'vpc', 'tags', 'ingress', 'egress']);
    const vpc = c.string(g.vpc, [...p, 'vpc']);
    if (!vpcIds.has(vpc)) c.fail([...p, 'vpc'], `VPC '${vpc}' is not declared under vpcs`);
    const rules = (key: 'ingress' | 'egress'): ScenarioRule[] | undefined =>
      g[key] === undefined ? undefined : c.list(g[key], [...p, key]).map((r, j) => {
        const rule = checkRule(c, r, [...p, key, j]);
        if (rule.id) c.unique(ruleIds, rule.id, [...p, key, j, 'id'], 'security group rule id');
        if (rule.sourceGroup && !sgIds.has(rule.sourceGroup)) c.fail([...p, key, j, 'sourceGroup'], `security group '${rule.sourceGroup}' is not declared`);
        return rule;
      });
    return {
      id: g.id as string, name: c.string(g.name, [...p, 'name']), description: c.optString(g.description, [...p, 'description']), vpc,
      tags: c.tags(g.tags, [...p, 'tags']), ingress: rules('ingress'), egress: rules('egress'),
    };
  });

  const instanceIds = new Set<string>();
  const instances = c.list(top.instances, ['instances']).map((raw, i): ScenarioInstance => {
    const p = ['instances', i];
    const n = c.object(raw, p, ['id', 'type', 'ami', 'subnet', 'securityGroups', 'privateIp', 'publicIp', 'state', 'tags', 'launchTime', 'keyName', 'monitoring', 'ebsOptimized',
      'sourceDestCheck', 'disableApiTermination', 'disableApiStop', 'instanceInitiatedShutdownBehavior', 'iamInstanceProfile', 'reservationId', 'rootVolumeId', 'networkInterfaceId']);
    const id = c.string(n.id, [...p, 'id'], idOf('i'), 'i- followed by 8 or 17 hex digits');
    c.unique(instanceIds, id, [...p, 'id'], 'instance id');
    const subnet = c.string(n.subnet, [...p, 'subnet']);
    if (!subnetIds.has(subnet)) c.fail([...p, 'subnet'], `subnet '${subnet}' is not declared under subnets`);
    const groups = n.securityGroups === undefined ? undefined : c.list(n.securityGroups, [...p, 'securityGroups']).map((g, j) => {
      const v = c.string(g, [...p, 'securityGroups', j]);
      if (!sgIds.has(v)) c.fail([...p, 'securityGroups', j], `security group '${v}' is not declared under securityGroups`);
      return v;
    });
    return {
      id, type: c.string(n.type, [...p, 'type'], /^[a-z0-9-]+\.[a-z0-9]+$/, 'e.g. t3.micro'), ami: c.string(n.ami, [...p, 'ami'], idOf('ami')), subnet, securityGroups: groups,
      privateIp: c.optString(n.privateIp, [...p, 'privateIp'], IPV4), publicIp: c.optString(n.publicIp, [...p, 'publicIp'], IPV4),
      state: c.oneOf(n.state, [...p, 'state'], ['running', 'stopped'] as const), tags: c.tags(n.tags, [...p, 'tags']),
      launchTime: c.optString(n.launchTime, [...p, 'launchTime'], ISO, 'ISO 8601 UTC time'), keyName: c.optString(n.keyName, [...p, 'keyName']),
      monitoring: c.optBool(n.monitoring, [...p, 'monitoring']), ebsOptimized: c.optBool(n.ebsOptimized, [...p, 'ebsOptimized']),
      sourceDestCheck: c.optBool(n.sourceDestCheck, [...p, 'sourceDestCheck']), disableApiTermination: c.optBool(n.disableApiTermination, [...p, 'disableApiTermination']),
      disableApiStop: c.optBool(n.disableApiStop, [...p, 'disableApiStop']),
      instanceInitiatedShutdownBehavior: c.oneOf(n.instanceInitiatedShutdownBehavior, [...p, 'instanceInitiatedShutdownBehavior'], ['stop', 'terminate'] as const),
      iamInstanceProfile: c.optString(n.iamInstanceProfile, [...p, 'iamInstanceProfile']), reservationId: c.optString(n.reservationId, [...p, 'reservationId'], idOf('r')),
      rootVolumeId: c.optString(n.rootVolumeId, [...p, 'rootVolumeId'], idOf('vol')), networkInterfaceId: c.optString(n.networkInterfaceId, [...p, 'networkInterfaceId'], idOf('eni')),
    };
  });

  const bucketNames = new Set<string>();
  const buckets = c.list(top.buckets, ['buckets']).map((raw, i): ScenarioBucket => {
    const p = ['buckets', i];
    const b = c.object(raw, p, ['name', 'region', 'creationDate', 'tags', 'versioning', 'encryption', 'policy', 'publicAccessBlock', 'objects', 'replication']);
    const name = c.string(b.name, [...p, 'name'], BUCKET, '3-63 lower-case letters, digits, dots and hyphens');
    c.unique(bucketNames, name, [...p, 'name'], 'bucket');
    let encryption: ScenarioBucket['encryption'];
    if (b.encryption !== undefined) {
      const e = c.object(b.encryption, [...p, 'encryption'], ['algorithm', 'kmsKeyId', 'bucketKeyEnabled']);
      encryption = {
        algorithm: c.oneOf(e.algorithm, [...p, 'encryption', 'algorithm'], ['AES256', 'aws:kms', 'aws:kms:dsse'] as const) ?? c.fail([...p, 'encryption', 'algorithm'], 'required'),
        kmsKeyId: c.optString(e.kmsKeyId, [...p, 'encryption', 'kmsKeyId']), bucketKeyEnabled: c.optBool(e.bucketKeyEnabled, [...p, 'encryption', 'bucketKeyEnabled']),
      };
    }
    const publicAccessBlock = b.publicAccessBlock === undefined ? undefined : publicAccessBlockOf(c, b.publicAccessBlock, [...p, 'publicAccessBlock']);
    let objects: Record<string, string> | undefined;
    if (b.objects !== undefined) {
      const o = c.object(b.objects, [...p, 'objects'], Object.keys((b.objects as object | null) ?? {}));
      objects = {};
      for (const [k, v] of Object.entries(o)) objects[k] = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
    }
    return {
      name, region: regionOf(b.region, [...p, 'region']), creationDate: c.optString(b.creationDate, [...p, 'creationDate'], ISO, 'ISO 8601 UTC time'),
      tags: c.tags(b.tags, [...p, 'tags']), versioning: c.oneOf(b.versioning, [...p, 'versioning'], ['Enabled', 'Suspended'] as const), encryption,
      policy: b.policy === undefined ? undefined : c.policy(b.policy, [...p, 'policy']), publicAccessBlock, objects,
      ...(b.replication !== undefined ? { replication: replicationOf(c, b.replication, [...p, 'replication']) } : {}),
    };
  });
  // Replication needs versioning on both sides, as S3 refuses it otherwise.
  buckets.forEach((b, i) => {
    if (!b.replication) return;
    if (b.versioning !== 'Enabled') c.fail(['buckets', i, 'replication'], 'replication needs versioning: Enabled on the bucket');
    b.replication.rules.forEach((r, j) => {
      const at = ['buckets', i, 'replication', 'rules', j, 'destination'];
      const target = buckets.find((x) => x.name === r.destination) ?? c.fail(at, `bucket '${r.destination}' is not declared under buckets`);
      if (target.versioning !== 'Enabled') c.fail(at, `bucket '${r.destination}' needs versioning: Enabled to receive replicas`);
    });
  });

  const memberNames = new Set(users.map((u) => u.name));
  const groupNames = new Set<string>();
  const groups = c.list(top.groups, ['groups']).map((raw, i): ScenarioGroup => {
    const p = ['groups', i];
    const g = c.object(raw, p, ['name', 'path', 'members', 'policies', 'attachedPolicies']);
    const name = c.string(g.name, [...p, 'name'], /^[\w+=,.@-]{1,128}$/, 'letters, digits and +=,.@_-');
    c.unique(groupNames, name, [...p, 'name'], 'group');
    const members = c.list(g.members, [...p, 'members']).map((m, j) => {
      const user = c.string(m, [...p, 'members', j]);
      if (!memberNames.has(user)) c.fail([...p, 'members', j], `no user named '${user}' in users`);
      return user;
    });
    const policies: Record<string, PolicyDocument> = {};
    if (g.policies !== undefined) {
      const o = c.object(g.policies, [...p, 'policies'], Object.keys((g.policies as object | null) ?? {}));
      for (const [k, v] of Object.entries(o)) policies[k] = c.policy(v, [...p, 'policies', k]);
    }
    return {
      name, path: c.optString(g.path, [...p, 'path'], /^\/([\x21-\x7e]*\/)?$/, 'a path that begins and ends with /'), members, policies,
      attachedPolicies: c.list(g.attachedPolicies, [...p, 'attachedPolicies']).map((a, j) => c.string(a, [...p, 'attachedPolicies', j])),
    };
  });
  const logGroupNames = new Set<string>();
  const logGroups = c.list(top.logGroups, ['logGroups']).map((raw, i): ScenarioLogGroup => {
    const p = ['logGroups', i];
    const g = c.object(raw, p, ['name', 'region', 'retentionInDays', 'kmsKeyId', 'tags']);
    const name = c.string(g.name, [...p, 'name'], /^[.\-_/#A-Za-z0-9]{1,512}$/, 'letters, digits and ._-/#');
    const lgRegion = regionOf(g.region, [...p, 'region']);
    c.unique(logGroupNames, `${lgRegion ?? region}/${name}`, [...p, 'name'], 'log group');
    const days = c.optInt(g.retentionInDays, [...p, 'retentionInDays'], 1, 3653);
    if (days !== undefined && ![1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].includes(days)) {
      c.fail([...p, 'retentionInDays'], `${days} is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, … 3653)`);
    }
    return { name, region: lgRegion, retentionInDays: days, kmsKeyId: c.optString(g.kmsKeyId, [...p, 'kmsKeyId']), tags: c.tags(g.tags, [...p, 'tags']) };
  });
  const queueNames = new Set<string>();
  const queues = c.list(top.queues, ['queues']).map((raw, i): ScenarioQueue => {
    const p = ['queues', i];
    const q = c.object(raw, p, ['name', 'region', 'attributes', 'tags']);
    const name = c.string(q.name, [...p, 'name'], /^[A-Za-z0-9_-]{1,80}$/, '1 to 80 letters, digits, - and _ (FIFO queues are not simulated)');
    const qRegion = regionOf(q.region, [...p, 'region']);
    c.unique(queueNames, `${qRegion ?? region}/${name}`, [...p, 'name'], 'queue');
    return { name, region: qRegion, attributes: c.tags(q.attributes, [...p, 'attributes']), tags: c.tags(q.tags, [...p, 'tags']) };
  });
  const kmsIds = new Set<string>();
  const kmsKeys = c.list(top.kmsKeys, ['kmsKeys']).map((raw, i): ScenarioKmsKey => {
    const p = ['kmsKeys', i];
    const k = c.object(raw, p, ['id', 'region', 'description', 'policy', 'rotation', 'enabled', 'aliases', 'tags']);
    const id = c.optString(k.id, [...p, 'id'], /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a key id (UUID)');
    if (id) c.unique(kmsIds, id, [...p, 'id'], 'KMS key');
    return {
      id, region: regionOf(k.region, [...p, 'region']), description: c.optString(k.description, [...p, 'description']),
      policy: k.policy === undefined ? undefined : c.policy(k.policy, [...p, 'policy']), rotation: c.optBool(k.rotation, [...p, 'rotation']),
      enabled: c.optBool(k.enabled, [...p, 'enabled']),
      aliases: c.list(k.aliases, [...p, 'aliases']).map((a, j) => c.string(a, [...p, 'aliases', j], /^alias\/[a-zA-Z0-9/_-]{1,250}$/, 'alias/<name>')),
      tags: c.tags(k.tags, [...p, 'tags']),
    };
  });
  const zoneNames = new Set<string>();
  const eigwIds = new Set<string>();
  const egressOnlyInternetGateways = c.list(top.egressOnlyInternetGateways, ['egressOnlyInternetGateways']).map((raw, i): ScenarioEgressOnlyInternetGateway => {
    const p = ['egressOnlyInternetGateways', i];
    const g = c.object(raw, p, ['id', 'vpc', 'tags']);
    const id = c.string(g.id, [...p, 'id'], idOf('eigw'), 'eigw- followed by hex digits');
    c.unique(eigwIds, id, [...p, 'id'], 'egress-only internet gateway id');
    const vpc = c.string(g.vpc, [...p, 'vpc']);
    if (!vpcIds.has(vpc)) c.fail([...p, 'vpc'], `VPC '${vpc}' is not declared under vpcs`);
    return { id, vpc, tags: c.tags(g.tags, [...p, 'tags']) };
  });
  const vpceIds = new Set<string>();
  const vpcEndpoints = c.list(top.vpcEndpoints, ['vpcEndpoints']).map((raw, i): ScenarioVpcEndpoint => {
    const p = ['vpcEndpoints', i];
    const e = c.object(raw, p, ['id', 'vpc', 'serviceName', 'type', 'routeTables', 'tags']);
    const id = c.string(e.id, [...p, 'id'], idOf('vpce'), 'vpce- followed by hex digits');
    c.unique(vpceIds, id, [...p, 'id'], 'VPC endpoint id');
    const vpc = c.string(e.vpc, [...p, 'vpc']);
    if (!vpcIds.has(vpc)) c.fail([...p, 'vpc'], `VPC '${vpc}' is not declared under vpcs`);
    const routeTables = c.list(e.routeTables, [...p, 'routeTables']).map((t, j) => {
      const table = c.string(t, [...p, 'routeTables', j], idOf('rtb'), 'rtb- followed by hex digits');
      if (!rtbIds.has(table)) c.fail([...p, 'routeTables', j], `route table '${table}' is not declared under routeTables`);
      return table;
    });
    return {
      id, vpc, serviceName: c.string(e.serviceName, [...p, 'serviceName'], /^com\.amazonaws\.[a-z0-9-]+\.[a-z0-9.-]+$/, 'com.amazonaws.<region>.<service>'),
      type: c.oneOf(e.type, [...p, 'type'], ['Gateway', 'Interface'] as const), routeTables, tags: c.tags(e.tags, [...p, 'tags']),
    };
  });
  const flowLogIds = new Set<string>();
  const watchedSubnets = new Set(subnets.map((sn) => sn.id));
  const flowLogs = c.list(top.flowLogs, ['flowLogs']).map((raw, i): ScenarioFlowLog => {
    const p = ['flowLogs', i];
    const f = c.object(raw, p, ['id', 'resource', 'logGroupName', 'role', 'trafficType', 'tags']);
    const id = c.string(f.id, [...p, 'id'], idOf('fl'), 'fl- followed by hex digits');
    c.unique(flowLogIds, id, [...p, 'id'], 'flow log id');
    const resource = c.string(f.resource, [...p, 'resource']);
    if (!vpcIds.has(resource) && !watchedSubnets.has(resource)) c.fail([...p, 'resource'], `'${resource}' is not a VPC or subnet declared in this scenario`);
    return {
      id, resource, logGroupName: c.string(f.logGroupName, [...p, 'logGroupName']), role: c.string(f.role, [...p, 'role'], /^arn:aws:iam::\d{12}:role\/.+$/, 'an IAM role ARN'),
      trafficType: c.oneOf(f.trafficType, [...p, 'trafficType'], ['ACCEPT', 'REJECT', 'ALL'] as const), tags: c.tags(f.tags, [...p, 'tags']),
    };
  });

  const pcxIds = new Set<string>();
  const vpcPeeringConnections = c.list(top.vpcPeeringConnections, ['vpcPeeringConnections']).map((raw, i): ScenarioVpcPeeringConnection => {
    const p = ['vpcPeeringConnections', i];
    const x = c.object(raw, p, ['id', 'vpc', 'peerVpc', 'requesterOwner', 'peerOwner', 'status', 'requesterAllowDns', 'accepterAllowDns', 'tags']);
    const id = c.string(x.id, [...p, 'id'], idOf('pcx'), 'pcx- followed by hex digits');
    c.unique(pcxIds, id, [...p, 'id'], 'VPC peering connection id');
    const owner = (v: unknown, f: string): string | undefined => {
      const o = c.optString(typeof v === 'number' ? String(v) : v, [...p, f], ACCOUNT, '12 digits, quoted in YAML');
      return o === account ? undefined : o;
    };
    const requesterOwner = owner(x.requesterOwner, 'requesterOwner');
    const peerOwner = owner(x.peerOwner, 'peerOwner');
    if (requesterOwner && peerOwner) c.fail([...p, 'peerOwner'], 'one side must be in this account: set requesterOwner or peerOwner, not both');
    const vpc = c.string(x.vpc, [...p, 'vpc'], idOf('vpc'), 'vpc- followed by hex digits');
    const peerVpc = c.string(x.peerVpc, [...p, 'peerVpc'], idOf('vpc'), 'vpc- followed by hex digits');
    if (vpc === peerVpc) c.fail([...p, 'peerVpc'], 'a VPC cannot peer with itself');
    if (!requesterOwner && !vpcIds.has(vpc)) c.fail([...p, 'vpc'], `VPC '${vpc}' is not declared under vpcs (set requesterOwner when another account requested the connection)`);
    if (!peerOwner && !vpcIds.has(peerVpc)) c.fail([...p, 'peerVpc'], `VPC '${peerVpc}' is not declared under vpcs (set peerOwner when the peer is in another account)`);
    const status = c.oneOf(x.status, [...p, 'status'], ['pending-acceptance', 'active'] as const);
    const requesterAllowDns = c.optBool(x.requesterAllowDns, [...p, 'requesterAllowDns']);
    const accepterAllowDns = c.optBool(x.accepterAllowDns, [...p, 'accepterAllowDns']);
    if (status !== 'active' && (requesterAllowDns || accepterAllowDns)) c.fail([...p, 'status'], 'peering options exist only on an active connection (status: active)');
    return { id, vpc, peerVpc, requesterOwner, peerOwner, status, requesterAllowDns, accepterAllowDns, tags: c.tags(x.tags, [...p, 'tags']) };
  });

  const hostedZones = c.list(top.hostedZones, ['hostedZones']).map((raw, i): ScenarioHostedZone => {
    const p = ['hostedZones', i];
    const z = c.object(raw, p, ['id', 'name', 'comment', 'tags', 'records']);
    const name = c.string(z.name, [...p, 'name'], /^[a-zA-Z0-9.-]+\.?$/, 'a domain name');
    c.unique(zoneNames, name.toLowerCase().replace(/\.$/, ''), [...p, 'name'], 'hosted zone');
    const records = c.list(z.records, [...p, 'records']).map((r, j): ScenarioRecord => {
      const rp = [...p, 'records', j];
      const o = c.object(r, rp, ['name', 'type', 'ttl', 'values']);
      const values = c.list(o.values, [...rp, 'values']).map((v, n) => c.string(v, [...rp, 'values', n]));
      if (!values.length) c.fail([...rp, 'values'], 'at least one value is required');
      return {
        name: c.string(o.name, [...rp, 'name']),
        type: c.oneOf(o.type, [...rp, 'type'], ['A', 'AAAA', 'CAA', 'CNAME', 'MX', 'NS', 'PTR', 'SPF', 'SRV', 'TXT'] as const) ?? c.fail([...rp, 'type'], 'required'),
        ttl: c.optInt(o.ttl, [...rp, 'ttl'], 0, 2147483647), values,
      };
    });
    return { id: c.optString(z.id, [...p, 'id'], /^Z[A-Z0-9]{1,31}$/, 'Z followed by upper-case letters and digits'), name, comment: c.optString(z.comment, [...p, 'comment']), tags: c.tags(z.tags, [...p, 'tags']), records };
  });

  return {
    account, region, regions: allRegions, epoch, limits, faults,
    managedPolicies, users, roles, vpcs, subnets, securityGroups, internetGateways, routeTables, instances, buckets,
    ...(egressOnlyInternetGateways.length ? { egressOnlyInternetGateways } : {}), ...(vpcEndpoints.length ? { vpcEndpoints } : {}), ...(flowLogs.length ? { flowLogs } : {}),
    ...(vpcPeeringConnections.length ? { vpcPeeringConnections } : {}),
    groups, logGroups, kmsKeys, hostedZones, ...(queues.length ? { queues } : {}),
    ...(top.accountPublicAccessBlock !== undefined ? { accountPublicAccessBlock: publicAccessBlockOf(c, top.accountPublicAccessBlock, ['accountPublicAccessBlock']) } : {}),
  };
}

/** A bucket's or the account's public access block: four flags, each false unless set. */
function publicAccessBlockOf(c: Checker, raw: unknown, p: Path): ScenarioPublicAccessBlock {
  const keys = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;
  const a = c.object(raw, p, keys);
  const flag = (k: (typeof keys)[number]): boolean => c.optBool(a[k], [...p, k]) ?? false;
  return { blockPublicAcls: flag('blockPublicAcls'), ignorePublicAcls: flag('ignorePublicAcls'), blockPublicPolicy: flag('blockPublicPolicy'), restrictPublicBuckets: flag('restrictPublicBuckets') };
}

function replicationOf(c: Checker, raw: unknown, p: Path): NonNullable<ScenarioBucket['replication']> {
  const r = c.object(raw, p, ['role', 'rules']);
  const ids = new Set<string>();
  const rules = c.list(r.rules, [...p, 'rules']).map((rawRule, j): ScenarioReplicationRule => {
    const rp = [...p, 'rules', j];
    const o = c.object(rawRule, rp, ['id', 'priority', 'prefix', 'status', 'destination', 'storageClass', 'deleteMarkerReplication']);
    const id = c.string(o.id, [...rp, 'id'], /^.{1,255}$/, '1 to 255 characters');
    c.unique(ids, id, [...rp, 'id'], 'replication rule id');
    return {
      id, priority: c.optInt(o.priority, [...rp, 'priority'], 0, 2147483647), prefix: c.optString(o.prefix, [...rp, 'prefix']),
      status: c.oneOf(o.status, [...rp, 'status'], ['Enabled', 'Disabled'] as const), destination: c.string(o.destination, [...rp, 'destination']),
      storageClass: c.oneOf(o.storageClass, [...rp, 'storageClass'], ['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR'] as const),
      deleteMarkerReplication: c.oneOf(o.deleteMarkerReplication, [...rp, 'deleteMarkerReplication'], ['Enabled', 'Disabled'] as const),
    };
  });
  if (!rules.length) c.fail([...p, 'rules'], 'at least one rule is required');
  return { role: c.string(r.role, [...p, 'role'], /^arn:aws:iam::\d{12}:role\/.+$/, 'an IAM role ARN'), rules };
}

/** Parses and validates scenario text; JSON goes through JSON.parse (fast for large generated files). */
export function parseScenario(text: string, source: string): Scenario {
  const isJson = /\.json$/i.test(source) || /^\s*\{/.test(text);
  let lineCounter: LineCounter | undefined;
  let doc: ReturnType<typeof parseDocument> | undefined;
  const yamlDoc = (): ReturnType<typeof parseDocument> => {
    if (!doc) {
      lineCounter = new LineCounter();
      doc = parseDocument(text, { lineCounter, prettyErrors: false });
    }
    return doc;
  };
  // The line of a field is the line of its key (for mappings) or of the item (for lists).
  const locate: Locate = (path) => {
    let node: unknown = yamlDoc().contents;
    let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return undefined;
        offset = (pair.key as { range?: [number] }).range?.[0];
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        offset = (node as { range?: [number] } | undefined)?.range?.[0];
      } else return undefined;
    }
    return offset !== undefined && lineCounter ? lineCounter.linePos(offset).line : undefined;
  };
  let raw: unknown;
  if (isJson) {
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new ScenarioError(`${source}: not valid JSON: ${(err as Error).message}`);
    }
  } else {
    const d = yamlDoc();
    if (d.errors.length) {
      const e = d.errors[0]!;
      const line = lineCounter?.linePos(e.pos[0]).line;
      throw new ScenarioError(`${source}${line ? `:${line}` : ''}: not valid YAML: ${e.message.split('\n')[0]}`);
    }
    raw = d.toJS({ maxAliasCount: 1000 });
  }
  return validateScenario(raw, source, locate);
}

export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioError(`${file}: cannot read scenario file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseScenario(text, file);
}
