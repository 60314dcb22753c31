// Provider configurations, aliases and module `providers = {}` passing, as Terraform resolves them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import type { StateInstance, TopBlock } from '../../server/src/model';
import { ModuleScope } from '../../server/src/drift/module-scope';
import { ModuleFrame, parseProvidersMap, parseStateProvider, providerConfigs, providerTarget, resolveProvider, resourceProviderRef } from '../../server/src/drift/providers';
import { planProviderTargets } from '../../server/src/drift/provider-plan';
import { instance } from './helpers';

async function moduleOf(name: string, text: string, env: Record<string, string> = {}): Promise<{ blocks: TopBlock[]; frame: (address: string, call?: TopBlock) => ModuleFrame }> {
  const file = await parseHclFile(`/ws/${name}`, text);
  const scope = new ModuleScope([file], { present: false, instancesOf: () => [] }, { env });
  return { blocks: file.blocks, frame: (address, call) => ({ address, call, providers: providerConfigs(file.blocks, scope, address) }) };
}

const ROOT = `
variable "west" { default = "us-west-2" }
provider "aws" { region = "us-east-1" }
provider "aws" {
  alias  = "west"
  region = var.west
}
provider "aws" {
  alias   = "audit"
  region  = "eu-west-1"
  profile = "auditor"
  assume_role {
    role_arn     = "arn:aws:iam::210987654321:role/audit"
    session_name = "drift"
    duration     = "15m"
  }
}
resource "aws_vpc" "east" { cidr_block = "10.0.0.0/16" }
resource "aws_vpc" "west" {
  provider   = aws.west
  cidr_block = "10.1.0.0/16"
}
resource "aws_vpc" "nowhere" {
  provider   = aws.nowhere
  cidr_block = "10.2.0.0/16"
}
module "net" {
  source    = "./net"
  providers = { aws = aws.west, aws.peer = aws }
}
module "plain" { source = "./net" }
`;

const CHILD = `resource "aws_vpc" "this" { cidr_block = "10.9.0.0/16" }
resource "aws_vpc" "peer" {
  provider   = aws.peer
  cidr_block = "10.8.0.0/16"
}
resource "aws_iam_role" "own" {
  provider = aws.own
  name     = "x"
}
provider "aws" {
  alias  = "own"
  region = "ap-south-1"
}
`;

test('a resource uses its provider argument, else the default configuration of its type\'s provider', async () => {
  const root = await moduleOf('main.tf', ROOT);
  const frames = [root.frame('')];
  const regionOf = (address: string) => {
    const block = root.blocks.find((b) => b.address === address)!;
    const r = resolveProvider(frames, resourceProviderRef(block).ref!);
    return r.ok ? r.config.region : `error: ${r.reason}`;
  };
  assert.equal(regionOf('aws_vpc.east'), 'us-east-1');
  assert.equal(regionOf('aws_vpc.west'), 'us-west-2', 'region from a variable default');
  assert.match(String(regionOf('aws_vpc.nowhere')), /^error: provider aws\.nowhere is not defined: no provider "aws" block has alias = "nowhere" \(defined: aws\.west, aws\.audit\)$/);
});

test('a variable set by TF_VAR_ decides the alias\'s region', async () => {
  const root = await moduleOf('main.tf', ROOT, { west: 'us-west-1' });
  assert.equal(root.frame('').providers.get('aws.west')?.region, 'us-west-1');
});

test('module calls pass configurations by providers = {}; without it only defaults are inherited', async () => {
  const root = await moduleOf('main.tf', ROOT);
  const child = await moduleOf('net/main.tf', CHILD);
  const call = (name: string) => root.blocks.find((b) => b.kind === 'module' && b.labels[0] === name)!;
  const resolve = (callName: string, address: string) => {
    const frames = [root.frame(''), child.frame(`module.${callName}`, call(callName))];
    const r = resolveProvider(frames, resourceProviderRef(child.blocks.find((b) => b.address === address)!).ref!);
    return r.ok ? `${r.config.module || 'root'}:${r.config.key}:${String(r.config.region)}` : `error: ${r.reason}`;
  };
  assert.equal(resolve('net', 'aws_vpc.this'), 'root:aws.west:us-west-2', 'providers = { aws = aws.west }');
  assert.equal(resolve('net', 'aws_vpc.peer'), 'root:aws:us-east-1', 'aws.peer = aws');
  assert.equal(resolve('net', 'aws_iam_role.own'), 'module.net:aws.own:ap-south-1', 'a configuration the child declares itself');
  assert.equal(resolve('plain', 'aws_vpc.this'), 'root:aws:us-east-1', 'no providers argument: the default is inherited');
  assert.match(resolve('plain', 'aws_vpc.peer'), /^error: module\.plain uses provider aws\.peer, but its call has no providers argument to pass it \(\/ws\/main\.tf:\d+\)$/);
});

