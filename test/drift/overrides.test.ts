// Terraform's override-file merge, rule by rule (Terraform docs "Override Files" and its merge code),
// on real parsed HCL; then the drift engine on a merged provider and a merged resource argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import { applyOverrides } from '../../server/src/drift/overrides';
import { ModuleScope } from '../../server/src/drift/module-scope';
import type { Block, TopBlock } from '../../server/src/model';
import { diff, instance, live, summary } from './helpers';

async function merge(files: Record<string, string>) {
  const parsed = await Promise.all(Object.entries(files).map(([name, text]) => parseHclFile(`/ws/${name}`, text)));
  return applyOverrides(parsed);
}

/** A block as text-free data: argument name = source text (@file when merged from elsewhere), nested blocks by type. */
function shape(b: Block): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of b.attributes) out[a.name] = a.expression + (a.file ? ` @${a.file.replace('/ws/', '')}` : '');
  for (const n of b.blocks) {
    const key = n.type === 'dynamic' ? `dynamic ${n.labels[0]}` : n.type;
    out[key] = [...((out[key] as unknown[]) ?? []), { ...shape(n), ...(n.file ? { '@': n.file.replace('/ws/', '') } : {}) }];
  }
  return out;
}

function find(files: Array<{ blocks: TopBlock[] }>, address: string): TopBlock {
  const b = files.flatMap((f) => f.blocks).find((x) => x.address === address);
  assert.ok(b, `no block ${address}`);
  return b;
}

