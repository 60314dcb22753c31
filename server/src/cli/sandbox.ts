// `tidemark sandbox`: runs the sandbox cloud's own bundle (dist/sandbox.js) in a child process. The product
// bundle never contains the sandbox: like AWS, it is reached only over HTTP (see DESIGN.md).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CliError, type CliIO } from './io';

/** dist/sandbox.js beside this bundle; from the transpiled sources (out/server/src/cli/), the repository's dist/. */
export function sandboxBundle(here = __dirname): string | undefined {
  const candidates = [path.join(here, 'sandbox.js'), path.resolve(here, '../../../../dist/sandbox.js')];
  return candidates.find((file) => existsSync(file));
}

export async function run(args: string[], _io: CliIO): Promise<number> {
  const bundle = sandboxBundle();
  if (!bundle) throw new CliError(`the sandbox bundle is missing (looked for ${path.join(__dirname, 'sandbox.js')}): run \`npm run build\``);
  // An IPC channel lets the sandbox notice when this process dies, even by kill -9, and stop with it.
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  const forward = (signal: NodeJS.Signals) => () => { child.kill(signal); };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', (error) => reject(new CliError(`cannot start the sandbox: ${error.message}`)));
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 2 : signal === 'SIGKILL' ? 9 : 15;
}
