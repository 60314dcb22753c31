// Walkthrough helpers: start the bundled sandbox cloud in a terminal and open a copy of the demo.
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The walkthrough sandbox's port: 4510, or TIDEMARK_SANDBOX_PORT (a test harness picks a free one). */
export const SANDBOX_PORT = sandboxPort(process.env.TIDEMARK_SANDBOX_PORT);

export function sandboxPort(setting: string | undefined): number {
  const port = Number(setting);
  return setting && Number.isInteger(port) && port > 0 && port < 65536 ? port : 4510;
}

export function registerSandboxCommands(context: vscode.ExtensionContext): vscode.Disposable[] {
  const sandbox = context.asAbsolutePath(path.join('dist', 'sandbox.js'));
  return [
    vscode.commands.registerCommand('tidemark.sandbox.start', () => {
      const existing = vscode.window.terminals.find((t) => t.name === 'Tidemark sandbox');
      if (existing) {
        existing.show();
        return;
      }
      // `node dist/sandbox.js …` with the editor's own Node runtime, so no Node install is needed.
      const terminal = vscode.window.createTerminal({
        name: 'Tidemark sandbox',
        iconPath: new vscode.ThemeIcon('cloud'),
        shellPath: process.execPath,
        shellArgs: [sandbox, '--scenario', context.asAbsolutePath(path.join('sandbox', 'scenarios', 'demo.yaml')), '--port', String(SANDBOX_PORT)],
        env: { ELECTRON_RUN_AS_NODE: '1' },
      });
      terminal.show();
    }),
    vscode.commands.registerCommand('tidemark.sandbox.openDemo', async () => {
      const target = vscode.Uri.joinPath(context.globalStorageUri, 'demo');
      try {
        await vscode.workspace.fs.stat(target);
      } catch {
        await vscode.workspace.fs.createDirectory(context.globalStorageUri);
        await vscode.workspace.fs.copy(vscode.Uri.file(context.asAbsolutePath(path.join('examples', 'demo'))), target, { overwrite: true });
        const settings = { 'tidemark.aws.endpoint': `http://127.0.0.1:${SANDBOX_PORT}`, 'tidemark.aws.region': 'us-east-1' };
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(target, '.vscode', 'settings.json'), Buffer.from(JSON.stringify(settings, null, 2) + '\n'));
      }
      await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: false });
    }),
  ];
}
