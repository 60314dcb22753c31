// Runs the real `tidemark` CLI (dist/cli.js) in its own process, as a person would at a terminal,
// with that person's AWS keys and the sandbox endpoint in its environment.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DemoPrincipal } from './scenario-file';
import { reap } from '../test/support/child-reaper';

export const ROOT = path.resolve(__dirname, '../..');

const tty = Boolean(process.stdout.isTTY);
export const bold = (s: string) => (tty ? `\x1b[1m${s}\x1b[0m` : s);
export const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s);

export interface Terminal {
  endpoint: string;
  region: string;
  cwd: string;
}

export interface RunOptions {
  /** Text fed to stdin (the commands typed into `tidemark shell`). */
  input?: string;
  /** Print the output (default) or only return it. */
  quiet?: boolean;
  extraEnv?: NodeJS.ProcessEnv;
}

export function personEnv(t: Terminal, who: DemoPrincipal): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ENDPOINT_URL: t.endpoint,
    AWS_ACCESS_KEY_ID: who.accessKeyId,
    AWS_SECRET_ACCESS_KEY: who.secretAccessKey,
    AWS_REGION: t.region,
    AWS_DEFAULT_REGION: t.region,
    AWS_PROFILE: '',
    AWS_SESSION_TOKEN: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // A clean prompt for the recorded shell.
    PS1: '$ ',
  };
}

export interface Background {
  /** Ctrl-C, then the exit code. */
  stop(): Promise<number>;
}

/** `who$ tidemark …`: runs the CLI and resolves with its exit code and output. */
export function tidemark(t: Terminal, who: DemoPrincipal, args: string[], o: RunOptions = {}): Promise<{ code: number; out: string }> {
  const child = start(t, who, args, o);
  child.stdin.end(o.input ?? '');
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? 1, out: child.output() })));
}

/** `who$ tidemark … &`: a long-running command (watch), stopped with Ctrl-C. */
export function tidemarkInBackground(t: Terminal, who: DemoPrincipal, args: string[], o: RunOptions = {}): Background {
  const child = start(t, who, [...args], { ...o, background: true });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  return {
    stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

function start(t: Terminal, who: DemoPrincipal, args: string[], o: RunOptions & { background?: boolean }) {
  if (!o.quiet) process.stdout.write(dim(`${who.name}$ tidemark ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}${o.background ? ' &' : ''}`) + '\n');
  const child = reap(spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], {
    cwd: t.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...personEnv(t, who), ...o.extraEnv },
  }));
  let out = '';
  let lineStart = true;
  const show = (chunk: Buffer) => {
    const text = chunk.toString();
    out += text;
    if (o.quiet) return;
    // Indent every line of the child's output, also when a line arrives in several chunks.
    process.stdout.write(text.replace(/[^\n]*\n|[^\n]+$/g, (line) => {
      const shown = (lineStart && line !== '\n' ? '  ' : '') + line;
      lineStart = line.endsWith('\n');
      return shown;
    }));
  };
  child.stdout.on('data', show);
  child.stderr.on('data', show);
  return Object.assign(child, { output: () => out });
}
