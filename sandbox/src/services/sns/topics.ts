// SNS (query protocol, Version 2010-03-31): topics with their attributes (a default access policy
// as AWS writes one), subscriptions with theirs, tags. Nothing is delivered: the sandbox keeps
// settings only. SQS and Lambda subscriptions are confirmed at once, as on AWS for the same
// account; HTTP(S) and email ones stay pending.
import type { CallContext } from '../../context';
import { ApiError, notFound } from '../../errors';
import { uuid } from '../../ids';
import type { QueryParams } from '../../protocol/query-xml';
import { items, node, type XmlNode } from '../../xml';

export interface SnsTopic {
  name: string;
  region: string;
  /** Settable attributes as SNS returns them (strings). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

export interface SnsSubscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  pending: boolean;
  attributes: Record<string, string>;
}

/** The part of the world SNS owns (absent in older saved worlds). */
export interface SnsWorld {
  accountId: string;
  snsTopics?: Record<string, SnsTopic>;
  snsSubscriptions?: Record<string, SnsSubscription>;
}

const FEEDBACK = ['Application', 'HTTP', 'Lambda', 'SQS', 'Firehose'].flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]);
const TOPIC_SETTABLE = new Set([
  'Policy', 'DisplayName', 'DeliveryPolicy', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig', 'ContentBasedDeduplication', 'ArchivePolicy', ...FEEDBACK,
]);
const SUBSCRIPTION_SETTABLE = new Set(['RawMessageDelivery', 'FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy', 'DeliveryPolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);
const PROTOCOLS = new Set(['sqs', 'lambda', 'http', 'https', 'email', 'email-json', 'sms', 'application', 'firehose']);
const PAGE = 100;
const MAX_TAGS = 50;

const invalid = (message: string): ApiError => new ApiError('InvalidParameter', `Invalid parameter: ${message}`, 400);
const topicsOf = (w: SnsWorld): Record<string, SnsTopic> => (w.snsTopics ??= {});
const subsOf = (w: SnsWorld): Record<string, SnsSubscription> => (w.snsSubscriptions ??= {});
export const topicArn = (w: SnsWorld, t: { region: string; name: string }): string => `arn:aws:sns:${t.region}:${w.accountId}:${t.name}`;

/** The access policy AWS gives a new topic: the owner account may manage and publish. */
function defaultPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17', Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: arn, Condition: { StringEquals: { 'AWS:SourceOwner': account } },
    }],
  });
}

function attributeMap(params: QueryParams, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of params.structs(`${name}.entry`)) {
    const key = e.get('key');
    if (!key) throw invalid(`${name}: every entry needs a key`);
    out[key] = e.get('value') ?? '';
  }
  return out;
}

function tagMap(params: QueryParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of params.structs('Tags.member')) {
    const key = t.get('Key');
    if (!key) throw invalid('Tags: every tag needs a Key');
    if (key.toLowerCase().startsWith('aws:')) throw invalid(`Tag keys starting with 'aws:' are reserved (${key})`);
    out[key] = t.get('Value') ?? '';
  }
  return out;
}

function checkTags(tags: Record<string, string>): Record<string, string> {
  if (Object.keys(tags).length > MAX_TAGS) throw new ApiError('TagLimitExceeded', `Could not complete request: tag quota of per resource exceeded (${MAX_TAGS})`, 400);
  return tags;
}

function json(name: string, value: string): void {
  if (value === '') return;
  try {
    const v: unknown = JSON.parse(value);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
  } catch {
    throw invalid(`${name}: must be a JSON object`);
  }
}

function checkTopicAttribute(name: string, value: string): void {
  if (!TOPIC_SETTABLE.has(name)) throw invalid(`AttributeName: Unknown attribute ${name}`);
  if (name === 'Policy' || name === 'DeliveryPolicy' || name === 'ArchivePolicy') json(name, value);
  if (name === 'SignatureVersion' && value !== '1' && value !== '2') throw invalid('SignatureVersion: must be 1 or 2');
  if (name === 'TracingConfig' && value !== 'PassThrough' && value !== 'Active') throw invalid('TracingConfig: must be PassThrough or Active');
  if (name.endsWith('SampleRate') && !(/^\d+$/.test(value) && Number(value) <= 100)) throw invalid(`${name}: must be an integer from 0 to 100`);
}

