// Block values without HashiCorp's parser, for the common case. Calling hcl2json (Go in WASM) costs
// a few milliseconds per block, most of a cold index; most blocks hold only literals, references,
// simple templates, lists and maps, whose hcl2json value is plain to compute. This module computes
// exactly those, and answers "not mine" for anything else (or anything HCL might reject), so that
// block goes through hcl2json as before. test/hcl/literal-values.test.ts checks the two agree.
import type { RawAttribute, RawBlock } from './structure';

/** An expression value as hcl2json gives it: JSON data, non-literal parts as `${…}` strings. */
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Thrown inside the scanner when the text is outside the subset; never escapes this module. */
class NotSimple extends Error {}
const NOT_SIMPLE = new NotSimple();

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_-]/;
const KEYWORDS = new Map<string, JsonValue>([['true', true], ['false', false], ['null', null]]);
/** Numbers whose decimal text parses to the same double in Go (big.Float → JSON) and JavaScript. */
const SIMPLE_NUMBER = /^(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?$/;

/** A cursor over one expression's source text. */
class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  /** Skips spaces and tabs; with `newlines`, line breaks too (HCL ignores them inside brackets). */
  skipSpace(newlines: boolean): boolean {
    let sawNewline = false;
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t') this.pos++;
      else if (newlines && c === '\n') { this.pos++; sawNewline = true; }
      else if (newlines && c === '\r' && this.peek(1) === '\n') { this.pos += 2; sawNewline = true; }
      else return sawNewline;
    }
  }

  identifier(): string {
    const start = this.pos;
    if (!IDENT_START.test(this.peek())) throw NOT_SIMPLE;
    this.pos++;
    while (this.pos < this.text.length && IDENT_CHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }
}

/** `name(.name|[digits])*`, returned as its source text (hcl2json writes a reference as `${source}`). */
function traversal(s: Scanner): string {
  const start = s.pos;
  s.identifier();
  for (;;) {
    const c = s.peek();
    if (c === '.') {
      s.pos++;
      s.identifier(); // `.0` (legacy index) and `.*` (splat) are left to hcl2json
    } else if (c === '[') {
      s.pos++;
      const digitsStart = s.pos;
      while (/[0-9]/.test(s.peek())) s.pos++;
      if (s.pos === digitsStart || s.peek() !== ']') throw NOT_SIMPLE;
      s.pos++;
    } else {
      return s.text.slice(start, s.pos);
    }
  }
}

/** A quoted string: literal text and `${reference}` interpolations, no escapes, no directives. */
function quoted(s: Scanner): string {
  s.pos++; // the opening quote
  const parts: Array<{ literal: string } | { reference: string }> = [];
  let literal = '';
  let nonAscii = false;
  for (;;) {
    const c = s.peek();
    if (c === '') throw NOT_SIMPLE;
    if (c === '"') { s.pos++; break; }
    const code = c.charCodeAt(0);
    if (c === '\\' || code < 0x20 || code === 0x7f) throw NOT_SIMPLE;
    if ((c === '$' || c === '%') && (s.peek(1) === '{' || s.peek(1) === c)) {
      if (c === '%' || s.peek(1) === '$') throw NOT_SIMPLE; // template directives and escapes
      s.pos += 2;
      if (s.peek() === '~') throw NOT_SIMPLE; // strip markers
      s.skipSpace(false);
      const reference = traversal(s);
      // `${true}` is a literal, which hcl2json writes as text: left to it.
      if (KEYWORDS.has(reference) || /^for\b/.test(reference)) throw NOT_SIMPLE;
      s.skipSpace(false);
      if (s.peek() !== '}') throw NOT_SIMPLE;
      s.pos++;
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ reference });
      continue;
    }
    if (code > 0x7e) nonAscii = true;
    literal += c;
    s.pos++;
  }
  if (literal) parts.push({ literal });
  const value = parts.map((p) => ('literal' in p ? p.literal : '${' + p.reference + '}')).join('');
  // HCL normalizes strings to NFC; a string that normalization would change is left to it.
  if (nonAscii && value !== value.normalize('NFC')) throw NOT_SIMPLE;
  return value;
}

