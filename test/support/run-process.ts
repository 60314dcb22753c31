// A child process run to its end, its output collected: what tests that drive a command (the CLI,
// the aws CLI) against a sandbox in their own process share (a synchronous spawn would block the
// sandbox from answering).
import { spawn } from 'node:child_process';

export interface Result { code: number | null; stdout: string; stderr: string }

/** Runs `command args…` in `cwd` with exactly `env`, `input` on its stdin; resolves when it closes. */
export function runProcess(command: string, args: string[], o: { env: NodeJS.ProcessEnv; cwd: string; input?: string }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(o.input ?? '');
  });
}
