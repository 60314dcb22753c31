// Reading state where Terraform keeps it: the S3 backend (through the sandbox's S3 API, with the
// real SDK client) and local workspaces under terraform.tfstate.d, for the default and other workspaces.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CallGate, DEFAULT_GATE } from '../../server/src/cloud/call-gate';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import { resolveState } from '../../server/src/state/resolve-state';
import type { SandboxHandle } from '../../sandbox/src/index';
import { clientsFor, keyOf, startDemo } from '../sandbox/helpers';

/** A state with one instance whose id says which state it is. */
const stateWith = (id: string, serial: number) => JSON.stringify({
  version: 4, terraform_version: '1.9.0', serial, lineage: 'l',
  resources: [{ mode: 'managed', type: 'aws_instance', name: 'web', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ attributes: { id } }] }],
});
const ids = (s: { instances: Array<{ attributes: Record<string, unknown> }> } | undefined) => s?.instances.map((i) => i.attributes.id);

let sandbox: SandboxHandle;
let reader: S3Client;

before(async () => {
  const demo = await startDemo();
  sandbox = demo.sandbox;
  const carol = clientsFor(sandbox, keyOf(demo.scenario, 'carol')).s3;
  await carol.send(new CreateBucketCommand({ Bucket: 'tf-state' }));
  await carol.send(new PutObjectCommand({ Bucket: 'tf-state', Key: 'demo/terraform.tfstate', Body: stateWith('i-default', 1) }));
  await carol.send(new PutObjectCommand({ Bucket: 'tf-state', Key: 'env:/staging/demo/terraform.tfstate', Body: stateWith('i-staging', 2) }));
  await carol.send(new PutObjectCommand({ Bucket: 'tf-state', Key: 'workspaces/qa/demo/terraform.tfstate', Body: stateWith('i-qa', 3) }));
  await carol.send(new PutObjectCommand({ Bucket: 'tf-state', Key: 'env:/broken/demo/terraform.tfstate', Body: '{"version": 4, "resources": "no"' }));
  reader = clientsFor(sandbox, keyOf(demo.scenario, 'drift-reader')).s3;
});
after(async () => {
  reader?.destroy();
  await sandbox?.stop();
});

async function backendFiles(extra = '') {
  return [await parseHclFile('/ws/backend.tf', `terraform {\n  backend "s3" {\n    bucket = "tf-state"\n    key    = "demo/terraform.tfstate"\n    region = "us-east-1"\n${extra}  }\n}\n`)];
}
const s3For = async () => ({ s3: reader, gate: new CallGate(DEFAULT_GATE) });

test('S3 backend: the default workspace reads the key, other workspaces read env:/<workspace>/<key>, through the S3 API', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'tidemark-s3-state-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const files = await backendFiles();
  const byDefault = await resolveState({ root, files, env: {}, s3For });
  assert.equal(byDefault.looked, 's3://tf-state/demo/terraform.tfstate');
  assert.deepEqual([ids(byDefault.state), byDefault.state?.source, byDefault.state?.serial], [['i-default'], 's3://tf-state/demo/terraform.tfstate', 1]);
  const staging = await resolveState({ root, files, env: { TF_WORKSPACE: 'staging' }, s3For });
  assert.deepEqual([staging.looked, ids(staging.state)], ['s3://tf-state/env:/staging/demo/terraform.tfstate', ['i-staging']]);
  // .terraform/environment selects the workspace as `terraform workspace select` leaves it.
  mkdirSync(path.join(root, '.terraform'));
  writeFileSync(path.join(root, '.terraform', 'environment'), 'staging');
  assert.deepEqual(ids((await resolveState({ root, files, env: {}, s3For })).state), ['i-staging']);
  // workspace_key_prefix moves the other workspaces' objects.
  const qa = await resolveState({ root, files: await backendFiles('    workspace_key_prefix = "workspaces"\n'), env: { TF_WORKSPACE: 'qa' }, s3For });
  assert.deepEqual([qa.looked, ids(qa.state)], ['s3://tf-state/workspaces/qa/demo/terraform.tfstate', ['i-qa']]);
});

test('S3 backend: a workspace never applied has no state; unreadable state and a missing bucket are clear errors', async () => {
  const root = '/nonexistent-root';
  const files = await backendFiles();
  const none = await resolveState({ root, files, env: { TF_WORKSPACE: 'never-applied' }, s3For });
  assert.deepEqual([none.looked, none.state], ['s3://tf-state/env:/never-applied/demo/terraform.tfstate', undefined]);
  await assert.rejects(resolveState({ root, files, env: { TF_WORKSPACE: 'broken' }, s3For }), /s3:\/\/tf-state\/env:\/broken\/demo\/terraform\.tfstate/);
  const elsewhere = [await parseHclFile('/ws/backend.tf', 'terraform {\n  backend "s3" {\n    bucket = "no-such-bucket"\n    key    = "k"\n  }\n}\n')];
  await assert.rejects(resolveState({ root, files: elsewhere, env: {}, s3For }), /s3:\/\/no-such-bucket\/k \(backend at \/ws\/backend\.tf:2\): cannot read state: NoSuchBucket/);
});

test('local workspaces: terraform.tfstate for default, terraform.tfstate.d/<workspace>/terraform.tfstate otherwise', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'tidemark-local-state-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(path.join(root, 'terraform.tfstate'), stateWith('i-default', 1));
  mkdirSync(path.join(root, 'terraform.tfstate.d', 'staging'), { recursive: true });
  writeFileSync(path.join(root, 'terraform.tfstate.d', 'staging', 'terraform.tfstate'), stateWith('i-staging', 2));
  const files = [await parseHclFile(path.join(root, 'main.tf'), 'resource "aws_instance" "web" {}\n')];
  assert.deepEqual(ids((await resolveState({ root, files, env: {} })).state), ['i-default']);
  const staging = await resolveState({ root, files, env: { TF_WORKSPACE: 'staging' } });
  assert.deepEqual([staging.looked, ids(staging.state)], [path.join(root, 'terraform.tfstate.d', 'staging', 'terraform.tfstate'), ['i-staging']]);
  mkdirSync(path.join(root, '.terraform'));
  writeFileSync(path.join(root, '.terraform', 'environment'), 'staging\n');
  assert.deepEqual(ids((await resolveState({ root, files, env: {} })).state), ['i-staging']);
  assert.deepEqual(ids((await resolveState({ root, files, env: { TF_WORKSPACE: 'default' } })).state), ['i-default'], 'TF_WORKSPACE wins over .terraform/environment');
  const missing = await resolveState({ root, files, env: { TF_WORKSPACE: 'prod' } });
  assert.equal(missing.state, undefined);
});
