// The SNS types against the sandbox with the real SDK (query protocol): aws_sns_topic,
// aws_sns_topic_policy and aws_sns_topic_subscription. Provider-shaped state matches live; one live
// change per attribute class is drift on it; the writers revert it; a fresh read is clean; what
// AWS sets on its own is not drift; one GetTopicAttributes per topic serves topic and policy;
// deleted objects are missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTopicCommand, DeleteTopicCommand, GetTopicAttributesCommand, ListTopicsCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand,
  SNSClient, SubscribeCommand, TagResourceCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { AwsClients } from '../../server/src/cloud/clients';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { driftsOf, revertAll } from './type-check-helpers';
import { startTypeSandbox } from './type-sandbox';
import { readLive } from '../support/type-suite';

let sandbox: SandboxHandle;
let sns: SNSClient;
let clients: AwsClients;
const arns: Record<string, string> = {};

function inst(type: string, name: string, attributes: Record<string, unknown>): StateInstance {
  return { address: `${type}.${name}`, resourceAddress: `${type}.${name}`, type, name, module: '', attributes };
}

const topicArn = (name: string) => `arn:aws:sns:${sandbox.region}:${sandbox.accountId}:${name}`;
const queueArn = (name: string) => `arn:aws:sqs:${sandbox.region}:${sandbox.accountId}:${name}`;
const publishPolicy = (name: string, service: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Publish', Effect: 'Allow', Principal: { Service: service }, Action: 'sns:Publish', Resource: topicArn(name) }],
});
const FILTER = JSON.stringify({ type: ['order'] });

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_sns_topic', 'alerts', {
    id: topicArn('alerts'), arn: topicArn('alerts'), name: 'alerts', name_prefix: '', display_name: 'Alerts', fifo_topic: false, content_based_deduplication: false,
    kms_master_key_id: '', delivery_policy: '', signature_version: 0, tracing_config: '', owner: sandbox.accountId,
    sqs_success_feedback_sample_rate: 50, sqs_success_feedback_role_arn: `arn:aws:iam::${sandbox.accountId}:role/sns-feedback`, tags: { Team: 'ops' }, tags_all: { Team: 'ops' },
  }),
  inst('aws_sns_topic_policy', 'alerts', { id: topicArn('alerts'), arn: topicArn('alerts'), policy: publishPolicy('alerts', 'events.amazonaws.com'), owner: sandbox.accountId }),
  inst('aws_sns_topic_subscription', 'queue', {
    id: arns.queue, arn: arns.queue, topic_arn: topicArn('alerts'), protocol: 'sqs', endpoint: queueArn('alerts-queue'), raw_message_delivery: true,
    filter_policy: '{\n  "type": ["order"]\n}', filter_policy_scope: 'MessageAttributes', delivery_policy: '', redrive_policy: '', subscription_role_arn: '', replay_policy: '',
    confirmation_timeout_in_minutes: 1, endpoint_auto_confirms: false, pending_confirmation: false, confirmation_was_authenticated: true, owner_id: sandbox.accountId,
  }),
];

const read = (instances = state()) => readLive(clients, instances, { declared: false });

before(async () => {
  const started = await startTypeSandbox('topic-admin', ['sns:*']);
  ({ sandbox, clients } = started);
  sns = new SNSClient(started.common);
  await sns.send(new CreateTopicCommand({
    Name: 'alerts', Tags: [{ Key: 'Team', Value: 'ops' }],
    Attributes: { DisplayName: 'Alerts', SQSSuccessFeedbackSampleRate: '50', SQSSuccessFeedbackRoleArn: `arn:aws:iam::${sandbox.accountId}:role/sns-feedback` },
  }));
  await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn('alerts'), AttributeName: 'Policy', AttributeValue: publishPolicy('alerts', 'events.amazonaws.com') }));
  arns.queue = (await sns.send(new SubscribeCommand({
    TopicArn: topicArn('alerts'), Protocol: 'sqs', Endpoint: queueArn('alerts-queue'), Attributes: { RawMessageDelivery: 'true', FilterPolicy: FILTER }, ReturnSubscriptionArn: true,
  }))).SubscriptionArn!;
});

