// The product bundles never contain the sandbox cloud: the sandbox is reached only over HTTP, like AWS,
// so it can catch the product's mistakes instead of sharing them (DESIGN.md, dependency rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