test('a providers argument that leaves out the default passes nothing for it', async () => {
  const root = await moduleOf('main.tf', `provider "aws" {}\nprovider "aws" {\n  alias = "w"\n}\nmodule "m" {\n  source = "./m"\n  providers = {\n    aws.x = aws.w\n  }\n}\n`);
  const child = await moduleOf('m/main.tf', 'resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }\n');
  const frames = [root.frame(''), child.frame('module.m', root.blocks.find((b) => b.kind === 'module')!)];
  const r = resolveProvider(frames, { local: 'aws' });
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.reason : '', /module\.m uses provider aws, but its call's providers argument does not pass it \(\/ws\/main\.tf:7\)/);
});

test('provider targets: region, profile and assume_role; unknown values are reasons', async () => {
  const root = await moduleOf('main.tf', ROOT + 'variable "nope" {}\nprovider "aws" {\n  alias  = "unset"\n  region = var.nope\n}\n');
  const p = root.frame('').providers;
  assert.deepEqual(providerTarget(p.get('aws.audit')!), { ok: true, target: { region: 'eu-west-1', profile: 'auditor', assumeRole: { roleArn: 'arn:aws:iam::210987654321:role/audit', sessionName: 'drift', durationSeconds: 900 } } });
  assert.deepEqual(providerTarget(p.get('aws')!), { ok: true, target: { region: 'us-east-1' } });
  const unset = providerTarget(p.get('aws.unset')!);
  assert.equal(unset.ok, false);
  assert.match(!unset.ok ? unset.reason : '', /^provider aws\.unset \(\/ws\/main\.tf:\d+\): region is not known \(.*var\.nope.*\)$/);
});

test('providers maps and state provider addresses parse', () => {
  assert.deepEqual([...parseProvidersMap('{\n  aws      = aws.west # comment\n  aws.peer = aws\n}')!.entries()], [['aws', { local: 'aws', alias: 'west' }], ['aws.peer', { local: 'aws' }]]);
  assert.equal(parseProvidersMap('var.providers'), undefined);
  assert.deepEqual(parseStateProvider('provider["registry.terraform.io/hashicorp/aws"].west'), { module: '', local: 'aws', alias: 'west' });
  assert.deepEqual(parseStateProvider('module.net.provider["registry.terraform.io/hashicorp/aws"]'), { module: 'module.net', local: 'aws' });
});

test('the plan groups instances by target; an undefined alias is a problem at its line and its instances are not checked', async () => {
  const root = await moduleOf('main.tf', ROOT);
  const blocks = new Map(root.blocks.filter((b) => b.kind === 'resource').map((b) => [b.address, b]));
  const child: StateInstance = { ...instance('aws_vpc.this', { id: 'vpc-c' }), address: 'module.net.aws_vpc.this', resourceAddress: 'module.net.aws_vpc.this', module: 'module.net', provider: 'provider["registry.terraform.io/hashicorp/aws"].west' };
  const plan = planProviderTargets({
    rootProviders: root.frame('').providers,
    rootBlocks: blocks,
    instances: [instance('aws_vpc.east', { id: 'vpc-e' }), instance('aws_vpc.west', { id: 'vpc-w' }), instance('aws_vpc.nowhere', { id: 'vpc-n' }), child],
  });
  assert.deepEqual(plan.targets.map((t) => [t.target.region, t.instances.map((i) => i.address)]), [['us-east-1', ['aws_vpc.east']], ['us-west-2', ['aws_vpc.west', 'module.net.aws_vpc.this']]]);
  assert.deepEqual(plan.unreadable.map((n) => n.address), ['aws_vpc.nowhere']);
  assert.match(plan.unreadable[0].reason, /provider aws\.nowhere is not defined.*\(\/ws\/main\.tf:24\)$/);
  assert.equal(plan.problems.length, 1);
  assert.equal(plan.problems[0].range.start.line + 1, 24);
  assert.match(plan.problems[0].message, /^aws_vpc\.nowhere: provider aws\.nowhere is not defined/);
});
