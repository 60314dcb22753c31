// Cheap checks run before any text reaches the WASM parsers. tree-sitter and HashiCorp's HCL
// parser (Go in WASM) both recurse per nesting level and cost hundreds of bytes of memory per input
// byte: a hostile file must be turned away by a linear scan, with one diagnostic, not by a crash.
import type { SyntaxProblem } from '../model';

export interface HclLimits {
  /** Larger files get one diagnostic and are not indexed. */
  maxFileBytes: number;
  /** Open brackets, braces, parentheses and template interpolations (`${`, `%{`) at once. */
  maxNestingDepth: number;
  /** Top-level blocks (or top-level object values in a .tfvars file). */
  maxTopLevelBlocks: number;
}

/**
 * Generous for real configurations (the largest hand-written modules are a few hundred KB, nest
 * a dozen levels, and hold a few thousand blocks), and well inside what the parsers survive:
 * HashiCorp's parser dies between 800 and 1,000 nested braces.
 */
export const HCL_LIMITS: HclLimits = { maxFileBytes: 2 * 1024 * 1024, maxNestingDepth: 256, maxTopLevelBlocks: 20_000 };

const NOT_INDEXED = 'Tidemark does not index this file';

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

function at(line: number, character: number, message: string): SyntaxProblem {
  return { message, range: { start: { line, character }, end: { line, character: character + 1 } } };
}

/** The problem for a file whose size alone rules it out (checked before reading it from disk). */
export function fileTooLarge(bytes: number, limits: HclLimits = HCL_LIMITS): SyntaxProblem | undefined {
  if (bytes <= limits.maxFileBytes) return undefined;
  return at(0, 0, `File too large: ${mib(bytes)} is above the ${mib(limits.maxFileBytes)} limit; ${NOT_INDEXED}`);
}

/** Where in a decoded file the first invalid UTF-8 sequence was replaced, as a problem. */
export function notUtf8(text: string): SyntaxProblem {
  const index = Math.max(0, text.indexOf('\uFFFD'));
  const before = text.slice(0, index);
  const line = before.split('\n').length - 1;
  return at(line, index - (before.lastIndexOf('\n') + 1), `Invalid character encoding: Terraform files must be UTF-8; ${NOT_INDEXED}`);
}

const [NEWLINE, STAR, SLASH, BACKSLASH, QUOTE, DOLLAR, PERCENT, HASH, LESS] = [...'\n*/\\"$%#<'].map((ch) => ch.charCodeAt(0));
const [OPEN_BRACE, OPEN_BRACKET, OPEN_PAREN, CLOSE_BRACE, CLOSE_BRACKET, CLOSE_PAREN] = [...'{[(}])'].map((ch) => ch.charCodeAt(0));

/** 1 for ASCII characters with no meaning to the scan in a body or expression (0 for those with one). */
const PLAIN_IN_BODY = plainTable('\n#/"<{[(}])\0');
/** The same inside a quoted string or heredoc. */
const PLAIN_IN_STRING = plainTable('\n\\"$%\0');

function plainTable(special: string): Uint8Array {
  const table = new Uint8Array(128).fill(1);
  for (const ch of special) table[ch.charCodeAt(0)] = 0;
  return table;
}

type Frame = 'bracket' | 'template' | 'string' | { heredoc: string };

const HEREDOC_START = /<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n/y;

/**
 * One pass over the text: size, NUL bytes, nesting depth and top-level block count. Strings,
 * heredocs and comments are skipped the way HCL reads them, so a `{` inside a string does not
 * count; unbalanced garbage never drives the depth below zero. Returns the first problem found.
 */
