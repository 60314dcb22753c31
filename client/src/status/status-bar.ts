// Status bar: drift counts by severity (click → Drift view); hidden when there is nothing to say.
import * as vscode from 'vscode';
import type { DriftListResult } from '../../../server/src/protocol';

export class DriftStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tidemark.drift', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Tidemark drift';
    this.item.command = 'tidemark.drift.focus';
  }

  update(data: DriftListResult): void {
    const active = data.drifts.filter((d) => !d.suppressed);
    if (active.length === 0 && !data.refreshing) {
      this.item.hide();
      return;
    }
    const count = (s: string) => active.filter((d) => d.severityLabel === s).length;
    // Only the severities that occur: "Drift $(error) 2 $(warning) 1" reads at a glance.
    const parts = (['error', 'warning', 'info', 'hint'] as const).filter((s) => count(s) > 0).map((s) => `$(${s === 'hint' ? 'eye-closed' : s}) ${count(s)}`);
    this.item.text = data.refreshing ? `$(sync~spin) Tidemark ${parts.join(' ')}` : `$(cloud) Drift ${parts.join(' ')}`;
    this.item.tooltip = `${active.length} drifted attribute(s) from the live cloud${data.readAt ? `, read ${new Date(data.readAt).toLocaleTimeString()}` : ''}`;
    this.item.backgroundColor = count('error') > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
