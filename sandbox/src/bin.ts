// Entry point of dist/sandbox.js. Kept apart from main.ts so that bundling runSandboxCli into the
// product CLI (`tidemark sandbox`) never starts a second sandbox on import.
import { runSandboxCli } from './main';

runSandboxCli(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`tidemark sandbox: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
