// tidemark shell <grant>: the user's bash or zsh with the grant's credentials, recording every
// command through the shell's own hooks (no native PTY module). Hooks append records to a private
// file that this process forwards to the broker; credentials never touch the disk.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { awsEndpointShim } from '../access/aws-cli-endpoint';
import { createPrivateDir } from '../access/private-dir';
import { BrokerClient } from '../access/client';
import { CommandInput } from '../access/broker';
import { SESSION_LOG_LIMITS } from '../access/session-log';
import { COMMON_HELP, parseAccessArgs, requireId, withBroker } from './access-common';
import { grantEnvironment } from './access-session';
import { CliCommand, CliError } from './io';

const USAGE = `usage: tidemark shell <grant>
  starts your shell (bash or zsh, from $SHELL) with the grant's temporary credentials;
  every command is recorded with time, cwd and exit code (secrets redacted)
${COMMON_HELP}`;

const FIELD = '\x1f';
const RECORD = '\x1e';

/** Hooks print: epoch-seconds FIELD exit-code FIELD cwd FIELD command RECORD. */
const BASH_RC = `[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"
# The aws wrapper (for a CLI too old to read AWS_ENDPOINT_URL) stays first even if .bashrc rebuilt PATH.
[ -n "$TIDEMARK_AWS_WRAPPER" ] && PATH="$TIDEMARK_AWS_WRAPPER:$PATH"
set -o history
HISTCONTROL=
HISTIGNORE=
# The hooks need every command in history, including the space-prefixed ones users keep out of
# ~/.bash_history on purpose; so this shell's history is never saved (the session log has it, redacted).
unset HISTFILE
__tidemark_histnum() {
  local line
  line=$(HISTTIMEFORMAT= builtin history 1)
  line=\${line%%[!0-9 ]*}
  printf '%s' "\${line// /}"
}
__tidemark_record() {
  local code=$? line num
  num=$(__tidemark_histnum)
  line=$(HISTTIMEFORMAT= builtin history 1)
  if [ -n "$num" ] && [ "$num" != "$__tidemark_seen" ]; then
    __tidemark_seen=$num
    line=\${line#*[0-9] }
    line=\${line#"\${line%%[! ]*}"}
    printf '%s\\037%s\\037%s\\037%s\\036' "$(date +%s)" "$code" "$PWD" "$line" >> "$TIDEMARK_COMMAND_LOG"
  fi
  return $code
}
PROMPT_COMMAND="__tidemark_record\${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
PS1="(tidemark $TIDEMARK_GRANT) $PS1"
# Last: with history on, every line above entered the history too; none of them is the user's.
__tidemark_seen=$(__tidemark_histnum)
`;

const ZSH_RC = `[ -f "\${TIDEMARK_USER_ZDOTDIR:-$HOME}/.zshrc" ] && . "\${TIDEMARK_USER_ZDOTDIR:-$HOME}/.zshrc"
[[ -n "$TIDEMARK_AWS_WRAPPER" ]] && PATH="$TIDEMARK_AWS_WRAPPER:$PATH"
__tidemark_cmd=
__tidemark_preexec() { __tidemark_cmd="$1"; }
__tidemark_precmd() {
  local code=$?
  if [[ -n "$__tidemark_cmd" ]]; then
    printf '%s\\037%s\\037%s\\037%s\\036' "$(date +%s)" "$code" "$PWD" "$__tidemark_cmd" >> "$TIDEMARK_COMMAND_LOG"
    __tidemark_cmd=
  fi
  return $code
}
preexec_functions=(__tidemark_preexec $preexec_functions)
precmd_functions=(__tidemark_precmd $precmd_functions)
PS1="(tidemark $TIDEMARK_GRANT) $PS1"
`;