test('override merge rules, one row per rule', async (t) => {
  const rows: Array<{ name: string; files: Record<string, string>; address: string; want: Record<string, unknown> }> = [
    {
      name: 'an argument replaces the argument of the same name; the others stay',
      files: { 'main.tf': 'resource "aws_instance" "web" {\n  ami = "a"\n  instance_type = "t3.micro"\n}\n', 'override.tf': 'resource "aws_instance" "web" {\n  ami = "b"\n}\n' },
      address: 'aws_instance.web',
      want: { instance_type: '"t3.micro"', ami: '"b" @override.tf' },
    },
    {
      name: 'nested blocks replace all blocks of that type; other types stay (provider endpoints vs default_tags)',
      files: {
        'providers.tf': 'provider "aws" {\n  region = "us-east-1"\n  default_tags {\n    tags = { Project = "demo" }\n  }\n  endpoints {\n    s3 = "http://a"\n  }\n  endpoints {\n    ec2 = "http://b"\n  }\n}\n',
        'localstack_override.tf': 'provider "aws" {\n  endpoints {\n    sts = "http://c"\n  }\n}\n',
      },
      address: 'provider.aws',
      want: { region: '"us-east-1"', default_tags: [{ tags: '{ Project = "demo" }' }], endpoints: [{ sts: '"http://c"', '@': 'localstack_override.tf' }] },
    },
    {
      name: 'a dynamic block in the override replaces static blocks of its type, and a static one replaces dynamic ones',
      files: {
        'main.tf': 'resource "aws_security_group" "a" {\n  ingress {\n    from_port = 1\n  }\n  dynamic "egress" {\n    for_each = []\n    content {}\n  }\n}\n',
        'override.tf': 'resource "aws_security_group" "a" {\n  dynamic "ingress" {\n    for_each = []\n    content {}\n  }\n  egress {\n    from_port = 2\n  }\n}\n',
      },
      address: 'aws_security_group.a',
      want: { 'dynamic ingress': [{ for_each: '[]', content: [{}], '@': 'override.tf' }], egress: [{ from_port: '2', '@': 'override.tf' }] },
    },
    {
      name: 'lifecycle merges argument by argument; an empty ignore_changes keeps the original',
      files: {
        'main.tf': 'resource "aws_instance" "web" {\n  lifecycle {\n    ignore_changes = [tags]\n    prevent_destroy = true\n  }\n}\n',
        'override.tf': 'resource "aws_instance" "web" {\n  lifecycle {\n    create_before_destroy = true\n    prevent_destroy = false\n    ignore_changes = []\n  }\n}\n',
      },
      address: 'aws_instance.web',
      want: { lifecycle: [{ ignore_changes: '[tags]', prevent_destroy: 'false @override.tf', create_before_destroy: 'true @override.tf' }] },
    },
    {
      name: 'provisioner and connection blocks in the override replace all of the original ones',
      files: {
        'main.tf': 'resource "aws_instance" "web" {\n  provisioner "local-exec" {\n    command = "a"\n  }\n  provisioner "local-exec" {\n    command = "b"\n  }\n  connection {\n    host = "x"\n  }\n}\n',
        'override.tf': 'resource "aws_instance" "web" {\n  provisioner "remote-exec" {\n    inline = []\n  }\n}\n',
      },
      address: 'aws_instance.web',
      want: { connection: [{ host: '"x"' }], provisioner: [{ inline: '[]', '@': 'override.tf' }] },
    },
    {
      name: 'locals merge per name, whatever block they are in',
      files: { 'a.tf': 'locals {\n  a = 1\n  b = 2\n}\n', 'b.tf': 'locals {\n  c = 3\n}\n', 'x_override.tf': 'locals {\n  b = 20\n  c = 30\n}\n' },
      address: 'locals',
      want: { a: '1', b: '20 @x_override.tf' },
    },
    {
      name: 'variable: type and default merge separately',
      files: { 'variables.tf': 'variable "n" {\n  type = string\n  default = "1"\n  description = "d"\n}\n', 'override.tf': 'variable "n" {\n  type = number\n}\n' },
      address: 'var.n',
      want: { default: '"1"', description: '"d"', type: 'number @override.tf' },
    },
    {
      name: 'module: source and arguments can be overridden',
      files: { 'main.tf': 'module "net" {\n  source = "./net"\n  cidr = "10.0.0.0/16"\n}\n', 'override.tf': 'module "net" {\n  source = "./net2"\n}\n' },
      address: 'module.net',
      want: { cidr: '"10.0.0.0/16"', source: '"./net2" @override.tf' },
    },
    {
      name: 'later override files win (lexical order), then later blocks in a file',
      files: {
        'main.tf': 'resource "aws_instance" "web" {\n  ami = "a"\n}\n',
        'b_override.tf': 'resource "aws_instance" "web" {\n  ami = "from-b"\n}\n',
        'a_override.tf': 'resource "aws_instance" "web" {\n  ami = "from-a-1"\n}\nresource "aws_instance" "web" {\n  ami = "from-a-2"\n}\n',
      },
      address: 'aws_instance.web',
      want: { ami: '"from-b" @b_override.tf' },
    },
    {
      name: 'output: value replaced',
      files: { 'outputs.tf': 'output "id" {\n  value = 1\n  description = "x"\n}\n', 'override.tf': 'output "id" {\n  value = 2\n}\n' },
      address: 'output.id',
      want: { description: '"x"', value: '2 @override.tf' },
    },
  ];
  for (const row of rows) {
    await t.test(row.name, async () => {
      const { files, problems } = await merge(row.files);
      assert.deepEqual(problems, []);
      assert.deepEqual(shape(find(files, row.address)), row.want);
      assert.ok(!files.some((f) => f.file.endsWith('override.tf') && f.blocks.length), 'override blocks are merged, not kept');
    });
  }
});

test('terraform block: required_providers per provider, required_version replaced, backend and cloud replace each other', async () => {
  const { files, problems } = await merge({
    'versions.tf': 'terraform {\n  required_version = ">= 1.5"\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "~> 5.0" }\n    random = { source = "hashicorp/random" }\n  }\n  backend "s3" {\n    bucket = "a"\n  }\n}\n',
    'override.tf': 'terraform {\n  required_version = ">= 1.6"\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "~> 6.0" }\n  }\n  backend "local" {\n    path = "x.tfstate"\n  }\n}\n',
  });
  assert.deepEqual(problems, []);
  const tf = find(files, 'terraform');
  const s = shape(tf);
  assert.equal(s.required_version, '">= 1.6" @override.tf');
  const rp = tf.blocks.find((b) => b.type === 'required_providers')!;
  assert.deepEqual(rp.attributes.map((a) => `${a.name} ${a.file ? 'override' : 'base'}`).sort(), ['aws override', 'random base']);
  assert.deepEqual(tf.blocks.filter((b) => b.type === 'backend').map((b) => b.labels[0]), ['local']);
});

