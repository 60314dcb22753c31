// `tidemark check` on a workspace where every resource sits in a child module (a registry module
// installed under .terraform/modules, a for_each'd local module, a module nested in it), against
// the sandbox through the real SDK: clean when untouched, and drift made by hand inside a module
// instance is reported at its full address, in the child's file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTagsCommand, ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { UpdateRoleCommand } from '@aws-sdk/client-iam';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { runCheck } from '../support/check-cli';
import { repoRoot } from '../support/lsp-client';
import { clientsFor, keyOf } from '../sandbox/helpers';

const FIXTURE = path.join(repoRoot, 'test/fixtures/modules/realistic');
const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/modules.yaml');
const carol = keyOf(loadScenarioFile(SCENARIO), 'carol');

let sandbox: SandboxHandle;
const dirs: string[] = [];

before(async () => {
  sandbox = await startSandbox(SCENARIO);
});

after(async () => {
  await sandbox?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Report {
  drifts: Array<{ address: string; file: string; attributePath: string[]; declared: unknown; live: unknown; basis?: string; range: { start: { line: number } } }>;
  unknown: Array<{ address: string; attributePath: string[]; reason: string }>;
  notChecked: Array<{ address: string; reason: string }>;
  errors: string[];
  modules: Array<{ message: string }>;
  summary: { instances: { inState: number; checked: number; unknown: number; notChecked: number } };
}

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-modules-'));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

async function check(dir: string): Promise<{ report: Report; err: string }> {
  const { out, err } = await runCheck(sandbox, carol, dir, ['--json', '--no-attribution', dir]);
  assert.ok(out, `no report: ${err}`);
  return { report: JSON.parse(out) as Report, err };
}

function managedInstances(dir: string): number {
  const state = JSON.parse(readFileSync(path.join(dir, 'terraform.tfstate'), 'utf8')) as { resources: Array<{ mode: string; instances: unknown[] }> };
  return state.resources.filter((r) => r.mode === 'managed').reduce((n, r) => n + r.instances.length, 0);
}

test('untouched, every resource inside the modules is checked and nothing drifts', async () => {
  const dir = workspace();
  const { report, err } = await check(dir);
  assert.deepEqual(report.errors, [], err);
  assert.deepEqual(report.modules, []);
  assert.deepEqual(report.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}`), []);
  assert.deepEqual(report.notChecked, []);
  const n = report.summary.instances;
  assert.deepEqual(n, { inState: managedInstances(dir), checked: managedInstances(dir), unknown: 0, notChecked: 0 });
});

test('drift by hand inside a for_each instance, a nested module and a registry module: full address, child file', async () => {
  const dir = workspace();
  const { ec2, iam } = clientsFor(sandbox, carol);
  // As on AWS, an instance's type changes only while it is stopped.
  await ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0b1c2d3e4f5a60c02'] }));
  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: 'i-0b1c2d3e4f5a60c02', InstanceType: { Value: 't3.large' } }));
  await ec2.send(new StartInstancesCommand({ InstanceIds: ['i-0b1c2d3e4f5a60c02'] }));
  await iam.send(new UpdateRoleCommand({ RoleName: 'app-blue-role', Description: 'changed by hand' }));
  await ec2.send(new CreateTagsCommand({ Resources: ['subnet-0b1c2d3e4f5a6000a'], Tags: [{ Key: 'Tier', Value: 'dmz' }] }));
  const { report, err } = await check(dir);
  assert.deepEqual(report.errors, [], err);
  const lines = report.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}: ${JSON.stringify(d.declared)} → ${JSON.stringify(d.live)} @${d.file}:${d.range.start.line + 1}`).sort();
  assert.deepEqual(lines, [
    'module.app["blue"].module.role.aws_iam_role.this description: "Role of app-blue" → "changed by hand" @modules/app/iam/main.tf:13',
    'module.app["green"].aws_instance.this[0] instance_type: "t3.small" → "t3.large" @modules/app/main.tf:61',
    'module.network.aws_subnet.this["a"] tags.Tier: "public" → "dmz" @.terraform/modules/network/main.tf:46',
  ]);
  assert.equal(report.summary.instances.checked, managedInstances(dir));
});
