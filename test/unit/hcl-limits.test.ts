import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLimits, HclLimits } from '../../server/src/hcl/limits';
import { parseSnippet } from '../../server/src/hcl/values';
import { parseHclFile } from '../../server/src/hcl/parse-file';

const small: HclLimits = { maxFileBytes: 1000, maxNestingDepth: 3, maxTopLevelBlocks: 2 };

test('nesting depth counts brackets, braces, parentheses and template interpolations', () => {
  assert.equal(checkLimits('x = [[{ a = 1 }]]\n', small), undefined);
  const deep = checkLimits('x = [[[[1]]]]\n', small);
  assert.match(deep!.message, /Nesting too deep: more than 3 levels/);
  assert.deepEqual(deep!.range.start, { line: 0, character: 7 }, 'the opening that crossed the limit');
  assert.match(checkLimits('x = "${[[[1]]]}"\n', small)!.message, /Nesting too deep/);
  assert.match(checkLimits('x = <<EOT\n${"${"${1}"}"}\nEOT\n', { ...small, maxNestingDepth: 2 })!.message, /Nesting too deep/);
});

test('brackets inside strings, comments and heredocs do not count; escapes and closing markers are honoured', () => {
  assert.equal(checkLimits('x = "[[[[{{{{"\n', small), undefined);
  assert.equal(checkLimits('x = "\\"[[[[" # [[[[\n// {{{{\n/* ((((\n(((( */ y = 1\n', small), undefined);
  assert.equal(checkLimits('x = "$${[[[[ %%{ ((((  }"\n', small), undefined);
  assert.equal(checkLimits('x = <<-EOT\n  [[[[ {{{{\n  EOT\ny = [1]\n', small), undefined);
  // After the heredoc ends, brackets count again.
  assert.match(checkLimits('x = <<EOT\n[[[[\nEOT\ny = [[[[1]]]]\n', small)!.message, /Nesting too deep/);
  // Unbalanced closers (garbage) never make the depth negative and so never hide real nesting.
  assert.match(checkLimits(']]]]]]\nx = [[[[1]]]]\n', small)!.message, /Nesting too deep/);
});

test('top-level blocks are counted; size and NUL bytes are refused with the position', () => {
  assert.equal(checkLimits('a {}\nb {}\n', small), undefined);
  const many = checkLimits('a {}\nb {}\nc {}\n', small);
  assert.match(many!.message, /Too many blocks: more than 2 top-level blocks/);
  assert.deepEqual(many!.range.start, { line: 2, character: 2 });
  assert.match(checkLimits('x = "' + 'a'.repeat(2000) + '"\n', small)!.message, /File too large/);
  const nul = checkLimits('a {}\nx = "\0"\n', small);
  assert.match(nul!.message, /Binary content/);
  assert.deepEqual(nul!.range.start, { line: 1, character: 5 });
});

test('a crash of the HCL runtime costs only the input that caused it: the next parse gets a fresh runtime', async () => {
  assert.deepEqual(await parseSnippet('y = 1\n'), { ok: true, json: { y: 1 } });
  const crashed = await parseSnippet(`x = ${'!'.repeat(60_000)}true\n`);
  assert.equal(crashed.ok, false);
  assert.match(crashed.ok ? '' : crashed.problems[0].message, /HCL parser crashed on this input/);
  assert.deepEqual(await parseSnippet('y = 2\n'), { ok: true, json: { y: 2 } });
});

test('a file over a limit is not indexed: no blocks, one problem', async () => {
  const parsed = await parseHclFile('/w/deep.tf', `locals {\n  x = ${'['.repeat(5000)}1${']'.repeat(5000)}\n}\n`);
  assert.deepEqual(parsed.blocks, []);
  assert.equal(parsed.errors.length, 1);
  assert.match(parsed.errors[0].message, /Nesting too deep: more than 256 levels/);
});
