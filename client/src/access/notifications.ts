// Notifications for access events, filtered by `tidemark.notifications` (all | errors | off).
import * as vscode from 'vscode';
import type { AccessEvent, Alert } from '../../../server/src/protocol';
import { Grant, Me, formatDuration } from './access-api';

type Level = 'info' | 'warning' | 'error';

function allowed(level: Level): boolean {
  const setting = vscode.workspace.getConfiguration('tidemark').get<string>('notifications', 'all');
  if (setting === 'off') return false;
  if (setting === 'errors') return level === 'error';
  return true;
}

export function notify(level: Level, message: string, ...actions: string[]): Thenable<string | undefined> {
  if (!allowed(level)) return Promise.resolve(undefined);
  const show = level === 'error' ? vscode.window.showErrorMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  return show(`Tidemark: ${message}`, ...actions);
}

/**
 * A `tidemark/alert` from the server: critical (guardrail) and error (a change no grant explains)
 * are error notifications; `errors` in tidemark.notifications shows only those.
 */
export function showAlert(alert: Alert): void {
  const level: Level = alert.severity === 'critical' || alert.severity === 'error' ? 'error' : alert.severity === 'warning' ? 'warning' : 'info';
  const where = alert.file ? ` (${alert.file}${alert.line ? `:${alert.line}` : ''})` : '';
  void notify(level, `${alert.message}${where}`, 'Show drift').then((pick) => {
    if (pick) void vscode.commands.executeCommand('tidemark.drift.focus');
  });
}

export class AccessNotifier {
  private readonly seen = new Map<string, string>();
  private readonly warned = new Set<string>();

  constructor(private readonly me: () => Me | undefined) {}

  private mine(g: Grant): boolean {
    const me = this.me();
    return !!me && (g.requester === me.arn || g.requesterName === me.name);
  }

  /** `closedTerminal`: the grant's terminal was just closed, which the end message then says too. */
  onEvent(event: AccessEvent, closedTerminal = false): void {
    if (event.type === 'alert') {
      void notify('error', event.message, 'Show grant').then((pick) => {
        if (pick) void vscode.commands.executeCommand('tidemark.access.focus');
      });
      return;
    }
    const g = event.grant;
    const before = this.seen.get(g.id);
    this.seen.set(g.id, g.state);
    if (before === g.state) return;
    if (g.state === 'pending' && !this.mine(g)) {
      void notify('info', `${g.requesterName} asks for ${g.role} for ${formatDuration(g.durationSeconds)}: ${g.reason}`, 'Approve', 'Deny').then((pick) => {
        if (pick === 'Approve') void vscode.commands.executeCommand('tidemark.access.approve', g);
        if (pick === 'Deny') void vscode.commands.executeCommand('tidemark.access.deny', g);
      });
    } else if ((g.state === 'active' || g.state === 'approved') && this.mine(g)) {
      const by = g.decisions.filter((d) => d.decision === 'approve').map((d) => d.byName).join(', ');
      void notify('info', `${g.role} granted (${g.id})${by ? `, approved by ${by}` : ''}.`, 'Open terminal').then((pick) => {
        if (pick) void vscode.commands.executeCommand('tidemark.access.openTerminal', g);
      });
    } else if (g.state === 'denied' && this.mine(g)) {
      const d = g.decisions.find((x) => x.decision === 'deny');
      void notify('warning', `${g.role} request ${g.id} denied${d ? ` by ${d.byName}${d.comment ? `: ${d.comment}` : ''}` : ''}.`);
    } else if ((g.state === 'revoked' || g.state === 'expired' || g.state === 'ended-early') && this.mine(g) && (before || closedTerminal)) {
      void notify('info', `grant ${g.id} (${g.role}) ${g.state}${g.endReason ? `: ${g.endReason}` : ''}.${closedTerminal ? ' Its terminal was closed and its credentials dropped.' : ''}`);
    }
  }

  /** Once per grant: five minutes before it ends, offer an extension. */
  checkExpiry(grants: Grant[]): void {
    for (const g of grants) {
      if (g.state !== 'active' || !g.endsAt || !this.mine(g) || this.warned.has(g.id)) continue;
      const ms = Date.parse(g.endsAt) - Date.now();
      if (ms > 0 && ms <= 5 * 60_000) {
        this.warned.add(g.id);
        void notify('warning', `${g.role} (${g.id}) ends in ${Math.ceil(ms / 60_000)} minute(s).`, 'Request extension').then((pick) => {
          if (pick) void vscode.commands.executeCommand('tidemark.access.requestExtension', g);
        });
      }
    }
  }
}
