// aws_sns_topic_subscription ↔ SNS GetSubscriptionAttributes, one per subscription: SNS has no call
// that returns the attributes of many subscriptions (ListSubscriptionsByTopic names only protocol
// and endpoint). Identified by the subscription ARN, as in Terraform.
//
// Values AWS sets on its own, not drift:
// - filter_policy_scope: AWS scopes a filter policy to MessageAttributes unless told otherwise; the
//   provider marks it Computed, so it is compared only when declared;
// - pending_confirmation, confirmation_was_authenticated, owner_id: computed by AWS, not compared.
import { GetSubscriptionAttributesCommand, SetSubscriptionAttributesCommand } from '@aws-sdk/client-sns';
import { isSnsNotFound } from '../families/sns-topics';
import { bool, cannotRevert, failureText, foundEntry, missingEntry, perTarget, str, unknownEntry } from './common';
import { canonicalQueueJson } from './sqs-common';
import type { ResourceType } from './resource-type';

interface SubscriptionArgument { name: string; attribute: string; json?: boolean; bool?: boolean }

const SETTABLE: SubscriptionArgument[] = [
  { name: 'raw_message_delivery', attribute: 'RawMessageDelivery', bool: true },
  { name: 'filter_policy', attribute: 'FilterPolicy', json: true },
  { name: 'filter_policy_scope', attribute: 'FilterPolicyScope' },
  { name: 'delivery_policy', attribute: 'DeliveryPolicy', json: true },
  { name: 'redrive_policy', attribute: 'RedrivePolicy', json: true },
  { name: 'subscription_role_arn', attribute: 'SubscriptionRoleArn' },
  { name: 'replay_policy', attribute: 'ReplayPolicy', json: true },
];

export const awsSnsTopicSubscription: ResourceType = {
  type: 'aws_sns_topic_subscription',
  tags: false,
  attributes: [
    { name: 'topic_arn', compare: 'scalar', forceNew: true },
    { name: 'protocol', compare: 'scalar', forceNew: true },
    { name: 'endpoint', compare: 'scalar', forceNew: true },
    { name: 'raw_message_delivery', compare: 'scalar', default: false },
    { name: 'filter_policy', compare: 'scalar', default: '', normalize: canonicalQueueJson },
    { name: 'filter_policy_scope', compare: 'scalar' },
    { name: 'delivery_policy', compare: 'scalar', default: '', normalize: canonicalQueueJson },
    { name: 'redrive_policy', compare: 'scalar', default: '', normalize: canonicalQueueJson },
    { name: 'subscription_role_arn', compare: 'scalar', default: '' },
    { name: 'replay_policy', compare: 'scalar', default: '', normalize: canonicalQueueJson },
  ],
  notCompared: {
    confirmation_timeout_in_minutes: 'a Terraform-side wait setting; AWS has nothing to compare it with',
    endpoint_auto_confirms: 'a Terraform-side setting; AWS has nothing to compare it with',
    pending_confirmation: 'computed by AWS',
    confirmation_was_authenticated: 'computed by AWS',
    owner_id: 'computed by AWS (the account)',
    arn: 'computed by AWS',
  },
  idFromState: (a) => str(a.arn) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => `${(/:([^:]+):[^:]+$/.exec(live.id)?.[1] ?? 'topic').replace(/[^A-Za-z0-9_]/g, '_')}_subscription`,

  async read(targets, ctx) {
    return perTarget(targets, ctx, async (t) => {
      try {
        const out = await ctx.clients.gate.call('sns:GetSubscriptionAttributes', () =>
          ctx.clients.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: t.id })));
        const a = out.Attributes ?? {};
        const attributes: Record<string, unknown> = { topic_arn: a.TopicArn ?? null, protocol: a.Protocol ?? null, endpoint: a.Endpoint ?? null };
        for (const s of SETTABLE) attributes[s.name] = s.bool ? a[s.attribute] === 'true' : a[s.attribute] ?? '';
        return foundEntry(t, 'aws_sns_topic_subscription', ctx, attributes, { arn: t.id });
      } catch (error) {
        if (isSnsNotFound(error)) return missingEntry(ctx, t.id, `subscription ${t.id} does not exist`);
        return unknownEntry(ctx, failureText(error));
      }
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const arg = SETTABLE.find((s) => s.name === attribute);
    if (!arg) return cannotRevert(attribute);
    let value: string | undefined;
    if (arg.bool) {
      const b = bool(declared);
      value = b === undefined ? undefined : String(b);
    } else if (declared === null) value = '';
    else if (typeof declared === 'string') value = declared;
    else if (typeof declared === 'object') value = JSON.stringify(declared);
    if (value === undefined) return { ok: false, message: `declared ${attribute} cannot be written as a subscription attribute` };
    const v = value;
    await clients.gate.call('sns:SetSubscriptionAttributes', () => clients.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: id, AttributeName: arg.attribute, AttributeValue: v })));
    return { ok: true, message: `${attribute} restored` };
  },
};
