import type { HclFile, Range, SyntaxProblem, TopBlock } from '../model';
import { blockAddress, blockKind } from './address';
import type { Tree } from 'web-tree-sitter';
import { parseTreeIncrementally } from './parser';
import { checkLimits } from './limits';
import { BlockMemo, fileStructure, RawAttribute, RawBlock } from './structure';
import { attachValues, blockBodies, parseSnippet, placeProblems } from './values';
import { attachSimpleValues, simpleAttributeValue } from './literal-values';

export interface ParsedHclFile extends HclFile {
  /** File-level attributes (the content of .tfvars files). */
  attributes: RawAttribute[];
}

/** What an open document keeps between keystrokes so the next parse is incremental. */
export interface IncrementalState {
  text: string;
  tree: Tree;
  blocks: BlockMemo;
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}


/**
 * Parses one Terraform file: tree-sitter for exact ranges (and error recovery), HashiCorp's HCL
 * parser for values, block by block. A block HCL rejects keeps its structure but no values,
 * so nothing downstream can mistake a half-parsed value for a declared one.
 */
export async function parseHclFile(file: string, text: string, version?: number): Promise<ParsedHclFile> {
  return (await parseHclFileIncrementally(file, text, version)).parsed;
}

/**
 * Parses a file, reusing the previous parse of it when given (the old tree is consumed). With
 * `keep`, the tree and block memo are returned for the next call; otherwise the tree is freed.
 */
export async function parseHclFileIncrementally(
  file: string,
  text: string,
  version?: number,
  previous?: IncrementalState,
  keep = false,
): Promise<{ parsed: ParsedHclFile; state?: IncrementalState }> {
  // A file over the limits never reaches the parsers: one diagnostic, no blocks.
  const overLimit = checkLimits(text);
  if (overLimit) {
    previous?.tree.delete();
    return { parsed: unindexed(file, version, overLimit) };
  }
  try {
    return await parseWithinLimits(file, text, version, previous, keep);
  } catch (error) {
    // Whatever a parser throws stays with this file: it gets one diagnostic, the others still index.
    const reason = error instanceof Error ? error.message : String(error);
    return { parsed: unindexed(file, version, { message: `Tidemark could not parse this file (${reason}); it is not indexed`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }) };
  }
}

/** Values of one block from hcl2json; a block HCL rejects gets its problems, and values only for the attributes that parse alone. */
async function attachHclValues(raw: RawBlock, text: string, fileLines: () => string[], hclProblems: SyntaxProblem[], failedRanges: Range[]): Promise<boolean> {
  const parsed = await parseSnippet(text.slice(raw.startIndex, raw.endIndex));
  if (parsed.ok) {
    attachValues(raw, blockBodies(parsed.json, raw.type, raw.labels)[0]);
    return true;
  }
  hclProblems.push(...placeProblems(parsed.problems, fileLines(), raw.range.start));
  failedRanges.push(raw.syntaxRange);
  // Attributes that parse on their own still get values; the broken ones stay undefined.
  for (const attr of raw.attributes) {
    if (attr.hasError) continue;
    const single = await parseSnippet(text.slice(attr.startIndex, attr.endIndex));
    if (single.ok) attr.value = single.json[attr.name];
  }
  return false;
}

/** Blocks whose values were all set (HCL accepted them): reused as they are, they need no new values. */
const fullyValued = new WeakSet<RawBlock>();

/**
 * The index's view of each block, kept for as long as the block is taken over as is: an unchanged
 * block is then the same object from one keystroke to the next (no copy of every block per parse).
 */
const topBlocks = new WeakMap<RawBlock, TopBlock & RawBlock>();

