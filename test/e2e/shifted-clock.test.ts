// Running the e2e suite (and any test) at another time: test/support/at-time.sh moves the wall clock
// of a command and its children with libfaketime; the e2e harness keeps the browser off it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { childEnv } from '../support/child-env';

const AT_TIME = path.resolve(__dirname, '../../../test/support/at-time.sh');
const WORKBENCH = path.resolve(__dirname, '../../../test/e2e/workbench.mjs');
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const run = promisify(execFile);

/** What `node -e <script>` prints when started through at-time.sh at `when` (bounded: 30 s). */
async function nodeAt(when: string, script: string): Promise<string> {
  const { stdout } = await run('bash', [AT_TIME, when, process.execPath, '-e', script], { env: childEnv(), timeout: 30_000 });
  return stdout.trim();
}

const noFaketime = existsSync(LIBFAKETIME) ? false : `libfaketime is not installed (apt-get install faketime)`;

test('at-time.sh reads a date in an IANA zone by that zone\'s rules (winter and summer in Berlin)', { skip: noFaketime }, async () => {
  for (const [when, utc] of [
    ['2026-12-01 03:00 Europe/Berlin', Date.UTC(2026, 11, 1, 2, 0)],
    ['2027-07-01 03:00 Europe/Berlin', Date.UTC(2027, 6, 1, 1, 0)],
    ['2026-12-01 02:00 UTC', Date.UTC(2026, 11, 1, 2, 0)],
  ] as const) {
    const seen = Number(await nodeAt(when, 'console.log(Date.now())'));
    assert.ok(seen >= utc && seen - utc < 60_000, `${when}: the child's clock reads ${new Date(seen).toISOString()}, not ${new Date(utc).toISOString()}`);
  }
});

test('at-time.sh: one offset for the command and every process it starts, later ones included', { skip: noFaketime }, async () => {
  // The child starts a grandchild 2 s after it started itself; both must read the same moved clock.
  const script = `
    const { execFileSync } = require('node:child_process');
    const mine = Date.now();
    setTimeout(() => {
      const theirs = Number(execFileSync(process.execPath, ['-e', 'console.log(Date.now())']).toString());
      console.log(JSON.stringify({ mine, theirs, now: Date.now() }));
    }, 2000);`;
  const { mine, theirs, now } = JSON.parse(await nodeAt('2026-12-01 03:00 Europe/Berlin', script)) as { mine: number; theirs: number; now: number };
  assert.ok(mine >= Date.UTC(2026, 11, 1, 2, 0) && mine - Date.UTC(2026, 11, 1, 2, 0) < 60_000, `the child reads ${new Date(mine).toISOString()}`);
  assert.ok(theirs >= mine + 1500 && theirs <= now, `the grandchild reads ${new Date(theirs).toISOString()}, the child ${new Date(mine).toISOString()} .. ${new Date(now).toISOString()}`);
});

test('at-time.sh refuses a date it cannot read, naming it, and runs nothing', { skip: noFaketime }, async () => {
  await assert.rejects(nodeAt('tomorrow at tea time Europe/Berlin', 'console.log("ran")'), (error: { code?: number; stdout?: string; stderr?: string }) => {
    assert.equal(error.code, 2);
    assert.equal(error.stdout, '');
    assert.match(error.stderr ?? '', /at-time: cannot read the date 'tomorrow at tea time Europe\/Berlin'/);
    return true;
  });
});

test('the e2e browser runs without libfaketime and keeps any other preload', async () => {
  const { browserEnv } = (await import(WORKBENCH)) as { browserEnv(env: NodeJS.ProcessEnv): Record<string, string> };
  const shifted = browserEnv({ PATH: '/usr/bin', LD_PRELOAD: `${LIBFAKETIME}:/usr/lib/libother.so`, FAKETIME: '+55774s', FAKETIME_DONT_FAKE_MONOTONIC: '1' });
  assert.deepEqual(shifted, { PATH: '/usr/bin', LD_PRELOAD: '/usr/lib/libother.so' });
  assert.deepEqual(browserEnv({ PATH: '/usr/bin', LD_PRELOAD: LIBFAKETIME, FAKETIME: '+1s' }), { PATH: '/usr/bin' });
});
