// EventBridge rules (JSON 1.1, X-Amz-Target AWSEvents.*) and the routing of the sandbox's own
// CloudTrail records: every recorded write call becomes an "AWS API Call via CloudTrail" event,
// matched against the enabled rules of its region and delivered at once to their SQS targets.
import { randomUUID } from 'node:crypto';
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { json } from '../../protocol/json11';
import type { EventRule, QueueWorld } from './model';
import { enqueue, queueByArn } from './sqs';

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

const rulesOf = (world: QueueWorld): Record<string, EventRule> => (world.eventRules ??= {});
const ruleArn = (world: QueueWorld, r: { region: string; name: string }): string => `arn:aws:events:${r.region}:${world.accountId}:rule/${r.name}`;
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

/**
 * Routes one recorded CloudTrail record: read-only calls are not delivered (as on AWS); a write
 * call goes to every SQS target of every enabled rule in its region whose pattern matches.
 * Returns how many messages were enqueued.
 */
export function routeCloudTrailRecord(world: QueueWorld, recordJson: string, nowMs: number): number {
  const rules = Object.values(world.eventRules ?? {});
  if (!rules.length) return 0;
  const record = JSON.parse(recordJson) as Record<string, unknown>;
  if (record.readOnly === true) return 0;
  const envelope = cloudTrailEnvelope(record, world.accountId);
  let delivered = 0;
  for (const rule of rules) {
    if (rule.state !== 'ENABLED' || rule.region !== envelope.region) continue;
    if (!matchesPattern(parsePattern(rule.eventPattern), envelope)) continue;
    for (const target of rule.targets) {
      const q = queueByArn(world, target.arn);
      if (!q) continue; // a target whose queue is gone fails silently, as a delivery failure does on AWS
      enqueue(q, JSON.stringify(envelope), nowMs, 0);
      delivered++;
    }
  }
  return delivered;
}

function ruleFor(ctx: CallContext, input: Record<string, unknown>, field: 'Name' | 'Rule', action: string): EventRule {
  const name = json.str(input, field);
  if (!name) throw new ApiError('ValidationException', `1 validation error detected: Value null at '${field.toLowerCase()}' failed to satisfy constraint: Member must not be null`, 400);
  ctx.authorize(action, ruleArn(ctx.world, { region: ctx.region, name }));
  const rule = rulesOf(ctx.world)[`${ctx.region}/${name}`];
  if (!rule) throw new ApiError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`, 400);
  return rule;
}

export const eventsOperations: Record<string, Handler> = {
  PutRule(ctx, input) {
    const name = json.str(input, 'Name');
    if (!name || !/^[.\-_A-Za-z0-9]{1,64}$/.test(name)) throw new ApiError('ValidationException', `Rule name '${name ?? ''}' must be 1 to 64 letters, digits, '.', '-' or '_'.`, 400);
    const arn = ruleArn(ctx.world, { region: ctx.region, name });
    ctx.trail.resources.push({ type: 'AWS::Events::Rule', name: arn, arn });
    ctx.authorize('events:PutRule', arn);
    const bus = json.str(input, 'EventBusName');
    if (bus !== undefined && bus !== 'default') throw new ApiError('ResourceNotFoundException', `Event bus ${bus} does not exist (the sandbox has the default bus only).`, 400);
    const pattern = json.str(input, 'EventPattern');
    if (pattern === undefined) throw new ApiError('ValidationException', 'The sandbox supports rules with an EventPattern only (ScheduleExpression is not simulated).', 400);
    parsePattern(pattern);
    const state = json.str(input, 'State') ?? 'ENABLED';
    if (state !== 'ENABLED' && state !== 'DISABLED') throw new ApiError('ValidationException', `State must be ENABLED or DISABLED, not '${state}'.`, 400);
    const key = `${ctx.region}/${name}`;
    const existing = rulesOf(ctx.world)[key];
    rulesOf(ctx.world)[key] = { name, region: ctx.region, eventPattern: pattern, state, description: json.str(input, 'Description'), targets: existing?.targets ?? [] };
    return { RuleArn: arn };
  },
  DescribeRule(ctx, input) {
    const r = ruleFor(ctx, input, 'Name', 'events:DescribeRule');
    return { Name: r.name, Arn: ruleArn(ctx.world, r), EventPattern: r.eventPattern, State: r.state, Description: r.description, EventBusName: 'default' };
  },
  DeleteRule(ctx, input) {
    const r = ruleFor(ctx, input, 'Name', 'events:DeleteRule');
    if (r.targets.length) throw new ApiError('ValidationException', 'Rule can\'t be deleted since it has targets.', 400);
    delete rulesOf(ctx.world)[`${r.region}/${r.name}`];
    return {};
  },
  PutTargets(ctx, input) {
    const r = ruleFor(ctx, input, 'Rule', 'events:PutTargets');
    const targets = json.list(input, 'Targets') ?? [];
    const FailedEntries: Record<string, unknown>[] = [];
    for (const t of targets) {
      const id = json.str(t, 'Id');
      const arn = json.str(t, 'Arn');
      if (!id || !arn) throw new ApiError('ValidationException', 'Each target needs an Id and an Arn.', 400);
      if (!arn.startsWith('arn:aws:sqs:')) {
        FailedEntries.push({ TargetId: id, ErrorCode: 'ValidationException', ErrorMessage: `The sandbox delivers to SQS queues only (target ${arn}).` });
        continue;
      }
      r.targets = [...r.targets.filter((x) => x.id !== id), { id, arn }];
    }
    return { FailedEntryCount: FailedEntries.length, FailedEntries };
  },
  ListTargetsByRule(ctx, input) {
    const r = ruleFor(ctx, input, 'Rule', 'events:ListTargetsByRule');
    return { Targets: r.targets.map((t) => ({ Id: t.id, Arn: t.arn })) };
  },
  RemoveTargets(ctx, input) {
    const r = ruleFor(ctx, input, 'Rule', 'events:RemoveTargets');
    const ids = new Set(json.strings(input, 'Ids') ?? []);
    r.targets = r.targets.filter((t) => !ids.has(t.id));
    return { FailedEntryCount: 0, FailedEntries: [] };
  },
};
