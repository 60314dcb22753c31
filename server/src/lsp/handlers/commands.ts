// workspace/executeCommand: refresh live state, revert one live attribute (after the user confirms).
import { REFRESH_COMMAND, REVERT_COMMAND } from '../drift-code-actions';
import { isDriftData } from '../drift-diagnostics';
import type { EditorSession } from '../../app/editor-session';

export function register(s: EditorSession): void {
  const { connection, drift } = s;
  connection.onExecuteCommand(async ({ command, arguments: args }) => {
    if (command === REFRESH_COMMAND) {
      const addresses = Array.isArray(args?.[0]) ? (args[0] as string[]) : undefined;
      await s.refreshLive(drift.roots(), addresses);
      return;
    }
    if (command !== REVERT_COMMAND) return;
    const data = args?.[0];
    if (!isDriftData(data)) return;
    const found = drift.findDrift(data.file, data.address, data.attributePath, data.root);
    if (!found) {
      void connection.window.showWarningMessage(`Tidemark: ${data.address} has no such drift any more; refresh first.`);
      return;
    }
    const path = found.attributePath.join('.');
    const answer = await connection.window.showWarningMessage(
      `Revert live ${found.address} ${path} to the declared value ${JSON.stringify(found.declared)}? This changes the cloud resource now.`,
      { title: 'Revert' },
      { title: 'Cancel' },
    );
    if (answer?.title !== 'Revert') return;
    const outcome = await drift.revert(found);
    s.log(`revert ${found.address} ${path}: ${outcome.message}`);
    if (outcome.ok) void connection.window.showInformationMessage(`Tidemark: ${outcome.message}`);
    else void connection.window.showErrorMessage(`Tidemark: revert failed: ${outcome.message}`);
    const root = found.root ?? drift.rootOf(found.file);
    if (root) await s.publishModule(root);
  });
}
