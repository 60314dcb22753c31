// Synthetic Terraform workspaces of any size, deterministic from a seed: the .tf files, a matching
// terraform.tfstate (v4) and the matching sandbox scenario, so `tidemark check` against the sandbox
// finds exactly the drift that was asked for (none by default).
//
// Resources come in 53-resource cells that look like a small production estate: one VPC with three
// subnets, security groups with inline rules and with standalone rule resources, instances, S3
// buckets with versioning/encryption/policy, IAM roles with inline policies, an internet gateway and
// a route table with aws_route routes and a subnet association, an SQS queue with its policy, a
// bucket's public access block, a log group, a customer managed policy attached to a role, a KMS
// key with an alias, a Route 53 zone with records, and (once) the account's S3 public access block. A cell is emitted in
// dependency order, so a truncated cell (any size) stays consistent
// and covers every type from 53 resources on.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type {
  Scenario, ScenarioBucket, ScenarioHostedZone, ScenarioKmsKey, ScenarioLogGroup, ScenarioManagedPolicy, ScenarioEgressOnlyInternetGateway, ScenarioFlowLog, ScenarioQueue, ScenarioVpcEndpoint, ScenarioInstance, ScenarioInternetGateway, ScenarioRole, ScenarioRouteTable, ScenarioSecurityGroup, ScenarioSubnet, ScenarioVpc,
} from '../sandbox/src/index';
import { SEEDERS } from './seed/index';
import { ACCOUNT, DEFAULT_TAGS, prng, REGION } from './seed/seeder';

export { ACCOUNT, DEFAULT_TAGS, REGION };

type Kind = 'vpc' | 'subnet' | 'sg' | 'sgr' | 'ingress' | 'egress' | 'bucket' | 'versioning' | 'encryption' | 'bucket_policy' | 'role' | 'role_policy' | 'instance'
  | 'igw' | 'rtb' | 'route' | 'rtb_assoc' | 'eigw' | 'vpce' | 'flow_log' | 'queue' | 'queue_policy'
  | 'pab' | 'log_group' | 'iam_policy' | 'role_attachment' | 'kms_key' | 'kms_alias' | 'zone' | 'record' | 'account_pab';

/**
 * Every kind of generated resource: its Terraform type, the file its blocks go to (unless
 * everything goes to one file), and whether AWS serves it globally rather than per region.
 * Adding a type is one row here, its place in CELL and its emitter below.
 */
const KINDS: Record<Kind, { type: string; file: string; global?: boolean }> = {
  vpc: { type: 'aws_vpc', file: 'network' },
  subnet: { type: 'aws_subnet', file: 'network' },
  sg: { type: 'aws_security_group', file: 'network' },
  sgr: { type: 'aws_security_group', file: 'network' },
  ingress: { type: 'aws_vpc_security_group_ingress_rule', file: 'network' },
  egress: { type: 'aws_vpc_security_group_egress_rule', file: 'network' },
  igw: { type: 'aws_internet_gateway', file: 'network' },
  rtb: { type: 'aws_route_table', file: 'network' },
  route: { type: 'aws_route', file: 'network' },
  rtb_assoc: { type: 'aws_route_table_association', file: 'network' },
  eigw: { type: 'aws_egress_only_internet_gateway', file: 'network' },
  vpce: { type: 'aws_vpc_endpoint', file: 'network' },
  flow_log: { type: 'aws_flow_log', file: 'network' },
  bucket: { type: 'aws_s3_bucket', file: 'storage' },
  versioning: { type: 'aws_s3_bucket_versioning', file: 'storage' },
  encryption: { type: 'aws_s3_bucket_server_side_encryption_configuration', file: 'storage' },
  bucket_policy: { type: 'aws_s3_bucket_policy', file: 'storage' },
  pab: { type: 'aws_s3_bucket_public_access_block', file: 'storage' },
  account_pab: { type: 'aws_s3_account_public_access_block', file: 'storage', global: true },
  role: { type: 'aws_iam_role', file: 'iam', global: true },
  role_policy: { type: 'aws_iam_role_policy', file: 'iam', global: true },
  iam_policy: { type: 'aws_iam_policy', file: 'iam', global: true },
  role_attachment: { type: 'aws_iam_role_policy_attachment', file: 'iam', global: true },
  instance: { type: 'aws_instance', file: 'compute' },
  queue: { type: 'aws_sqs_queue', file: 'messaging' },
  queue_policy: { type: 'aws_sqs_queue_policy', file: 'messaging' },
  log_group: { type: 'aws_cloudwatch_log_group', file: 'observability' },
  kms_key: { type: 'aws_kms_key', file: 'security' },
  kms_alias: { type: 'aws_kms_alias', file: 'security' },
  zone: { type: 'aws_route53_zone', file: 'dns', global: true },
  record: { type: 'aws_route53_record', file: 'dns', global: true },
};

/** One cell, in dependency order; `account_pab` is the account's one block: later cells put an instance in its place. */
const CELL: Kind[] = [
  'vpc', 'subnet', 'subnet', 'subnet', 'sg', 'sgr', 'ingress', 'egress', 'bucket', 'versioning', 'encryption', 'bucket_policy', 'role', 'role_policy',
  'igw', 'rtb', 'route', 'route', 'rtb_assoc', 'eigw', 'vpce', 'flow_log',
  ...Array<Kind>(4).fill('instance'),
  'sg', 'sg', 'sg', 'sgr', 'ingress', 'egress',
  'pab', 'log_group', 'iam_policy', 'role_attachment', 'kms_key', 'kms_alias', 'zone', 'record', 'record',
  ...Array<Kind>(4).fill('instance'),
  'bucket', 'versioning', 'encryption', 'role', 'role_policy',
  'queue', 'queue_policy', 'account_pab',
];

export const TERRAFORM_TYPE = Object.fromEntries(Object.entries(KINDS).map(([kind, k]) => [kind, k.type])) as Record<Kind, string>;

