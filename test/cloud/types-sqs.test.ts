// The SQS types against the sandbox with the real SDK: aws_sqs_queue, aws_sqs_queue_policy,
// aws_sqs_queue_redrive_policy and aws_sqs_queue_redrive_allow_policy. Provider-shaped state
// matches live; one live change per attribute class is drift on it; the writers revert it; a fresh
// read is clean; what AWS sets on its own is not drift; one GetQueueAttributes per queue serves
// all four types; a deleted queue, or one without the document, is missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ListQueuesCommand, SetQueueAttributesCommand, SQSClient, TagQueueCommand,
} from '@aws-sdk/client-sqs';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { AwsClients } from '../../server/src/cloud/clients';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { driftsOf } from './type-check-helpers';
import { startTypeSandbox } from './type-sandbox';
import { assertClean, assertDriftReverted, readLive } from '../support/type-suite';

let sandbox: SandboxHandle;
let sqs: SQSClient;
let clients: AwsClients;
const urls: Record<string, string> = {};

function inst(type: string, name: string, attributes: Record<string, unknown>): StateInstance {
  return { address: `${type}.${name}`, resourceAddress: `${type}.${name}`, type, name, module: '', attributes };
}

const arn = (name: string) => `arn:aws:sqs:${sandbox.region}:${sandbox.accountId}:${name}`;

const policyDoc = (name: string, action: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Publish', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: action, Resource: arn(name) }],
});
const redrive = (max: number | string) => JSON.stringify({ deadLetterTargetArn: arn('orders-dlq'), maxReceiveCount: max });
const allowOrders = () => JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arn('orders')] });

/** A queue as the AWS provider v5 records it after apply. */
function queueState(name: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    id: urls[name], url: urls[name], arn: arn(name), name, name_prefix: '', visibility_timeout_seconds: 30, message_retention_seconds: 345600,
    max_message_size: 262144, delay_seconds: 0, receive_wait_time_seconds: 0, fifo_queue: false, content_based_deduplication: false,
    deduplication_scope: '', fifo_throughput_limit: '', kms_master_key_id: '', kms_data_key_reuse_period_seconds: 300, sqs_managed_sse_enabled: true,
    tags: {}, tags_all: {}, ...extra,
  };
}

/**
 * `orders` leaves its policy and redrive policy to the standalone resources (its configuration does
 * not set them, so they are absent here: this helper compares what state holds as declared);
 * `plain` declares its redrive allow policy inline.
 */
const state = (): StateInstance[] => [
  inst('aws_sqs_queue', 'orders', queueState('orders', { visibility_timeout_seconds: 60, tags: { Team: 'orders' }, tags_all: { Team: 'orders' } })),
  inst('aws_sqs_queue', 'dlq', queueState('orders-dlq', { message_retention_seconds: 1209600 })),
  inst('aws_sqs_queue', 'plain', queueState('plain', { delay_seconds: 5, redrive_allow_policy: JSON.stringify({ redrivePermission: 'denyAll' }) })),
  inst('aws_sqs_queue_policy', 'orders', { id: urls.orders, queue_url: urls.orders, policy: policyDoc('orders', 'sqs:SendMessage') }),
  inst('aws_sqs_queue_redrive_policy', 'orders', { id: urls.orders, queue_url: urls.orders, redrive_policy: redrive(5) }),
  inst('aws_sqs_queue_redrive_allow_policy', 'dlq', { id: urls['orders-dlq'], queue_url: urls['orders-dlq'], redrive_allow_policy: allowOrders() }),
];

const read = (instances = state()) => readLive(clients, instances, { declared: false });

const create = async (name: string, Attributes: Record<string, string> = {}, tags?: Record<string, string>) => {
  urls[name] = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes, tags }))).QueueUrl!;
};

before(async () => {
  const started = await startTypeSandbox('queue-admin', ['sqs:*']);
  ({ sandbox, clients } = started);
  sqs = new SQSClient(started.common);
  await create('orders-dlq', { MessageRetentionPeriod: '1209600' });
  await create('orders', { VisibilityTimeout: '60', Policy: policyDoc('orders', 'sqs:SendMessage'), RedrivePolicy: redrive(5) }, { Team: 'orders' });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: urls['orders-dlq'], Attributes: { RedriveAllowPolicy: allowOrders() } }));
  await create('plain', { DelaySeconds: '5', RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) });
});

after(async () => {
  sqs?.destroy();
  await sandbox?.stop();
});

test('provider-shaped state of the SQS types matches the live queues', async () => {
  await assertClean(clients, state(), { declared: false });
});

test('values AWS sets on its own are not drift: SSE-SQS, the KMS reuse period and policies owned elsewhere', async () => {
  // A queue created bare: AWS turned SSE-SQS on; the configuration declares none of these.
  const bare = inst('aws_sqs_queue', 'bare', { id: urls.plain, url: urls.plain, name: 'plain', delay_seconds: 5 });
  const snapshot = await read([bare]);
  const live = snapshot.get('aws_sqs_queue.bare');
  assert.equal(live?.status === 'found' && live.resource.attributes.sqs_managed_sse_enabled, true, 'AWS enabled SSE-SQS');
  assert.deepEqual(driftsOf(RESOURCE_TYPES, [bare], snapshot), []);
  // The policy and redrive policy `orders` leaves to the standalone resources are live, and not drift on the queue.
  const orders = await read([state()[0]!]);
  const o = orders.get('aws_sqs_queue.orders');
  assert.ok(o?.status === 'found' && o.resource.attributes.policy !== '', 'the queue has a live policy');
  assert.deepEqual(driftsOf(RESOURCE_TYPES, [state()[0]!], orders), []);
});

