// EventBridge (JSON 1.1, X-Amz-Target AWSEvents.*): event buses, rules on them (event patterns
// and, on the default bus, schedules), their targets and tags. Delivery of the sandbox's own
// CloudTrail records to SQS targets lives with SQS (../sqs/events.ts); other targets are stored
// and listed but receive nothing.
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { json } from '../../protocol/json11';
import type { EventBus, EventRule, EventTarget, QueueWorld, RuleState } from '../sqs/model';
import { parsePattern } from '../sqs/events';

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

const DEFAULT_BUS = 'default';
/** AWS's quotas: targets per rule, tags per resource. */
const MAX_TARGETS = 5;
const MAX_TAGS = 50;

const validation = (message: string): ApiError => new ApiError('ValidationException', message, 400);
const notFound = (message: string): ApiError => new ApiError('ResourceNotFoundException', message, 400);

const rulesOf = (world: QueueWorld): Record<string, EventRule> => (world.eventRules ??= {});
const busesOf = (world: QueueWorld): Record<string, EventBus> => (world.eventBuses ??= {});
const busOfRule = (r: EventRule): string => r.eventBusName ?? DEFAULT_BUS;
/** Default-bus rules keep the key they had before custom buses existed. */
const ruleKey = (region: string, bus: string, name: string): string => (bus === DEFAULT_BUS ? `${region}/${name}` : `${region}/${bus}/${name}`);

export const busArn = (world: QueueWorld, region: string, name: string): string => `arn:aws:events:${region}:${world.accountId}:event-bus/${name}`;
export function ruleArn(world: QueueWorld, r: { region: string; name: string; eventBusName?: string }): string {
  const bus = r.eventBusName ?? DEFAULT_BUS;
  return `arn:aws:events:${r.region}:${world.accountId}:rule/${bus === DEFAULT_BUS ? '' : `${bus}/`}${r.name}`;
}

/** A bus given by name or ARN, which must exist in the caller's region. */
function busName(ctx: CallContext, input: Record<string, unknown>): string {
  const given = json.str(input, 'EventBusName') ?? DEFAULT_BUS;
  const m = /^arn:aws:events:([^:]+):(\d{12}):event-bus\/(.+)$/.exec(given);
  const name = m ? m[3]! : given;
  if (m && (m[1] !== ctx.region || m[2] !== ctx.world.accountId)) throw notFound(`Event bus ${given} does not exist.`);
  if (name !== DEFAULT_BUS && !busesOf(ctx.world)[`${ctx.region}/${name}`]) throw notFound(`Event bus ${name} does not exist.`);
  return name;
}

function tagList(input: Record<string, unknown>, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of json.list(input, field) ?? []) {
    const key = json.str(t, 'Key');
    const value = json.str(t, 'Value');
    if (!key || value === undefined) throw validation('Each tag needs a Key and a Value.');
    if (key.toLowerCase().startsWith('aws:')) throw validation(`Tag keys starting with 'aws:' are reserved (${key}).`);
    out[key] = value;
  }
  return out;
}

function checkTags(tags: Record<string, string>): Record<string, string> {
  if (Object.keys(tags).length > MAX_TAGS) throw new ApiError('LimitExceededException', `A resource can have at most ${MAX_TAGS} tags.`, 400);
  return tags;
}

function checkState(value: string | undefined): RuleState | undefined {
  if (value === undefined) return undefined;
  if (value !== 'ENABLED' && value !== 'DISABLED' && value !== 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') {
    throw validation(`1 validation error detected: Value '${value}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]`);
  }
  return value;
}

function checkSchedule(expression: string): string {
  if (!/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+ \S+ \S+ \S+ \S+ \S+\))$/.test(expression)) {
    throw validation(`Parameter ScheduleExpression is not valid: ${expression}`);
  }
  return expression;
}