function checkSubscriptionAttribute(name: string, value: string): void {
  if (!SUBSCRIPTION_SETTABLE.has(name)) throw invalid(`AttributeName: Unknown attribute ${name}`);
  if (name === 'RawMessageDelivery' && value !== 'true' && value !== 'false') throw invalid('RawMessageDelivery: must be true or false');
  if (name === 'FilterPolicyScope' && value !== 'MessageAttributes' && value !== 'MessageBody') throw invalid('FilterPolicyScope: must be MessageAttributes or MessageBody');
  if (name === 'FilterPolicy' || name === 'RedrivePolicy' || name === 'DeliveryPolicy' || name === 'ReplayPolicy') json(name, value);
}

/** The topic an ARN names, in the caller's region and account, authorized and named in CloudTrail. */
function topicFor(ctx: CallContext, arn: string | undefined, action: string, record = true): SnsTopic {
  if (!arn) throw invalid('TopicArn or ResourceArn is required');
  if (record) ctx.trail.resources.push({ type: 'AWS::SNS::Topic', name: arn, arn });
  ctx.authorize(action, arn);
  const m = /^arn:aws:sns:([^:]+):(\d{12}):([^:]+)$/.exec(arn);
  if (!m) throw invalid(`TopicArn: ${arn} is not a topic ARN`);
  const t = m[1] === ctx.region && m[2] === ctx.world.accountId ? topicsOf(ctx.world)[`${m[1]}/${m[3]}`] : undefined;
  if (!t) throw notFound('NotFound', 'Topic does not exist');
  return t;
}

function subscriptionFor(ctx: CallContext, arn: string | undefined, action: string, record = true): SnsSubscription {
  if (!arn) throw invalid('SubscriptionArn is required');
  if (record) ctx.trail.resources.push({ type: 'AWS::SNS::Subscription', name: arn, arn });
  const s = subsOf(ctx.world)[arn];
  ctx.authorize(action, s?.topicArn ?? arn);
  if (!s) throw notFound('NotFound', 'Subscription does not exist');
  return s;
}

const entries = (attrs: Record<string, string>): XmlNode[] =>
  [node('Attributes', items('entry', Object.entries(attrs), ([k, v]) => [node('key', k), node('value', v)]))];

