// The SNS topic family: one GetTopicAttributes per topic — SNS has no call that returns the
// settings of many topics — serves aws_sns_topic and aws_sns_topic_policy. A topic's tags come from
// the Tagging API's by-ARN read when it returned them, otherwise from ListTagsForResource.
import { GetTopicAttributesCommand, ListTagsForResourceCommand } from '@aws-sdk/client-sns';
import { AwsCallError, describeError } from '../errors';
import { failureText } from '../types/common';
import type { ReadContext } from '../types/resource-type';
import type { FamilyKey, FamilyLookup, ReadFamily } from './family';

export interface TopicRead {
  arn: string;
  attributes: Record<string, string>;
  /** Only read for `tags` keys. */
  tags?: Record<string, string>;
}

export const TOPIC_KEY = 'topic';
export const TOPIC_TAGS_KEY = 'tags';

/** SNS answers a deleted topic or subscription with NotFound (HTTP 404). */
export function isSnsNotFound(error: unknown): boolean {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  return f.code === 'NotFound' || f.code === 'NotFoundException' || f.status === 404;
}

async function readTopic(arn: string, withTags: boolean, ctx: ReadContext): Promise<FamilyLookup<TopicRead>> {
  const sns = ctx.clients.sns;
  try {
    const out = await ctx.clients.gate.call('sns:GetTopicAttributes', () => sns.send(new GetTopicAttributesCommand({ TopicArn: arn })));
    const attributes = out.Attributes ?? {};
    if (!withTags) return { items: [{ arn, attributes }] };
    let tags = ctx.tagsByArn.get(arn);
    if (!tags) {
      const listed = await ctx.clients.gate.call('sns:ListTagsForResource', () => sns.send(new ListTagsForResourceCommand({ ResourceArn: arn })));
      tags = Object.fromEntries((listed.Tags ?? []).filter((t) => t.Key && !t.Key.startsWith('aws:')).map((t) => [t.Key!, t.Value ?? '']));
    }
    return { items: [{ arn, attributes, tags }] };
  } catch (error) {
    if (isSnsNotFound(error)) return { items: [] };
    return { failure: failureText(error) };
  }
}

export const snsTopicFamily: ReadFamily<TopicRead> = {
  name: 'sns:GetTopicAttributes',
  async load(keys, ctx) {
    const withTags = new Set(keys.filter((k) => k.filter === TOPIC_TAGS_KEY).map((k) => k.value));
    const arns = [...new Set(keys.map((k) => k.value))];
    const results = new Map(await Promise.all(arns.map(async (arn) => [arn, await readTopic(arn, withTags.has(arn), ctx)] as const)));
    return { lookup: (key: FamilyKey) => results.get(key.value) ?? { failure: `sns:GetTopicAttributes was not planned for ${key.value}` } };
  },
};
