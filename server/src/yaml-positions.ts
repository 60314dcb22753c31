// YAML parsed with positions, for config files whose errors must name `file:line:column`.
import { Document, isAlias, isCollection, isPair, LineCounter, parseDocument } from 'yaml';

export interface PositionedYaml {
  doc: Document.Parsed;
  /** `file:line:column` of a node (or just `file` when it has no position). */
  at(node: unknown): string;
}

/**
 * How many values a document may hold once its aliases are expanded. Tidemark's files are small;
 * a few aliases reused a few times stay far below, a "billion laughs" (aliases of aliases) does not.
 */
export const MAX_EXPANDED_VALUES = 100_000;

/** Parses `text`; a YAML syntax error or an alias bomb becomes `fail('file:line:column: message')`. */
export function parseYamlWithPositions(text: string, file: string, fail: (message: string) => Error): PositionedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (node: unknown): string => {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (!range) return file;
    const { line, col } = lines.linePos(range[0]);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    const { line, col } = lines.linePos(e.pos[0]);
    throw fail(`${file}:${line}:${col}: ${e.message.split('\n')[0]}`);
  }
  const bomb = aliasBomb(doc);
  if (bomb) throw fail(`${at(bomb)}: aliases here expand the file beyond ${MAX_EXPANDED_VALUES} values; write the values out instead of nesting aliases`);
  return { doc, at };
}

/** The first alias at which the expanded size passes the limit, or undefined. Sizes are memoized per node. */
function aliasBomb(doc: Document.Parsed): unknown {
  const sizes = new Map<unknown, number>();
  let culprit: unknown;
  const size = (node: unknown, depth: number): number => {
    if (node === null || node === undefined || depth > 1000) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, 1); // an alias cycle counts once instead of looping
    let total = 1;
    if (isAlias(node)) {
      total = size(node.resolve(doc), depth + 1);
      if (total > MAX_EXPANDED_VALUES && !culprit) culprit = node;
    } else if (isPair(node)) {
      total = size(node.key, depth + 1) + size(node.value, depth + 1);
    } else if (isCollection(node)) {
      for (const item of node.items) {
        total += size(item, depth + 1);
        if (total > MAX_EXPANDED_VALUES) {
          culprit ??= isPair(item) ? item.value : item; // the innermost place that crossed the limit
          break;
        }
      }
    }
    sizes.set(node, total);
    return total;
  };
  const total = size(doc.contents, 0);
  return total > MAX_EXPANDED_VALUES ? culprit ?? doc.contents : undefined;
}
