// aws_security_group_rule (classic) and aws_default_security_group against the sandbox through
// the real SDK: provider-shaped state matching live is clean; one live change per compared
// attribute class is drift on the right attribute; the writers revert it; a fresh read is clean.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AuthorizeSecurityGroupEgressCommand, AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateTagsCommand,
  DescribeSecurityGroupRulesCommand, EC2Client, ModifySecurityGroupRulesCommand, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { Drift } from '../../server/src/model';
import { checkRoot, driftKey } from '../support/root-check';
import { repoRoot } from '../support/lsp-client';
import { keyOf as scenarioKey } from '../sandbox/helpers';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const VPC = scenario.vpcs![0].id;
const DEFAULT_SG = scenario.securityGroups!.find((g) => g.name === 'default')!.id;

let sandbox: SandboxHandle;
let dir: string;
let ec2: EC2Client;
let classic = '';

const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({
  mode: 'managed', type, name, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: type === 'aws_security_group_rule' ? 2 : 1, attributes, sensitive_attributes: [] }],
});
const ruleBlock = (r: Record<string, unknown>) => ({ cidr_blocks: [], description: '', from_port: 0, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: '-1', security_groups: [], self: false, to_port: 0, ...r });

function writeWorkspace(): void {
  const tf = `provider "aws" {
  region = "us-east-1"
}

resource "aws_security_group" "classic" {
  name        = "classic"
  description = "rules as aws_security_group_rule"
  vpc_id      = "${VPC}"
}

resource "aws_security_group_rule" "https" {
  type              = "ingress"
  security_group_id = "${classic}"
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["10.1.0.0/16", "10.2.0.0/16"]
  description       = "HTTPS from the offices"
}

resource "aws_security_group_rule" "out" {
  type              = "egress"
  security_group_id = "${classic}"
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_default_security_group" "default" {
  vpc_id = "${VPC}"
  ingress {
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
  const resources = [
    resource('aws_security_group', 'classic', {
      arn: `arn:aws:ec2:us-east-1:123456789012:security-group/${classic}`, description: 'rules as aws_security_group_rule', id: classic, name: 'classic', name_prefix: '', owner_id: '123456789012',
      ingress: [ruleBlock({ cidr_blocks: ['10.1.0.0/16', '10.2.0.0/16'], description: 'HTTPS from the offices', from_port: 443, protocol: 'tcp', to_port: 443 })],
      egress: [ruleBlock({ cidr_blocks: ['0.0.0.0/0'] })], revoke_rules_on_delete: false, tags: {}, tags_all: {}, timeouts: null, vpc_id: VPC,
    }),
    resource('aws_security_group_rule', 'https', {
      cidr_blocks: ['10.1.0.0/16', '10.2.0.0/16'], description: 'HTTPS from the offices', from_port: 443, id: 'sgrule-1234567890', ipv6_cidr_blocks: null, prefix_list_ids: [], protocol: 'tcp',
      security_group_id: classic, security_group_rule_id: '', self: false, source_security_group_id: null, timeouts: null, to_port: 443, type: 'ingress',
    }),
    resource('aws_security_group_rule', 'out', {
      cidr_blocks: ['0.0.0.0/0'], description: '', from_port: 0, id: 'sgrule-2345678901', ipv6_cidr_blocks: null, prefix_list_ids: [], protocol: '-1',
      security_group_id: classic, security_group_rule_id: '', self: false, source_security_group_id: null, timeouts: null, to_port: 0, type: 'egress',
    }),
    resource('aws_default_security_group', 'default', {
      arn: `arn:aws:ec2:us-east-1:123456789012:security-group/${DEFAULT_SG}`, description: 'default VPC security group', id: DEFAULT_SG, name: 'default', name_prefix: '', owner_id: '123456789012',
      ingress: [ruleBlock({ self: true })], egress: [ruleBlock({ cidr_blocks: ['0.0.0.0/0'] })], revoke_rules_on_delete: false, tags: {}, tags_all: {}, vpc_id: VPC,
    }),
  ];
  writeFileSync(path.join(dir, 'main.tf'), tf);
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.7.5', serial: 1, lineage: 'sg', outputs: {}, resources, check_results: null }, null, 2));
}

const check = () => checkRoot(dir, sandbox, scenarioKey(scenario, 'carol'));

const key = driftKey;

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: scenarioKey(scenario, 'carol') });
  classic = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'classic', Description: 'rules as aws_security_group_rule', VpcId: VPC }))).GroupId!;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: classic, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.1.0.0/16', Description: 'HTTPS from the offices' }, { CidrIp: '10.2.0.0/16', Description: 'HTTPS from the offices' }] }] }));
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-sg-'));
  writeWorkspace();
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('classic rules and the adopted default group matching live are clean', async () => {
  assert.deepEqual((await check()).drifts.map(key), []);
});

test('a live change per attribute class is drift, the writers revert it, and a fresh read is clean', async () => {
  await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: classic, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.2.0.0/16' }] }] }));
  const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [classic] }] }))).SecurityGroupRules!;
  const https = rules.find((r) => !r.IsEgress && r.CidrIpv4 === '10.1.0.0/16')!;
  await ec2.send(new ModifySecurityGroupRulesCommand({ GroupId: classic, SecurityGroupRules: [{ SecurityGroupRuleId: https.SecurityGroupRuleId, SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '10.1.0.0/16', Description: 'edited by hand' } }] }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: classic, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: DEFAULT_SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: DEFAULT_SG, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  await ec2.send(new CreateTagsCommand({ Resources: [DEFAULT_SG], Tags: [{ Key: 'Owner', Value: 'someone' }] }));
  const { module, drifts } = await check();
  assert.deepEqual(drifts.map(key).sort(), [
    'changed aws_default_security_group.default egress',
    'changed aws_default_security_group.default ingress',
    'changed aws_default_security_group.default tags.Owner',
    'changed aws_security_group_rule.https cidr_blocks',
    'changed aws_security_group_rule.https description',
    'unmanaged aws_vpc_security_group_ingress_rule.' + drifts.find((d) => d.kind === 'unmanaged')!.address.split('.')[1],
  ]);
  const open = drifts.find((d) => d.kind === 'unmanaged')!;
  assert.equal(open.severity, 'error');
  assert.match(open.note ?? '', /tcp 22 from 0\.0\.0\.0\/0 on aws_security_group\.classic/);
  const failed: string[] = [];
  for (const drift of drifts) {
    const outcome = await module.revert(drift);
    if (!outcome.ok) failed.push(`${key(drift)}: ${outcome.message}`);
  }
  assert.deepEqual(failed, []);
  assert.deepEqual((await check()).drifts.map(key), [], 'a fresh read after the reverts is clean');
});

test('a classic rule whose every source is gone is missing live', async () => {
  await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: classic, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  assert.deepEqual((await check()).drifts.map(key), ['missing-live aws_security_group_rule.out']);
  await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: classic, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
});
