import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { zipEntries } from '../support/zip';

const root = path.resolve(__dirname, '../../..');

test('npm run package builds a .vsix with the bundles and every WASM file they load', () => {
  execFileSync('npm', ['run', 'package', '--silent'], { cwd: root, stdio: 'pipe' });
  const vsix = path.join(root, 'tidemark.vsix');
  assert.ok(existsSync(vsix));
  const entries = zipEntries(vsix);
  for (const needed of [
    'extension/package.json',
    'extension/dist/client.js',
    'extension/dist/server.js',
    'extension/dist/cli.js',
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
  assert.ok(statSync(vsix).size < 10 * 1024 * 1024, 'the .vsix stays under 10 MB');
});
