// aws_ebs_volume and aws_volume_attachment (DescribeVolumes family) against the sandbox through
// the real SDK: provider-shaped state matching live is clean; a live change per compared attribute
// class is drift; the writers revert what AWS allows; a fresh read is clean; a detached volume's
// attachment is missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AttachVolumeCommand, CreateTagsCommand, CreateVolumeCommand, DetachVolumeCommand, EC2Client, ModifyVolumeCommand } from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { Drift } from '../../server/src/model';
import { checkRoot, driftKey } from '../support/root-check';
import { repoRoot } from '../support/lsp-client';
import { keyOf as scenarioKey } from '../sandbox/helpers';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const WEB = scenario.instances![0].id;

let sandbox: SandboxHandle;
let dir: string;
let ec2: EC2Client;
let volume = '';

const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({
  mode: 'managed', type, name, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
});

function writeWorkspace(): void {
  const tf = `provider "aws" {
  region = "us-east-1"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 20
  type              = "gp3"
  tags              = { Name = "data" }
}

resource "aws_volume_attachment" "data" {
  device_name = "/dev/sdf"
  volume_id   = "${volume}"
  instance_id = "${WEB}"
}
`;
  const resources = [
    resource('aws_ebs_volume', 'data', {
      arn: `arn:aws:ec2:us-east-1:123456789012:volume/${volume}`, availability_zone: 'us-east-1a', encrypted: false, final_snapshot: false, id: volume, iops: 3000, kms_key_id: '',
      multi_attach_enabled: false, outpost_arn: '', size: 20, snapshot_id: '', tags: { Name: 'data' }, tags_all: { Name: 'data' }, throughput: 125, timeouts: null, type: 'gp3',
    }),
    resource('aws_volume_attachment', 'data', { device_name: '/dev/sdf', force_detach: null, id: 'vai-1234567890', instance_id: WEB, skip_destroy: null, stop_instance_before_detaching: null, timeouts: null, volume_id: volume }),
  ];
  writeFileSync(path.join(dir, 'main.tf'), tf);
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.7.5', serial: 1, lineage: 'vol', outputs: {}, resources, check_results: null }, null, 2));
}

const check = () => checkRoot(dir, sandbox, scenarioKey(scenario, 'carol'));

const key = driftKey;

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: scenarioKey(scenario, 'carol') });
  volume = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 20, VolumeType: 'gp3', TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'data' }] }] }))).VolumeId!;
  await ec2.send(new AttachVolumeCommand({ VolumeId: volume, InstanceId: WEB, Device: '/dev/sdf' }));
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-vol-'));
  writeWorkspace();
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a matching volume and attachment are clean', async () => {
  assert.deepEqual((await check()).drifts.map(key), []);
});

test('type and tags changed by hand are drift and are written back; a fresh read is clean', async () => {
  await ec2.send(new ModifyVolumeCommand({ VolumeId: volume, VolumeType: 'gp2' }));
  await ec2.send(new CreateTagsCommand({ Resources: [volume], Tags: [{ Key: 'Name', Value: 'renamed' }] }));
  const { module, drifts } = await check();
  assert.deepEqual(drifts.map(key).sort(), ['changed aws_ebs_volume.data tags.Name', 'changed aws_ebs_volume.data type']);
  for (const drift of drifts) {
    const outcome = await module.revert(drift);
    assert.ok(outcome.ok, outcome.message);
  }
  assert.deepEqual((await check()).drifts.map(key), []);
});

test('a grown volume is drift on size, and the revert reports that AWS cannot shrink it', async () => {
  await ec2.send(new ModifyVolumeCommand({ VolumeId: volume, Size: 30 }));
  const { module, drifts } = await check();
  assert.deepEqual(drifts.map(key), ['changed aws_ebs_volume.data size']);
  const outcome = await module.revert(drifts[0]!);
  assert.equal(outcome.ok, false);
  assert.match(outcome.message, /InvalidParameterValue: New size cannot be smaller than existing size/);
});

test('a detached volume leaves its attachment missing live', async () => {
  await ec2.send(new DetachVolumeCommand({ VolumeId: volume }));
  const keys = (await check()).drifts.map(key);
  assert.ok(keys.includes('missing-live aws_volume_attachment.data'), keys.join('\n'));
});
