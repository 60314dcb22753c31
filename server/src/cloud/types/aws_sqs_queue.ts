// aws_sqs_queue ↔ the SQS queue family (one GetQueueAttributes per queue; tags from the Tagging
// API's by-ARN read, ListQueueTags where it has none). Identified, as in Terraform, by the queue URL.
//
// Values AWS sets on its own, compared only when the configuration declares them (no default here,
// as in the provider, where each is Optional + Computed):
// - sqs_managed_sse_enabled: since October 2022 AWS encrypts a queue created without encryption
//   settings with SSE-SQS, so an undeclared value is whatever AWS chose;
// - kms_data_key_reuse_period_seconds: AWS reports 300 once a KMS key is set;
// - policy, redrive_policy, redrive_allow_policy: Computed because the standalone resources
//   (aws_sqs_queue_policy and friends) may own them — an undeclared one is theirs, not drift.
import { TagQueueCommand, UntagQueueCommand } from '@aws-sdk/client-sqs';
import { member } from '../families/family';
import { QueueRead, QUEUE_TAGS_KEY, sqsQueueFamily } from '../families/sqs-queues';
import { cannotRevert, foundEntry, labelFrom, missingEntry, str, revertTagMap, untagThenTag, unknownEntry } from './common';
import type { ResourceType } from './resource-type';
import { canonicalQueueJson, liveValue, QueueArgument, setQueueAttribute } from './sqs-common';

/** Arguments written with SetQueueAttributes. */
const SETTABLE: QueueArgument[] = [
  { name: 'visibility_timeout_seconds', attribute: 'VisibilityTimeout', kind: 'int' },
  { name: 'message_retention_seconds', attribute: 'MessageRetentionPeriod', kind: 'int' },
  { name: 'max_message_size', attribute: 'MaximumMessageSize', kind: 'int' },
  { name: 'delay_seconds', attribute: 'DelaySeconds', kind: 'int' },
  { name: 'receive_wait_time_seconds', attribute: 'ReceiveMessageWaitTimeSeconds', kind: 'int' },
  { name: 'policy', attribute: 'Policy', kind: 'policy' },
  { name: 'redrive_policy', attribute: 'RedrivePolicy', kind: 'json' },
  { name: 'redrive_allow_policy', attribute: 'RedriveAllowPolicy', kind: 'json' },
  { name: 'content_based_deduplication', attribute: 'ContentBasedDeduplication', kind: 'bool' },
  { name: 'kms_master_key_id', attribute: 'KmsMasterKeyId', kind: 'string' },
  { name: 'kms_data_key_reuse_period_seconds', attribute: 'KmsDataKeyReusePeriodSeconds', kind: 'int' },
  { name: 'sqs_managed_sse_enabled', attribute: 'SqsManagedSseEnabled', kind: 'bool' },
];
const FIFO: QueueArgument = { name: 'fifo_queue', attribute: 'FifoQueue', kind: 'bool' };

const nameOfUrl = (url: string): string | undefined => /\/\d{12}\/([^/?#]+)\/?$/.exec(url)?.[1];

export const awsSqsQueue: ResourceType = {
  type: 'aws_sqs_queue',
  tags: true,
  taggingType: 'sqs',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'visibility_timeout_seconds', compare: 'scalar', default: 30 },
    { name: 'message_retention_seconds', compare: 'scalar', default: 345600 },
    { name: 'max_message_size', compare: 'scalar', default: 262144 },
    { name: 'delay_seconds', compare: 'scalar', default: 0 },
    { name: 'receive_wait_time_seconds', compare: 'scalar', default: 0 },
    { name: 'policy', compare: 'policy', severity: 'warning' },
    { name: 'redrive_policy', compare: 'scalar', normalize: canonicalQueueJson },
    { name: 'redrive_allow_policy', compare: 'scalar', normalize: canonicalQueueJson },
    { name: 'fifo_queue', compare: 'scalar', default: false, forceNew: true },
    { name: 'content_based_deduplication', compare: 'scalar', default: false },
    { name: 'kms_master_key_id', compare: 'scalar', severity: 'warning' },
    { name: 'kms_data_key_reuse_period_seconds', compare: 'scalar' },
    { name: 'sqs_managed_sse_enabled', compare: 'scalar', severity: 'warning' },
  ],
  notCompared: {
    name_prefix: 'a Terraform-side naming input; the name it produced is compared',
    deduplication_scope: 'FIFO high-throughput setting, not read yet',
    fifo_throughput_limit: 'FIFO high-throughput setting, not read yet',
    url: 'computed by AWS from the account, region and name',
    arn: 'computed by AWS from the account, region and name',
  },
  idFromState: (a) => str(a.url) ?? str(a.id),
  idFromArn: (arn) => {
    const m = /^arn:(aws[\w-]*):sqs:([^:]+):(\d{12}):([^:/]+)$/.exec(arn);
    if (!m) return undefined;
    const suffix = m[1] === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    return `https://sqs.${m[2]}.${suffix}/${m[3]}/${m[4]}`;
  },
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, nameOfUrl(live.id) ?? 'queue'),

  family: member<QueueRead>(sqsQueueFamily, {
    keys: (t) => [{ filter: QUEUE_TAGS_KEY, value: t.id }],
    pick(t, rows, ctx) {
      const found = rows.lookup({ filter: QUEUE_TAGS_KEY, value: t.id });
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const q = found.items[0];
      if (!q) return missingEntry(ctx, t.id, `queue ${t.id} does not exist`);
      const attributes: Record<string, unknown> = {
        name: nameOfUrl(t.id) ?? q.attributes.QueueArn?.split(':').pop() ?? null,
        fifo_queue: liveValue(FIFO, q.attributes),
        tags: q.tags ?? {},
      };
      for (const arg of SETTABLE) attributes[arg.name] = liveValue(arg, q.attributes);
      // AWS reports the reuse period only with a KMS key; the provider records its default then.
      attributes.kms_data_key_reuse_period_seconds ??= 300;
      return foundEntry(t, 'aws_sqs_queue', ctx, attributes, { arn: q.attributes.QueueArn });
    },
  }),

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const arg = SETTABLE.find((a) => a.name === attribute);
    if (arg) return setQueueAttribute(clients, id, arg, declared);
    if (attribute !== 'tags') return cannotRevert(attribute);
    return revertTagMap(request, untagThenTag(
      (TagKeys) => clients.gate.call('sqs:UntagQueue', () => clients.sqs.send(new UntagQueueCommand({ QueueUrl: id, TagKeys }))),
      (tags) => clients.gate.call('sqs:TagQueue', () => clients.sqs.send(new TagQueueCommand({ QueueUrl: id, Tags: Object.fromEntries(tags.map(({ Key, Value }) => [Key, Value])) }))),
    ));
  },
};
