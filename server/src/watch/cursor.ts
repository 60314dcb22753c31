// Where the follower left off, per workspace, in `.tidemark/watch-state.json`: the newest event
// time processed and the ids of events inside the late-delivery overlap (so an event re-listed by
// the overlap is not reported twice). Times and ids only: nothing secret is ever written here.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ChangeEvent, Drift } from '../model';

export interface WatchCursor {
  version: 1;
  /** Newest CloudTrail event time processed (ISO). */
  since: string;
  /** Event id → event time, for events within the overlap before `since`. */
  seen: Record<string, string>;
  /** Last full sweep (ISO). */
  lastSweep?: string;
  /** Event id → event time of events taken from an SQS queue (`watch --queue`): a redelivery is skipped. */
  queueSeen?: Record<string, string>;
  /**
   * Write events whose resources were not re-read yet (the poll's call budget ran out). Kept here,
   * not only in memory, because their queue messages are deleted once this file is written: a
   * restart still attributes the change to them.
   */
  pending?: ChangeEvent[];
  /**
   * The drifts already reported (a team broker's shared cursor only): the process that takes the
   * watch over compares its first reading with these instead of announcing every drift again.
   */
  drifts?: Drift[];
}

/** Where a cursor lives: `.tidemark/watch-state.json`, or the team ledger. */
export interface CursorStore {
  load(): Promise<WatchCursor | undefined>;
  save(cursor: WatchCursor): Promise<void>;
}

export function fileCursorStore(file: string): CursorStore {
  return { load: () => loadCursor(file), save: (cursor) => saveCursor(file, cursor) };
}

export class WatchStateError extends Error {}

export function cursorFile(root: string): string {
  return path.join(root, '.tidemark', 'watch-state.json');
}

export function freshCursor(now: Date): WatchCursor {
  return { version: 1, since: now.toISOString(), seen: {} };
}

/** Validates a parsed cursor; a broken file is an error naming the file and field, never silently reset. */
export function parseCursor(file: string, text: string): WatchCursor {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (error) {
    throw new WatchStateError(`${file}: not valid JSON (${(error as Error).message}); delete it to start following from now`);
  }
  const o = v as Partial<WatchCursor>;
  const bad = (field: string, why: string) => new WatchStateError(`${file}: ${field}: ${why}; delete the file to start following from now`);
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw bad('(root)', 'expected an object');
  if (o.version !== 1) throw bad('version', `unsupported version ${JSON.stringify(o.version)} (expected 1)`);
  if (typeof o.since !== 'string' || Number.isNaN(Date.parse(o.since))) throw bad('since', 'expected an ISO time');
  if (!o.seen || typeof o.seen !== 'object' || Array.isArray(o.seen) || Object.values(o.seen).some((t) => typeof t !== 'string')) throw bad('seen', 'expected an object of event id → ISO time');
  if (o.lastSweep !== undefined && (typeof o.lastSweep !== 'string' || Number.isNaN(Date.parse(o.lastSweep)))) throw bad('lastSweep', 'expected an ISO time');
  if (o.queueSeen !== undefined && (!o.queueSeen || typeof o.queueSeen !== 'object' || Array.isArray(o.queueSeen) || Object.values(o.queueSeen).some((t) => typeof t !== 'string'))) throw bad('queueSeen', 'expected an object of event id → ISO time');
  if (o.drifts !== undefined && (!Array.isArray(o.drifts) || !o.drifts.every((d) => !!d && typeof d === 'object' && typeof (d as Drift).address === 'string' && Array.isArray((d as Drift).attributePath)))) {
    throw bad('drifts', 'expected a list of drifts (address, attributePath, …)');
  }
  if (o.pending !== undefined && (!Array.isArray(o.pending) || !o.pending.every(isChangeEvent))) throw bad('pending', 'expected a list of change events (eventId, at, eventSource, eventName, resources)');
  return {
    version: 1, since: o.since, seen: { ...o.seen }, ...(o.lastSweep ? { lastSweep: o.lastSweep } : {}), ...(o.queueSeen ? { queueSeen: { ...o.queueSeen } } : {}),
    ...(o.pending?.length ? { pending: o.pending } : {}),
    ...(o.drifts ? { drifts: o.drifts } : {}),
  };
}

function isChangeEvent(v: unknown): v is ChangeEvent {
  const e = v as Partial<ChangeEvent> | null;
  return !!e && typeof e === 'object' && typeof e.eventId === 'string' && typeof e.at === 'string' && !Number.isNaN(Date.parse(e.at))
    && typeof e.eventSource === 'string' && typeof e.eventName === 'string' && Array.isArray(e.resources) && e.resources.every((r) => typeof r === 'string');
}

export async function loadCursor(file: string): Promise<WatchCursor | undefined> {
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new WatchStateError(`${file}: cannot read (${error.code ?? error.message})`);
  });
  return text === undefined ? undefined : parseCursor(file, text);
}

/** Atomic: a crash mid-write leaves the previous cursor, never half a file. */
export async function saveCursor(file: string, cursor: WatchCursor): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(cursor, null, 2) + '\n');
  await fs.rename(tmp, file);
}

/**
 * Pure: the cursor after processing `events` (any order). Keeps only ids inside the overlap, so the
 * file stays small however long the follower runs.
 */
export function advanceCursor(cursor: WatchCursor, events: ReadonlyArray<{ eventId: string; at: string }>, overlapMs: number): WatchCursor {
  let since = Date.parse(cursor.since);
  for (const e of events) since = Math.max(since, Date.parse(e.at));
  const seen: Record<string, string> = {};
  const floor = since - overlapMs;
  for (const [id, at] of Object.entries(cursor.seen)) if (Date.parse(at) >= floor) seen[id] = at;
  for (const e of events) if (Date.parse(e.at) >= floor) seen[e.eventId] = e.at;
  return { ...cursor, since: new Date(since).toISOString(), seen };
}

/** How long a queue event's id is remembered: SQS redelivers within the visibility timeout (≤ 12 h). */
export const QUEUE_MEMORY_MS = 24 * 3600_000;

/**
 * Pure: the cursor with the queue events just processed remembered by id, forgetting ids older than
 * `keepMs` before the newest event, so the file stays small however long the queue runs.
 */
export function rememberQueueEvents(cursor: WatchCursor, events: ReadonlyArray<{ eventId: string; at: string }>, keepMs = QUEUE_MEMORY_MS): WatchCursor {
  const all = { ...(cursor.queueSeen ?? {}) };
  for (const e of events) all[e.eventId] = e.at;
  const newest = Math.max(...Object.values(all).map((t) => Date.parse(t)));
  const queueSeen: Record<string, string> = {};
  for (const [id, at] of Object.entries(all)) if (Date.parse(at) >= newest - keepMs) queueSeen[id] = at;
  return { ...cursor, queueSeen };
}
