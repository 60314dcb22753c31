// The one CloudTrail reader (server/src/cloud/cloudtrail.ts) against the sandbox through the real SDK
// client: paging at 50 a page with `more` on all but the last, no call past a stopped loop, the pace
// keeping concurrent lookups within AWS's 2 per second, and throttled answers widening the gap on the
// shared backoff schedule until one succeeds.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateTagsCommand } from '@aws-sdk/client-ec2';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SandboxHandle, Scenario } from '../../sandbox/src/index';
import { LookupPace, lookupPages, retrying, toCloudEvent, TrailReader } from '../../server/src/cloud/cloudtrail';
import { clientsFor, keyOf, startDemo } from '../sandbox/helpers';

const WEB = 'i-0a1b2c3d4e5f60c01';
const TAGS = 60;

let sandbox: SandboxHandle;
let scenario: Scenario;
let client: CloudTrailClient;

before(async () => {
  // AWS's limit (2 LookupEvents per second per account) stays on: the pace must keep within it.
  ({ sandbox, scenario } = await startDemo());
  const carol = clientsFor(sandbox, keyOf(scenario, 'carol'));
  for (let i = 0; i < TAGS; i++) await carol.ec2.send(new CreateTagsCommand({ Resources: [WEB], Tags: [{ Key: 'Step', Value: String(i) }] }));
  client = clientsFor(sandbox, keyOf(scenario, 'drift-reader')).cloudtrail;
});
after(() => sandbox.stop());

/** A reader whose calls are counted and never retried: a throttled answer fails the lookup. */
function reader(pace: LookupPace): TrailReader & { calls: number } {
  const r = {
    client, pace, calls: 0,
    call: <T>(attempt: () => Promise<T>): Promise<T> => {
      r.calls++;
      return attempt();
    },
  };
  return r;
}

const SINCE = new Date(Date.now() - 3600_000);
/** One pace for the tests that share the sandbox's real limit, as one process shares it with AWS. */
const shared = new LookupPace();

test('pages 50 events at a time, newest first, until CloudTrail has no next page', async () => {
  const r = reader(shared);
  const pages = [];
  for await (const page of lookupPages(r, { attribute: { key: 'ResourceName', value: WEB }, start: SINCE })) pages.push(page);
  assert.ok(pages.length >= 2, `${pages.length} page(s)`);
  assert.equal(pages[0]!.records.length, 50);
  assert.deepEqual(pages.map((p) => p.more), [...pages.slice(1).map(() => true), false]);
  const events = pages.flatMap((p) => p.records.map(toCloudEvent)).filter((e) => e.eventName === 'CreateTags');
  assert.equal(events.length, TAGS);
  const times = events.map((e) => e.at);
  assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  assert.equal(r.calls, pages.length, 'one call per page');
});

test('a loop that stops after one page makes no further call; beforeCall may refuse a call', async () => {
  const r = reader(shared);
  for await (const page of lookupPages(r, { attribute: { key: 'ResourceName', value: WEB }, start: SINCE })) {
    assert.equal(page.more, true);
    break;
  }
  assert.equal(r.calls, 1);
  let allowed = 1;
  const refuse = () => {
    if (allowed-- <= 0) throw new Error('budget spent');
  };
  await assert.rejects(async () => {
    for await (const _ of lookupPages(r, { attribute: { key: 'ResourceName', value: WEB }, start: SINCE }, refuse)) { /* read every page */ }
  }, /budget spent/);
  assert.equal(r.calls, 2);
});

test('the pace keeps concurrent lookups within 2 per second: none is throttled', async () => {
  const pace = shared;
  const throttledBefore = pace.throttled;
  const r = reader(pace);
  const lookups = ['CreateTags', 'AssumeRole', 'StopInstances', 'CreateTags'].map(async (name) => {
    const events = [];
    for await (const page of lookupPages(r, { attribute: { key: 'EventName', value: name }, start: SINCE })) events.push(...page.records);
    return events;
  });
  await Promise.all(lookups);
  assert.equal(pace.throttled, throttledBefore);
  assert.ok(r.calls >= 5, `${r.calls} calls`);
});

test('throttled answers widen the gap on the shared backoff schedule; a success resets it', async () => {
  const waits: number[] = [];
  // A clock that stands still: every wait is the whole gap, so the schedule is read exactly. The
  // waits are real but short, so the sandbox's own 2-per-second limit sees paced calls.
  const pace = new LookupPace({
    now: () => 1_000_000, random: () => 1,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 600)));
    },
  });
  const r: TrailReader = { client, pace, call: retrying(4) };
  const list = async () => {
    for await (const _ of lookupPages(r, { attribute: { key: 'EventName', value: 'StopInstances' }, start: SINCE })) { /* one page */ }
  };
  sandbox.faults.cloudtrail = { throttleRate: 1 };
  try {
    await assert.rejects(list, (e: Error) => e.name === 'ThrottlingException');
  } finally {
    delete sandbox.faults.cloudtrail;
  }
  assert.equal(pace.throttled, 4);
  // The first call waits for nothing; each retry waits base·2^(n−1) with the jitter at its top.
  assert.deepEqual(waits, [500, 1000, 2000]);
  await list();
  await list();
  assert.deepEqual(waits, [500, 1000, 2000, 4000, 500]);
});