function ruleFor(ctx: CallContext, input: Record<string, unknown>, field: 'Name' | 'Rule', action: string): EventRule {
  const name = json.str(input, field);
  if (!name) throw validation(`1 validation error detected: Value null at '${field.toLowerCase()}' failed to satisfy constraint: Member must not be null`);
  const bus = busName(ctx, input);
  ctx.authorize(action, ruleArn(ctx.world, { region: ctx.region, name, eventBusName: bus }));
  const rule = rulesOf(ctx.world)[ruleKey(ctx.region, bus, name)];
  if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${bus}.`);
  return rule;
}

function ruleShape(ctx: CallContext, r: EventRule): Record<string, unknown> {
  return {
    Name: r.name, Arn: ruleArn(ctx.world, r), EventPattern: r.eventPattern, ScheduleExpression: r.scheduleExpression, State: r.state,
    Description: r.description, RoleArn: r.roleArn, EventBusName: busOfRule(r),
  };
}

function busShape(ctx: CallContext, name: string): Record<string, unknown> {
  const b = name === DEFAULT_BUS ? undefined : busesOf(ctx.world)[`${ctx.region}/${name}`];
  return {
    Name: name, Arn: busArn(ctx.world, ctx.region, name), Description: b?.description, KmsKeyIdentifier: b?.kmsKeyIdentifier,
    ...(b ? { CreationTime: b.createdAt / 1000, LastModifiedTime: b.modifiedAt / 1000 } : {}),
  };
}

/** Limit/NextToken pagination over a sorted list (tokens are opaque offsets). */
function page<T>(items: T[], input: Record<string, unknown>): { items: T[]; next?: string } {
  const limit = json.int(input, 'Limit') ?? 100;
  if (limit < 1 || limit > 100) throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100`);
  const token = json.str(input, 'NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw validation('The NextToken is not valid.');
  return { items: items.slice(start, start + limit), next: start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined };
}

function target(t: Record<string, unknown>): EventTarget {
  const id = json.str(t, 'Id');
  const arn = json.str(t, 'Arn');
  if (!id || !/^[.\-_A-Za-z0-9]{1,64}$/.test(id)) throw validation(`Target Id '${id ?? ''}' must be 1 to 64 letters, digits, '.', '-' or '_'.`);
  if (!arn || !arn.startsWith('arn:')) throw validation(`Target ${id} needs an Arn.`);
  const input = json.str(t, 'Input');
  const inputPath = json.str(t, 'InputPath');
  if (input !== undefined && inputPath !== undefined) throw validation(`Target ${id}: Input and InputPath are mutually exclusive.`);
  if (input !== undefined) {
    try {
      JSON.parse(input);
    } catch {
      throw validation(`Target ${id}: Input is not valid JSON.`);
    }
  }
  return { id, arn, roleArn: json.str(t, 'RoleArn'), input, inputPath };
}

/** The taggable rule or bus an ARN names, authorized for the action. */
function taggable(ctx: CallContext, input: Record<string, unknown>, action: string): { tags: Record<string, string>; write(tags: Record<string, string>): void } {
  const arn = json.str(input, 'ResourceARN') ?? '';
  if (!action.endsWith(':ListTagsForResource')) ctx.trail.resources.push({ type: arn.includes(':rule/') ? 'AWS::Events::Rule' : 'AWS::Events::EventBus', name: arn, arn });
  ctx.authorize(action, arn);
  const m = /^arn:aws:events:([^:]+):(\d{12}):(rule|event-bus)\/(.+)$/.exec(arn);
  if (!m || m[1] !== ctx.region || m[2] !== ctx.world.accountId) throw notFound(`Resource ${arn} does not exist.`);
  if (m[3] === 'event-bus') {
    const b = busesOf(ctx.world)[`${ctx.region}/${m[4]}`];
    if (!b) throw notFound(`Event bus ${m[4]} does not exist.`);
    return { tags: b.tags, write: (t) => { b.tags = t; } };
  }
  const [bus, name] = m[4]!.includes('/') ? m[4]!.split('/', 2) as [string, string] : [DEFAULT_BUS, m[4]!];
  const r = rulesOf(ctx.world)[ruleKey(ctx.region, bus, name)];
  if (!r) throw notFound(`Rule ${name} does not exist on EventBus ${bus}.`);
  return { tags: r.tags ?? {}, write: (t) => { r.tags = t; } };
}

