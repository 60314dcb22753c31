// The product bundles never contain the sandbox cloud: the sandbox is reached only over HTTP, like AWS,
// so it can catch the product's mistakes instead of sharing them (DESIGN.md, dependency rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function sourcesOf(bundle: string): string[] {
  const map = path.join(root, 'dist', `${bundle}.map`);
  assert.ok(existsSync(map), `${map} is missing: the test reads the bundle's source map (npm run build writes it)`);
  return (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources;
}

for (const bundle of ['cli.js', 'client.js']) {
  test(`dist/${bundle} contains no sandbox source`, () => {
    const sources = sourcesOf(bundle);
    assert.ok(sources.some((s) => s.includes('server/src/') || s.includes('client/src/')), `dist/${bundle}.map lists no product source: wrong map?`);
    const leaked = sources.filter((s) => /(^|\/)sandbox\/src\//.test(s));
    assert.deepEqual(leaked, [], `dist/${bundle} bundles sandbox sources`);
  });
}

test('dist/sandbox.js is the sandbox bundle and carries no product source', () => {
  const sources = sourcesOf('sandbox.js');
  assert.ok(sources.some((s) => s.includes('sandbox/src/')));
  assert.deepEqual(sources.filter((s) => /(^|\/)(server|client)\/src\//.test(s)), []);
});

// The AWS SDK lives in dist/aws-sdk/ (a bundle per client, one shared runtime) and is loaded on first use.
test('dist/cli.js carries no AWS SDK code and names only packages dist/aws-sdk/ carries; clients share one runtime', () => {
  const leaked = sourcesOf('cli.js').filter((s) => /node_modules\/@aws-sdk\/client-/.test(s));
  assert.deepEqual(leaked, [], 'dist/cli.js bundles AWS SDK clients itself');
  const ec2 = sourcesOf('aws-sdk/client-ec2.js');
  assert.ok(ec2.some((s) => /node_modules\/@aws-sdk\/client-ec2\//.test(s)), 'dist/aws-sdk/client-ec2.js carries the EC2 client');
  assert.deepEqual(ec2.filter((s) => /node_modules\/(@smithy|@aws-sdk\/core)\//.test(s)), [], 'the EC2 bundle carries runtime code of its own');
  assert.deepEqual(sourcesOf('aws-sdk/runtime.js').filter((s) => /node_modules\/@aws-sdk\/client-/.test(s)), [], 'the runtime carries a client');
  const cli = readFileSync(path.join(root, 'dist', 'cli.js'), 'utf8');
  // The runtime is one function from package name to package; each client bundle is its package.
  const inRuntime = [...cli.matchAll(/require\("\.\/aws-sdk\/runtime\.js"\)\("([^"]+)"\)/g)].map((m) => m[1]);
  const clients = [...cli.matchAll(/require\("\.\/aws-sdk\/(client-[a-z0-9-]+\.js)"\)/g)].map((m) => m[1]);
  assert.ok(inRuntime.includes('@aws-sdk/credential-providers'), `dist/cli.js names ${inRuntime.join(', ')} in the runtime`);
  assert.ok(clients.includes('client-s3.js') && clients.includes('client-ec2.js'), `dist/cli.js requires ${clients.join(', ')}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtime = require(path.join(root, 'dist', 'aws-sdk', 'runtime.js')) as (name: string) => Record<string, unknown>;
  for (const name of inRuntime) assert.ok(Object.keys(runtime(name)).length > 0, `dist/aws-sdk/runtime.js cannot load ${name}`);
  for (const file of clients) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const client = require(path.join(root, 'dist', 'aws-sdk', file)) as Record<string, unknown>;
    assert.equal(typeof Object.entries(client).find(([k]) => k.endsWith('Client'))?.[1], 'function', `dist/aws-sdk/${file} exports no client class`);
  }
});

test('a client bundle carries the commands the engine imports, not the whole client', () => {
  // esbuild keeps only what the engine's sources import (and the shapes those commands use): EC2 has
  // ~600 commands and ~3,400 shapes, of which Tidemark reads and writes a few dozen.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ec2 = require(path.join(root, 'dist', 'aws-sdk', 'client-ec2.js')) as Record<string, unknown>;
  assert.equal(typeof ec2.DescribeInstancesCommand, 'function');
  assert.equal(ec2.AcceptAddressTransferCommand, undefined, 'a command the engine never sends is in the bundle');
  const ec2Source = readFileSync(path.join(root, 'dist', 'aws-sdk', 'client-ec2.js'), 'utf8');
  assert.doesNotMatch(ec2Source, /AcceptAddressTransferRequest\$/, 'the shape of a command the engine never sends is in the bundle');
});

/** Base names of the files a fresh Node process has loaded after running `script` in the repository. */
function loadedBy(script: string): string[] {
  const probe = `${script}; process.stdout.write(JSON.stringify(Object.keys(require.cache).map((k) => require('path').basename(k))))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' })) as string[];
}

const DEPENDENCY_BUNDLES = ['dep-cedar.js', 'dep-pg.js', 'dep-pglite.js', 'dep-yaml.js', 'dep-lsp.js'];

test('loading dist/cli.js loads no AWS SDK code and none of the libraries with bundles of their own', () => {
  const loaded = loadedBy("require('./dist/cli.js')");
  assert.ok(loaded.includes('cli.js'));
  assert.deepEqual(loaded.filter((f) => f === 'runtime.js' || f.startsWith('client-')), [], `dist/aws-sdk/ was loaded at import: ${loaded.join(', ')}`);
  assert.deepEqual(loaded.filter((f) => DEPENDENCY_BUNDLES.includes(f)), [], 'Cedar, PGlite, pg, yaml and the LSP library load on first use');
});

// Cedar, PGlite, pg, yaml and the LSP library live in bundles of their own, reached through stand-ins.
test('dist/cli.js carries none of the libraries with bundles of their own, and each of those bundles loads', () => {
  const leaked = sourcesOf('cli.js').filter((s) => /node_modules\/(@cedar-policy|@electric-sql\/pglite|pg|yaml|vscode-languageserver[a-z-]*|vscode-jsonrpc)\//.test(s));
  assert.deepEqual(leaked, [], 'dist/cli.js bundles a library that has its own bundle');
  for (const [file, pkg, name] of [
    ['dep-cedar.js', '@cedar-policy/cedar-wasm/nodejs', 'isAuthorized'], ['dep-pg.js', 'pg', 'Client'], ['dep-pglite.js', '@electric-sql/pglite', 'PGlite'],
    ['dep-yaml.js', 'yaml', 'parseDocument'], ['dep-lsp.js', 'vscode-languageserver/node', 'createConnection'], ['dep-lsp.js', 'vscode-languageserver-textdocument', 'TextDocument'],
  ]) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = require(path.join(root, 'dist', file)) as (name: string) => Record<string, unknown>;
    assert.ok(load(pkg)[name] !== undefined, `dist/${file} gives ${pkg} without ${name}`);
  }
});

// The language server answers `initialize` before the engine loads: dist/server.js is the LSP entry and
// the capabilities, and requires dist/cli.js (the engine) only once `initialized` arrives.
test('dist/server.js carries no engine code: it requires dist/cli.js for that', () => {
  const sources = sourcesOf('server.js').filter((s) => /(^|\/)server\/src\//.test(s)).map((s) => s.replace(/^.*server\/src\//, ''));
  assert.ok(sources.includes('server-main.ts') && sources.includes('lsp/handlers/capabilities.ts'), `dist/server.js has ${sources.join(', ')}`);
  assert.deepEqual(sources.filter((s) => !['server-main.ts', 'server.ts', 'lsp/handlers/capabilities.ts', 'protocol/index.ts'].includes(s)), [], 'engine code in dist/server.js');
  assert.match(readFileSync(path.join(root, 'dist', 'server.js'), 'utf8'), /require\("\.\/cli\.js"\)/);
});