function topBlockOf(raw: RawBlock, file: string, keep: boolean, unchanged: boolean): TopBlock {
  const known = unchanged ? topBlocks.get(raw) : undefined;
  if (known && known.file === file) {
    // Only its character offsets may have moved (same lines, same text).
    known.startIndex = raw.startIndex;
    known.endIndex = raw.endIndex;
    known.headerEndIndex = raw.headerEndIndex;
    return known;
  }
  // Field by field, not a spread: every block then has the same shape, which a spread of
  // differently built blocks (walked, moved, cut short) does not give, and is several times faster.
  const top: TopBlock & RawBlock = {
    type: raw.type,
    labels: raw.labels,
    range: raw.range,
    headerRange: raw.headerRange,
    attributes: raw.attributes,
    blocks: raw.blocks,
    startIndex: raw.startIndex,
    endIndex: raw.endIndex,
    headerEndIndex: raw.headerEndIndex,
    syntaxRange: raw.syntaxRange,
    hasError: raw.hasError,
    kind: blockKind(raw.type),
    address: blockAddress(raw.type, raw.labels, raw.attributes),
    file,
  };
  if (keep) topBlocks.set(raw, top); // only an open document's next parse can take it over
  return top;
}

/** A file Tidemark refused or failed to parse: its one problem, and nothing indexed. */
export function unindexed(file: string, version: number | undefined, problem: SyntaxProblem): ParsedHclFile {
  return { file, version, blocks: [], attributes: [], errors: [problem] };
}

async function parseWithinLimits(
  file: string,
  text: string,
  version: number | undefined,
  previous: IncrementalState | undefined,
  keep: boolean,
): Promise<{ parsed: ParsedHclFile; state?: IncrementalState }> {
  const { tree, change } = await parseTreeIncrementally(text, previous);
  const blocksMemo: BlockMemo = new Map();
  const reused = new Set<RawBlock>();
  let structure;
  try {
    const before = previous && change ? { text: previous.text, blocks: previous.blocks, change } : undefined;
    structure = fileStructure(tree.rootNode, keep ? { text, previous: before, next: blocksMemo, reused } : undefined);
  } catch (error) {
    tree.delete();
    throw error;
  }
  if (!keep) tree.delete();
  // Only placing HCL's problems needs the lines; most parses have none.
  let lines: string[] | undefined;
  const fileLines = () => (lines ??= text.split(/\r\n|\r|\n/));
  const hclProblems: SyntaxProblem[] = [];
  const failedRanges: Range[] = [];

  const blocks: TopBlock[] = [];
  for (const raw of structure.blocks) {
    // A block the previous parse valued in full and this one took over as is keeps its values.
    if (!(reused.has(raw) && fullyValued.has(raw))) {
      // Most blocks hold only literals and references: their values need no call into hcl2json.
      const valued = attachSimpleValues(raw, text) || (await attachHclValues(raw, text, fileLines, hclProblems, failedRanges));
      if (valued && keep) fullyValued.add(raw); // only an open document's next parse can take it over
    }
    blocks.push(topBlockOf(raw, file, keep, reused.has(raw) && fullyValued.has(raw)));
  }

  for (const attr of structure.attributes) {
    const source = text.slice(attr.startIndex, attr.endIndex);
    const simple = attr.hasError ? undefined : simpleAttributeValue(source);
    if (simple) {
      attr.value = simple.value;
      continue;
    }
    const parsed = await parseSnippet(source);
    if (parsed.ok) attr.value = parsed.json[attr.name];
    else {
      hclProblems.push(...placeProblems(parsed.problems, fileLines(), attr.range.start));
      failedRanges.push(attr.range);
    }
  }

  // HCL's own messages win inside the blocks it rejected; tree-sitter covers text outside any block.
  const treeProblems = structure.problems.filter((p) => !failedRanges.some((r) => contains(r, p.range)));
  const insideValidBlock = (p: SyntaxProblem) =>
    structure.blocks.some((b) => !failedRanges.includes(b.syntaxRange) && contains(b.range, p.range));
  const errors = [...hclProblems, ...treeProblems.filter((p) => !insideValidBlock(p))].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  return { parsed: { file, version, blocks, attributes: structure.attributes, errors }, state: keep ? { text, tree, blocks: blocksMemo } : undefined };
}
