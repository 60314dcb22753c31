// CloudTrail (JSON 1.1): LookupEvents over the sandbox's event history — one lookup attribute,
// a time range, newest first, at most 50 events a page, and AWS's 2-requests-per-second limit.
import { createHash } from 'node:crypto';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { json } from '../protocol/json11';
import type { TrailEvent } from '../world';

const ATTRIBUTES = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
type AttributeKey = (typeof ATTRIBUTES)[number];

function matches(e: TrailEvent, key: AttributeKey, value: string): boolean {
  switch (key) {
    case 'EventId': return e.eventId === value;
    case 'EventName': return e.eventName === value;
    case 'ReadOnly': return String(e.readOnly) === value;
    case 'Username': return e.username === value;
    case 'ResourceType': return e.resources.some((r) => r.type === value);
    case 'ResourceName': return e.resources.some((r) => r.name === value);
    case 'EventSource': return e.eventSource === value;
    case 'AccessKeyId': return e.accessKeyId === value;
  }
}

/** Index of the newest event with seq < `before` (events are sorted by seq). */
function indexBefore(events: TrailEvent[], before: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.seq < before) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const cloudtrailOperations: Record<string, Handler> = {
  LookupEvents(ctx, input) {
    ctx.authorize('cloudtrail:LookupEvents', '*');
    if (ctx.lookupEventsRateExceeded()) throw new ApiError('ThrottlingException', 'Rate exceeded', 400);
    const attributes = json.list(input, 'LookupAttributes') ?? [];
    if (attributes.length > 1) throw new ApiError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.', 400);
    let attribute: { key: AttributeKey; value: string } | undefined;
    if (attributes.length === 1) {
      const key = json.str(attributes[0]!, 'AttributeKey');
      const value = json.str(attributes[0]!, 'AttributeValue');
      if (!key || !(ATTRIBUTES as readonly string[]).includes(key)) throw new ApiError('InvalidLookupAttributesException', `The attribute key ${key ?? '(missing)'} is not valid.`, 400);
      if (value === undefined || value === '') throw new ApiError('InvalidLookupAttributesException', 'The attribute value must be specified.', 400);
      attribute = { key: key as AttributeKey, value };
    }
    const category = json.str(input, 'EventCategory');
    if (category !== undefined && category !== 'insight') throw new ApiError('InvalidEventCategoryException', `Event category ${category} is not valid.`, 400);
    const max = json.int(input, 'MaxResults') ?? 50;
    if (max < 1 || max > 50) throw new ApiError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.', 400);
    const givenEnd = json.time(input, 'EndTime');
    const givenStart = json.time(input, 'StartTime');
    let end = givenEnd ?? ctx.now;
    let start = givenStart ?? new Date(end.getTime() - 90 * 24 * 3600 * 1000);
    if (start.getTime() > end.getTime()) throw new ApiError('InvalidTimeRangeException', 'Start time must be before end time.', 400);
    // Tokens are bound to the query and carry the resolved window, so later pages see the same range.
    const queryKey = createHash('sha256').update(JSON.stringify([attribute, givenStart?.getTime(), givenEnd?.getTime(), category, ctx.region])).digest('hex').slice(0, 16);
    let before = Number.MAX_SAFE_INTEGER;
    const tokenText = json.str(input, 'NextToken');
    if (tokenText) {
      try {
        const t = JSON.parse(Buffer.from(tokenText, 'base64url').toString('utf8')) as { s: number; q: string; a: number; b: number };
        if (t.q !== queryKey || !Number.isInteger(t.s) || !Number.isFinite(t.a) || !Number.isFinite(t.b)) throw new Error('mismatch');
        before = t.s;
        start = new Date(t.a);
        end = new Date(t.b);
      } catch {
        throw new ApiError('InvalidNextTokenException', 'Invalid NextToken.', 400);
      }
    }
    const page: TrailEvent[] = [];
    let nextToken: string | undefined;
    // Insight events are not simulated: an insight lookup is always empty.
    if (category !== 'insight') {
      const events = ctx.world.events;
      for (let i = indexBefore(events, before); i >= 0; i--) {
        const e = events[i]!;
        if (e.region !== ctx.region) continue;
        const t = Date.parse(e.eventTime);
        if (t > end.getTime()) continue;
        if (t < start.getTime()) break;
        if (attribute && !matches(e, attribute.key, attribute.value)) continue;
        if (page.length === max) {
          nextToken = Buffer.from(JSON.stringify({ s: page[page.length - 1]!.seq, q: queryKey, a: start.getTime(), b: end.getTime() })).toString('base64url');
          break;
        }
        page.push(e);
      }
    }
    return {
      Events: page.map((e) => ({
        EventId: e.eventId, EventName: e.eventName, ReadOnly: String(e.readOnly), AccessKeyId: e.accessKeyId,
        EventTime: Date.parse(e.eventTime) / 1000, EventSource: e.eventSource, Username: e.username,
        Resources: e.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })), CloudTrailEvent: e.cloudTrailEvent,
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  },
};
