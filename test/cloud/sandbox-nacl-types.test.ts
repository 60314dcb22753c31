// Network ACL types through the DescribeNetworkAcls family, against the sandbox through the real
// SDK: provider-shaped state matching live is clean; one live change per compared attribute class
// is drift on the right attribute; the writers revert it; a fresh read is clean; an entry of a
// managed ACL that nothing declares is reported on the ACL and can be removed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateNetworkAclCommand, CreateNetworkAclEntryCommand, CreateTagsCommand, DeleteNetworkAclEntryCommand, DescribeNetworkAclsCommand, EC2Client,
  NetworkAcl, ReplaceNetworkAclAssociationCommand, ReplaceNetworkAclEntryCommand,
} from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { Drift } from '../../server/src/model';
import { driftKey } from '../support/root-check';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import { ignoreCommentsOf, rootFilesOf, RootModule, withoutBrokenBlocks } from '../../server/src/app/root-module';
import { repoRoot } from '../support/lsp-client';
import { keyOf as scenarioKey } from '../sandbox/helpers';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const VPC = scenario.vpcs![0].id;
const SUBNET_A = scenario.subnets![0].id;

let sandbox: SandboxHandle;
let dir: string;
let ec2: EC2Client;
const ids = { managed: '', ruled: '', default: '' };

const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({
  mode: 'managed', type, name, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
});
const entry = (e: Record<string, unknown>) => ({ action: 'allow', cidr_block: '0.0.0.0/0', from_port: 0, icmp_code: 0, icmp_type: 0, ipv6_cidr_block: '', protocol: '-1', rule_no: 100, to_port: 0, ...e });
const aclState = (id: string, ingress: unknown[], egress: unknown[], subnets: string[], tags: Record<string, string>) => ({
  arn: `arn:aws:ec2:us-east-1:123456789012:network-acl/${id}`, egress, id, ingress, owner_id: '123456789012', subnet_ids: subnets, tags, tags_all: tags, vpc_id: VPC,
});

function writeWorkspace(): void {
  const tf = `provider "aws" {
  region = "us-east-1"
}

resource "aws_network_acl" "managed" {
  vpc_id     = "${VPC}"
  subnet_ids = ["${SUBNET_A}"]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 443
    to_port    = 443
    cidr_block = "10.0.0.0/8"
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }
  tags = { Name = "managed" }
}

resource "aws_network_acl" "ruled" {
  vpc_id = "${VPC}"
  tags   = { Name = "ruled" }
}

resource "aws_network_acl_rule" "https" {
  network_acl_id = "${'${ids.ruled}'}"
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "10.0.0.0/8"
  from_port      = 443
  to_port        = 443
}

resource "aws_network_acl_rule" "out" {
  network_acl_id = "${'${ids.ruled}'}"
  rule_number    = 100
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_default_network_acl" "default" {
  default_network_acl_id = "${ids.default}"
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = -1
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = -1
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }
}
`.replace(/\$\{'\$\{ids\.ruled\}'\}/g, ids.ruled);
  const https = { cidr_block: '10.0.0.0/8', egress: false, from_port: 443, icmp_code: null, icmp_type: null, ipv6_cidr_block: '', network_acl_id: ids.ruled, protocol: '6', rule_action: 'allow', rule_number: 100, to_port: 443 };
  const resources = [
    resource('aws_network_acl', 'managed', aclState(ids.managed, [entry({ cidr_block: '10.0.0.0/8', from_port: 443, to_port: 443, protocol: '6' })], [entry({})], [SUBNET_A], { Name: 'managed' })),
    resource('aws_network_acl', 'ruled', aclState(ids.ruled, [entry({ cidr_block: '10.0.0.0/8', from_port: 443, to_port: 443, protocol: '6' })], [entry({})], [], { Name: 'ruled' })),
    resource('aws_network_acl_rule', 'https', { ...https, id: 'nacl-1234567890' }),
    resource('aws_network_acl_rule', 'out', { ...https, id: 'nacl-2345678901', cidr_block: '0.0.0.0/0', egress: true, from_port: 0, to_port: 0, protocol: '-1' }),
    resource('aws_default_network_acl', 'default', { ...aclState(ids.default, [entry({})], [entry({})], [scenario.subnets![1].id], {}), default_network_acl_id: ids.default }),
  ];
  writeFileSync(path.join(dir, 'main.tf'), tf);
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.7.5', serial: 1, lineage: 'nacl', outputs: {}, resources, check_results: null }, null, 2));
}

