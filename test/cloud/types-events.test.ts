// The EventBridge types against the sandbox with the real SDK: aws_cloudwatch_event_bus,
// aws_cloudwatch_event_rule and aws_cloudwatch_event_target. Provider-shaped state matches live;
// one live change per attribute class is drift on it; the writers revert it; a fresh read is clean;
// what the provider normalises is not drift; one ListRules per bus and one ListTargetsByRule per
// rule serve everything; deleted objects are missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeRuleCommand, DisableRuleCommand, EventBridgeClient, ListRulesCommand,
  PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand, TagResourceCommand, UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { AwsClients } from '../../server/src/cloud/clients';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { driftsOf } from './type-check-helpers';
import { startTypeSandbox } from './type-sandbox';
import { assertClean, assertDriftReverted, readLive } from '../support/type-suite';

let sandbox: SandboxHandle;
let events: EventBridgeClient;
let clients: AwsClients;

function inst(type: string, name: string, attributes: Record<string, unknown>): StateInstance {
  return { address: `${type}.${name}`, resourceAddress: `${type}.${name}`, type, name, module: '', attributes };
}

const arn = (rest: string) => `arn:aws:events:${sandbox.region}:${sandbox.accountId}:${rest}`;
const queueArn = () => `arn:aws:sqs:${sandbox.region}:${sandbox.accountId}:orders`;
const functionArn = () => `arn:aws:lambda:${sandbox.region}:${sandbox.accountId}:function:nightly`;
const PATTERN = JSON.stringify({ source: ['shop.orders'], 'detail-type': ['OrderCreated'] });
/** The same pattern as the configuration wrote it: other key order and spacing. */
const PATTERN_AS_WRITTEN = '{\n  "detail-type": ["OrderCreated"],\n  "source": ["shop.orders"]\n}';

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_cloudwatch_event_bus', 'orders', {
    id: 'orders', name: 'orders', arn: arn('event-bus/orders'), description: 'Order events', event_source_name: '', kms_key_identifier: '',
    tags: { Team: 'orders' }, tags_all: { Team: 'orders' },
  }),
  inst('aws_cloudwatch_event_rule', 'nightly', {
    id: 'nightly', name: 'nightly', name_prefix: '', arn: arn('rule/nightly'), event_bus_name: 'default', schedule_expression: 'cron(0 3 * * ? *)',
    event_pattern: '', description: 'Nightly job', role_arn: '', state: 'ENABLED', is_enabled: true, force_destroy: false, tags: { Team: 'ops' }, tags_all: { Team: 'ops' },
  }),
  inst('aws_cloudwatch_event_rule', 'order_created', {
    id: 'orders/order-created', name: 'order-created', name_prefix: '', arn: arn('rule/orders/order-created'), event_bus_name: 'orders',
    schedule_expression: '', event_pattern: PATTERN_AS_WRITTEN, description: '', role_arn: '', state: 'ENABLED', is_enabled: true, tags: {}, tags_all: {},
  }),
  inst('aws_cloudwatch_event_target', 'nightly', {
    id: 'nightly-job', rule: 'nightly', target_id: 'job', event_bus_name: 'default', arn: functionArn(), input: '{"mode": "full"}', input_path: '', role_arn: '',
  }),
  inst('aws_cloudwatch_event_target', 'audit', {
    id: 'nightly-audit', rule: 'nightly', target_id: 'audit', event_bus_name: 'default', arn: queueArn(), input: '', input_path: '', role_arn: '',
  }),
  // The bus given by ARN, as configurations that reference aws_cloudwatch_event_bus.orders.arn do.
  inst('aws_cloudwatch_event_target', 'order_queue', {
    id: 'orders-order-created-queue', rule: 'order-created', target_id: 'queue', event_bus_name: arn('event-bus/orders'), arn: queueArn(), input: '',
    input_path: '$.detail', role_arn: '',
  }),
];

const read = (instances = state()) => readLive(clients, instances, { declared: false });

