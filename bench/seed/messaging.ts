// Messaging created through the SQS and SNS APIs: a work queue whose redrive policy sends failures
// to a dead-letter queue that allows only that source (the standalone redrive resources), and a
// topic with its access policy and a raw-delivery SQS subscription of the work queue.
import { CreateQueueCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { arnOf, clientFor, hclValue, type SeededBlock, type Seeder, type SeedTarget } from './seeder';
import { awsName, block, label, q, tagSet } from './hcl-text';
import { tagList } from './block-text';

/** An SQS queue with the provider's defaults but the visibility timeout, tagged, created through the API: its block and its URL/ARN. */
export async function seedQueue(target: SeedTarget, tfName: string, queueName: string, visibilityTimeout = 30): Promise<{ block: SeededBlock; url: string; arn: string }> {
  const tags = tagSet(queueName);
  const attributes = visibilityTimeout === 30 ? {} : { VisibilityTimeout: String(visibilityTimeout) };
  const url = (await clientFor(SQSClient, target).send(new CreateQueueCommand({ QueueName: queueName, Attributes: attributes, tags: tags.live }))).QueueUrl!;
  const arn = arnOf(target, 'sqs', queueName);
  return {
    url, arn,
    block: {
      type: 'aws_sqs_queue', name: tfName,
      hcl: block('aws_sqs_queue', tfName, [`  name = ${q(queueName)}`, ...(visibilityTimeout === 30 ? [] : [`  visibility_timeout_seconds = ${visibilityTimeout}`]), '', tags.hcl]),
      attributes: {
        id: url, url, arn, name: queueName, name_prefix: '', visibility_timeout_seconds: visibilityTimeout, message_retention_seconds: 345600, max_message_size: 262144,
        delay_seconds: 0, receive_wait_time_seconds: 0, fifo_queue: false, content_based_deduplication: false, deduplication_scope: '', fifo_throughput_limit: '',
        kms_master_key_id: '', kms_data_key_reuse_period_seconds: 300, sqs_managed_sse_enabled: true, policy: '', redrive_policy: '', redrive_allow_policy: '', ...tags.state,
      },
    },
  };
}

const jsonencode = (v: unknown) => `jsonencode(${hclValue(v, '  ')})`;

async function seedUnit(target: SeedTarget, suffix: string): Promise<SeededBlock[]> {
  const sqs = clientFor(SQSClient, target);
  const sns = clientFor(SNSClient, target);
  const n = (prefix: string) => label(prefix, suffix);
  const work = await seedQueue(target, n('work'), awsName('bench-work', suffix));
  const dlq = await seedQueue(target, n('dlq'), awsName('bench-work-dlq', suffix));
  const redrive = { deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 };
  const allow = { redrivePermission: 'byQueue', sourceQueueArns: [work.arn] };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: work.url, Attributes: { RedrivePolicy: JSON.stringify(redrive) } }));
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq.url, Attributes: { RedriveAllowPolicy: JSON.stringify(allow) } }));

  const topicName = awsName('bench-events', suffix);
  const topicTags = tagSet(topicName);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: topicName, Attributes: { DisplayName: 'Bench events' }, Tags: tagList(topicTags.live) }))).TopicArn!;
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'AccountPublish', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${target.account}:root` }, Action: 'sns:Publish', Resource: topicArn }],
  };
  await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify(policy) }));
  const subscriptionArn = (await sns.send(new SubscribeCommand({
    TopicArn: topicArn, Protocol: 'sqs', Endpoint: work.arn, Attributes: { RawMessageDelivery: 'true' }, ReturnSubscriptionArn: true,
  }))).SubscriptionArn!;

  const queueRef = (which: string) => `aws_sqs_queue.${n(which)}`;
  const topicRef = `aws_sns_topic.${n('events')}`;
  return [
    work.block,
    dlq.block,
    {
      type: 'aws_sqs_queue_redrive_policy', name: n('work'),
      hcl: block('aws_sqs_queue_redrive_policy', n('work'), [`  queue_url = ${queueRef('work')}.id`, `  redrive_policy = jsonencode({`, `    deadLetterTargetArn = ${queueRef('dlq')}.arn`, '    maxReceiveCount     = 5', '  })']),
      attributes: { id: work.url, queue_url: work.url, redrive_policy: JSON.stringify(redrive) },
      dependencies: [queueRef('dlq'), queueRef('work')],
    },
    {
      type: 'aws_sqs_queue_redrive_allow_policy', name: n('dlq'),
      hcl: block('aws_sqs_queue_redrive_allow_policy', n('dlq'), [`  queue_url = ${queueRef('dlq')}.id`, `  redrive_allow_policy = jsonencode({`, '    redrivePermission = "byQueue"', `    sourceQueueArns   = [${queueRef('work')}.arn]`, '  })']),
      attributes: { id: dlq.url, queue_url: dlq.url, redrive_allow_policy: JSON.stringify(allow) },
      dependencies: [queueRef('dlq'), queueRef('work')],
    },
    {
      type: 'aws_sns_topic', name: n('events'),
      hcl: block('aws_sns_topic', n('events'), [`  name         = ${q(topicName)}`, '  display_name = "Bench events"', '', topicTags.hcl]),
      attributes: {
        id: topicArn, arn: topicArn, name: topicName, name_prefix: '', display_name: 'Bench events', fifo_topic: false, content_based_deduplication: false,
        kms_master_key_id: '', delivery_policy: '', signature_version: 0, tracing_config: '', owner: target.account, policy: JSON.stringify(policy), archive_policy: '',
        ...topicTags.state,
      },
    },
    {
      type: 'aws_sns_topic_policy', name: n('events'),
      hcl: block('aws_sns_topic_policy', n('events'), [`  arn    = ${topicRef}.arn`, `  policy = ${jsonencode({ ...policy, Statement: [{ ...policy.Statement[0], Resource: '__TOPIC__' }] }).replace('"__TOPIC__"', `${topicRef}.arn`)}`]),
      attributes: { id: topicArn, arn: topicArn, policy: JSON.stringify(policy), owner: target.account },
      dependencies: [topicRef],
    },
    {
      type: 'aws_sns_topic_subscription', name: n('work'),
      hcl: block('aws_sns_topic_subscription', n('work'), [`  topic_arn            = ${topicRef}.arn`, '  protocol             = "sqs"', `  endpoint             = ${queueRef('work')}.arn`, '  raw_message_delivery = true']),
      attributes: {
        id: subscriptionArn, arn: subscriptionArn, topic_arn: topicArn, protocol: 'sqs', endpoint: work.arn, raw_message_delivery: true, filter_policy: '', filter_policy_scope: '',
        delivery_policy: '', redrive_policy: '', subscription_role_arn: '', replay_policy: '', confirmation_timeout_in_minutes: 1, endpoint_auto_confirms: false,
        pending_confirmation: false, confirmation_was_authenticated: true, owner_id: target.account,
      },
      dependencies: [topicRef, queueRef('work')],
    },
  ];
}

export const messagingSeeder: Seeder = {
  family: 'messaging',
  types: ['aws_sqs_queue', 'aws_sqs_queue_redrive_policy', 'aws_sqs_queue_redrive_allow_policy', 'aws_sns_topic', 'aws_sns_topic_policy', 'aws_sns_topic_subscription'],
  seedUnit,
  lowerBound(byType) {
    // The queues' one GetQueueAttributes each (which also carries both redrive documents) is in
    // the generator's bound; tags come from the Tagging API.
    return {
      // SNS has no batch read of topic attributes: one GetTopicAttributes per topic serves topic and policy.
      'sns:GetTopicAttributes': byType.aws_sns_topic ?? 0,
      // ListSubscriptions omits the delivery attributes (raw delivery, filter policy): one GetSubscriptionAttributes each.
      'sns:GetSubscriptionAttributes': byType.aws_sns_topic_subscription ?? 0,
    };
  },
  readActions: ['sqs:GetQueueAttributes', 'sqs:ListQueueTags', 'sqs:ListQueues', 'sns:GetTopicAttributes', 'sns:GetSubscriptionAttributes', 'sns:ListTopics', 'sns:ListSubscriptions', 'sns:ListTagsForResource'],
};
