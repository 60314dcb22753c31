// The team broker's watch alerts reach connected editors: a team broker on a real PostgreSQL ledger
// follows an SQS queue fed by the sandbox's EventBridge rule; its event stream (GET /v1/events)
// carries each alert once, numbered by the ledger, and a stream that reconnects with Last-Event-ID
// gets what it missed and nothing twice. The language server, connected to the same broker through
// a real LSP client, shows each alert once as `tidemark/alert` — also across a broker restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Client } from 'pg';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { Scenario } from '../../sandbox/src/scenario';
import type { BrokerEvent } from '../../server/src/access/broker';
import { parseSseFrame } from '../../server/src/access/http-client';
import { PROOF_HEADER } from '../../server/src/access/http-server';
import { createIdentityProof } from '../../server/src/access/identity';
import type { Alert } from '../../server/src/alerts/alert';
import { keyOf, startDemo } from '../sandbox/helpers';
import { LspSession, startLspSession } from '../support/lsp-client';
import { waitFor } from '../support/wait';
import { carolTags, demoWorkspace, eventQueue, queueScenario, sqsFor, webInstance } from '../watch/queue-support';
import { createDatabase, freePort, postgresSkip, startPostgres, TestPostgres } from './postgres-server';
import { startTeamBroker, TeamBroker } from './team-broker-support';

const TOKEN = 'team-watch-stream-token-0123456789';
const skip = postgresSkip();
let pg: TestPostgres | undefined;
let sandbox: SandboxHandle;
let scenario: Scenario;
let ops: SQSClient;
let session: LspSession | undefined;
const dirs: string[] = [];
const brokers: ChildProcess[] = [];
const streams: Stream[] = [];

before(async () => {
  if (skip) return;
  pg = await startPostgres();
  ({ sandbox, scenario } = await startDemo({}, queueScenario));
  ops = sqsFor(sandbox, scenario);
});

after(async () => {
  for (const s of streams) s.close();
  await session?.shutdown().catch(() => undefined);
  session?.process.kill();
  for (const b of brokers) if (b.exitCode === null && b.signalCode === null) b.kill('SIGKILL');
  ops?.destroy();
  await sandbox?.stop();
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function startBroker(dir: string, database: string, port: number): TeamBroker {
  const b = startTeamBroker({ dir, database, listen: `127.0.0.1:${port}`, token: TOKEN, sandbox, scenario });
  brokers.push(b.child);
  return b;
}

interface Stream {
  /** The watch alerts received, with their event ids. */
  alerts: Array<{ id: string; alert: Alert }>;
  /** The last event id the stream named (the cursor frame or an alert's). */
  lastId(): string | undefined;
  close(): void;
}

/** bob's own SSE connection to the broker, speaking the wire protocol directly (proof, token, Last-Event-ID). */
async function openStream(url: string, lastEventId?: string): Promise<Stream> {
  const info = await (await fetch(`${url}/v1/info`)).json() as { audience: string; stsEndpoint: string };
  const proof = await createIdentityProof({ credentials: keyOf(scenario, 'bob'), region: sandbox.region, stsEndpoint: info.stsEndpoint, audience: info.audience });
  const alerts: Stream['alerts'] = [];
  let last: string | undefined;
  const req = http.get(`${url}/v1/events`, {
    headers: {
      [PROOF_HEADER]: Buffer.from(JSON.stringify(proof)).toString('base64url'),
      authorization: `Bearer ${TOKEN}`,
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    },
  });
  const stream: Stream = { alerts, lastId: () => last, close: () => req.destroy() };
  streams.push(stream);
  await new Promise<void>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      if (res.statusCode !== 200) return reject(new Error(`events stream: HTTP ${res.statusCode}`));
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = parseSseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (frame.id !== undefined) last = frame.id;
          const event = frame.data ? (JSON.parse(frame.data) as BrokerEvent) : undefined;
          if (event?.type === 'watch-alert') {
            assert.equal(frame.id, String(event.seq), 'a watch alert\'s event id is its sequence number');
            alerts.push({ id: frame.id!, alert: event.alert });
          }
        }
      });
      res.on('error', () => undefined);
      resolve();
    });
  });
  await waitFor('the stream\'s opening cursor or replay', () => last !== undefined || alerts.length > 0, { timeoutMs: 10_000 });
  return stream;
}

