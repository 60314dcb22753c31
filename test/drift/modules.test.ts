// Child modules, as Terraform evaluates them: call arguments bind variables, count/for_each expand
// instances, nested modules, outputs used by the parent, sources through modules.json — and every
// way a module call can be broken costs one line, never a crash or a guess.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffModules, driftLines, liveAt, modInstance } from './module-helpers';

const INSTANCE_MODULE = `
variable "name" { type = string }
variable "instance_type" {
  type    = string
  default = "t3.micro"
}
variable "create" {
  type    = bool
  default = true
}
resource "aws_instance" "this" {
  count         = var.create ? 1 : 0
  ami           = "ami-1"
  instance_type = var.instance_type
  tags          = { Name = var.name }
}
output "id" { value = aws_instance.this[0].id }
`;

const ec2 = (address: string, id: string, type: string, name: string) => ({
  state: modInstance(address, { id, ami: 'ami-1', instance_type: type, tags: { Name: name } }),
  live: (liveType = type, liveName = name) => liveAt(address, 'aws_instance', id, { ami: 'ami-1', instance_type: liveType, tags: { Name: liveName } }),
});

test('a local module: the call binds its variables, defaults fill the rest, drift is at the full address in the child file', async () => {
  const w = ec2('module.worker.aws_instance.this[0]', 'i-1', 't3.micro', 'worker');
  const files = { 'main.tf': 'module "worker" {\n  source = "./modules/worker"\n  name   = "worker"\n}\n', 'modules/worker/main.tf': INSTANCE_MODULE };
  const clean = await diffModules({ files, state: [w.state], live: [w.live()] });
  assert.deepEqual(driftLines(clean), []);
  assert.deepEqual(clean.checkedAddresses, ['module.worker.aws_instance.this[0]']);
  const r = await diffModules({ files, state: [w.state], live: [w.live('t3.large')] });
  assert.deepEqual(driftLines(r), ['module.worker.aws_instance.this[0] instance_type: "t3.micro" → "t3.large" @modules/worker/main.tf:14']);
});

test('for_each on a module call: each.key and each.value reach the child; only the drifted instance is reported', async () => {
  const blue = ec2('module.app["blue"].aws_instance.this[0]', 'i-b', 't3.small', 'app-blue');
  const green = ec2('module.app["green"].aws_instance.this[0]', 'i-g', 't3.large', 'app-green');
  const files = {
    'main.tf': `
locals {
  apps = { blue = "t3.small", green = "t3.large" }
}
module "app" {
  source        = "./modules/app"
  for_each      = local.apps
  name          = "app-\${each.key}"
  instance_type = each.value
}
`,
    'modules/app/main.tf': INSTANCE_MODULE,
  };
  const r = await diffModules({ files, state: [blue.state, green.state], live: [blue.live('t3.medium'), green.live()] });
  assert.deepEqual(driftLines(r), ['module.app["blue"].aws_instance.this[0] instance_type: "t3.small" → "t3.medium" @modules/app/main.tf:14']);
  assert.equal(r.checked, 2);
  const tags = await diffModules({ files, state: [blue.state, green.state], live: [blue.live(), green.live('t3.large', 'renamed')] });
  assert.deepEqual(driftLines(tags), ['module.app["green"].aws_instance.this[0] tags.Name: "app-green" → "renamed" @modules/app/main.tf:15']);
});

test('count on a module call: count.index in the arguments, instances module.net[0] and module.net[1]', async () => {
  const a = ec2('module.node[0].aws_instance.this[0]', 'i-0', 't3.micro', 'node-0');
  const b = ec2('module.node[1].aws_instance.this[0]', 'i-1', 't3.micro', 'node-1');
  const files = { 'main.tf': 'module "node" {\n  source = "./node"\n  count  = 2\n  name   = "node-${count.index}"\n}\n', 'node/main.tf': INSTANCE_MODULE };
  const r = await diffModules({ files, state: [a.state, b.state], live: [a.live(), b.live('t3.micro', 'node-0')] });
  assert.deepEqual(driftLines(r), ['module.node[1].aws_instance.this[0] tags.Name: "node-1" → "node-0" @node/main.tf:15']);
});

