// The Access view: a request action, my pending requests, requests waiting for my approval, active
// grants with a live countdown (commands, changes, terminal, release/revoke) and ended grants.
// Rendering only: every action is an LSP request to the server, which asks the broker.
import * as vscode from 'vscode';
import type { DriftView } from '../../../server/src/protocol';
import { ACTIVE_STATES, AccessApi, ENDED_STATES, Grant, Me, Timeline, errorText, formatDuration, timeLeft } from './access-api';

export type AccessNode =
  | { kind: 'action'; id: string; label: string; command: string; icon: string }
  | { kind: 'section'; id: 'mine' | 'approve' | 'active' | 'ended'; label: string; grants: Grant[] }
  | { kind: 'grant'; section: 'mine' | 'approve' | 'active' | 'ended'; grant: Grant }
  | { kind: 'folder'; id: string; label: string; grant: Grant; what: 'commands' | 'changes' | 'scope' }
  | { kind: 'leaf'; id: string; label: string; description?: string; tooltip?: string; icon: string; contextValue?: string; grant?: Grant; command?: vscode.Command }
  | { kind: 'message'; label: string; icon?: string; description?: string; tooltip?: string; command?: vscode.Command };

const SECTION_ICON: Record<'mine' | 'approve' | 'active' | 'ended', string> = { mine: 'git-pull-request', approve: 'checklist', active: 'unlock', ended: 'history' };

const STATE_ICON: Record<string, vscode.ThemeIcon> = {
  pending: new vscode.ThemeIcon('clock', new vscode.ThemeColor('charts.yellow')),
  approved: new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green')),
  active: new vscode.ThemeIcon('unlock', new vscode.ThemeColor('charts.green')),
  denied: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('charts.red')),
  expired: new vscode.ThemeIcon('lock'),
  revoked: new vscode.ThemeIcon('lock', new vscode.ThemeColor('charts.red')),
  'ended-early': new vscode.ThemeIcon('lock'),
};

const CHANGE_ICON: Record<string, string> = { drifted: 'warning', adopted: 'check', reverted: 'history', ignored: 'eye-closed', 'revert-failed': 'error', kept: 'pass' };

