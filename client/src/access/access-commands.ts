// Commands of the Access view: request (role, duration, reason, ticket), approve / deny with a
// reason, revoke, release, post-review, request extension. Each one is a single broker operation.
import * as vscode from 'vscode';
import { AccessApi, Grant, GrantScope, ScopeForParams, errorText, formatDuration } from './access-api';
import type { AccessNode } from './access-tree';

/** Roles named in the workspace's `.tidemark/config.yaml` (the broker's policy decides the rest). */
async function configuredRoles(): Promise<Array<{ name: string; maxSession?: string; environment?: string }>> {
  const files = await vscode.workspace.findFiles('**/.tidemark/config.yaml', '**/node_modules/**', 5);
  const roles: Array<{ name: string; maxSession?: string; environment?: string }> = [];
  for (const file of files) {
    const text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
    let inRoles = false;
    for (const line of text.split(/\r?\n/)) {
      if (/^\S/.test(line)) inRoles = /^roles:\s*(#.*)?$/.test(line);
      else if (inRoles) {
        const role = /^ {2}([A-Za-z0-9_.@-]+):\s*(#.*)?$/.exec(line);
        if (role) roles.push({ name: role[1] });
        const field = /^ {4}(maxSession|environment):\s*([^#\s]+)/.exec(line);
        if (field && roles.length) roles[roles.length - 1][field[1] as 'maxSession'] = field[2];
      }
    }
  }
  return roles.filter((r, i) => roles.findIndex((x) => x.name === r.name) === i);
}

const DURATIONS = [15 * 60, 30 * 60, 3600, 2 * 3600, 4 * 3600, 8 * 3600];

function grantOf(arg: unknown): Grant | undefined {
  const node = arg as AccessNode | Grant | undefined;
  if (!node) return undefined;
  if ('kind' in node && (node.kind === 'grant' || node.kind === 'leaf' || node.kind === 'folder')) return node.grant;
  if ('id' in node && 'role' in node) return node as Grant;
  return undefined;
}

export function registerAccessCommands(api: () => AccessApi | undefined, refresh: () => Promise<void>, pickActive: () => Grant[]): vscode.Disposable[] {
  const run = async <T>(what: string, fn: (a: AccessApi) => Promise<T>): Promise<T | undefined> => {
    const a = api();
    if (!a) {
      void vscode.window.showErrorMessage('Tidemark: the language server is not running.');
      return undefined;
    }
    try {
      const result = await fn(a);
      await refresh();
      return result;
    } catch (error) {
      void vscode.window.showErrorMessage(`Tidemark: ${what} failed: ${errorText(error)}`);
      return undefined;
    }
  };

  const request = async (extending?: Grant, scope?: GrantScope[]): Promise<void> => {
    // With a scope from the editor, every step's title says what the credentials will be limited to.
    const scoped = scope?.length ? ` — scope: ${scope.length === 1 ? scope[0]!.address : `${scope.length} resources`}${scope.every((r) => r.tagsOnly) ? ' (tags only)' : ''}` : '';
    let role = extending?.role;
    if (!role) {
      const roles = await configuredRoles();
      const picked = await vscode.window.showQuickPick(
        [...roles.map((r) => ({ label: r.name, description: [r.environment, r.maxSession && `max session ${r.maxSession}`].filter(Boolean).join(' · ') })), { label: 'Other role…', description: 'type a role name' }],
        { title: `Request access (1/4): role${scoped}`, placeHolder: 'Roles from .tidemark/config.yaml; the policy decides who may have which' },
      );
      if (!picked) return;
      role = picked.label === 'Other role…' ? await vscode.window.showInputBox({ title: 'Role name' }) : picked.label;
      if (!role) return;
    }
    const duration = await vscode.window.showQuickPick(DURATIONS.map((s) => ({ label: formatDuration(s), seconds: s })), {
      title: `Request access (2/4): ${role} for how long?${scoped}`,
      placeHolder: 'Counted from activation; the policy sets the maximum',
    });
    if (!duration) return;
    const reason = await vscode.window.showInputBox({ title: `Request access (3/4): reason${scoped}`, prompt: 'Shown to approvers', validateInput: (v) => (v.trim() ? undefined : 'A reason is required') });
    if (!reason) return;
    const ticket = await vscode.window.showInputBox({ title: 'Request access (4/4): ticket (optional)', prompt: 'Change or incident ticket; leave empty for none' });
    if (ticket === undefined) return;
    const grant = await run('request', (a) => a.call('request', { role: role!, durationSeconds: duration.seconds, reason: reason.trim(), ticket: ticket.trim() || undefined, extends: extending?.id, ...(scope?.length ? { scope } : {}) }));
    if (grant) void vscode.window.showInformationMessage(`Tidemark: requested ${grant.role} for ${formatDuration(grant.durationSeconds)} (${grant.id}): ${grant.state}.`);
  };

  const decide = async (decision: 'approve' | 'deny', arg: unknown): Promise<void> => {
    const g = grantOf(arg);
    if (!g) return;
    const comment = await vscode.window.showInputBox({
      title: `${decision === 'approve' ? 'Approve' : 'Deny'} ${g.requesterName}'s ${g.role} (${formatDuration(g.durationSeconds)}): ${g.reason}`,
      prompt: decision === 'deny' ? 'Reason for denying (required)' : 'Comment (optional)',
      validateInput: (v) => (decision === 'deny' && !v.trim() ? 'Say why' : undefined),
    });
    if (comment === undefined) return;
    const done = await run(decision, (a) => a.call(decision, { id: g.id, comment: comment.trim() || undefined }));
    if (done) void vscode.window.showInformationMessage(`Tidemark: ${g.id} is ${done.state}.`);
  };

  /** Asks the server for the scope, then opens the request flow with it filled in; a bad scope is one error line. */
  const requestScoped = async (params: ScopeForParams | undefined): Promise<void> => {
    if (!params) return;
    const found = await run('scope', (a) => a.scopeFor(params));
    if (found?.scope.length) await request(undefined, found.scope);
  };
  const editorOf = (uri: unknown): vscode.TextEditor | undefined => {
    const editor = vscode.window.activeTextEditor;
    return uri instanceof vscode.Uri ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString()) ?? (editor?.document.uri.toString() === uri.toString() ? editor : undefined) : editor;
  };

  return [
    vscode.commands.registerCommand('tidemark.access.request', () => request()),
    vscode.commands.registerCommand('tidemark.access.requestForSelection', (uri?: vscode.Uri) => {
      const editor = editorOf(uri);
      return requestScoped(editor && { kind: 'blocks', uri: editor.document.uri.toString(), lines: editor.selections.map((sel) => ({ start: sel.start.line, end: sel.end.line })) });
    }),
    vscode.commands.registerCommand('tidemark.access.requestForFile', async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      // The server reads the buffer's text: open the file so unsaved edits count.
      if (target) await vscode.workspace.openTextDocument(target);
      return requestScoped(target && { kind: 'file', uri: target.toString() });
    }),
    vscode.commands.registerCommand('tidemark.access.requestForChanges', (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      return requestScoped({ kind: 'diff', ref: 'HEAD', ...(target ? { uri: target.toString() } : {}) });
    }),
    vscode.commands.registerCommand('tidemark.access.requestForDrift', (arg?: { uri: string; address: string }) =>
      requestScoped(arg && typeof arg.uri === 'string' && typeof arg.address === 'string' ? { kind: 'drift', uri: arg.uri, address: arg.address } : undefined)),
    vscode.commands.registerCommand('tidemark.access.refresh', () => refresh()),
    vscode.commands.registerCommand('tidemark.access.approve', (arg) => decide('approve', arg)),
    vscode.commands.registerCommand('tidemark.access.deny', (arg) => decide('deny', arg)),
    vscode.commands.registerCommand('tidemark.access.requestExtension', async (arg) => {
      const g = grantOf(arg) ?? (await pickGrant(pickActive(), 'Extend which grant?'));
      if (g) await request(g);
    }),
    vscode.commands.registerCommand('tidemark.access.release', async (arg) => {
      const g = grantOf(arg) ?? (await pickGrant(pickActive(), 'Release which grant?'));
      if (!g) return;
      const ok = await vscode.window.showWarningMessage(`Release ${g.role} (${g.id}) now? Its credentials stop working at once.`, { modal: true }, 'Release');
      if (ok) await run('release', (a) => a.call('release', { id: g.id }));
    }),
    // A pending request cannot be released (only an active grant can); its requester revokes it.
    vscode.commands.registerCommand('tidemark.access.withdraw', async (arg) => {
      const g = grantOf(arg);
      if (!g) return;
      const ok = await vscode.window.showWarningMessage(`Withdraw your request for ${g.role} (${g.id})?`, { modal: true }, 'Withdraw');
      if (ok) await run('withdraw', (a) => a.call('revoke', { id: g.id, reason: 'withdrawn by requester' }));
    }),
    vscode.commands.registerCommand('tidemark.access.revoke', async (arg) => {
      const g = grantOf(arg);
      if (!g) return;
      const reason = await vscode.window.showInputBox({ title: `Revoke ${g.requesterName}'s ${g.role} (${g.id})`, prompt: 'Reason', validateInput: (v) => (v.trim() ? undefined : 'Say why') });
      if (reason) await run('revoke', (a) => a.call('revoke', { id: g.id, reason }));
    }),
    vscode.commands.registerCommand('tidemark.access.review', async (arg) => {
      const g = grantOf(arg);
      if (!g) return;
      const note = await vscode.window.showInputBox({ title: `Post-review break-glass grant ${g.id} (${g.requesterName} on ${g.role})`, prompt: 'Review note' });
      if (note !== undefined) await run('review', (a) => a.call('review', { id: g.id, note: note || undefined }));
    }),
    vscode.commands.registerCommand('tidemark.access.showLog', async (arg) => {
      const g = grantOf(arg);
      if (!g) return;
      const log = await run('log', (a) => a.call('log', { id: g.id }));
      if (!log) return;
      const lines = log.entries.map((e) =>
        e.kind === 'state' ? `${e.at}  ${e.actor}: ${e.text}` : e.kind === 'command' ? `${e.at}  $ ${e.command.command}  (exit ${e.command.exitCode ?? '?'}, ${e.command.cwd})` : `${e.at}  ${e.event.eventSource} ${e.event.eventName} ${e.event.resources.join(', ')}${e.event.errorCode ? ` [${e.event.errorCode}]` : ''}`,
      );
      const doc = await vscode.workspace.openTextDocument({ content: [`Grant ${g.id}: ${g.role} for ${g.requesterName} (${g.state})`, '', ...lines, ...log.warnings.map((w) => `! ${w}`)].join('\n'), language: 'log' });
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
  ];
}

async function pickGrant(grants: Grant[], title: string): Promise<Grant | undefined> {
  if (grants.length <= 1) return grants[0];
  const picked = await vscode.window.showQuickPick(grants.map((g) => ({ label: `${g.role} · ${g.id}`, grant: g })), { title });
  return picked?.grant;
}
