// The sandbox's SQS (JSON 1.0) and EventBridge routing, through the real SDK clients: queues,
// long polling, visibility timeout and redelivery, the dead-letter queue, and CloudTrail records
// of write calls delivered in the "AWS API Call via CloudTrail" envelope.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateVpcCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import {
  ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, GetQueueUrlCommand,
  ReceiveMessageCommand, SQSClient, SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SandboxHandle } from '../../sandbox/src/index';
import { admin, clientsFor, failure, keyOf, startDemo, type Credentials } from './helpers';
import { fakeKeyId } from '../support/fake-keys';

const OPS_KEY = { id: fakeKeyId('AKIA'), secret: 'sandbox+ops+queue+secret+for+tests+only0' };

describe('sandbox SQS and EventBridge routing', () => {
  let sandbox: SandboxHandle;
  let carol: Credentials;
  let sqs: SQSClient;
  let events: EventBridgeClient;

  before(async () => {
    const started = await startDemo({}, (s) => {
      s.users = [...(s.users ?? []), {
        name: 'ops', accessKeys: [{ id: OPS_KEY.id, secret: OPS_KEY.secret }],
        policies: { queues: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sqs:*', 'events:*'], Resource: '*' }] } },
      }];
    });
    sandbox = started.sandbox;
    carol = keyOf(started.scenario, 'carol');
    const common = { endpoint: sandbox.endpoint, region: 'us-east-1', credentials: { accessKeyId: OPS_KEY.id, secretAccessKey: OPS_KEY.secret }, maxAttempts: 1 };
    sqs = new SQSClient(common);
    events = new EventBridgeClient(common);
  });
  after(async () => {
    sqs?.destroy();
    events?.destroy();
    await sandbox?.stop();
  });

  const arnOf = async (url: string): Promise<string> =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const advance = async (seconds: number): Promise<void> => {
    assert.equal((await admin(sandbox, 'POST', 'clock', { advanceSeconds: seconds })).status, 200);
  };

  it('creates queues idempotently and names a missing one with QueueDoesNotExist', async () => {
    const first = await sqs.send(new CreateQueueCommand({ QueueName: 'plain' }));
    const again = await sqs.send(new CreateQueueCommand({ QueueName: 'plain' }));
    assert.equal(again.QueueUrl, first.QueueUrl);
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'plain' }))).QueueUrl, first.QueueUrl);
    const missing = await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
    assert.equal(missing.name, 'QueueDoesNotExist');
    const bad = await failure(sqs.send(new CreateQueueCommand({ QueueName: 'plain', Attributes: { VisibilityTimeout: '99999' } })));
    assert.equal(bad.name, 'InvalidParameterValue');
  });

  it('hides a received message for its visibility timeout, redelivers it, then moves it to the dead-letter queue', async () => {
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'work-dlq' }))).QueueUrl!;
    const url = (await sqs.send(new CreateQueueCommand({
      QueueName: 'work', Attributes: { VisibilityTimeout: '30', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlq), maxReceiveCount: 2 }) },
    }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));

    const receive = (queue: string) => sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    const first = await receive(url);
    assert.equal(first.Messages?.length, 1);
    assert.equal(first.Messages![0]!.Attributes?.ApproximateReceiveCount, '1');
    assert.equal((await receive(url)).Messages?.length ?? 0, 0, 'an in-flight message is invisible');

    await advance(31);
    const second = await receive(url);
    assert.equal(second.Messages?.[0]?.Body, 'poison');
    assert.equal(second.Messages![0]!.Attributes?.ApproximateReceiveCount, '2');
    const stale = await failure(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 0 })));
    assert.equal(stale.name, 'MessageNotInflight');

    await advance(31);
    assert.equal((await receive(url)).Messages?.length ?? 0, 0, 'received maxReceiveCount times: no third delivery');
    const dead = await receive(dlq);
    assert.equal(dead.Messages?.[0]?.Body, 'poison');
    assert.equal(dead.Messages![0]!.MessageId, first.Messages![0]!.MessageId);

    const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: dlq, Entries: [{ Id: 'a', ReceiptHandle: dead.Messages![0]!.ReceiptHandle! }] }));
    assert.deepEqual(deleted.Successful?.map((s) => s.Id), ['a']);
    await advance(31);
    assert.equal((await receive(dlq)).Messages?.length ?? 0, 0, 'a deleted message never comes back');
  });

  it('long polling answers as soon as a message arrives', async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'long' }))).QueueUrl!;
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello' }));
    const got = await waiting;
    assert.deepEqual(got.Messages?.map((m) => m.Body), ['hello']);
  });

  it('refuses an event pattern it cannot match instead of matching nothing', async () => {
    const bad = await failure(events.send(new PutRuleCommand({ Name: 'weird', EventPattern: JSON.stringify({ detail: { eventName: [{ 'anything-but': 'x' }] } }) })));
    assert.equal(bad.name, 'InvalidEventPatternException');
    assert.match(bad.message, /detail\.eventName/);
  });

  it("delivers carol's write call to the rule's queue in the CloudTrail envelope, and not read-only or SQS data calls", async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'drift-events' }))).QueueUrl!;
    await events.send(new PutRuleCommand({
      Name: 'writes', EventPattern: JSON.stringify({ 'detail-type': ['AWS API Call via CloudTrail'], source: ['aws.ec2'], detail: { eventName: [{ prefix: 'Create' }] } }),
    }));
    const put = await events.send(new PutTargetsCommand({ Rule: 'writes', Targets: [{ Id: 'q', Arn: await arnOf(url) }] }));
    assert.equal(put.FailedEntryCount, 0);

    const ec2 = clientsFor(sandbox, carol).ec2;
    try {
      await ec2.send(new DescribeVpcsCommand({}));
      await ec2.send(new CreateVpcCommand({ CidrBlock: '10.77.0.0/16' }));
    } finally {
      ec2.destroy();
    }
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }));
    const envelopes = (got.Messages ?? []).map((m) => JSON.parse(m.Body!) as Record<string, unknown>);
    assert.equal(envelopes.length, 1, `exactly carol's write, got ${JSON.stringify(envelopes.map((e) => (e.detail as Record<string, unknown>).eventName))}`);
    const envelope = envelopes[0]!;
    assert.equal(envelope['detail-type'], 'AWS API Call via CloudTrail');
    assert.equal(envelope.source, 'aws.ec2');
    assert.equal(envelope.region, 'us-east-1');
    const detail = envelope.detail as { eventName: string; eventID: string; userIdentity: { userName: string } };
    assert.equal(detail.eventName, 'CreateVpc');
    assert.equal(detail.userIdentity.userName, 'carol');
    assert.match(detail.eventID, /^[0-9a-f-]{36}$/);
  });
});
