import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diff, instance, live, summary } from './helpers';

const SG = `
resource "aws_security_group" "web" {
  name        = "web"
  description = "web tier"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0", "10.0.0.0/8"]
  }
  ingress {
    from_port       = 22
    to_port         = 22
    protocol        = "tcp"
    self            = true
  }
  tags = { Name = "web", Env = var.env }
}
variable "env" { default = "prod" }
`;

const sgLive = (ingress: unknown[], tags: Record<string, string> = { Name: 'web', Env: 'prod' }) =>
  live('aws_security_group.web', 'aws_security_group', 'sg-1', { name: 'web', description: 'web tier', vpc_id: 'vpc-1', ingress, egress: [], tags });

const rule = (from: number, source: Record<string, unknown>) => ({ protocol: 'tcp', from_port: from, to_port: from, cidr_blocks: [], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false, description: '', ...source });

const sgState = [instance('aws_vpc.main', { id: 'vpc-1' }), instance('aws_security_group.web', { id: 'sg-1', vpc_id: 'vpc-1' })];

test('set ordering and grouping of security group rules is not drift', async () => {
  const r = await diff({
    files: { 'main.tf': SG },
    state: sgState,
    // Live groups rules per source and lists them in another order; self appears as the group id.
    live: [sgLive([rule(22, { security_groups: ['sg-1'] }), rule(443, { cidr_blocks: ['10.0.0.0/8'] }), rule(443, { cidr_blocks: ['0.0.0.0/0'] })])],
  });
  assert.deepEqual(summary(r), []);
  assert.equal(r.checked, 1);
});

test('an added ingress rule is drift on ingress, with severity error', async () => {
  const r = await diff({
    files: { 'main.tf': SG },
    state: sgState,
    live: [sgLive([rule(22, { self: true }), rule(443, { cidr_blocks: ['10.0.0.0/8', '0.0.0.0/0'] }), rule(3389, { cidr_blocks: ['0.0.0.0/0'] })])],
  });
  assert.deepEqual(summary(r), ['changed aws_security_group.web ingress']);
  assert.equal(r.drifts[0].severity, 'error');
});

test('tag drift is per key, resolved through variables, with the key range', async () => {
  const r = await diff({ files: { 'main.tf': SG }, state: sgState, live: [sgLive([rule(22, { self: true }), rule(443, { cidr_blocks: ['10.0.0.0/8', '0.0.0.0/0'] })], { Name: 'web', Env: 'dev', Owner: 'carol' })] });
  assert.deepEqual(summary(r), ['changed aws_security_group.web tags.Env', 'changed aws_security_group.web tags.Owner']);
  const env = r.drifts.find((d) => d.attributePath[1] === 'Env')!;
  assert.equal(env.declared, 'prod');
  assert.equal(env.live, 'dev');
  assert.equal(env.range.start.line, 17);
  assert.equal(env.severity, 'info');
});

test('unknown declared values produce no drift when state agrees with live', async () => {
  const files = { 'main.tf': 'resource "aws_instance" "web" {\n  ami = data.aws_ami.latest.id\n  instance_type = var.size\n}\nvariable "size" {}\n' };
  const state = [instance('aws_instance.web', { id: 'i-1', ami: 'ami-1', instance_type: 't3.micro', tags: {} })];
  const r = await diff({ files, state, live: [live('aws_instance.web', 'aws_instance', 'i-1', { ami: 'ami-1', instance_type: 't3.micro', tags: {} })] });
  assert.deepEqual(summary(r), []);
  assert.ok(r.unknown.some((u) => u.attributePath[0] === 'ami'));
});

test('unknown declared values fall back to state vs live and say so', async () => {
  const files = { 'main.tf': 'resource "aws_instance" "web" {\n  ami = "ami-1"\n  instance_type = var.size\n}\nvariable "size" {}\n' };
  const state = [instance('aws_instance.web', { id: 'i-1', instance_type: 't3.micro' })];
  const r = await diff({ files, state, live: [live('aws_instance.web', 'aws_instance', 'i-1', { ami: 'ami-1', instance_type: 't3.large', tags: {} })] });
  assert.deepEqual(summary(r), ['changed aws_instance.web instance_type (state)']);
  assert.match(r.drifts[0].note ?? '', /not known/);
});

