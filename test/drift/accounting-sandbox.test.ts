// `tidemark check` against the sandbox (real SDK over HTTP): every managed instance in state is
// checked, unknown or listed as not checked, and the summary's numbers add up to the state's count.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { runCheck } from '../support/check-cli';
import { repoRoot } from '../support/lsp-client';
import { demoScenario, keyOf } from '../sandbox/helpers';

let sandbox: SandboxHandle;
const dirs: string[] = [];

before(async () => {
  sandbox = await startSandbox(path.join(repoRoot, 'sandbox/scenarios/demo.yaml'));
});

after(async () => {
  await sandbox?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface StateDoc { resources: Array<{ mode: string; module?: string; type: string; name: string; instances: Array<{ index_key?: number | string }> }> }

const WORKER_BLOCK = /resource "aws_instance" "worker" \{[\s\S]*?\n\}\n/;

/** The demo, optionally with its worker instance moved into `module "worker"` (config and state). */
function demo(worker: 'root' | 'local-module' | 'registry-module' | 'removed'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-accounting-'));
  dirs.push(dir);
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  if (worker === 'root') return dir;
  const compute = path.join(dir, 'compute.tf');
  const text = readFileSync(compute, 'utf8');
  assert.match(text, WORKER_BLOCK, 'the demo declares aws_instance.worker');
  writeFileSync(compute, text.replace(WORKER_BLOCK, ''));
  if (worker === 'removed') return dir;
  const fixtures = path.join(repoRoot, 'test/fixtures/modules');
  mkdirSync(path.join(dir, 'modules/worker'), { recursive: true });
  copyFileSync(path.join(fixtures, 'worker/main.tf'), path.join(dir, 'modules/worker/main.tf'));
  const call = readFileSync(path.join(fixtures, 'worker-call.tf'), 'utf8');
  writeFileSync(path.join(dir, 'worker.tf'), worker === 'local-module' ? call : call.replace('"./modules/worker"', '"terraform-aws-modules/ec2-instance/aws"'));
  const statePath = path.join(dir, 'terraform.tfstate');
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as StateDoc;
  const r = state.resources.find((x) => x.type === 'aws_instance' && x.name === 'worker')!;
  Object.assign(r, { module: 'module.worker', name: 'this' });
  r.instances[0].index_key = 0;
  writeFileSync(statePath, JSON.stringify(state, null, 2));
  return dir;
}

function managedInstances(dir: string): string[] {
  const state = JSON.parse(readFileSync(path.join(dir, 'terraform.tfstate'), 'utf8')) as StateDoc;
  return state.resources.filter((r) => r.mode === 'managed').flatMap((r) => r.instances.map((i) => `${r.module ? `${r.module}.` : ''}${r.type}.${r.name}${i.index_key === undefined ? '' : `[${JSON.stringify(i.index_key)}]`}`));
}

interface Report {
  notChecked: Array<{ address: string; reason: string }>;
  unknown: Array<{ address: string; attributePath: string[] }>;
  errors: string[];
  summary: { instances?: { inState: number; checked: number; unknown: number; notChecked: number } };
}

async function check(dir: string, json: boolean): Promise<{ out: string; err: string }> {
  const carol = keyOf(demoScenario(), 'carol');
  const { out, err } = await runCheck(sandbox, carol, dir, [...(json ? ['--json'] : []), '--no-attribution', dir]);
  return { out, err };
}

const cases = [
  { worker: 'root' as const, listed: undefined },
  { worker: 'local-module' as const, listed: undefined },
  { worker: 'registry-module' as const, listed: /^module `worker` is not installed: run `terraform init`$/ },
  { worker: 'removed' as const, listed: /^in state but not in the configuration \(terraform apply would destroy it\)$/ },
];

for (const c of cases) {
  test(`check accounts for every managed instance in state (worker: ${c.worker})`, async () => {
    const dir = demo(c.worker);
    const inState = managedInstances(dir);
    const { out, err } = await check(dir, true);
    const report = JSON.parse(out) as Report;
    const n = report.summary.instances;
    assert.ok(n, `summary.instances missing: ${out}\n${err}`);
    assert.equal(n.inState, inState.length);
    assert.equal(n.checked + n.unknown + n.notChecked, n.inState, JSON.stringify(n));
    const unread = new Set(report.unknown.filter((u) => u.attributePath.length === 0).map((u) => u.address));
    const listed = report.notChecked.filter((x) => inState.includes(x.address) || unread.has(x.address));
    assert.equal(listed.length + unread.size, n.notChecked + n.unknown, 'each unchecked instance is listed once');
    const worker = inState.find((a) => a.includes('aws_instance.worker') || a.startsWith('module.worker.'))!;
    const entry = report.notChecked.find((x) => x.address === worker);
    if (c.listed) {
      assert.ok(entry, `${worker} is not listed in notChecked: ${JSON.stringify(report.notChecked)}`);
      assert.match(entry.reason, c.listed);
      assert.equal(n.checked, inState.length - 1 - n.unknown);
    } else {
      assert.equal(entry, undefined);
    }

    const text = await check(dir, false);
    assert.match(text.out, new RegExp(`checked ${n.checked} of ${inState.length} resources`), text.out);
    if (c.listed) assert.match(text.out, new RegExp(`  ${worker.replace(/[[\].]/g, '\\$&')}: `), text.out);
  });
}