test('a redrive policy written with maxReceiveCount as a string equals the number AWS returns', async () => {
  const asString = inst('aws_sqs_queue_redrive_policy', 'orders', { id: urls.orders, queue_url: urls.orders, redrive_policy: redrive('5') });
  assert.deepEqual(driftsOf(RESOURCE_TYPES, [asString], await read([asString])), []);
});

const CHANGES: Array<{ drift: string[]; change: () => Promise<unknown> }> = [
  { drift: ['aws_sqs_queue.orders visibility_timeout_seconds'], change: () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: urls.orders, Attributes: { VisibilityTimeout: '120' } })) },
  { drift: ['aws_sqs_queue.orders tags'], change: () => sqs.send(new TagQueueCommand({ QueueUrl: urls.orders, Tags: { Team: 'hotfix' } })) },
  // Switching to a KMS key turns SSE-SQS off: both are drift, and both are written back.
  {
    drift: ['aws_sqs_queue.dlq kms_master_key_id', 'aws_sqs_queue.dlq sqs_managed_sse_enabled'],
    change: () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: urls['orders-dlq'], Attributes: { KmsMasterKeyId: 'alias/aws/sqs' } })),
  },
  { drift: ['aws_sqs_queue.plain redrive_allow_policy'], change: () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: urls.plain, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'allowAll' }) } })) },
  { drift: ['aws_sqs_queue_policy.orders policy'], change: () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: urls.orders, Attributes: { Policy: policyDoc('orders', 'sqs:*') } })) },
  { drift: ['aws_sqs_queue_redrive_policy.orders redrive_policy'], change: () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: urls.orders, Attributes: { RedrivePolicy: redrive(50) } })) },
  {
    drift: ['aws_sqs_queue_redrive_allow_policy.dlq redrive_allow_policy'],
    change: () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: urls['orders-dlq'], Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'allowAll' }) } })),
  },
];

test('a live change to each class of SQS attribute is drift on it; the writers revert it; a fresh read is clean', async () => {
  for (const c of CHANGES) await c.change();
  await assertDriftReverted(clients, state(), CHANGES.flatMap((c) => c.drift), { declared: false });
});

test('one GetQueueAttributes per queue serves all four types; tags come from the Tagging API where it has them', async () => {
  sandbox.resetStats();
  await read();
  const stats = sandbox.stats();
  assert.equal(stats['sqs:GetQueueAttributes'], 3, 'three queues, six resources');
  // `orders` is tagged, so the Tagging API's by-ARN read returned its tags; the untagged two need ListQueueTags.
  assert.equal(stats['sqs:ListQueueTags'], 2);
  assert.equal(stats['tagging:GetResources'], 1);
});

test('a deleted queue is missing with its policy; a queue without the document has none to read', async () => {
  await create('gone', { Policy: policyDoc('gone', 'sqs:SendMessage') });
  const goneUrl = urls.gone!;
  await sqs.send(new DeleteQueueCommand({ QueueUrl: goneUrl }));
  const snapshot = await read([
    inst('aws_sqs_queue', 'gone', { id: goneUrl, url: goneUrl, arn: arn('gone'), name: 'gone' }),
    inst('aws_sqs_queue_policy', 'gone', { id: goneUrl, queue_url: goneUrl }),
    inst('aws_sqs_queue_redrive_policy', 'plain', { id: urls.plain, queue_url: urls.plain }),
  ]);
  assert.equal(snapshot.get('aws_sqs_queue.gone')?.status, 'missing');
  assert.equal(snapshot.get('aws_sqs_queue_policy.gone')?.status, 'missing');
  assert.equal(snapshot.get('aws_sqs_queue_redrive_policy.plain')?.status, 'missing');
});

test('the sandbox answers SQS with AWS\'s error codes, pages ListQueues and records writes in CloudTrail', async () => {
  await assert.rejects(sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${sandbox.endpoint}/${sandbox.accountId}/nope`, AttributeNames: ['All'] })), { name: 'QueueDoesNotExist' });
  await assert.rejects(sqs.send(new SetQueueAttributesCommand({ QueueUrl: urls.plain, Attributes: { Bogus: '1' } as Record<string, string> })), { name: 'InvalidAttributeName' });
  await assert.rejects(sqs.send(new SetQueueAttributesCommand({ QueueUrl: urls.plain, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue' }) } })), { name: 'InvalidParameterValue' });
  await assert.rejects(sqs.send(new TagQueueCommand({ QueueUrl: urls.plain, Tags: { 'aws:x': '1' } })), { name: 'InvalidParameterValue' });
  const first = await sqs.send(new ListQueuesCommand({ MaxResults: 2 }));
  assert.equal(first.QueueUrls?.length, 2);
  assert.ok(first.NextToken, 'a second page');
  const second = await sqs.send(new ListQueuesCommand({ MaxResults: 2, NextToken: first.NextToken }));
  assert.deepEqual([...first.QueueUrls!, ...second.QueueUrls!].sort(), [urls['orders-dlq'], urls.orders, urls.plain].sort());
  const tagged = sandbox.world.events.filter((e) => e.eventSource === 'sqs.amazonaws.com' && e.eventName === 'TagQueue');
  assert.ok(tagged.some((e) => e.resources.some((r) => r.name === arn('orders'))), 'TagQueue names the queue');
});
