// The bench seeders' promise: one unit of every seeder, created through the SDK against the
// sandbox and added to a generated workspace, is read back by `tidemark check` — every seeded
// resource found and compared — with no drift; in the root module and in child modules spread over
// two regions. Every registered type is generated, seeded, or named below with the reason.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateWorkspace, TERRAFORM_TYPE, writeWorkspace, type GenerateOptions } from '../../bench/generate';
import { SEEDERS, seedAgainst, seededTypes } from '../../bench/seed/index';
import { dynamodbSeeder } from '../../bench/seed/data';
import { cloudfrontSeeder } from '../../bench/seed/edge';
import { ec2GatewaysSeeder } from '../../bench/seed/ec2-gateways';
import { ACCOUNT, REGION, releaseClients, type Seeder } from '../../bench/seed/seeder';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import { startSandbox, type SandboxHandle } from '../../sandbox/src/index';
import { runCheck, sandboxEnv } from '../support/check-cli';
import { childEnv } from '../support/child-env';
import { runProcess, type Result } from '../support/run-process';
import { within } from '../support/wait';

/**
 * Registered types neither the generator nor a seeder covers, each with its reason (none today).
 * A type that gets covered must leave this list (the test fails otherwise).
 */
const NOT_SEEDED: Record<string, string> = {};

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface CheckReport {
  drifts: Array<{ address: string; attributePath: string[]; kind?: string }>;
  unknown: Array<{ address: string; reason: string }>;
  notChecked: Array<{ address: string; reason: string }>;
  summary: { instances?: { checked: number; inState: number } };
}

const root = path.resolve(__dirname, '../../..');

/** `tidemark check` through the shipped bundle, `dist/cli.js`, whose SDK clients carry only the commands the engine imports. */
function bundledCheck(sandbox: SandboxHandle, key: { accessKeyId: string; secretAccessKey: string }, cwd: string, args: string[]): Promise<Result> {
  return within('dist/cli.js check', runProcess(process.execPath, [path.join(root, 'dist/cli.js'), 'check', ...args], { cwd, env: { ...childEnv(), ...sandboxEnv(sandbox, key) } }), 240_000);
}

async function seededCheck(options: GenerateOptions, units: number | undefined, seeders?: readonly Seeder[], alsoBundled = false): Promise<{ report: CheckReport; seeded: string[]; err: string; bundled?: CheckReport }> {
  const ws = generateWorkspace(options);
  const sandbox: SandboxHandle = await startSandbox(ws.scenario, { port: 0 });
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-seed-'));
  cleanups.push(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const seed = await seedAgainst(ws, sandbox.endpoint, { ...(units !== undefined ? { units } : {}), ...(seeders ? { seeders } : {}) });
  writeWorkspace(dir, ws);
  const { code, out, err } = await runCheck(sandbox, ws.reader, dir, ['.', '--json']);
  assert.ok(code === 0 || code === 2, `tidemark check failed (${code}): ${err}`);
  const report = JSON.parse(out) as CheckReport;
  if (!alsoBundled) return { report, seeded: seed.addresses, err };
  const bundled = await bundledCheck(sandbox, ws.reader, dir, ['.', '--json']);
  assert.equal(bundled.code, code, `dist/cli.js check exited ${bundled.code}: ${bundled.stderr}`);
  return { report, seeded: seed.addresses, err, bundled: JSON.parse(bundled.stdout) as CheckReport };
}

function assertClean(report: CheckReport, seeded: string[], err: string): void {
  const drifts = report.drifts.map((d) => `${d.address} ${d.attributePath.join('.') || d.kind || ''}`);
  assert.deepEqual(drifts, [], `no drift expected\n${err}`);
  assert.deepEqual(report.unknown.map((u) => `${u.address}: ${u.reason}`), []);
  assert.deepEqual(report.notChecked.map((u) => `${u.address}: ${u.reason}`), []);
  assert.ok(seeded.length >= SEEDERS.reduce((n, s) => n + s.types.length, 0), `every seeder type seeded (${seeded.length} resources)`);
  const instances = report.summary.instances;
  assert.ok(instances, 'the report counts the state instances');
  assert.equal(instances.checked, instances.inState, 'every state instance is checked');
}

test('one unit of every seeder is read back with no drift, by the engine and by the shipped bundle', async () => {
  const { report, seeded, err, bundled } = await seededCheck({ resources: 60, seed: 5, everyType: true }, 1, undefined, true);
  assertClean(report, seeded, err);
  // Every type's reads go through the bundled SDK clients, trimmed to what the engine imports: a command
  // or shape the trimming lost would be an error, an unknown or a drift here.
  assertClean(bundled!, seeded, err);
  const types = new Set(seeded.map((a) => a.split('.').at(-2)!));
  for (const s of SEEDERS) for (const t of s.types) assert.ok(types.has(t), `${s.family} seeded ${t}`);
});

test('seeded units in child modules and a second region are read back with no drift', async () => {
  const { report, seeded, err } = await seededCheck({ resources: 120, seed: 6, everyType: true, modules: true, secondRegion: 'us-west-2' }, 2);
  assertClean(report, seeded, err);
  // Two units of each seeder: the second in a child module in the second region.
  assert.ok(seeded.some((a) => a.startsWith('module.cell_1.')), 'some units are in the child module of the second region');
});

test('a budget is filled with whole units: none is cut short, leaving live objects no block declares (unmanaged)', async () => {
  // One unit of each is 5 resources and 2 are left: a CloudFront unit (4) does not fit, two DynamoDB units (1 each) do.
  const { report, seeded, err } = await seededCheck({ resources: 60, seed: 7, everyType: true, seedShare: 7 / 60 }, undefined, [cloudfrontSeeder, dynamodbSeeder]);
  assert.equal(seeded.length, 7, 'exactly the budget');
  assert.deepEqual(report.drifts.map((d) => `${d.address} ${d.attributePath.join('.') || d.kind || ''}`), [], err);
});

test('every registered type is generated, seeded or named as an exception', () => {
  const covered = new Set([...Object.values(TERRAFORM_TYPE), ...seededTypes()]);
  const uncovered = [...RESOURCE_TYPES.keys()].filter((t) => !covered.has(t)).sort();
  assert.deepEqual(uncovered, Object.keys(NOT_SEEDED).sort());
});

test('units of the EC2 gateways seeder get customer gateways of their own, whatever their random draws', async () => {
  // AWS answers CreateCustomerGateway with the existing gateway for a known (ASN, address, type):
  // two units sharing a pair would declare one live gateway twice, with two Name tags.
  const ws = generateWorkspace({ resources: 0, seed: 9, everyType: true });
  const sandbox = await startSandbox(ws.scenario, { port: 0 });
  cleanups.push(() => sandbox.stop());
  const target = { endpoint: sandbox.endpoint, region: REGION, account: ACCOUNT, credentials: ws.admin };
  const ids: string[] = [];
  try {
    for (const suffix of ['ec2gateways1', 'ec2gateways2', 'ec2gateways3']) {
      const blocks = await ec2GatewaysSeeder.seedUnit(target, suffix, () => 0);
      ids.push(String(blocks.find((b) => b.type === 'aws_customer_gateway')!.attributes.id));
    }
  } finally {
    releaseClients();
  }
  assert.equal(new Set(ids).size, 3, `distinct gateways: ${ids.join(', ')}`);
});
