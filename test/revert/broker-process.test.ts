// The wiring: `tidemark broker` (the bundled CLI, the broker's own keys in its environment) run in a
// copy of examples/demo reverts a change made with a grant's credentials once the grant is revoked,
// in that workspace's Terraform root module. People talk to it over HTTP with their own keys.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { BrokerClient } from '../../server/src/access/client';
import { envProofSource } from '../../server/src/access/proof-source';
import { connectBroker } from '../../server/src/app/broker-runtime';
import { repoRoot } from '../support/lsp-client';
import { childEnv } from '../support/child-env';
import { reap } from '../support/child-reaper';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const WEB_SG = scenario.securityGroups!.find((g) => g.name === 'tidemark-demo-web')!.id;

let sandbox: SandboxHandle;
let broker: ChildProcess;
let dir: string;
let output = '';
const clients: BrokerClient[] = [];

function envFor(name: string): NodeJS.ProcessEnv {
  const key = scenario.users?.find((u) => u.name === name)?.accessKeys?.[0];
  assert.ok(key, `scenario user ${name} has an access key`);
  return { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region, AWS_ACCESS_KEY_ID: key.id, AWS_SECRET_ACCESS_KEY: key.secret, AWS_PROFILE: '', AWS_SESSION_TOKEN: '' };
}

async function clientAs(name: string): Promise<BrokerClient> {
  const env = envFor(name);
  const { client } = await connectBroker({ cwd: dir, env, proofs: envProofSource(env) });
  clients.push(client);
  return client;
}

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-revert-cli-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  broker = reap(spawn(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'broker'], { cwd: dir, env: childEnv(envFor('tidemark-broker')), stdio: ['ignore', 'pipe', 'pipe'] }));
  broker.stdout!.on('data', (d) => (output += d));
  broker.stderr!.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start: ${output}`)), 60_000);
    const check = () => { if (output.includes('listening on')) { clearTimeout(timer); resolve(); } };
    broker.stdout!.on('data', check);
    broker.on('exit', (code) => reject(new Error(`broker exited ${code}: ${output}`)));
  });
});

after(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  broker?.kill('SIGTERM');
  if (broker && broker.exitCode === null) await new Promise((r) => broker.once('exit', r));
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function webIngressPorts(): Promise<number[]> {
  const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: scenario.region, credentials: { accessKeyId: envFor('carol').AWS_ACCESS_KEY_ID!, secretAccessKey: envFor('carol').AWS_SECRET_ACCESS_KEY! } });
  const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [WEB_SG] }));
  return (out.SecurityGroups?.[0]?.IpPermissions ?? []).map((p) => p.FromPort ?? -1).sort((a, b) => a - b);
}

test('tidemark broker reverts a grant\'s change in its workspace when the grant is revoked', async () => {
  const alice = await clientAs('alice');
  const bob = await clientAs('bob');
  // A ticket makes the request allowed at any hour (the example policy), so CI time does not matter.
  const g = await alice.call('request', { role: 'prod-operator', durationSeconds: 1800, reason: 'open ssh for a fix', ticket: 'INC-1' });
  await bob.call('approve', { id: g.id });
  const c = await alice.call('credentials', { id: g.id });
  const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: scenario.region, maxAttempts: 1, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } });
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  assert.deepEqual(await webIngressPorts(), [22, 80, 443]);

  await bob.call('revoke', { id: g.id, reason: 'done' });
  for (let i = 0; i < 600 && !/revert step 1 aws_security_group\.web ingress: done/.test(output); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(output, /revert step 1 aws_security_group\.web ingress: done/, output);
  assert.deepEqual(await webIngressPorts(), [80, 443]);
  const audit = await bob.call('auditExport', {});
  assert.ok(audit.some((r) => r.kind === 'revert' && r.grantId === g.id && r.data.event === 'done'));
  assert.equal((await bob.call('auditVerify', {})).ok, true);
});
