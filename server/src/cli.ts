// `tidemark` command line: dispatches to one module per command under cli/.
import { CliCommand, CliError, processIO } from './cli/io';
import type { StartEditor } from './lsp/handlers/capabilities';

/** Commands load lazily so `tidemark index` never pays for the AWS SDK or the ledger. */
const commands: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  check: { summary: 'compare Terraform configuration with the live cloud (exit 0 clean, 2 drift, 1 error)', load: async () => (await import('./cli/check')).run },
  watch: { summary: 'follow CloudTrail and alert on drift and guardrail violations (webhook, JSON lines); Ctrl-C stops', load: async () => (await import('./cli/watch')).run },
  events: { summary: 'events init: write the Terraform module (EventBridge rule → SQS queue) for watch --queue; events status: the team broker\'s routing and ignored events', load: async () => (await import('./cli/events')).run },
  serve: { summary: 'run the language server (--stdio or --node-ipc); what the editor starts', load: async () => serve },
  sandbox: { summary: 'run the AWS-compatible sandbox cloud on loopback (--scenario FILE)', load: async () => (await import('./cli/sandbox')).run },
  types: { summary: 'list the supported resource types: read family, compared attributes, revert (--json)', load: async () => (await import('./cli/types')).run },
  index: { summary: 'print the Terraform blocks found in a directory', load: async () => (await import('./cli/index-command')).run },
  broker: { summary: 'run the access broker (team: --database postgres://…; else this workspace\'s embedded one)', load: async () => (await import('./cli/access-broker')).run },
  request: { summary: 'request temporary access to a role', load: async () => (await import('./cli/access-request')).run },
  approve: { summary: 'approve someone else\'s access request', load: async () => (await import('./cli/access-decide')).approve },
  deny: { summary: 'deny someone else\'s access request', load: async () => (await import('./cli/access-decide')).deny },
  revoke: { summary: 'end a grant now; its credentials stop working at once', load: async () => (await import('./cli/access-decide')).revoke },
  release: { summary: 'end your own grant early', load: async () => (await import('./cli/access-decide')).release },
  review: { summary: 'post-review someone else\'s break-glass grant', load: async () => (await import('./cli/access-decide')).review },
  grants: { summary: 'list access grants', load: async () => (await import('./cli/access-grants')).run },
  shell: { summary: 'open your shell with a grant\'s credentials, recording each command', load: async () => (await import('./cli/access-shell')).run },
  exec: { summary: 'run one command with a grant\'s credentials and record it', load: async () => (await import('./cli/access-exec')).run },
  log: { summary: 'show a grant\'s timeline: decisions, commands, API calls', load: async () => (await import('./cli/access-log')).run },
  audit: { summary: 'verify or export the audit hash chain', load: async () => (await import('./cli/access-audit')).run },
  policy: { summary: 'test the access policy against .tidemark/policy-tests.yaml', load: async () => (await import('./cli/access-policy')).run },
};

/**
 * The language server's engine lives in this same bundle, so the extension ships it once: dist/server.js
 * answers `initialize` with the LSP library alone and then calls this (the `serve` command does the same).
 */
export function startEditor(...args: Parameters<StartEditor>): void {
  (require('./lsp/handlers') as typeof import('./lsp/handlers')).startEditor(...args);
}

async function serve(): Promise<number> {
  (await import('./server')).listen(() => startEditor);
  return new Promise<number>(() => undefined); // the LSP connection owns the process from here
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['usage: tidemark <command> [options]', '', 'commands:', ...lines, '', 'Run `tidemark <command> --help` for options.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  // Tidemark supports Node 20; the SDK's notice about its own future Node 22 requirement is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
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
    io.err(`tidemark ${name}: ${failureLine(error)}`);
    if (process.env.TIDEMARK_DEBUG && error instanceof Error) io.err(error.stack ?? '');
    return 1;
  }
}

/**
 * Process-level guard for one-shot commands: whatever goes wrong, the exit code is not 0 and stderr
 * says why. Without it, a promise that never settles (a WASM runtime that died mid-call) lets Node
 * drain its event loop and exit 0 with nothing printed, and a CI gate passes on no report at all.
 */
function guardProcess(name: string | undefined, isFinished: () => boolean): void {
  const prefix = `tidemark${name ? ` ${name}` : ''}`;
  const fail = (message: string, error?: unknown) => {
    process.stderr.write(`${prefix}: ${message}\n`);
    if (process.env.TIDEMARK_DEBUG && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = 1;
  };
  process.on('beforeExit', () => {
    if (isFinished() || process.exitCode) return;
    fail('internal error: stopped before finishing (a task never completed), so no complete report was produced');
  });
  process.on('uncaughtException', (error) => {
    fail(failureLine(error), error);
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    fail(failureLine(reason), reason);
    process.exit(1);
  });
}

/**
 * A bad file the user wrote (config.yaml, policy, revert or watch settings) is their error to fix,
 * whichever task of the command read it first: its message names the file and line. Anything else
 * is ours, and says so.
 */
function failureLine(error: unknown): string {
  if (error instanceof Error && /ConfigError|PolicyError|PolicyTestFileError/.test(error.constructor.name)) return error.message;
  return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  let finished = false;
  // The language server owns its process (the LSP connection decides when it ends).
  if (argv[0] !== 'serve') guardProcess(argv[0], () => finished);
  main(argv).then(
    (code) => { finished = true; process.exitCode = code; },
    (error) => { finished = true; process.stderr.write(`tidemark: ${String(error)}\n`); process.exitCode = 1; },
  );
}