export const eventsOperations: Record<string, Handler> = {
  CreateEventBus(ctx, input) {
    const name = json.str(input, 'Name');
    if (!name || !/^[/.\-_A-Za-z0-9]{1,256}$/.test(name)) throw validation(`Event bus name '${name ?? ''}' must be 1 to 256 letters, digits, '/', '.', '-' or '_'.`);
    const arn = busArn(ctx.world, ctx.region, name);
    ctx.trail.resources.push({ type: 'AWS::Events::EventBus', name, arn });
    ctx.authorize('events:CreateEventBus', arn);
    if (name === DEFAULT_BUS || busesOf(ctx.world)[`${ctx.region}/${name}`]) throw new ApiError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`, 400);
    if (json.str(input, 'EventSourceName') !== undefined) throw validation('The sandbox does not simulate partner event sources (EventSourceName).');
    const now = ctx.now.getTime();
    const bus: EventBus = {
      name, region: ctx.region, description: json.str(input, 'Description'), kmsKeyIdentifier: json.str(input, 'KmsKeyIdentifier'),
      createdAt: now, modifiedAt: now, tags: checkTags(tagList(input, 'Tags')),
    };
    busesOf(ctx.world)[`${ctx.region}/${name}`] = bus;
    return { EventBusArn: arn, Description: bus.description, KmsKeyIdentifier: bus.kmsKeyIdentifier };
  },
  UpdateEventBus(ctx, input) {
    const name = busName(ctx, { EventBusName: json.str(input, 'Name') });
    const arn = busArn(ctx.world, ctx.region, name);
    ctx.trail.resources.push({ type: 'AWS::Events::EventBus', name, arn });
    ctx.authorize('events:UpdateEventBus', arn);
    const b = busesOf(ctx.world)[`${ctx.region}/${name}`];
    if (!b) throw validation('The default event bus cannot be updated by the sandbox.');
    if (input.Description !== undefined) b.description = json.str(input, 'Description') || undefined;
    if (input.KmsKeyIdentifier !== undefined) b.kmsKeyIdentifier = json.str(input, 'KmsKeyIdentifier') || undefined;
    b.modifiedAt = ctx.now.getTime();
    return { Arn: arn, Name: name, Description: b.description, KmsKeyIdentifier: b.kmsKeyIdentifier };
  },
  DescribeEventBus(ctx, input) {
    const name = json.str(input, 'Name') ?? DEFAULT_BUS;
    const bus = busName(ctx, { EventBusName: name });
    ctx.authorize('events:DescribeEventBus', busArn(ctx.world, ctx.region, bus));
    return busShape(ctx, bus);
  },
  ListEventBuses(ctx, input) {
    ctx.authorize('events:ListEventBuses', '*');
    const prefix = json.str(input, 'NamePrefix') ?? '';
    const names = [DEFAULT_BUS, ...Object.values(busesOf(ctx.world)).filter((b) => b.region === ctx.region).map((b) => b.name)].filter((n) => n.startsWith(prefix)).sort();
    const p = page(names, input);
    return { EventBuses: p.items.map((n) => busShape(ctx, n)), ...(p.next ? { NextToken: p.next } : {}) };
  },
  DeleteEventBus(ctx, input) {
    const name = json.str(input, 'Name');
    if (!name) throw validation('Name is required.');
    const arn = busArn(ctx.world, ctx.region, name);
    ctx.trail.resources.push({ type: 'AWS::Events::EventBus', name, arn });
    ctx.authorize('events:DeleteEventBus', arn);
    if (name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
    // Deleting a bus that does not exist succeeds, as on AWS.
    delete busesOf(ctx.world)[`${ctx.region}/${name}`];
    for (const [key, r] of Object.entries(rulesOf(ctx.world))) if (r.region === ctx.region && busOfRule(r) === name) delete rulesOf(ctx.world)[key];
    return {};
  },
  PutRule(ctx, input) {
    const name = json.str(input, 'Name');
    if (!name || !/^[.\-_A-Za-z0-9]{1,64}$/.test(name)) throw validation(`Rule name '${name ?? ''}' must be 1 to 64 letters, digits, '.', '-' or '_'.`);
    const bus = busName(ctx, input);
    const arn = ruleArn(ctx.world, { region: ctx.region, name, eventBusName: bus });
    ctx.trail.resources.push({ type: 'AWS::Events::Rule', name: arn, arn });
    ctx.authorize('events:PutRule', arn);
    const pattern = json.str(input, 'EventPattern');
    const schedule = json.str(input, 'ScheduleExpression');
    if (pattern === undefined && schedule === undefined) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    if (pattern !== undefined) parsePattern(pattern);
    if (schedule !== undefined) {
      checkSchedule(schedule);
      if (bus !== DEFAULT_BUS) throw validation('ScheduleExpression is supported only on the default event bus.');
    }
    const key = ruleKey(ctx.region, bus, name);
    const existing = rulesOf(ctx.world)[key];
    rulesOf(ctx.world)[key] = {
      name, region: ctx.region, ...(bus === DEFAULT_BUS ? {} : { eventBusName: bus }), eventPattern: pattern, scheduleExpression: schedule,
      state: checkState(json.str(input, 'State')) ?? 'ENABLED', description: json.str(input, 'Description'), roleArn: json.str(input, 'RoleArn'),
      // Tags given with PutRule apply when the rule is created; later ones go through TagResource.
      tags: existing?.tags ?? checkTags(tagList(input, 'Tags')), targets: existing?.targets ?? [],
    };
    return { RuleArn: arn };
  },
  DescribeRule(ctx, input) {
    return ruleShape(ctx, ruleFor(ctx, input, 'Name', 'events:DescribeRule'));
  },
  ListRules(ctx, input) {
    const bus = busName(ctx, input);
    ctx.authorize('events:ListRules', '*');
    const prefix = json.str(input, 'NamePrefix') ?? '';
    const rules = Object.values(rulesOf(ctx.world)).filter((r) => r.region === ctx.region && busOfRule(r) === bus && r.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
    const p = page(rules, input);
    return { Rules: p.items.map((r) => ruleShape(ctx, r)), ...(p.next ? { NextToken: p.next } : {}) };
  },
  EnableRule(ctx, input) {
    const r = ruleFor(ctx, input, 'Name', 'events:EnableRule');
    ctx.trail.resources.push({ type: 'AWS::Events::Rule', name: ruleArn(ctx.world, r), arn: ruleArn(ctx.world, r) });
    r.state = 'ENABLED';
    return {};
  },
  DisableRule(ctx, input) {
    const r = ruleFor(ctx, input, 'Name', 'events:DisableRule');
    ctx.trail.resources.push({ type: 'AWS::Events::Rule', name: ruleArn(ctx.world, r), arn: ruleArn(ctx.world, r) });
    r.state = 'DISABLED';
    return {};
  },
  DeleteRule(ctx, input) {
    const r = ruleFor(ctx, input, 'Name', 'events:DeleteRule');
    ctx.trail.resources.push({ type: 'AWS::Events::Rule', name: ruleArn(ctx.world, r), arn: ruleArn(ctx.world, r) });
    if (r.targets.length) throw validation('Rule can\'t be deleted since it has targets.');
    delete rulesOf(ctx.world)[ruleKey(r.region, busOfRule(r), r.name)];
    return {};
  },
  PutTargets(ctx, input) {
    const r = ruleFor(ctx, input, 'Rule', 'events:PutTargets');
    ctx.trail.resources.push({ type: 'AWS::Events::Rule', name: ruleArn(ctx.world, r), arn: ruleArn(ctx.world, r) });
    const entries = json.list(input, 'Targets') ?? [];
    if (entries.length < 1 || entries.length > 10) throw validation('Targets must have 1 to 10 members.');
    const FailedEntries: Record<string, unknown>[] = [];
    for (const entry of entries) {
      const t = target(entry);
      const others = r.targets.filter((x) => x.id !== t.id);
      if (others.length >= MAX_TARGETS) {
        FailedEntries.push({ TargetId: t.id, ErrorCode: 'LimitExceededException', ErrorMessage: `A rule can have at most ${MAX_TARGETS} targets.` });
        continue;
      }
      r.targets = [...others, t];
    }
    return { FailedEntryCount: FailedEntries.length, FailedEntries };
  },
  ListTargetsByRule(ctx, input) {
    const r = ruleFor(ctx, input, 'Rule', 'events:ListTargetsByRule');
    const p = page([...r.targets].sort((a, b) => a.id.localeCompare(b.id)), input);
    return {
      Targets: p.items.map((t) => ({ Id: t.id, Arn: t.arn, RoleArn: t.roleArn, Input: t.input, InputPath: t.inputPath })),
      ...(p.next ? { NextToken: p.next } : {}),
    };
  },
  RemoveTargets(ctx, input) {
    const r = ruleFor(ctx, input, 'Rule', 'events:RemoveTargets');
    ctx.trail.resources.push({ type: 'AWS::Events::Rule', name: ruleArn(ctx.world, r), arn: ruleArn(ctx.world, r) });
    const ids = new Set(json.strings(input, 'Ids') ?? []);
    r.targets = r.targets.filter((t) => !ids.has(t.id));
    return { FailedEntryCount: 0, FailedEntries: [] };
  },
  ListTagsForResource(ctx, input) {
    const t = taggable(ctx, input, 'events:ListTagsForResource');
    return { Tags: Object.entries(t.tags).map(([Key, Value]) => ({ Key, Value })) };
  },
  TagResource(ctx, input) {
    const t = taggable(ctx, input, 'events:TagResource');
    t.write(checkTags({ ...t.tags, ...tagList(input, 'Tags') }));
    return {};
  },
  UntagResource(ctx, input) {
    const t = taggable(ctx, input, 'events:UntagResource');
    const next = { ...t.tags };
    for (const k of json.strings(input, 'TagKeys') ?? []) delete next[k];
    t.write(next);
    return {};
  },
};
