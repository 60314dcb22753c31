// The SQS queue family: one GetQueueAttributes(All) per queue — SQS has no call that returns the
// settings of many queues — serves aws_sqs_queue and the three queue sub-resource types
// (policy, redrive policy, redrive allow policy) with one call per queue, however many of them
// declare it. A queue's tags come from the Tagging API's by-ARN read when it returned them (100
// ARNs a call), otherwise from ListQueueTags.
import { GetQueueAttributesCommand, ListQueueTagsCommand } from '@aws-sdk/client-sqs';
import { AwsCallError, describeError } from '../errors';
import { failureText } from '../types/common';
import type { ReadContext } from '../types/resource-type';
import type { FamilyKey, FamilyLookup, ReadFamily } from './family';

export interface QueueRead {
  url: string;
  /** Attribute values as SQS returns them (strings). */
  attributes: Record<string, string>;
  /** Only read for `tags` keys. */
  tags?: Record<string, string>;
}

/** Key kinds: `queue` reads the attributes, `tags` the attributes and the tags. */
export const QUEUE_KEY = 'queue';
export const QUEUE_TAGS_KEY = 'tags';

/** SQS answers a deleted queue with QueueDoesNotExist (JSON) or its query-protocol code. */
export function isNoQueue(error: unknown): boolean {
  const code = error instanceof AwsCallError ? error.failure.code : describeError(error).code;
  return code === 'QueueDoesNotExist' || code === 'AWS.SimpleQueueService.NonExistentQueue';
}

/** `arn:aws:sqs:<region>:<account>:<name>` of a queue URL `https://host/<account>/<name>`. */
export function queueArnOfUrl(url: string, region: string): string | undefined {
  const m = /\/(\d{12})\/([^/?#]+)\/?$/.exec(url);
  return m ? `arn:aws:sqs:${region}:${m[1]}:${m[2]}` : undefined;
}

async function readQueue(url: string, withTags: boolean, ctx: ReadContext): Promise<FamilyLookup<QueueRead>> {
  const sqs = ctx.clients.sqs;
  try {
    const out = await ctx.clients.gate.call('sqs:GetQueueAttributes', () => sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })));
    const attributes = out.Attributes ?? {};
    if (!withTags) return { items: [{ url, attributes }] };
    const arn = attributes.QueueArn ?? queueArnOfUrl(url, ctx.clients.region);
    let tags = arn ? ctx.tagsByArn.get(arn) : undefined;
    if (!tags) {
      const listed = await ctx.clients.gate.call('sqs:ListQueueTags', () => sqs.send(new ListQueueTagsCommand({ QueueUrl: url })));
      tags = Object.fromEntries(Object.entries(listed.Tags ?? {}).filter(([k]) => !k.startsWith('aws:')));
    }
    return { items: [{ url, attributes, tags }] };
  } catch (error) {
    if (isNoQueue(error)) return { items: [] };
    return { failure: failureText(error) };
  }
}

export const sqsQueueFamily: ReadFamily<QueueRead> = {
  name: 'sqs:GetQueueAttributes',
  async load(keys, ctx) {
    const withTags = new Set(keys.filter((k) => k.filter === QUEUE_TAGS_KEY).map((k) => k.value));
    const urls = [...new Set(keys.map((k) => k.value))];
    const results = new Map(await Promise.all(urls.map(async (url) => [url, await readQueue(url, withTags.has(url), ctx)] as const)));
    return {
      lookup(key: FamilyKey) {
        return results.get(key.value) ?? { failure: `sqs:GetQueueAttributes was not planned for ${key.value}` };
      },
    };
  },
};