async function check(): Promise<{ module: RootModule; drifts: Drift[]; calls: Record<string, number> }> {
  const files = withoutBrokenBlocks(rootFilesOf(dir, await new WorkspaceIndex().addFolder(dir))).files;
  const module = new RootModule({ root: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region }, credentials: scenarioKey(scenario, 'carol') });
  await module.loadConfig();
  await module.connect(files);
  const read = await module.refreshAll();
  assert.deepEqual(read.failures, []);
  const calls = module.clients!.gate.stats();
  const report = module.analyze(files, await ignoreCommentsOf(files));
  return { module, drifts: report.drifts.filter((d) => !d.suppressed), calls };
}

const key = driftKey;

async function acls(): Promise<NetworkAcl[]> {
  return (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [VPC] }] }))).NetworkAcls!;
}

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: scenarioKey(scenario, 'carol') });
  const create = async (Name: string) => (await ec2.send(new CreateNetworkAclCommand({ VpcId: VPC, TagSpecifications: [{ ResourceType: 'network-acl', Tags: [{ Key: 'Name', Value: Name }] }] }))).NetworkAcl!.NetworkAclId!;
  ids.managed = await create('managed');
  ids.ruled = await create('ruled');
  for (const acl of [ids.managed, ids.ruled]) {
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Egress: false, Protocol: 'tcp', RuleAction: 'allow', CidrBlock: '10.0.0.0/8', PortRange: { From: 443, To: 443 } }));
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Egress: true, Protocol: '-1', RuleAction: 'allow', CidrBlock: '0.0.0.0/0' }));
  }
  const all = await acls();
  const def = all.find((a) => a.IsDefault)!;
  ids.default = def.NetworkAclId!;
  const association = def.Associations!.find((a) => a.SubnetId === SUBNET_A)!.NetworkAclAssociationId!;
  await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association, NetworkAclId: ids.managed }));
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-nacl-'));
  writeWorkspace();
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('matching ACLs and rules are clean, read with one DescribeNetworkAcls call', async () => {
  const { drifts, calls } = await check();
  assert.deepEqual(drifts.map(key), []);
  assert.equal(calls['ec2:DescribeNetworkAcls'], 1, JSON.stringify(calls));
});

test('a live change per ACL attribute class is drift, the writers revert it, and a fresh read is clean', async () => {
  await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: ids.managed, RuleNumber: 200, Egress: false, Protocol: 'tcp', RuleAction: 'allow', CidrBlock: '0.0.0.0/0', PortRange: { From: 22, To: 22 } }));
  const association = (await acls()).find((a) => a.NetworkAclId === ids.managed)!.Associations![0]!.NetworkAclAssociationId!;
  await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association, NetworkAclId: ids.default }));
  await ec2.send(new ReplaceNetworkAclEntryCommand({ NetworkAclId: ids.ruled, RuleNumber: 100, Egress: false, Protocol: 'tcp', RuleAction: 'deny', CidrBlock: '10.0.0.0/8', PortRange: { From: 443, To: 443 } }));
  await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: ids.ruled, RuleNumber: 300, Egress: false, Protocol: '-1', RuleAction: 'allow', CidrBlock: '0.0.0.0/0' }));
  await ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: ids.default, RuleNumber: 100, Egress: true }));
  await ec2.send(new CreateTagsCommand({ Resources: [ids.default], Tags: [{ Key: 'Owner', Value: 'someone' }] }));
  const { module, drifts } = await check();
  assert.deepEqual(drifts.map(key).sort(), [
    'changed aws_default_network_acl.default egress',
    'changed aws_default_network_acl.default tags.Owner',
    'changed aws_network_acl.managed ingress',
    'changed aws_network_acl.managed subnet_ids',
    'changed aws_network_acl_rule.https rule_action',
    'unmanaged aws_network_acl_rule.ingress_300',
  ]);
  const unmanaged = drifts.find((d) => d.kind === 'unmanaged')!;
  assert.equal(unmanaged.severity, 'error');
  assert.match(unmanaged.note ?? '', /#300 allow all 0\.0\.0\.0\/0 in aws_network_acl\.ruled/);
  assert.match(module.importHcl(unmanaged.liveId) ?? '', new RegExp(`id = "${ids.ruled}:300:-1:false"`));
  const failed: string[] = [];
  for (const drift of drifts) {
    const outcome = await module.revert(drift);
    if (!outcome.ok) failed.push(`${key(drift)}: ${outcome.message}`);
  }
  assert.deepEqual(failed, []);
  assert.deepEqual((await check()).drifts.map(key), [], 'a fresh read after the reverts is clean');
});
