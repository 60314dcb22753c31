// The index computes the values of simple blocks itself instead of asking hcl2json (HashiCorp's HCL
// parser in WASM). Wherever it does, the values must be exactly hcl2json's: this compares the two,
// block by block, over the examples, the test fixtures, the benchmarks' generated files, hand-made
// edge cases and a seeded random corpus. Any difference (a value, a key's order, a block HCL
// rejects that the fast path accepted) fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseTree } from '../../server/src/hcl/parser';
import { fileStructure } from '../../server/src/hcl/structure';
import type { Block } from '../../server/src/model';
import { attachValues, blockBodies, parseSnippet } from '../../server/src/hcl/values';
import { attachSimpleValues, simpleAttributeValue, simpleExpressionValue } from '../../server/src/hcl/literal-values';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import { generateResourceBlock } from '../../bench/generate-hcl';
import { generateWorkspace } from '../../bench/generate';
import { repoRoot } from '../support/lsp-client';

interface BlockValues {
  attributes: Record<string, unknown>;
  blocks: BlockValues[];
}

function valuesOf(block: Block): BlockValues {
  return {
    attributes: Object.fromEntries(block.attributes.map((a) => [a.name, a.value])),
    blocks: block.blocks.map(valuesOf),
  };
}

interface Tally {
  simple: number;
  hcl2json: number;
}

/** Compares the fast path with hcl2json on every top-level block and file-level attribute of a text. */
async function compare(label: string, text: string, tally: Tally = { simple: 0, hcl2json: 0 }): Promise<Tally> {
  const tree = await parseTree(text);
  const fast = fileStructure(tree.rootNode);
  const reference = fileStructure(tree.rootNode);
  tree.delete();
  for (let i = 0; i < fast.blocks.length; i++) {
    const block = fast.blocks[i];
    const where = `${label}:${block.range.start.line + 1} (${block.type} ${block.labels.join(' ')})`;
    if (!attachSimpleValues(block, text)) {
      tally.hcl2json++;
      continue;
    }
    tally.simple++;
    const parsed = await parseSnippet(text.slice(block.startIndex, block.endIndex));
    assert.ok(parsed.ok, `${where}: the fast path accepted a block HCL rejects: ${JSON.stringify(!parsed.ok && parsed.problems)}`);
    attachValues(reference.blocks[i], blockBodies(parsed.json, block.type, block.labels)[0]);
    const mine = valuesOf(block);
    const theirs = valuesOf(reference.blocks[i]);
    assert.deepStrictEqual(mine, theirs, where);
    // Same key order too (hcl2json's objects come out with sorted keys).
    assert.equal(JSON.stringify(mine), JSON.stringify(theirs), `${where}: key order`);
  }
  for (const attr of fast.attributes) {
    const source = text.slice(attr.startIndex, attr.endIndex);
    const simple = attr.hasError ? undefined : simpleAttributeValue(source);
    if (!simple) {
      tally.hcl2json++;
      continue;
    }
    tally.simple++;
    const parsed = await parseSnippet(source);
    assert.ok(parsed.ok, `${label}:${attr.range.start.line + 1}: the fast path accepted an attribute HCL rejects`);
    assert.deepStrictEqual(simple.value, parsed.json[attr.name], `${label}:${attr.range.start.line + 1}`);
    assert.equal(JSON.stringify(simple.value), JSON.stringify(parsed.json[attr.name]), `${label}:${attr.range.start.line + 1}: key order`);
  }
  return tally;
}

function terraformFiles(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) terraformFiles(full, found);
    else if (name.endsWith('.tf') || name.endsWith('.tfvars')) found.push(full);
  }
  return found;
}

test('the examples and test fixtures: simple values equal hcl2json\'s', async () => {
  const tally: Tally = { simple: 0, hcl2json: 0 };
  for (const dir of ['examples', 'test/fixtures']) {
    for (const file of terraformFiles(path.join(repoRoot, dir))) {
      await compare(path.relative(repoRoot, file), readFileSync(file, 'utf8'), tally);
    }
  }
  // The fast path must actually carry most real blocks, or the cold index gains nothing.
  assert.ok(tally.simple > tally.hcl2json, `fast path used for ${tally.simple} blocks, hcl2json for ${tally.hcl2json}`);
});

