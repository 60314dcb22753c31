// Pure: one SQS message body from an EventBridge rule → the change event the CloudTrail path
// produces. The envelope's `detail` is the CloudTrail record itself, so it goes through the same
// translation (toCloudEvent) as a LookupEvents record; only the resource names differ in origin.
import { toCloudEvent } from '../cloud/cloudtrail';
import type { ChangeEvent } from '../model';
import { toChangeEvent } from './trail';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

export type QueueMessage =
  /** A write call: follow it. */
  | { kind: 'event'; event: ChangeEvent; account?: string; region?: string }
  /** A well-formed envelope that changes nothing (read-only call, another detail type): delete it quietly. */
  | { kind: 'ignored'; reason: string }
  /** Not an envelope at all: report it, and leave it to the queue's dead-letter policy. */
  | { kind: 'unparseable'; reason: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** requestParameters keys that name the object a call acts on (EC2 ids, bucket/role names, ARNs). */
const NAME_KEY = /(Id|Ids|Name|Arn|ARN)$/;

/**
 * The names a record's requestParameters give its objects. LookupEvents derives its `Resources`
 * from these; an EventBridge envelope has only the raw record, so the follower derives them here.
 * Extra names are harmless: a name no state instance carries touches nothing.
 */
export function requestNames(parameters: unknown, depth = 0): string[] {
  if (depth > 4) return [];
  const out: string[] = [];
  if (Array.isArray(parameters)) {
    for (const item of parameters) out.push(...requestNames(item, depth + 1));
  } else if (isObject(parameters)) {
    for (const [key, value] of Object.entries(parameters)) {
      if (NAME_KEY.test(key) && typeof value === 'string' && value) out.push(value);
      else if (NAME_KEY.test(key) && Array.isArray(value)) out.push(...value.filter((v): v is string => typeof v === 'string' && v !== ''));
      else if (typeof value === 'object') out.push(...requestNames(value, depth + 1));
    }
  }
  return out;
}

export function parseQueueMessage(body: string): QueueMessage {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch (error) {
    return { kind: 'unparseable', reason: `not JSON (${(error as Error).message})` };
  }
  if (!isObject(envelope)) return { kind: 'unparseable', reason: 'not a JSON object' };
  const detailType = envelope['detail-type'];
  if (typeof detailType !== 'string') return { kind: 'unparseable', reason: 'no "detail-type": not an EventBridge event' };
  if (detailType !== CLOUDTRAIL_DETAIL_TYPE) return { kind: 'ignored', reason: `detail-type "${detailType}"` };
  const detail = envelope.detail;
  if (!isObject(detail)) return { kind: 'unparseable', reason: '"detail" is not an object' };
  for (const field of ['eventID', 'eventTime', 'eventSource', 'eventName'] as const) {
    if (typeof detail[field] !== 'string' || detail[field] === '') return { kind: 'unparseable', reason: `detail.${field} is missing` };
  }
  const at = Date.parse(detail.eventTime as string);
  if (Number.isNaN(at)) return { kind: 'unparseable', reason: `detail.eventTime "${String(detail.eventTime)}" is not a time` };
  if (detail.readOnly === true) return { kind: 'ignored', reason: 'read-only call' };
  const identity = isObject(detail.userIdentity) ? detail.userIdentity : {};
  const cloud = toCloudEvent({
    EventId: detail.eventID as string,
    EventTime: new Date(at),
    EventSource: detail.eventSource as string,
    EventName: detail.eventName as string,
    ReadOnly: detail.readOnly === undefined ? undefined : String(detail.readOnly),
    AccessKeyId: typeof identity.accessKeyId === 'string' ? identity.accessKeyId : undefined,
    CloudTrailEvent: JSON.stringify(detail),
  });
  return {
    kind: 'event',
    event: toChangeEvent(cloud, requestNames(detail.requestParameters)),
    account: typeof envelope.account === 'string' ? envelope.account : undefined,
    region: typeof envelope.region === 'string' ? envelope.region : undefined,
  };
}

export interface QueueAddress {
  account: string;
  name: string;
  /** From an AWS host name (sqs.REGION.amazonaws.com); undefined for a custom endpoint. */
  region?: string;
}

/** Pure: an SQS queue URL's parts, or a sentence saying why it is not one. */
export function parseQueueUrl(text: string): QueueAddress | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `'${text}' is not a URL (expected https://sqs.REGION.amazonaws.com/ACCOUNT/QUEUE)`;
  }
  const path = /^\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)\/?$/.exec(url.pathname);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !path) {
    return `'${text}' is not an SQS queue URL (expected https://sqs.REGION.amazonaws.com/ACCOUNT/QUEUE)`;
  }
  const host = /^(?:sqs\.([a-z0-9-]+)|([a-z0-9-]+)\.queue)\.amazonaws\.com(?:\.cn)?$/.exec(url.hostname);
  return { account: path[1]!, name: path[2]!, region: host ? host[1] ?? host[2] : undefined };
}
