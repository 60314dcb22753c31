// The CLI's process guard: a command whose work never completes (as when a WASM runtime dies in the
// middle of a call and its promise never settles) must not let Node drain its event loop and exit 0
// with nothing printed. A preload makes directory reads never answer, which is exactly that shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

test('a command that never finishes exits 1 with a message, never 0 with empty output', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-guard-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'main.tf'), 'locals {}\n');
  const preload = path.join(dir, 'never.js');
  writeFileSync(preload, "require('fs').promises.readdir = () => new Promise(() => {});\n");
  const result = spawnSync(process.execPath, ['--require', preload, path.join(root, 'dist/cli.js'), 'index', dir], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 1, `exit ${result.status}; stdout: ${result.stdout}; stderr: ${result.stderr}`);
  assert.equal(result.stderr.trim(), 'tidemark index: internal error: stopped before finishing (a task never completed), so no complete report was produced');
});

test('an exception escaping a command is one line and exit 1, without a stack trace', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-guard-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'main.tf'), 'locals {}\n');
  const preload = path.join(dir, 'throw.js');
  writeFileSync(preload, "require('fs').promises.readdir = () => { setImmediate(() => { throw new Error('disk on fire'); }); return new Promise(() => {}); };\n");
  const result = spawnSync(process.execPath, ['--require', preload, path.join(root, 'dist/cli.js'), 'index', dir], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TIDEMARK_DEBUG: '' } });
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stderr.trim(), 'tidemark index: internal error: disk on fire');
});

test('a bad user file surfacing from a background task is reported as that file\'s error, not as an internal error', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-guard-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'main.tf'), 'locals {}\n');
  const preload = path.join(dir, 'config-error.js');
  // As when a broker task reads .tidemark/config.yaml before the command itself does.
  writeFileSync(preload, "class ConfigError extends Error {}\nrequire('fs').promises.readdir = () => { setImmediate(() => { throw new ConfigError('.tidemark/config.yaml:3:1: bad value'); }); return new Promise(() => {}); };\n");
  const result = spawnSync(process.execPath, ['--require', preload, path.join(root, 'dist/cli.js'), 'index', dir], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TIDEMARK_DEBUG: '' } });
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stderr.trim(), 'tidemark index: .tidemark/config.yaml:3:1: bad value');
});
