// The shared retry schedule and the repeat summariser, as tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../server/src/backoff';
import { AlertRepeats } from '../../server/src/alert-repeats';

test('backoff doubles from the base, stops at the cap, and jitters within the upper half of each step', () => {
  const policy = { baseMs: 1000, capMs: 60_000 };
  const cases: Array<[attempt: number, random: number, ms: number]> = [
    [1, 0, 500], [1, 1, 1000], [2, 0.5, 1500], [3, 1, 4000], [6, 1, 32_000], [7, 1, 60_000], [7, 0, 30_000], [1000, 1, 60_000], [0, 1, 1000], [3, 7, 4000],
  ];
  for (const [attempt, random, ms] of cases) assert.equal(backoffDelay(attempt, policy, () => random), ms, `attempt ${attempt}, random ${random}`);
});

test('a repeated alert is raised once, summarised once per period, and closed with a note when it stops', () => {
  const r = new AlertRepeats(900_000);
  const t0 = Date.parse('2026-11-25T09:00:00Z');
  assert.equal(r.note('k', 'down', t0), 'down');
  assert.equal(r.note('k', 'down', t0 + 1000), undefined);
  assert.equal(r.note('k', 'down', t0 + 899_000), undefined);
  assert.equal(r.note('k', 'down', t0 + 900_000), 'down (still failing: 3 more time(s) since 2026-11-25T09:00:00.000Z, first at 2026-11-25T09:00:00.000Z)');
  assert.equal(r.note('other', 'also down', t0 + 900_000), 'also down', 'keys are independent');
  assert.equal(r.resolve('k', 'back', t0 + 960_000), 'back (after failing since 2026-11-25T09:00:00.000Z, 960 s)');
  assert.equal(r.resolve('k', 'back', t0 + 961_000), undefined);
  assert.equal(r.note('k', 'down again', t0 + 962_000), 'down again');
});