test('a whole unknown live read never becomes drift', async () => {
  const files = { 'main.tf': 'resource "aws_instance" "web" {\n  ami = "ami-1"\n}\n' };
  const r = await diff({ files, state: [instance('aws_instance.web', { id: 'i-1' })], unknown: { 'aws_instance.web': 'ThrottlingException' } });
  assert.deepEqual(summary(r), []);
  assert.equal(r.unknown[0].reason, 'ThrottlingException');
});

test('provider defaults are not drift; a changed default is', async () => {
  const files = { 'main.tf': 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n' };
  const state = [instance('aws_vpc.main', { id: 'vpc-1', instance_tenancy: 'default' })];
  const same = await diff({ files, state, live: [live('aws_vpc.main', 'aws_vpc', 'vpc-1', { cidr_block: '10.0.0.0/16', instance_tenancy: 'default', tags: {} })] });
  assert.deepEqual(summary(same), []);
  const changed = await diff({ files, state, live: [live('aws_vpc.main', 'aws_vpc', 'vpc-1', { cidr_block: '10.0.0.0/16', instance_tenancy: 'dedicated', tags: {} })] });
  assert.deepEqual(summary(changed), ['changed aws_vpc.main instance_tenancy']);
});

test('JSON policies compare semantically: jsonencode vs heredoc vs reordered live', async () => {
  const heredoc = `resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = <<-EOF
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": "ec2.amazonaws.com"}}]}
  EOF
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.app.name
  name = "p"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:ListBucket"], Resource = "*" }]
  })
}`;
  const state = [instance('aws_iam_role.app', { id: 'app', name: 'app' }), instance('aws_iam_role_policy.p', { id: 'app:p' })];
  const liveRole = live('aws_iam_role.app', 'aws_iam_role', 'app', {
    name: 'app', path: '/', description: '', max_session_duration: 3600, permissions_boundary: '', tags: {},
    assume_role_policy: JSON.stringify({ Statement: { Principal: { Service: ['ec2.amazonaws.com'] }, Action: 'sts:AssumeRole', Effect: 'Allow' }, Version: '2012-10-17' }),
  });
  const livePolicy = (actions: string[]) =>
    live('aws_iam_role_policy.p', 'aws_iam_role_policy', 'app:p', { role: 'app', name: 'p', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Resource: ['*'], Effect: 'Allow', Action: actions }] }) });
  const same = await diff({ files: { 'main.tf': heredoc }, state, live: [liveRole, livePolicy(['s3:ListBucket', 's3:GetObject'])] });
  assert.deepEqual(summary(same), []);
  const changed = await diff({ files: { 'main.tf': heredoc }, state, live: [liveRole, livePolicy(['s3:*'])] });
  assert.deepEqual(summary(changed), ['changed aws_iam_role_policy.p policy']);
});

test('count and for_each instances are diffed per instance with each.* resolved', async () => {
  const files = {
    'main.tf': `resource "aws_subnet" "s" {
  for_each   = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
  vpc_id     = "vpc-1"
  cidr_block = each.value
  tags       = { Name = "subnet-\${each.key}" }
}
resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-1"
  instance_type = "t3.micro"
  tags          = { Name = "web-\${count.index}" }
}`,
  };
  const state = [
    instance('aws_subnet.s["a"]', { id: 'subnet-a' }), instance('aws_subnet.s["b"]', { id: 'subnet-b' }),
    instance('aws_instance.web[0]', { id: 'i-0' }), instance('aws_instance.web[1]', { id: 'i-1' }),
  ];
  const subnet = (k: string, cidr: string, name: string) => live(`aws_subnet.s["${k}"]`, 'aws_subnet', `subnet-${k}`, { vpc_id: 'vpc-1', cidr_block: cidr, map_public_ip_on_launch: false, tags: { Name: name } });
  const inst = (i: number, type: string) => live(`aws_instance.web[${i}]`, 'aws_instance', `i-${i}`, { ami: 'ami-1', instance_type: type, tags: { Name: `web-${i}` } });
  const r = await diff({ files, state, live: [subnet('a', '10.0.1.0/24', 'subnet-a'), subnet('b', '10.0.2.0/24', 'subnet-x'), inst(0, 't3.micro'), inst(1, 't3.large')] });
  assert.deepEqual(summary(r), ['changed aws_instance.web[1] instance_type', 'changed aws_subnet.s["b"] tags.Name']);
});

