// The grant terminal asks the server for the aws CLI wrapper (tidemark/awsCliWrapper): the client never
// imports server code for it. With an aws CLI too old to read AWS_ENDPOINT_URL first on PATH, the server
// writes the wrapper once per endpoint and removes it when it shuts down; a new enough CLI needs none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLspSession } from '../support/lsp-client';

/** A folder holding an `aws` that reports `version` and does nothing else. */
function fakeAws(version: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-fake-aws-'));
  writeFileSync(path.join(dir, 'aws'), `#!/bin/sh\necho "aws-cli/${version} Python/3.11.2 Linux/6.1 source/x86_64.debian.12"\n`);
  chmodSync(path.join(dir, 'aws'), 0o755);
  return dir;
}

test('an old aws CLI gets the server-owned wrapper for the endpoint, removed at shutdown; a new one needs none', async (t) => {
  const old = fakeAws('2.9.19');
  const fresh = fakeAws('2.15.0');
  const root = mkdtempSync(path.join(tmpdir(), 'tidemark-wrapper-ws-'));
  t.after(() => { for (const d of [old, fresh, root]) rmSync(d, { recursive: true, force: true }); });

  const session = await startLspSession({ rootDir: root, env: { PATH: `${old}${path.delimiter}${process.env.PATH}` }, initializationOptions: { refreshInterval: 0 } });
  let dir: string | undefined;
  try {
    ({ dir } = (await session.connection.sendRequest('tidemark/awsCliWrapper', { endpoint: 'http://127.0.0.1:4510' })) as { dir?: string });
    assert.ok(dir, 'a wrapper folder for the old CLI');
    const script = readFileSync(path.join(dir, 'aws'), 'utf8');
    assert.match(script, /--endpoint-url/);
    assert.ok(script.includes(path.join(old, 'aws')), 'the wrapper calls the real CLI by its path');
    const again = (await session.connection.sendRequest('tidemark/awsCliWrapper', { endpoint: 'http://127.0.0.1:4510' })) as { dir?: string };
    assert.equal(again.dir, dir, 'one wrapper per endpoint');
    assert.deepEqual(await session.connection.sendRequest('tidemark/awsCliWrapper', {}), {}, 'no endpoint: nothing to wrap');
  } finally {
    await session.shutdown();
  }
  assert.ok(!existsSync(dir!), 'the server removed its wrapper when it stopped');

  const modern = await startLspSession({ rootDir: root, env: { PATH: `${fresh}${path.delimiter}${process.env.PATH}` }, initializationOptions: { refreshInterval: 0 } });
  try {
    assert.deepEqual(await modern.connection.sendRequest('tidemark/awsCliWrapper', { endpoint: 'http://127.0.0.1:4510' }), {});
  } finally {
    await modern.shutdown();
  }
});
