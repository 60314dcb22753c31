// A language server session pointed at a sandbox as one user, and its teardown (session, sandbox
// and workspace go whatever the test's outcome): what the LSP tests against the sandbox share.
import { rmSync } from 'node:fs';
import { sandboxEnv, type SandboxEndpoint, type SandboxKey } from './check-cli';
import { type LspSession, type LspSessionOptions, startLspSession } from './lsp-client';

/** Starts the server on `rootDir` signed as `key`'s user (no profile, no session token), refreshing only on demand. */
export function startSandboxLsp(sandbox: SandboxEndpoint, key: SandboxKey, rootDir: string, options: Omit<LspSessionOptions, 'rootDir' | 'env'> = {}): Promise<LspSession> {
  return startLspSession({
    rootDir,
    env: { ...sandboxEnv(sandbox, key), AWS_PROFILE: '', AWS_SESSION_TOKEN: '' },
    initializationOptions: { refreshInterval: 0 },
    ...options,
  });
}

export async function stopSandboxLsp(session: LspSession | undefined, sandbox: { stop(): Promise<void> } | undefined, dir: string | undefined): Promise<void> {
  await session?.shutdown().catch(() => undefined);
  session?.process.kill();
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
