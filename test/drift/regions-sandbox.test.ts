// Provider aliases and regions against the sandbox (real SDK over HTTP): resources on `provider =
// aws.west` are read in us-west-2 with that region's clients, in one batch per region; drift made
// there is reported at the right address; assume_role is honoured; a provider that cannot be read
// (undefined alias, refused role) leaves its resources not checked with the reason, the rest checked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { runCheck } from '../support/check-cli';
import { repoRoot } from '../support/lsp-client';
import { demoScenario, keyOf } from '../sandbox/helpers';

const WEST = 'us-west-2';
const ACCOUNT = '123456789012';
const VPCS = { west: 'vpc-0f0e0d0c0b0a00001', west2: 'vpc-0f0e0d0c0b0a00002', audited: 'vpc-0f0e0d0c0b0a00003' };

let sandbox: SandboxHandle;
const dirs: string[] = [];
const scenario = demoScenario();
scenario.regions = [scenario.region, WEST];
for (const [name, id] of Object.entries(VPCS)) {
  scenario.vpcs = [...(scenario.vpcs ?? []), { id, cidrBlock: `10.${20 + Object.keys(VPCS).indexOf(name)}.0.0/16`, region: WEST, enableDnsSupport: true, enableDnsHostnames: false, tags: { Name: name } }];
}
// A role carol may assume (read-only), for `assume_role` in a provider block.
scenario.roles = [...(scenario.roles ?? []), {
  name: 'drift-auditor',
  trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/carol` }, Action: 'sts:AssumeRole' }] },
  policies: { read: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ec2:Describe*', 'tag:Get*', 'sts:GetCallerIdentity'], Resource: '*' }] } },
}];
const carol = keyOf(scenario, 'carol');

before(async () => {
  sandbox = await startSandbox(scenario);
});

after(async () => {
  await sandbox?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface StateDoc { resources: Array<Record<string, unknown>> }

function vpcState(name: string, id: string, cidr: string, provider: string): Record<string, unknown> {
  return {
    mode: 'managed', type: 'aws_vpc', name, provider,
    instances: [{
      schema_version: 1,
      attributes: {
        arn: `arn:aws:ec2:${WEST}:${ACCOUNT}:vpc/${id}`, id, cidr_block: cidr, enable_dns_support: true, enable_dns_hostnames: false, instance_tenancy: 'default',
        assign_generated_ipv6_cidr_block: false, owner_id: ACCOUNT, tags: { Name: name }, tags_all: { Name: name },
      },
    }],
  };
}

const vpcBlock = (name: string, provider: string, cidr: string) => `resource "aws_vpc" "${name}" {\n  provider             = ${provider}\n  cidr_block           = "${cidr}"\n  enable_dns_support   = true\n  enable_dns_hostnames = false\n  tags = { Name = "${name}" }\n}\n`;

/** The demo plus regions.tf (providers and VPCs in us-west-2) and those VPCs in its state. */
function workspace(extraHcl: string, vpcs: Array<{ name: string; provider: string }>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-regions-'));
  dirs.push(dir);
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  const cidrOf = (name: string) => `10.${20 + Object.keys(VPCS).indexOf(name)}.0.0/16`;
  const hcl = [
    'variable "west_region" {\n  default = "us-west-2"\n}\n',
    'provider "aws" {\n  alias  = "west"\n  region = var.west_region\n}\n',
    extraHcl,
    ...vpcs.map((v) => vpcBlock(v.name, v.provider, cidrOf(v.name))),
  ].join('\n');
  writeFileSync(path.join(dir, 'regions.tf'), hcl);
  const statePath = path.join(dir, 'terraform.tfstate');
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as StateDoc;
  for (const v of vpcs) {
    const alias = /^aws\.(\w+)$/.exec(v.provider)?.[1];
    state.resources.push(vpcState(v.name, VPCS[v.name as keyof typeof VPCS], cidrOf(v.name), `provider["registry.terraform.io/hashicorp/aws"]${alias ? `.${alias}` : ''}`));
  }
  writeFileSync(statePath, JSON.stringify(state, null, 2));
  return dir;
}

interface Report {
  drifts: Array<{ address: string; file: string; attributePath: string[]; live: unknown; range: { start: { line: number } } }>;
  notChecked: Array<{ address: string; reason: string }>;
  unknown: Array<{ address: string; attributePath: string[]; reason: string }>;
  errors: string[];
  summary: { checked: number; instances?: { inState: number; checked: number; unknown: number; notChecked: number } };
  apiCalls: { byRegion: Record<string, number> };
}

async function check(dir: string): Promise<{ report: Report; code: number; err: string }> {
  const { code, out, err } = await runCheck(sandbox, carol, dir, ['--json', '--no-attribution', dir]);
  assert.ok(out, `no JSON on stdout: ${err}`);
  return { report: JSON.parse(out) as Report, code, err };
}

test('resources on an aliased provider are read in its region, in one batch per region', async () => {
  const dir = workspace('', [{ name: 'west', provider: 'aws.west' }, { name: 'west2', provider: 'aws.west' }]);
  sandbox.resetStats();
  const { report, code, err } = await check(dir);
  assert.equal(code, 0, `${err}\n${JSON.stringify(report.drifts)}`);
  assert.deepEqual(report.drifts, []);
  assert.deepEqual(report.notChecked.filter((n) => n.address.startsWith('aws_vpc.')), []);
  const n = report.summary.instances!;
  assert.equal(n.checked + n.unknown + n.notChecked, n.inState);
  assert.equal(n.notChecked + n.unknown, 0, JSON.stringify(report.notChecked));
  const byRegion = sandbox.statsByRegion();
  // Both VPCs of us-west-2 in one DescribeVpcs there; the demo's VPC in one in us-east-1.
  assert.equal(byRegion[WEST]?.['ec2:DescribeVpcs'], 1, JSON.stringify(byRegion));
  assert.equal(byRegion['us-east-1']?.['ec2:DescribeVpcs'], 1, JSON.stringify(byRegion));
  assert.deepEqual(Object.keys(byRegion[WEST]).filter((op) => op.startsWith('ec2:') && op !== 'ec2:DescribeVpcAttribute'), ['ec2:DescribeVpcs'], 'nothing else is read in us-west-2');
  assert.deepEqual(Object.keys(report.apiCalls.byRegion).sort(), ['us-east-1', WEST]);
});

test('a global type (IAM) on the aliased provider is read once, by that identity, not once per region', async () => {
  // The same default_tags as the default configuration, in us-west-2.
  const tagged = `provider "aws" {\n  alias  = "tagged"\n  region = "${WEST}"\n  default_tags {\n    tags = {\n      Project   = var.project\n      ManagedBy = "terraform"\n    }\n  }\n}\n`;
  const dir = workspace(tagged, [{ name: 'west', provider: 'aws.west' }]);
  const iam = path.join(dir, 'iam.tf');
  writeFileSync(iam, readFileSync(iam, 'utf8').replace('resource "aws_iam_role" "app" {\n', 'resource "aws_iam_role" "app" {\n  provider             = aws.tagged\n'));
  sandbox.resetStats();
  const { report, code, err } = await check(dir);
  assert.equal(code, 0, `${err}\n${JSON.stringify(report.drifts)}`);
  assert.equal(report.summary.instances?.notChecked, 0, JSON.stringify(report.notChecked));
  const byRegion = sandbox.statsByRegion();
  assert.deepEqual(Object.keys(byRegion[WEST] ?? {}).filter((op) => op.startsWith('iam:')), [], JSON.stringify(byRegion));
  assert.equal(byRegion['us-east-1']?.['iam:GetAccountAuthorizationDetails'], 1, JSON.stringify(byRegion));
});

test('drift made by hand in the second region is reported at the aliased resource', async () => {
  const dir = workspace('', [{ name: 'west', provider: 'aws.west' }, { name: 'west2', provider: 'aws.west' }]);
  const ec2 = new EC2Client({ region: WEST, endpoint: sandbox.endpoint, credentials: carol });
  await ec2.send(new CreateTagsCommand({ Resources: [VPCS.west2], Tags: [{ Key: 'Name', Value: 'renamed-by-hand' }] }));
  try {
    const { report, code } = await check(dir);
    assert.equal(code, 2);
    assert.deepEqual(report.drifts.map((d) => [d.address, d.file, d.attributePath.join('.'), d.live]), [['aws_vpc.west2', 'regions.tf', 'tags.Name', 'renamed-by-hand']]);
    // CloudTrail is regional: who made it is found in us-west-2's event history, not the default region's.
    sandbox.resetStats();
    const attributed = await runCheck(sandbox, carol, dir, ['--json', dir]);
    const drift = (JSON.parse(attributed.out) as { drifts: Array<{ address: string; attribution?: { class: string; summary: string } }> }).drifts.find((d) => d.address === 'aws_vpc.west2');
    assert.equal(drift?.attribution?.class, 'no-grant', `${JSON.stringify(drift?.attribution)}\n${attributed.err}`);
    assert.match(drift?.attribution?.summary ?? '', /carol/);
    const stats = sandbox.statsByRegion();
    assert.ok((stats[WEST]?.['cloudtrail:LookupEvents'] ?? 0) >= 1, JSON.stringify(stats));
    assert.equal(stats['us-east-1']?.['cloudtrail:LookupEvents'], undefined, 'nothing drifted in us-east-1: no lookup there');
  } finally {
    await ec2.send(new CreateTagsCommand({ Resources: [VPCS.west2], Tags: [{ Key: 'Name', Value: 'west2' }] }));
  }
});

test('assume_role in a provider block is honoured; a refused role, an undefined alias: not checked with the reason, the rest checked', async () => {
  const extra = [
    `provider "aws" {\n  alias  = "audit"\n  region = "${WEST}"\n  assume_role {\n    role_arn = "arn:aws:iam::${ACCOUNT}:role/drift-auditor"\n  }\n}\n`,
    // prod-operator trusts only the broker: carol is refused.
    `provider "aws" {\n  alias  = "refused"\n  region = "${WEST}"\n  assume_role {\n    role_arn = "arn:aws:iam::${ACCOUNT}:role/prod-operator"\n  }\n}\n`,
  ].join('\n');
  const dir = workspace(extra, [{ name: 'west', provider: 'aws.refused' }, { name: 'west2', provider: 'aws.nowhere' }, { name: 'audited', provider: 'aws.audit' }]);
  sandbox.resetStats();
  const { report, code } = await check(dir);
  const reasons = Object.fromEntries(report.notChecked.map((n) => [n.address, n.reason]));
  assert.match(reasons['aws_vpc.west'] ?? '', /^provider aws\.refused \(regions\.tf:\d+\): assuming role arn:aws:iam::123456789012:role\/prod-operator failed: AccessDenied: /, JSON.stringify(reasons));
  const text = readFileSync(path.join(dir, 'regions.tf'), 'utf8').split('\n');
  const line = text.findIndex((l) => l.includes('provider             = aws.nowhere')) + 1;
  assert.match(reasons['aws_vpc.west2'] ?? '', new RegExp(`^provider aws\\.nowhere is not defined: .* \\(regions\\.tf:${line}\\)$`), JSON.stringify(reasons));
  assert.equal(reasons['aws_vpc.audited'], undefined, 'read through the assumed role');
  assert.deepEqual(report.errors.filter((e) => e.includes('nowhere')), [`regions.tf:${line}: aws_vpc.west2: provider aws.nowhere is not defined: no provider "aws" block has alias = "nowhere" (defined: aws.west, aws.audit, aws.refused)`]);
  assert.equal(code, 1, 'a configuration error is an error');
  const n = report.summary.instances!;
  assert.equal(n.checked + n.unknown + n.notChecked, n.inState);
  assert.equal(n.notChecked, 2, JSON.stringify(report.notChecked));
  assert.deepEqual(report.drifts, []);
  const stats = sandbox.statsByRegion();
  assert.equal(stats[WEST]?.['sts:AssumeRole'], 2, `the audit role and the refused one: ${JSON.stringify(stats)}`);
  assert.equal(stats[WEST]?.['ec2:DescribeVpcs'], 1, 'only the audited VPC is read in us-west-2');
});

test('providers = { aws = aws.west } on a module call: the module\'s resources are read in us-west-2', async () => {
  const call = 'module "westnet" {\n  source    = "./modules/vpc"\n  name      = "west"\n  providers = { aws = aws.west }\n}\n';
  const dir = workspace(call, []);
  mkdirSync(path.join(dir, 'modules/vpc'), { recursive: true });
  writeFileSync(path.join(dir, 'modules/vpc/main.tf'), 'variable "name" {\n  type = string\n}\n\nresource "aws_vpc" "this" {\n  cidr_block           = "10.20.0.0/16"\n  enable_dns_support   = true\n  enable_dns_hostnames = false\n  tags = { Name = var.name }\n}\n');
  const statePath = path.join(dir, 'terraform.tfstate');
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as StateDoc;
  // State records the default configuration here: the configuration's providers argument must decide.
  state.resources.push({ ...vpcState('this', VPCS.west, '10.20.0.0/16', 'provider["registry.terraform.io/hashicorp/aws"]'), module: 'module.westnet' });
  writeFileSync(statePath, JSON.stringify(state, null, 2));
  sandbox.resetStats();
  const { report, code, err } = await check(dir);
  assert.equal(code, 0, `${err}\n${JSON.stringify(report.drifts)}\n${JSON.stringify(report.notChecked)}`);
  assert.deepEqual(report.drifts, []);
  assert.equal(report.summary.instances?.notChecked, 0, JSON.stringify(report.notChecked));
  assert.equal(sandbox.statsByRegion()[WEST]?.['ec2:DescribeVpcs'], 1);
});

test('an alias a child module uses but its call does not pass: not checked, one error at the child\'s line', async () => {
  // Terraform never passes aliased configurations down implicitly: `providers` must name aws.west.
  const call = 'module "westnet" {\n  source = "./modules/vpc"\n  name   = "west"\n}\n';
  const dir = workspace(call, []);
  mkdirSync(path.join(dir, 'modules/vpc'), { recursive: true });
  const child = 'variable "name" {\n  type = string\n}\n\nresource "aws_vpc" "this" {\n  provider             = aws.west\n  cidr_block           = "10.20.0.0/16"\n  enable_dns_support   = true\n  enable_dns_hostnames = false\n  tags = { Name = var.name }\n}\n';
  writeFileSync(path.join(dir, 'modules/vpc/main.tf'), child);
  const statePath = path.join(dir, 'terraform.tfstate');
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as StateDoc;
  state.resources.push({ ...vpcState('this', VPCS.west, '10.20.0.0/16', 'provider["registry.terraform.io/hashicorp/aws"].west'), module: 'module.westnet' });
  writeFileSync(statePath, JSON.stringify(state, null, 2));
  const { report, code } = await check(dir);
  const line = child.split('\n').findIndex((l) => l.includes('aws.west')) + 1;
  const errors = report.errors.filter((e) => e.includes('aws.west'));
  assert.equal(errors.length, 1, JSON.stringify(report.errors));
  const callLine = readFileSync(path.join(dir, 'regions.tf'), 'utf8').split('\n').findIndex((l) => l.startsWith('module "westnet"')) + 1;
  assert.equal(errors[0], `modules/vpc/main.tf:${line}: module.westnet.aws_vpc.this: module.westnet uses provider aws.west, but its call has no providers argument to pass it (regions.tf:${callLine})`);
  assert.equal(code, 1, 'a configuration error is an error');
  const reasons = Object.fromEntries(report.notChecked.map((n) => [n.address, n.reason]));
  assert.match(reasons['module.westnet.aws_vpc.this'] ?? '', new RegExp(`\\(regions\\.tf:${callLine}\\)$`), JSON.stringify(reasons));
});

test('profile in a provider block: its resources are read with that profile\'s keys; a profile whose keys AWS refuses leaves them not checked', async () => {
  const extra = [
    `provider "aws" {\n  alias   = "westside"\n  region  = "${WEST}"\n  profile = "westside"\n}\n`,
    `provider "aws" {\n  alias   = "broken"\n  region  = "${WEST}"\n  profile = "broken"\n}\n`,
  ].join('\n');
  const dir = workspace(extra, [{ name: 'west', provider: 'aws.westside' }, { name: 'west2', provider: 'aws.broken' }]);
  const reader = keyOf(scenario, 'drift-reader');
  writeFileSync(path.join(dir, 'aws-config'), `[profile westside]\nregion = ${WEST}\n\n[profile broken]\nregion = ${WEST}\n`);
  writeFileSync(path.join(dir, 'aws-credentials'), `[westside]\naws_access_key_id = ${reader.accessKeyId}\naws_secret_access_key = ${reader.secretAccessKey}\n\n[broken]\naws_access_key_id = ${reader.accessKeyId}\naws_secret_access_key = not-the-secret\n`);
  // The SDK's shared-config chain reads these from the process environment.
  const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
  process.env.AWS_CONFIG_FILE = path.join(dir, 'aws-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'aws-credentials');
  try {
    sandbox.resetStats();
    const { report } = await check(dir);
    const reasons = Object.fromEntries(report.notChecked.map((n) => [n.address, n.reason]));
    assert.equal(reasons['aws_vpc.west'], undefined, `read through the westside profile: ${JSON.stringify(reasons)}`);
    assert.match(reasons['aws_vpc.west2'] ?? '', /broken/, JSON.stringify(reasons));
    assert.deepEqual(report.drifts, []);
    assert.equal(sandbox.statsByRegion()[WEST]?.['ec2:DescribeVpcs'], 1, 'one read in us-west-2, by the westside profile');
  } finally {
    if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE; else process.env.AWS_CONFIG_FILE = saved.config;
    if (saved.credentials === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE; else process.env.AWS_SHARED_CREDENTIALS_FILE = saved.credentials;
  }
});
