// `tidemark sandbox` runs the sandbox's own bundle as a child: it answers like before, and it never
// outlives the CLI process that started it, even when that process is killed with SIGKILL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { demoScenario, keyOf } from '../sandbox/helpers';

const root = path.resolve(__dirname, '../../..');

function waitFor<T>(what: string, poll: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  // A fetch to a dying server may hold nothing that keeps the event loop alive (its abort timer is
  // unref'd); without this the runner cancels the test as "still pending" instead of waiting.
  const alive = setInterval(() => undefined, 1000);
  return new Promise<T>((resolve, reject) => {
    const tick = async () => {
      const value = await poll().catch(() => undefined);
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, 50);
    };
    void tick();
  }).finally(() => clearInterval(alive));
}

test('tidemark sandbox serves AWS over HTTP and stops when its CLI process is killed -9', async (t) => {
  const cli = spawn(process.execPath, [path.join(root, 'dist/cli.js'), 'sandbox', '--scenario', path.join(root, 'sandbox/scenarios/demo.yaml'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => cli.kill('SIGKILL'));
  let out = '';
  cli.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  const endpoint = await waitFor('the listening line', async () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]);
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: keyOf(demoScenario(), 'alice'), maxAttempts: 1 });
  const me = await sts.send(new GetCallerIdentityCommand({}));
  assert.match(me.Arn ?? '', /:user\/alice$/);

  cli.kill('SIGKILL');
  await waitFor('the sandbox to stop listening', async () => {
    try {
      await fetch(`${endpoint}/`, { method: 'POST', signal: AbortSignal.timeout(1000) });
      return undefined;
    } catch {
      return true;
    }
  });
});
