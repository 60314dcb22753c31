// The queue consumer never loses a change to its own failures: a batch whose re-reads the call
// budget deferred is saved as pending before its messages are deleted (and re-read by the next
// rounds, or after a restart, still attributed to carol); throttled and failed receives back off
// and lose nothing; a message redelivered while its first delivery is still being processed
// raises one alert, not two. All against the sandbox through the real SDK.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { Scenario } from '../../sandbox/src/scenario';
import { QueueConsumer } from '../../server/src/app/queue-consumer';
import { cursorFile } from '../../server/src/watch/cursor';
import type { WatchEvent } from '../../server/src/watch/events';
import { waitFor, within } from '../support/wait';
import { carolTags, demoFollower, demoWorkspace, depth, eventQueue, visible, webInstance, startQueueSandbox, stopQueueSandbox, appeared, sqsFor } from './queue-support';

let sandbox: SandboxHandle;
let scenario: Scenario;
let ops: SQSClient;
const dirs: string[] = [];

before(async () => {
  ({ sandbox, scenario, ops } = await startQueueSandbox());
});

after(() => stopQueueSandbox(ops, sandbox, dirs));
const noFaults = (): void => {
  for (const key of Object.keys(sandbox.faults)) delete (sandbox.faults as Record<string, unknown>)[key];
};

test('a batch the budget could not re-read is kept as pending, not lost with its deleted messages', async () => {
  const dir = demoWorkspace(dirs);
  const url = await eventQueue(sandbox, scenario, ops, 'deferred');
  const emitted: WatchEvent[] = [];
  // Budget 1: one CreateTags on two resource types can re-read only one of them per round.
  const follower = await demoFollower(sandbox, scenario, dir, { budget: 1, cursorFile: cursorFile(dir), emit: (e) => emitted.push(e) });
  assert.equal((await follower.poll()).error, undefined);
  const consumer = new QueueConsumer({ sqs: ops, queueUrl: url, follower, waitSeconds: 0, report: (l) => assert.fail(l) });

  await carolTags(sandbox, scenario, [webInstance(scenario), scenario.vpcs![0]!.id], 'deferred');
  const first = await consumer.round();
  assert.equal(first.error, undefined);
  assert.equal(first.poll!.reread.length, 1, JSON.stringify(first.poll));
  assert.equal(first.poll!.deferred.length, 1);
  assert.equal(await depth(ops, url), 0, 'the messages are deleted: the deferred change is saved with the cursor');

  // A restart here (the follower's memory is gone) still knows the deferred event: carol's.
  const restartedEvents: WatchEvent[] = [];
  const restarted = await demoFollower(sandbox, scenario, dir, { budget: 1, cursorFile: cursorFile(dir), emit: (e) => restartedEvents.push(e) });
  const baseline = await restarted.poll();
  assert.equal(baseline.error, undefined);
  const deferredAddress = first.poll!.deferred[0]!;
  const onDeferred = appeared(restartedEvents).find((e) => e.drift.address === deferredAddress);
  assert.ok(onDeferred, `the restarted follower finds ${deferredAddress}: ${JSON.stringify(restartedEvents.map((e) => e.kind))}`);
  assert.equal(onDeferred.drift.attribution?.class, 'no-grant', 'attributed to the saved event, not unknown');
  assert.match(onDeferred.drift.attribution?.principalArn ?? '', /user\/carol$/);

  // Without a restart: the next round re-reads the deferred resource though no message arrives.
  assert.equal(follower.pendingWork, 1);
  const second = await consumer.round();
  assert.equal(second.received, 0);
  assert.deepEqual(second.poll?.reread, [deferredAddress]);
  const both = appeared(emitted).map((e) => e.drift.address).sort();
  assert.deepEqual(both, ['aws_instance.web', 'aws_vpc.main']);
  for (const e of appeared(emitted)) assert.match(e.drift.attribution?.principalArn ?? '', /user\/carol$/, e.drift.address);
  assert.equal(follower.pendingWork, 0);
  assert.equal(consumer.nextDelayMs(), 0, 'nothing pending: back to long polls');
});

test('a resource dearer to re-read than the whole budget is still re-read, first in its round', async () => {
  const dir = demoWorkspace(dirs);
  const url = await eventQueue(sandbox, scenario, ops, 'dear');
  const emitted: WatchEvent[] = [];
  // A security group costs two calls (the group and its rules); the budget allows one.
  const follower = await demoFollower(sandbox, scenario, dir, { budget: 1, emit: (e) => emitted.push(e) });
  assert.equal((await follower.poll()).error, undefined);
  emitted.length = 0;
  const consumer = new QueueConsumer({ sqs: ops, queueUrl: url, follower, waitSeconds: 0, report: (l) => assert.fail(l) });
  await carolTags(sandbox, scenario, [scenario.securityGroups!.find((g) => g.name === 'tidemark-demo-web')!.id], 'dear');
  const round = await consumer.round();
  assert.equal(round.error, undefined);
  assert.deepEqual(round.poll!.reread, ['aws_security_group.web']);
  assert.deepEqual(round.poll!.deferred, []);
  assert.deepEqual(appeared(emitted).map((e) => e.drift.address), ['aws_security_group.web']);
  assert.equal(follower.pendingWork, 0);
});

