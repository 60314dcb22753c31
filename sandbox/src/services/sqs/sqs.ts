// SQS in the JSON protocol the current SDK speaks (awsJson1_0, X-Amz-Target AmazonSQS.*): queues,
// messages with a visibility timeout and redelivery, ApproximateReceiveCount, long polling and a
// redrive policy to a dead-letter queue. Times follow the sandbox clock, so a test can expire a
// visibility timeout by advancing the clock instead of sleeping.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { json } from '../../protocol/json11';
import type { QueueWorld, SqsMessage, SqsQueue } from './model';

export const SQS_CONTENT_TYPE = 'application/x-amz-json-1.0';
export const SQS_TARGET_PREFIX = 'AmazonSQS';

/** Calls CloudTrail logs as data events, not management events: never in event history. */
export const SQS_DATA_OPERATIONS = new Set([
  'SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch',
]);

/** What a handler needs beyond the call context: the endpoint queue URLs are built on, and whether the caller went away. */
export interface SqsIo {
  baseUrl: string;
  signal: AbortSignal;
}

type Handler = (ctx: CallContext, input: Record<string, unknown>, io: SqsIo) => Record<string, unknown> | Promise<Record<string, unknown>>;

const DEFAULTS: Record<string, string> = {
  VisibilityTimeout: '30', MessageRetentionPeriod: '345600', DelaySeconds: '0', ReceiveMessageWaitTimeSeconds: '0', MaximumMessageSize: '262144',
};
const SETTABLE = new Set([
  ...Object.keys(DEFAULTS), 'RedrivePolicy', 'Policy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled',
]);
/** Attributes an empty value removes: GetQueueAttributes no longer returns them. */
const CLEARABLE = ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId'];
/** At most this many tags on one queue (AWS's quota). */
const MAX_TAGS = 50;
const RANGES: Record<string, [number, number]> = {
  VisibilityTimeout: [0, 43200], MessageRetentionPeriod: [60, 1209600], DelaySeconds: [0, 900], ReceiveMessageWaitTimeSeconds: [0, 20], MaximumMessageSize: [1024, 262144],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};
/** How often a long poll looks again (wall time); deliveries are in memory, so this bounds latency. */
const POLL_INTERVAL_MS = 20;

const invalidParameter = (message: string): ApiError => new ApiError('InvalidParameterValue', message, 400);
const noQueue = (): ApiError => new ApiError('QueueDoesNotExist', 'The specified queue does not exist.', 400);

export const queuesOf = (world: QueueWorld): Record<string, SqsQueue> => (world.sqsQueues ??= {});
export const queueArn = (world: QueueWorld, q: SqsQueue): string => `arn:aws:sqs:${q.region}:${world.accountId}:${q.name}`;
const queueUrl = (io: SqsIo, world: QueueWorld, q: SqsQueue): string => `${io.baseUrl}/${world.accountId}/${q.name}`;
const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

/** A new queue's attributes: SQS's defaults (SSE-SQS on, as AWS does since October 2022) and the given ones. */
export function newQueueAttributes(given: Record<string, string>): Record<string, string> {
  return { ...DEFAULTS, SqsManagedSseEnabled: given.KmsMasterKeyId ? 'false' : 'true', ...given };
}

/** The queue an ARN names, if it exists in this world. */
export function queueByArn(world: QueueWorld, arn: string): SqsQueue | undefined {
  const m = /^arn:aws:sqs:([^:]+):(\d{12}):(.+)$/.exec(arn);
  if (!m || m[2] !== world.accountId) return undefined;
  return queuesOf(world)[`${m[1]}/${m[3]}`];
}

/** Appends a message (used by SendMessage and by EventBridge deliveries). */
export function enqueue(q: SqsQueue, body: string, nowMs: number, delaySeconds?: number): SqsMessage {
  const delay = delaySeconds ?? Number(q.attributes.DelaySeconds ?? 0);
  const message: SqsMessage = { messageId: randomUUID(), body, md5OfBody: md5(body), sentAt: nowMs, visibleAt: nowMs + delay * 1000, receiveCount: 0 };
  q.messages.push(message);
  return message;
}

