// `npm run test:vscode`: the extension in a desktop VS Code downloaded by @vscode/test-electron, for
// machines that can reach Microsoft's download servers (these build machines cannot: there the
// same ground is covered by `npm run test:e2e`, which runs code-server from npm).
import path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '../..');
  try {
    await runTests({
      version: process.env.TIDEMARK_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite.js'),
      // The demo project; other extensions off so only Tidemark answers for `terraform`.
      launchArgs: [path.join(root, 'examples/demo'), '--disable-extensions', '--disable-workspace-trust'],
    });
    return 0;
  } catch (error) {
    process.stderr.write(`test:vscode failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write('(this suite downloads VS Code; offline, run `npm run test:e2e` instead)\n');
    return 1;
  }
}

void main().then((code) => process.exit(code));
