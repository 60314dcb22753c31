// Which commands a grant's session log accepts, as a pure function of (grant, input, broker time).
// The log is evidence, so it must not be writable after the fact: only while the grant is live (plus
// a short grace for the last commands still in flight when it ends), only with times inside the
// grant's window and not ahead of the broker's clock, and in bounded amounts.
import type { Grant, SessionCommand } from '../model';
import { AccessError } from './errors';

export const SESSION_LOG_LIMITS = {
  /** Commands per recordCommands call (the shell forwards every half second; the terminal one by one). */
  commandsPerCall: 100,
  commandChars: 16_384,
  cwdChars: 4_096,
  /** Client clocks drift; a command may be stamped this far outside the window or ahead of the broker. */
  clockSkewSeconds: 120,
  /** After the grant ends, commands that ran while it was live may still arrive for this long. */
  graceSeconds: 120,
} as const;

export interface CommandInput {
  at?: string;
  cwd: string;
  command: string;
  exitCode: number | null;
  source: SessionCommand['source'];
}

export type AcceptedCommand = Omit<SessionCommand, 'grantId' | 'user'>;

function refuse(message: string): never {
  throw new AccessError('bad-request', message);
}

/** The grant may take commands now, or a refusal naming why. */
function checkLive(grant: Grant, now: Date): void {
  if (!grant.activatedAt) throw new AccessError('conflict', `grant ${grant.id} was never active; it has no session to record`);
  if (grant.state === 'active') return;
  const ended = grant.endedAt ? Date.parse(grant.endedAt) : NaN;
  if (Number.isFinite(ended) && now.getTime() - ended <= SESSION_LOG_LIMITS.graceSeconds * 1000) return;
  throw new AccessError('conflict', `grant ${grant.id} is ${grant.state} since ${grant.endedAt ?? 'an unknown time'}; its session log is closed`);
}

/** Validates one call's commands; returns them normalised (unredacted: the caller redacts). */
export function acceptCommands(grant: Grant, input: unknown, now: Date): AcceptedCommand[] {
  checkLive(grant, now);
  if (!Array.isArray(input)) refuse(`'commands' must be a list`);
  if (input.length > SESSION_LOG_LIMITS.commandsPerCall) refuse(`'commands' has ${input.length} entries; at most ${SESSION_LOG_LIMITS.commandsPerCall} per call`);
  const skew = SESSION_LOG_LIMITS.clockSkewSeconds * 1000;
  const from = Date.parse(grant.activatedAt!) - skew;
  const end = grant.endedAt ?? grant.endsAt;
  const until = Math.min(end ? Date.parse(end) : Infinity, now.getTime()) + skew;
  return input.map((raw, i): AcceptedCommand => {
    const field = `commands[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) refuse(`${field} must be an object`);
    const c = raw as Partial<Record<keyof CommandInput, unknown>>;
    if (typeof c.command !== 'string') refuse(`${field}.command must be a string`);
    if (typeof c.cwd !== 'string') refuse(`${field}.cwd must be a string`);
    if (c.command.length > SESSION_LOG_LIMITS.commandChars) refuse(`${field}.command is ${c.command.length} characters; at most ${SESSION_LOG_LIMITS.commandChars}`);
    if (c.cwd.length > SESSION_LOG_LIMITS.cwdChars) refuse(`${field}.cwd is ${c.cwd.length} characters; at most ${SESSION_LOG_LIMITS.cwdChars}`);
    let at = now.toISOString();
    if (c.at !== undefined && c.at !== null) {
      const t = typeof c.at === 'string' ? Date.parse(c.at) : NaN;
      if (!Number.isFinite(t)) refuse(`${field}.at must be an ISO 8601 time`);
      if (t < from || t > until) {
        refuse(`${field}.at ${new Date(t).toISOString()} is outside grant ${grant.id}'s session (${grant.activatedAt} to ${new Date(until - skew).toISOString()}, broker time ${now.toISOString()})`);
      }
      at = new Date(t).toISOString();
    }
    return {
      at,
      cwd: c.cwd,
      command: c.command,
      exitCode: Number.isInteger(c.exitCode) ? (c.exitCode as number) : null,
      source: c.source === 'shell' || c.source === 'terminal' ? c.source : 'exec',
    };
  });
}