function checkName(name: string | undefined): string {
  if (!name) throw new ApiError('MissingParameter', 'The request must contain the parameter QueueName.', 400);
  if (!/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name)) throw invalidParameter(`Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length (QueueName '${name}').`);
  if (name.endsWith('.fifo')) throw invalidParameter(`The sandbox does not simulate FIFO queues (QueueName '${name}').`);
  return name;
}

function checkAttributes(world: QueueWorld, region: string, attrs: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(attrs)) {
    if (!SETTABLE.has(name)) throw new ApiError('InvalidAttributeName', `Unknown Attribute ${name}.`, 400);
    const range = RANGES[name];
    if (range) {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < range[0] || n > range[1]) throw invalidParameter(`Invalid value for the parameter ${name}: '${value}' (expected an integer from ${range[0]} to ${range[1]}).`);
    }
    if (name === 'RedrivePolicy' && value !== '') redrivePolicy(world, region, value);
    if (name === 'RedriveAllowPolicy' && value !== '') redriveAllowPolicy(value);
    if (name === 'Policy' && value !== '') jsonObject(value, 'Policy');
    if (name === 'SqsManagedSseEnabled' && value !== 'true' && value !== 'false') throw invalidParameter(`Invalid value for the parameter SqsManagedSseEnabled: '${value}'.`);
  }
  return attrs;
}

function jsonObject(text: string, name: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidParameter(`Invalid value for the parameter ${name}. Reason: it is not valid JSON.`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`Invalid value for the parameter ${name}. Reason: it must be a JSON object.`);
  return v as Record<string, unknown>;
}

/** RedriveAllowPolicy: who may use this queue as a dead-letter queue (allowAll, denyAll, or byQueue with 1–10 source ARNs). */
function redriveAllowPolicy(text: string): void {
  const p = jsonObject(text, 'RedriveAllowPolicy');
  const permission = p.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw invalidParameter('Value for parameter RedriveAllowPolicy is invalid. Reason: redrivePermission must be allowAll, denyAll or byQueue.');
  }
  const sources = p.sourceQueueArns;
  if (permission === 'byQueue' && (!Array.isArray(sources) || sources.length < 1 || sources.length > 10)) {
    throw invalidParameter('Value for parameter RedriveAllowPolicy is invalid. Reason: byQueue needs 1 to 10 sourceQueueArns.');
  }
  if (permission !== 'byQueue' && sources !== undefined) {
    throw invalidParameter('Value for parameter RedriveAllowPolicy is invalid. Reason: sourceQueueArns is allowed only with byQueue.');
  }
}

/** Queue settings after a write: SSE-SQS and a KMS key exclude each other, as on AWS. */
function applyAttributes(q: SqsQueue, attrs: Record<string, string>): void {
  if (attrs.KmsMasterKeyId && attrs.SqsManagedSseEnabled === 'true') {
    throw invalidParameter('You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.');
  }
  Object.assign(q.attributes, attrs);
  if (attrs.SqsManagedSseEnabled === 'true' && !attrs.KmsMasterKeyId) delete q.attributes.KmsMasterKeyId;
  if (attrs.KmsMasterKeyId) {
    q.attributes.SqsManagedSseEnabled = 'false';
    q.attributes.KmsDataKeyReusePeriodSeconds ??= '300';
  }
  for (const name of CLEARABLE) if (q.attributes[name] === '') delete q.attributes[name];
}