test('nested modules: a local source is relative to its caller, addresses chain module.outer.module.inner', async () => {
  const i = ec2('module.outer.module.inner.aws_instance.this[0]', 'i-n', 't3.nano', 'inner');
  const files = {
    'main.tf': 'module "outer" {\n  source = "./modules/outer"\n  size   = "t3.nano"\n}\n',
    'modules/outer/main.tf': 'variable "size" {}\nmodule "inner" {\n  source        = "../inner"\n  name          = "inner"\n  instance_type = var.size\n}\n',
    'modules/inner/main.tf': INSTANCE_MODULE,
  };
  const r = await diffModules({ files, state: [i.state], live: [i.live('t3.xlarge')] });
  assert.deepEqual(driftLines(r), ['module.outer.module.inner.aws_instance.this[0] instance_type: "t3.nano" → "t3.xlarge" @modules/inner/main.tf:14']);
});

test("a child's output feeds the parent: module.net.subnet_ids[0] is evaluated from the child's output against state", async () => {
  const files = {
    'main.tf': `
module "net" { source = "./net" }
resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  subnet_id     = module.net.subnet_ids[0]
}
`,
    'net/main.tf': `
resource "aws_subnet" "a" {
  vpc_id     = "vpc-1"
  cidr_block = "10.0.1.0/24"
}
output "subnet_ids" { value = [aws_subnet.a.id] }
`,
  };
  const state = [modInstance('module.net.aws_subnet.a', { id: 'subnet-a', vpc_id: 'vpc-1', cidr_block: '10.0.1.0/24' }), modInstance('aws_instance.web', { id: 'i-w', ami: 'ami-1', instance_type: 't3.micro', subnet_id: 'subnet-a' })];
  const subnet = liveAt('module.net.aws_subnet.a', 'aws_subnet', 'subnet-a', { vpc_id: 'vpc-1', cidr_block: '10.0.1.0/24' });
  const r = await diffModules({ files, state, live: [subnet, liveAt('aws_instance.web', 'aws_instance', 'i-w', { ami: 'ami-1', instance_type: 't3.micro', subnet_id: 'subnet-b' })] });
  assert.deepEqual(driftLines(r), ['aws_instance.web subnet_id: "subnet-a" → "subnet-b" @main.tf:6']);
});

test('an output the engine cannot evaluate stays unknown: the attribute is compared with state, never guessed', async () => {
  const files = {
    'main.tf': 'module "net" { source = "./net" }\nresource "aws_instance" "web" {\n  ami       = "ami-1"\n  subnet_id = module.net.first\n}\n',
    'net/main.tf': 'resource "aws_subnet" "a" {\n  count      = 1\n  vpc_id     = "vpc-1"\n  cidr_block = "10.0.1.0/24"\n}\noutput "first" { value = aws_subnet.a[*].id }\n',
  };
  const state = [modInstance('module.net.aws_subnet.a[0]', { id: 'subnet-a', vpc_id: 'vpc-1', cidr_block: '10.0.1.0/24' }), modInstance('aws_instance.web', { id: 'i-w', ami: 'ami-1', subnet_id: 'subnet-a' })];
  const web = (subnet: string) => liveAt('aws_instance.web', 'aws_instance', 'i-w', { ami: 'ami-1', subnet_id: subnet });
  const same = await diffModules({ files, state, live: [web('subnet-a')] });
  assert.deepEqual(driftLines(same), []);
  assert.ok(same.unknown.some((u) => u.address === 'aws_instance.web' && /splat/.test(u.reason)), JSON.stringify(same.unknown));
  const moved = await diffModules({ files, state, live: [web('subnet-z')] });
  assert.deepEqual(driftLines(moved), ['aws_instance.web subnet_id: "subnet-a" → "subnet-z" (vs state) @main.tf:4']);
});

test('a variable the call does not set and that has no default is unknown: state vs live, not a guess', async () => {
  const w = ec2('module.worker.aws_instance.this[0]', 'i-1', 't3.micro', 'worker');
  const files = { 'main.tf': 'module "worker" {\n  source = "./w"\n}\n', 'w/main.tf': INSTANCE_MODULE };
  const r = await diffModules({ files, state: [w.state], live: [w.live('t3.micro', 'worker')] });
  assert.deepEqual(driftLines(r), []);
  assert.ok(r.unknown.some((u) => /var\.name of module\.worker is required/.test(u.reason)), JSON.stringify(r.unknown));
});