test('an override of an unknown object is an error naming the override file and line', async () => {
  const { problems } = await merge({
    'main.tf': 'resource "aws_instance" "web" {\n  ami = "a"\n}\nlocals {\n  a = 1\n}\n',
    'override.tf': [
      'resource "aws_instance" "typo" {\n  ami = "b"\n}', // line 1
      'variable "nope" {\n  default = 1\n}', // line 4
      'locals {\n  zzz = 2\n}', // local on line 8
      'provider "aws" {\n  alias = "west"\n}', // line 10
      'resource "aws_instance" "web" {\n  depends_on = [aws_instance.other]\n}', // depends_on on line 14
      'moved {\n  from = a.b\n  to = a.c\n}', // line 16
      'provider "aws" {\n  region = "eu-west-1"\n}', // default provider without base: fine (implied empty configuration)
    ].join('\n') + '\n',
  });
  const got = problems.map((p) => `${p.file.replace('/ws/', '')}:${p.range.start.line + 1} ${p.message.split(':')[0]}`);
  assert.deepEqual(got, [
    'override.tf:1 there is no aws_instance resource named "typo"',
    'override.tf:4 there is no variable named "nope"',
    'override.tf:8 there is no local value named "zzz"',
    'override.tf:10 there is no aws provider configuration with the alias "west"',
    'override.tf:14 aws_instance.web',
    'override.tf:16 moved blocks cannot be overridden',
  ]);
  assert.match(problems[4].message, /depends_on argument may not be overridden/);
});

test('a provider override that sets only endpoints keeps default_tags: no false tag drift', async () => {
  const providers = 'provider "aws" {\n  region = "us-east-1"\n  default_tags {\n    tags = { Project = "demo", ManagedBy = "terraform" }\n  }\n}\n';
  const main = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n  tags = { Name = "main" }\n}\n';
  const state = [instance('aws_vpc.main', { id: 'vpc-1', cidr_block: '10.0.0.0/16', tags: { Name: 'main' } })];
  const liveVpc = [live('aws_vpc.main', 'aws_vpc', 'vpc-1', { cidr_block: '10.0.0.0/16', tags: { Name: 'main', Project: 'demo', ManagedBy: 'terraform' } })];
  const report = await diff({
    files: { 'providers.tf': providers, 'main.tf': main, 'override.tf': 'provider "aws" {\n  endpoints {\n    ec2 = "http://localhost:4566"\n  }\n}\n' },
    state,
    live: liveVpc,
  });
  assert.deepEqual(summary(report), []);
});

test('a drift on an argument set by an override file is reported in that file, at the override', async () => {
  const main = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n  enable_dns_hostnames = true\n}\n';
  const over = '# test set-up\nresource "aws_vpc" "main" {\n  cidr_block = "10.9.0.0/16"\n}\n';
  const state = [instance('aws_vpc.main', { id: 'vpc-1', cidr_block: '10.9.0.0/16' })];
  const report = await diff({
    files: { 'main.tf': main, 'test_override.tf': over },
    state,
    live: [live('aws_vpc.main', 'aws_vpc', 'vpc-1', { cidr_block: '10.0.0.0/16', enable_dns_hostnames: true })],
  });
  const d = report.drifts.find((x) => x.attributePath[0] === 'cidr_block');
  assert.ok(d, JSON.stringify(summary(report)));
  assert.equal(d.file, '/ws/test_override.tf');
  assert.equal(d.range.start.line, 2);
  assert.equal(d.declared, '10.9.0.0/16');
  assert.equal(report.checked, 1, 'one merged block, compared once');
});

test('a local overridden in an override file is what references see', async () => {
  // The override comes first in the list: file order must not decide, the override rule must.
  const parsed = await Promise.all([
    parseHclFile('/ws/override.tf', 'locals {\n  env = "test"\n}\n'),
    parseHclFile('/ws/main.tf', 'locals {\n  env = "prod"\n}\n'),
  ]);
  const scope = new ModuleScope(parsed, { present: false, instancesOf: () => [] });
  assert.equal(scope.local('env'), 'test');
});