function tagMap(input: Record<string, unknown>, name: string): Record<string, string> {
  const tags = json.map(input, name) ?? {};
  for (const key of Object.keys(tags)) {
    if (key.toLowerCase().startsWith('aws:')) throw new ApiError('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved (${key}).`, 400);
    if (key.length > 128 || (tags[key] ?? '').length > 256) throw new ApiError('InvalidParameterValue', `Tag ${key} is too long (keys 128, values 256 characters).`, 400);
  }
  return tags;
}

function checkTagCount(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw new ApiError('InvalidParameterValue', `Too many tags added for queue: at most ${MAX_TAGS}.`, 400);
}

interface Redrive { target: SqsQueue; maxReceiveCount: number }

/** A queue's RedrivePolicy attribute, checked: the dead-letter queue must exist in the same region. */
function redrivePolicy(world: QueueWorld, region: string, text: string): Redrive {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidParameter('Value for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.');
  }
  const p = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const arn = p.deadLetterTargetArn;
  const max = Number(p.maxReceiveCount);
  if (typeof arn !== 'string') throw invalidParameter('Value for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw invalidParameter('Value for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: must be an integer from 1 to 1000.');
  const target = queueByArn(world, arn);
  if (!target || target.region !== region) throw new ApiError('AWS.SimpleQueueService.NonExistentQueue', `Value ${arn} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`, 400);
  return { target, maxReceiveCount: max };
}

/** The queue a QueueUrl names, in the caller's region and account, authorized for the action. */
function queueFor(ctx: CallContext, input: Record<string, unknown>, action: string): SqsQueue {
  const url = json.str(input, 'QueueUrl');
  if (!url) throw new ApiError('MissingParameter', 'The request must contain the parameter QueueUrl.', 400);
  const m = /\/(\d{12})\/([^/?#]+)\/?$/.exec(url);
  if (!m) throw invalidParameter(`Value ${url} for parameter QueueUrl is invalid. Reason: Invalid URL.`);
  const q = m[1] === ctx.world.accountId ? queuesOf(ctx.world)[`${ctx.region}/${m[2]}`] : undefined;
  const arn = `arn:aws:sqs:${ctx.region}:${m[1]}:${m[2]}`;
  ctx.trail.resources.push({ type: 'AWS::SQS::Queue', name: arn, arn });
  ctx.authorize(action, arn);
  if (!q) throw noQueue();
  return q;
}

function boundedInt(input: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const n = json.int(input, name);
  if (n !== undefined && (n < min || n > max)) throw invalidParameter(`Value ${n} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}.`);
  return n;
}

/** Moves messages received too often to the dead-letter queue and drops expired ones. */
function sweep(world: QueueWorld, q: SqsQueue, nowMs: number): void {
  const retentionMs = Number(q.attributes.MessageRetentionPeriod ?? DEFAULTS.MessageRetentionPeriod) * 1000;
  const redrive = q.attributes.RedrivePolicy ? safeRedrive(world, q) : undefined;
  q.messages = q.messages.filter((m) => {
    if (m.sentAt + retentionMs <= nowMs) return false;
    if (redrive && m.visibleAt <= nowMs && m.receiveCount >= redrive.maxReceiveCount) {
      // The message keeps its id, body and original sent time, as on AWS.
      redrive.target.messages.push({ ...m, visibleAt: nowMs, receiveCount: 0, firstReceivedAt: undefined, receiptHandle: undefined });
      return false;
    }
    return true;
  });
}

function safeRedrive(world: QueueWorld, q: SqsQueue): Redrive | undefined {
  try {
    return redrivePolicy(world, q.region, q.attributes.RedrivePolicy!);
  } catch {
    return undefined; // the dead-letter queue was deleted: messages stay
  }
}

function take(world: QueueWorld, q: SqsQueue, max: number, visibilityMs: number, nowMs: number): SqsMessage[] {
  sweep(world, q, nowMs);
  const out: SqsMessage[] = [];
  for (const m of q.messages) {
    if (out.length >= max) break;
    if (m.visibleAt > nowMs) continue;
    m.receiveCount++;
    m.firstReceivedAt ??= nowMs;
    m.visibleAt = nowMs + visibilityMs;
    m.receiptHandle = Buffer.from(`${m.messageId}:${randomBytes(12).toString('hex')}`).toString('base64url');
    out.push(m);
  }
  return out;
}

function render(m: SqsMessage): Record<string, unknown> {
  return {
    MessageId: m.messageId, ReceiptHandle: m.receiptHandle, MD5OfBody: m.md5OfBody, Body: m.body,
    Attributes: {
      ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt), ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
    },
  };
}

const wait = (ms: number, signal: AbortSignal): Promise<void> => new Promise((resolve) => {
  const timer = setTimeout(done, ms);
  function done(): void {
    clearTimeout(timer);
    signal.removeEventListener('abort', done);
    resolve();
  }
  signal.addEventListener('abort', done);
});

function messageIdOf(handle: string): string | undefined {
  const text = Buffer.from(handle, 'base64url').toString('utf8');
  const i = text.indexOf(':');
  return i > 0 ? text.slice(0, i) : undefined;
}

function deleteByHandle(q: SqsQueue, handle: string | undefined): void {
  const id = handle ? messageIdOf(handle) : undefined;
  if (!handle || !id) throw new ApiError('ReceiptHandleIsInvalid', `The input receipt handle "${handle ?? ''}" is not a valid receipt handle.`, 400);
  // A stale handle of a message that is still there deletes it too, as on AWS (at-least-once).
  q.messages = q.messages.filter((m) => m.messageId !== id);
}

function changeVisibility(q: SqsQueue, handle: string | undefined, seconds: number | undefined, nowMs: number): void {
  if (seconds === undefined || seconds < 0 || seconds > 43200) throw invalidParameter(`Value ${seconds ?? 'null'} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.`);
  const id = handle ? messageIdOf(handle) : undefined;
  if (!handle || !id) throw new ApiError('ReceiptHandleIsInvalid', `The input receipt handle "${handle ?? ''}" is not a valid receipt handle.`, 400);
  const m = q.messages.find((x) => x.messageId === id);
  if (!m || m.receiptHandle !== handle || m.visibleAt <= nowMs) {
    throw new ApiError('MessageNotInflight', 'Value for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.', 400);
  }
  m.visibleAt = nowMs + seconds * 1000;
}

function batchEntries(input: Record<string, unknown>): Record<string, unknown>[] {
  const entries = json.list(input, 'Entries') ?? [];
  if (entries.length === 0) throw new ApiError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.', 400);
  if (entries.length > 10) throw new ApiError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${entries.length}.`, 400);
  const ids = new Set<string>();
  for (const e of entries) {
    const id = json.str(e, 'Id') ?? '';
    if (ids.has(id)) throw new ApiError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, 400);
    ids.add(id);
  }
  return entries;
}

function batch(entries: Record<string, unknown>[], each: (e: Record<string, unknown>) => void): Record<string, unknown> {
  const Successful: Record<string, unknown>[] = [];
  const Failed: Record<string, unknown>[] = [];
  for (const e of entries) {
    try {
      each(e);
      Successful.push({ Id: json.str(e, 'Id') });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      Failed.push({ Id: json.str(e, 'Id'), SenderFault: err.status < 500, Code: err.code, Message: err.message });
    }
  }
  return { Successful, Failed };
}

export const sqsOperations: Record<string, Handler> = {
  CreateQueue(ctx, input, io) {
    const name = checkName(json.str(input, 'QueueName'));
    const arn = `arn:aws:sqs:${ctx.region}:${ctx.world.accountId}:${name}`;
    ctx.trail.resources.push({ type: 'AWS::SQS::Queue', name: arn, arn });
    ctx.authorize('sqs:CreateQueue', arn);
    const attributes = checkAttributes(ctx.world, ctx.region, json.map(input, 'Attributes') ?? {});
    const key = `${ctx.region}/${name}`;
    const existing = queuesOf(ctx.world)[key];
    if (existing) {
      const differs = Object.entries(attributes).some(([k, v]) => (existing.attributes[k] ?? DEFAULTS[k]) !== v);
      if (differs) throw new ApiError('QueueNameExists', `A queue already exists with the same name and a different value for attribute(s) ${Object.keys(attributes).join(', ')}`, 400);
      return { QueueUrl: queueUrl(io, ctx.world, existing) };
    }
    const tags = tagMap(input, 'tags');
    checkTagCount(tags);
    // Since October 2022 AWS encrypts new queues with SSE-SQS unless the request says otherwise.
    const q: SqsQueue = { name, region: ctx.region, createdAt: ctx.now.getTime(), attributes: { ...DEFAULTS, SqsManagedSseEnabled: 'true' }, tags, messages: [] };
    applyAttributes(q, attributes);
    queuesOf(ctx.world)[key] = q;
    ctx.trail.responseElements = { queueUrl: queueUrl(io, ctx.world, q) };
    return { QueueUrl: queueUrl(io, ctx.world, q) };
  },
  GetQueueUrl(ctx, input, io) {
    const name = json.str(input, 'QueueName');
    if (!name) throw new ApiError('MissingParameter', 'The request must contain the parameter QueueName.', 400);
    const owner = json.str(input, 'QueueOwnerAWSAccountId') ?? ctx.world.accountId;
    ctx.authorize('sqs:GetQueueUrl', `arn:aws:sqs:${ctx.region}:${owner}:${name}`);
    const q = owner === ctx.world.accountId ? queuesOf(ctx.world)[`${ctx.region}/${name}`] : undefined;
    if (!q) throw noQueue();
    return { QueueUrl: queueUrl(io, ctx.world, q) };
  },
  ListQueues(ctx, input, io) {
    ctx.authorize('sqs:ListQueues', '*');
    const prefix = json.str(input, 'QueueNamePrefix') ?? '';
    const max = boundedInt(input, 'MaxResults', 1, 1000);
    const urls = Object.values(queuesOf(ctx.world)).filter((q) => q.region === ctx.region && q.name.startsWith(prefix)).map((q) => queueUrl(io, ctx.world, q)).sort();
    // Without MaxResults SQS returns up to 1,000 and no token, as on AWS.
    if (max === undefined) return urls.length ? { QueueUrls: urls.slice(0, 1000) } : {};
    const token = json.str(input, 'NextToken');
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid NextToken value.');
    const page = urls.slice(start, start + max);
    const next = start + max < urls.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
    return { ...(page.length ? { QueueUrls: page } : {}), ...(next ? { NextToken: next } : {}) };
  },
  ListQueueTags(ctx, input) {
    const q = queueFor(ctx, input, 'sqs:ListQueueTags');
    return Object.keys(q.tags).length ? { Tags: { ...q.tags } } : {};
  },
  TagQueue(ctx, input) {
    const q = queueFor(ctx, input, 'sqs:TagQueue');
    const next = { ...q.tags, ...tagMap(input, 'Tags') };
    checkTagCount(next);
    q.tags = next;
    return {};
  },
  UntagQueue(ctx, input) {
    const q = queueFor(ctx, input, 'sqs:UntagQueue');
    for (const k of json.strings(input, 'TagKeys') ?? []) delete q.tags[k];
    return {};
  },
  DeleteQueue(ctx, input) {
    const q = queueFor(ctx, input, 'sqs:DeleteQueue');
    delete queuesOf(ctx.world)[`${q.region}/${q.name}`];
    return {};
  },
  PurgeQueue(ctx, input) {
    queueFor(ctx, input, 'sqs:PurgeQueue').messages = [];
    return {};
  },
  GetQueueAttributes(ctx, input) {
    const q = queueFor(ctx, input, 'sqs:GetQueueAttributes');
    const nowMs = ctx.clock.now().getTime();
    sweep(ctx.world, q, nowMs);
    const all: Record<string, string> = {
      ...q.attributes,
      QueueArn: queueArn(ctx.world, q),
      CreatedTimestamp: String(Math.floor(q.createdAt / 1000)),
      ApproximateNumberOfMessages: String(q.messages.filter((m) => m.visibleAt <= nowMs).length),
      ApproximateNumberOfMessagesNotVisible: String(q.messages.filter((m) => m.visibleAt > nowMs && m.receiveCount > 0).length),
      ApproximateNumberOfMessagesDelayed: String(q.messages.filter((m) => m.visibleAt > nowMs && m.receiveCount === 0).length),
    };
    for (const name of CLEARABLE) if (all[name] === '') delete all[name];
    const names = json.strings(input, 'AttributeNames') ?? [];
    const wanted = names.includes('All') ? Object.keys(all) : names;
    return { Attributes: Object.fromEntries(wanted.filter((n) => all[n] !== undefined).map((n) => [n, all[n]!])) };
  },
  SetQueueAttributes(ctx, input) {
    const q = queueFor(ctx, input, 'sqs:SetQueueAttributes');
    applyAttributes(q, checkAttributes(ctx.world, ctx.region, json.map(input, 'Attributes') ?? {}));
    return {};
  },
  SendMessage(ctx, input) {
    const q = queueFor(ctx, input, 'sqs:SendMessage');
    const body = json.str(input, 'MessageBody');
    if (!body) throw new ApiError('MissingParameter', 'The request must contain the parameter MessageBody.', 400);
    if (Buffer.byteLength(body) > Number(q.attributes.MaximumMessageSize)) throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${q.attributes.MaximumMessageSize} bytes.`);
    const m = enqueue(q, body, ctx.clock.now().getTime(), boundedInt(input, 'DelaySeconds', 0, 900));
    return { MessageId: m.messageId, MD5OfMessageBody: m.md5OfBody };
  },
  async ReceiveMessage(ctx, input, io) {
    const q = queueFor(ctx, input, 'sqs:ReceiveMessage');
    const max = boundedInt(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
    const waitSeconds = boundedInt(input, 'WaitTimeSeconds', 0, 20) ?? Number(q.attributes.ReceiveMessageWaitTimeSeconds);
    const visibilityMs = (boundedInt(input, 'VisibilityTimeout', 0, 43200) ?? Number(q.attributes.VisibilityTimeout)) * 1000;
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      // The queue may have been deleted while this call waited.
      if (!queuesOf(ctx.world)[`${q.region}/${q.name}`]) throw noQueue();
      const got = take(ctx.world, q, max, visibilityMs, ctx.clock.now().getTime());
      if (got.length || Date.now() >= deadline || io.signal.aborted) return { Messages: got.map(render) };
      await wait(Math.min(POLL_INTERVAL_MS, Math.max(1, deadline - Date.now())), io.signal);
    }
  },
  DeleteMessage(ctx, input) {
    deleteByHandle(queueFor(ctx, input, 'sqs:DeleteMessage'), json.str(input, 'ReceiptHandle'));
    return {};
  },
  DeleteMessageBatch(ctx, input) {
    const q = queueFor(ctx, input, 'sqs:DeleteMessage');
    return batch(batchEntries(input), (e) => deleteByHandle(q, json.str(e, 'ReceiptHandle')));
  },
  ChangeMessageVisibility(ctx, input) {
    const q = queueFor(ctx, input, 'sqs:ChangeMessageVisibility');
    changeVisibility(q, json.str(input, 'ReceiptHandle'), json.int(input, 'VisibilityTimeout'), ctx.clock.now().getTime());
    return {};
  },
  ChangeMessageVisibilityBatch(ctx, input) {
    const q = queueFor(ctx, input, 'sqs:ChangeMessageVisibility');
    const nowMs = ctx.clock.now().getTime();
    return batch(batchEntries(input), (e) => changeVisibility(q, json.str(e, 'ReceiptHandle'), json.int(e, 'VisibilityTimeout'), nowMs));
  },
};

/** SQS's JSON errors carry the namespaced type; the SDK keeps the part after '#'. */
export function renderSqsError(err: ApiError): string {
  return JSON.stringify({ __type: `com.amazonaws.sqs#${err.code}`, message: err.message });
}
