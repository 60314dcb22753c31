// The queue consumer never loses a change to its own failures: a batch whose re-reads the call
// budget deferred is saved as pending before its messages are deleted (and re-read by the next
// rounds, or after a restart, still attributed to carol); throttled and failed receives back off
// and lose nothing; a message redelivered while its first delivery is still being processed
// raises one alert, not two. All against the sandbox through the real SDK.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { Scenario } from '../../sandbox/src/scenario';
import { QueueConsumer } from '../../server/src/app/queue-consumer';
import { cursorFile } from '../../server/src/watch/cursor';
import type { WatchEvent } from '../../server/src/watch/events';
import { startDemo } from '../sandbox/helpers';
import { waitFor, within } from '../support/wait';
import { carolTags, demoFollower, demoWorkspace, depth, eventQueue, queueScenario, sqsFor, visible, webInstance } from './queue-support';

let sandbox: SandboxHandle;
let scenario: Scenario;
let ops: SQSClient;
const dirs: string[] = [];

before(async () => {
  ({ sandbox, scenario } = await startDemo({}, queueScenario));
  ops = sqsFor(sandbox, scenario);
});

after(async () => {
  ops?.destroy();
  await sandbox?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type DriftEvent = Extract<WatchEvent, { drift: unknown }>;
const appeared = (events: WatchEvent[]): DriftEvent[] => events.filter((e): e is DriftEvent => e.kind === 'appeared');
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
