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

function pointAt(text: string, index: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/**
 * Tells the old tree where the text changed (one edit spanning the common prefix and suffix,
 * which is exactly what a keystroke or a paste is), so the next parse reuses everything else.
 */
function describeEdit(tree: Tree, oldText: string, newText: string): void {
  const max = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < max && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < max - start && oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) suffix++;
  const oldEnd = oldText.length - suffix;
  const newEnd = newText.length - suffix;
  tree.edit(new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(oldText, start),
    oldEndPosition: pointAt(oldText, oldEnd),
    newEndPosition: pointAt(newText, newEnd),
  }));
}

/**
 * Parses text into a tree; positions and indices are in UTF-16 code units, as LSP expects.
 * With the previous parse of the same file, the parse is incremental; the old tree is consumed.
 */
export async function parseTree(text: string, previous?: PreviousParse): Promise<Tree> {
  const parser = await loadTerraformParser();
  let old: Tree | null = null;
  if (previous) {
    describeEdit(previous.tree, previous.text, text);
    old = previous.tree;
  }
  const tree = parser.parse(text, old);
  old?.delete();
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