export interface GenerateOptions {
  resources: number;
  seed?: number;
  /** How many resources differ live from the code (instance types and bucket tags, spread evenly). */
  drifted?: number;
  /** All blocks in main.tf (the keystroke benchmark); otherwise per-area files of ≤ 500 resources. */
  singleFile?: boolean;
  /**
   * Real repositories' shape: every cell after the first is a local child module
   * (`module "cell_N" { source = "./modules/cell_N" }`), so most resources sit in modules.
   */
  modules?: boolean;
  /** A second region: every other cell lives there, through `provider "aws" { alias = "west" }` (`providers = { aws = aws.west }` on module calls). */
  secondRegion?: string;
  /**
   * Every supported type: part of the requested count (`seedShare`, default 0.3) is left to the
   * seeders of API-only types (`bench/seed`), which `seedWorkspace` fills against the running
   * sandbox, so the total stays what was asked. The reader may read, the admin seed, every type.
   */
  everyType?: boolean;
  seedShare?: number;
}

/** Where a seeded unit may go: the generator's cells (root or child module, region, provider alias). */
export interface SeedCell {
  module: string;
  alias?: string;
  region: string;
}

/** What `seedWorkspace` needs to add seeded units to a generated workspace. */
export interface SeedPlan {
  seed: number;
  /** Resources left to the seeders (the requested count minus the generated ones). */
  budget: number;
  cells: SeedCell[];
  singleFile: boolean;
}

export interface DriftedResource {
  address: string;
  attribute: string;
}

export interface GeneratedWorkspace {
  /** File name → text (.tf files and terraform.tfstate). */
  files: Map<string, string>;
  scenario: Scenario;
  /** Addresses in generation order. */
  addresses: string[];
  byType: Record<string, number>;
  /** Address → the file its block is in. */
  fileOf: Map<string, string>;
  drifted: DriftedResource[];
  /** Resources per region, then per type (for lower bounds of per-region reads). */
  byRegion: Record<string, Record<string, number>>;
  /** A principal allowed to read everything and one allowed to change things (benchmarks change live state). */
  reader: { accessKeyId: string; secretAccessKey: string };
  admin: { accessKeyId: string; secretAccessKey: string };
  /** Set with `everyType`: the share of the workspace the seeders fill. */
  seeding?: SeedPlan;
}


const hex = (n: number, width = 17) => n.toString(16).padStart(width, '0');
const INSTANCE_TYPES = ['t3.micro', 't3.small', 't3.medium', 'm5.large', 'c5.xlarge'];
const AMIS = ['ami-0c7217cdde317cfec', 'ami-0fc5d935ebf8bc3bc', 'ami-053b0d53c279acc90'];
const TEAMS = ['web', 'app', 'data', 'platform', 'payments'];
const PORTS = [22, 80, 443, 5432, 6379, 8080, 9090];

/** Access keys derived from the seed at run time, so no key-shaped literal lives in the repository. */
function keyPair(label: string, seed: number): { accessKeyId: string; secretAccessKey: string } {
  const id = `AKIA${label.toUpperCase()}${hex(seed, 8).toUpperCase()}`.padEnd(20, 'X').slice(0, 20);
  return { accessKeyId: id, secretAccessKey: `bench+${label}+${seed}+wJalrXUtnFEMIK7MDENG` };
}

const tagLines = (tags: Record<string, string>, indent = '  ') =>
  `${indent}tags = {\n${Object.entries(tags).map(([k, v]) => `${indent}  ${k.padEnd(5)} = "${v}"`).join('\n')}\n${indent}}\n`;

/** Where a resource lives: root or a child module, and through which provider configuration. */
interface Placement {
  module: string;
  alias?: string;
}

function stateResource(type: string, name: string, attributes: Record<string, unknown>, dependencies: string[] = [], at: Placement = { module: '' }) {
  const prefix = at.module ? `${at.module}.` : '';
  return {
    ...(at.module ? { module: at.module } : {}),
    mode: 'managed', type, name, provider: `provider["registry.terraform.io/hashicorp/aws"]${at.alias ? `.${at.alias}` : ''}`,
    instances: [{ schema_version: 0, attributes, sensitive_attributes: [], ...(dependencies.length ? { dependencies: dependencies.map((d) => prefix + d) } : {}) }],
  };
}

