// The Drift view: what the server reports, grouped by file or by grant. Rendering only; every
// action goes back to the server (code actions, commands).
import * as vscode from 'vscode';
import type { DriftListResult, DriftView, Severity } from '../../../server/src/protocol';

type GroupBy = 'file' | 'grant';
type Filter = Severity | 'all';

export type DriftNode =
  | { kind: 'root'; label: string; description: string; uri: string; drifts: DriftView[]; unchecked: DriftListResult['unchecked'] }
  | { kind: 'group'; label: string; description: string; drifts: DriftView[]; uri?: string }
  | { kind: 'drift'; drift: DriftView }
  | { kind: 'message'; label: string; tooltip?: string; icon: string };

const ICON: Record<Severity, vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  hint: new vscode.ThemeIcon('eye-closed'),
};

function brief(value: unknown): string {
  if (value === undefined) return '(not set)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? text.slice(0, 39) + '…' : text;
}

/** `+ tcp 22 from 0.0.0.0/0` (live only) and `- tcp 443 from 10.0.0.0/8` (code only). */
function differenceLines(d: DriftView): string[] {
  return d.difference ? [...d.difference.added.map((x) => `+ ${x}`), ...d.difference.removed.map((x) => `- ${x}`)] : [];
}

/** The change in a few words: the first rule that differs (and how many more), or declared → live. */
export function shortChange(d: DriftView): string {
  const lines = differenceLines(d);
  if (lines.length) return lines[0]! + (lines.length > 1 ? ` (+${lines.length - 1} more)` : '');
  return `${brief(d.declared)} → ${brief(d.live)}`;
}

