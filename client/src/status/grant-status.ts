// Status bar: the active grant and its time left (click → Access view); hidden without one.
import * as vscode from 'vscode';
import { Grant, timeLeft } from '../access/access-api';

export class GrantStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tidemark.grant', vscode.StatusBarAlignment.Left, 51);

  constructor() {
    this.item.name = 'Tidemark grant';
    this.item.command = 'tidemark.access.focus';
  }

  update(active: Grant[]): void {
    const timed = active.filter((g) => g.state === 'active').sort((a, b) => (a.endsAt ?? '').localeCompare(b.endsAt ?? ''));
    const g = timed[0];
    if (!g) {
      this.item.hide();
      return;
    }
    const left = timeLeft(g);
    this.item.text = `$(unlock) ${g.role} ${left ? left.text : ''}${timed.length > 1 ? ` +${timed.length - 1}` : ''}`;
    this.item.tooltip = `Tidemark grant ${g.id}: ${g.role}${g.breakGlass ? ' (break-glass)' : ''}, ${left ? `${left.text} left` : g.state}`;
    this.item.backgroundColor = left && left.ms < 5 * 60_000 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
