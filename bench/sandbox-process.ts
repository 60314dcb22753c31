// The sandbox cloud in a process of its own (`dist/sandbox.js`, what `tidemark sandbox` runs), for
// benchmarks that time a `tidemark check` in the benchmark's process: with the sandbox in that same
// process, the check's wall time also paid for serving every call, and each of its garbage
// collections walked the sandbox's whole world.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Scenario } from '../sandbox/src/index';
import { reap } from '../test/support/child-reaper';
import { repoRoot } from '../test/support/lsp-client';
import { waitFor } from '../test/support/wait';

export interface SandboxProcess {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts dist/sandbox.js on a free port with `scenario`; resolves once it prints its endpoint. */
export async function startSandboxProcess(scenario: Scenario, timeoutMs = 120_000): Promise<SandboxProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-bench-sandbox-'));
  const file = path.join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  const child = reap(spawn(process.execPath, [path.join(repoRoot, 'dist', 'sandbox.js'), '--scenario', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let stdout = '';
  const collect = (d: Buffer): void => { stdout += d.toString(); };
  child.stdout!.on('data', collect);
  const listening = () => /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
  try {
    await waitFor('dist/sandbox.js to print its endpoint', () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`dist/sandbox.js exited (${child.exitCode ?? child.signalCode}) before listening: ${stderr.trim()}`);
      return listening() !== undefined;
    }, { timeoutMs });
    child.stdout!.off('data', collect);
    child.stdout!.resume(); // keep draining what it prints later
    return { endpoint: listening()!, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