after(async () => {
  sns?.destroy();
  await sandbox?.stop();
});

test('provider-shaped state of the SNS types matches the live topic, policy and subscription', async () => {
  const snapshot = await read();
  for (const i of state()) assert.equal(snapshot.get(i.address)?.status, 'found', i.address);
  // The state records signature_version 0 and tracing_config '' where the configuration set none:
  // compare as the engine does, declared arguments only.
  const declared = state().map((i) => (i.type === 'aws_sns_topic' ? { ...i, attributes: { ...i.attributes, signature_version: undefined, tracing_config: undefined } } : i));
  assert.deepEqual(driftsOf(RESOURCE_TYPES, declared, snapshot), []);
});

test('values AWS sets on its own are not drift: the default topic policy, the signature version, a filter policy\'s scope', async () => {
  await sns.send(new CreateTopicCommand({ Name: 'bare' }));
  const sub = (await sns.send(new SubscribeCommand({ TopicArn: topicArn('bare'), Protocol: 'sqs', Endpoint: queueArn('bare-queue'), Attributes: { FilterPolicy: FILTER }, ReturnSubscriptionArn: true }))).SubscriptionArn!;
  const bare = [
    inst('aws_sns_topic', 'bare', { id: topicArn('bare'), arn: topicArn('bare'), name: 'bare' }),
    inst('aws_sns_topic_subscription', 'bare', { id: sub, arn: sub, topic_arn: topicArn('bare'), protocol: 'sqs', endpoint: queueArn('bare-queue'), filter_policy: FILTER }),
  ];
  const snapshot = await read(bare);
  const topic = snapshot.get('aws_sns_topic.bare');
  assert.ok(topic?.status === 'found' && String(topic.resource.attributes.policy).includes('__default_policy_ID'), 'AWS wrote a default policy');
  const s = snapshot.get('aws_sns_topic_subscription.bare');
  assert.equal(s?.status === 'found' && s.resource.attributes.filter_policy_scope, 'MessageAttributes', 'AWS scoped the filter policy');
  assert.deepEqual(driftsOf(RESOURCE_TYPES, bare, snapshot), []);
  await sns.send(new DeleteTopicCommand({ TopicArn: topicArn('bare') }));
});

const CHANGES: Array<{ drift: string[]; change: () => Promise<unknown> }> = [
  { drift: ['aws_sns_topic.alerts display_name'], change: () => sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn('alerts'), AttributeName: 'DisplayName', AttributeValue: 'Hand-edited' })) },
  {
    drift: ['aws_sns_topic.alerts sqs_success_feedback_sample_rate'],
    change: () => sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn('alerts'), AttributeName: 'SQSSuccessFeedbackSampleRate', AttributeValue: '100' })),
  },
  { drift: ['aws_sns_topic.alerts kms_master_key_id'], change: () => sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn('alerts'), AttributeName: 'KmsMasterKeyId', AttributeValue: 'alias/aws/sns' })) },
  { drift: ['aws_sns_topic.alerts tags'], change: () => sns.send(new TagResourceCommand({ ResourceArn: topicArn('alerts'), Tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
  {
    drift: ['aws_sns_topic_policy.alerts policy'],
    change: () => sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn('alerts'), AttributeName: 'Policy', AttributeValue: publishPolicy('alerts', 's3.amazonaws.com') })),
  },
  { drift: ['aws_sns_topic_subscription.queue raw_message_delivery'], change: () => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arns.queue, AttributeName: 'RawMessageDelivery', AttributeValue: 'false' })) },
  {
    drift: ['aws_sns_topic_subscription.queue filter_policy'],
    change: () => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arns.queue, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify({ type: ['refund'] }) })),
  },
];

