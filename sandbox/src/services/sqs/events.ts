// The routing of the sandbox's own CloudTrail records through EventBridge: every recorded write
// call becomes an "AWS API Call via CloudTrail" event, matched against the enabled rules of the
// default bus in its region and delivered at once to their SQS targets. The EventBridge API
// itself (buses, rules, targets, tags) is ../events/rules.ts.
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../errors';
import type { QueueWorld } from './model';
import { enqueue, queueByArn } from './sqs';

const invalidPattern = (why: string): ApiError => new ApiError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${why}`, 400);

/**
 * Checks an event pattern. The sandbox matches exact values (arrays of strings, numbers,
 * booleans or null) and `{"prefix": "..."}`, nested by field; other operators are refused by
 * name rather than silently matching nothing.
 */
export function parsePattern(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidPattern('it is not valid JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidPattern('it must be a JSON object');
  const check = (node: Record<string, unknown>, path: string): void => {
    for (const [key, value] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      if (Array.isArray(value)) {
        for (const item of value) {
          if (item && typeof item === 'object') {
            const ops = Object.keys(item as object);
            if (ops.length !== 1 || ops[0] !== 'prefix' || typeof (item as Record<string, unknown>).prefix !== 'string') {
              throw invalidPattern(`the sandbox matches exact values and {"prefix": "..."} only (at '${at}': ${JSON.stringify(item)})`);
            }
          }
        }
      } else if (value && typeof value === 'object') {
        check(value as Record<string, unknown>, at);
      } else {
        throw invalidPattern(`match value must be an array or an object (at '${at}')`);
      }
    }
  };
  check(v as Record<string, unknown>, '');
  return v as Record<string, unknown>;
}

function matchesValue(candidates: unknown[], actual: unknown): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  return values.some((a) => candidates.some((c) => {
    if (c && typeof c === 'object') return typeof a === 'string' && a.startsWith((c as { prefix: string }).prefix);
    return c === a;
  }));
}

export function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, want]) => {
    const actual = event[key];
    if (Array.isArray(want)) return actual !== undefined && matchesValue(want, actual);
    return !!actual && typeof actual === 'object' && matchesPattern(want as Record<string, unknown>, actual as Record<string, unknown>);
  });
}

/** The envelope EventBridge wraps a CloudTrail record in. */
export function cloudTrailEnvelope(record: Record<string, unknown>, account: string): Record<string, unknown> {
  const source = String(record.eventSource ?? '').replace(/\.amazonaws\.com$/, '');
  return {
    version: '0', id: randomUUID(), 'detail-type': 'AWS API Call via CloudTrail', source: `aws.${source}`, account,
    time: record.eventTime, region: record.awsRegion, resources: [], detail: record,
  };
}

/** One delivery's fate under the fault knobs: how many copies arrive (0 = lost) and how late. */
export type DeliveryFate = () => { copies: number; delayMs: number };

const ONCE: DeliveryFate = () => ({ copies: 1, delayMs: 0 });

/**
 * Routes one recorded CloudTrail record: read-only calls are not delivered (as on AWS); a write
 * call goes to every SQS target of every enabled rule in its region whose pattern matches, once
 * per target unless the delivery fault knobs drop, delay or duplicate it.
 * Returns how many messages were enqueued.
 */
export function routeCloudTrailRecord(world: QueueWorld, recordJson: string, nowMs: number, fate: DeliveryFate = ONCE): number {
  const rules = Object.values(world.eventRules ?? {});
  if (!rules.length) return 0;
  const record = JSON.parse(recordJson) as Record<string, unknown>;
  if (record.readOnly === true) return 0;
  const envelope = cloudTrailEnvelope(record, world.accountId);
  let delivered = 0;
  for (const rule of rules) {
    // CloudTrail's events arrive on the default bus; a schedule-only rule matches no event.
    if (rule.state === 'DISABLED' || rule.region !== envelope.region || (rule.eventBusName ?? 'default') !== 'default' || rule.eventPattern === undefined) continue;
    if (!matchesPattern(parsePattern(rule.eventPattern), envelope)) continue;
    for (const target of rule.targets) {
      const q = queueByArn(world, target.arn);
      if (!q) continue; // a target whose queue is gone fails silently, as a delivery failure does on AWS
      const { copies, delayMs } = fate();
      for (let i = 0; i < copies; i++) enqueue(q, JSON.stringify(envelope), nowMs, delayMs / 1000);
      delivered += copies;
    }
  }
  return delivered;
}
