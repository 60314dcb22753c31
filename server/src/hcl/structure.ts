// Turns a tree-sitter syntax tree into the index's Block/Attribute shape with exact ranges.
// Values are attached later (values.ts); this module only knows about syntax.
import type { Node } from 'web-tree-sitter';
import type { Attribute, Block, Range, SyntaxProblem } from '../model';

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
  const name = node.children.find((c) => c.type === 'identifier');
  const expression = node.children.find((c) => c.type === 'expression');
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
  return {
    type: type.text,
    labels,
    range: rangeOf(node),
    headerRange: { start: rangeOf(node).start, end: rangeOf(headerEnd).end },
    attributes,
    blocks,
    startIndex: node.startIndex,
    endIndex: node.endIndex,
    headerEndIndex: headerEnd.endIndex,
    syntaxRange: rangeOf(node),
    hasError: node.hasError,
  };
}

/**
 * Collects attributes and blocks of a body. Blocks and attributes that tree-sitter wrapped in an
 * ERROR node are still recovered, so one broken line does not hide the rest of the file.
 */
function collectBody(body: Node): { attributes: RawAttribute[]; blocks: RawBlock[] } {
  const attributes: RawAttribute[] = [];
  const blocks: RawBlock[] = [];
  const visit = (node: Node): void => {
    for (const child of node.children) {
      if (child.type === 'attribute') {
        const attr = toAttribute(child);
        if (attr) attributes.push(attr);
      } else if (child.type === 'block') {
        const block = toBlock(child);
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

/** Every ERROR and MISSING node, outermost only, in document order. */
export function syntaxProblems(root: Node): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: Node): void => {
    if (node.type === 'ERROR' || node.isMissing) {
      const range = rangeOf(node);
      // An ERROR node that swallowed whole blocks is reported up to the first of them only,
      // so the squiggle marks the broken text and not the valid blocks recovered after it.
      const firstRecovered = node.children.find((c) => c.type === 'block' || c.type === 'attribute' || c.type === 'body');
      if (firstRecovered && firstRecovered.startIndex > node.startIndex) range.end = rangeOf(firstRecovered).start;
      problems.push({ message: describeError(node), range });
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) visit(child);
  };
  visit(root);
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

export function fileStructure(root: Node): FileStructure {
  const body = root.children.find((c) => c.type === 'body');
  const collected = body ? collectBody(body) : { attributes: [], blocks: [] };
  collected.blocks = liftSwallowedBlocks(collected.blocks);
  // A file that is nothing but an ERROR node still may contain recoverable blocks.
  if (!body) for (const child of root.children) if (child.type === 'ERROR') {
    const more = collectBody(child);
    collected.attributes.push(...more.attributes);
    collected.blocks.push(...more.blocks);
  }
  return { ...collected, problems: syntaxProblems(root) };
}
