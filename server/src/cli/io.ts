// What every CLI command receives, so commands stay testable without touching process globals.
export interface CliIO {
  /** Working directory the command resolves relative paths against. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (colors allowed). */
  isTTY: boolean;
}

export type CliCommand = (args: string[], io: CliIO) => Promise<number>;

/** A user-facing failure: printed as one line, exit code 1, never a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export function processIO(): CliIO {
  return {
    cwd: process.cwd(),
    env: process.env,
    out: writer(process.stdout),
    err: writer(process.stderr),
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/**
 * Writes lines to a stream until its reader goes away (`tidemark log | head`): then the rest is
 * dropped quietly and the command still finishes and cleans up (an embedded broker closes its
 * ledger) instead of dying with an EPIPE stack trace.
 */
export function writer(stream: NodeJS.WritableStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text.endsWith('\n') ? text : text + '\n');
  };
}
