// aws_sqs_queue_redrive_allow_policy ↔ the queue's RedriveAllowPolicy attribute (which source
// queues may use it as their dead-letter queue), read through the SQS queue family, compared as
// JSON (source ARNs as a set), written back with SetQueueAttributes.
import { queueDocumentType } from './sqs-common';

export const awsSqsQueueRedriveAllowPolicy = queueDocumentType(
  'aws_sqs_queue_redrive_allow_policy', { name: 'redrive_allow_policy', attribute: 'RedriveAllowPolicy', kind: 'json' }, 'redrive allow policy',
);
