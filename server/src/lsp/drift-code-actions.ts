// Pure builders: a drift and the block it sits in → quick fixes (workspace edits and commands).
import { CodeAction, CodeActionKind, Diagnostic, TextEdit } from 'vscode-languageserver';
import type { Attribute, Block, Drift, Position } from '../model';
import { DriftDiagnosticData } from './drift-diagnostics';

/** Renders a value as HCL source at the given indentation (columns of the line it starts on). */
export type RenderHcl = (value: unknown, indent: number) => string;

export const REVERT_COMMAND = 'tidemark.revertLive';
export const REFRESH_COMMAND = 'tidemark.refresh';

function lineStart(line: number): Position {
  return { line, character: 0 };
}

function indentOf(node: { range: Block['range'] }): number {
  return node.range.start.character;
}

/** Sets (or, for undefined, deletes) a key path inside a plain object, returning a copy. */
function setIn(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const base = value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  const [head, ...rest] = path;
  const next = setIn(base[head], rest, replacement);
  if (next === undefined) delete base[head];
  else base[head] = next;
  return base;
}

/** Inserts lines just before the closing brace of a block. */
function insertBeforeClose(block: Block, text: string): TextEdit {
  const end = block.range.end;
  const closeAlone = end.character <= block.range.start.character + 1;
  if (closeAlone || end.line > block.headerRange.end.line) return TextEdit.insert(lineStart(end.line), text);
  // One-line block `x {}`: put the new content on its own lines.
  return TextEdit.insert({ line: end.line, character: end.character - 1 }, '\n' + text);
}

/**
 * Adopt live value: rewrite the declared value in place. Only the value text changes, so the
 * attribute name, alignment and comments around it stay as the user wrote them.
 */
export function adoptLiveEdits(drift: Drift, block: Block, render: RenderHcl): TextEdit[] | undefined {
  if (drift.kind !== 'changed' || drift.attributePath.length === 0) return undefined;
  const [head, ...rest] = drift.attributePath;
  const attr = block.attributes.find((a) => a.name === head);
  if (attr) {
    const value = rest.length === 0 ? drift.live : setIn(attr.value, rest, drift.live);
    return [TextEdit.replace(attr.valueRange, render(value, indentOf(attr)))];
  }
  const nested = block.blocks.filter((b) => b.type === head && b.labels.length === 0);
  if (nested.length === 1 && rest.length > 0) return adoptLiveEdits({ ...drift, attributePath: rest }, nested[0], render);
  if (nested.length > 0 || Array.isArray(drift.live)) {
    return replaceNestedBlocks(block, head, nested, Array.isArray(drift.live) ? drift.live : [drift.live], render);
  }
  if (drift.live === undefined) return undefined;
  const indent = block.range.start.character + 2;
  return [insertBeforeClose(block, `${' '.repeat(indent)}${head} = ${render(rest.length ? setIn({}, rest, drift.live) : drift.live, indent)}\n`)];
}

/** A set of nested blocks (e.g. inline `ingress` rules) is replaced as a whole by the live set. */
function replaceNestedBlocks(parent: Block, type: string, existing: Block[], live: unknown[], render: RenderHcl): TextEdit[] {
  const indent = existing[0] ? indentOf(existing[0]) : parent.range.start.character + 2;
  const pad = ' '.repeat(indent);
  const rendered = live.map((item) => {
    const body = item && typeof item === 'object' ? Object.entries(item as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null) : [];
    const width = Math.max(0, ...body.map(([k]) => k.length));
    const lines = body.map(([k, v]) => `${pad}  ${k.padEnd(width)} = ${render(v, indent + 2)}`);
    return `${type} {\n${lines.join('\n')}\n${pad}}`;
  });
  if (existing.length === 0) return [insertBeforeClose(parent, rendered.map((r) => `${pad}${r}\n`).join(''))];
  const edits: TextEdit[] = [TextEdit.replace(existing[0].range, rendered.join(`\n\n${pad}`))];
  for (const extra of existing.slice(1)) {
    edits.push(TextEdit.del({ start: lineStart(extra.range.start.line), end: lineStart(extra.range.end.line + 1) }));
  }
  return edits;
}

