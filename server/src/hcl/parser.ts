import { Edit, Language, Parser, Tree } from 'web-tree-sitter';
import { assetPath } from '../assets';

let ready: Promise<Parser> | undefined;

/** One shared tree-sitter parser with the Terraform grammar; WASM loads once per process. */
export function loadTerraformParser(): Promise<Parser> {
  ready ??= (async () => {
    const runtime = assetPath('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtime });
    const language = await Language.load(
      assetPath('tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'),
    );
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return ready;
}

/** The previous parse of the same file, so tree-sitter re-parses only around the edit. */
export interface PreviousParse {
  text: string;
  tree: Tree;
}

/** A position in a text: its line, where that line starts, and the offset it stands for. */
interface Point {
  index: number;
  row: number;
  lineStart: number;
}

/** The point at `index`, counting lines from `from` (a point of the same text, or of one with the same text up to it). */
function pointAt(text: string, index: number, from: Point = { index: 0, row: 0, lineStart: 0 }): Point {
  let { row, lineStart } = from;
  for (let i = text.indexOf('\n', from.index); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { index, row, lineStart };
}

const position = (p: Point) => ({ row: p.row, column: p.index - p.lineStart });

/** Where two texts differ: one span covering everything between their common prefix and suffix, in UTF-16 offsets. */
export interface TextChange {
  start: number;
  /** End of the replaced span in the old text. */
  oldEnd: number;
  /** End of the replacement in the new text. */
  newEnd: number;
}

/** Characters compared at once while the texts agree: string equality is a native compare, several times faster than a loop. */
const RUN = 256;

export function textChange(oldText: string, newText: string): TextChange {
  const max = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start + RUN <= max && oldText.slice(start, start + RUN) === newText.slice(start, start + RUN)) start += RUN;
  while (start < max && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let suffix = 0;
  const [oldLength, newLength] = [oldText.length, newText.length];
  while (suffix + RUN <= max - start && oldText.slice(oldLength - suffix - RUN, oldLength - suffix) === newText.slice(newLength - suffix - RUN, newLength - suffix)) suffix += RUN;
  while (suffix < max - start && oldText.charCodeAt(oldLength - 1 - suffix) === newText.charCodeAt(newLength - 1 - suffix)) suffix++;
  return { start, oldEnd: oldText.length - suffix, newEnd: newText.length - suffix };
}

/**
 * Tells the old tree where the text changed (one edit spanning the common prefix and suffix,
 * which is exactly what a keystroke or a paste is), so the next parse reuses everything else.
 */
function describeEdit(tree: Tree, oldText: string, newText: string, change: TextChange): void {
  const start = pointAt(oldText, change.start);
  tree.edit(new Edit({
    startIndex: change.start,
    oldEndIndex: change.oldEnd,
    newEndIndex: change.newEnd,
    startPosition: position(start),
    // Both texts are the same up to the start: count lines from there only.
    oldEndPosition: position(pointAt(oldText, change.oldEnd, start)),
    newEndPosition: position(pointAt(newText, change.newEnd, start)),
  }));
}

/**
 * Parses text into a tree; positions and indices are in UTF-16 code units, as LSP expects.
 * With the previous parse of the same file, the parse is incremental; the old tree is consumed.
 */
export async function parseTree(text: string, previous?: PreviousParse): Promise<Tree> {
  return (await parseTreeIncrementally(text, previous)).tree;
}

/** `parseTree`, also returning where the text changed since the previous parse (when there was one). */
export async function parseTreeIncrementally(text: string, previous?: PreviousParse): Promise<{ tree: Tree; change?: TextChange }> {
  const parser = await loadTerraformParser();
  let old: Tree | null = null;
  let change: TextChange | undefined;
  if (previous) {
    change = textChange(previous.text, text);
    describeEdit(previous.tree, previous.text, text, change);
    old = previous.tree;
  }
  const tree = parser.parse(text, old);
  old?.delete();
  if (!tree) throw new Error('tree-sitter returned no tree');
  return { tree, change };
}