function brief(v: unknown): string {
  if (v === undefined) return '?';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

export class AccessTreeProvider implements vscode.TreeDataProvider<AccessNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AccessNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  me: Me | undefined;
  grants: Grant[] = [];
  drifts: DriftView[] = [];
  error: string | undefined;
  /** Until the first answer from the broker: a spinner instead of empty sections. */
  loading = true;
  private readonly logs = new Map<string, Timeline>();
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor(private readonly api: () => AccessApi | undefined) {
    // The countdown: descriptions of active grants are recomputed every second.
    this.ticker = setInterval(() => {
      if (this.active().length) this.changed.fire(undefined);
    }, 1000);
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.changed.dispose();
  }

  mine(g: Grant): boolean {
    return !!this.me && (g.requester === this.me.arn || g.requesterName === this.me.name);
  }

  active(): Grant[] {
    return this.grants.filter((g) => ACTIVE_STATES.has(g.state));
  }

  async reload(): Promise<void> {
    const api = this.api();
    if (!api) return;
    try {
      this.me ??= await api.call('whoami', {});
      const all = await api.call('grants', { all: true }).catch(() => api.call('grants', { mine: true }));
      this.grants = all.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
      this.error = undefined;
    } catch (error) {
      this.error = errorText(error);
    }
    this.loading = false;
    this.logs.clear();
    this.changed.fire(undefined);
  }

  /** A grant event from the broker: replace the stored copy unless it is stale. */
  upsert(grant: Grant): void {
    const i = this.grants.findIndex((g) => g.id === grant.id);
    if (i >= 0 && this.grants[i].version > grant.version) return;
    if (i >= 0) this.grants[i] = grant;
    else this.grants.unshift(grant);
    this.logs.delete(grant.id);
    this.changed.fire(undefined);
  }

  setDrifts(drifts: DriftView[]): void {
    this.drifts = drifts;
    this.changed.fire(undefined);
  }

  getTreeItem(node: AccessNode): vscode.TreeItem {
    switch (node.kind) {
      case 'action': {
        const item = new vscode.TreeItem(node.label);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = { command: node.command, title: node.label };
        item.contextValue = 'access.action';
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(node.label, node.grants.length && node.id !== 'ended' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `section:${node.id}`;
        item.description = String(node.grants.length);
        item.iconPath = new vscode.ThemeIcon(SECTION_ICON[node.id]);
        item.contextValue = `access.section.${node.id}`;
        return item;
      }
      case 'grant':
        return this.grantItem(node.section, node.grant);
      case 'folder': {
        // An approver must see the scope before approving: it starts expanded.
        const item = new vscode.TreeItem(node.label, node.what === 'scope' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.what === 'commands' ? 'terminal' : node.what === 'scope' ? 'target' : 'diff');
        if (node.what === 'scope') item.description = scopeSummary(node.grant);
        return item;
      }
      case 'leaf': {
        const item = new vscode.TreeItem(node.label);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.contextValue = node.contextValue;
        item.command = node.command;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label);
        item.description = node.description;
        item.tooltip = node.tooltip;
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon, node.icon === 'error' ? new vscode.ThemeColor('problemsErrorIcon.foreground') : undefined);
        item.command = node.command;
        return item;
      }
    }
  }

  private grantItem(section: 'mine' | 'approve' | 'active' | 'ended', g: Grant): vscode.TreeItem {
    const mine = this.mine(g);
    const label = section === 'approve' || !mine ? `${g.role} · ${g.requesterName}` : `${g.role} · ${g.id}`;
    const collapsible = section === 'active' || section === 'ended' ? vscode.TreeItemCollapsibleState.Collapsed
      : g.scope?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(label, collapsible);
    item.id = `grant:${section}:${g.id}`;
    item.iconPath = g.breakGlass ? new vscode.ThemeIcon('flame', new vscode.ThemeColor('charts.red')) : STATE_ICON[g.state];
    const glass = g.breakGlass ? (g.review ? ' · break-glass, reviewed' : ' · break-glass, review pending') : '';
    if (section === 'active') {
      const left = timeLeft(g);
      item.description = `${left ? `${left.text} left` : g.state}${glass}`;
    } else if (section === 'ended') {
      item.description = `${g.state}${g.endReason ? ` · ${g.endReason}` : ''}${glass}`;
    } else {
      const approvals = g.decisions.filter((d) => d.decision === 'approve').length;
      item.description = `${formatDuration(g.durationSeconds)} · ${section === 'mine' ? `waiting for an approver${approvals ? ` (${approvals} so far)` : ''}` : g.reason}${glass}`;
    }
    const lines = [
      `**${g.role}** for ${g.requesterName} (${g.id})`,
      `State: ${g.state}${g.breakGlass ? ' — break-glass' : ''}`,
      `Duration: ${formatDuration(g.durationSeconds)}`,
      `Reason: ${g.reason}`,
      g.ticket ? `Ticket: ${g.ticket}` : '',
      g.scope?.length ? `Scope: ${scopeSummary(g)}` : 'Scope: none — the whole role',
      g.endsAt ? `Ends: ${new Date(g.endsAt).toLocaleString()}` : '',
      g.pendingExpiresAt && g.state === 'pending' ? `Request times out: ${new Date(g.pendingExpiresAt).toLocaleString()}` : '',
      section === 'mine' ? 'Approvers: anyone the policy allows to approve this role (not you)' : '',
      g.endReason ? `Ended: ${g.endReason}` : '',
      g.review ? `Post-review: done` : g.breakGlass ? 'Post-review: required' : '',
    ].filter(Boolean);
    item.tooltip = new vscode.MarkdownString(lines.join('  \n'));
    const ctx = ['grant', section, mine ? 'mine' : 'other'];
    if (g.breakGlass && !g.review && !mine) ctx.push('reviewable');
    item.contextValue = ctx.join('.');
    return item;
  }

  async getChildren(node?: AccessNode): Promise<AccessNode[]> {
    if (!node) {
      const root: AccessNode[] = [{ kind: 'action', id: 'action:request', label: 'Request access…', command: 'tidemark.access.request', icon: 'add' }];
      // The reason can be long: a short label, the reason beside it and whole in the tooltip, a click retries.
      if (this.error) root.push({ kind: 'message', label: 'Broker unavailable', description: this.error, tooltip: this.error, icon: 'error', command: { command: 'tidemark.access.refresh', title: 'Retry' } });
      if (this.loading && !this.error) {
        root.push({ kind: 'message', label: 'Reading grants…', icon: 'loading~spin' });
        return root;
      }
      // Nothing yet: one line instead of four empty sections, so the view stays small.
      if (this.grants.length === 0) {
        if (!this.error) root.push({ kind: 'message', label: 'No grants yet', description: 'requests and grants appear here', icon: 'pass' });
        return root;
      }
      const mine = this.grants.filter((g) => g.state === 'pending' && this.mine(g));
      const approve = this.grants.filter((g) => g.state === 'pending' && !this.mine(g));
      const active = this.active();
      const ended = this.grants.filter((g) => ENDED_STATES.has(g.state));
      root.push(
        { kind: 'section', id: 'mine', label: 'My requests', grants: mine },
        { kind: 'section', id: 'approve', label: 'Waiting for my approval', grants: approve },
        { kind: 'section', id: 'active', label: 'Active grants', grants: active },
        { kind: 'section', id: 'ended', label: 'Ended grants', grants: ended },
      );
      return root;
    }
    if (node.kind === 'section') {
      if (!node.grants.length) return [{ kind: 'message', label: node.id === 'approve' ? 'Nothing to approve' : 'None', icon: 'circle-small' }];
      return node.grants.map((grant) => ({ kind: 'grant', section: node.id, grant }));
    }
    if (node.kind === 'grant') {
      const g = node.grant;
      const scope: AccessNode[] = g.scope?.length ? [{ kind: 'folder', id: `scope:${node.section}:${g.id}`, label: 'Scope', grant: g, what: 'scope' }] : [];
      if (node.section === 'mine' || node.section === 'approve') return scope;
      const children: AccessNode[] = [
        ...scope,
        { kind: 'folder', id: `commands:${node.section}:${g.id}`, label: 'Commands run', grant: g, what: 'commands' },
        { kind: 'folder', id: `changes:${node.section}:${g.id}`, label: 'Changes made', grant: g, what: 'changes' },
      ];
      if (node.section === 'active') {
        if (this.mine(g)) {
          children.push({ kind: 'leaf', id: `terminal:${g.id}`, label: 'Open terminal', icon: 'terminal', grant: g, contextValue: 'grant.terminal', command: { command: 'tidemark.access.openTerminal', title: 'Open terminal', arguments: [g] } });
          children.push({ kind: 'leaf', id: `release:${g.id}`, label: 'Release', icon: 'debug-stop', grant: g, command: { command: 'tidemark.access.release', title: 'Release', arguments: [g] } });
        } else {
          children.push({ kind: 'leaf', id: `revoke:${g.id}`, label: 'Revoke', icon: 'circle-slash', grant: g, command: { command: 'tidemark.access.revoke', title: 'Revoke', arguments: [g] } });
        }
      }
      if (node.section === 'ended') {
        const revert = this.drifts.filter((d) => d.grantId === g.id);
        children.push({ kind: 'leaf', id: `outcome:${g.id}`, label: revert.length ? `${revert.length} change(s) still drifted` : 'No drift left behind', icon: revert.length ? 'warning' : 'check' });
      }
      return children;
    }
    if (node.kind === 'folder') return this.folderChildren(node);
    return [];
  }

  private async timeline(id: string): Promise<Timeline | undefined> {
    if (this.logs.has(id)) return this.logs.get(id);
    const api = this.api();
    if (!api) return undefined;
    try {
      const log = await api.call('log', { id });
      this.logs.set(id, log);
      return log;
    } catch {
      return undefined;
    }
  }

  private async folderChildren(node: Extract<AccessNode, { kind: 'folder' }>): Promise<AccessNode[]> {
    if (node.what === 'scope') return scopeChildren(node.id, node.grant);
    const log = await this.timeline(node.grant.id);
    if (node.what === 'commands') {
      const commands = (log?.entries ?? []).filter((e): e is Extract<typeof e, { kind: 'command' }> => e.kind === 'command');
      if (!commands.length) return [{ kind: 'message', label: log ? 'No commands recorded' : 'Session log unavailable' }];
      return commands.map((e, i) => ({
        kind: 'leaf', id: `cmd:${node.id}:${i}`, label: e.command.command, icon: e.command.exitCode === 0 ? 'pass' : e.command.exitCode === null ? 'circle-outline' : 'error',
        description: `${new Date(e.at).toLocaleTimeString()} · exit ${e.command.exitCode ?? '?'}`, tooltip: `${e.command.cwd}\n${e.command.command}`,
      }));
    }
    // Changes: what the server found changed under this grant (before → after, command, status),
    // then API calls from the session log that touched nothing in this workspace.
    const out: AccessNode[] = [];
    const found = await this.api()?.changes(node.grant.id).catch(() => undefined);
    for (const c of found?.changes ?? []) {
      const where = `${c.address}${c.attributePath.length ? `.${c.attributePath.join('.')}` : ''}`;
      out.push({
        kind: 'leaf', id: `chg:${node.id}:${where}`, label: `${where} ${brief(c.before)} → ${brief(c.after)}`,
        description: `${c.status}${c.at ? ` · ${new Date(c.at).toLocaleTimeString()}` : ''}`,
        tooltip: [c.command ? `$ ${c.command}` : c.eventName ?? '', c.note ?? ''].filter(Boolean).join('\n'),
        icon: CHANGE_ICON[c.status] ?? 'circle-outline',
      });
    }
    for (const w of found?.warnings ?? []) out.push({ kind: 'message', label: w });
    const explained = new Set((found?.changes ?? []).map((c) => c.at));
    for (const [i, e] of (log?.entries ?? []).entries()) {
      if (e.kind !== 'api' || e.event.readOnly || explained.has(e.at)) continue;
      const denied = e.denied ? ` · ${e.denied} (${e.event.errorCode})` : e.event.errorCode ? ` · ${e.event.errorCode}` : '';
      out.push({ kind: 'leaf', id: `api:${node.id}:${i}`, label: `${e.event.eventName} ${e.event.resources.join(', ')}`, description: `${new Date(e.at).toLocaleTimeString()}${denied}`, icon: e.denied ? 'circle-slash' : 'cloud' });
    }
    for (const w of log?.warnings ?? []) out.push({ kind: 'message', label: w });
    return out.length ? out : [{ kind: 'message', label: 'No changes recorded' }];
  }
}

