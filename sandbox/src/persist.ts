// --state FILE: the world survives restarts. Writes are atomic (temp file, fsync, rename) and
// coalesced; a file that cannot be read back is a clear error, and is never overwritten.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, unlinkSync } from 'node:fs';
import type { WorldData } from './world';

export const STATE_FORMAT = 'tidemark-sandbox-state';
export const STATE_VERSION = 1;

export class StateFileError extends Error {}

interface StateFile {
  format: string;
  version: number;
  savedAt: string;
  world: WorldData;
}

const REQUIRED_TABLES = ['users', 'accessKeys', 'roles', 'policies', 'sessions', 'vpcs', 'subnets', 'securityGroups', 'securityGroupRules', 'instances', 'buckets'] as const;

/** Reads a state file; undefined when it does not exist yet. */
export function readState(file: string): WorldData | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(`${file}: cannot read state file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new StateFileError(`${file}${line ? `:${line}` : ''}: state file is corrupt (not valid JSON: ${(err as Error).message}); it was left untouched — move it away to start from the scenario again`);
  }
  const s = parsed as Partial<StateFile> | null;
  if (!s || typeof s !== 'object' || s.format !== STATE_FORMAT) throw new StateFileError(`${file}: not a Tidemark sandbox state file (missing "format": "${STATE_FORMAT}")`);
  if (s.version !== STATE_VERSION) throw new StateFileError(`${file}: state file version ${String(s.version)} is not supported (expected ${STATE_VERSION})`);
  const w = s.world as Partial<WorldData> | undefined;
  if (!w || typeof w !== 'object' || typeof w.accountId !== 'string' || !Array.isArray(w.events) || typeof w.nextEventSeq !== 'number') {
    throw new StateFileError(`${file}: state file is corrupt: "world" lacks accountId, events or nextEventSeq`);
  }
  for (const table of REQUIRED_TABLES) {
    const t = (w as Record<string, unknown>)[table];
    if (!t || typeof t !== 'object' || Array.isArray(t)) throw new StateFileError(`${file}: state file is corrupt: world.${table} must be an object`);
  }
  return w as WorldData;
}

export function writeStateNow(file: string, world: WorldData, now: Date): void {
  const body: StateFile = { format: STATE_FORMAT, version: STATE_VERSION, savedAt: now.toISOString(), world };
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(body));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* the rename error is the one worth reporting */ }
    throw err;
  }
}

/** Coalesces saves: many mutations within `delayMs` become one write. */
export class StateWriter {
  private timer: NodeJS.Timeout | undefined;
  private lastError: Error | undefined;

  constructor(private readonly file: string, private readonly world: () => WorldData, private readonly now: () => Date, private readonly delayMs = 50) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushNow();
    }, this.delayMs);
  }

  flushNow(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    try {
      writeStateNow(this.file, this.world(), this.now());
      this.lastError = undefined;
    } catch (err) {
      this.lastError = err as Error;
      process.stderr.write(`tidemark sandbox: cannot save state to ${this.file}: ${(err as Error).message}\n`);
    }
  }

  get error(): Error | undefined {
    return this.lastError;
  }
}