/** How `lifecycle.ignore_changes` names an attribute path: `tags["Env"]`, `instance_type`. */
export function ignoreChangesEntry(path: string[]): string {
  const [head, ...rest] = path;
  return head + rest.map((k) => `[${JSON.stringify(k)}]`).join('');
}

function ignoreListEntries(attr: Attribute): string[] | undefined {
  if (!Array.isArray(attr.value)) return undefined;
  return attr.value.map((v) => (typeof v === 'string' ? v.replace(/^\$\{(.*)\}$/s, '$1') : String(v)));
}

/** Ignore this attribute: add it to `lifecycle { ignore_changes = [...] }`, creating what is missing. */
export function ignoreAttributeEdits(drift: Drift, block: Block): TextEdit[] | undefined {
  if (drift.attributePath.length === 0) return undefined;
  const entry = ignoreChangesEntry(drift.attributePath);
  const lifecycle = block.blocks.find((b) => b.type === 'lifecycle');
  const indent = block.range.start.character + 2;
  if (!lifecycle) {
    const pad = ' '.repeat(indent);
    return [insertBeforeClose(block, `\n${pad}lifecycle {\n${pad}  ignore_changes = [${entry}]\n${pad}}\n`)];
  }
  const existing = lifecycle.attributes.find((a) => a.name === 'ignore_changes');
  if (!existing) return [insertBeforeClose(lifecycle, `${' '.repeat(indentOf(lifecycle) + 2)}ignore_changes = [${entry}]\n`)];
  const entries = ignoreListEntries(existing);
  if (!entries) return undefined; // `ignore_changes = all` already ignores everything
  if (entries.includes(entry) || entries.includes(drift.attributePath[0])) return undefined;
  return [TextEdit.replace(existing.valueRange, `[${[...entries, entry].join(', ')}]`)];
}

/** Import unmanaged resource: the HCL block plus an `import {}` block, appended to the file. */
export function importEdits(drift: Drift, generated: string, endOfFile: Position): TextEdit[] | undefined {
  if (drift.kind !== 'unmanaged' || !drift.liveId) return undefined;
  return [TextEdit.insert(endOfFile, `\n${generated.trimEnd()}\n`)];
}

export interface DriftFixInputs {
  diagnostic: Diagnostic;
  data: DriftDiagnosticData;
  drift: Drift;
  block: Block | undefined;
  uri: string;
  render: RenderHcl;
  /** HCL for importing an unmanaged object (resource block + import block), when its type supports it. */
  importHcl?: string;
  endOfFile: Position;
  /** Whether the resource type has a writer that can put the declared value back live. */
  canRevert: boolean;
}

export function driftCodeActions(inputs: DriftFixInputs): CodeAction[] {
  const { diagnostic, drift, block, uri } = inputs;
  const actions: CodeAction[] = [];
  const edit = (edits: TextEdit[] | undefined) => (edits && edits.length ? { changes: { [uri]: edits } } : undefined);
  const path = drift.attributePath.join('.');
  if (block && drift.kind === 'changed') {
    const adopt = edit(adoptLiveEdits(drift, block, inputs.render));
    if (adopt) actions.push({ title: `Adopt live value of ${path}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: adopt, isPreferred: true });
  }
  if (inputs.canRevert && drift.kind === 'changed') {
    actions.push({
      title: `Revert live ${drift.address} ${path} to the declared value…`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: 'Revert live resource', command: REVERT_COMMAND, arguments: [inputs.data] },
    });
  }
  if (block && drift.kind === 'changed' && !drift.suppressed) {
    const ignore = edit(ignoreAttributeEdits(drift, block));
    if (ignore) actions.push({ title: `Ignore ${path} (lifecycle.ignore_changes)`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: ignore });
  }
  if (drift.kind === 'unmanaged' && inputs.importHcl) {
    const imported = edit(importEdits(drift, inputs.importHcl, inputs.endOfFile));
    if (imported) actions.push({ title: `Import ${drift.liveId} into this configuration`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: imported });
  }
  return actions;
}
