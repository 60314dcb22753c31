// Inline actions of the Drift view. They ask the server for its code actions at the drift's range
// and apply the matching one, so the tree and the lightbulb always do exactly the same thing.
import * as vscode from 'vscode';
import type { DriftNode } from './drift-tree';

const TITLE_PREFIX = { adopt: 'Adopt live value', revert: 'Revert live', ignore: 'Ignore', import: 'Import' } as const;
export type DriftAction = keyof typeof TITLE_PREFIX;

export async function runDriftAction(action: DriftAction, node: DriftNode | undefined): Promise<void> {
  if (node?.kind !== 'drift') return;
  const d = node.drift;
  const uri = vscode.Uri.parse(d.uri);
  const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  const chosen = actions.find((a) => a.title.startsWith(TITLE_PREFIX[action]) && a.diagnostics?.some((diag) => diag.source === 'tidemark'));
  if (!chosen) {
    void vscode.window.showWarningMessage(`Tidemark: "${TITLE_PREFIX[action]}" is not available for ${d.address}.`);
    return;
  }
  if (chosen.edit) await vscode.workspace.applyEdit(chosen.edit);
  if (chosen.command) await vscode.commands.executeCommand(chosen.command.command, ...(chosen.command.arguments ?? []));
}
