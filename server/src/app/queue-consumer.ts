// The queue side of `tidemark watch --queue`: long-polls an SQS queue fed by an EventBridge rule,
// hands each batch's CloudTrail events to the follower (which re-reads, diffs, attributes and
// alerts exactly as for LookupEvents), and deletes the messages only once the batch went through:
// re-read, diffed and alerted, or — where the call budget ran out — saved as pending with the
// cursor, which the following rounds re-read without waiting for another message.
// Delivery is at least once: the follower skips event ids it processed before. A message that is
// not an envelope is reported once and left in the queue, for its dead-letter policy.
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../cloud/clients';
import { backoffDelay, type BackoffPolicy } from '../backoff';
import { describeError } from '../cloud/errors';
import type { ChangeEvent } from '../model';
import { parseQueueMessage, type QueueAddress } from '../watch/queue-events';
import type { EventOrigin } from '../watch/route-events';
import type { PollReport } from './watch-follower';

export interface QueueConsumerOptions {
  sqs: Pick<SQSClient, 'send'>;
  queueUrl: string;
  follower: {
    /** `origins`: each event's account and region by event id (a team broker routes by them). */
    ingest(events: readonly ChangeEvent[], origins: ReadonlyMap<string, EventOrigin>): Promise<PollReport>;
    /** Touched resources the budget left for later: re-read on the next round, without waiting for a message. */
    readonly pendingWork: number;
  };
  /** Long-poll wait (SQS allows 0–20 s; default 20). */
  waitSeconds?: number;
  /** One line per problem worth a human's attention (an unparseable message, a failed delete). */
  report: (line: string) => void;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Wait between rounds while resources are pending (default 1 s): the budget is per round. */
  drainDelayMs?: number;
  /** Aborts a long poll in progress (Ctrl-C). */
  signal?: AbortSignal;
}

export interface RoundReport {
  received: number;
  /** Write events handed to the follower. */
  events: number;
  ignored: number;
  unparseable: number;
  deleted: number;
  /** The follower's report, when the batch held events. */
  poll?: PollReport;
  /** Receive or processing failed: nothing was deleted; the messages come back after their visibility timeout. */
  error?: string;
}

/** Failures worth waiting out; anything else (access denied, a deleted queue) is the user's to fix. */
const TRANSIENT = new Set(['throttled', 'server', 'unreachable']);
/** Message ids already reported as unparseable (bounded: a poison flood must not grow memory). */
const REPORTED_MAX = 10_000;

export class QueueFatalError extends Error {}

export class QueueConsumer {
  private readonly reported = new Set<string>();
  private failures = 0;

  constructor(private readonly o: QueueConsumerOptions) {}

  /** Wait before the next receive: none while healthy, the shared jittered backoff after failures in a row. */
  nextDelayMs(): number {
    if (this.failures === 0) return this.o.follower.pendingWork ? this.o.drainDelayMs ?? 1_000 : 0;
    return backoffDelay(this.failures, this.o.backoff ?? { baseMs: 1_000, capMs: 60_000 }, this.o.random);
  }

  async round(): Promise<RoundReport> {
    const round: RoundReport = { received: 0, events: 0, ignored: 0, unparseable: 0, deleted: 0 };
    let messages: Message[];
    // Pending re-reads are not held up by a long poll on a quiet queue.
    const draining = this.o.follower.pendingWork > 0;
    try {
      const out = await this.o.sqs.send(new ReceiveMessageCommand({
        QueueUrl: this.o.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: draining ? 0 : this.o.waitSeconds ?? 20, MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }), { abortSignal: this.o.signal });
      messages = out.Messages ?? [];
    } catch (error) {
      if (this.o.signal?.aborted) return round;
      return this.failed(round, error, 'receive');
    }
    round.received = messages.length;
    const events: ChangeEvent[] = [];
    const origins = new Map<string, EventOrigin>();
    const done: Message[] = [];
    for (const m of messages) {
      const parsed = parseQueueMessage(m.Body ?? '');
      if (parsed.kind === 'unparseable') {
        round.unparseable++;
        const id = m.MessageId ?? '(no id)';
        if (!this.reported.has(id)) {
          if (this.reported.size >= REPORTED_MAX) this.reported.clear();
          this.reported.add(id);
          this.o.report(`queue: message ${id} is not an EventBridge CloudTrail event (${parsed.reason}); left in the queue for its dead-letter policy`);
        }
        continue;
      }
      if (parsed.kind === 'ignored') round.ignored++;
      else {
        events.push(parsed.event);
        origins.set(parsed.event.eventId, { account: parsed.account, region: parsed.region });
      }
      done.push(m);
    }
    round.events = events.length;
    if (events.length || draining) {
      round.poll = await this.o.follower.ingest(events, origins);
      if (round.poll.error) {
        // Kept in the queue: the follower remembered none of these ids, so the redelivery is processed.
        this.failures++;
        round.error = round.poll.error;
        return round;
      }
    }
    if (done.length) {
      try {
        const out = await this.o.sqs.send(new DeleteMessageBatchCommand({
          QueueUrl: this.o.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }));
        round.deleted = out.Successful?.length ?? 0;
        for (const f of out.Failed ?? []) this.o.report(`queue: could not delete message ${done[Number(f.Id)]?.MessageId ?? f.Id} (${f.Code}); its redelivery will be skipped as a duplicate`);
      } catch (error) {
        return this.failed(round, error, 'delete');
      }
    }
    this.failures = 0;
    return round;
  }

  private failed(round: RoundReport, error: unknown, what: string): RoundReport {
    const failure = describeError(error);
    if (!TRANSIENT.has(failure.kind)) throw new QueueFatalError(`queue ${this.o.queueUrl}: ${what} failed: ${failure.code ? `${failure.code}: ` : ''}${failure.message}`);
    this.failures++;
    round.error = `${what} failed (${failure.kind}): ${failure.message}`;
    return round;
  }
}

/**
 * An SQS client for the queue (its own region when the URL names one: IAM's events arrive in
 * us-east-1 whatever the workspace's region), proven by one GetQueueAttributes call so a missing
 * queue or a denied one is a one-line error (QueueFatalError, starting with the URL) before anything else.
 */
export async function openQueue(clients: Pick<AwsClients, 'credentials' | 'region' | 'target'>, queue: QueueAddress, queueUrl: string): Promise<SQSClient> {
  const sqs = new SQSClient({
    credentials: clients.credentials, region: queue.region ?? clients.region, endpoint: clients.target.endpoints.sqs,
    // Retries are the consumer's (backoff without losing messages); a long poll holds 20 s.
    maxAttempts: 1, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  });
  try {
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  } catch (error) {
    sqs.destroy();
    const failure = describeError(error);
    const missing = failure.code === 'QueueDoesNotExist' || failure.code === 'AWS.SimpleQueueService.NonExistentQueue';
    throw new QueueFatalError(`${queueUrl}: ${missing ? 'no such queue' : `cannot read the queue (${failure.code ?? failure.kind}: ${failure.message})`}`);
  }
  return sqs;
}
