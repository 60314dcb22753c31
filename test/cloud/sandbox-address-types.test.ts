// aws_eip, aws_eip_association, aws_nat_gateway and aws_key_pair against the sandbox through the
// real SDK: provider-shaped state matching live is clean; a live change per compared attribute
// class is drift; the writers revert it; a fresh read is clean; a removed association is missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AllocateAddressCommand, AssociateAddressCommand, CreateNatGatewayCommand, CreateTagsCommand, DescribeAddressesCommand, DisassociateAddressCommand,
  EC2Client, ImportKeyPairCommand,
} from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { Drift } from '../../server/src/model';
import { checkRoot, driftKey } from '../support/root-check';
import { repoRoot } from '../support/lsp-client';
import { keyOf as scenarioKey } from '../sandbox/helpers';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const SUBNET = scenario.subnets![0].id;
const [WEB, DB] = scenario.instances!.map((i) => i.id);
const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk0c2lkZW1hcmstdGVzdC1rZXktbWF0ZXJpYWwtMDEyMw deployer@example';

let sandbox: SandboxHandle;
let dir: string;
let ec2: EC2Client;
const ids = { web: '', nat: '', spare: '', assoc: '', gateway: '', key: '', fingerprint: '' };

const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({
  mode: 'managed', type, name, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
});

async function addressOf(id: string) {
  return (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [id] }))).Addresses![0]!;
}

async function writeWorkspace(): Promise<void> {
  const web = await addressOf(ids.web);
  const spare = await addressOf(ids.spare);
  const natIp = await addressOf(ids.nat);
  const tf = `provider "aws" {
  region = "us-east-1"
}

resource "aws_eip" "web" {
  domain   = "vpc"
  instance = "${WEB}"
  tags     = { Name = "web" }
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_eip" "spare" {
  domain = "vpc"
}

resource "aws_eip_association" "db" {
  allocation_id = "${ids.spare}"
  instance_id   = "${DB}"
}

resource "aws_nat_gateway" "main" {
  allocation_id = "${ids.nat}"
  subnet_id     = "${SUBNET}"
  tags          = { Name = "main" }
}

resource "aws_key_pair" "deployer" {
  key_name   = "deployer"
  public_key = "${PUBLIC_KEY}"
}
`;
  const eip = (id: string, a: typeof web, tags: Record<string, string>) => ({
    address: null, allocation_id: id, associate_with_private_ip: null, association_id: a.AssociationId ?? '', carrier_ip: '', customer_owned_ip: '', customer_owned_ipv4_pool: '',
    domain: 'vpc', id, instance: a.InstanceId ?? '', network_border_group: 'us-east-1', network_interface: a.NetworkInterfaceId ?? '', private_dns: null, private_ip: a.PrivateIpAddress ?? '',
    public_dns: '', public_ip: a.PublicIp, public_ipv4_pool: 'amazon', tags, tags_all: tags, timeouts: null, vpc: true,
  });
  const resources = [
    resource('aws_eip', 'web', eip(ids.web, web, { Name: 'web' })),
    resource('aws_eip', 'nat', eip(ids.nat, natIp, {})),
    resource('aws_eip', 'spare', eip(ids.spare, spare, {})),
    resource('aws_eip_association', 'db', { allocation_id: ids.spare, allow_reassociation: null, id: ids.assoc, instance_id: DB, network_interface_id: spare.NetworkInterfaceId, private_ip_address: spare.PrivateIpAddress, public_ip: spare.PublicIp }),
    resource('aws_nat_gateway', 'main', {
      allocation_id: ids.nat, association_id: '', connectivity_type: 'public', id: ids.gateway, network_interface_id: '', private_ip: '10.0.1.100', public_ip: natIp.PublicIp,
      secondary_allocation_ids: [], secondary_private_ip_address_count: 0, secondary_private_ip_addresses: [], subnet_id: SUBNET, tags: { Name: 'main' }, tags_all: { Name: 'main' }, timeouts: null,
    }),
    resource('aws_key_pair', 'deployer', {
      arn: `arn:aws:ec2:us-east-1:123456789012:key-pair/deployer`, fingerprint: ids.fingerprint, id: 'deployer', key_name: 'deployer', key_name_prefix: '', key_pair_id: ids.key, key_type: 'ed25519',
      public_key: PUBLIC_KEY, tags: {}, tags_all: {},
    }),
  ];
  writeFileSync(path.join(dir, 'main.tf'), tf);
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.7.5', serial: 1, lineage: 'eip', outputs: {}, resources, check_results: null }, null, 2));
}

const check = () => checkRoot(dir, sandbox, scenarioKey(scenario, 'carol'));

const key = driftKey;

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: scenarioKey(scenario, 'carol') });
  const allocate = async (Name?: string) => (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: Name ? [{ ResourceType: 'elastic-ip', Tags: [{ Key: 'Name', Value: Name }] }] : undefined }))).AllocationId!;
  ids.web = await allocate('web');
  ids.nat = await allocate();
  ids.spare = await allocate();
  await ec2.send(new AssociateAddressCommand({ AllocationId: ids.web, InstanceId: WEB }));
  ids.assoc = (await ec2.send(new AssociateAddressCommand({ AllocationId: ids.spare, InstanceId: DB }))).AssociationId!;
  ids.gateway = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: SUBNET, AllocationId: ids.nat, TagSpecifications: [{ ResourceType: 'natgateway', Tags: [{ Key: 'Name', Value: 'main' }] }] }))).NatGateway!.NatGatewayId!;
  const key = await ec2.send(new ImportKeyPairCommand({ KeyName: 'deployer', PublicKeyMaterial: Buffer.from(PUBLIC_KEY) }));
  ids.key = key.KeyPairId!;
  ids.fingerprint = key.KeyFingerprint!;
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-eip-'));
  await writeWorkspace();
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('matching addresses, NAT gateway and key pair are clean', async () => {
  assert.deepEqual((await check()).drifts.map(key), []);
});

test('a live change per attribute class is drift, the writers revert it, and a fresh read is clean', async () => {
  await ec2.send(new DisassociateAddressCommand({ AssociationId: (await addressOf(ids.web)).AssociationId }));
  await ec2.send(new CreateTagsCommand({ Resources: [ids.web, ids.gateway, ids.key], Tags: [{ Key: 'Name', Value: 'renamed' }] }));
  const { module, drifts } = await check();
  assert.deepEqual(drifts.map(key).sort(), [
    'changed aws_eip.web instance',
    'changed aws_eip.web tags.Name',
    'changed aws_key_pair.deployer tags.Name',
    'changed aws_nat_gateway.main tags.Name',
  ]);
  const failed: string[] = [];
  for (const drift of drifts) {
    const outcome = await module.revert(drift);
    if (!outcome.ok) failed.push(`${key(drift)}: ${outcome.message}`);
  }
  assert.deepEqual(failed, []);
  assert.deepEqual((await check()).drifts.map(key), [], 'a fresh read after the reverts is clean');
});

test('an Elastic IP association removed by hand is missing live', async () => {
  await ec2.send(new DisassociateAddressCommand({ AssociationId: ids.assoc }));
  assert.deepEqual((await check()).drifts.map(key), ['missing-live aws_eip_association.db']);
});