export function generateWorkspace(options: GenerateOptions): GeneratedWorkspace {
  const seed = options.seed ?? 1;
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const requested = Math.max(0, Math.floor(options.resources));
  const budget = options.everyType ? Math.round(requested * (options.seedShare ?? 0.3)) : 0;
  const total = requested - budget;
  const cells: SeedCell[] = [];
  const driftEvery = options.drifted ? Math.max(1, Math.floor(total / options.drifted)) : 0;
  const reader = keyPair('reader', seed);
  const admin = keyPair('admin', seed);

  const blocks = new Map<string, string[]>();
  const fileOf = new Map<string, string>();
  // The placement of the resource being generated (set per cell in the loop below).
  let at: Placement = { module: '' };
  let region = REGION;
  const moduleCalls: string[] = [];
  const byRegion: Record<string, Record<string, number>> = {};
  const addBlock = (kind: Kind, rawText: string, index: number) => {
    const cell = at.module.replace(/^module\./, '');
    // A root resource in the second region names its provider configuration itself.
    const text = !at.module && at.alias ? rawText.replace(/\n/, `\n  provider = aws.${at.alias}\n\n`) : rawText;
    const file = cell ? `modules/${cell}/main.tf` : options.singleFile ? 'main.tf' : `${KINDS[kind].file}${Math.floor(index / 500) ? `_${Math.floor(index / 500)}` : ''}.tf`;
    fileOf.set(`${at.module ? `${at.module}.` : ''}${TERRAFORM_TYPE[kind]}.${kind}_${index}`, file);
    let list = blocks.get(file);
    if (!list) blocks.set(file, (list = []));
    list.push(text);
  };
  const resources: unknown[] = [];
  const addresses: string[] = [];
  const byType: Record<string, number> = {};
  const drifted: DriftedResource[] = [];
  const vpcs: ScenarioVpc[] = [];
  const subnets: ScenarioSubnet[] = [];
  const groups: ScenarioSecurityGroup[] = [];
  const instances: ScenarioInstance[] = [];
  const buckets: ScenarioBucket[] = [];
  const roles: ScenarioRole[] = [];
  const internetGateways: ScenarioInternetGateway[] = [];
  const routeTables: ScenarioRouteTable[] = [];
  const egressOnlyInternetGateways: ScenarioEgressOnlyInternetGateway[] = [];
  const vpcEndpoints: ScenarioVpcEndpoint[] = [];
  const flowLogs: ScenarioFlowLog[] = [];
  const queues: ScenarioQueue[] = [];
  const logGroups: ScenarioLogGroup[] = [];
  const managedPolicies: ScenarioManagedPolicy[] = [];
  const kmsKeys: ScenarioKmsKey[] = [];
  const hostedZones: ScenarioHostedZone[] = [];
  let accountPublicAccessBlock: Scenario['accountPublicAccessBlock'];
  let iamPolicy: { name: string; arn: string } | undefined;
  let kmsKey: { name: string; id: string; live: ScenarioKmsKey } | undefined;
  let zone: { name: string; id: string; domain: string; live: ScenarioHostedZone } | undefined;
  let queue: { name: string; live: ScenarioQueue; url: string; arn: string } | undefined;
  const counters: Partial<Record<Kind, number>> = {};

  // The latest object of each kind in the current cell, for references.
  let vpc: { name: string; id: string; octet: number } | undefined;
  const cellSubnets: Array<{ name: string; id: string; cidr: string; az: string }> = [];
  let sgInline: { name: string; id: string } | undefined;
  let sgStandalone: { name: string; group: ScenarioSecurityGroup } | undefined;
  let bucket: { name: string; live: ScenarioBucket } | undefined;
  let role: { name: string; live: ScenarioRole } | undefined;
  let igw: { name: string; id: string } | undefined;
  let rtb: { name: string; live: ScenarioRouteTable; state: Record<string, unknown> } | undefined;
  let ruleSeq = 0;
  const arn = (what: string) => `arn:aws:ec2:${region}:${ACCOUNT}:${what}`;
  const placed = (type: string, name: string, attributes: Record<string, unknown>, dependencies: string[] = []) => stateResource(type, name, attributes, dependencies, at);

  for (let i = 0; i < total; i++) {
    const cellIndex = Math.floor(i / CELL.length);
    // An account has one S3 public access block: only the first cell declares it.
    const kind: Kind = CELL[i % CELL.length] === 'account_pab' && cellIndex > 0 ? 'instance' : CELL[i % CELL.length]!;
    if (i % CELL.length === 0) {
      const west = Boolean(options.secondRegion) && cellIndex % 2 === 1;
      at = { module: options.modules && cellIndex > 0 ? `module.cell_${cellIndex}` : '', ...(west ? { alias: 'west' } : {}) };
      region = west ? options.secondRegion! : REGION;
      cells.push({ ...at, region });
      if (at.module) moduleCalls.push(`module "cell_${cellIndex}" {\n  source = "./modules/cell_${cellIndex}"\n${west ? '\n  providers = {\n    aws = aws.west\n  }\n' : ''}}\n`);
    }
    const n = (counters[kind] = (counters[kind] ?? 0) + 1);
    const name = `${kind}_${n}`;
    const type = TERRAFORM_TYPE[kind];
    const address = `${at.module ? `${at.module}.` : ''}${type}.${name}`;
    const regionTypes = (byRegion[KINDS[kind].global ? 'global' : region] ??= {});
    regionTypes[type] = (regionTypes[type] ?? 0) + 1;
    const drift = driftEvery > 0 && drifted.length < (options.drifted ?? 0) && (kind === 'instance' || kind === 'bucket') && i >= drifted.length * driftEvery;
    const team = pick(TEAMS);
    const tags = { Name: `bench-${name.replace(/_/g, '-')}`, Team: team };
    const tagsAll = { ...tags, ...DEFAULT_TAGS };
    addresses.push(address);
    byType[type] = (byType[type] ?? 0) + 1;

    switch (kind) {
      case 'vpc': {
        const octet = (n - 1) % 250;
        vpc = { name, id: `vpc-${hex(n)}`, octet };
        cellSubnets.length = 0;
        const cidr = `10.${octet}.0.0/16`;
        vpcs.push({ id: vpc.id, cidrBlock: cidr, ...(region !== REGION ? { region } : {}), enableDnsSupport: true, enableDnsHostnames: true, tags: tagsAll });
        addBlock(kind, `resource "aws_vpc" "${name}" {\n  cidr_block           = "${cidr}"\n  enable_dns_support   = true\n  enable_dns_hostnames = true\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, { id: vpc.id, arn: arn(`vpc/${vpc.id}`), cidr_block: cidr, enable_dns_support: true, enable_dns_hostnames: true, instance_tenancy: 'default', owner_id: ACCOUNT, tags, tags_all: tagsAll }));
        break;
      }
      case 'subnet': {
        const k = cellSubnets.length;
        const s = { name, id: `subnet-${hex(n)}`, cidr: `10.${vpc!.octet}.${k}.0/24`, az: `${region}${'abc'[k % 3]}` };
        cellSubnets.push(s);
        subnets.push({ id: s.id, vpc: vpc!.id, cidrBlock: s.cidr, availabilityZone: s.az, mapPublicIpOnLaunch: k === 0, tags: tagsAll });
        addBlock(kind, `resource "aws_subnet" "${name}" {\n  vpc_id                  = aws_vpc.${vpc!.name}.id\n  cidr_block              = "${s.cidr}"\n  availability_zone       = "${s.az}"\n  map_public_ip_on_launch = ${k === 0}\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, { id: s.id, arn: arn(`subnet/${s.id}`), vpc_id: vpc!.id, cidr_block: s.cidr, availability_zone: s.az, map_public_ip_on_launch: k === 0, owner_id: ACCOUNT, tags, tags_all: tagsAll }, [`aws_vpc.${vpc!.name}`]));
        break;
      }
      case 'sg': {
        const id = `sg-${hex(2 * n)}`;
        sgInline = { name, id };
        const ports = [pick(PORTS), pick(PORTS)].filter((p, j, all) => all.indexOf(p) === j);
        const groupName = `bench-${name.replace(/_/g, '-')}`;
        groups.push({
          id, name: groupName, description: `Group ${n}`, vpc: vpc!.id, tags: tagsAll,
          ingress: ports.map((p) => ({ id: `sgr-${hex(++ruleSeq)}`, protocol: 'tcp', fromPort: p, toPort: p, cidr: '10.0.0.0/8', description: `port ${p}` })),
          egress: [{ id: `sgr-${hex(++ruleSeq)}`, protocol: '-1', cidr: '0.0.0.0/0' }],
        });
        const ingress = ports.map((p) => `  ingress {\n    description = "port ${p}"\n    from_port   = ${p}\n    to_port     = ${p}\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n`).join('\n');
        addBlock(kind, `resource "aws_security_group" "${name}" {\n  name        = "${groupName}"\n  description = "Group ${n}"\n  vpc_id      = aws_vpc.${vpc!.name}.id\n\n${ingress}\n  egress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n\n${tagLines(tags)}}\n`, n);
        const rule = (p: number | string, proto: string, cidr: string, description: string) => ({
          cidr_blocks: [cidr], description, from_port: p, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: proto, security_groups: [], self: false, to_port: p,
        });
        resources.push(placed(type, name, {
          id, arn: arn(`security-group/${id}`), name: groupName, description: `Group ${n}`, vpc_id: vpc!.id, owner_id: ACCOUNT, tags, tags_all: tagsAll,
          ingress: ports.map((p) => rule(p, 'tcp', '10.0.0.0/8', `port ${p}`)), egress: [rule(0, '-1', '0.0.0.0/0', '')],
        }, [`aws_vpc.${vpc!.name}`]));
        break;
      }
      case 'sgr': {
        // A group whose rules are separate resources (the style AWS's provider now recommends).
        const nIndex = counters.sg ?? 0;
        const id = `sg-${hex(2 * (nIndex + n) + 1)}`;
        const groupName = `bench-${name.replace(/_/g, '-')}`;
        const group: ScenarioSecurityGroup = { id, name: groupName, description: `Standalone rules ${n}`, vpc: vpc!.id, tags: tagsAll, ingress: [], egress: [] };
        groups.push(group);
        sgStandalone = { name, group };
        addBlock(kind, `resource "aws_security_group" "${name}" {\n  name        = "${groupName}"\n  description = "Standalone rules ${n}"\n  vpc_id      = aws_vpc.${vpc!.name}.id\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, { id, arn: arn(`security-group/${id}`), name: groupName, description: `Standalone rules ${n}`, vpc_id: vpc!.id, owner_id: ACCOUNT, tags, tags_all: tagsAll, ingress: [], egress: [] }, [`aws_vpc.${vpc!.name}`]));
        break;
      }
      case 'ingress':
      case 'egress': {
        const id = `sgr-${hex(++ruleSeq)}`;
        const port = kind === 'ingress' ? pick(PORTS) : undefined;
        const proto = kind === 'ingress' ? 'tcp' : '-1';
        const cidr = kind === 'ingress' ? '10.0.0.0/8' : '0.0.0.0/0';
        const description = kind === 'ingress' ? `port ${port}` : 'all outbound';
        const ruleTags = { Name: tags.Name };
        const live = { id, protocol: proto, ...(port !== undefined ? { fromPort: port, toPort: port } : {}), cidr, description, tags: { ...ruleTags, ...DEFAULT_TAGS } };
        (kind === 'ingress' ? sgStandalone!.group.ingress! : sgStandalone!.group.egress!).push(live);
        const ports = port !== undefined ? `  from_port         = ${port}\n  to_port           = ${port}\n` : '';
        addBlock(kind, `resource "${type}" "${name}" {\n  security_group_id = aws_security_group.${sgStandalone!.name}.id\n  description       = "${description}"\n  ip_protocol       = "${proto}"\n${ports}  cidr_ipv4         = "${cidr}"\n\n${tagLines(ruleTags)}}\n`, n);
        resources.push(placed(type, name, {
          id, security_group_rule_id: id, arn: arn(`security-group-rule/${id}`), security_group_id: sgStandalone!.group.id, description, ip_protocol: proto,
          ...(port !== undefined ? { from_port: port, to_port: port } : {}), cidr_ipv4: cidr, tags: ruleTags, tags_all: { ...ruleTags, ...DEFAULT_TAGS },
        }, [`aws_security_group.${sgStandalone!.name}`]));
        break;
      }
      case 'igw': {
        igw = { name, id: `igw-${hex(n)}` };
        internetGateways.push({ id: igw.id, vpc: vpc!.id, tags: tagsAll });
        addBlock(kind, `resource "aws_internet_gateway" "${name}" {\n  vpc_id = aws_vpc.${vpc!.name}.id\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, { id: igw.id, arn: arn(`internet-gateway/${igw.id}`), owner_id: ACCOUNT, vpc_id: vpc!.id, tags, tags_all: tagsAll, timeouts: null }, [`aws_vpc.${vpc!.name}`]));
        break;
      }
      case 'rtb': {
        // A table whose routes are aws_route resources (no inline route blocks).
        const id = `rtb-${hex(n)}`;
        const live: ScenarioRouteTable = { id, vpc: vpc!.id, routes: [], subnets: [], tags: tagsAll };
        routeTables.push(live);
        addBlock(kind, `resource "aws_route_table" "${name}" {\n  vpc_id = aws_vpc.${vpc!.name}.id\n\n${tagLines(tags)}}\n`, n);
        const state = { id, arn: arn(`route-table/${id}`), owner_id: ACCOUNT, propagating_vgws: [], route: [] as unknown[], tags, tags_all: tagsAll, timeouts: null, vpc_id: vpc!.id };
        rtb = { name, live, state };
        resources.push(placed(type, name, state, [`aws_vpc.${vpc!.name}`]));
        break;
      }
      case 'route': {
        const k = rtb!.live.routes!.length;
        const destination = k === 0 ? '0.0.0.0/0' : `172.16.${(n % 250)}.0/24`;
        rtb!.live.routes!.push({ destination, gateway: igw!.id });
        const empty = { carrier_gateway_id: '', core_network_arn: '', egress_only_gateway_id: '', local_gateway_id: '', nat_gateway_id: '', network_interface_id: '', transit_gateway_id: '', vpc_endpoint_id: '', vpc_peering_connection_id: '' };
        (rtb!.state.route as unknown[]).push({ ...empty, cidr_block: destination, ipv6_cidr_block: '', destination_prefix_list_id: '', gateway_id: igw!.id });
        addBlock(kind, `resource "aws_route" "${name}" {\n  route_table_id         = aws_route_table.${rtb!.name}.id\n  destination_cidr_block = "${destination}"\n  gateway_id             = aws_internet_gateway.${igw!.name}.id\n}\n`, n);
        resources.push(placed(type, name, {
          ...empty, id: `r-${rtb!.live.id}${1080289494 + n}`, route_table_id: rtb!.live.id, destination_cidr_block: destination, destination_ipv6_cidr_block: '', destination_prefix_list_id: '',
          gateway_id: igw!.id, instance_id: '', instance_owner_id: '', origin: 'CreateRoute', state: 'active', timeouts: null,
        }, [`aws_internet_gateway.${igw!.name}`, `aws_route_table.${rtb!.name}`]));
        break;
      }
      case 'rtb_assoc': {
        const id = `rtbassoc-${hex(n)}`;
        const subnet = cellSubnets[0];
        rtb!.live.subnets!.push({ subnet: subnet.id, id });
        addBlock(kind, `resource "aws_route_table_association" "${name}" {\n  subnet_id      = aws_subnet.${subnet.name}.id\n  route_table_id = aws_route_table.${rtb!.name}.id\n}\n`, n);
        resources.push(placed(type, name, { id, gateway_id: '', route_table_id: rtb!.live.id, subnet_id: subnet.id, timeouts: null }, [`aws_route_table.${rtb!.name}`, `aws_subnet.${subnet.name}`]));
        break;
      }
      case 'eigw': {
        const id = `eigw-${hex(n)}`;
        egressOnlyInternetGateways.push({ id, vpc: vpc!.id, tags: tagsAll });
        addBlock(kind, `resource "aws_egress_only_internet_gateway" "${name}" {\n  vpc_id = aws_vpc.${vpc!.name}.id\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, { id, vpc_id: vpc!.id, tags, tags_all: tagsAll }, [`aws_vpc.${vpc!.name}`]));
        break;
      }
      case 'vpce': {
        // An S3 gateway endpoint on the cell's route table, with the policy AWS attaches by default.
        const id = `vpce-${hex(n)}`;
        const policy = '{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2008-10-17"}';
        vpcEndpoints.push({ id, vpc: vpc!.id, serviceName: `com.amazonaws.${region}.s3`, routeTables: [rtb!.live.id], tags: tagsAll });
        addBlock(kind, `resource "aws_vpc_endpoint" "${name}" {\n  vpc_id          = aws_vpc.${vpc!.name}.id\n  service_name    = "com.amazonaws.${region}.s3"\n  route_table_ids = [aws_route_table.${rtb!.name}.id]\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, {
          arn: arn(`vpc-endpoint/${id}`), auto_accept: null, cidr_blocks: [], dns_entry: [], dns_options: [], id, ip_address_type: '', network_interface_ids: [], owner_id: ACCOUNT,
          policy, prefix_list_id: 'pl-63a5400a', private_dns_enabled: false, requester_managed: false, route_table_ids: [rtb!.live.id], security_group_ids: [],
          service_name: `com.amazonaws.${region}.s3`, state: 'available', subnet_configuration: [], subnet_ids: [], tags, tags_all: tagsAll, timeouts: null, vpc_endpoint_type: 'Gateway', vpc_id: vpc!.id,
        }, [`aws_route_table.${rtb!.name}`, `aws_vpc.${vpc!.name}`]));
        break;
      }
      case 'flow_log': {
        const id = `fl-${hex(n)}`;
        const group = `/vpc/${vpc!.name}`;
        const role = `arn:aws:iam::${ACCOUNT}:role/vpc-flow-logs`;
        flowLogs.push({ id, resource: vpc!.id, logGroupName: group, role, trafficType: 'ALL', tags: tagsAll });
        addBlock(kind, `resource "aws_flow_log" "${name}" {\n  vpc_id          = aws_vpc.${vpc!.name}.id\n  traffic_type    = "ALL"\n  iam_role_arn    = "${role}"\n  log_destination = "arn:aws:logs:${region}:${ACCOUNT}:log-group:${group}"\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, {
          arn: arn(`vpc-flow-log/${id}`), deliver_cross_account_role: '', destination_options: [], eni_id: '', iam_role_arn: role, id,
          log_destination: `arn:aws:logs:${region}:${ACCOUNT}:log-group:${group}`, log_destination_type: 'cloud-watch-logs',
          log_format: '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
          log_group_name: group, max_aggregation_interval: 600, subnet_id: '', tags, tags_all: tagsAll, traffic_type: 'ALL', transit_gateway_attachment_id: '', transit_gateway_id: '', vpc_id: vpc!.id,
        }, [`aws_vpc.${vpc!.name}`]));
        break;
      }
      case 'queue': {
        // A work queue with a longer visibility timeout; AWS encrypts it with SSE-SQS by default.
        const queueName = `bench-${name.replace(/_/g, '-')}-${hex(n)}`;
        const live: ScenarioQueue = { name: queueName, region, attributes: { VisibilityTimeout: '120' }, tags: tagsAll };
        queues.push(live);
        const url = `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${queueName}`;
        const qArn = `arn:aws:sqs:${region}:${ACCOUNT}:${queueName}`;
        queue = { name, live, url, arn: qArn };
        addBlock(kind, `resource "aws_sqs_queue" "${name}" {
  name                       = "${queueName}"
  visibility_timeout_seconds = 120

${tagLines(tags)}}
`, n);
        resources.push(placed(type, name, {
          id: url, url, arn: qArn, name: queueName, name_prefix: '', visibility_timeout_seconds: 120, message_retention_seconds: 345600, max_message_size: 262144,
          delay_seconds: 0, receive_wait_time_seconds: 0, fifo_queue: false, content_based_deduplication: false, deduplication_scope: '', fifo_throughput_limit: '',
          kms_master_key_id: '', kms_data_key_reuse_period_seconds: 300, sqs_managed_sse_enabled: true, policy: '', redrive_policy: '', redrive_allow_policy: '',
          tags, tags_all: tagsAll,
        }));
        break;
      }
      case 'queue_policy': {
        const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Events', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queue!.arn }] });
        queue!.live.attributes = { ...queue!.live.attributes, Policy: policy };
        addBlock(kind, `resource "aws_sqs_queue_policy" "${name}" {
  queue_url = aws_sqs_queue.${queue!.name}.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Events"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.${queue!.name}.arn
      }
    ]
  })
}
`, n);
        resources.push(placed(type, name, { id: queue!.url, queue_url: queue!.url, policy }, [`aws_sqs_queue.${queue!.name}`]));
        break;
      }
      case 'instance': {
        const id = `i-${hex(n)}`;
        const subnet = cellSubnets[n % cellSubnets.length];
        const instanceType = pick(INSTANCE_TYPES);
        const ami = pick(AMIS);
        const privateIp = `10.${vpc!.octet}.${cellSubnets.indexOf(subnet)}.${10 + (n % 240)}`;
        const liveType = drift ? INSTANCE_TYPES[(INSTANCE_TYPES.indexOf(instanceType) + 1) % INSTANCE_TYPES.length] : instanceType;
        if (drift) drifted.push({ address, attribute: 'instance_type' });
        instances.push({ id, type: liveType, ami, subnet: subnet.id, securityGroups: [sgInline!.id], privateIp, tags: tagsAll, launchTime: '2024-05-01T09:04:12Z' });
        addBlock(kind, `resource "aws_instance" "${name}" {\n  ami                    = "${ami}"\n  instance_type          = "${instanceType}"\n  subnet_id              = aws_subnet.${subnet.name}.id\n  vpc_security_group_ids = [aws_security_group.${sgInline!.name}.id]\n  private_ip             = "${privateIp}"\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, {
          id, arn: arn(`instance/${id}`), ami, instance_type: instanceType, subnet_id: subnet.id, vpc_security_group_ids: [sgInline!.id], private_ip: privateIp,
          availability_zone: subnet.az, instance_state: 'running', monitoring: false, source_dest_check: true, tags, tags_all: tagsAll,
        }, [`aws_security_group.${sgInline!.name}`, `aws_subnet.${subnet.name}`]));
        break;
      }
      case 'bucket': {
        const bucketName = `bench-${seed}-${name.replace(/_/g, '-')}`;
        const liveTags = drift ? { ...tagsAll, Team: `${team}-changed` } : tagsAll;
        if (drift) drifted.push({ address, attribute: 'tags.Team' });
        const live: ScenarioBucket = { name: bucketName, ...(region !== REGION ? { region } : {}), creationDate: '2024-05-01T09:01:30Z', tags: liveTags };
        buckets.push(live);
        bucket = { name, live };
        addBlock(kind, `resource "aws_s3_bucket" "${name}" {\n  bucket = "${bucketName}"\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, { id: bucketName, bucket: bucketName, arn: `arn:aws:s3:::${bucketName}`, region, tags, tags_all: tagsAll }));
        break;
      }
      case 'versioning': {
        bucket!.live.versioning = 'Enabled';
        addBlock(kind, `resource "aws_s3_bucket_versioning" "${name}" {\n  bucket = aws_s3_bucket.${bucket!.name}.id\n\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n`, n);
        resources.push(placed(type, name, { id: bucket!.live.name, bucket: bucket!.live.name, versioning_configuration: [{ mfa_delete: '', status: 'Enabled' }] }, [`aws_s3_bucket.${bucket!.name}`]));
        break;
      }
      case 'encryption': {
        bucket!.live.encryption = { algorithm: 'AES256', bucketKeyEnabled: false };
        addBlock(kind, `resource "aws_s3_bucket_server_side_encryption_configuration" "${name}" {\n  bucket = aws_s3_bucket.${bucket!.name}.id\n\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "AES256"\n    }\n    bucket_key_enabled = false\n  }\n}\n`, n);
        resources.push(placed(type, name, { id: bucket!.live.name, bucket: bucket!.live.name, rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: '', sse_algorithm: 'AES256' }], bucket_key_enabled: false }] }, [`aws_s3_bucket.${bucket!.name}`]));
        break;
      }
      case 'bucket_policy': {
        const policy = JSON.stringify({ Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Resource: `arn:aws:s3:::${bucket!.live.name}/*`, Sid: 'AccountReads' }], Version: '2012-10-17' });
        bucket!.live.policy = policy;
        addBlock(kind, `resource "aws_s3_bucket_policy" "${name}" {\n  bucket = aws_s3_bucket.${bucket!.name}.id\n\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n        Sid       = "AccountReads"\n        Effect    = "Allow"\n        Principal = { AWS = "arn:aws:iam::${ACCOUNT}:root" }\n        Action    = "s3:GetObject"\n        Resource  = "\${aws_s3_bucket.${bucket!.name}.arn}/*"\n      }\n    ]\n  })\n}\n`, n);
        resources.push(placed(type, name, { id: bucket!.live.name, bucket: bucket!.live.name, policy }, [`aws_s3_bucket.${bucket!.name}`]));
        break;
      }
      case 'role': {
        const roleName = `bench-${name.replace(/_/g, '-')}`;
        const trust = JSON.stringify({ Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }], Version: '2012-10-17' });
        const live: ScenarioRole = { name: roleName, roleId: `AROABENCH${hex(n, 12).toUpperCase()}`, description: `Role ${n}`, maxSessionDuration: 3600, createDate: '2024-05-01T09:00:00Z', trustPolicy: trust, tags: tagsAll, policies: {} };
        roles.push(live);
        role = { name, live };
        addBlock(kind, `resource "aws_iam_role" "${name}" {\n  name                 = "${roleName}"\n  description          = "Role ${n}"\n  max_session_duration = 3600\n\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n        Effect    = "Allow"\n        Principal = { Service = "ec2.amazonaws.com" }\n        Action    = "sts:AssumeRole"\n      }\n    ]\n  })\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, { id: roleName, name: roleName, arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`, assume_role_policy: trust, description: `Role ${n}`, max_session_duration: 3600, path: '/', unique_id: live.roleId, create_date: '2024-05-01T09:00:00Z', tags, tags_all: tagsAll }));
        break;
      }
      case 'role_policy': {
        const policyName = `${role!.live.name}-read`;
        const target = bucket ? `arn:aws:s3:::${bucket.live.name}` : '*';
        const doc = JSON.stringify({ Statement: [{ Action: ['s3:GetObject', 's3:ListBucket'], Effect: 'Allow', Resource: target }], Version: '2012-10-17' });
        role!.live.policies![policyName] = doc;
        addBlock(kind, `resource "aws_iam_role_policy" "${name}" {\n  name = "${policyName}"\n  role = aws_iam_role.${role!.name}.id\n\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n        Effect   = "Allow"\n        Action   = ["s3:GetObject", "s3:ListBucket"]\n        Resource = "${target}"\n      }\n    ]\n  })\n}\n`, n);
        resources.push(placed(type, name, { id: `${role!.live.name}:${policyName}`, name: policyName, role: role!.live.name, policy: doc }, [`aws_iam_role.${role!.name}`]));
        break;
      }
      case 'pab': {
        // Every flag on: the bucket's own block, next to the policy it holds (not a public one).
        bucket!.live.publicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
        addBlock(kind, `resource "aws_s3_bucket_public_access_block" "${name}" {\n  bucket = aws_s3_bucket.${bucket!.name}.id\n\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n`, n);
        resources.push(placed(type, name, { id: bucket!.live.name, bucket: bucket!.live.name, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }, [`aws_s3_bucket.${bucket!.name}`]));
        break;
      }
      case 'account_pab': {
        accountPublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
        addBlock(kind, `resource "aws_s3_account_public_access_block" "${name}" {\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n`, n);
        resources.push(placed(type, name, { id: ACCOUNT, account_id: ACCOUNT, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }));
        break;
      }
      case 'log_group': {
        const groupName = `/bench/${seed}/${name.replace(/_/g, '-')}`;
        logGroups.push({ name: groupName, ...(region !== REGION ? { region } : {}), retentionInDays: 30, tags: tagsAll });
        addBlock(kind, `resource "aws_cloudwatch_log_group" "${name}" {\n  name              = "${groupName}"\n  retention_in_days = 30\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, {
          id: groupName, name: groupName, name_prefix: '', arn: `arn:aws:logs:${region}:${ACCOUNT}:log-group:${groupName}`, retention_in_days: 30, kms_key_id: '',
          log_group_class: 'STANDARD', skip_destroy: false, tags, tags_all: tagsAll,
        }));
        break;
      }
      case 'iam_policy': {
        const policyName = `bench-${seed}-${name.replace(/_/g, '-')}`;
        const policyArn = `arn:aws:iam::${ACCOUNT}:policy/${policyName}`;
        const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] };
        managedPolicies.push({ name: policyName, description: `Policy ${n}`, document });
        iamPolicy = { name, arn: policyArn };
        addBlock(kind, `resource "aws_iam_policy" "${name}" {\n  name        = "${policyName}"\n  description = "Policy ${n}"\n\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n        Effect   = "Allow"\n        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]\n        Resource = "*"\n      }\n    ]\n  })\n}\n`, n);
        resources.push(placed(type, name, {
          id: policyArn, arn: policyArn, name: policyName, name_prefix: '', path: '/', description: `Policy ${n}`, policy: JSON.stringify(document),
          policy_id: `ANPABENCH${hex(n, 12).toUpperCase()}`, attachment_count: 1, tags: {}, tags_all: { ...DEFAULT_TAGS },
        }));
        break;
      }
      case 'role_attachment': {
        role!.live.attachedPolicies = [...(role!.live.attachedPolicies ?? []), iamPolicy!.arn];
        addBlock(kind, `resource "aws_iam_role_policy_attachment" "${name}" {\n  role       = aws_iam_role.${role!.name}.name\n  policy_arn = aws_iam_policy.${iamPolicy!.name}.arn\n}\n`, n);
        resources.push(placed(type, name, { id: `${role!.live.name}-${hex(n, 20)}`, role: role!.live.name, policy_arn: iamPolicy!.arn }, [`aws_iam_policy.${iamPolicy!.name}`, `aws_iam_role.${role!.name}`]));
        break;
      }
      case 'kms_key': {
        const id = `${hex(seed, 8)}-${hex(n % 0x10000, 4)}-4000-8000-${hex(n, 12)}`;
        const keyPolicy = { Version: '2012-10-17', Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
        const live: ScenarioKmsKey = { id, ...(region !== REGION ? { region } : {}), description: `Key ${n}`, policy: keyPolicy, rotation: true, enabled: true, aliases: [], tags: tagsAll };
        kmsKeys.push(live);
        kmsKey = { name, id, live };
        addBlock(kind, `resource "aws_kms_key" "${name}" {\n  description         = "Key ${n}"\n  enable_key_rotation = true\n\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n        Sid       = "Root"\n        Effect    = "Allow"\n        Principal = { AWS = "arn:aws:iam::${ACCOUNT}:root" }\n        Action    = "kms:*"\n        Resource  = "*"\n      }\n    ]\n  })\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, {
          id, key_id: id, arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`, description: `Key ${n}`, key_usage: 'ENCRYPT_DECRYPT', customer_master_key_spec: 'SYMMETRIC_DEFAULT',
          policy: JSON.stringify(keyPolicy), is_enabled: true, enable_key_rotation: true, rotation_period_in_days: 365, multi_region: false, deletion_window_in_days: 30,
          bypass_policy_lockout_safety_check: false, custom_key_store_id: '', xks_key_id: '', tags, tags_all: tagsAll,
        }));
        break;
      }
      case 'kms_alias': {
        const aliasName = `alias/bench-${seed}-${name.replace(/_/g, '-')}`;
        kmsKey!.live.aliases = [...(kmsKey!.live.aliases ?? []), aliasName];
        addBlock(kind, `resource "aws_kms_alias" "${name}" {\n  name          = "${aliasName}"\n  target_key_id = aws_kms_key.${kmsKey!.name}.key_id\n}\n`, n);
        resources.push(placed(type, name, {
          id: aliasName, name: aliasName, name_prefix: '', arn: `arn:aws:kms:${region}:${ACCOUNT}:${aliasName}`, target_key_id: kmsKey!.id,
          target_key_arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${kmsKey!.id}`,
        }, [`aws_kms_key.${kmsKey!.name}`]));
        break;
      }
      case 'zone': {
        const domain = `bench-${seed}-${n}.example.com`;
        const id = `ZB${hex(seed, 6).toUpperCase()}${hex(n, 10).toUpperCase()}`;
        const live: ScenarioHostedZone = { id, name: domain, comment: 'Managed by Terraform', tags: tagsAll, records: [] };
        hostedZones.push(live);
        zone = { name, id, domain, live };
        addBlock(kind, `resource "aws_route53_zone" "${name}" {\n  name = "${domain}"\n\n${tagLines(tags)}}\n`, n);
        resources.push(placed(type, name, {
          id, zone_id: id, arn: `arn:aws:route53:::hostedzone/${id}`, name: domain, comment: 'Managed by Terraform', delegation_set_id: '', force_destroy: false,
          name_servers: [], primary_name_server: '', vpc: [], tags, tags_all: tagsAll,
        }));
        break;
      }
      case 'record': {
        const k = zone!.live.records!.length;
        const fqdn = `${['www', 'api', 'mail'][k % 3]}${k >= 3 ? k : ''}.${zone!.domain}`;
        const ip = `10.${n % 250}.${k}.${10 + (n % 200)}`;
        zone!.live.records!.push({ name: fqdn, type: 'A', ttl: 300, values: [ip] });
        addBlock(kind, `resource "aws_route53_record" "${name}" {\n  zone_id = aws_route53_zone.${zone!.name}.zone_id\n  name    = "${fqdn}"\n  type    = "A"\n  ttl     = 300\n  records = ["${ip}"]\n}\n`, n);
        resources.push(placed(type, name, {
          id: `${zone!.id}_${fqdn}_A`, zone_id: zone!.id, name: fqdn, fqdn, type: 'A', ttl: 300, records: [ip], set_identifier: '', health_check_id: '',
          alias: [], weighted_routing_policy: [], latency_routing_policy: [], failover_routing_policy: [], geolocation_routing_policy: [], multivalue_answer_routing_policy: null, allow_overwrite: null,
        }, [`aws_route53_zone.${zone!.name}`]));
        break;
      }
    }
  }

  const files = new Map<string, string>();
  const defaultTags = `  default_tags {\n    tags = {\n${Object.entries(DEFAULT_TAGS).map(([k, v]) => `      ${k} = "${v}"`).join('\n')}\n    }\n  }\n`;
  const west = options.secondRegion ? `\nprovider "aws" {\n  alias  = "west"\n  region = "${options.secondRegion}"\n\n${defaultTags}}\n` : '';
  files.set('providers.tf', `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.40"\n    }\n  }\n}\n\nprovider "aws" {\n  region = "${REGION}"\n\n${defaultTags}}\n${west}`);
  if (moduleCalls.length) files.set('modules.tf', moduleCalls.join('\n'));
  // A child module declares the provider it needs, as published modules do (no configuration of its own).
  const moduleHeader = 'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n\n';
  for (const [file, list] of blocks) if (file.startsWith('modules/')) list.unshift(moduleHeader);
  for (const [file, list] of [...blocks.entries()].sort(([a], [b]) => a.localeCompare(b))) files.set(file, list.join('\n'));
  files.set('terraform.tfstate', JSON.stringify({ version: 4, terraform_version: '1.7.5', serial: 1, lineage: `bench-${seed}-${total}`, outputs: {}, resources }, null, 1) + '\n');

  const readAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [
    'ec2:Describe*', 's3:Get*', 's3:List*', 'iam:Get*', 'iam:List*', 'tag:Get*', 'cloudtrail:LookupEvents', 'sts:GetCallerIdentity', 'sqs:GetQueueAttributes', 'sqs:ListQueueTags',
    'logs:Describe*', 'logs:List*', 'kms:Describe*', 'kms:Get*', 'kms:List*', 'route53:Get*', 'route53:List*',
    ...(options.everyType ? SEEDERS.flatMap((s) => s.readActions) : []),
  ], Resource: '*' }] };
  // Seeding creates objects of every service: the admin may do anything.
  const adminActions = options.everyType ? ['*'] : ['ec2:*', 's3:*', 'iam:*', 'tag:*', 'logs:*', 'kms:*', 'route53:*', 'sqs:*', 'cloudtrail:LookupEvents'];
  const scenario: Scenario = {
    account: ACCOUNT,
    region: REGION,
    epoch: '2024-05-01T09:00:00Z',
    users: [
      { name: 'drift-reader', accessKeys: [{ id: reader.accessKeyId, secret: reader.secretAccessKey }], policies: { read: readAll } },
      { name: 'bench-admin', accessKeys: [{ id: admin.accessKeyId, secret: admin.secretAccessKey }], policies: { admin: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: adminActions, Resource: '*' }] } } },
    ],
    roles,
    vpcs,
    subnets,
    securityGroups: groups,
    internetGateways,
    egressOnlyInternetGateways,
    vpcEndpoints,
    flowLogs,
    ...(queues.length ? { queues } : {}),
    ...(logGroups.length ? { logGroups } : {}),
    ...(managedPolicies.length ? { managedPolicies } : {}),
    ...(kmsKeys.length ? { kmsKeys } : {}),
    ...(hostedZones.length ? { hostedZones } : {}),
    ...(accountPublicAccessBlock ? { accountPublicAccessBlock } : {}),
    routeTables,
    instances,
    buckets,
    ...(options.secondRegion ? { regions: [REGION, options.secondRegion] } : {}),
  };
  const seeding = options.everyType ? { seed, budget, cells: cells.length ? cells : [{ module: '', region: REGION }], singleFile: Boolean(options.singleFile) } : undefined;
  return { files, scenario, addresses, byType, fileOf, drifted, byRegion, reader, admin, ...(seeding ? { seeding } : {}) };
}

/** Writes the .tf files and terraform.tfstate into dir (created if needed). */
export function writeWorkspace(dir: string, workspace: GeneratedWorkspace): void {
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of workspace.files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

// `node out/bench/generate.js <dir> <resources> [seed] [drifted]`: writes a workspace and scenario.json.
if (require.main === module) {
  const [dir, count, seed, drifted] = process.argv.slice(2);
  if (!dir || !count || !Number.isFinite(Number(count))) {
    process.stderr.write('usage: node out/bench/generate.js <dir> <resources> [seed] [drifted]\n');
    process.exit(2);
  }
  const ws = generateWorkspace({ resources: Number(count), seed: seed ? Number(seed) : 1, drifted: drifted ? Number(drifted) : 0 });
  writeWorkspace(dir, ws);
  writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(ws.scenario));
  process.stdout.write(`${dir}: ${ws.addresses.length} resources, ${ws.drifted.length} drifted; sandbox scenario in scenario.json\n`);
}
