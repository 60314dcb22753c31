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
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
    isTTY: Boolean(process.stdout.isTTY),
  };
}
