// aws_sns_topic_policy ↔ the topic's Policy attribute, read through the SNS topic family (the same
// GetTopicAttributes call serves the topic), compared as an IAM policy document, written back with
// SetTopicAttributes.
import { SetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { member } from '../families/family';
import { snsTopicFamily, TopicRead, TOPIC_KEY } from '../families/sns-topics';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

export const awsSnsTopicPolicy: ResourceType = {
  type: 'aws_sns_topic_policy',
  tags: false,
  attributes: [
    { name: 'arn', compare: 'scalar', forceNew: true },
    { name: 'policy', compare: 'policy', severity: 'warning' },
  ],
  notCompared: { owner: 'computed by AWS (the account)' },
  idFromState: (a) => str(a.arn) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => (/:([^:]+)$/.exec(live.id)?.[1] ?? 'topic').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  family: member<TopicRead>(snsTopicFamily, {
    keys: (t) => [{ filter: TOPIC_KEY, value: t.id }],
    pick(t, rows, ctx) {
      const found = rows.lookup({ filter: TOPIC_KEY, value: t.id });
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const topic = found.items[0];
      if (!topic) return missingEntry(ctx, t.id, `topic ${t.id} does not exist`);
      return foundEntry(t, 'aws_sns_topic_policy', ctx, { arn: t.id, policy: topic.attributes.Policy ?? '' }, { arn: t.id });
    },
  }),

  async revert(request, clients) {
    if (request.attribute !== 'policy') return cannotRevert(request.attribute);
    const d = request.declared;
    const value = typeof d === 'string' ? d : d && typeof d === 'object' ? JSON.stringify(d) : undefined;
    if (value === undefined) return { ok: false, message: 'declared policy is not a document' };
    await clients.gate.call('sns:SetTopicAttributes', () => clients.sns.send(new SetTopicAttributesCommand({ TopicArn: request.id, AttributeName: 'Policy', AttributeValue: value })));
    return { ok: true, message: 'topic policy restored' };
  },
};
