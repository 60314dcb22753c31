// `tidemark index` on a directory of hostile files: it survives, names each file with its one
// diagnostic, still indexes the valid files, and exits 1 (an incomplete index is never exit 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { HOSTILE_FILES, LONG_LINE_FILE, VALID_FILE, writeHostileWorkspace } from '../support/hostile-files';

const root = path.resolve(__dirname, '../../..');
const cli = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), ...args], { cwd, encoding: 'utf8', timeout: 300_000 });

test('tidemark index survives hostile files: one diagnostic per file, the valid files indexed, exit 1', (t) => {
  const dir = writeHostileWorkspace();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const result = cli(['index', '.'], dir);
  assert.equal(result.signal, null, `index was killed (${result.signal}); stderr: ${result.stderr.slice(0, 500)}`);
  assert.equal(result.status, 1, result.stderr.slice(0, 2000));
  for (const file of HOSTILE_FILES) {
    const line = result.stderr.split('\n').find((l) => l.startsWith(`${file.name}:`));
    assert.ok(line, `no diagnostic naming ${file.name} in:\n${result.stderr.slice(0, 2000)}`);
    assert.match(line, file.expect);
  }
  assert.match(result.stdout, new RegExp(`^${VALID_FILE}:1 {2}aws_s3_bucket\\.ok {2}\\(bucket\\)$`, 'm'));
  assert.match(result.stdout, new RegExp(`^${LONG_LINE_FILE}:1 {2}locals {2}\\(long\\)$`, 'm'));
  assert.doesNotMatch(result.stderr, /\n\s+at |goroutine|exit code/, 'no stack traces, no Go runtime output');
});

test('tidemark index --json on hostile files: the valid blocks on stdout, one JSON error per hostile file, exit 1', (t) => {
  const dir = writeHostileWorkspace();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const result = cli(['index', '.', '--json'], dir);
  assert.equal(result.status, 1, result.stderr.slice(0, 2000));
  const blocks = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { address: string; file: string });
  assert.ok(blocks.some((b) => b.address === 'aws_s3_bucket.ok' && b.file === VALID_FILE), result.stdout.slice(0, 500));
  const errors = result.stderr.trim().split('\n').map((l) => JSON.parse(l) as { file: string; error: string });
  for (const file of HOSTILE_FILES) {
    const error = errors.find((e) => e.file === file.name);
    assert.ok(error, `no JSON error for ${file.name}`);
    assert.match(error.error, file.expect);
  }
});
