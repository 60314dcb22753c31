// An open document is re-parsed incrementally: blocks outside the changed span are found by their
// offsets and taken over as they are, blocks around it by their text. Whatever the edit — typing,
// new lines, a paste of an existing block, an edit in two places at once, a block deleted, a broken
// brace — the index must equal a fresh parse of the same text, offsets and values included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import { textChange } from '../../server/src/hcl/parser';
import { generateResourceBlock } from '../../bench/generate-hcl';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/hcl');

/** Deterministic pseudo-random numbers, so a failure names an edit that can be replayed. */
function randomFrom(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

const strip = (f: { blocks: unknown; attributes: unknown; errors: unknown }) =>
  JSON.parse(JSON.stringify({ blocks: f.blocks, attributes: f.attributes, errors: f.errors }));

/** Offsets where top-level blocks start (a line beginning with a letter), for edits between and across blocks. */
function blockStarts(text: string): number[] {
  const starts: number[] = [];
  for (let i = 0; i < text.length; i = text.indexOf('\n', i) + 1 || text.length) if (/[a-z]/.test(text[i] ?? '')) starts.push(i);
  return starts;
}

type Edit = (text: string, random: (n: number) => number) => string;

const pieces = ['x', '\n', '"', '}', '{', ' = 1', '# note\n', 'é', '\r\n', '\n\n', '  ', '${', ']', 'resource "a" "b" {\n}\n'];
const insert: Edit = (text, random) => {
  const at = random(text.length + 1);
  return text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at);
};
const remove: Edit = (text, random) => {
  const at = random(text.length);
  return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + random(8)));
};
/** A copy of one whole block pasted at another block's start (same text twice in the file). */
const pasteBlock: Edit = (text, random) => {
  const starts = blockStarts(text);
  if (starts.length < 2) return text;
  const k = random(starts.length - 1);
  const block = text.slice(starts[k], starts[k + 1]);
  const at = starts[random(starts.length)];
  return text.slice(0, at) + block + text.slice(at);
};
/** One whole block deleted, so those after it move up by its lines. */
const deleteBlock: Edit = (text, random) => {
  const starts = blockStarts(text);
  if (starts.length < 2) return text;
  const k = random(starts.length - 1);
  return text.slice(0, starts[k]) + text.slice(starts[k + 1]);
};
/** Two edits far apart in one change (a replace-all, a formatter): everything between is the changed span. */
const twoPlaces: Edit = (text, random) => insert(insert(text, random), random);
/** Typing on the line of a block's start, before it: the block keeps its line but not its column or offset. */
const beforeOnLine: Edit = (text, random) => {
  const starts = blockStarts(text);
  const at = starts[random(starts.length)] ?? 0;
  return text.slice(0, at) + ' ' + text.slice(at);
};

const EDITS: Edit[] = [insert, insert, insert, remove, remove, pasteBlock, deleteBlock, twoPlaces, beforeOnLine];

async function replay(name: string, start: string, seed: number, steps: number): Promise<void> {
  const random = randomFrom(seed);
  const file = `/incremental/${name}`;
  const index = new WorkspaceIndex();
  let text = start;
  await index.update(file, text, 1);
  for (let version = 2; version < steps + 2; version++) {
    text = EDITS[random(EDITS.length)](text, random);
    // Sometimes the same text again (a save, an undo of nothing): nothing changed, nothing may move.
    const incremental = await index.update(file, text, version);
    const fresh = await parseHclFile(file, text, version);
    assert.deepEqual(strip(incremental), strip(fresh), `${name}, seed ${seed}: after edit ${version}`);
  }
}

test('incremental re-parses equal fresh parses: a generated file of many blocks', async () => {
  const text = Array.from({ length: 40 }, (_, i) => generateResourceBlock(i)).join('\n');
  for (const seed of [1, 2, 3]) await replay('generated.tf', text, seed, 120);
});

test('incremental re-parses equal fresh parses: the realistic fixture (variables, locals, nested blocks, heredocs)', async () => {
  const text = readFileSync(path.join(fixtures, 'realistic/main.tf'), 'utf8');
  for (const seed of [7, 8]) await replay('main.tf', text, seed, 120);
});

test('an unchanged text re-parsed as a new version equals a fresh parse', async () => {
  const text = Array.from({ length: 5 }, (_, i) => generateResourceBlock(i)).join('\n');
  const index = new WorkspaceIndex();
  await index.update('/incremental/same.tf', text, 1);
  const again = await index.update('/incremental/same.tf', text, 2);
  assert.deepEqual(strip(again), strip(await parseHclFile('/incremental/same.tf', text, 2)));
});

test('the changed span is the longest common prefix and suffix, compared in runs or character by character alike', () => {
  // The plain definition, one character at a time.
  const reference = (a: string, b: string) => {
    const max = Math.min(a.length, b.length);
    let start = 0;
    while (start < max && a[start] === b[start]) start++;
    let suffix = 0;
    while (suffix < max - start && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
    return { start, oldEnd: a.length - suffix, newEnd: b.length - suffix };
  };
  const random = randomFrom(11);
  const base = Array.from({ length: 12 }, (_, i) => generateResourceBlock(i)).join('\n');
  const cases: [string, string][] = [['', ''], ['', 'x'], ['x', ''], [base, base], [base, base + 'x'], ['x' + base, base], [base, base.slice(0, 256) + base.slice(512)]];
  for (let k = 0; k < 300; k++) {
    const a = base.slice(0, random(base.length));
    // Repeated text around the change (a run of the same character, a duplicated block) is where an off-by-one hides.
    const at = random(a.length + 1);
    const b = a.slice(0, at) + ['x', 'aaaa', a.slice(0, random(600)), ''][random(4)] + a.slice(Math.min(a.length, at + random(3) * random(300)));
    cases.push([a, b], [b, a]);
  }
  for (const [a, b] of cases) assert.deepEqual(textChange(a, b), reference(a, b), `${a.length} → ${b.length} characters`);
});