test('an argument is converted to the variable type, as Terraform does (number "2" → 2, count from it)', async () => {
  const files = {
    'main.tf': 'module "pool" {\n  source = "./pool"\n  size   = "2"\n}\n',
    'pool/main.tf': 'variable "size" { type = number }\nresource "aws_instance" "n" {\n  count         = var.size\n  ami           = "ami-1"\n  instance_type = "t3.micro"\n}\n',
  };
  const state = [0, 1, 2].map((i) => modInstance(`module.pool.aws_instance.n[${i}]`, { id: `i-${i}`, ami: 'ami-1', instance_type: 't3.micro' }));
  const r = await diffModules({ files, state, live: state.map((s) => liveAt(s.address, 'aws_instance', String(s.attributes.id), { ami: 'ami-1', instance_type: 't3.micro' })) });
  assert.deepEqual(r.checkedAddresses?.sort(), ['module.pool.aws_instance.n[0]', 'module.pool.aws_instance.n[1]']);
  assert.deepEqual(r.notChecked.map((n) => n.address), ['module.pool.aws_instance.n[2]']);
});

test("the root provider's default_tags apply inside a child module; providers = { aws = aws.west } passes the west configuration (read in its region, without the root's default_tags)", async () => {
  const w = ec2('module.worker.aws_instance.this[0]', 'i-1', 't3.micro', 'worker');
  const e = ec2('module.west.aws_instance.this[0]', 'i-2', 't3.micro', 'west');
  const files = {
    'main.tf': `
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { Team = "core" }
  }
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
module "worker" {
  source = "./w"
  name   = "worker"
}
module "west" {
  source    = "./w"
  name      = "west"
  providers = { aws = aws.west }
}
`,
    'w/main.tf': INSTANCE_MODULE,
  };
  const live = liveAt(w.state.address, 'aws_instance', 'i-1', { ami: 'ami-1', instance_type: 't3.micro', tags: { Name: 'worker', Team: 'platform' } });
  const r = await diffModules({ files, region: 'us-east-1', state: [w.state, e.state], live: [live, e.live()] });
  assert.deepEqual(driftLines(r), ['module.worker.aws_instance.this[0] tags.Team: "core" → "platform" @w/main.tf:15']);
  // The snapshot holds what the regional reader read in us-west-2 (see regions-sandbox.test.ts): compared, no drift.
  assert.ok(r.checkedAddresses?.includes('module.west.aws_instance.this[0]'), JSON.stringify(r.notChecked));
});

test('a module instance in state that for_each no longer declares is listed, not compared', async () => {
  const blue = ec2('module.app["blue"].aws_instance.this[0]', 'i-b', 't3.micro', 'blue');
  const old = ec2('module.app["old"].aws_instance.this[0]', 'i-o', 't3.micro', 'old');
  const files = { 'main.tf': 'module "app" {\n  source   = "./app"\n  for_each = toset(["blue"])\n  name     = each.key\n}\n', 'app/main.tf': INSTANCE_MODULE };
  const r = await diffModules({ files, state: [blue.state, old.state], live: [blue.live(), old.live()] });
  assert.deepEqual(r.checkedAddresses, ['module.app["blue"].aws_instance.this[0]']);
  assert.deepEqual(r.notChecked.map((n) => `${n.address}: ${n.reason}`), ['module.app["old"].aws_instance.this[0]: in state, but `module.app` no longer declares the instance ["old"] (terraform apply would destroy it)']);
});

test('a registry module installed by terraform init is read from the directory modules.json names', async () => {
  const v = modInstance('module.vpc.aws_subnet.this["a"]', { id: 'subnet-a', vpc_id: 'vpc-1', cidr_block: '10.0.1.0/24' });
  const files = {
    'main.tf': 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.1.0"\n  subnets = { a = "10.0.1.0/24" }\n}\n',
    '.terraform/modules/vpc/main.tf': 'variable "subnets" { type = map(string) }\nresource "aws_subnet" "this" {\n  for_each   = var.subnets\n  vpc_id     = "vpc-1"\n  cidr_block = each.value\n}\n',
  };
  const manifest = [{ Key: 'vpc', Source: 'registry.terraform.io/terraform-aws-modules/vpc/aws', Version: '5.1.0', Dir: '.terraform/modules/vpc' }];
  const r = await diffModules({ files, manifest, state: [v], live: [liveAt(v.address, 'aws_subnet', 'subnet-a', { vpc_id: 'vpc-1', cidr_block: '10.0.9.0/24' })] });
  assert.deepEqual(driftLines(r), ['module.vpc.aws_subnet.this["a"] cidr_block: "10.0.1.0/24" → "10.0.9.0/24" @.terraform/modules/vpc/main.tf:5']);
  assert.equal(r.moduleInstances?.[0].installed, true);
});

