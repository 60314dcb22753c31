// The aws wrapper for CLIs that ignore AWS_ENDPOINT_URL (Debian 12's 2.9.19): version rules, the
// wrapper's argument handling (run by /bin/sh around a real binary), the version cache, and the
// real `aws` on PATH reaching the sandbox through whatever the shim decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  awsCliVersion, awsEndpointShim, configuredEndpoint, findExecutable, parseAwsCliVersion, readsEndpointEnv, wrapperScript,
} from '../../server/src/access/aws-cli-endpoint';
import { removeOrphanedDirs } from '../../server/src/access/private-dir';
import { loadScenarioFile, startSandbox } from '../../sandbox/src/index';
import { childEnv } from '../support/child-env';

const ROOT = path.resolve(__dirname, '../../..');
const SCENARIO = path.join(ROOT, 'sandbox/scenarios/demo.yaml');

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

test('aws CLI versions: AWS_ENDPOINT_URL is read from v2.13 and v1.29 on', () => {
  const cases: Array<[string, boolean]> = [
    ['aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12 prompt/off', false],
    ['aws-cli/2.12.7 Python/3.11.4', false],
    ['aws-cli/2.13.0 Python/3.11.4', true],
    ['aws-cli/2.22.35 Python/3.12.6', true],
    ['aws-cli/1.28.9 Python/3.9.2 botocore/1.31.9', false],
    ['aws-cli/1.29.0 Python/3.9.2 botocore/1.31.0', true],
    ['aws-cli/1.45.3 Python/3.12.3 Linux/6.18 botocore/1.42.3', true],
  ];
  for (const [text, reads] of cases) {
    const version = parseAwsCliVersion(text);
    assert.ok(version, text);
    assert.equal(readsEndpointEnv(version), reads, text);
  }
  assert.equal(parseAwsCliVersion('command not found'), undefined);
  assert.equal(configuredEndpoint({ AWS_ENDPOINT_URL: ' http://127.0.0.1:4510 ' }), 'http://127.0.0.1:4510');
  assert.equal(configuredEndpoint({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4510', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }), undefined);
  assert.equal(configuredEndpoint({}), undefined);
});

test('the wrapper adds --endpoint-url from the environment unless the user gave one', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-wrapper-test-'));
  try {
    // /bin/echo stands in for the CLI binary: the wrapper's only job is the argument list.
    const wrapper = path.join(dir, 'aws');
    writeFileSync(wrapper, wrapperScript('/bin/echo', parseAwsCliVersion('aws-cli/2.9.19')));
    chmodSync(wrapper, 0o700);
    const env = { PATH: process.env.PATH, AWS_ENDPOINT_URL: 'http://127.0.0.1:4510' };
    assert.equal((await run(wrapper, ['sts', 'get-caller-identity'], env)).stdout, '--endpoint-url http://127.0.0.1:4510 sts get-caller-identity\n');
    assert.equal((await run(wrapper, ['s3', 'ls', '--endpoint-url', 'http://other:1'], env)).stdout, 's3 ls --endpoint-url http://other:1\n');
    assert.equal((await run(wrapper, ['s3', 'ls', '--endpoint-url=http://other:1'], env)).stdout, 's3 ls --endpoint-url=http://other:1\n');
    assert.equal((await run(wrapper, ['ec2', 'create-tags', '--tags', "Key=it's,Value=a b"], env)).stdout, "--endpoint-url http://127.0.0.1:4510 ec2 create-tags --tags Key=it's,Value=a b\n");
    assert.equal((await run(wrapper, ['sts', 'get-caller-identity'], { PATH: process.env.PATH })).stdout, 'sts get-caller-identity\n');
    assert.equal((await run(wrapper, ['sts', 'get-caller-identity'], { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).stdout, 'sts get-caller-identity\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the version of a CLI binary is asked once and cached by path, size and modification time', async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'tidemark-version-cache-'));
  try {
    // A real executable that prints a version and counts how often it ran.
    const bin = path.join(home, 'aws');
    const counter = path.join(home, 'runs');
    writeFileSync(bin, `#!/bin/sh\necho x >> '${counter}'\necho "aws-cli/2.9.19 Python/3.11.2"\n`);
    chmodSync(bin, 0o700);
    const env = { PATH: process.env.PATH, HOME: home };
    assert.deepEqual(await awsCliVersion(bin, env), { major: 2, minor: 9, patch: 19 });
    assert.deepEqual(await awsCliVersion(bin, env), { major: 2, minor: 9, patch: 19 });
    assert.equal(readFileSync(counter, 'utf8'), 'x\n');
    const cache = JSON.parse(readFileSync(path.join(home, '.cache/tidemark/aws-cli-versions.json'), 'utf8')) as Record<string, { version: string }>;
    assert.equal(cache[bin].version, '2.9.19');
    // Another binary at the same path (an upgrade) is asked again.
    writeFileSync(bin, `#!/bin/sh\necho x >> '${counter}'\necho "aws-cli/2.15.30 Python/3.11.8 (upgraded)"\n`);
    assert.deepEqual(await awsCliVersion(bin, env), { major: 2, minor: 15, patch: 30 });
    assert.equal(readFileSync(counter, 'utf8'), 'x\nx\n');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('the aws CLI on PATH reaches the endpoint in AWS_ENDPOINT_URL through the shim, S3 path-style included', async () => {
  const realAws = findExecutable('aws', process.env.PATH);
  assert.ok(realAws, 'the aws CLI is on PATH (Debian: apt-get install awscli)');
  const scenario = loadScenarioFile(SCENARIO);
  const alice = scenario.users?.find((u) => u.name === 'alice')?.accessKeys?.[0];
  assert.ok(alice);
  const sandbox = await startSandbox(SCENARIO);
  const home = mkdtempSync(path.join(tmpdir(), 'tidemark-shim-home-'));
  let shim: Awaited<ReturnType<typeof awsEndpointShim>> | undefined;
  try {
    // childEnv: TZ and preload variables pass on (under libfaketime the CLI signs with the shifted clock).
    const base = childEnv({
      HOME: home, AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region, AWS_DEFAULT_REGION: scenario.region,
      AWS_ACCESS_KEY_ID: alice.id, AWS_SECRET_ACCESS_KEY: alice.secret,
      AWS_CONFIG_FILE: path.join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'),
    });
    shim = await awsEndpointShim(base);
    const version = await awsCliVersion(realAws, base);
    if (version && readsEndpointEnv(version)) {
      assert.equal(shim.dir, undefined, `aws ${JSON.stringify(version)} reads AWS_ENDPOINT_URL: no wrapper`);
      assert.equal(shim.env, base);
    } else {
      assert.ok(shim.dir, `aws ${JSON.stringify(version)} ignores AWS_ENDPOINT_URL: a wrapper`);
      assert.equal(statSync(path.dirname(shim.dir)).mode & 0o777, 0o700);
      assert.equal(findExecutable('aws', shim.env.PATH), path.join(shim.dir, 'aws'));
    }
    // Found through PATH, as `tidemark exec … -- aws …` and the shells find it.
    const who = await run('/bin/sh', ['-c', 'aws sts get-caller-identity --output json'], shim.env);
    assert.equal(who.code, 0, who.stderr);
    assert.equal(JSON.parse(who.stdout).Arn, `arn:aws:iam::${scenario.account}:user/alice`);
    // S3 on an IP endpoint is addressed path-style by the CLI itself (the sandbox has no bucket host names).
    const buckets = await run('/bin/sh', ['-c', 'aws s3api list-buckets --query "Buckets[].Name" --output text'], shim.env);
    assert.equal(buckets.code, 0, buckets.stderr);
    assert.match(buckets.stdout, /tidemark-demo-assets/);
  } finally {
    const dir = shim?.dir;
    shim?.dispose();
    if (dir) assert.equal(existsSync(path.dirname(dir)), false, 'the wrapper directory is removed at the end');
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test('private directories left by a killed process are removed on the next start, live ones are kept', () => {
  const root = tmpdir();
  const dead = mkdtempSync(path.join(root, 'tidemark-orphan-test-999999999-'));
  const living = mkdtempSync(path.join(root, `tidemark-orphan-test-${process.ppid}-`));
  try {
    const removed = removeOrphanedDirs('tidemark-orphan-test', (pid) => pid !== 999999999);
    assert.deepEqual(removed, [dead]);
    assert.equal(existsSync(dead), false);
    assert.equal(existsSync(living), true);
  } finally {
    rmSync(dead, { recursive: true, force: true });
    rmSync(living, { recursive: true, force: true });
  }
});
