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

// The AWS SDK lives in dist/aws-sdk.js and is loaded on first use (start-up reads and compiles the engine only).
test('dist/cli.js carries no AWS SDK code and names only packages dist/aws-sdk.js carries', () => {
  const leaked = sourcesOf('cli.js').filter((s) => /node_modules\/@aws-sdk\/client-/.test(s));
  assert.deepEqual(leaked, [], 'dist/cli.js bundles AWS SDK clients itself');
  assert.ok(sourcesOf('aws-sdk.js').some((s) => /node_modules\/@aws-sdk\/client-ec2\//.test(s)), 'dist/aws-sdk.js carries the EC2 client');
  const cli = readFileSync(path.join(root, 'dist', 'cli.js'), 'utf8');
  const named = [...new Set([...cli.matchAll(/require\("\.\/aws-sdk\.js"\)\("([^"]+)"\)/g)].map((m) => m[1]))];
  assert.ok(named.includes('@aws-sdk/client-s3') && named.includes('@aws-sdk/credential-providers'), `dist/cli.js names ${named.join(', ')}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = require(path.join(root, 'dist', 'aws-sdk.js')) as (name: string) => Record<string, unknown>;
  for (const name of named) assert.ok(Object.keys(load(name)).length > 0, `dist/aws-sdk.js cannot load ${name}`);
});

/** Base names of the files a fresh Node process has loaded after running `script` in the repository. */
function loadedBy(script: string): string[] {
  const probe = `${script}; process.stdout.write(JSON.stringify(Object.keys(require.cache).map((k) => require('path').basename(k))))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' })) as string[];
}

const DEPENDENCY_BUNDLES = ['dep-cedar.js', 'dep-pg.js', 'dep-pglite.js', 'dep-yaml.js'];

test('loading dist/cli.js loads no AWS SDK code and none of the access libraries', () => {
  const loaded = loadedBy("require('./dist/cli.js')");
  assert.ok(loaded.includes('cli.js'));
  assert.ok(!loaded.includes('aws-sdk.js'), `dist/aws-sdk.js was loaded at import: ${loaded.join(', ')}`);
  assert.deepEqual(loaded.filter((f) => DEPENDENCY_BUNDLES.includes(f)), [], 'Cedar, PGlite, pg and yaml load on first use');
});

// Cedar, PGlite, pg and yaml live in bundles of their own, reached through stand-ins in dist/cli.js.
test('dist/cli.js carries none of Cedar, PGlite, pg and yaml, and each dependency bundle loads', () => {
  const leaked = sourcesOf('cli.js').filter((s) => /node_modules\/(@cedar-policy|@electric-sql\/pglite|pg|yaml)\//.test(s));
  assert.deepEqual(leaked, [], 'dist/cli.js bundles a library that has its own bundle');
  for (const [file, name] of [['dep-cedar.js', 'isAuthorized'], ['dep-pg.js', 'Client'], ['dep-pglite.js', 'PGlite'], ['dep-yaml.js', 'parseDocument']]) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.join(root, 'dist', file)) as Record<string, unknown>;
    assert.equal(typeof exported[name], 'function', `dist/${file} exports no ${name}`);
  }
});
