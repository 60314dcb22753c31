// `.tidemark/broker.lock`: which process serves a workspace's embedded ledger, and whether it still
// does. A PID alone proves nothing after a container restart (PIDs are reused at once), so the lock
// also records the process's start time and the broker's audience, and ownership is confirmed by
// asking the broker at the recorded URL for that audience.
import { readFileSync, rmSync } from 'node:fs';
import type { BrokerInfo } from './http-server';

export interface LockFile {
  pid: number;
  /** Empty while the broker is starting. */
  url: string;
  token: string;
  /** The broker's audience: unique per start, so a different broker on a reused port is told apart. */
  audience?: string;
  /** The owner's start time as the kernel counts it (Linux), to tell a reused PID apart. */
  pidStart?: string;
}

export interface ReadLock {
  lock?: LockFile;
  /** The file's text, to remove it only if nobody replaced it meanwhile. */
  raw?: string;
}

export function readLock(file: string): ReadLock {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const value = JSON.parse(raw) as Partial<LockFile>;
    if (typeof value?.pid === 'number' && typeof value.url === 'string' && typeof value.token === 'string') return { lock: value as LockFile, raw };
  } catch {
    // a lock being written, or garbage: the caller decides by its age
  }
  return { raw };
}

/** A process's start time from /proc (clock ticks since boot); undefined where there is no /proc. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name, which is in parentheses and may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process the lock names may still be its owner (false: gone, or its PID was reused). */
export function ownerMayLive(lock: LockFile): boolean {
  if (!alive(lock.pid)) return false;
  const start = lock.pidStart === undefined ? undefined : processStart(lock.pid);
  return start === undefined || start === lock.pidStart;
}

export type BrokerAnswer = 'ours' | 'stale' | 'silent';

/**
 * Asks the recorded URL whether the lock's broker is there: 'ours' when it answers with the lock's
 * audience, 'stale' when nothing listens or something else answers, 'silent' when a connection
 * is accepted but no answer comes (a busy owner: not taken over).
 */
export async function askBroker(lock: LockFile, timeoutMs = 5_000): Promise<BrokerAnswer> {
  let res: Response;
  try {
    res = await fetch(`${lock.url.replace(/\/+$/, '')}/v1/info`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return e.name === 'TimeoutError' || e.cause?.code === 'UND_ERR_HEADERS_TIMEOUT' ? 'silent' : 'stale';
  }
  if (!res.ok) return 'stale';
  const info = (await res.json().catch(() => undefined)) as Partial<BrokerInfo> | undefined;
  if (typeof info?.audience !== 'string') return 'stale';
  return lock.audience === undefined || info.audience === lock.audience ? 'ours' : 'stale';
}

/** Removes the lock only if it still holds what was read (another process may have taken over). */
export function removeLockIf(file: string, raw: string | undefined): void {
  if (readLock(file).raw === raw) rmSync(file, { force: true });
}