test('the benchmarks\' generated files: every block takes the fast path, with hcl2json\'s values', async () => {
  const large = Array.from({ length: 120 }, (_, i) => generateResourceBlock(i)).join('\n');
  const tally = await compare('generated large.tf', large);
  assert.deepEqual(tally, { simple: 120, hcl2json: 0 });
  const workspace = generateWorkspace({ resources: 120, seed: 7, modules: true, secondRegion: 'us-west-2' });
  const all: Tally = { simple: 0, hcl2json: 0 };
  for (const [name, text] of workspace.files) if (name.endsWith('.tf')) await compare(`generated ${name}`, text, all);
  assert.ok(all.simple > 0.9 * (all.simple + all.hcl2json), `fast path used for ${all.simple} blocks, hcl2json for ${all.hcl2json}`);
});

/** Blocks at the edges of the subset: each must either take the fast path with hcl2json's values, or be declined. */
const EDGE_CASES = [
  'b {\n  s = "plain"\n  e = ""\n  n = 0\n  f = 1.50\n  big = 123456789012345\n  t = true\n  u = false\n  z = null\n}',
  'b {\n  r = aws_subnet.private[0].id\n  t = "a-${var.x}-b"\n  w = "${var.x}"\n  s = "${ var.x }"\n  two = "${a.b}${c.d}"\n}',
  'b {\n  ty = string\n  st = setting.x\n  call = list(string)\n  splat = a.b[*].c\n  legacy = a.0.b\n  k = true.x\n}',
  'b {\n  l = [1, "a", [], {}]\n  trailing = [1,]\n  lines = [\n    1\n    ,\n    2\n  ]\n}',
  'b {\n  o = { a = 1, "b" = "c" }\n  trailing = { a = 1, }\n  colon = { a: 1 }\n  sorted = {\n    z = 1\n    "10" = 2\n    b = 3\n    "2" = 4\n    B = 5\n  }\n}',
  'b {\n  bad = { a = 1 b = 2 }\n}',
  'b {\n  bad = {\n    a = 1\n    , b = 2\n  }\n}',
  'b {\n  bad = {\n    a =\n    1\n  }\n}',
  'b {\n  bad = {\n    a\n    = 1\n  }\n}',
  'b {\n  dup = { a = 1, a = 2 }\n}',
  'b {\n  proto = { "__proto__" = 1 }\n}',
  'b {\n  x = 1\n  x = 2\n}',
  'b {\n  tags = {}\n  tags {}\n}',
  'b {\n  c {}\n  c {\n    x = 1\n  }\n  d { y = [1] }\n}',
  'b { x = 1 }',
  'b {}',
  'b { \n  x = 1 }',
  'b { x = 1\n}',
  'b { x = 1 y = 2 }',
  'b {\n  x = 1 y = 2\n}',
  'b {\n  x = a\n    .b\n}',
  'b {\n  x = 1 # trailing\n  y = 2 // trailing\n  z = 3 /* block */\n  # whole line\n}',
  'b { # after brace\n  x = 1\n}',
  'b {\n  x = {\n    # inside\n    a = 1 # after\n  }\n}',
  'b {\n  esc = "a\\"b"\n  dollar = "$${x}"\n  dd = "$$x"\n  lone = "a$"\n  pct = "100%"\n  dir = "%{if a}b%{endif}"\n  strip = "${~ a ~}"\n}',
  'b {\n  nfc = "é"\n  nfd = "e\u0301"\n  emoji = "🌊"\n  tab = "\t"\n}',
  'b {\n  neg = -1\n  negz = -0\n  exp = 1e3\n  lead = 007\n  dot = 1.\n  long = 12345678901234567890\n}',
  'b {\n  h = <<EOT\nhello\nEOT\n}',
  'b {\n  f = [for x in y : x]\n  g = { for k, v in m : k => v }\n  c = a ? b : c\n  p = (a)\n  op = a + 1\n  not = !a\n}',
  'resource "aws_instance" "x" {\n  lifecycle { ignore_changes = [tags] }\n}',
  'resource "aws_instance" "x" {\n  dynamic "ebs" {\n    for_each = var.v\n  }\n  provisioner "local-exec" {\n    command = "x"\n  }\n}',
  'resource "a" "x" "y" {\n  v = 1\n}',
  'resource a x {\n  v = 1\n}',
  'resource "a" "${x}" {\n  v = 1\n}',
  'resource "a"\n"x" {\n  v = 1\n}',
  'b {\r\n  x = 1\r\n  y = {\r\n    a = "b"\r\n  }\r\n}',
  'b {\n  o = { true = 1 }\n  n = { null = 2 }\n  f = { for = 3 }\n  q = { "${a}" = 4 }\n  dotted = { a.b = 5 }\n}',
  'b {\n  t = [true, false, null]\n  tx = [true.x]\n}',
  'b {\n  j = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      { Effect = "Allow", Action = ["s3:*"] }\n    ]\n  })\n  l = lookup(var.m, "k", null)\n  n = max(1,\n    2)\n  e = f()\n  nested = [f(g(x)), { k = h(1) }]\n}',
  'b {\n  trailing = f(a,)\n}',
  'b {\n  spread = f(a...)\n}',
  'b {\n  spaced = f (a)\n}',
  'b {\n  ns = provider::aws::arn_parse("x")\n}',
  'b {\n  kw = true(1)\n}',
  'b {\n  interp = "${f(x)}"\n}',
  'b {\n  call = f(a\n  [0])\n}',
];

