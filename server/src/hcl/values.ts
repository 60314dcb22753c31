// Values come from HashiCorp's own HCL parser (Go, compiled to WASM in @cdktf/hcl2json), one block
// at a time: a broken block then costs only itself, and unchanged blocks hit the cache on each keystroke.
import { parseHclToJson } from './hcl2json-runtime';
import type { SyntaxProblem } from '../model';
import type { RawAttribute, RawBlock } from './structure';

const SOURCE_NAME = '__tidemark_block__.tf';
const CACHE_LIMIT = 20_000;
/** Cached source text in UTF-16 units: the cache's memory stays bounded whatever the block sizes. */
const CACHE_CHARS_LIMIT = 16 * 1024 * 1024;

type Parsed = { ok: true; json: Record<string, unknown> } | { ok: false; problems: RelativeProblem[] };

/** An HCL diagnostic with a 1-based line and character column relative to the parsed snippet. */
interface RelativeProblem {
  message: string;
  start: { line: number; column: number };
  end: { line: number; column: number };
}

const cache = new Map<string, Parsed>();
let cachedChars = 0;

/** hcl2json reports `parse config: [file:l,c-l,c: Summary; Detail, file:…]`. */
export function parseHclErrors(message: string): RelativeProblem[] {
  const parts = message.split(`${SOURCE_NAME}:`).slice(1);
  const problems: RelativeProblem[] = [];
  for (const part of parts) {
    const m = /^(\d+),(\d+)-(?:(\d+),)?(\d+): ([\s\S]*?)(?:, |\]\s*)?$/.exec(part.trim());
    if (!m) continue;
    const startLine = Number(m[1]);
    const endLine = m[3] ? Number(m[3]) : startLine;
    problems.push({
      message: m[5].replace(/\]$/, '').trim(),
      start: { line: startLine, column: Number(m[2]) },
      end: { line: endLine, column: Number(m[4]) },
    });
  }
  if (problems.length === 0) problems.push({ message: message.replace(/^parse config: /, ''), start: { line: 1, column: 1 }, end: { line: 1, column: 1 } });
  return problems;
}

export async function parseSnippet(source: string): Promise<Parsed> {
  const hit = cache.get(source);
  if (hit) {
    // Refresh recency so the cache behaves as an LRU.
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  let result: Parsed;
  try {
    result = { ok: true, json: await parseHclToJson(SOURCE_NAME, source) };
  } catch (error) {
    result = { ok: false, problems: parseHclErrors(error instanceof Error ? error.message : String(error)) };
  }
  cache.set(source, result);
  cachedChars += source.length;
  while (cache.size > CACHE_LIMIT || (cachedChars > CACHE_CHARS_LIMIT && cache.size > 1)) {
    const oldest = cache.keys().next().value as string;
    cache.delete(oldest);
    cachedChars -= oldest.length;
  }
  return result;
}

/** Converts an HCL column (1-based, in characters) on a line to a 0-based UTF-16 offset. */
function utf16Column(lineText: string, characterColumn: number): number {
  let units = 0;
  let chars = 0;
  for (const ch of lineText) {
    if (chars >= characterColumn - 1) break;
    units += ch.length;
    chars++;
  }
  return units;
}

/** Maps snippet-relative problems onto file positions, given where the snippet starts. */
export function placeProblems(
  problems: RelativeProblem[],
  lines: string[],
  origin: { line: number; character: number },
): SyntaxProblem[] {
  const prefixChars = [...(lines[origin.line] ?? '').slice(0, origin.character)].length;
  const place = (p: { line: number; column: number }) => {
    const line = origin.line + p.line - 1;
    const column = p.line === 1 ? prefixChars + p.column : p.column;
    return { line, character: utf16Column(lines[line] ?? '', column) };
  };
  return problems.map((p) => ({ message: p.message, range: { start: place(p.start), end: place(p.end) } }));
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Descends `json[type][label1]…[labelN]` to the list of bodies hcl2json produced for that block kind. */
export function blockBodies(json: Record<string, unknown>, type: string, labels: string[]): unknown[] {
  let node: unknown = json[type];
  for (const label of labels) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return [];
    node = (node as Record<string, unknown>)[label];
  }
  return asArray(node);
}

/** Copies values from one hcl2json body onto the attributes and nested blocks parsed by tree-sitter. */
export function attachValues(block: RawBlock, body: unknown): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  const record = body as Record<string, unknown>;
  for (const attr of block.attributes) attr.value = record[attr.name];
  const seen = new Map<string, number>();
  for (const nested of block.blocks) {
    const key = JSON.stringify([nested.type, ...nested.labels]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    attachValues(nested, blockBodies(record, nested.type, nested.labels)[occurrence]);
  }
}

export function attributeValue(json: Record<string, unknown>, attr: RawAttribute): unknown {
  return json[attr.name];
}
