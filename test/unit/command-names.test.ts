// Every "Tidemark: …" command that the demo, the walkthrough and the README tell people to run
// exists in the extension's manifest under that exact title (the palette shows `Category: Title`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

function textFiles(): string[] {
  const under = (dir: string, ext: string) => readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith(ext)).map((f) => path.join(dir, f));
  return [...under('demo', '.ts'), ...under('media/walkthrough', '.md'), 'README.md'];
}

test('the command names that the demo, walkthrough and README mention exist in package.json', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ title: string; category?: string }> } };
  const titles = new Set(manifest.contributes.commands.map((c) => (c.category ? `${c.category}: ${c.title}` : c.title)));
  const mentioned: string[] = [];
  for (const file of textFiles()) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    // Quoted, emphasised or code-formatted: "Tidemark: Refresh Live State", *Tidemark: …*, `Tidemark: …`.
    for (const m of text.matchAll(/["*`]Tidemark: ([^"*`\n]+)["*`]/g)) mentioned.push(`${file}: Tidemark: ${m[1]}`);
  }
  assert.ok(mentioned.length > 0, 'the check found the names it is meant to check');
  const missing = mentioned.filter((m) => !titles.has(m.slice(m.indexOf(': ') + 2)));
  assert.deepEqual(missing, [], `not a command title in package.json (${[...titles].join(', ')})`);
});