test('missing-live and unsupported types are reported, never silently skipped', async () => {
  const files = { 'main.tf': 'resource "aws_instance" "web" {\n  ami = "ami-1"\n}\nresource "aws_glue_job" "f" {\n  name = "f"\n}\n' };
  const r = await diff({ files, state: [instance('aws_instance.web', { id: 'i-1' })], missing: ['aws_instance.web'] });
  assert.deepEqual(summary(r), ['missing-live aws_instance.web ']);
  assert.equal(r.drifts[0].severity, 'error');
  assert.ok(r.notChecked.some((n) => n.address === 'aws_glue_job.f' && /not supported/.test(n.reason)));
});

test('ignore rules: lifecycle, config, comment; expired comments stop applying', async () => {
  const files = {
    'main.tf': `resource "aws_instance" "web" {
  ami           = "ami-1" # tidemark:ignore reason="patching" until=2026-12-31
  instance_type = "t3.micro" # tidemark:ignore reason="old" until=2026-01-01
  monitoring    = true
  tags          = { Name = "web" }
  lifecycle {
    ignore_changes = [tags["Owner"]]
  }
}`,
  };
  const state = [instance('aws_instance.web', { id: 'i-1' })];
  const r = await diff({
    files, state,
    config: { ignore: [{ type: 'aws_instance', attribute: 'monitoring', reason: 'ops' }], severity: [], aws: {} },
    live: [live('aws_instance.web', 'aws_instance', 'i-1', { ami: 'ami-2', instance_type: 't3.large', monitoring: false, tags: { Name: 'web', Owner: 'carol' } })],
  });
  const by = Object.fromEntries(r.drifts.map((d) => [d.attributePath.join('.'), d]));
  assert.equal(by.ami.suppressed?.source, 'comment');
  assert.equal(by.ami.severity, 'hint');
  assert.equal(by.instance_type.suppressed, undefined);
  assert.match(by.instance_type.note ?? '', /expired on 2026-01-01/);
  assert.equal(by.monitoring.suppressed?.source, 'config');
  assert.equal(by['tags.Owner'].suppressed?.source, 'lifecycle');
});

test('default_tags from the provider are part of the declared tags', async () => {
  const files = {
    'providers.tf': 'provider "aws" {\n  region = "eu-west-1"\n  default_tags {\n    tags = { Project = local.project }\n  }\n}\nlocals { project = "demo" }\n',
    'main.tf': 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n  tags = { Name = "main" }\n}\n',
  };
  const state = [instance('aws_vpc.main', { id: 'vpc-1' })];
  const ok = await diff({ files, state, live: [live('aws_vpc.main', 'aws_vpc', 'vpc-1', { cidr_block: '10.0.0.0/16', tags: { Name: 'main', Project: 'demo' } })] });
  assert.deepEqual(summary(ok), []);
  const bad = await diff({ files, state, live: [live('aws_vpc.main', 'aws_vpc', 'vpc-1', { cidr_block: '10.0.0.0/16', tags: { Name: 'main' } })] });
  assert.deepEqual(summary(bad), ['changed aws_vpc.main tags.Project']);
});

test('tfvars override defaults, auto.tfvars override terraform.tfvars', async () => {
  const files = {
    'main.tf': 'variable "size" { default = "t3.nano" }\nresource "aws_instance" "web" {\n  instance_type = var.size\n}\n',
    'terraform.tfvars': 'size = "t3.micro"\n',
    'b.auto.tfvars': 'size = "t3.small"\n',
  };
  const state = [instance('aws_instance.web', { id: 'i-1' })];
  const r = await diff({ files, state, live: [live('aws_instance.web', 'aws_instance', 'i-1', { instance_type: 't3.small', tags: {} })] });
  assert.deepEqual(summary(r), []);
});

test('a value another AWS mechanism owns (ownedAttributes) is a hint with the reason, not drift', async () => {
  const files = { 'main.tf': 'resource "aws_instance" "web" {\n  ami = "ami-1"\n  instance_type = "t3.micro"\n}\n' };
  const state = [instance('aws_instance.web', { id: 'i-1', ami: 'ami-1', instance_type: 't3.micro' })];
  const owned = { ...live('aws_instance.web', 'aws_instance', 'i-1', { ami: 'ami-1', instance_type: 't3.large', tags: {} }), ownedAttributes: { instance_type: 'set by a test mechanism' } };
  const r = await diff({ files, state, live: [owned] });
  assert.deepEqual(summary(r), ['changed aws_instance.web instance_type (suppressed)']);
  assert.equal(r.drifts[0].severity, 'hint');
  assert.deepEqual(r.drifts[0].suppressed, { source: 'aws', reason: 'set by a test mechanism' });
});
