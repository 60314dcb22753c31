// Access operations over LSP: the editor (as alice) talks to the workspace's embedded broker,
// which a `tidemark broker` process (with the broker's own credentials) is serving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadScenarioFile, startSandbox, SandboxHandle } from '../../sandbox/src/index';
import { LspSession, repoRoot, startLspSession } from '../support/lsp-client';
import { childEnv } from '../support/child-env';
import { reap } from '../support/child-reaper';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const envFor = (name: string, endpoint: string) => {
  const key = scenario.users?.find((u) => u.name === name)?.accessKeys?.[0];
  assert.ok(key, `scenario user ${name} has an access key`);
  return { AWS_ENDPOINT_URL: endpoint, AWS_REGION: scenario.region, AWS_ACCESS_KEY_ID: key.id, AWS_SECRET_ACCESS_KEY: key.secret, AWS_PROFILE: '', AWS_SESSION_TOKEN: '' };
};

let sandbox: SandboxHandle;
let broker: ChildProcess;
let session: LspSession;
let dir: string;
const events: Array<{ type: string; grant?: { id: string; state: string } }> = [];

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-access-lsp-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  broker = reap(spawn(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'broker'], { cwd: dir, env: childEnv(envFor('tidemark-broker', sandbox.endpoint)), stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start: ${output}`)), 90_000);
    broker.stdout!.on('data', (d) => {
      output += d;
      if (output.includes('listening on')) { clearTimeout(timer); resolve(); }
    });
    broker.stderr!.on('data', (d) => (output += d));
    broker.on('exit', (code) => reject(new Error(`broker exited ${code}: ${output}`)));
  });
  session = await startLspSession({ rootDir: dir, env: envFor('alice', sandbox.endpoint), initializationOptions: { refreshInterval: 0 } });
  session.connection.onNotification('tidemark/access/event', (e: { type: string; grant?: { id: string; state: string } }) => {
    events.push(e);
  });
});

after(async () => {
  await session?.shutdown().catch(() => undefined);
  session?.process.kill();
  broker?.kill('SIGTERM');
  await new Promise((r) => broker?.once('exit', r));
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('whoami is the identity proven by the editor user\'s own AWS credentials', async () => {
  const me = (await session.connection.sendRequest('tidemark/access/whoami', {})) as { arn: string; name: string };
  assert.equal(me.arn, `arn:aws:iam::${scenario.account}:user/alice`);
  assert.equal(me.name, 'alice');
});

test('a request made from the editor is pending, listed, and announced as an event', async () => {
  // A ticket and at most an hour: the example policy allows that at any hour (CI runs at night too).
  const grant = (await session.connection.sendRequest('tidemark/access/request', { role: 'prod-operator', durationSeconds: 600, reason: 'rotate the worker', ticket: 'OPS-1' })) as { id: string; state: string; requesterName: string };
  assert.equal(grant.state, 'pending');
  assert.equal(grant.requesterName, 'alice');
  const mine = (await session.connection.sendRequest('tidemark/access/grants', { mine: true })) as Array<{ id: string }>;
  assert.ok(mine.some((g) => g.id === grant.id));
  for (let i = 0; i < 100 && !events.some((e) => e.grant?.id === grant.id); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(events.some((e) => e.type === 'grant' && e.grant?.id === grant.id && e.grant.state === 'pending'), 'the client is told');
});

test('policy refusals come back as errors the user can read: no self-approval', async () => {
  const grant = (await session.connection.sendRequest('tidemark/access/request', { role: 'prod-operator', durationSeconds: 600, reason: 'second', ticket: 'OPS-2' })) as { id: string };
  await assert.rejects(session.connection.sendRequest('tidemark/access/approve', { id: grant.id }), (error: Error) => {
    // The broker's own refusal, word for word: any other error (a policy denial, a crash) must not pass.
    assert.match(error.message, new RegExp(`grant ${grant.id}: requesters cannot approve their own request`));
    assert.doesNotMatch(error.message, /AKIA|ASIA/);
    return true;
  });
});

test('the editor\'s "Request access for this change": the server builds the scope from blocks or a drift; approvers see the same scope', async () => {
  const file = path.join(dir, 'compute.tf');
  const uri = pathToFileURL(file).href;
  const text = readFileSync(file, 'utf8');
  await session.open(uri, text);
  const workerLine = text.split('\n').findIndex((l) => l.startsWith('resource "aws_instance" "worker"'));
  const worker = { address: 'aws_instance.worker', type: 'aws_instance', arn: `arn:aws:ec2:${scenario.region}:${scenario.account}:instance/i-0a1b2c3d4e5f60c02` };
  const fromBlocks = (await session.connection.sendRequest('tidemark/scopeFor', { kind: 'blocks', uri, lines: [{ start: workerLine + 1, end: workerLine + 2 }] })) as { scope: unknown[] };
  assert.deepEqual(fromBlocks.scope, [worker]);
  const fromDrift = (await session.connection.sendRequest('tidemark/scopeFor', { kind: 'drift', uri, address: 'aws_instance.worker' })) as { scope: Array<typeof worker> };
  assert.deepEqual(fromDrift.scope, [worker]);
  const fromFile = (await session.connection.sendRequest('tidemark/scopeFor', { kind: 'file', uri })) as { scope: Array<typeof worker> };
  assert.ok(fromFile.scope.length >= 2 && fromFile.scope.some((r) => r.address === 'aws_instance.web'), JSON.stringify(fromFile.scope));
  await assert.rejects(session.connection.sendRequest('tidemark/scopeFor', { kind: 'drift', uri, address: 'aws_instance.nope' }), (error: Error) => /^aws_instance\.nope: not in state/.test(error.message) && !error.message.includes("\n"));

  const grant = (await session.connection.sendRequest('tidemark/access/request', { role: 'prod-operator', durationSeconds: 600, reason: 'revert the worker', ticket: 'OPS-3', scope: fromDrift.scope })) as { id: string; scope: unknown; sessionPolicy: string };
  assert.deepEqual(grant.scope, [worker]);
  const listed = ((await session.connection.sendRequest('tidemark/access/grants', { mine: true })) as Array<{ id: string; scope?: unknown; sessionPolicy?: string }>).find((g) => g.id === grant.id);
  assert.deepEqual(listed?.scope, [worker], 'the grant list carries the scope');
  assert.equal(listed?.sessionPolicy, grant.sessionPolicy, 'and the exact session policy');
});