export function parseHookRecords(text: string): CommandInput[] {
  return text.split(RECORD).filter((r) => r.length).map((r) => {
    const [epoch, code, cwd, ...command] = r.split(FIELD);
    const seconds = Number(epoch);
    return {
      at: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined,
      exitCode: /^\d+$/.test(code ?? '') ? Number(code) : null,
      cwd: cwd ?? '',
      command: command.join(FIELD).replace(/\n$/, ''),
      source: 'shell' as const,
    };
  });
}

/** Forwards complete records appended since the last call; returns the new offset. */
async function forward(client: BrokerClient, id: string, file: string, offset: number): Promise<number> {
  if (!existsSync(file) || statSync(file).size <= offset) return offset;
  const text = readFileSync(file).subarray(offset).toString('utf8');
  const end = text.lastIndexOf(RECORD);
  if (end < 0) return offset;
  const complete = text.slice(0, end + 1);
  const commands = parseHookRecords(complete);
  // The broker takes a bounded number per call; a backlog (broker was unreachable) goes in several.
  for (let i = 0; i < commands.length; i += SESSION_LOG_LIMITS.commandsPerCall) {
    await client.call('recordCommands', { id, commands: commands.slice(i, i + SESSION_LOG_LIMITS.commandsPerCall) });
  }
  return offset + Buffer.byteLength(complete);
}

export const run: CliCommand = async (args, io) => {
  const parsed = parseAccessArgs(args, {});
  if (parsed.flags.has('help')) { io.out(USAGE); return 0; }
  const id = requireId(parsed, USAGE);
  const shell = io.env.SHELL || '/bin/bash';
  const kind = path.basename(shell);
  if (kind !== 'bash' && kind !== 'zsh') throw new CliError(`tidemark shell supports bash and zsh (SHELL is ${shell}); use tidemark exec ${id} -- <command>`);
  return withBroker(parsed, io, async (client) => {
    const grant = await client.call('grant', { id });
    const creds = await client.call('credentials', { id });
    // Commands sit here unredacted until forwarded: 0700 directory, 0600 file; a later start removes
    // the directory if this process is killed before its `finally`.
    const dir = createPrivateDir('tidemark-shell');
    const log = path.join(dir, 'commands');
    writeFileSync(log, '', { mode: 0o600 });
    const shim = await awsEndpointShim(grantEnvironment(io.env, grant, creds), dir);
    const env: NodeJS.ProcessEnv = { ...shim.env, TIDEMARK_COMMAND_LOG: log };
    let shellArgs: string[];
    if (kind === 'bash') {
      writeFileSync(path.join(dir, 'bashrc'), BASH_RC, { mode: 0o600 });
      shellArgs = ['--rcfile', path.join(dir, 'bashrc'), '-i'];
    } else {
      writeFileSync(path.join(dir, '.zshrc'), ZSH_RC, { mode: 0o600 });
      env.TIDEMARK_USER_ZDOTDIR = io.env.ZDOTDIR ?? io.env.HOME ?? '';
      env.ZDOTDIR = dir;
      shellArgs = ['-i'];
    }
    io.err(`tidemark: ${grant.role} as ${grant.requesterName} until ${grant.endsAt}; commands in this shell are recorded on ${id}`);
    let offset = 0;
    let sending = Promise.resolve();
    const pump = () => { sending = sending.then(async () => { offset = await forward(client, id, log, offset); }).catch((error) => io.err(`tidemark: could not record commands: ${(error as Error).message}`)); };
    const timer = setInterval(pump, 500);
    try {
      const exitCode = await new Promise<number>((resolve, reject) => {
        const child = spawn(shell, shellArgs, { cwd: io.cwd, env, stdio: 'inherit' });
        child.on('error', (error) => reject(new CliError(`cannot start ${shell}: ${error.message}`)));
        child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
      });
      clearInterval(timer);
      pump();
      await sending;
      return exitCode;
    } finally {
      clearInterval(timer);
      rmSync(dir, { recursive: true, force: true });
    }
  });
};