test('edge cases: the fast path either equals hcl2json or declines', async () => {
  for (const [i, text] of EDGE_CASES.entries()) await compare(`edge case ${i}`, text);
  // And a few it must take, so the test cannot pass by declining everything.
  const taken = await compare('taken', [0, 1, 3, 4].map((i) => EDGE_CASES[i]).join('\n'));
  assert.deepEqual(taken, { simple: 4, hcl2json: 0 });
});

test('.tfvars attributes: the fast path either equals hcl2json or declines', async () => {
  await compare('vars.tfvars', 'a = 1\nb = "x"\nc = [1, 2]\nd = { k = "v" }\ne = var.x\nf = 1 g = 2\nh = a.b\n');
});

/** A seeded generator of HCL expressions, in and out of the subset, with awkward spacing. */
function randomCorpus(seed: number, count: number): string[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const space = () => pick(['', ' ', ' ', '  ', '\t', '\n', ' \n  ']);
  const stringChars = ['a', 'b', 'Z', '0', ' ', '-', '.', '/', ':', '$', '{', '}', '%', '#', '\\', 'é', 'e\u0301', "'", '~'];
  const names = ['a', 'b', 'var', 'local', 'aws_vpc', 'x-y', 'true', 'null', 'for', 'string', '_u'];
  const traversalText = (): string => {
    let t = pick(names);
    const steps = Math.floor(random() * 3);
    for (let i = 0; i < steps; i++) t += pick(['.id', '.name', '[0]', '[12]', '[*]', '.0', '[ 1 ]', '(x)']);
    return t;
  };
  const expr = (depth: number): string => {
    const kind = depth > 2 ? Math.floor(random() * 4) : Math.floor(random() * 7);
    switch (kind) {
      case 0: {
        let s = '';
        const n = Math.floor(random() * 6);
        for (let i = 0; i < n; i++) s += random() < 0.15 ? '${' + pick(['', ' ']) + traversalText() + pick(['', ' ']) + '}' : pick(stringChars);
        return `"${s}"`;
      }
      case 1: return pick(['0', '1', '42', '1.5', '1.50', '-1', '007', '1e3', '3.14159', '10.0', '123456789012345', '0.1']);
      case 2: return pick(['true', 'false', 'null']);
      case 3: return traversalText();
      case 4: {
        const n = Math.floor(random() * 4);
        const items = Array.from({ length: n }, () => space() + expr(depth + 1) + space());
        return '[' + items.join(pick([',', ',', ', ', ',\n'])) + pick(['', ',']) + space() + ']';
      }
      case 5: {
        const n = Math.floor(random() * 4);
        const items = Array.from({ length: n }, () => {
          const key = random() < 0.7 ? pick(['a', 'b', 'Name', 'z', 'a', 'for', 'true']) : `"${pick(['k', 'A b', '10', '', '${a}', '__proto__'])}"`;
          return key + pick([' = ', '=', ': ', ' =\n']) + expr(depth + 1);
        });
        const separator = pick([', ', '\n', ',\n', ' ', '\n, ']);
        return '{' + pick(['', ' ', '\n']) + items.join(separator) + pick(['', ',', '\n']) + pick(['', ' ', '\n']) + '}';
      }
      default:
        if (random() < 0.5) {
          const args = Array.from({ length: Math.floor(random() * 3) }, () => space() + expr(depth + 1) + space());
          return pick(['f', 'jsonencode', 'lookup', 'true', 'a.b']) + pick(['(', '(', ' (']) + args.join(',') + pick(['', '', ',', '...']) + ')';
        }
        return pick(['a + 1', 'a ? b : c', '(a)', '!a', '<<EOT\nx\nEOT\n']);
    }
  };
  const blocks: string[] = [];
  for (let i = 0; i < count; i++) {
    const attributes = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, k) => `  ${pick(['v', 'w', 'tags'])}${k} = ${expr(0)}`);
    const nested = random() < 0.2 ? `\n  inner {\n  ${attributes[0]}\n  }` : '';
    blocks.push(random() < 0.1 ? `b { v = ${expr(2)} }` : `resource "t" "r${i}" {\n${attributes.join('\n')}${nested}\n}`);
  }
  return blocks;
}

