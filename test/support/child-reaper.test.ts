// A harness that fails or is interrupted stops what it started (no broker left running for an hour).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { childEnv } from './child-env';
import { waitFor } from './wait';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A harness process that starts a long-running child through reap(), prints its pid, then `ends`. */
async function harness(ends: 'SIGINT' | 'SIGTERM' | 'throw' | 'exit'): Promise<{ childPid: number; code: number | null; signal: string | null }> {
  const reaper = path.join(__dirname, 'child-reaper.js');
  const script = `
    const { spawn } = require('node:child_process');
    const { reap } = require(${JSON.stringify(reaper)});
    const child = reap(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }));
    console.log('child ' + child.pid);
    setInterval(() => {}, 1000);
    ${ends === 'throw' ? "setTimeout(() => { throw new Error('the harness failed'); }, 50);" : ends === 'exit' ? 'setTimeout(() => process.exit(3), 50);' : ''}
  `;
  const h = spawn(process.execPath, ['-e', script], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  h.stdout.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => h.once('exit', (code, signal) => resolve({ code, signal })));
  await waitFor('the harness to start its child', () => /child \d+/.test(out) || h.exitCode !== null, { timeoutMs: 60_000 });
  const childPid = Number(/child (\d+)/.exec(out)?.[1]);
  assert.ok(childPid > 0, `the harness printed its child's pid: ${out}`);
  if (ends === 'SIGINT' || ends === 'SIGTERM') h.kill(ends);
  const { code, signal } = await exited;
  return { childPid, code, signal };
}

for (const ends of ['SIGINT', 'SIGTERM', 'throw', 'exit'] as const) {
  test(`a harness that ends by ${ends} stops the children it started`, async (t) => {
    const r = await harness(ends);
    t.after(() => { if (alive(r.childPid)) process.kill(r.childPid, 'SIGKILL'); });
    await waitFor(`child ${r.childPid} to be stopped`, () => !alive(r.childPid), { timeoutMs: 10_000 });
    if (ends === 'SIGINT') assert.equal(r.code, 130);
    if (ends === 'SIGTERM') assert.equal(r.code, 143);
    if (ends === 'exit') assert.equal(r.code, 3);
    if (ends === 'throw') assert.equal(r.code, 1);
  });
}
