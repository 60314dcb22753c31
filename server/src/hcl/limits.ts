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
  for (; i < n; i++) {
    const c = text[i];
    const next = text[i + 1];
    const top = stack[stack.length - 1];
    if (c === '\n') {
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
    if (comment === 'line') continue;
    if (comment === 'block') {
      if (c === '*' && next === '/') { comment = undefined; i++; }
      continue;
    }
    if (top === 'string' || typeof top === 'object') {
      if (top === 'string' && c === '\\') { i++; continue; }
      if (top === 'string' && c === '"') { stack.pop(); continue; }
      if ((c === '$' || c === '%') && next === c && text[i + 2] === '{') { i += 2; continue; } // $${ and %%{ are literal
      if ((c === '$' || c === '%') && next === '{') {
        stack.push('template');
        i++;
        if (++depth > limits.maxNestingDepth) break;
      }
      continue;
    }
    // Expression or body context.
    if (c === '#' || (c === '/' && next === '/')) { comment = 'line'; continue; }
    if (c === '/' && next === '*') { comment = 'block'; i++; continue; }
    if (c === '"') { stack.push('string'); continue; }
    if (c === '<' && next === '<') {
      HEREDOC_START.lastIndex = i;
      const m = HEREDOC_START.exec(text);
      if (m) {
        stack.push({ heredoc: m[1] });
        i += m[0].length - 2; // stop before the newline, which checks for an empty heredoc's terminator
        continue;
      }
    }
    if (c === '{' || c === '[' || c === '(') {
      if (c === '{' && stack.length === 0 && ++blocks > limits.maxTopLevelBlocks) {
        return at(line, i - lineStart, `Too many blocks: more than ${limits.maxTopLevelBlocks.toLocaleString('en-US')} top-level blocks; ${NOT_INDEXED}`);
      }
      stack.push('bracket');
      if (++depth > limits.maxNestingDepth) break;
    } else if ((c === '}' || c === ']' || c === ')') && (top === 'bracket' || top === 'template')) {
      stack.pop();
      depth--;
    }
  }
  if (depth > limits.maxNestingDepth) {
    return at(line, i - lineStart, `Nesting too deep: more than ${limits.maxNestingDepth} levels of brackets, braces, parentheses or template interpolations; ${NOT_INDEXED}`);
  }
  return undefined;
}
