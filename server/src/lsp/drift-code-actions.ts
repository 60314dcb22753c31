// Pure builders: a drift and the block it sits in → quick fixes (workspace edits and commands).
import { CodeAction, CodeActionKind, Diagnostic, TextEdit } from 'vscode-languageserver';
import type { Attribute, Block, Drift, Position } from '../model';
import { Commands } from '../protocol';
import { DriftDiagnosticData } from './drift-diagnostics';

/** Renders a value as HCL source at the given indentation (columns of the line it starts on). */
export type RenderHcl = (value: unknown, indent: number) => string;

export const REVERT_COMMAND = Commands.revertLive;
export const REFRESH_COMMAND = Commands.refresh;

function lineStart(line: number): Position {
  return { line, character: 0 };
}

function indentOf(node: { range: Block['range'] }): number {
  return node.range.start.character;
}

/** A declared value as HCL: hcl2json gives expressions as `${…}` templates, which stay expressions. */
function renderDeclared(value: unknown, indent: number, render: RenderHcl): string {
  if (typeof value === 'string') {
    const whole = /^\$\{([^]*)\}$/.exec(value);
    if (whole && !whole[1].includes('${')) return whole[1];
    return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) return renderObject(value as Record<string, unknown>, [], undefined, indent, render);
  if (Array.isArray(value)) return `[${value.map((v) => renderDeclared(v, indent, render)).join(', ')}]`;
  return render(value, indent);
}

/**
 * Renders a declared object with the entry at `path` replaced by a live value (deleted when the
 * live value is undefined). Other entries keep their expressions.
 */
function renderObject(declared: Record<string, unknown>, path: string[], live: unknown, indent: number, render: RenderHcl): string {
  const [head, ...rest] = path;
  const entries: Array<[string, string]> = [];
  const keys = new Set(Object.keys(declared));
  if (head !== undefined) keys.add(head);
  for (const key of keys) {
    let text: string | undefined;
    if (key === head) {
      if (rest.length === 0) text = live === undefined ? undefined : render(live, indent + 2);
      else {
        const inner = declared[key];
        text = renderObject(inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {}, rest, live, indent + 2, render);
      }
    } else text = renderDeclared(declared[key], indent + 2, render);
    if (text !== undefined) entries.push([/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key), text]);
  }
  if (entries.length === 0) return '{}';
  const width = Math.max(...entries.map(([k]) => k.length));
  const pad = ' '.repeat(indent + 2);
  return `{\n${entries.map(([k, v]) => `${pad}${k.padEnd(width)} = ${v}`).join('\n')}\n${' '.repeat(indent)}}`;
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
    if (rest.length === 0) return [TextEdit.replace(attr.valueRange, render(drift.live, indentOf(attr)))];
    // A key inside a map (tags.Env): only objects written as literals can be rewritten safely.
    if (!attr.value || typeof attr.value !== 'object' || Array.isArray(attr.value)) return undefined;
    return [TextEdit.replace(attr.valueRange, renderObject(attr.value as Record<string, unknown>, rest, drift.live, indentOf(attr), render))];
  }
  const nested = block.blocks.filter((b) => b.type === head && b.labels.length === 0);
  if (nested.length === 1 && rest.length > 0) return adoptLiveEdits({ ...drift, attributePath: rest }, nested[0], render);
  if (nested.length > 0 || Array.isArray(drift.live)) {
    return replaceNestedBlocks(block, head, nested, Array.isArray(drift.live) ? drift.live : [drift.live], render);
  }
  if (drift.live === undefined) return undefined;
  const indent = block.range.start.character + 2;
  const value = rest.length ? renderObject({}, rest, drift.live, indent, render) : render(drift.live, indent);
  return [insertBeforeClose(block, `${' '.repeat(indent)}${head} = ${value}\n`)];
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
  /** The URI of the file the drift's value is written in (drift.origin), when it has one. */
  originUri?: string;
}

export function driftCodeActions(inputs: DriftFixInputs): CodeAction[] {
  const { diagnostic, drift, block, uri } = inputs;
  const actions: CodeAction[] = [];
  const edit = (edits: TextEdit[] | undefined) => (edits && edits.length ? { changes: { [uri]: edits } } : undefined);
  const path = drift.attributePath.join('.');
  const origin = drift.kind === 'changed' ? drift.origin : undefined;
  // A secret's live value is never known here (drift/sensitive.ts), so it is never written into the code.
  const secret = drift.writeBack !== undefined;
  const local = block && drift.kind === 'changed' && !secret ? edit(adoptLiveEdits(drift, block, inputs.render)) : undefined;
  if (origin && inputs.originUri && !secret) {
    // Adopt where the value is written; when that source feeds others too, say so and offer this attribute alone.
    const also = origin.alsoChanges.length ? ` (also changes ${origin.alsoChanges.slice(0, 3).join(', ')}${origin.alsoChanges.length > 3 ? ` and ${origin.alsoChanges.length - 3} more` : ''})` : '';
    const atOrigin = { changes: { [inputs.originUri]: [TextEdit.replace(origin.range, inputs.render(drift.live, origin.indent))] } };
    actions.push({ title: `Adopt live value of ${path} in ${origin.where}${also}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: atOrigin, isPreferred: true });
    if (origin.alsoChanges.length && local) actions.push({ title: `Adopt live value of ${path} here only (replaces the reference)`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: local });
  } else if (local) {
    actions.push({ title: `Adopt live value of ${path}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: local, isPreferred: true });
  }
  if (inputs.canRevert && drift.kind === 'changed') {
    actions.push({
      title: `Revert live ${drift.address} ${path} to the declared value…`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: 'Revert live resource', command: REVERT_COMMAND, arguments: [inputs.data] },
    });
  }
  if (inputs.canRevert && drift.kind === 'unmanaged') {
    actions.push({
      title: `Revert: remove ${drift.liveId} live (nothing declares it)…`,
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