test('throttled, failing and unreachable receives and a throttled delete back off and lose no message', async () => {
  const dir = demoWorkspace(dirs);
  const url = await eventQueue(sandbox, scenario, ops, 'backoff', { VisibilityTimeout: '0' });
  const emitted: WatchEvent[] = [];
  const follower = await demoFollower(sandbox, scenario, dir, { emit: (e) => emitted.push(e) });
  assert.equal((await follower.poll()).error, undefined);
  emitted.length = 0; // the earlier tests' changes, announced by the baseline reading
  // The consumer's client: the sandbox, or for one round a port nobody listens on.
  const dead = sqsFor({ ...sandbox, endpoint: 'http://127.0.0.1:9' }, scenario);
  let client: SQSClient = ops;
  const lines: string[] = [];
  const consumer = new QueueConsumer({ sqs: { send: (c, o) => client.send(c as never, o as never) as never }, queueUrl: url, follower, waitSeconds: 0, report: (l) => lines.push(l), random: () => 0.5 });
  await carolTags(sandbox, scenario, [webInstance(scenario)], 'backoff');
  await waitFor('the CreateTags delivery', async () => (await visible(ops, url)) > 0, { timeoutMs: 10_000 });
  const before = await depth(ops, url);

  try {
    const delays: number[] = [];
    for (const [what, fault] of [['throttled', { sqs: { throttleRate: 1 } }], ['server', { sqs: { errorRate: 1 } }], ['unreachable', {}]] as const) {
      Object.assign(sandbox.faults, fault);
      if (what === 'unreachable') client = dead;
      const round = await consumer.round();
      noFaults();
      client = ops;
      assert.match(round.error ?? '', new RegExp(`receive failed \\(${what}\\)`));
      assert.equal(round.deleted, 0);
      delays.push(consumer.nextDelayMs());
      assert.equal(await depth(ops, url), before, `after a ${what} receive every message is still in the queue`);
    }
    assert.ok(delays[0]! > 0 && delays[1]! > delays[0]! && delays[2]! > delays[1]!, `the backoff grows: ${delays.join(', ')}`);

    // The batch is processed, but its delete is throttled: the alert is raised, the messages stay.
    const processing = new QueueConsumer({
      sqs: { send: (c, o) => ops.send(c as never, o as never) as never }, queueUrl: url, waitSeconds: 0, report: (l) => lines.push(l), random: () => 0.5,
      follower: { ingest: async (events) => {
        const report = await follower.ingest(events);
        sandbox.faults.sqs = { throttleRate: 1 };
        return report;
      }, get pendingWork() { return follower.pendingWork; } },
    });
    const deleteThrottled = await processing.round();
    noFaults();
    assert.match(deleteThrottled.error ?? '', /delete failed \(throttled\)/);
    assert.equal(appeared(deleteThrottled.poll!.emitted).length, 1);
    assert.equal(await depth(ops, url), before, 'nothing was deleted');

    // Healthy again: the redelivered batch is recognised by event id, deleted, and alerts nothing new.
    const healthy = await consumer.round();
    assert.equal(healthy.error, undefined);
    assert.equal(healthy.deleted, before);
    assert.equal(healthy.poll!.duplicates, healthy.events);
    assert.equal(consumer.nextDelayMs(), 0, 'a clean round ends the backoff');
    assert.equal(await depth(ops, url), 0);
    const alerts = appeared(emitted);
    assert.equal(alerts.length, 1, 'one alert for carol\'s change, however often its message came');
    assert.match(alerts[0]!.drift.attribution?.principalArn ?? '', /user\/carol$/);
    assert.deepEqual(lines, []);
  } finally {
    noFaults();
    dead.destroy();
  }
});

test('a message redelivered while its first delivery is still being processed raises one alert, not two', async () => {
  const dir = demoWorkspace(dirs);
  const url = await eventQueue(sandbox, scenario, ops, 'expiry', { VisibilityTimeout: '30' });
  const emitted: WatchEvent[] = [];
  let second: Promise<unknown> | undefined;
  let secondConsumer: QueueConsumer | undefined;
  let armed = false;
  const follower = await demoFollower(sandbox, scenario, dir, {
    emit: (e) => emitted.push(e),
    // The first delivery's processing outlasts the visibility timeout; the redelivery is taken by
    // another receive before the first is done.
    beforeLoad: async () => {
      if (!armed) return;
      armed = false;
      sandbox.advanceClock(31);
      second = secondConsumer!.round();
      await waitFor('the redelivery to be received', async () => (await visible(ops, url)) === 0, { timeoutMs: 10_000 });
    },
  });
  assert.equal((await follower.poll()).error, undefined);
  emitted.length = 0; // the earlier tests' changes, announced by the baseline reading
  const lines: string[] = [];
  const consumer = new QueueConsumer({ sqs: ops, queueUrl: url, follower, waitSeconds: 0, report: (l) => lines.push(l) });
  secondConsumer = new QueueConsumer({ sqs: ops, queueUrl: url, follower, waitSeconds: 0, report: (l) => lines.push(l) });
  await carolTags(sandbox, scenario, [webInstance(scenario)], 'expiry');
  await waitFor('the CreateTags delivery', async () => (await visible(ops, url)) > 0, { timeoutMs: 10_000 });

  armed = true;
  const first = await within('the first delivery', consumer.round());
  assert.equal(first.error, undefined);
  assert.ok(second, 'the visibility timeout expired mid-processing');
  await within('the redelivery', second);
  assert.equal(appeared(emitted).length, 1, JSON.stringify(emitted.map((e) => e.kind)));
  assert.equal(await depth(ops, url), 0, 'both deliveries end deleted');
  assert.deepEqual(lines, []);
});
