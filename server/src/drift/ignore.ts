// Ignore rules: `lifecycle { ignore_changes }`, config rules and `# tidemark:ignore` comments.
// An ignore never hides drift: it turns it into a hint, and a rule past its `until` date stops applying.
import type { Block, DriftSuppression, Range } from '../model';
import type { IgnoreRule } from './config';
import { parseExpression, Step } from './expr-parse';

/** One `# tidemark:ignore reason="…" until=YYYY-MM-DD` comment, on a 0-based line. */
export interface IgnoreComment {
  line: number;
  /** True when the comment is the only thing on its line (it then applies to what follows). */
  ownLine: boolean;
  reason?: string;
  until?: string;
  /** A malformed `until`, kept so the report can say why the comment did not apply. */
  badUntil?: string;
}

/** Index of the `#` or `//` that starts a comment on this line, ignoring ones inside strings. */
function commentStart(line: string): number {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '#' || (c === '/' && line[i + 1] === '/')) return i;
  }
  return -1;
}

/** Finds every tidemark:ignore comment in a file's text. */
export function parseIgnoreComments(text: string): IgnoreComment[] {
  const out: IgnoreComment[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, n) => {
    if (!line.includes('tidemark:ignore')) return;
    const at = commentStart(line);
    if (at < 0) return;
    const m = /^(?:#|\/\/)\s*tidemark:ignore\b(.*)$/.exec(line.slice(at));
    if (!m) return;
    const args = m[1];
    const reason = /reason\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(args)?.[1];
    const untilText = /until\s*=\s*"?([^\s"]+)"?/.exec(args)?.[1];
    const comment: IgnoreComment = { line: n, ownLine: line.slice(0, at).trim() === '', reason };
    if (untilText !== undefined) {
      if (/^\d{4}-\d{2}-\d{2}$/.test(untilText) && !Number.isNaN(Date.parse(untilText))) comment.until = untilText;
      else comment.badUntil = untilText;
    }
    out.push(comment);
  });
  return out;
}

/** `until` is inclusive: an ignore until 2026-12-31 still applies all of that day (UTC). */
export function isExpired(until: string | undefined, now: Date): boolean {
  if (!until) return false;
  return now.toISOString().slice(0, 10) > until;
}

export interface Suppressor {
  /** The suppression that applies to this attribute path within the resource, and a note when one expired. */
  lookup(path: string[], range: Range): { suppressed?: DriftSuppression; note?: string };
  /**
   * The paths inside an attribute that `ignore_changes` names (`scaling_config[0].desired_size` →
   * `['0', 'desired_size']` for `scaling_config`): a drift on the attribute that only they explain
   * is ignored like the rest (engine.ts overlays them before comparing).
   */
  ignoredWithin(attribute: string): string[][];
}

/**
 * The declared value with each ignored inner path taken from live (what Terraform does with an
 * ignored path: it keeps the prior value there). A path that does not exist on both sides is left.
 */
export function overlayIgnored<T>(declared: T, live: unknown, paths: readonly string[][]): T {
  let out: unknown = structuredClone(declared);
  for (const path of paths) out = setPath(out, live, path);
  return out as T;
}

function setPath(target: unknown, source: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return structuredClone(source);
  const [head, ...rest] = path as [string, ...string[]];
  const child = (v: unknown): unknown => (Array.isArray(v) ? v[Number(head)] : v && typeof v === 'object' ? (v as Record<string, unknown>)[head] : undefined);
  const from = child(source);
  if (from === undefined || (child(target) === undefined && rest.length > 0)) return target;
  if (Array.isArray(target) && /^\d+$/.test(head) && Number(head) < target.length) {
    const copy = [...target];
    copy[Number(head)] = setPath(copy[Number(head)], from, rest);
    return copy;
  }
  if (target && typeof target === 'object' && !Array.isArray(target)) return { ...(target as Record<string, unknown>), [head]: setPath((target as Record<string, unknown>)[head], from, rest) };
  return target;
}

