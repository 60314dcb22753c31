// Attributed drift in the editor: a `tidemark broker` serves the workspace; the editor user (alice)
// gets a grant approved by bob, changes the web security group with the grant's credentials, and
// carol resizes the worker with her own keys. After a refresh the diagnostics carry who did it:
// information for alice's active grant, an error for carol's unauthorized change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EC2Client, ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { Diagnostic, DiagnosticSeverity, HoverRequest } from 'vscode-languageserver-protocol/node';
import { loadScenarioFile, startSandbox, SandboxHandle } from '../../sandbox/src/index';
import { connectBroker, EmbeddedBroker } from '../../server/src/app/broker-runtime';
import { envProofSource } from '../../server/src/access/proof-source';
import type { GrantChangesResult } from '../../server/src/protocol';
import { fileUri, LspSession, repoRoot, startLspSession } from '../support/lsp-client';
import { keyOf as scenarioKey } from '../sandbox/helpers';
import { childEnv } from '../support/child-env';
import { reap } from '../support/child-reaper';
import { runAwsCli } from '../attribution/aws-cli';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const keyOf = (name: string) => scenarioKey(scenario, name);
const envFor = (name: string, endpoint: string) => {
  const k = keyOf(name);
  return { AWS_ENDPOINT_URL: endpoint, AWS_REGION: scenario.region, AWS_ACCESS_KEY_ID: k.accessKeyId, AWS_SECRET_ACCESS_KEY: k.secretAccessKey, AWS_PROFILE: '', AWS_SESSION_TOKEN: '' };
};

const web = scenario.securityGroups!.find((g) => g.name === 'tidemark-demo-web')!;
const worker = scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-worker')!;
const COMMAND = `aws ec2 authorize-security-group-ingress --group-id ${web.id} --protocol tcp --port 22 --cidr 0.0.0.0/0`;

let sandbox: SandboxHandle;
let broker: ChildProcess;
let bob: EmbeddedBroker;
let session: LspSession;
let dir: string;
let grantId: string;

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-attribution-lsp-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  broker = reap(spawn(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'broker'], { cwd: dir, env: childEnv(envFor('tidemark-broker', sandbox.endpoint)), stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    // Generous: PGlite and the policy engine load slowly on a busy machine.
    const timer = setTimeout(() => reject(new Error(`broker did not start: ${output}`)), 60_000);
    broker.stdout!.on('data', (d) => {
      output += d;
      if (output.includes('listening on')) { clearTimeout(timer); resolve(); }
    });
    broker.stderr!.on('data', (d) => (output += d));
    broker.on('exit', (code) => reject(new Error(`broker exited ${code}: ${output}`)));
  });
  const bobEnv = envFor('bob', sandbox.endpoint);
  bob = await connectBroker({ cwd: dir, env: bobEnv, proofs: envProofSource(bobEnv) });
  session = await startLspSession({ rootDir: dir, env: envFor('alice', sandbox.endpoint), initializationOptions: { refreshInterval: 0 } });

  // alice asks from the editor (a ticket keeps it within policy at any hour), bob approves.
  const requested = (await session.connection.sendRequest('tidemark/access/request', { role: 'prod-operator', durationSeconds: 3600, reason: 'open ssh for the incident', ticket: 'INC-7' })) as { id: string };
  grantId = requested.id;
  await bob.client.call('approve', { id: grantId });
  const creds = (await session.connection.sendRequest('tidemark/access/credentials', { id: grantId })) as { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  await session.connection.sendRequest('tidemark/access/recordCommands', { id: grantId, commands: [{ at: new Date().toISOString(), cwd: '/ops', command: COMMAND, exitCode: 0, source: 'terminal' }] });
  // The real aws CLI, as in a grant terminal (an SDK's userAgent would rule the aws command out).
  await runAwsCli(sandbox.endpoint, scenario.region, creds, COMMAND.split(' ').slice(1));
  const asCarol = new EC2Client({ endpoint: sandbox.endpoint, region: scenario.region, credentials: keyOf('carol') });
  await asCarol.send(new StopInstancesCommand({ InstanceIds: [worker.id] }));
  await asCarol.send(new ModifyInstanceAttributeCommand({ InstanceId: worker.id, InstanceType: { Value: 't3.large' } }));
  await asCarol.send(new StartInstancesCommand({ InstanceIds: [worker.id] }));
  // Resolves once live state is read and attributed.
  await session.connection.sendRequest('tidemark/refresh', {});
});