/** `module.app["blue"].aws_instance.this[0]` → `module.app["blue"]`; '' in the root module. */
export function moduleInstanceOf(address: string): string {
  return /^((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*)/.exec(address)?.[1].replace(/\.$/, '') ?? '';
}

/** Full name of what drifted: `aws_security_group.web.ingress`, or the resource and its kind. */
export function driftLabel(d: DriftView): string {
  if (d.kind === 'unmanaged') return `${d.address} (unmanaged)`;
  if (d.kind === 'missing-live') return `${d.address} (missing live)`;
  return `${d.address}.${d.attributePath.join('.')}`;
}

/**
 * A row as it reads at the default sidebar width: the attribute first, then the change in a few
 * words, then the resource (cut first when the row is narrow; the tooltip has everything).
 */
export function driftRow(d: DriftView): { label: string; description: string } {
  if (d.kind !== 'changed') return { label: driftLabel(d), description: d.liveId ?? '' };
  return { label: d.attributePath.join('.') || d.address, description: `${shortChange(d)} · ${d.address}` };
}

function driftTooltip(d: DriftView): vscode.MarkdownString {
  const parts = [`**${driftLabel(d)}**`];
  const lines = differenceLines(d);
  if (d.difference && lines.length) {
    const all = [...d.difference.kept.map((x) => `  ${x}`), ...lines].sort((a, b) => a.slice(2).localeCompare(b.slice(2)));
    parts.push(`\`+\` live only · \`-\` only in the ${d.basis === 'state' ? 'state' : 'code'}`, '```diff\n' + all.join('\n') + '\n```');
  } else if (d.kind === 'changed') {
    parts.push(`declared: \`${brief(d.declared)}\``, `live: \`${brief(d.live)}\``);
  }
  if (d.note) parts.push(d.note);
  if (d.attribution) parts.push(d.attribution.summary);
  return new vscode.MarkdownString(parts.join('\n\n'));
}

export class DriftTreeProvider implements vscode.TreeDataProvider<DriftNode> {
  private readonly changed = new vscode.EventEmitter<DriftNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private data: DriftListResult = { drifts: [], unchecked: [], refreshing: false };
  groupBy: GroupBy = 'file';
  filter: Filter = 'all';

  update(data: DriftListResult): void {
    this.data = data;
    this.changed.fire(undefined);
  }

  get current(): DriftListResult {
    return this.data;
  }

  setGroupBy(groupBy: GroupBy): void {
    this.groupBy = groupBy;
    this.changed.fire(undefined);
  }

  setFilter(filter: Filter): void {
    this.filter = filter;
    this.changed.fire(undefined);
  }

  private visible(): DriftView[] {
    return this.data.drifts.filter((d) => this.filter === 'all' || d.severityLabel === this.filter);
  }

  getChildren(node?: DriftNode): DriftNode[] {
    if (node?.kind === 'group') return node.drifts.map((drift) => ({ kind: 'drift', drift }));
    if (node?.kind === 'root') return this.groups(node.drifts, node.unchecked);
    if (node) return [];
    const drifts = this.visible();
    const top: DriftNode[] = [];
    if (this.data.refreshing && drifts.length === 0) top.push({ kind: 'message', label: 'Reading live state…', icon: 'loading~spin' });
    // Several root modules (envs/prod, envs/staging): one node each, the usual groups inside.
    const roots = this.data.roots ?? [];
    if (roots.length > 1) {
      for (const uri of [...roots].sort()) {
        const mine = drifts.filter((d) => d.rootUri === uri);
        const unchecked = this.data.unchecked.filter((u) => u.rootUri === uri);
        const description = [`${mine.length} drift${mine.length === 1 ? '' : 's'}`, ...(unchecked.length ? [`${unchecked.length} not checked`] : [])].join(', ');
        top.push({ kind: 'root', label: vscode.workspace.asRelativePath(vscode.Uri.parse(uri)), description, uri, drifts: mine, unchecked });
      }
      const elsewhere = drifts.filter((d) => !d.rootUri || !roots.includes(d.rootUri));
      return [...top, ...this.groups(elsewhere, this.data.unchecked.filter((u) => !u.rootUri || !roots.includes(u.rootUri)))];
    }
    return [...top, ...this.groups(drifts, this.data.unchecked)];
  }

  /** Drifts grouped by file or grant, then what was not checked. */
  private groups(drifts: DriftView[], unchecked: DriftListResult['unchecked']): DriftNode[] {
    const roots: DriftNode[] = [];
    const groups = new Map<string, DriftView[]>();
    // By file, a child module's file has one group per module instance (module.app["blue"], module.app["green"]).
    const SEP = '\u0000';
    for (const d of drifts) {
      const key = this.groupBy === 'file' ? `${d.uri}${SEP}${moduleInstanceOf(d.address)}` : d.grantId ?? 'no grant';
      groups.set(key, [...(groups.get(key) ?? []), d]);
    }
    for (const [key, items] of [...groups.entries()].sort()) {
      const [uri, instance] = key.split(SEP);
      const label = this.groupBy === 'file' ? `${vscode.workspace.asRelativePath(vscode.Uri.parse(uri))}${instance ? ` · ${instance}` : ''}` : key;
      const counts = ['changed', 'missing-live', 'unmanaged']
        .map((k) => [k, items.filter((d) => d.kind === k).length] as const)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`);
      roots.push({ kind: 'group', label, description: counts.join(', '), drifts: items, uri: this.groupBy === 'file' ? uri : undefined });
    }
    for (const u of unchecked) roots.push({ kind: 'message', label: `Not checked: ${u.address}`, tooltip: u.reason, icon: 'question' });
    return roots;
  }

  getTreeItem(node: DriftNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.label);
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      return item;
    }
    if (node.kind === 'root') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = node.description;
      item.iconPath = new vscode.ThemeIcon('root-folder');
      item.resourceUri = vscode.Uri.parse(node.uri);
      item.contextValue = 'driftRoot';
      return item;
    }
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = node.description;
      item.iconPath = node.uri ? vscode.ThemeIcon.File : new vscode.ThemeIcon('key');
      if (node.uri) item.resourceUri = vscode.Uri.parse(node.uri);
      item.contextValue = 'driftGroup';
      return item;
    }
    const d = node.drift;
    const row = driftRow(d);
    const item = new vscode.TreeItem(row.label);
    item.description = row.description;
    item.iconPath = ICON[d.severityLabel];
    item.tooltip = driftTooltip(d);
    // Context values drive the inline actions declared in package.json (menus.view/item/context).
    item.contextValue = `drift.${d.kind}${d.suppressed ? '.ignored' : ''}`;
    item.command = {
      command: 'vscode.open',
      title: 'Reveal',
      arguments: [vscode.Uri.parse(d.uri), { selection: new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character) }],
    };
    return item;
  }
}
