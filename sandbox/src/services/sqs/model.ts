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
  roleArn?: string;
  input?: string;
  inputPath?: string;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface EventRule {
  name: string;
  region: string;
  /** Absent: the default bus (rules saved before custom buses existed). */
  eventBusName?: string;
  /** A rule has an event pattern, a schedule, or both. */
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  tags?: Record<string, string>;
  targets: EventTarget[];
}

export interface EventBus {
  name: string;
  region: string;
  description?: string;
  kmsKeyIdentifier?: string;
  /** World-clock milliseconds. */
  createdAt: number;
  modifiedAt: number;
  tags: Record<string, string>;
}

/** The part of the world these services own (optional: absent in older saved worlds). */
export interface QueueWorld {
  accountId: string;
  sqsQueues?: Record<string, SqsQueue>;
  eventRules?: Record<string, EventRule>;
  /** Custom event buses by `region/name` (the default bus always exists and is not stored). */
  eventBuses?: Record<string, EventBus>;
}