function tuple(s: Scanner): JsonValue[] {
  s.pos++; // [
  const items: JsonValue[] = [];
  s.skipSpace(true);
  while (s.peek() !== ']') {
    items.push(expression(s));
    s.skipSpace(true);
    if (s.peek() === ',') {
      s.pos++;
      s.skipSpace(true);
    } else if (s.peek() !== ']') {
      throw NOT_SIMPLE;
    }
  }
  s.pos++;
  return items;
}

/** `(expression, …)`: line breaks are ignored inside parentheses; no trailing comma, no `...`. */
function callArguments(s: Scanner): void {
  s.pos++; // (
  s.skipSpace(true);
  while (s.peek() !== ')') {
    expression(s);
    s.skipSpace(true);
    if (s.peek() === ',') {
      s.pos++;
      s.skipSpace(true);
      if (s.peek() === ')') throw NOT_SIMPLE;
    } else if (s.peek() !== ')') {
      throw NOT_SIMPLE;
    }
  }
  s.pos++;
}

/** An object key: a bare name or a quoted literal (not a keyword, a reference or a template). */
function objectKey(s: Scanner): string {
  if (s.peek() === '"') {
    const start = s.pos;
    const key = quoted(s);
    if (s.text.slice(start, s.pos).includes('${')) throw NOT_SIMPLE;
    return key;
  }
  const name = s.identifier();
  if (KEYWORDS.has(name) || name === 'for') throw NOT_SIMPLE;
  return name;
}

function object(s: Scanner): { [key: string]: JsonValue } {
  s.pos++; // {
  const entries: Array<[string, JsonValue]> = [];
  // Inside braces a line break separates items, so it is allowed only where an item may end.
  s.skipSpace(true);
  while (s.peek() !== '}') {
    const key = objectKey(s);
    // Keys are compared and ordered by UTF-16 units below, which matches Go's byte order for ASCII only.
    if (!/^[\x20-\x7e]*$/.test(key) || key === '__proto__') throw NOT_SIMPLE;
    s.skipSpace(false);
    const separator = s.peek();
    if ((separator !== '=' && separator !== ':') || s.peek(1) === '=' || s.peek(1) === '>') throw NOT_SIMPLE;
    s.pos++;
    s.skipSpace(false);
    entries.push([key, expression(s)]);
    s.skipSpace(false);
    let separated = false;
    if (s.peek() === ',') {
      s.pos++;
      separated = true;
      s.skipSpace(false);
    }
    if (s.skipSpace(true)) separated = true;
    if (s.peek() !== '}' && !separated) throw NOT_SIMPLE;
  }
  s.pos++;
  // Go's encoding/json writes map keys sorted; build the object in that order, so even code that
  // walks the keys sees what hcl2json gave. Duplicate keys are left to hcl2json.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const result: { [key: string]: JsonValue } = {};
  for (let i = 0; i < entries.length; i++) {
    if (i > 0 && entries[i][0] === entries[i - 1][0]) throw NOT_SIMPLE;
    result[entries[i][0]] = entries[i][1];
  }
  return result;
}

function expression(s: Scanner): JsonValue {
  const c = s.peek();
  if (c === '"') return quoted(s);
  if (c === '[') return tuple(s);
  if (c === '{') return object(s);
  if (c >= '0' && c <= '9') {
    const start = s.pos;
    while (/[0-9.]/.test(s.peek())) s.pos++;
    const digits = s.text.slice(start, s.pos);
    if (!SIMPLE_NUMBER.test(digits) || IDENT_CHAR.test(s.peek())) throw NOT_SIMPLE;
    return Number(digits);
  }
  const start = s.pos;
  const reference = traversal(s);
  if (s.peek() === '(') {
    // A function call: hcl2json writes it as `${source}`, so only its acceptance by HCL is checked.
    if (reference.includes('.') || reference.includes('[') || KEYWORDS.has(reference) || reference === 'for') throw NOT_SIMPLE;
    callArguments(s);
    return '${' + s.text.slice(start, s.pos) + '}';
  }
  const root = /^[A-Za-z0-9_-]*/.exec(reference)![0];
  if (root === 'for') throw NOT_SIMPLE; // the start of a `for` expression, for hcl2json to judge
  if (KEYWORDS.has(root)) {
    if (root !== reference) throw NOT_SIMPLE; // `true.x`, `null[0]`: left to hcl2json
    return KEYWORDS.get(root)!;
  }
  return '${' + reference + '}';
}

