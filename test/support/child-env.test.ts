// The environment tests give to the processes they start: nothing from the developer's shell that
// changes what the AWS SDK, the aws CLI or bash do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { childEnv } from './child-env';

test('a child sees no AWS_* or TIDEMARK_* of the parent, no ~/.bashrc, and only the variables the test gives it', (t) => {
  const outside = mkdtempSync(path.join(tmpdir(), 'tidemark-outside-'));
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  writeFileSync(path.join(outside, 'env.sh'), 'echo LEAKED-BASH_ENV\n');
  const saved = { ...process.env };
  t.after(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1/elsewhere', AWS_PROFILE: 'prod', AWS_CONFIG_FILE: path.join(outside, 'config'),
    TIDEMARK_BROKER_URL: 'http://127.0.0.1:1', BASH_ENV: path.join(outside, 'env.sh'),
  });
  const env = childEnv({ AWS_REGION: 'eu-central-1' });
  const out = execFileSync('bash', ['-c', 'env; echo HOME=$HOME'], { env, encoding: 'utf8' });
  assert.doesNotMatch(out, /LEAKED-BASH_ENV/);
  assert.doesNotMatch(out, /AWS_ENDPOINT_URL_S3|AWS_PROFILE|TIDEMARK_BROKER_URL|elsewhere/);
  assert.match(out, /^AWS_REGION=eu-central-1$/m);
  const home = /^HOME=(.*)$/m.exec(out)?.[1] ?? '';
  assert.notEqual(home, saved.HOME);
  assert.ok(!existsSync(path.join(home, '.aws')) && !existsSync(path.join(home, '.bashrc')), 'the scratch HOME has no AWS files and no .bashrc');
  assert.ok(!existsSync(env.AWS_CONFIG_FILE!), 'AWS_CONFIG_FILE points at nothing');
  assert.equal(childEnv({ PATH: undefined }).PATH, undefined, 'undefined removes a variable');
});
