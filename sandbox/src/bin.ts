// Entry point of dist/sandbox.js. Kept apart from main.ts so that importing runSandboxCli (tests) never
// starts a sandbox on import.
import { runSandboxCli } from './main';

// Started by `tidemark sandbox` with an IPC channel: when that parent goes away (even by kill -9), so does
// the sandbox, so no cloud is left listening behind a dead CLI.
if (process.send) {
  process.on('disconnect', () => process.exit(0));
  process.channel?.unref();
}

runSandboxCli(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`tidemark sandbox: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