// Bad input: one clear line each (where, and what to do); the rest of the workspace still checked.
const root = ec2('module.ok.aws_instance.this[0]', 'i-ok', 't3.micro', 'ok');
const okCall = 'module "ok" {\n  source = "./ok"\n  name   = "ok"\n}\n';
const badCases: Array<{ name: string; files: Record<string, string>; manifest?: Parameters<typeof diffModules>[0]['manifest']; state?: string; message: RegExp; severity: string }> = [
  { name: 'a registry module not installed', files: { 'x.tf': 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n' }, state: 'module.vpc.aws_vpc.this[0]', message: /^module `vpc` is not installed: run `terraform init`$/, severity: 'hint' },
  { name: 'a local source that points nowhere', files: { 'x.tf': 'module "net" {\n  source = "./nowhere"\n}\n' }, state: 'module.net.aws_vpc.this', message: /^module `net`: source \.\/nowhere points nowhere \(no Terraform files in nowhere\): fix the path$/, severity: 'error' },
  { name: 'a module call without source', files: { 'x.tf': 'module "net" {\n  name = "x"\n}\n' }, message: /^module `net` has no source argument/, severity: 'error' },
  { name: 'a cycle of local modules', files: { 'x.tf': 'module "a" {\n  source = "./a"\n}\n', 'a/main.tf': 'module "b" {\n  source = "../b"\n}\n', 'b/main.tf': 'module "a" {\n  source = "../a"\n}\n' }, message: /^module `a\.b\.a`: source \.\.\/a is a, which already calls it \(a cycle of local modules\)/, severity: 'error' },
  { name: 'a stale modules.json (source changed)', files: { 'x.tf': 'module "vpc" {\n  source = "cloudposse/vpc/aws"\n}\n', '.terraform/modules/vpc/main.tf': 'resource "aws_vpc" "this" {\n  cidr_block = "10.0.0.0/16"\n}\n' }, manifest: [{ Key: 'vpc', Source: 'registry.terraform.io/terraform-aws-modules/vpc/aws', Dir: '.terraform/modules/vpc' }], state: 'module.vpc.aws_vpc.this', message: /^module `vpc`: \.terraform\/modules\/modules\.json records source registry\.terraform\.io\/terraform-aws-modules\/vpc\/aws, but the call says cloudposse\/vpc\/aws \(stale\): run `terraform init`$/, severity: 'warning' },
  { name: 'a stale modules.json (directory gone)', files: { 'x.tf': 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n' }, manifest: [{ Key: 'vpc', Source: 'registry.terraform.io/terraform-aws-modules/vpc/aws', Dir: '.terraform/modules/vpc' }], message: /which has no Terraform files \(stale\): run `terraform init`$/, severity: 'warning' },
  { name: 'a corrupt modules.json', files: { 'x.tf': 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n' }, manifest: { problem: '.terraform/modules/modules.json is not valid JSON (Unexpected end of JSON input)' }, message: /^module `vpc` cannot be located: \.terraform\/modules\/modules\.json is not valid JSON \(Unexpected end of JSON input\): run `terraform init`$/, severity: 'error' },
  { name: 'for_each over an unknown value', files: { 'x.tf': 'module "app" {\n  source   = "./ok"\n  for_each = data.aws_subnets.all.ids\n  name     = each.key\n}\n' }, state: 'module.app["a"].aws_instance.this[0]', message: /^`module\.app`: for_each is not known \(data sources are not read\); its 1 instance in state is compared with the values recorded in state$/, severity: 'warning' },
];

for (const c of badCases) {
  test(`bad input: ${c.name} — one line, on the call, the rest still checked`, async () => {
    const stateOf = c.state ? [modInstance(c.state, { id: 'x-1', ami: 'ami-1', instance_type: 't3.micro', tags: { Name: 'a' }, cidr_block: '10.0.0.0/16' })] : [];
    const r = await diffModules({ files: { 'main.tf': okCall, 'ok/main.tf': INSTANCE_MODULE, ...c.files }, manifest: c.manifest, state: [root.state, ...stateOf], live: [root.live('t3.large')] });
    assert.equal(r.moduleProblems?.length, 1, JSON.stringify(r.moduleProblems));
    const p = r.moduleProblems![0];
    assert.match(p.message, c.message);
    assert.equal(p.severity, c.severity);
    assert.ok(p.file.endsWith('.tf'));
    assert.deepEqual(driftLines(r).filter((l) => l.startsWith('module.ok.')), ['module.ok.aws_instance.this[0] instance_type: "t3.micro" → "t3.large" @ok/main.tf:14']);
    if (c.state && c.severity !== 'warning') assert.ok(r.notChecked.some((n) => n.address === stateOf[0].address && n.reason === p.message), JSON.stringify(r.notChecked));
  });
}

test('for_each over an unknown value: the instances in state are compared, attributes fed by each.value against state', async () => {
  const a = ec2('module.app["a"].aws_instance.this[0]', 'i-a', 't3.small', 'a');
  const files = { 'main.tf': 'module "app" {\n  source        = "./app"\n  for_each      = data.aws_subnets.all.ids\n  name          = each.key\n  instance_type = each.value\n}\n', 'app/main.tf': INSTANCE_MODULE };
  const r = await diffModules({ files, state: [a.state], live: [a.live('t3.large', 'b')] });
  assert.deepEqual(driftLines(r), [
    'module.app["a"].aws_instance.this[0] instance_type: "t3.small" → "t3.large" (vs state) @app/main.tf:14',
    'module.app["a"].aws_instance.this[0] tags.Name: "a" → "b" @app/main.tf:15',
  ]);
});

test('placement: an installed module’s drift is also on the caller’s argument that feeds it, through installed parents', async () => {
  const v = modInstance('module.net.module.vpc.aws_vpc.this', { id: 'vpc-1', cidr_block: '10.0.0.0/16' });
  const files = {
    'main.tf': 'module "net" {\n  source = "acme/net/aws"\n  range  = "10.0.0.0/16"\n}\n',
    '.terraform/modules/net/main.tf': 'variable "range" {}\nmodule "vpc" {\n  source = "./vpc"\n  cidr   = var.range\n}\n',
    '.terraform/modules/net/vpc/main.tf': 'variable "cidr" {}\nresource "aws_vpc" "this" {\n  cidr_block = var.cidr\n}\n',
  };
  const manifest = [{ Key: 'net', Source: 'registry.terraform.io/acme/net/aws', Dir: '.terraform/modules/net' }, { Key: 'net.vpc', Source: './vpc', Dir: '.terraform/modules/net/vpc' }];
  const r = await diffModules({ files, manifest, state: [v], live: [liveAt(v.address, 'aws_vpc', 'vpc-1', { cidr_block: '10.9.0.0/16' })] });
  assert.deepEqual(driftLines(r), ['module.net.module.vpc.aws_vpc.this cidr_block: "10.0.0.0/16" → "10.9.0.0/16" @.terraform/modules/net/vpc/main.tf:3']);
  assert.deepEqual(r.drifts[0].callers?.map((c) => `${c.module} ${c.argument} main.tf:${c.range.start.line + 1} ${c.file}`), ['module.net.module.vpc range main.tf:3 /ws/main.tf']);
});

test('placement: a local module used once is edited where it is: no caller placement', async () => {
  const w = ec2('module.worker.aws_instance.this[0]', 'i-1', 't3.micro', 'worker');
  const files = { 'main.tf': 'module "worker" {\n  source = "./w"\n  name   = "worker"\n}\n', 'w/main.tf': INSTANCE_MODULE };
  const r = await diffModules({ files, state: [w.state], live: [w.live('t3.large')] });
  assert.equal(r.drifts.length, 1);
  assert.equal(r.drifts[0].callers, undefined);
});

// Adopt writes where the value is written: the origin of each drifted value, and what else it feeds.
const originOf = (r: Awaited<ReturnType<typeof diffModules>>) => r.drifts.map((d) => (d.origin ? `${d.address}: ${d.origin.kind} ${d.origin.where} also [${d.origin.alsoChanges.join(', ')}]` : `${d.address}: attribute`));

test('origin: a root variable set in terraform.tfvars, also read by another resource', async () => {
  const files = {
    'main.tf': 'variable "size" { default = "t3.micro" }\nresource "aws_instance" "a" {\n  instance_type = var.size\n}\nresource "aws_instance" "b" {\n  instance_type = var.size\n}\n',
    'terraform.tfvars': 'size = "t3.small"\n',
  };
  const state = ['a', 'b'].map((n) => modInstance(`aws_instance.${n}`, { id: `i-${n}`, instance_type: 't3.small' }));
  const r = await diffModules({ files, state, live: [liveAt('aws_instance.a', 'aws_instance', 'i-a', { instance_type: 't3.large' }), liveAt('aws_instance.b', 'aws_instance', 'i-b', { instance_type: 't3.small' })] });
  assert.deepEqual(originOf(r), ['aws_instance.a: tfvars terraform.tfvars:1 also [aws_instance.b]']);
  assert.deepEqual(r.drifts[0].origin?.range, { start: { line: 0, character: 7 }, end: { line: 0, character: 17 } });
});

test('origin: a variable default, a local, a module call argument (also the other instances), or nothing editable', async () => {
  const files = {
    'main.tf': `
variable "size" { default = "t3.micro" }
locals {
  owner = "core"
}
module "app" {
  source   = "./app"
  for_each = toset(["blue", "green"])
  name     = each.key
  size     = "t3.small"
  owner    = local.owner
}
resource "aws_instance" "solo" {
  instance_type = var.size
}
`,
    'app/main.tf': 'variable "name" {}\nvariable "size" {}\nvariable "owner" {}\nvariable "ami" { default = "ami-1" }\nresource "aws_instance" "this" {\n  ami           = var.ami\n  instance_type = var.size\n  key_name      = var.owner\n  subnet_id     = "subnet-${var.name}"\n}\n',
  };
  const inst = (a: string, id: string, attrs: Record<string, unknown>) => ({ state: modInstance(a, { id, ...attrs }), live: (l: Record<string, unknown>) => liveAt(a, 'aws_instance', id, l) });
  const blue = inst('module.app["blue"].aws_instance.this', 'i-b', { ami: 'ami-1', instance_type: 't3.small', key_name: 'core', subnet_id: 'subnet-blue' });
  const green = inst('module.app["green"].aws_instance.this', 'i-g', { ami: 'ami-1', instance_type: 't3.small', key_name: 'core', subnet_id: 'subnet-green' });
  const solo = inst('aws_instance.solo', 'i-s', { instance_type: 't3.micro' });
  const r = await diffModules({
    files, state: [blue.state, green.state, solo.state],
    live: [
      blue.live({ ami: 'ami-2', instance_type: 't3.large', key_name: 'ops', subnet_id: 'subnet-x' }),
      green.live({ ami: 'ami-1', instance_type: 't3.small', key_name: 'core', subnet_id: 'subnet-green' }),
      solo.live({ instance_type: 't3.nano' }),
    ],
  });
  assert.deepEqual(originOf(r).sort(), [
    'aws_instance.solo: default the default of var.size (main.tf:2) also []',
    'module.app["blue"].aws_instance.this: attribute',
    'module.app["blue"].aws_instance.this: default the default of var.ami (main.tf:4) also [module.app["green"]]',
    'module.app["blue"].aws_instance.this: argument size = … of module.app (main.tf:10) also [module.app["green"]]',
    'module.app["blue"].aws_instance.this: local local.owner (main.tf:4) also [module.app["green"]]',
  ].sort());
});

test('origin: a value from TF_VAR_ or an installed module has no editable origin', async () => {
  const files = {
    'main.tf': 'module "vpc" {\n  source = "acme/vpc/aws"\n}\n',
    '.terraform/modules/vpc/main.tf': 'variable "cidr" { default = "10.0.0.0/16" }\nresource "aws_vpc" "this" {\n  cidr_block = var.cidr\n}\n',
  };
  const v = modInstance('module.vpc.aws_vpc.this', { id: 'vpc-1', cidr_block: '10.0.0.0/16' });
  const r = await diffModules({ files, manifest: [{ Key: 'vpc', Source: 'acme/vpc/aws', Dir: '.terraform/modules/vpc' }], state: [v], live: [liveAt(v.address, 'aws_vpc', 'vpc-1', { cidr_block: '10.1.0.0/16' })] });
  assert.deepEqual(originOf(r), ['module.vpc.aws_vpc.this: attribute']);
});