/** `2 resources · from the diff vs HEAD`, `1 resource · tags only`. */
function scopeSummary(g: Grant): string {
  const scope = g.scope ?? [];
  const kinds = new Set(scope.map((r) => r.origin?.kind ?? 'address'));
  const ref = scope.find((r) => r.origin?.kind === 'diff')?.origin;
  const from = kinds.size > 1 ? 'mixed sources' : kinds.has('diff') && ref?.kind === 'diff' ? `from the diff vs ${ref.ref}` : kinds.has('plan') ? 'from a plan' : 'named addresses';
  return `${scope.length} resource${scope.length === 1 ? '' : 's'} · ${from}${scope.every((r) => r.tagsOnly) ? ' · tags only' : ''}`;
}

/** Each scoped resource (address, ARN, where it came from), then the session policy's actions by service. */
function scopeChildren(id: string, g: Grant): AccessNode[] {
  const out: AccessNode[] = (g.scope ?? []).map((r) => {
    const from = r.origin?.kind === 'diff' ? `${r.origin.file}:${r.origin.startLine}${r.origin.endLine !== r.origin.startLine ? `-${r.origin.endLine}` : ''} vs ${r.origin.ref}`
      : r.origin?.kind === 'plan' ? `plan: ${r.origin.actions.join('+')}` : '';
    const note = [from, r.tagsOnly ? 'tags only' : ''].filter(Boolean).join(' · ');
    return { kind: 'leaf', id: `${id}:res:${r.address}`, label: r.address, description: [r.arn, note].filter(Boolean).join(' · '), tooltip: `${r.address}\n${r.arn}${note ? `\n${note}` : ''}`, icon: 'symbol-class' };
  });
  let statements: Array<{ Action?: string[] }> = [];
  try {
    statements = g.sessionPolicy ? (JSON.parse(g.sessionPolicy) as { Statement: typeof statements }).Statement : [];
  } catch {
    out.push({ kind: 'message', label: 'The session policy is not readable JSON', icon: 'error' });
  }
  const byService = new Map<string, Set<string>>();
  for (const action of statements.flatMap((st) => st.Action ?? [])) {
    const [service, name] = action.split(':');
    byService.set(service ?? action, (byService.get(service ?? action) ?? new Set()).add(name ?? ''));
  }
  for (const [service, names] of byService) out.push({ kind: 'leaf', id: `${id}:svc:${service}`, label: service, description: [...names].join(' '), tooltip: [...names].map((n) => `${service}:${n}`).join('\n'), icon: 'key' });
  return out;
}
