// `tidemark` command line: dispatches to one module per command under cli/.
import { CliCommand, CliError, processIO } from './cli/io';

/** Commands load lazily so `tidemark index` never pays for the AWS SDK or the ledger. */
const commands: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  index: { summary: 'print the Terraform blocks found in a directory', load: async () => (await import('./cli/index-command')).run },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['usage: tidemark <command> [options]', '', 'commands:', ...lines, '', 'Run `tidemark <command> --help` for options.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const io = processIO();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    io.err(`tidemark: unknown command '${name}'\n\n${usage()}`);
    return 1;
  }
  try {
    return await (await command.load())(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`tidemark ${name}: ${error.message}`);
      return error.exitCode;
    }
    // An unexpected failure is still reported as one line; the stack only with TIDEMARK_DEBUG=1.
    const message = error instanceof Error ? error.message : String(error);
    io.err(`tidemark ${name}: internal error: ${message}`);
    if (process.env.TIDEMARK_DEBUG && error instanceof Error) io.err(error.stack ?? '');
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error) => { process.stderr.write(`tidemark: ${String(error)}\n`); process.exitCode = 1; },
  );
}
