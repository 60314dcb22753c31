import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { childEnv } from '../support/child-env';
import { zipEntries } from '../support/zip';

const root = path.resolve(__dirname, '../../..');

test('npm run package builds a .vsix with the bundles and every WASM file they load', (t) => {
  // In a scratch copy of the sources: `npm run package` rebuilds dist/ (minified, no source maps),
  // and other test files run the repository's dist/cli.js and dist/server.js at the same time.
  const scratch = mkdtempSync(path.join(tmpdir(), 'tidemark-package-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const skip = new Set(['node_modules', '.git', 'out', 'dist', 'tidemark.vsix']);
  cpSync(root, scratch, { recursive: true, filter: (src) => path.dirname(src) !== root || !skip.has(path.basename(src)) });
  symlinkSync(path.join(root, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
  execFileSync('npm', ['run', 'package', '--silent'], { cwd: scratch, stdio: 'pipe', env: childEnv({ HOME: process.env.HOME }) });
  assert.ok(!existsSync(path.join(root, 'tidemark.vsix')) || statSync(path.join(root, 'tidemark.vsix')).mtimeMs < statSync(scratch).mtimeMs, 'nothing is written into the repository');
  const vsix = path.join(scratch, 'tidemark.vsix');
  assert.ok(existsSync(vsix));
  const entries = zipEntries(vsix);
  for (const needed of [
    'extension/package.json',
    'extension/dist/client.js',
    'extension/dist/server.js',
    'extension/dist/cli.js',
    'extension/dist/aws-sdk/runtime.js',
    'extension/dist/aws-sdk/client-ec2.js',
    'extension/dist/dep-cedar.js',
    'extension/dist/dep-pg.js',
    'extension/dist/dep-pglite.js',
    'extension/dist/dep-yaml.js',
    'extension/dist/web-tree-sitter.wasm',
    'extension/dist/tree-sitter-terraform.wasm',
    'extension/dist/main.wasm.gz',
    'extension/syntaxes/terraform.tmLanguage.json',
    'extension/language-configuration.json',
  ]) {
    assert.ok(entries.includes(needed), `${needed} missing from the .vsix; it has:\n${entries.join('\n')}`);
  }
  assert.ok(!entries.some((e) => e.endsWith('.node')), 'no native addon may ship in the extension');
  assert.ok(!entries.some((e) => e.includes('node_modules/')), 'bundles are self-contained: no node_modules in the package');
  // Issue 17's bound: 15 MB with every AWS SDK client the resource types need.
  const size = statSync(vsix).size;
  assert.ok(size < 15 * 1024 * 1024, `the .vsix stays under 15 MB (it is ${(size / 1024 / 1024).toFixed(2)} MB)`);
});