test('a seeded random corpus: the fast path either equals hcl2json or declines', async () => {
  const tally: Tally = { simple: 0, hcl2json: 0 };
  for (const [i, block] of randomCorpus(20261130, 400).entries()) await compare(`random block ${i}: ${JSON.stringify(block)}`, block, tally);
  // The corpus exercises both sides.
  assert.ok(tally.simple > 50 && tally.hcl2json > 50, JSON.stringify(tally));
});

test('simple expressions: the subset\'s values, and what it declines', () => {
  assert.deepEqual(simpleExpressionValue('{ b = [1, "x"], a = aws_vpc.main.id }'), { value: { a: '${aws_vpc.main.id}', b: [1, 'x'] } });
  assert.equal(simpleExpressionValue('"a-${var.x}"')?.value, 'a-${var.x}');
  for (const declined of ['f(a,)', 'a + b', '"\\n"', '-1', '1e3', 'a[*].b', '[for x in y : x]', '{ a = 1 b = 2 }', '"%{if a}b%{endif}"']) {
    assert.equal(simpleExpressionValue(declined), undefined, declined);
  }
});

test('parseHclFile gives the same file whether values come from the fast path or hcl2json', async () => {
  // The whole parse (blocks, values, errors) of files mixing simple blocks, blocks only hcl2json
  // handles and broken ones, against the same parse with the fast path bypassed block by block.
  const text = [
    generateResourceBlock(1),
    'resource "aws_instance" "f" {\n  ami = lookup(var.amis, "x")\n  count = 2\n}\n',
    'resource "aws_instance" "broken" {\n  ami = \n}\n',
    generateResourceBlock(2),
  ].join('\n');
  const parsed = await parseHclFile('/x/main.tf', text);
  const tree = await parseTree(text);
  const reference = fileStructure(tree.rootNode);
  tree.delete();
  for (const [i, raw] of reference.blocks.entries()) {
    const snippet = await parseSnippet(text.slice(raw.startIndex, raw.endIndex));
    if (snippet.ok) attachValues(raw, blockBodies(snippet.json, raw.type, raw.labels)[0]);
    else continue;
    assert.deepStrictEqual(valuesOf(parsed.blocks[i]), valuesOf(raw), `block ${i}`);
  }
  assert.equal(parsed.blocks.length, 4);
  assert.ok(parsed.errors.length > 0, 'the broken block is reported');
});