export function checkLimits(text: string, limits: HclLimits = HCL_LIMITS): SyntaxProblem | undefined {
  // UTF-8 is at most 3 bytes per UTF-16 unit: only texts that might be too large pay for the count.
  if (text.length * 3 > limits.maxFileBytes) {
    const tooLarge = fileTooLarge(Buffer.byteLength(text, 'utf8'), limits);
    if (tooLarge) return tooLarge;
  }
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    const before = text.slice(0, nul);
    const line = before.split('\n').length - 1;
    return at(line, nul - (before.lastIndexOf('\n') + 1), `Binary content (a NUL byte): not a Terraform text file; ${NOT_INDEXED}`);
  }

  const stack: Frame[] = [];
  let depth = 0;
  let blocks = 0;
  let line = 0;
  let lineStart = 0;
  let comment: 'line' | 'block' | undefined;
  const n = text.length;
  let i = 0;
  // Character codes, not one-character strings: this runs over the whole text on every keystroke.
  for (; i < n; i++) {
    // Skip runs of characters that cannot change anything (most of a file: names, values, blanks).
    const top0 = stack[stack.length - 1];
    if (comment === undefined) {
      const skippable = top0 === 'string' || typeof top0 === 'object' ? PLAIN_IN_STRING : PLAIN_IN_BODY;
      let code = text.charCodeAt(i);
      while ((code >= 128 || skippable[code] === 1) && i < n) code = text.charCodeAt(++i);
      if (i >= n) break;
    }
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    const top = stack[stack.length - 1];
    if (c === NEWLINE) {
      line++;
      lineStart = i + 1;
      if (comment === 'line') comment = undefined;
      if (top === 'string') stack.pop(); // quoted strings end at the line; recover as HCL does
      if (typeof top === 'object') {
        const end = text.indexOf('\n', i + 1);
        if (text.slice(i + 1, end === -1 ? n : end).trim() === top.heredoc) {
          stack.pop();
          i = (end === -1 ? n : end) - 1; // the terminator's own newline is handled next round
        }
      }
      continue;
    }
    if (comment === 'line') {
      // Nothing counts until the line ends: jump to just before its newline.
      const end = text.indexOf('\n', i);
      i = (end === -1 ? n : end) - 1;
      continue;
    }
    if (comment === 'block') {
      if (c === STAR && next === SLASH) { comment = undefined; i++; }
      continue;
    }
    if (top === 'string' || typeof top === 'object') {
      if (top === 'string' && c === BACKSLASH) { i++; continue; }
      if (top === 'string' && c === QUOTE) { stack.pop(); continue; }
      if ((c === DOLLAR || c === PERCENT) && next === c && text.charCodeAt(i + 2) === OPEN_BRACE) { i += 2; continue; } // $${ and %%{ are literal
      if ((c === DOLLAR || c === PERCENT) && next === OPEN_BRACE) {
        stack.push('template');
        i++;
        if (++depth > limits.maxNestingDepth) break;
      }
      continue;
    }
    // Expression or body context.
    if (c === HASH || (c === SLASH && next === SLASH)) { comment = 'line'; continue; }
    if (c === SLASH && next === STAR) { comment = 'block'; i++; continue; }
    if (c === QUOTE) { stack.push('string'); continue; }
    if (c === LESS && next === LESS) {
      HEREDOC_START.lastIndex = i;
      const m = HEREDOC_START.exec(text);
      if (m) {
        stack.push({ heredoc: m[1] });
        i += m[0].length - 2; // stop before the newline, which checks for an empty heredoc's terminator
        continue;
      }
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET || c === OPEN_PAREN) {
      if (c === OPEN_BRACE && stack.length === 0 && ++blocks > limits.maxTopLevelBlocks) {
        return at(line, i - lineStart, `Too many blocks: more than ${limits.maxTopLevelBlocks.toLocaleString('en-US')} top-level blocks; ${NOT_INDEXED}`);
      }
      stack.push('bracket');
      if (++depth > limits.maxNestingDepth) break;
    } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET || c === CLOSE_PAREN) && (top === 'bracket' || top === 'template')) {
      stack.pop();
      depth--;
    }
  }
  if (depth > limits.maxNestingDepth) {
    return at(line, i - lineStart, `Nesting too deep: more than ${limits.maxNestingDepth} levels of brackets, braces, parentheses or template interpolations; ${NOT_INDEXED}`);
  }
  return undefined;
}
