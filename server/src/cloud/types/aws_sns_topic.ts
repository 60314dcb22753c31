// aws_sns_topic ↔ the SNS topic family (one GetTopicAttributes per topic; tags from the Tagging
// API's by-ARN read, ListTagsForResource where it has none). Identified by the topic ARN, as in
// Terraform.
//
// Values AWS sets on its own, compared only when the configuration declares them (no default
// here; the provider marks each Optional + Computed):
// - policy: AWS gives every new topic a default access policy (and aws_sns_topic_policy may own it);
// - signature_version: AWS signs with version 1 unless told otherwise;
// - tracing_config: AWS reports PassThrough unless told otherwise.
import { SetTopicAttributesCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-sns';
import { member } from '../families/family';
import { snsTopicFamily, TopicRead, TOPIC_TAGS_KEY } from '../families/sns-topics';
import type { AttributeRule } from '../../drift/schema';
import { bool, cannotRevert, foundEntry, labelFrom, missingEntry, num, str, revertTagMap, untagThenTag, unknownEntry } from './common';
import { canonicalQueueJson } from './sqs-common';
import type { ResourceType } from './resource-type';

type Kind = 'string' | 'int' | 'bool' | 'policy' | 'json';
interface TopicArgument { name: string; attribute: string; kind: Kind; default?: string | number | boolean }

const FEEDBACK: TopicArgument[] = [['application', 'Application'], ['http', 'HTTP'], ['lambda', 'Lambda'], ['sqs', 'SQS'], ['firehose', 'Firehose']].flatMap(([tf, aws]) => [
  { name: `${tf}_success_feedback_role_arn`, attribute: `${aws}SuccessFeedbackRoleArn`, kind: 'string' as const },
  { name: `${tf}_success_feedback_sample_rate`, attribute: `${aws}SuccessFeedbackSampleRate`, kind: 'int' as const },
  { name: `${tf}_failure_feedback_role_arn`, attribute: `${aws}FailureFeedbackRoleArn`, kind: 'string' as const },
]);

/** Arguments written with SetTopicAttributes. */
const SETTABLE: TopicArgument[] = [
  { name: 'display_name', attribute: 'DisplayName', kind: 'string', default: '' },
  { name: 'policy', attribute: 'Policy', kind: 'policy' },
  { name: 'delivery_policy', attribute: 'DeliveryPolicy', kind: 'json' },
  { name: 'kms_master_key_id', attribute: 'KmsMasterKeyId', kind: 'string', default: '' },
  { name: 'signature_version', attribute: 'SignatureVersion', kind: 'int' },
  { name: 'tracing_config', attribute: 'TracingConfig', kind: 'string' },
  { name: 'content_based_deduplication', attribute: 'ContentBasedDeduplication', kind: 'bool', default: false },
  { name: 'archive_policy', attribute: 'ArchivePolicy', kind: 'json' },
  ...FEEDBACK,
];

function rule(a: TopicArgument): AttributeRule {
  const base: AttributeRule = a.kind === 'policy' ? { name: a.name, compare: 'policy', severity: 'warning' }
    : a.kind === 'json' ? { name: a.name, compare: 'scalar', normalize: canonicalQueueJson }
    : { name: a.name, compare: 'scalar' };
  return a.default === undefined ? base : { ...base, default: a.default };
}

function liveValue(a: TopicArgument, attributes: Record<string, string>): unknown {
  const raw = attributes[a.attribute];
  switch (a.kind) {
    case 'int': return raw === undefined || raw === '' ? null : Number(raw);
    case 'bool': return raw === 'true';
    default: return raw ?? '';
  }
}

function wireValue(a: TopicArgument, declared: unknown): string | undefined {
  if (declared === null) return '';
  switch (a.kind) {
    case 'int': { const n = num(declared as never); return n === undefined ? undefined : String(n); }
    case 'bool': { const b = bool(declared as never); return b === undefined ? undefined : String(b); }
    default:
      if (typeof declared === 'string') return declared;
      return declared && typeof declared === 'object' ? JSON.stringify(declared) : undefined;
  }
}

const nameOfArn = (arn: string): string | undefined => /^arn:aws[\w-]*:sns:[^:]*:\d{12}:([^:]+)$/.exec(arn)?.[1];

export const awsSnsTopic: ResourceType = {
  type: 'aws_sns_topic',
  tags: true,
  taggingType: 'sns',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'fifo_topic', compare: 'scalar', default: false, forceNew: true },
    ...SETTABLE.map(rule),
  ],
  notCompared: {
    name_prefix: 'a Terraform-side naming input; the name it produced is compared',
    fifo_throughput_scope: 'not read yet',
    owner: 'computed by AWS (the account)',
    beginning_archive_time: 'computed by AWS',
    arn: 'computed by AWS from the account, region and name',
  },
  idFromState: (a) => str(a.arn) ?? str(a.id),
  idFromArn: (arn) => (nameOfArn(arn) ? arn : undefined),
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, nameOfArn(live.id) ?? 'topic'),

  family: member<TopicRead>(snsTopicFamily, {
    keys: (t) => [{ filter: TOPIC_TAGS_KEY, value: t.id }],
    pick(t, rows, ctx) {
      const found = rows.lookup({ filter: TOPIC_TAGS_KEY, value: t.id });
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const topic = found.items[0];
      if (!topic) return missingEntry(ctx, t.id, `topic ${t.id} does not exist`);
      const attributes: Record<string, unknown> = { name: nameOfArn(t.id) ?? null, fifo_topic: topic.attributes.FifoTopic === 'true', tags: topic.tags ?? {} };
      for (const a of SETTABLE) attributes[a.name] = liveValue(a, topic.attributes);
      return foundEntry(t, 'aws_sns_topic', ctx, attributes, { arn: t.id });
    },
  }),

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const sns = clients.sns;
    const arg = SETTABLE.find((a) => a.name === attribute);
    if (arg) {
      const value = wireValue(arg, declared);
      if (value === undefined) return { ok: false, message: `declared ${attribute} cannot be written as an SNS attribute` };
      await clients.gate.call('sns:SetTopicAttributes', () => sns.send(new SetTopicAttributesCommand({ TopicArn: id, AttributeName: arg.attribute, AttributeValue: value })));
      return { ok: true, message: `${attribute} restored` };
    }
    if (attribute !== 'tags') return cannotRevert(attribute);
    return revertTagMap(request, untagThenTag(
      (TagKeys) => clients.gate.call('sns:UntagResource', () => sns.send(new UntagResourceCommand({ ResourceArn: id, TagKeys }))),
      (Tags) => clients.gate.call('sns:TagResource', () => sns.send(new TagResourceCommand({ ResourceArn: id, Tags }))),
    ));
  },
};
