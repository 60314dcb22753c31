// The sandbox's delivery fault knobs against the queue consumer, through the real SDK: a delivery
// EventBridge lost is still found by the slow LookupEvents sweep behind the queue (and attributed
// to carol); a doubled delivery raises one alert; a late one is taken when it becomes visible.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { Scenario } from '../../sandbox/src/scenario';
import { QueueConsumer } from '../../server/src/app/queue-consumer';
import type { Follower } from '../../server/src/app/watch-follower';
import type { WatchEvent } from '../../server/src/watch/events';
import { waitFor } from '../support/wait';
import { carolTags, demoFollower, demoWorkspace, depth, eventQueue, visible, webInstance, startQueueSandbox, stopQueueSandbox, appeared } from './queue-support';

let sandbox: SandboxHandle;
let scenario: Scenario;
let ops: SQSClient;
const dirs: string[] = [];

before(async () => {
  ({ sandbox, scenario, ops } = await startQueueSandbox());
});

after(() => stopQueueSandbox(ops, sandbox, dirs));

/** A follower with its baseline read and a consumer on a fresh queue, the queue drained of its set-up calls. */
async function following(name: string): Promise<{ follower: Follower; consumer: QueueConsumer; url: string; emitted: WatchEvent[] }> {
  delete sandbox.faults.events;
  const url = await eventQueue(sandbox, scenario, ops, name);
  const emitted: WatchEvent[] = [];
  const follower = await demoFollower(sandbox, scenario, demoWorkspace(dirs), { emit: (e) => emitted.push(e) });
  assert.equal((await follower.poll()).error, undefined);
  const consumer = new QueueConsumer({ sqs: ops, queueUrl: url, follower, waitSeconds: 0, report: (l) => assert.fail(l) });
  while ((await depth(ops, url)) > 0) assert.equal((await consumer.round()).error, undefined);
  emitted.length = 0;
  return { follower, consumer, url, emitted };
}

test('a delivery EventBridge lost is found by the LookupEvents sweep behind the queue', async () => {
  const { follower, consumer, url, emitted } = await following('lost');
  sandbox.faults.events = { deliveryDropRate: 1 };
  try {
    await carolTags(sandbox, scenario, [webInstance(scenario)], 'lost');
  } finally {
    delete sandbox.faults.events;
  }
  assert.equal(await depth(ops, url), 0, 'the delivery was dropped');
  const round = await consumer.round();
  assert.equal(round.received, 0);
  assert.deepEqual(emitted, [], 'the queue alone never sees the change');

  const sweep = await follower.poll();
  assert.equal(sweep.error, undefined);
  const alerts = appeared(emitted);
  assert.deepEqual(alerts.map((a) => a.drift.address), ['aws_instance.web']);
  assert.equal(alerts[0]!.drift.attribution?.class, 'no-grant');
  assert.match(alerts[0]!.drift.attribution?.principalArn ?? '', /user\/carol$/);
});

test('a doubled delivery raises one alert, and both copies are deleted', async () => {
  const { consumer, url, emitted } = await following('doubled');
  sandbox.faults.events = { deliveryDuplicateRate: 1 };
  try {
    await carolTags(sandbox, scenario, [webInstance(scenario)], 'doubled');
  } finally {
    delete sandbox.faults.events;
  }
  assert.equal(await depth(ops, url), 2, 'two messages for one CloudTrail event');
  const round = await consumer.round();
  assert.equal(round.error, undefined);
  assert.equal(round.events, 2);
  assert.equal(round.poll!.duplicates, 1);
  assert.equal(appeared(emitted).length, 1);
  assert.equal(await depth(ops, url), 0);
});

test('a late delivery is taken once it becomes visible', async () => {
  const { consumer, url, emitted } = await following('late');
  sandbox.faults.events = { deliveryDelayMs: 60_000 };
  try {
    await carolTags(sandbox, scenario, [webInstance(scenario)], 'late');
  } finally {
    delete sandbox.faults.events;
  }
  const delayed = (await ops.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }))).Attributes!;
  assert.equal(delayed.ApproximateNumberOfMessagesDelayed, '1');
  assert.equal((await consumer.round()).received, 0, 'not visible yet');
  sandbox.advanceClock(61);
  await waitFor('the late message to become visible', async () => (await visible(ops, url)) === 1, { timeoutMs: 10_000 });
  const round = await consumer.round();
  assert.equal(round.error, undefined);
  assert.equal(appeared(emitted).length, 1);
  assert.match(appeared(emitted)[0]!.drift.attribution?.principalArn ?? '', /user\/carol$/);
  assert.equal(await depth(ops, url), 0);
});
