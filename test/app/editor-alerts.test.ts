// The editor gets `tidemark/alert`: the language server (real LSP over stdio) reads the sandbox,
// carol opens SSH to the world with her own keys, and the next refresh sends an error alert
// (no grant) and a critical guardrail alert. Drift that was there when the editor opened is not news.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { Alert, AlertNotification, DriftChangedNotification, RefreshRequest } from '../../server/src/protocol';
import { LspSession, repoRoot, startLspSession } from '../support/lsp-client';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const keyOf = (name: string) => scenario.users!.find((u) => u.name === name)!.accessKeys![0]!;

let sandbox: SandboxHandle;
let session: LspSession;
let dir: string;
const alerts: Alert[] = [];

before(async () => {
  sandbox = await startSandbox({ ...scenario, limits: { lookupEventsPerSecond: 0 } });
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-alert-lsp-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  const reader = keyOf('drift-reader');
  session = await startLspSession({
    rootDir: dir,
    env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region, AWS_ACCESS_KEY_ID: reader.id, AWS_SECRET_ACCESS_KEY: reader.secret, AWS_PROFILE: '', AWS_SESSION_TOKEN: '' },
    initializationOptions: { refreshInterval: 0 },
  });
  session.connection.onNotification(AlertNotification, (alert: Alert) => {
    alerts.push(alert);
  });
  // The read when the workspace opens announces the drift list once it is read (again only if attribution
  // changes it); then one full refresh (read, attribution, alerts) settles the baseline before the tests.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no tidemark/driftChanged within 60 s of opening the workspace')), 60_000);
    session.connection.onNotification(DriftChangedNotification, () => { clearTimeout(timer); resolve(); });
  });
  await session.connection.sendRequest(RefreshRequest, {});
});

after(async () => {
  await session?.shutdown().catch(() => undefined);
  session?.process.kill();
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('carol opening SSH to the world: an error alert (no grant) and a critical guardrail alert', async () => {
  assert.equal(alerts.length, 0, `the first read only primes: ${JSON.stringify(alerts)}`);
  const carol = new EC2Client({ endpoint: sandbox.endpoint, region: scenario.region, credentials: { accessKeyId: keyOf('carol').id, secretAccessKey: keyOf('carol').secret } });
  const web = scenario.securityGroups!.find((g) => g.name === 'tidemark-demo-web')!.id;
  await carol.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));

  await session.connection.sendRequest(RefreshRequest, {});
  assert.deepEqual(alerts.map((a) => [a.kind, a.severity, a.resource, a.attribute]), [
    ['drift-appeared', 'error', 'aws_security_group.web', 'ingress'],
    ['guardrail', 'critical', 'aws_security_group.web', 'ingress'],
  ], session.logs.join('\n'));
  const [drift, guard] = alerts;
  assert.equal(drift!.attribution?.class, 'no-grant');
  assert.equal(drift!.attribution?.actor, 'carol');
  assert.match(drift!.message, /^unauthorized change: /);
  assert.equal(drift!.file, 'network.tf');
  assert.equal(guard!.rule, 'no-world-ssh');
  assert.match(guard!.message, /ingress tcp 22 from 0\.0\.0\.0\/0 \(by carol\)/);

  // Nothing changed since: no new alert.
  await session.connection.sendRequest(RefreshRequest, {});
  assert.equal(alerts.length, 2);
});