/**
 * The hcl2json value of one expression's source text, or undefined when the text is outside the
 * simple subset (the caller then asks hcl2json). The whole text must be consumed.
 */
export function simpleExpressionValue(text: string): { value: JsonValue } | undefined {
  const s = new Scanner(text);
  try {
    const value = expression(s);
    if (s.pos !== text.length) return undefined;
    return { value };
  } catch (error) {
    if (error instanceof NotSimple) return undefined;
    throw error;
  }
}

const ATTRIBUTE_HEAD = /^[A-Za-z_][A-Za-z0-9_-]*[ \t]*=[ \t]*/;
const BLOCK_HEADER = /^[A-Za-z_][A-Za-z0-9_-]*(?:[ \t]+(?:"[\x20-\x7e]*"|[A-Za-z_][A-Za-z0-9_-]*))*[ \t]*\{$/;
/** What may separate items of a body: blanks and line comments, with at least one line break. */
const ITEM_GAP = /^(?:[ \t]*(?:(?:#|\/\/)[^\n]*)?\r?\n)+[ \t]*$/;

/** The value of `name = expression` as its own text, or undefined when outside the subset. */
export function simpleAttributeValue(source: string): { value: JsonValue } | undefined {
  const head = ATTRIBUTE_HEAD.exec(source);
  return head ? simpleExpressionValue(source.slice(head[0].length)) : undefined;
}

/**
 * Values of every attribute of a block (nested blocks included) when the whole block is in the
 * subset HCL accepts as written; undefined, with nothing changed, otherwise.
 */
function blockValues(block: RawBlock, text: string, out: Array<[RawAttribute, JsonValue]>): boolean {
  if (block.hasError) return false;
  const header = text.slice(block.startIndex, block.headerEndIndex);
  if (!BLOCK_HEADER.test(header) || /[$%\\]/.test(header)) return false;
  if (text.charAt(block.endIndex - 1) !== '}') return false;
  // Labeled nested blocks (`dynamic "x"`, provisioners) nest in hcl2json's output by label: left to it.
  if (block.blocks.some((b) => b.labels.length > 0)) return false;
  const names = new Set<string>();
  for (const attr of block.attributes) {
    if (names.has(attr.name)) return false; // "Attribute redefined"
    names.add(attr.name);
  }
  if (block.blocks.some((b) => names.has(b.type))) return false;

  const items = [...block.attributes, ...block.blocks].sort((a, b) => a.startIndex - b.startIndex);
  const bodyStart = block.headerEndIndex;
  const bodyEnd = block.endIndex - 1;
  const body = text.slice(bodyStart, bodyEnd);
  if (!body.includes('\n')) {
    // A single-line block: `x {}` or `x { name = value }`, nothing else.
    if (block.blocks.length > 0 || block.attributes.length > 1) return false;
    if (items.length === 1 && (!/^[ \t]*$/.test(text.slice(bodyStart, items[0].startIndex)) || !/^[ \t]*$/.test(text.slice(items[0].endIndex, bodyEnd)))) return false;
    if (items.length === 0 && !/^[ \t]*$/.test(body)) return false;
  } else {
    let previousEnd = bodyStart;
    for (const item of items) {
      if (!ITEM_GAP.test(text.slice(previousEnd, item.startIndex))) return false;
      previousEnd = item.endIndex;
    }
    if (!ITEM_GAP.test(text.slice(previousEnd, bodyEnd))) return false;
  }

  for (const attr of block.attributes) {
    const simple = simpleAttributeValue(text.slice(attr.startIndex, attr.endIndex));
    if (!simple) return false;
    out.push([attr, simple.value]);
  }
  return block.blocks.every((nested) => blockValues(nested, text, out));
}

/**
 * Sets the values of a block's attributes (nested blocks included) without hcl2json, when the
 * block is within the simple subset. Returns false, having changed nothing, when it is not.
 */
export function attachSimpleValues(block: RawBlock, text: string): boolean {
  const values: Array<[RawAttribute, JsonValue]> = [];
  if (!blockValues(block, text, values)) return false;
  for (const [attr, value] of values) attr.value = value;
  return true;
}
