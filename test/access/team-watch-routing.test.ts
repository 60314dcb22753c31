// A team broker watching several roots routes each queue event by the account and region it came
// from: prod (account and regions derived from its credentials and providers) and staging
// (declared for another account and region) follow one queue; an event of each goes to its own
// root and raises that root's alert; events from an account nobody registered, or from a region
// prod does not read, are counted and ignored — shown by `watchStatus`, not an error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { Scenario } from '../../sandbox/src/scenario';
import { httpClient } from '../../server/src/access/http-client';
import { createIdentityProof } from '../../server/src/access/identity';
import type { WatchStatus } from '../../server/src/access/ledger/watch-ledger';
import type { Alert } from '../../server/src/alerts/alert';
import { keyOf, startDemo } from '../sandbox/helpers';
import { childEnv } from '../support/child-env';
import { reap } from '../support/child-reaper';
import { repoRoot } from '../support/lsp-client';
import { waitFor } from '../support/wait';
import { carolTags, demoWorkspace, eventQueue, queueScenario, sqsFor, webInstance } from '../watch/queue-support';
import { createDatabase, postgresSkip, startPostgres, TestPostgres } from './postgres-server';
import { AlertHook, startAlertHook, startTeamBroker } from './team-broker-support';

const TOKEN = 'team-watch-routing-token-0123456789';
const STAGING_ACCOUNT = '210987654321';
const STAGING_REGION = 'eu-north-1';
const skip = postgresSkip();
let pg: TestPostgres | undefined;
let sandbox: SandboxHandle;
let scenario: Scenario;
let ops: SQSClient;
let hook: AlertHook | undefined;
const received: Alert[] = [];
const dirs: string[] = [];
const brokers: ChildProcess[] = [];

before(async () => {
  if (skip) return;
  pg = await startPostgres();
  ({ sandbox, scenario } = await startDemo({}, queueScenario));
  ops = sqsFor(sandbox, scenario);
  hook = await startAlertHook(received);
});

