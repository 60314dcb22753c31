// tidemark exec <grant> -- cmd args…: runs one command with the grant's credentials and records it.
import { spawn } from 'node:child_process';
import { awsEndpointShim } from '../access/aws-cli-endpoint';
import { argumentError, COMMON_HELP, parseAccessArgs, requireId, withBroker } from './access-common';
import { grantEnvironment, shellQuote } from './access-session';
import { CliCommand, CliError } from './io';

const USAGE = `usage: tidemark exec <grant> [options] -- <command> [args…]
  runs the command with the grant's temporary credentials; records time, cwd, command (redacted) and exit code
${COMMON_HELP}`;

export const run: CliCommand = async (args, io) => {
  const split = args.indexOf('--');
  const parsed = parseAccessArgs(split >= 0 ? args.slice(0, split) : args, {});
  if (parsed.flags.has('help')) { io.out(USAGE); return 0; }
  const id = requireId(parsed, USAGE);
  const argv = split >= 0 ? args.slice(split + 1) : parsed.positional.slice(1);
  if (!argv.length) throw argumentError('missing command after --', USAGE);
  return withBroker(parsed, io, async (client) => {
    const grant = await client.call('grant', { id });
    const creds = await client.call('credentials', { id });
    // An aws CLI too old for AWS_ENDPOINT_URL gets a wrapper first on PATH (found there by spawn, bash -c, make…).
    const shim = await awsEndpointShim(grantEnvironment(io.env, grant, creds));
    const started = new Date().toISOString();
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), { cwd: io.cwd, env: shim.env, stdio: 'inherit' });
      child.on('error', (error) => reject(new CliError(`cannot run ${argv[0]}: ${(error as NodeJS.ErrnoException).code ?? error.message}`, 127)));
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    }).finally(() => shim.dispose()).catch(async (error: CliError) => {
      await client.call('recordCommands', { id, commands: [{ at: started, cwd: io.cwd, command: shellQuote(argv), exitCode: error.exitCode, source: 'exec' }] });
      throw error;
    });
    await client.call('recordCommands', { id, commands: [{ at: started, cwd: io.cwd, command: shellQuote(argv), exitCode, source: 'exec' }] });
    return exitCode;
  });
};