before(async () => {
  const started = await startTypeSandbox('events-admin', ['events:*']);
  ({ sandbox, clients } = started);
  events = new EventBridgeClient(started.common);
  await events.send(new CreateEventBusCommand({ Name: 'orders', Description: 'Order events', Tags: [{ Key: 'Team', Value: 'orders' }] }));
  await events.send(new PutRuleCommand({ Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)', Description: 'Nightly job', Tags: [{ Key: 'Team', Value: 'ops' }] }));
  await events.send(new PutRuleCommand({ Name: 'order-created', EventBusName: 'orders', EventPattern: PATTERN }));
  await events.send(new PutTargetsCommand({ Rule: 'nightly', Targets: [{ Id: 'job', Arn: functionArn(), Input: '{"mode":"full"}' }, { Id: 'audit', Arn: queueArn() }] }));
  await events.send(new PutTargetsCommand({ Rule: 'order-created', EventBusName: 'orders', Targets: [{ Id: 'queue', Arn: queueArn(), InputPath: '$.detail' }] }));
});

after(async () => {
  events?.destroy();
  await sandbox?.stop();
});

test('provider-shaped state of the EventBridge types matches live; patterns and input compare as JSON, a bus ARN as its name', async () => {
  await assertClean(clients, state(), { declared: false });
});

test('is_enabled, deprecated and computed from state, is not compared when the configuration sets only state', async () => {
  await events.send(new PutRuleCommand({ Name: 'paused', ScheduleExpression: 'rate(1 hour)', State: 'DISABLED' }));
  const paused = inst('aws_cloudwatch_event_rule', 'paused', { id: 'paused', name: 'paused', arn: arn('rule/paused'), schedule_expression: 'rate(1 hour)', state: 'DISABLED' });
  assert.deepEqual(driftsOf(RESOURCE_TYPES, [paused], await read([paused])), []);
  await events.send(new DeleteRuleCommand({ Name: 'paused' }));
});

const CHANGES: Array<{ drift: string[]; change: () => Promise<unknown> }> = [
  { drift: ['aws_cloudwatch_event_bus.orders description'], change: () => events.send(new UpdateEventBusCommand({ Name: 'orders', Description: 'changed by hand' })) },
  { drift: ['aws_cloudwatch_event_bus.orders tags'], change: () => events.send(new TagResourceCommand({ ResourceARN: arn('event-bus/orders'), Tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
  {
    drift: ['aws_cloudwatch_event_rule.nightly schedule_expression'],
    change: () => events.send(new PutRuleCommand({ Name: 'nightly', ScheduleExpression: 'rate(1 hour)', Description: 'Nightly job' })),
  },
  { drift: ['aws_cloudwatch_event_rule.nightly state', 'aws_cloudwatch_event_rule.nightly is_enabled'], change: () => events.send(new DisableRuleCommand({ Name: 'nightly' })) },
  { drift: ['aws_cloudwatch_event_rule.nightly tags'], change: () => events.send(new TagResourceCommand({ ResourceARN: arn('rule/nightly'), Tags: [{ Key: 'Extra', Value: '1' }] })) },
  {
    drift: ['aws_cloudwatch_event_rule.order_created event_pattern'],
    change: () => events.send(new PutRuleCommand({ Name: 'order-created', EventBusName: 'orders', EventPattern: JSON.stringify({ source: ['shop.orders'] }) })),
  },
  { drift: ['aws_cloudwatch_event_target.nightly input'], change: () => events.send(new PutTargetsCommand({ Rule: 'nightly', Targets: [{ Id: 'job', Arn: functionArn(), Input: '{"mode":"partial"}' }] })) },
  {
    drift: ['aws_cloudwatch_event_target.order_queue input_path'],
    change: () => events.send(new PutTargetsCommand({ Rule: 'order-created', EventBusName: 'orders', Targets: [{ Id: 'queue', Arn: queueArn(), InputPath: '$.detail.id' }] })),
  },
];

test('a live change to each class of EventBridge attribute is drift on it; the writers revert it; a fresh read is clean', async () => {
  for (const c of CHANGES) await c.change();
  await assertDriftReverted(clients, state(), CHANGES.flatMap((c) => c.drift), { declared: false });
  // Reverting the schedule kept what it did not compare.
  const nightly = await events.send(new DescribeRuleCommand({ Name: 'nightly' }));
  assert.equal(nightly.Description, 'Nightly job');
});

test('one ListRules per bus and one ListTargetsByRule per rule serve every rule and target; tags come from the Tagging API where it has them', async () => {
  sandbox.resetStats();
  await read();
  const stats = sandbox.stats();
  assert.equal(stats['events:ListRules'], 2, 'two buses');
  assert.equal(stats['events:ListTargetsByRule'], 2, 'two rules, three targets');
  assert.equal(stats['events:ListEventBuses'], 1);
  // The untagged order-created rule is the only one the Tagging API did not return.
  assert.equal(stats['events:ListTagsForResource'], 1);
});

test('a removed target, a deleted rule and the rules of a deleted bus are missing', async () => {
  await events.send(new CreateEventBusCommand({ Name: 'temp' }));
  await events.send(new PutRuleCommand({ Name: 'on-temp', EventBusName: 'temp', EventPattern: PATTERN }));
  await events.send(new PutRuleCommand({ Name: 'gone', ScheduleExpression: 'rate(5 minutes)' }));
  await events.send(new PutTargetsCommand({ Rule: 'gone', Targets: [{ Id: 't', Arn: queueArn() }] }));
  await events.send(new RemoveTargetsCommand({ Rule: 'gone', Ids: ['t'] }));
  await events.send(new DeleteRuleCommand({ Name: 'gone' }));
  await events.send(new DeleteEventBusCommand({ Name: 'temp' }));
  const snapshot = await read([
    inst('aws_cloudwatch_event_rule', 'gone', { id: 'gone', name: 'gone', arn: arn('rule/gone') }),
    inst('aws_cloudwatch_event_target', 'gone', { rule: 'gone', target_id: 't', event_bus_name: 'default' }),
    inst('aws_cloudwatch_event_rule', 'on_temp', { id: 'temp/on-temp', name: 'on-temp', event_bus_name: 'temp', arn: arn('rule/temp/on-temp') }),
    inst('aws_cloudwatch_event_bus', 'temp', { id: 'temp', name: 'temp', arn: arn('event-bus/temp') }),
  ]);
  for (const a of ['aws_cloudwatch_event_rule.gone', 'aws_cloudwatch_event_target.gone', 'aws_cloudwatch_event_rule.on_temp', 'aws_cloudwatch_event_bus.temp']) {
    assert.equal(snapshot.get(a)?.status, 'missing', a);
  }
});

test('the sandbox answers EventBridge with AWS\'s error codes, pages ListRules and records writes in CloudTrail', async () => {
  await assert.rejects(events.send(new DescribeRuleCommand({ Name: 'nope' })), { name: 'ResourceNotFoundException' });
  await assert.rejects(events.send(new CreateEventBusCommand({ Name: 'orders' })), { name: 'ResourceAlreadyExistsException' });
  await assert.rejects(events.send(new PutRuleCommand({ Name: 'x', EventBusName: 'orders', ScheduleExpression: 'rate(1 hour)' })), { name: 'ValidationException' });
  await assert.rejects(events.send(new PutRuleCommand({ Name: 'x', EventBusName: 'missing-bus', EventPattern: PATTERN })), { name: 'ResourceNotFoundException' });
  await events.send(new PutRuleCommand({ Name: 'second', ScheduleExpression: 'rate(1 day)' }));
  const first = await events.send(new ListRulesCommand({ Limit: 1 }));
  assert.equal(first.Rules?.length, 1);
  const second = await events.send(new ListRulesCommand({ Limit: 1, NextToken: first.NextToken }));
  assert.deepEqual([first.Rules![0]!.Name, second.Rules![0]!.Name], ['nightly', 'second']);
  const puts = sandbox.world.events.filter((e) => e.eventSource === 'events.amazonaws.com' && e.eventName === 'PutTargets');
  assert.ok(puts.some((e) => e.resources.some((r) => r.name === arn('rule/orders/order-created'))), 'PutTargets names the rule');
});
