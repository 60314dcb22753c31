// Turns a tree-sitter syntax tree into the index's Block/Attribute shape with exact ranges.
// Values are attached later (values.ts); this module only knows about syntax.
import type { Node } from 'web-tree-sitter';
import type { Attribute, Block, Range, SyntaxProblem } from '../model';
import type { TextChange } from './parser';

export interface RawBlock extends Block {
  /** Character offsets of the whole block in the file text, for slicing its source. */
  startIndex: number;
  endIndex: number;
  headerEndIndex: number;
  /** The range tree-sitter gave the block before any swallowed blocks were lifted out of it. */
  syntaxRange: Range;
  /** True when tree-sitter found an error or a missing token inside the block. */
  hasError: boolean;
  attributes: RawAttribute[];
  blocks: RawBlock[];
}

export interface RawAttribute extends Attribute {
  startIndex: number;
  endIndex: number;
  hasError: boolean;
}

export interface FileStructure {
  blocks: RawBlock[];
  /** Attributes at file level: only legal in .tfvars files, but kept so those files index too. */
  attributes: RawAttribute[];
  problems: SyntaxProblem[];
}

export function rangeOf(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

function labelText(node: Node): string {
  if (node.type === 'string_lit') {
    const literal = node.children.find((c) => c.type === 'template_literal');
    return literal ? literal.text : '';
  }
  return node.text;
}

function toAttribute(node: Node): RawAttribute | undefined {
  // (Each `children` is a call into the parser that builds new node objects: read it once.)
  const children = node.children;
  const name = children.find((c) => c.type === 'identifier');
  const expression = children.find((c) => c.type === 'expression');
  if (!name) return undefined;
  return {
    name: name.text,
    range: rangeOf(node),
    nameRange: rangeOf(name),
    valueRange: expression ? rangeOf(expression) : rangeOf(node),
    expression: expression ? expression.text : '',
    value: undefined,
    startIndex: node.startIndex,
    endIndex: node.endIndex,
    hasError: node.hasError || !expression,
  };
}

function toBlock(node: Node): RawBlock | undefined {
  const children = node.children;
  const type = children[0];
  if (!type || type.type !== 'identifier') return undefined;
  const open = children.find((c) => c.type === 'block_start');
  const labels = children
    .slice(1, open ? children.indexOf(open) : undefined)
    .filter((c) => c.type === 'string_lit' || c.type === 'identifier')
    .map(labelText);
  const body = children.find((c) => c.type === 'body');
  const { attributes, blocks } = body ? collectBody(body) : { attributes: [], blocks: [] };
  const headerEnd = open ?? children[children.length - 1];
  const headerEndPosition = headerEnd.endPosition;
  const range = rangeOf(node);
  return {
    type: type.text,
    labels,
    range,
    headerRange: { start: { ...range.start }, end: { line: headerEndPosition.row, character: headerEndPosition.column } },
    attributes,
    blocks,
    startIndex: node.startIndex,
    endIndex: node.endIndex,
    headerEndIndex: headerEnd.endIndex,
    syntaxRange: { start: { ...range.start }, end: { ...range.end } },
    hasError: node.hasError,
  };
}

/**
 * Error-free top-level blocks of one parse, keyed by their start offset. The next parse reuses a
 * block whose text did not change (moved to its new position) instead of walking it again: on a
 * keystroke, only the edited block is rebuilt.
 */
export type BlockMemo = Map<number, RawBlock>;

function shiftRange(r: Range, lines: number): Range {
  return { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
}

function shiftAttribute(a: RawAttribute, lines: number, offset: number): RawAttribute {
  return {
    ...a,
    range: shiftRange(a.range, lines),
    nameRange: shiftRange(a.nameRange, lines),
    valueRange: shiftRange(a.valueRange, lines),
    startIndex: a.startIndex + offset,
    endIndex: a.endIndex + offset,
  };
}

function shiftBlock(b: RawBlock, lines: number, offset: number): RawBlock {
  return {
    ...b,
    range: shiftRange(b.range, lines),
    headerRange: shiftRange(b.headerRange, lines),
    syntaxRange: shiftRange(b.syntaxRange, lines),
    startIndex: b.startIndex + offset,
    endIndex: b.endIndex + offset,
    headerEndIndex: b.headerEndIndex + offset,
    attributes: b.attributes.map((a) => shiftAttribute(a, lines, offset)),
    blocks: b.blocks.map((n) => shiftBlock(n, lines, offset)),
  };
}

/** Moves a block's character offsets in place (its lines and columns are unchanged). */
function moveOffsets(b: RawBlock, offset: number): void {
  b.startIndex += offset;
  b.endIndex += offset;
  b.headerEndIndex += offset;
  for (const a of b.attributes) {
    a.startIndex += offset;
    a.endIndex += offset;
  }
  for (const n of b.blocks) moveOffsets(n, offset);
}

/** The memo of one parse: the previous parse's blocks and where the text changed since, and the blocks of this one. */
export interface StructureMemo {
  text: string;
  previous?: { text: string; blocks: BlockMemo; change: TextChange };
  next: BlockMemo;
  /** Blocks of the previous parse reused as they are (same objects, values included). */
  reused: Set<RawBlock>;
  /** Previous blocks around the change, by source text (built when first needed). */
  aroundChange?: Map<string, RawBlock>;
}

/**
 * The previous parse's block with exactly this node's text, if any. Outside the changed span the
 * text is the same as before at the same offset (before the change) or shifted by the change's
 * length (after it), so offsets find it without reading the text; a node overlapping the change
 * (an edited block, a paste) is looked up by its text among the previous blocks around the change.
 */
function previousBlock(node: Node, memo: StructureMemo): RawBlock | undefined {
  const previous = memo.previous;
  if (!previous) return undefined;
  const { start, oldEnd, newEnd } = previous.change;
  const [from, to] = [node.startIndex, node.endIndex];
  if (to <= start || from >= newEnd) {
    const shift = from >= newEnd ? oldEnd - newEnd : 0;
    const known = previous.blocks.get(from + shift);
    return known && known.endIndex === to + shift ? known : undefined;
  }
  if (!memo.aroundChange) {
    memo.aroundChange = new Map();
    for (const b of previous.blocks.values()) {
      // (Blocks this parse already took over may have moved: they cannot be taken twice anyway.)
      if (!memo.reused.has(b) && b.endIndex >= start && b.startIndex <= oldEnd) memo.aroundChange.set(previous.text.slice(b.startIndex, b.endIndex), b);
    }
  }
  return memo.aroundChange.get(memo.text.slice(from, to));
}

function memoizedBlock(node: Node, memo: StructureMemo | undefined): RawBlock | undefined {
  if (!memo || node.hasError) return toBlock(node);
  const known = previousBlock(node, memo);
  let block: RawBlock | undefined;
  if (known && !memo.reused.has(known) && known.range.start.character === node.startPosition.column) {
    const lines = node.startPosition.row - known.range.start.line;
    const offset = node.startIndex - known.startIndex;
    if (lines === 0) {
      // Same lines and columns (typing elsewhere on an earlier line only moves character offsets):
      // the same objects, so whatever is keyed by them (the drift memo) still holds. The previous
      // parse that also holds them is superseded, and offsets are used only while parsing.
      if (offset !== 0) moveOffsets(known, offset);
      memo.reused.add(known);
      block = known;
    } else {
      block = shiftBlock(known, lines, offset);
    }
  } else {
    block = toBlock(node);
  }
  if (block) memo.next.set(node.startIndex, block);
  return block;
}

/**
 * Collects attributes and blocks of a body. Blocks and attributes that tree-sitter wrapped in an
 * ERROR node are still recovered, so one broken line does not hide the rest of the file.
 */
function collectBody(body: Node, memo?: StructureMemo): { attributes: RawAttribute[]; blocks: RawBlock[] } {
  const attributes: RawAttribute[] = [];
  const blocks: RawBlock[] = [];
  const visit = (node: Node): void => {
    for (const child of node.children) {
      if (child.type === 'attribute') {
        const attr = toAttribute(child);
        if (attr) attributes.push(attr);
      } else if (child.type === 'block') {
        const block = memo ? memoizedBlock(child, memo) : toBlock(child);
        if (block) blocks.push(block);
      } else if (child.type === 'ERROR' || child.type === 'body') {
        visit(child);
      }
    }
  };
  visit(body);
  return { attributes, blocks };
}

function describeError(node: Node): string {
  if (node.isMissing) return `Syntax error: missing ${JSON.stringify(node.type)}`;
  const text = node.text.split(/\r?\n/)[0].trim();
  const shown = text.length > 40 ? text.slice(0, 40) + '…' : text;
  return shown ? `Syntax error: unexpected ${JSON.stringify(shown)}` : 'Syntax error';
}

/**
 * Every ERROR and MISSING node, outermost only, in document order. Iterative: an expression can
 * nest far deeper than the file's brackets (`!!!!…x` is one level per `!`), and the walk must not
 * overflow the stack on it.
 */
export function syntaxProblems(root: Node): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const pending: Node[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.type === 'ERROR' || node.isMissing) {
      const range = rangeOf(node);
      // An ERROR node that swallowed whole blocks is reported up to the first of them only,
      // so the squiggle marks the broken text and not the valid blocks recovered after it.
      const firstRecovered = node.children.find((c) => c.type === 'block' || c.type === 'attribute' || c.type === 'body');
      if (firstRecovered && firstRecovered.startIndex > node.startIndex) range.end = rangeOf(firstRecovered).start;
      problems.push({ message: describeError(node), range });
      continue;
    }
    if (!node.hasError) continue;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return problems;
}

const TOP_LEVEL_TYPES = new Set(['resource', 'data', 'module', 'variable', 'output', 'locals', 'provider', 'terraform', 'import', 'moved', 'check']);

/**
 * tree-sitter recovers from an unclosed block by nesting every following block inside it. A nested
 * block that can only be top-level (a `resource` inside a `resource`) and starts in column 0 is
 * lifted back out, and the broken block ends where the first lifted one starts.
 */
function liftSwallowedBlocks(blocks: RawBlock[]): RawBlock[] {
  const result: RawBlock[] = [];
  for (const block of blocks) {
    result.push(block);
    if (!block.hasError) continue;
    const lifted = block.blocks.filter((b) => TOP_LEVEL_TYPES.has(b.type) && b.range.start.character === 0);
    if (lifted.length === 0) continue;
    const cut = lifted[0].startIndex;
    block.blocks = block.blocks.filter((b) => b.startIndex < cut);
    block.attributes = block.attributes.filter((a) => a.startIndex < cut);
    block.endIndex = Math.max(block.headerEndIndex, ...[...block.attributes, ...block.blocks].map((x) => x.endIndex));
    const last = [...block.attributes, ...block.blocks].sort((a, b) => b.endIndex - a.endIndex)[0];
    block.range = { start: block.range.start, end: last ? last.range.end : block.headerRange.end };
    result.push(...liftSwallowedBlocks(lifted));
  }
  return result;
}

export function fileStructure(root: Node, memo?: StructureMemo): FileStructure {
  const body = root.children.find((c) => c.type === 'body');
  const collected = body ? collectBody(body, memo) : { attributes: [], blocks: [] };
  collected.blocks = liftSwallowedBlocks(collected.blocks);
  // A file that is nothing but an ERROR node still may contain recoverable blocks.
  if (!body) for (const child of root.children) if (child.type === 'ERROR') {
    const more = collectBody(child);
    collected.attributes.push(...more.attributes);
    collected.blocks.push(...more.blocks);
  }
  return { ...collected, problems: syntaxProblems(root) };
}
