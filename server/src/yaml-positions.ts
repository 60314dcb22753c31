// YAML parsed with positions, for config files whose errors must name `file:line:column`.
import { Document, LineCounter, parseDocument } from 'yaml';

export interface PositionedYaml {
  doc: Document.Parsed;
  /** `file:line:column` of a node (or just `file` when it has no position). */
  at(node: unknown): string;
}

/** Parses `text`; a YAML syntax error becomes `fail('file:line:column: message')`. */
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
  return { doc, at };
}