after(async () => {
  await session?.shutdown().catch(() => undefined);
  session?.process.kill();
  await bob?.client.close().catch(() => undefined);
  broker?.kill('SIGTERM');
  await new Promise((r) => broker?.once('exit', r));
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openDoc(name: string): Promise<string> {
  const file = path.join(dir, name);
  const uri = fileUri(file);
  await session.open(uri, readFileSync(file, 'utf8'), 1);
  return uri;
}

const ingressDrift = (d: Diagnostic) => d.code === 'drift.changed' && /aws_security_group\.web: ingress/.test(String(d.message));

test('a change under an active grant is information naming alice, the grant and her command; the hover links its timeline', async () => {
  const uri = await openDoc('network.tf');
  const published = await session.diagnostics(uri, (p) => p.diagnostics.some((d) => ingressDrift(d) && /changed by/.test(String(d.message))));
  const diagnostic = published.diagnostics.find(ingressDrift)!;
  assert.equal(diagnostic.severity, DiagnosticSeverity.Information);
  assert.match(String(diagnostic.message), new RegExp(`changed by alice under grant ${grantId}, \\d\\d:\\d\\d UTC, \`aws ec2 authorize-security-group-ingress --group-id ${web.id}`));
  const hover = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: diagnostic.range.start.line, character: diagnostic.range.start.character + 2 } });
  const text = (hover?.contents as { value: string }).value;
  assert.match(text, /\*\*Changed under an active grant\*\*/);
  assert.ok(text.includes(COMMAND), 'the command that did it');
  assert.match(text, /`ec2:AuthorizeSecurityGroupIngress`/);
  const link = /\[Show grant ([^\]]+)'s timeline\]\(command:tidemark\.access\.showLog\?([^)]+)\)/.exec(text);
  assert.ok(link, `timeline link in: ${text}`);
  assert.equal(link[1], grantId);
  const [arg] = JSON.parse(decodeURIComponent(link[2]!)) as Array<{ id: string; role: string; requesterName: string }>;
  assert.deepEqual({ id: arg!.id, role: arg!.role, requesterName: arg!.requesterName }, { id: grantId, role: 'prod-operator', requesterName: 'alice' });
});

test('a change made with someone\'s own keys is an error naming them', async () => {
  const uri = await openDoc('compute.tf');
  const isType = (d: Diagnostic) => d.code === 'drift.changed' && /instance_type/.test(String(d.message));
  const published = await session.diagnostics(uri, (p) => p.diagnostics.some((d) => isType(d) && /changed by/.test(String(d.message))));
  const diagnostic = published.diagnostics.find(isType)!;
  assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
  assert.match(String(diagnostic.message), /changed by carol \(arn:aws:iam::\d+:user\/carol\) outside any Tidemark grant, .*ec2:ModifyInstanceAttribute/);
});

test('the grant\'s changes list the security group as still drifted, with the command', async () => {
  const result = (await session.connection.sendRequest('tidemark/grantChanges', { id: grantId })) as GrantChangesResult;
  const change = result.changes.find((c) => c.address === 'aws_security_group.web' && c.attributePath[0] === 'ingress');
  assert.equal(change?.status, 'drifted', JSON.stringify(result));
  assert.equal(change?.command, COMMAND);
  assert.ok(!result.changes.some((c) => c.address === 'aws_instance.worker'), 'carol\'s change is not the grant\'s');
});