/** NextToken pagination over a sorted list, 100 a page. */
function page<T>(list: T[], params: QueryParams): { items: T[]; next?: string } {
  const token = params.get('NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw invalid('NextToken: Invalid token');
  return { items: list.slice(start, start + PAGE), next: start + PAGE < list.length ? Buffer.from(String(start + PAGE)).toString('base64url') : undefined };
}

const subscriptionNode = (ctx: CallContext, s: SnsSubscription): XmlValueList => [
  node('SubscriptionArn', s.pending ? 'PendingConfirmation' : s.arn), node('Owner', ctx.world.accountId), node('Protocol', s.protocol),
  node('Endpoint', s.endpoint), node('TopicArn', s.topicArn),
];
type XmlValueList = XmlNode[];

type Handler = (ctx: CallContext, params: QueryParams) => XmlNode[];

export const snsOperations: Record<string, Handler> = {
  CreateTopic(ctx, params) {
    const name = params.required('Name');
    const fifo = name.endsWith('.fifo');
    if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name) || name.length > 256) throw invalid(`Topic Name: ${name}`);
    const t0 = { name, region: ctx.region };
    const arn = topicArn(ctx.world, t0);
    ctx.trail.resources.push({ type: 'AWS::SNS::Topic', name: arn, arn });
    ctx.authorize('sns:CreateTopic', arn);
    const attributes = attributeMap(params, 'Attributes');
    const fifoAttr = attributes.FifoTopic;
    delete attributes.FifoTopic;
    if ((fifoAttr === 'true') !== fifo) throw invalid('Fifo Topic names must end with .fifo and FifoTopic must be true for them');
    if (!fifo && attributes.ContentBasedDeduplication !== undefined) throw invalid('ContentBasedDeduplication: only for FIFO topics');
    for (const [k, v] of Object.entries(attributes)) checkTopicAttribute(k, v);
    const key = `${ctx.region}/${name}`;
    // Creating an existing topic with the same settings returns it, as on AWS.
    if (topicsOf(ctx.world)[key]) return [node('TopicArn', arn)];
    topicsOf(ctx.world)[key] = {
      name, region: ctx.region, tags: checkTags(tagMap(params)),
      attributes: { Policy: defaultPolicy(arn, ctx.world.accountId), DisplayName: '', ...(fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : {}), ...attributes },
    };
    return [node('TopicArn', arn)];
  },
  DeleteTopic(ctx, params) {
    const arn = params.required('TopicArn');
    ctx.trail.resources.push({ type: 'AWS::SNS::Topic', name: arn, arn });
    ctx.authorize('sns:DeleteTopic', arn);
    const m = /^arn:aws:sns:([^:]+):\d{12}:([^:]+)$/.exec(arn);
    // Deleting a topic that does not exist succeeds, as on AWS.
    if (m && m[1] === ctx.region) delete topicsOf(ctx.world)[`${m[1]}/${m[2]}`];
    for (const [k, s] of Object.entries(subsOf(ctx.world))) if (s.topicArn === arn) delete subsOf(ctx.world)[k];
    return [];
  },
  ListTopics(ctx, params) {
    ctx.authorize('sns:ListTopics', '*');
    const arns = Object.values(topicsOf(ctx.world)).filter((t) => t.region === ctx.region).map((t) => topicArn(ctx.world, t)).sort();
    const p = page(arns, params);
    return [node('Topics', items('member', p.items, (a) => [node('TopicArn', a)])), node('NextToken', p.next)];
  },
  GetTopicAttributes(ctx, params) {
    const t = topicFor(ctx, params.get('TopicArn'), 'sns:GetTopicAttributes', false);
    const arn = topicArn(ctx.world, t);
    const subs = Object.values(subsOf(ctx.world)).filter((s) => s.topicArn === arn);
    const attrs: Record<string, string> = {
      ...t.attributes, TopicArn: arn, Owner: ctx.world.accountId,
      SubscriptionsConfirmed: String(subs.filter((s) => !s.pending).length), SubscriptionsPending: String(subs.filter((s) => s.pending).length), SubscriptionsDeleted: '0',
      EffectiveDeliveryPolicy: t.attributes.DeliveryPolicy || JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3 } } }),
    };
    for (const [k, v] of Object.entries(attrs)) if (v === '' && k !== 'DisplayName') delete attrs[k];
    return entries(attrs);
  },
  SetTopicAttributes(ctx, params) {
    const t = topicFor(ctx, params.get('TopicArn'), 'sns:SetTopicAttributes');
    const name = params.required('AttributeName');
    const value = params.get('AttributeValue') ?? '';
    checkTopicAttribute(name, value);
    if (name === 'ContentBasedDeduplication' && t.attributes.FifoTopic !== 'true') throw invalid('ContentBasedDeduplication: only for FIFO topics');
    // An empty policy restores the default one, as on AWS.
    t.attributes[name] = name === 'Policy' && value === '' ? defaultPolicy(topicArn(ctx.world, t), ctx.world.accountId) : value;
    return [];
  },
  Subscribe(ctx, params) {
    const t = topicFor(ctx, params.get('TopicArn'), 'sns:Subscribe');
    const protocol = params.required('Protocol');
    if (!PROTOCOLS.has(protocol)) throw invalid(`Invalid protocol type: ${protocol}`);
    const endpoint = params.get('Endpoint') ?? '';
    if ((protocol === 'sqs' || protocol === 'lambda' || protocol === 'firehose') && !endpoint.startsWith('arn:')) throw invalid(`${protocol} endpoint must be an ARN`);
    if ((protocol === 'http' || protocol === 'https') && !endpoint.startsWith(`${protocol}://`)) throw invalid(`Endpoint must match the specified protocol`);
    const attributes = attributeMap(params, 'Attributes');
    for (const [k, v] of Object.entries(attributes)) checkSubscriptionAttribute(k, v);
    const arn = topicArn(ctx.world, t);
    const existing = Object.values(subsOf(ctx.world)).find((s) => s.topicArn === arn && s.protocol === protocol && s.endpoint === endpoint);
    if (existing) return [node('SubscriptionArn', existing.pending && params.get('ReturnSubscriptionArn') !== 'true' ? 'pending confirmation' : existing.arn)];
    const sub: SnsSubscription = {
      arn: `${arn}:${uuid()}`, topicArn: arn, protocol, endpoint, pending: !['sqs', 'lambda', 'firehose', 'application'].includes(protocol),
      attributes: { RawMessageDelivery: 'false', ...attributes },
    };
    // AWS scopes a filter policy to message attributes unless told otherwise.
    if (sub.attributes.FilterPolicy && !sub.attributes.FilterPolicyScope) sub.attributes.FilterPolicyScope = 'MessageAttributes';
    subsOf(ctx.world)[sub.arn] = sub;
    ctx.trail.resources.push({ type: 'AWS::SNS::Subscription', name: sub.arn, arn: sub.arn });
    return [node('SubscriptionArn', sub.pending && params.get('ReturnSubscriptionArn') !== 'true' ? 'pending confirmation' : sub.arn)];
  },
  Unsubscribe(ctx, params) {
    const s = subscriptionFor(ctx, params.get('SubscriptionArn'), 'sns:Unsubscribe');
    delete subsOf(ctx.world)[s.arn];
    return [];
  },
  GetSubscriptionAttributes(ctx, params) {
    const s = subscriptionFor(ctx, params.get('SubscriptionArn'), 'sns:GetSubscriptionAttributes', false);
    const attrs: Record<string, string> = {
      ...s.attributes, SubscriptionArn: s.arn, TopicArn: s.topicArn, Protocol: s.protocol, Endpoint: s.endpoint, Owner: ctx.world.accountId,
      PendingConfirmation: String(s.pending), ConfirmationWasAuthenticated: String(!s.pending),
    };
    for (const [k, v] of Object.entries(attrs)) if (v === '') delete attrs[k];
    return entries(attrs);
  },
  SetSubscriptionAttributes(ctx, params) {
    const s = subscriptionFor(ctx, params.get('SubscriptionArn'), 'sns:SetSubscriptionAttributes');
    const name = params.required('AttributeName');
    const value = params.get('AttributeValue') ?? '';
    checkSubscriptionAttribute(name, value);
    s.attributes[name] = value;
    if (name === 'FilterPolicy') {
      if (value === '') delete s.attributes.FilterPolicyScope;
      else s.attributes.FilterPolicyScope ||= 'MessageAttributes';
    }
    return [];
  },
  ListSubscriptionsByTopic(ctx, params) {
    const t = topicFor(ctx, params.get('TopicArn'), 'sns:ListSubscriptionsByTopic', false);
    const arn = topicArn(ctx.world, t);
    const p = page(Object.values(subsOf(ctx.world)).filter((s) => s.topicArn === arn).sort((a, b) => a.arn.localeCompare(b.arn)), params);
    return [node('Subscriptions', items('member', p.items, (s) => subscriptionNode(ctx, s))), node('NextToken', p.next)];
  },
  ListSubscriptions(ctx, params) {
    ctx.authorize('sns:ListSubscriptions', '*');
    const mine = Object.values(subsOf(ctx.world)).filter((s) => s.topicArn.split(':')[3] === ctx.region).sort((a, b) => a.arn.localeCompare(b.arn));
    const p = page(mine, params);
    return [node('Subscriptions', items('member', p.items, (s) => subscriptionNode(ctx, s))), node('NextToken', p.next)];
  },
  ListTagsForResource(ctx, params) {
    const t = topicFor(ctx, params.get('ResourceArn'), 'sns:ListTagsForResource', false);
    return [node('Tags', items('member', Object.entries(t.tags), ([Key, Value]) => [node('Key', Key), node('Value', Value)]))];
  },
  TagResource(ctx, params) {
    const t = topicFor(ctx, params.get('ResourceArn'), 'sns:TagResource');
    t.tags = checkTags({ ...t.tags, ...tagMap(params) });
    return [];
  },
  UntagResource(ctx, params) {
    const t = topicFor(ctx, params.get('ResourceArn'), 'sns:UntagResource');
    for (const k of params.list('TagKeys.member')) delete t.tags[k];
    return [];
  },
};
