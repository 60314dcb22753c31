// Several roots in one repository against the sandbox (real SDK over HTTP): `tidemark check` at the
// repository root finds envs/prod and envs/staging (not the shared modules folder), says which, and
// checks each with its own state; `tidemark check envs/prod` checks that root alone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { runCheck } from '../support/check-cli';
import { demoScenario, keyOf } from '../sandbox/helpers';
import { addStagingVpc, rootsWorkspace, VPC } from './roots-workspace';

let sandbox: SandboxHandle;
let dir: string;
const scenario = demoScenario();
addStagingVpc(scenario);
const carol = keyOf(scenario, 'carol');

before(async () => {
  sandbox = await startSandbox(scenario);
  dir = rootsWorkspace();
  const ec2 = new EC2Client({ region: sandbox.region, endpoint: sandbox.endpoint, credentials: carol });
  await ec2.send(new CreateTagsCommand({ Resources: [VPC.prod], Tags: [{ Key: 'Env', Value: 'prod-by-hand' }] }));
  await ec2.send(new CreateTagsCommand({ Resources: [VPC.staging], Tags: [{ Key: 'Env', Value: 'staging-by-hand' }] }));
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function check(args: string[]): Promise<{ out: string; err: string; code: number }> {
  return runCheck(sandbox, carol, dir, ['--no-attribution', ...args]);
}

interface RootReport { root: string; drifts: Array<{ address: string; file: string; attributePath: string[]; live: unknown }>; errors: string[]; summary: { checked: number } }

test('check at the repository root checks every root with its own state and says which', async () => {
  const { out, err, code } = await check(['--json']);
  assert.match(err, /^checking 2 root modules: envs\/prod, envs\/staging$/m);
  assert.equal(code, 2, err);
  const doc = JSON.parse(out) as { roots: RootReport[]; summary: { roots: number; drifts: number } };
  assert.deepEqual(doc.roots.map((r) => r.root), [path.join('envs', 'prod'), path.join('envs', 'staging')], 'modules/network is a module, not a root');
  const drifts = Object.fromEntries(doc.roots.map((r) => [r.root, r.drifts.map((d) => [d.address, d.file, d.attributePath.join('.'), d.live])]));
  // Each root compared its own VPC (its own state): a shared or swapped state would show other values.
  assert.deepEqual(drifts[path.join('envs', 'prod')], [['aws_vpc.main', 'main.tf', 'tags.Env', 'prod-by-hand']]);
  assert.deepEqual(drifts[path.join('envs', 'staging')], [['aws_vpc.main', 'main.tf', 'tags.Env', 'staging-by-hand']]);
  assert.deepEqual(doc.roots.map((r) => r.summary.checked), [1, 1]);
  assert.equal(doc.summary.drifts, 2);
});

test('the text report groups by root; check <dir> of one root checks only it', async () => {
  const text = await check([]);
  const prodAt = text.out.indexOf('== envs/prod ==');
  const stagingAt = text.out.indexOf('== envs/staging ==');
  assert.ok(prodAt >= 0 && stagingAt > prodAt, text.out);
  assert.match(text.out.slice(prodAt, stagingAt), /envs\/prod\/main\.tf\n.*tags\.Env/);
  assert.match(text.out.slice(stagingAt), /envs\/staging\/main\.tf\n.*tags\.Env/);
  assert.match(text.out, /^2 roots · 2 drifts · \d+ API calls in /m);

  const one = await check(['--json', 'envs/staging']);
  const doc = JSON.parse(one.out) as RootReport & { root: string };
  assert.equal(doc.root, path.join(dir, 'envs', 'staging'));
  assert.deepEqual(doc.drifts.map((d) => d.live), ['staging-by-hand']);
  assert.doesNotMatch(one.err, /checking \d+ root/);
});