after(async () => {
  for (const b of brokers) if (b.exitCode === null && b.signalCode === null) b.kill('SIGKILL');
  ops?.destroy();
  await sandbox?.stop();
  await hook?.close();
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the demo root module (its .tf files, variables and state) in `dir/name`. */
function rootCopy(dir: string, name: string): void {
  mkdirSync(path.join(dir, name));
  for (const f of readdirSync(dir)) if (/\.(tf|tfvars|tfstate)$/.test(f)) cpSync(path.join(dir, f), path.join(dir, name, f));
}

/** One EventBridge envelope the capture queue received for `eventName`, as the body text. */
async function captured(queueUrl: string, eventName: string): Promise<Record<string, unknown>> {
  let found: Record<string, unknown> | undefined;
  await waitFor(`the ${eventName} envelope in the capture queue`, async () => {
    const out = await ops.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of out.Messages ?? []) {
      const envelope = JSON.parse(m.Body!) as Record<string, unknown> & { detail: { eventName: string } };
      if (envelope.detail.eventName === eventName) found = envelope;
      await ops.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
    return found !== undefined;
  });
  return found!;
}

/** The same call as if recorded in another account and region: a new CloudTrail eventID. */
function elsewhere(envelope: Record<string, unknown>, account: string, region: string, n: number): string {
  const detail = envelope.detail as Record<string, unknown>;
  return JSON.stringify({
    ...envelope, id: `routing-${n}`, account, region,
    detail: { ...detail, eventID: `00000000-0000-4000-8000-00000000000${n}`, awsRegion: region, recipientAccountId: account },
  });
}

test('a broker watching two roots routes events by account and region; an unknown account is counted and ignored', { skip }, async () => {
  const database = await createDatabase(pg!.url, 'team_watch_routing');
  const dir = demoWorkspace(dirs, 'tidemark-team-routing-');
  rootCopy(dir, 'prod');
  rootCopy(dir, 'staging');
  const url = await eventQueue(sandbox, scenario, ops, 'routed', { VisibilityTimeout: '10' });
  const capture = await eventQueue(sandbox, scenario, ops, 'capture');
  const hookUrl = hook!.url;
  appendFileSync(path.join(dir, '.tidemark/config.yaml'), [
    '', 'watch:', `  queues: [${url}]`, '  sweep: 1h',
    '  roots:',
    '    - root: prod',
    `    - { root: staging, account: "${STAGING_ACCOUNT}", regions: [${STAGING_REGION}] }`,
    '  webhooks:', `    - url: ${hookUrl}`, '      format: json', '',
  ].join('\n'));

  const broker = startTeamBroker({ dir, database, listen: '127.0.0.1:0', token: TOKEN, sandbox, scenario });
  brokers.push(broker.child);
  const failWith = (e: Error): never => assert.fail(`${e.message}\nbroker log:\n${broker.log()}\nalerts: ${JSON.stringify(received.map((a) => [a.root, a.kind, a.resource, a.message]))}`);
  await waitFor('the broker to serve', () => /tidemark broker listening on (\S+)/.test(broker.log()), { timeoutMs: 60_000 }).catch(failWith);
  const brokerUrl = /tidemark broker listening on (\S+)/.exec(broker.log())![1]!;
  const proofs = async (audience: string) => {
    const info = await (await fetch(`${brokerUrl}/v1/info`)).json() as { stsEndpoint: string };
    return createIdentityProof({ credentials: keyOf(scenario, 'bob'), region: sandbox.region, stsEndpoint: info.stsEndpoint, audience });
  };
  const bob = httpClient(brokerUrl, proofs, TOKEN);
  try {
    const status = (): Promise<WatchStatus> => bob.call('watchStatus', {});
    await waitFor('the leader to register both roots', async () => (await status()).roots.length === 2, { timeoutMs: 60_000 }).catch(failWith);
    const roots = (await status()).roots;
    const prod = roots.find((r) => r.root === 'prod')!;
    assert.equal(prod.account, scenario.account, 'prod\'s account comes from its credentials');
    assert.ok(prod.regions.includes(sandbox.region), `prod's regions come from its providers: ${JSON.stringify(prod.regions)}`);
    assert.match(prod.state ?? '', /terraform\.tfstate$/);
    assert.deepEqual(roots.find((r) => r.root === 'staging')!.regions, [STAGING_REGION]);
    assert.equal(roots.find((r) => r.root === 'staging')!.account, STAGING_ACCOUNT);

    // A real change in prod's account and region: prod's alert only.
    await carolTags(sandbox, scenario, [webInstance(scenario)], 'first');
    const forRoot = (root: string) => received.filter((a) => a.kind === 'drift-appeared' && a.resource === 'aws_instance.web' && a.root === root);
    await waitFor('prod\'s alert', () => forRoot('prod').length === 1).catch(failWith);
    assert.match(forRoot('prod')[0]!.message, /carol/);

    // The same call as recorded in staging's account and region, in an unknown account, and in a
    // region prod does not read.
    const envelope = await captured(capture, 'CreateTags');
    for (const [account, region, n] of [[STAGING_ACCOUNT, STAGING_REGION, 1], ['999999999999', sandbox.region, 2], [scenario.account, 'ap-south-1', 3]] as const) {
      await ops.send(new SendMessageCommand({ QueueUrl: url, MessageBody: elsewhere(envelope, account, region, n) }));
    }
    await waitFor('staging\'s alert', () => forRoot('staging').length === 1).catch(failWith);
    await waitFor('the ignored events counted', async () => (await status()).ignored.length === 2).catch(failWith);

    const after = await status();
    assert.deepEqual(after.ignored.map((i) => [i.account, i.region, i.events]).sort(), [['999999999999', sandbox.region, 1], [scenario.account, 'ap-south-1', 1]].sort());
    assert.equal(after.roots.find((r) => r.root === 'staging')!.events, 1, 'staging got its one event and nothing of prod\'s');
    assert.ok(after.roots.find((r) => r.root === 'prod')!.events >= 1);
    assert.equal(forRoot('prod').length, 1, 'prod did not take the copies made for other accounts and regions');
    assert.notEqual(forRoot('prod')[0]!.id, forRoot('staging')[0]!.id, 'the same resource in two roots: two alerts, two ids');
    assert.equal(forRoot('staging')[0]!.file, path.join('staging', 'compute.tf'), 'files are named from the workspace');
    assert.match(broker.log(), /watch: events from 999999999999\/\S+ \(account\/region\) belong to no root of this watch; counted and ignored/);
    assert.doesNotMatch(broker.log(), /watch: (stopped leading|first reading failed)/);

    // The same status for a person: `tidemark events status` against the team broker.
    const bobKeys = keyOf(scenario, 'bob');
    // Not spawnSync: the sandbox answering its identity proof runs in this process.
    const cli = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = reap(spawn(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'events', 'status', '--broker', brokerUrl], {
        cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
        env: childEnv({ TIDEMARK_BROKER_TOKEN: TOKEN, AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region, AWS_ACCESS_KEY_ID: bobKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: bobKeys.secretAccessKey }),
      }));
      brokers.push(p);
      let stdout = '';
      let stderr = '';
      p.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      p.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      p.once('close', (code) => resolve({ code, stdout, stderr }));
    });
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, new RegExp(`^staging\\s+${STAGING_ACCOUNT}\\s+${STAGING_REGION}\\s+1\\s`, 'm'));
    assert.match(cli.stdout, /ignored \(no root registered for the account and region\):/);
    assert.match(cli.stdout, /^999999999999\s+\S+\s+1\s/m);
  } finally {
    await bob.close();
  }
});
