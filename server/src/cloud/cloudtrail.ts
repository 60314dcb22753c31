// CloudTrail LookupEvents in one place: the paging (one lookup attribute per call — all CloudTrail
// allows — a time range, 50 events a page), the pace AWS imposes (2 calls per second per account and
// region, shared with every other reader), and the translation of a record into a CloudEvent. The
// broker (access/), attribution and watch all read CloudTrail through this module.
import { CloudTrailClient, LookupEventsCommand, type Event as TrailRecord, type LookupAttributeKey, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { createHash } from 'node:crypto';
import { backoffDelay, BackoffPolicy } from '../backoff';
import { describeError } from './errors';

/** One CloudTrail event, as the broker, attribution and watch read it; `accessKeyId` is for matching only, never stored. */
export interface CloudEvent {
  eventId: string;
  at: string;
  eventSource: string;
  eventName: string;
  principalArn?: string;
  sourceIdentity?: string;
  accessKeyId?: string;
  readOnly?: boolean;
  errorCode?: string;
  resources: string[];
  /** Top-level names of requestParameters: which attribute a many-attribute call (ModifyInstanceAttribute) set. */
  parameterNames?: string[];
  /** CloudTrail's userAgent (which client, and for the aws CLI v2 which command, made the call). */
  userAgent?: string;
}

/**
 * A short, stable, non-reversible name for an access key id: the ledger stores it for every key a
 * grant was issued, and CloudTrail events are matched to grants by it — the key itself is never kept.
 */
export function keyFingerprint(accessKeyId: string): string {
  return createHash('sha256').update(accessKeyId).digest('hex').slice(0, 32);
}

export function toCloudEvent(record: TrailRecord): CloudEvent {
  let detail: {
    userIdentity?: { arn?: string; accessKeyId?: string; sessionContext?: { sourceIdentity?: string } };
    errorCode?: string; readOnly?: boolean; userAgent?: string; resources?: Array<{ ARN?: string }>; requestParameters?: Record<string, unknown>;
  } = {};
  try { detail = record.CloudTrailEvent ? JSON.parse(record.CloudTrailEvent) : {}; } catch { detail = {}; }
  return {
    eventId: record.EventId ?? '',
    at: (record.EventTime ? new Date(record.EventTime) : new Date(0)).toISOString(),
    eventSource: record.EventSource ?? '',
    eventName: record.EventName ?? '',
    principalArn: detail.userIdentity?.arn,
    sourceIdentity: detail.userIdentity?.sessionContext?.sourceIdentity,
    accessKeyId: record.AccessKeyId ?? detail.userIdentity?.accessKeyId,
    readOnly: record.ReadOnly !== undefined ? record.ReadOnly === 'true' : detail.readOnly,
    errorCode: detail.errorCode,
    resources: (detail.resources ?? []).map((r) => r.ARN).filter((a): a is string => Boolean(a)),
    userAgent: typeof detail.userAgent === 'string' && detail.userAgent ? detail.userAgent : undefined,
    parameterNames: detail.requestParameters && typeof detail.requestParameters === 'object' && !Array.isArray(detail.requestParameters) ? Object.keys(detail.requestParameters) : undefined,
  };
}

/** AWS's LookupEvents limit: calls per second per account and region. */
export const LOOKUPS_PER_SECOND = 2;

export interface PaceOptions {
  /** Least time between the end of one call and the start of the next (default 1000 / LOOKUPS_PER_SECOND). */
  intervalMs?: number;
  /** After throttled answers in a row, the wait before the next call (the shared schedule in backoff.ts). */
  backoff?: BackoffPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/**
 * Paces LookupEvents calls to one account and region: one at a time, each starting at least the
 * interval after the previous one ended (measured from the end, so network jitter cannot bunch two
 * calls into one second at AWS). A throttled answer means someone else shares the budget: the
 * following calls wait the shared jittered backoff, growing with each throttled answer in a row, until
 * one succeeds.
 */
export class LookupPace {
  private queue: Promise<unknown> = Promise.resolve();
  private lastEnd = Number.NEGATIVE_INFINITY;
  private throttledInARow = 0;
  /** Throttled answers seen in all (for tests and diagnostics). */
  throttled = 0;

  constructor(private readonly o: PaceOptions = {}) {}

  private get intervalMs(): number {
    return this.o.intervalMs ?? 1000 / LOOKUPS_PER_SECOND;
  }

  /** The wait between calls now: the interval, or after throttling the backoff (never shorter). */
  gapMs(): number {
    if (this.throttledInARow === 0) return this.intervalMs;
    const policy = this.o.backoff ?? { baseMs: this.intervalMs, capMs: 8_000 };
    return Math.max(this.intervalMs, backoffDelay(this.throttledInARow, policy, this.o.random));
  }

  run<T>(call: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(() => this.paced(call));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async paced<T>(call: () => Promise<T>): Promise<T> {
    const now = this.o.now ?? Date.now;
    const wait = this.lastEnd + this.gapMs() - now();
    if (wait > 0) await (this.o.sleep ?? sleep)(wait);
    try {
      const result = await call();
      this.throttledInARow = 0;
      return result;
    } catch (error) {
      if (describeError(error).kind === 'throttled') {
        this.throttled++;
        this.throttledInARow++;
      }
      throw error;
    } finally {
      this.lastEnd = now();
    }
  }
}

const paces = new Map<string, LookupPace>();

/**
 * The process's one pace for a CloudTrail endpoint and region. Keyed by endpoint and region rather
 * than account (which the credentials only reveal after a call): one process reads one account per
 * region in practice, and sharing a pace can only make calls slower, never throttled.
 */
export function paceFor(endpoint: string | undefined, region: string): LookupPace {
  const key = `${endpoint ?? 'aws'}|${region}`;
  let pace = paces.get(key);
  if (!pace) paces.set(key, (pace = new LookupPace()));
  return pace;
}

export interface LookupQuery {
  /** The one lookup attribute (CloudTrail accepts at most one); none lists every event. */
  attribute?: { key: LookupAttributeKey; value: string };
  start: Date;
  end?: Date;
}

export interface TrailReader {
  client: Pick<CloudTrailClient, 'send'>;
  pace: LookupPace;
  /**
   * Runs one paced attempt, retrying as the caller's policy says (the scan's call gate, or the
   * broker's own retry); every attempt goes through the pace, since AWS counts each one.
   */
  call: <T>(attempt: () => Promise<T>) => Promise<T>;
}

export interface LookupPage {
  records: TrailRecord[];
  /** CloudTrail has another page after this one. */
  more: boolean;
}

/**
 * The pages of one lookup, newest events first, one call per page; the caller stops when it has
 * enough (breaking out of the loop makes no further call). `beforeCall` runs before each call and
 * may throw to refuse it (a call budget).
 */
export async function* lookupPages(reader: TrailReader, query: LookupQuery, beforeCall?: () => void): AsyncGenerator<LookupPage> {
  let token: string | undefined;
  do {
    beforeCall?.();
    const command = new LookupEventsCommand({
      ...(query.attribute ? { LookupAttributes: [{ AttributeKey: query.attribute.key, AttributeValue: query.attribute.value }] } : {}),
      StartTime: query.start,
      ...(query.end ? { EndTime: query.end } : {}),
      NextToken: token,
    });
    const out: LookupEventsCommandOutput = await reader.call(() => reader.pace.run(() => reader.client.send(command)));
    token = out.NextToken;
    yield { records: out.Events ?? [], more: Boolean(token) };
  } while (token);
}

const RETRYABLE = new Set(['throttled', 'server', 'unreachable']);

/**
 * A retry policy for callers without a call gate (the broker): up to `attempts` tries of throttled,
 * server and network failures. Throttled tries wait in the pace; others wait the shared backoff.
 */
export function retrying(attempts = 6, policy: BackoffPolicy = { baseMs: 100, capMs: 5_000 }, wait: (ms: number) => Promise<void> = sleep): TrailReader['call'] {
  return async <T>(attempt: () => Promise<T>): Promise<T> => {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        const kind = describeError(error).kind;
        if (n >= attempts || !RETRYABLE.has(kind)) throw error;
        if (kind !== 'throttled') await wait(backoffDelay(n, policy));
      }
    }
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
