// The e2e harness's process handling (test/e2e/procs.sh): whatever it started is gone after a
// failure or an interrupt, also processes that left its process group (as code-server's terminals do).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { childEnv } from '../support/child-env';
import { waitFor } from '../support/wait';

const PROCS = path.resolve(__dirname, '../../../test/e2e/procs.sh');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function harness(ends: 'fails' | 'SIGINT' | 'SIGTERM', t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-procs-'));
  const pids = path.join(dir, 'pids');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sleeper = `node -e 'require("fs").appendFileSync(process.argv[1], process.pid + "\\n"); setInterval(() => {}, 1000)' ${JSON.stringify(pids)}`;
  const script = `
    set -euo pipefail
    source ${JSON.stringify(PROCS)}
    cleanup() { local rc=$?; trap - EXIT; procs_stop_all; exit "$rc"; }
    trap cleanup EXIT
    bg_start sh -c ${JSON.stringify(`${sleeper} & ${sleeper}`)}
    bg_start sh -c ${JSON.stringify(`setsid ${sleeper} & wait`)}
    for _ in $(seq 1 600); do [ "$(wc -l < ${JSON.stringify(pids)} 2>/dev/null || echo 0)" -ge 3 ] && break; sleep 0.1; done
    echo started
    ${ends === 'fails' ? 'false' : 'bg_start sleep 600; wait $!'}
  `;
  const h = spawn('bash', ['--norc', '--noprofile', '-c', script], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  h.stdout.on('data', (d) => (out += d));
  h.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => h.once('exit', (code) => resolve(code)));
  t.after(() => { if (h.exitCode === null) h.kill('SIGKILL'); });
  await waitFor('the harness to start its processes', () => out.includes('started') || h.exitCode !== null, { timeoutMs: 60_000 });
  const started = existsSync(pids) ? readFileSync(pids, 'utf8').trim().split('\n').map(Number) : [];
  t.after(() => { for (const p of started) if (alive(p)) process.kill(p, 'SIGKILL'); });
  assert.equal(started.length, 3, `three processes started: ${out}`);
  if (ends !== 'fails') h.kill(ends);
  const code = await exited;
  return { code, started };
}

for (const ends of ['fails', 'SIGINT', 'SIGTERM'] as const) {
  test(`e2e harness: after it ${ends === 'fails' ? 'fails' : `gets ${ends}`}, no process it started survives`, async (t) => {
    const { code, started } = await harness(ends, t);
    assert.equal(code, { fails: 1, SIGINT: 130, SIGTERM: 143 }[ends]);
    await waitFor(`processes ${started.join(', ')} to be stopped`, () => started.every((p) => !alive(p)), { timeoutMs: 15_000 });
  });
}

test('e2e harness: a job started but not yet recorded when the harness ends is stopped too', async (t) => {
  // A signal landing between `cmd &` and `BG_PIDS+=` runs the trap before the pid is recorded; the
  // job left behind also held the harness's output pipes open, so whoever read them never finished.
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-procs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pidFile = path.join(dir, 'pid');
  const script = `
    set -euo pipefail
    source ${JSON.stringify(PROCS)}
    cleanup() { local rc=$?; trap - EXIT; procs_stop_all; exit "$rc"; }
    trap cleanup EXIT
    bg_start sleep 300
    sleep 301 &
    echo $! > ${JSON.stringify(pidFile)}
    false
  `;
  const h = spawn('bash', ['--norc', '--noprofile', '-c', script], { env: childEnv(), stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => h.once('exit', (c) => resolve(c)));
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  t.after(() => { if (alive(pid)) process.kill(pid, 'SIGKILL'); });
  assert.equal(code, 1);
  await waitFor(`the unrecorded job ${pid} to be stopped`, () => !alive(pid), { timeoutMs: 15_000 });
});
