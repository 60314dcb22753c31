// SQS and EventBridge state kept in the world (queues with their messages, rules with their
// targets), so a saved sandbox keeps undelivered events across restarts.

export interface SqsMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  /** World-clock milliseconds. */
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The handle of the latest receive; older handles no longer change visibility. */
  receiptHandle?: string;
}

export interface SqsQueue {
  name: string;
  region: string;
  createdAt: number;
  /** Attribute values as SQS returns them (strings), e.g. VisibilityTimeout, RedrivePolicy. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  messages: SqsMessage[];
}

export interface EventTarget {
  id: string;
  arn: string;
}

export interface EventRule {
  name: string;
  region: string;
  eventPattern: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  targets: EventTarget[];
}

/** The part of the world these services own (optional: absent in older saved worlds). */
export interface QueueWorld {
  accountId: string;
  sqsQueues?: Record<string, SqsQueue>;
  eventRules?: Record<string, EventRule>;
}