/** Parses `ignore_changes = [tags["Env"], ami]` (or `all`) into attribute paths; undefined entries are skipped. */
export function lifecyclePaths(block: Block): string[][] | 'all' {
  const lifecycle = block.blocks.find((b) => b.type === 'lifecycle');
  const attr = lifecycle?.attributes.find((a) => a.name === 'ignore_changes');
  if (!attr) return [];
  let expr;
  try {
    expr = parseExpression(attr.expression);
  } catch {
    return [];
  }
  if (expr.t === 'ref' && expr.root === 'all' && expr.steps.length === 0) return 'all';
  if (expr.t === 'lit' && expr.v === 'all') return 'all';
  if (expr.t !== 'tuple') return [];
  const paths: string[][] = [];
  for (const item of expr.items) {
    if (item.t === 'lit' && typeof item.v === 'string') paths.push([item.v]);
    if (item.t !== 'ref') continue;
    const path = [item.root];
    for (const step of item.steps as Step[]) {
      if ('attr' in step) path.push(step.attr);
      else if ('index' in step && step.index.t === 'lit' && step.index.v !== null) path.push(String(step.index.v));
      else break;
    }
    paths.push(path);
  }
  return paths;
}

function pathCovers(rule: string[], path: string[]): boolean {
  return rule.length <= path.length && rule.every((p, i) => p === path[i]);
}

function addressCovers(rule: string, address: string): boolean {
  return address === rule || address.startsWith(`${rule}[`);
}

function startsAt(range: Range, line: number): boolean {
  return range.start.line === line;
}

function within(inner: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

/** Ranges of everything a comment can sit on: the block, its attributes, nested blocks, recursively. */
function targets(block: Block): Range[] {
  const out: Range[] = [block.range];
  for (const a of block.attributes) out.push(a.range);
  for (const b of block.blocks) out.push(...targets(b));
  return out;
}

/** Which target a comment governs: the one it trails, or the first one after its run of comment lines. */
function governedRange(comment: IgnoreComment, all: Range[], commentLines: Set<number>): Range | undefined {
  if (!comment.ownLine) {
    // The innermost element starting on that line (an attribute rather than its enclosing block).
    const on = all.filter((r) => startsAt(r, comment.line));
    return on.sort((a, b) => b.start.character - a.start.character || a.end.line - b.end.line)[0];
  }
  let line = comment.line + 1;
  while (commentLines.has(line)) line++;
  const on = all.filter((r) => startsAt(r, line));
  return on.sort((a, b) => b.end.line - a.end.line || a.start.character - b.start.character)[0];
}

export interface SuppressorInput {
  block: Block;
  /** Instance address, e.g. `aws_instance.web[0]`. */
  address: string;
  type: string;
  comments: IgnoreComment[];
  rules: IgnoreRule[];
  now: Date;
}

export function makeSuppressor(input: SuppressorInput): Suppressor {
  const lifecycle = lifecyclePaths(input.block);
  const all = targets(input.block);
  const commentLines = new Set(input.comments.filter((c) => c.ownLine).map((c) => c.line));
  const governed = input.comments
    .filter((c) => c.line >= input.block.range.start.line - 20 && c.line <= input.block.range.end.line)
    .map((c) => ({ comment: c, range: governedRange(c, all, commentLines) }))
    .filter((g): g is { comment: IgnoreComment; range: Range } => g.range !== undefined && within(g.range, input.block.range));
  const rules = input.rules.filter((r) => (!r.type || r.type === input.type) && (!r.address || addressCovers(r.address, input.address)));

  return {
    ignoredWithin(attribute) {
      return lifecycle === 'all' ? [] : lifecycle.filter((p) => p.length > 1 && p[0] === attribute).map((p) => p.slice(1));
    },
    lookup(path, range) {
      if (lifecycle === 'all' || lifecycle.some((p) => pathCovers(p, path))) {
        return { suppressed: { source: 'lifecycle', reason: 'lifecycle ignore_changes' } };
      }
      const notes: string[] = [];
      for (const g of governed) {
        if (!within(range, g.range) && !(startsAt(range, g.range.start.line) && g.range === input.block.range)) continue;
        const c = g.comment;
        if (c.badUntil) {
          notes.push(`tidemark:ignore on line ${c.line + 1} has an invalid until '${c.badUntil}' (expected YYYY-MM-DD)`);
          continue;
        }
        if (isExpired(c.until, input.now)) {
          notes.push(`tidemark:ignore on line ${c.line + 1} expired on ${c.until}`);
          continue;
        }
        return { suppressed: { source: 'comment', reason: c.reason, until: c.until } };
      }
      for (const r of rules) {
        if (r.attribute && !pathCovers(r.attribute.split('.'), path)) continue;
        if (isExpired(r.until, input.now)) {
          notes.push(`config ignore rule${r.reason ? ` "${r.reason}"` : ''} expired on ${r.until}`);
          continue;
        }
        return { suppressed: { source: 'config', reason: r.reason, until: r.until } };
      }
      return notes.length ? { note: notes.join('; ') } : {};
    },
  };
}