/** alice's environment for the language server: her keys and nothing that names an endpoint or broker. */
function aliceEnv(home: string): NodeJS.ProcessEnv {
  const key = keyOf(scenario, 'alice');
  const blank: NodeJS.ProcessEnv = {};
  for (const k of Object.keys(process.env)) if (/^(AWS_|TIDEMARK_)/.test(k)) blank[k] = '';
  return {
    ...blank,
    AWS_REGION: sandbox.region, AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_CONFIG_FILE: path.join(home, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

const appearedOn = (alerts: Alert[], address: string): Alert[] => alerts.filter((a) => a.kind === 'drift-appeared' && a.resource === address);
const unique = (alerts: Alert[]): boolean => new Set(alerts.map((a) => a.id)).size === alerts.length;

test('team watch alerts: pushed on the broker\'s stream once each, resumed with Last-Event-ID, shown once by the language server across a broker restart', { skip }, async () => {
  const database = await createDatabase(pg!.url, 'team_watch_stream');
  const dir = demoWorkspace(dirs, 'tidemark-team-stream-');
  const url = await eventQueue(sandbox, scenario, ops, 'stream', { VisibilityTimeout: '10' });
  appendFileSync(path.join(dir, '.tidemark/config.yaml'), `\nwatch:\n  queues: [${url}]\n  sweep: 1h\n`);
  const port = await freePort();
  const brokerUrl = `http://127.0.0.1:${port}`;
  let broker = startBroker(dir, database, port);
  const failWith = (e: Error): never => assert.fail(`${e.message}\nbroker log:\n${broker.log()}\nserver log:\n${session?.logs.join('\n') ?? ''}`);
  await waitFor('the broker to lead the watch and serve', () => broker.log().includes('watch: leading') && broker.log().includes('tidemark broker listening'), { timeoutMs: 60_000 }).catch(failWith);

  // The editor: the language server with the team broker in its settings and the token from SecretStorage.
  const home = mkdtempSync(path.join(tmpdir(), 'tidemark-team-stream-home-'));
  dirs.push(home);
  const editorDir = demoWorkspace(dirs, 'tidemark-team-stream-editor-');
  const settings = { aws: { endpoint: sandbox.endpoint }, refreshInterval: 0, broker: { url: brokerUrl } };
  session = await startLspSession({ rootDir: editorDir, env: aliceEnv(home), initializationOptions: settings });
  session.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => settings));
  const shown: Alert[] = [];
  session.connection.onNotification('tidemark/alert', (alert: Alert) => { shown.push(alert); });
  await session.connection.sendNotification('tidemark/access/setToken', { token: TOKEN });
  await session.connection.sendRequest('tidemark/access/whoami', {});
  await waitFor('the language server to subscribe to the broker\'s events', () => broker.log().includes('events: alice subscribed')).catch(failWith);

  const bob = await openStream(brokerUrl);
  await waitFor('bob\'s stream to be subscribed', () => broker.log().includes('events: bob subscribed')).catch(failWith);

  // 1. A change: one alert on the stream, the same one in the editor.
  await carolTags(sandbox, scenario, [webInstance(scenario)], 'first');
  await waitFor('the first change on bob\'s stream', () => appearedOn(bob.alerts.map((a) => a.alert), 'aws_instance.web').length > 0).catch(failWith);
  const first = appearedOn(bob.alerts.map((a) => a.alert), 'aws_instance.web')[0]!;
  assert.match(first.message, /carol/);
  await waitFor('the first change in the editor', () => shown.some((a) => a.id === first.id)).catch(failWith);

  // 2. bob disconnects; a change is raised while he is away (it is in the ledger).
  const seenBefore = bob.lastId()!;
  bob.close();
  await carolTags(sandbox, scenario, [scenario.vpcs![0]!.id], 'second');
  const ledger = new Client({ connectionString: database });
  await ledger.connect();
  try {
    await waitFor('the second change to be claimed in the ledger', async () => (await ledger.query("SELECT 1 FROM watch_alerts WHERE alert->>'resource' = 'aws_vpc.main'")).rows.length > 0).catch(failWith);
  } finally {
    await ledger.end();
  }

  // 3. He reconnects with Last-Event-ID: the missed alert comes once, the one he saw does not come again.
  const resumed = await openStream(brokerUrl, seenBefore);
  await waitFor('the missed change replayed', () => appearedOn(resumed.alerts.map((a) => a.alert), 'aws_vpc.main').length > 0).catch(failWith);
  assert.ok(broker.log().includes(`events: bob subscribed, resuming after watch alert ${seenBefore}`), 'the broker saw the resume');
  await carolTags(sandbox, scenario, [webInstance(scenario)], 'third');
  await waitFor('the third change on the resumed stream', () => appearedOn(resumed.alerts.map((a) => a.alert), 'aws_instance.web').length > 0).catch(failWith);
  const both = [...bob.alerts, ...resumed.alerts];
  assert.ok(unique(both.map((a) => a.alert)), `no alert twice across the reconnect: ${JSON.stringify(both.map((a) => [a.id, a.alert.kind, a.alert.resource]))}`);
  assert.equal(appearedOn(both.map((a) => a.alert), 'aws_instance.web').length, 2, 'the first and the third change, once each');
  assert.equal(appearedOn(both.map((a) => a.alert), 'aws_vpc.main').length, 1);
  assert.ok(resumed.alerts.every((a) => Number(a.id) > Number(seenBefore)), 'the replay starts after the id bob had seen');
  resumed.close();

  // 4. The broker restarts (killed, a new process on the same address); a change made meanwhile
  // reaches the editor, whose connection resumes with the last id it saw.
  await waitFor('the editor to have every alert so far', () => both.every((b) => shown.some((a) => a.id === b.alert.id))).catch(failWith);
  broker.child.kill('SIGKILL');
  await new Promise<void>((resolve) => (broker.child.exitCode !== null || broker.child.signalCode !== null ? resolve() : broker.child.once('exit', () => resolve())));
  await carolTags(sandbox, scenario, [webInstance(scenario)], 'fourth');
  broker = startBroker(dir, database, port);
  await waitFor('the editor to resume on the new broker', () => /events: alice subscribed, resuming after watch alert \d+/.test(broker.log()), { timeoutMs: 60_000 }).catch(failWith);
  await waitFor('the fourth change in the editor', () => appearedOn(shown, 'aws_instance.web').length === 3, { timeoutMs: 60_000 }).catch(failWith);
  // Let a late repeat show itself: one more change goes through after it.
  await carolTags(sandbox, scenario, [scenario.vpcs![0]!.id], 'fifth');
  await waitFor('the fifth change in the editor', () => appearedOn(shown, 'aws_vpc.main').length === 2, { timeoutMs: 60_000 }).catch(failWith);
  assert.ok(unique(shown), `the editor shows each alert once: ${JSON.stringify(shown.map((a) => [a.id, a.kind, a.resource]))}`);
  assert.equal(appearedOn(shown, 'aws_instance.web').length, 3);
});
