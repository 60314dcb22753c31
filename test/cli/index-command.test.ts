import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { childEnv } from '../support/child-env';

const root = path.resolve(__dirname, '../../..');
const cli = (args: string[], cwd = root) => spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), ...args], { cwd, encoding: 'utf8', env: childEnv() });

test('tidemark index prints file:line and address for each block', () => {
  const result = cli(['index', 'test/fixtures/hcl/realistic']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^test\/fixtures\/hcl\/realistic\/main\.tf:39 {2}aws_vpc\.main {2}\(cidr_block, enable_dns_hostnames, tags\)$/m);
  assert.match(result.stdout, /19 blocks in 3 files/);
});

test('tidemark index --json gives one object per block with relative file and 0-based ranges', () => {
  const result = cli(['index', 'test/fixtures/hcl/realistic', '--json']);
  assert.equal(result.status, 0, result.stderr);
  const blocks = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const vpc = blocks.find((b) => b.address === 'aws_vpc.main');
  assert.equal(vpc.file, 'main.tf');
  assert.deepEqual(vpc.range.start, { line: 38, character: 0 });
  assert.deepEqual(vpc.attributes[0], { name: 'cidr_block', range: { start: { line: 39, character: 2 }, end: { line: 39, character: 38 } }, value: '10.0.0.0/16' });
});

test('tidemark index reports syntax errors with file:line:column and exits 1', () => {
  const result = cli(['index', 'test/fixtures/hcl/broken']);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /test\/fixtures\/hcl\/broken\/broken\.tf:6:12: Invalid expression/);
  assert.match(result.stdout, /aws_instance\.ok_after/);
});

test('bad input: a missing directory and an unknown option are one-line errors', () => {
  const missing = cli(['index', 'no/such/dir']);
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr.trim(), 'tidemark index: no/such/dir: not a directory');
  const option = cli(['index', '--frobnicate']);
  assert.equal(option.status, 1);
  assert.equal(option.stderr.trim(), 'tidemark index: unknown option --frobnicate');
  const unknown = cli(['nonsense']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown command 'nonsense'/);
  assert.doesNotMatch(unknown.stderr + missing.stderr + option.stderr, /\n\s+at /, 'no stack traces');
});
