// The benchmark generator's promise: a workspace, its state and its sandbox scenario agree, so a
// check finds exactly the drift asked for; the per-resource reader (the benchmark baseline) reads
// the same live values with more calls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateWorkspace, TERRAFORM_TYPE, writeWorkspace } from '../../bench/generate';
import { run as checkCommand } from '../../server/src/cli/check';
import type { CliIO } from '../../server/src/cli/io';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { createClients } from '../../server/src/cloud/clients';
import { LiveReader } from '../../server/src/cloud/reader';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import { StateIndex, parseState } from '../../server/src/state/parse-state';
import { startSandbox, SandboxHandle } from '../../sandbox/src/index';

const ws = generateWorkspace({ resources: 60, seed: 3, drifted: 3 });
let sandbox: SandboxHandle;
let dir: string;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-generate-'));
  writeWorkspace(dir, ws);
  sandbox = await startSandbox(ws.scenario, { port: 0 });
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the same seed gives the same workspace; another seed another one', () => {
  const again = generateWorkspace({ resources: 60, seed: 3, drifted: 3 });
  assert.deepEqual([...again.files.entries()], [...ws.files.entries()]);
  assert.deepEqual(again.scenario, ws.scenario);
  const other = generateWorkspace({ resources: 60, seed: 4, drifted: 3 });
  assert.notDeepEqual([...other.files.entries()], [...ws.files.entries()]);
});

test('every type is generated, and the requested number of drifted resources', () => {
  for (const type of new Set(Object.values(TERRAFORM_TYPE))) assert.ok((ws.byType[type] ?? 0) > 0, `${type} generated`);
  assert.equal(ws.byType.aws_s3_account_public_access_block, 1, 'an account has one public access block');
  assert.equal(ws.addresses.length, 60);
  assert.equal(ws.drifted.length, 3);
});

test('tidemark check against the scenario finds exactly the generated drift', async () => {
  let out = '';
  let err = '';
  const io: CliIO = {
    cwd: dir,
    env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region, AWS_ACCESS_KEY_ID: ws.reader.accessKeyId, AWS_SECRET_ACCESS_KEY: ws.reader.secretAccessKey },
    out: (t) => (out += t),
    err: (t) => (err += t + '\n'),
    isTTY: false,
  };
  // The SDK's environment credential provider reads process.env.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: ws.reader.accessKeyId, AWS_SECRET_ACCESS_KEY: ws.reader.secretAccessKey });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  const code = await checkCommand(['.', '--json'], io);
  assert.equal(code, 2, err);
  const report = JSON.parse(out) as { drifts: Array<{ address: string; attributePath: string[] }>; notChecked: unknown[]; unknown: unknown[] };
  const found = report.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}`).sort();
  assert.deepEqual(found, ws.drifted.map((d) => `${d.address} ${d.attribute}`).sort());
  assert.deepEqual(report.notChecked, []);
  assert.deepEqual(report.unknown, []);
});

test('the per-resource reader reads the same live values with one call per resource', async () => {
  const state = new StateIndex(parseState('terraform.tfstate', ws.files.get('terraform.tfstate')!).instances, 'terraform.tfstate');
  const target = resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined);
  const credentials = { accessKeyId: ws.reader.accessKeyId, secretAccessKey: ws.reader.secretAccessKey };
  const batched = await createClients(target, { credentials });
  const single = await createClients(target, { credentials });
  const a = await new LiveReader(batched, RESOURCE_TYPES).read(state.instances);
  const b = await new LiveReader(single, RESOURCE_TYPES, { perResource: true }).read(state.instances);
  assert.deepEqual(a.failures, []);
  assert.deepEqual(b.failures, []);
  for (const address of a.snapshot.addresses()) {
    const x = a.snapshot.get(address);
    const y = b.snapshot.get(address);
    assert.equal(y?.status, x?.status, address);
    if (x?.status === 'found' && y?.status === 'found') assert.deepEqual(y.resource.attributes, x.resource.attributes, address);
  }
  assert.equal(single.gate.stats()['ec2:DescribeInstances'], ws.byType.aws_instance);
  assert.equal(batched.gate.stats()['ec2:DescribeInstances'], 1);
  // Route types share one family: one DescribeRouteTables call for every route table, route and association.
  assert.equal(batched.gate.stats()['ec2:DescribeRouteTables'], 1);
  // Per resource: one call each, plus one per table for its unmanaged-route check.
  assert.equal(single.gate.stats()['ec2:DescribeRouteTables'], 2 * ws.byType.aws_route_table + ws.byType.aws_route + ws.byType.aws_route_table_association);
});

test('the lower bound counts one GetAccountAuthorizationDetails page set for IAM, not a call per role', async () => {
  const { lowerBound } = await import('../../bench/check-bench');
  const big = generateWorkspace({ resources: 2000, seed: 3 });
  const bound = lowerBound(big);
  assert.ok((big.byType.aws_iam_role ?? 0) > 50, 'the workspace has many roles');
  assert.equal(bound['iam:GetAccountAuthorizationDetails'], 1);
  assert.equal(bound['iam:ListRoles'], 1);
  assert.equal(bound['iam:GetRole'], undefined);
  assert.equal(bound['iam:GetRolePolicy'], undefined);
});
