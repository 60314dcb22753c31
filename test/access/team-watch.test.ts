// The team broker watches by itself: two `tidemark broker` processes on one real PostgreSQL ledger,
// both configured (`watch:` in config.yaml) to follow the same SQS queue fed by the sandbox's
// EventBridge rule. Exactly one leads (a PostgreSQL advisory lock); carol's change reaches the
// webhook once; the leader is killed with SIGKILL; the other takes over, and carol's next change
// (made while nobody led) reaches the webhook once — no alert lost, none repeated.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Client } from 'pg';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { Scenario } from '../../sandbox/src/scenario';
import type { Alert } from '../../server/src/alerts/alert';
import { startDemo } from '../sandbox/helpers';
import { waitFor } from '../support/wait';
import { carolTags, demoWorkspace, eventQueue, queueScenario, sqsFor, webInstance } from '../watch/queue-support';
import { advisoryKey, LeaderLock } from '../../server/src/access/ledger/leader-lock';
import { createDatabase, postgresSkip, startPostgres, TestPostgres } from './postgres-server';
import { AlertHook, startAlertHook, startTeamBroker, TeamBroker } from './team-broker-support';

const skip = postgresSkip();
let pg: TestPostgres | undefined;
let sandbox: SandboxHandle;
let scenario: Scenario;
let ops: SQSClient;
let hook: AlertHook | undefined;
const received: Alert[] = [];
const dirs: string[] = [];
const brokers: TeamBroker[] = [];

before(async () => {
  if (skip) return;
  pg = await startPostgres();
  ({ sandbox, scenario } = await startDemo({}, queueScenario));
  ops = sqsFor(sandbox, scenario);
  hook = await startAlertHook(received);
});

after(async () => {
  for (const b of brokers) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
  ops?.destroy();
  await sandbox?.stop();
  await hook?.close();
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function startBroker(dir: string, database: string): TeamBroker {
  const b = startTeamBroker({ dir, database, listen: '127.0.0.1:0', token: 'team-watch-test-token-0123456789', sandbox, scenario });
  brokers.push(b);
  return b;
}

const leads = (b: { log: () => string }): number => b.log().split('\n').filter((l) => l.includes('watch: leading')).length;
const appearedOn = (address: string): Alert[] => received.filter((a) => a.kind === 'drift-appeared' && a.resource === address);

test('two team brokers: one leads the watch; when it is killed the other takes over, no alert lost or repeated', { skip }, async () => {
  const database = await createDatabase(pg!.url, 'team_watch');
  const dir = demoWorkspace(dirs, 'tidemark-team-watch-');
  // A receive the killed leader had open may take a message with it; it comes back after this.
  const url = await eventQueue(sandbox, scenario, ops, 'team', { VisibilityTimeout: '10' });
  const hookUrl = hook!.url;
  appendFileSync(path.join(dir, '.tidemark/config.yaml'), `\nwatch:\n  queues: [${url}]\n  sweep: 1h\n  webhooks:\n    - url: ${hookUrl}\n      format: json\n`);

  const one = startBroker(dir, database);
  await waitFor('the first broker to lead the watch', () => leads(one) === 1, { timeoutMs: 60_000 }).catch((e: Error) => assert.fail(`${e.message}\n${one.log()}`));
  const two = startBroker(dir, database);
  await waitFor('the second broker to serve', () => two.log().includes('tidemark broker listening'), { timeoutMs: 60_000 }).catch((e: Error) => assert.fail(`${e.message}\n${two.log()}`));
  assert.equal(leads(two), 0, 'only one broker leads');

  await carolTags(sandbox, scenario, [webInstance(scenario)], 'first');
  await waitFor('the first change at the webhook', () => appearedOn('aws_instance.web').length > 0).catch((e: Error) => assert.fail(`${e.message}\n${one.log()}`));
  const first = appearedOn('aws_instance.web')[0]!;
  assert.equal(first.severity, 'error');
  assert.match(first.message, /carol/);

  // Killed once its alert is recorded as delivered: a kill between the webhook's answer and that
  // record would make the next leader send it again (alerts are at least once; the id is stable).
  const ledger = new Client({ connectionString: database });
  await ledger.connect();
  try {
    await waitFor('the first alert to be recorded as delivered', async () => (await ledger.query('SELECT 1 FROM watch_alerts WHERE alert_id = $1 AND delivered_at IS NOT NULL', [first.id])).rows.length === 1);
  } finally {
    await ledger.end();
  }
  one.child.kill('SIGKILL');
  await carolTags(sandbox, scenario, [scenario.vpcs![0]!.id], 'second');
  await waitFor('the second broker to take over', () => leads(two) === 1).catch((e: Error) => assert.fail(`${e.message}\n${two.log()}`));
  await waitFor('the second change, attributed to carol, at the webhook', () => received.some((a) => a.resource === 'aws_vpc.main' && /carol/.test(a.message)))
    .catch((e: Error) => assert.fail(`${e.message}\n${JSON.stringify(received.map((a) => [a.kind, a.resource, a.message]))}\n${two.log()}`));

  // Let any late duplicate arrive: one more change goes through the new leader after them.
  await carolTags(sandbox, scenario, [webInstance(scenario)], 'third');
  await waitFor('the third change at the webhook', () => new Set(appearedOn('aws_instance.web').map((a) => a.id)).size >= 2).catch((e: Error) => assert.fail(`${e.message}\n${two.log()}`));

  const ids = received.map((a) => a.id);
  assert.equal(new Set(ids).size, ids.length, `no alert is delivered twice: ${JSON.stringify(received.map((a) => [a.kind, a.resource]))}`);
  assert.equal(appearedOn('aws_instance.web').length, 2, 'the first change once (not again from the new leader\'s first reading), the third once');
  assert.equal(appearedOn('aws_vpc.main').length, 1, 'the change made while nobody led is found once');
  assert.match(appearedOn('aws_instance.web')[1]!.message, /carol/);
});

test('the leader lock: one holder at a time; a holder whose session ends loses it and says so', { skip }, async () => {
  const database = await createDatabase(pg!.url, 'team_watch_lock');
  const key = advisoryKey('watch:test');
  const a = new LeaderLock(database, key);
  const b = new LeaderLock(database, key);
  const lost: string[] = [];
  a.onLost((why) => lost.push(why));
  try {
    assert.equal(await a.tryAcquire(), true);
    assert.equal(await b.tryAcquire(), false, 'held by a');
    assert.equal(await a.tryAcquire(), true, 'a holder asking again still holds it');
    // The session dies under it, as when the process or its network does.
    const admin = new Client({ connectionString: database });
    await admin.connect();
    try {
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    } finally {
      await admin.end();
    }
    await waitFor('a to notice it lost the lock', () => lost.length === 1, { timeoutMs: 15_000 });
    assert.equal(a.isHeld, false);
    assert.equal(await b.tryAcquire(), true, 'released with the session: b takes it');
    assert.equal(await a.tryAcquire(), false, 'a reconnects and finds it taken');
  } finally {
    await a.release();
    await b.release();
  }
});