test('a live change to each class of SNS attribute is drift on it; the writers revert it; a fresh read is clean', async () => {
  // The topic's own policy is left to aws_sns_topic_policy: absent from the topic's declared arguments.
  const declared = () => state().map((i) => (i.type === 'aws_sns_topic' ? { ...i, attributes: { ...i.attributes, signature_version: undefined, tracing_config: undefined } } : i));
  for (const c of CHANGES) await c.change();
  const snapshot = await read();
  assert.deepEqual(driftsOf(RESOURCE_TYPES, declared(), snapshot).sort(), CHANGES.flatMap((c) => c.drift).sort());
  const outcomes = await revertAll(RESOURCE_TYPES, declared(), snapshot, clients);
  assert.deepEqual(outcomes.filter((o) => !o.ok), []);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, declared(), await read()), []);
});

test('one GetTopicAttributes serves the topic and its policy; tags come from the Tagging API where it has them', async () => {
  sandbox.resetStats();
  await read();
  const stats = sandbox.stats();
  assert.equal(stats['sns:GetTopicAttributes'], 1, 'one topic, two resources');
  assert.equal(stats['sns:GetSubscriptionAttributes'], 1);
  assert.equal(stats['sns:ListTagsForResource'], undefined, 'the tagged topic\'s tags came from the Tagging API');
});

test('a deleted topic is missing with its policy; a removed subscription is missing', async () => {
  await sns.send(new CreateTopicCommand({ Name: 'gone' }));
  const sub = (await sns.send(new SubscribeCommand({ TopicArn: topicArn('gone'), Protocol: 'lambda', Endpoint: `arn:aws:lambda:${sandbox.region}:${sandbox.accountId}:function:f`, ReturnSubscriptionArn: true }))).SubscriptionArn!;
  await sns.send(new UnsubscribeCommand({ SubscriptionArn: sub }));
  await sns.send(new DeleteTopicCommand({ TopicArn: topicArn('gone') }));
  const snapshot = await read([
    inst('aws_sns_topic', 'gone', { id: topicArn('gone'), arn: topicArn('gone'), name: 'gone' }),
    inst('aws_sns_topic_policy', 'gone', { id: topicArn('gone'), arn: topicArn('gone') }),
    inst('aws_sns_topic_subscription', 'gone', { id: sub, arn: sub }),
  ]);
  for (const a of ['aws_sns_topic.gone', 'aws_sns_topic_policy.gone', 'aws_sns_topic_subscription.gone']) assert.equal(snapshot.get(a)?.status, 'missing', a);
});

test('the sandbox answers SNS with AWS\'s error codes, pages ListTopics and records writes in CloudTrail', async () => {
  await assert.rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn('nope') })), { name: 'NotFoundException' });
  await assert.rejects(sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn('alerts'), AttributeName: 'Bogus', AttributeValue: '1' })), { name: 'InvalidParameterException' });
  await assert.rejects(sns.send(new SubscribeCommand({ TopicArn: topicArn('alerts'), Protocol: 'carrier-pigeon', Endpoint: 'x' })), { name: 'InvalidParameterException' });
  for (let i = 0; i < 100; i++) await sns.send(new CreateTopicCommand({ Name: `bulk-${String(i).padStart(3, '0')}` }));
  const first = await sns.send(new ListTopicsCommand({}));
  assert.equal(first.Topics?.length, 100);
  const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
  assert.equal(second.Topics?.length, 1);
  assert.equal(second.NextToken, undefined);
  const sets = sandbox.world.events.filter((e) => e.eventSource === 'sns.amazonaws.com' && e.eventName === 'SetTopicAttributes');
  assert.ok(sets.some((e) => e.resources.some((r) => r.name === topicArn('alerts'))), 'SetTopicAttributes names the topic');
});
