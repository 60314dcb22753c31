// Unauthenticated requests cannot grow the chain without bound: per source, the first refusal of a
// minute is one record and the rest one more with a count; beyond the limit the source gets 429
// with Retry-After and is not even checked. Time is a ManualClock.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { serveBroker } from '../../server/src/access/http-server';
import { RefusalLimiter } from '../../server/src/access/refusal-limit';
import { ManualClock } from '../../server/src/access/clock';
import { closeSharedLedger, harness } from './helpers';
import { waitFor } from '../support/wait';

after(closeSharedLedger);

test('the limiter turns a source away after its limit until the minute ends; other sources are untouched', () => {
  const clock = new ManualClock('2026-11-25T09:00:00Z');
  const limiter = new RefusalLimiter(clock, { perWindow: 3 });
  for (let i = 0; i < 3; i++) { assert.equal(limiter.retryAfter('10.0.0.1'), 0); limiter.refused('10.0.0.1'); }
  assert.equal(limiter.retryAfter('10.0.0.1'), 60);
  assert.equal(limiter.retryAfter('10.0.0.2'), 0);
  clock.advance(45);
  assert.equal(limiter.retryAfter('10.0.0.1'), 15);
  clock.advance(15);
  assert.equal(limiter.retryAfter('10.0.0.1'), 0, 'a new minute');
  const few = new RefusalLimiter(clock, { perWindow: 1, maxSources: 2 });
  for (const s of ['a', 'b', 'c', 'd']) few.refused(s);
  assert.ok(few.retryAfter('c') > 0 && few.retryAfter('d') > 0, 'sources beyond the cap share one window');
});

test('a flood of wrong tokens: a record per reason and one summary per source and minute, then 429 with Retry-After', async () => {
  const h = await harness();
  const http = await serveBroker(h.broker, { token: 'the-right-token-0123456789', clock: h.clock, refusalLimit: { perWindow: 5 } });
  try {
    const call = () => fetch(`${http.url}/v1/grants`, { method: 'POST', headers: { authorization: 'Bearer wrong-token-wrong-token' }, body: '{}' });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 12; i++) {
      const r = await call();
      statuses.push(r.status);
      if (r.status === 429) { retryAfter = r.headers.get('retry-after'); assert.match((await r.json() as { error: { message: string } }).error.message, /too many refused requests from .*; retry in 60 s/); }
      else await r.text();
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    assert.equal(retryAfter, '60');
    const failures = async () => (await h.broker.auditExport()).filter((r) => r.kind === 'auth-failure');
    assert.deepEqual((await failures()).map((r) => r.data.reason), ['missing or wrong broker token', 'too many refused requests from this source'],
      'only the first refusal of each reason is recorded at once');

    await h.advance(60);
    await waitFor('the minute\'s summary record', async () => (await failures()).length === 3);
    const after = await failures();
    assert.deepEqual({ count: after[2].data.count, reasons: after[2].data.reasons }, {
      count: 10, reasons: { 'missing or wrong broker token': 4, 'too many refused requests from this source': 6 },
    });
    assert.equal((await call()).status, 401, 'a new minute: checked again');
    assert.equal((await call()).status, 401);
    assert.equal((await failures()).length, 4, 'the new minute\'s first refusal is recorded at once');
    await h.broker.stop();
    const last = (await failures())[4];
    assert.equal(last?.data.count, 1, 'stopping records what was still being counted');
    assert.equal((await h.broker.auditVerify()).ok, true);
  } finally {
    await http.close();
  }
});
