// aws_sqs_queue_redrive_policy ↔ the queue's RedrivePolicy attribute (dead-letter queue and
// maxReceiveCount), read through the SQS queue family, compared as JSON (maxReceiveCount as a
// number), written back with SetQueueAttributes.
import { queueDocumentType } from './sqs-common';

export const awsSqsQueueRedrivePolicy = queueDocumentType('aws_sqs_queue_redrive_policy', { name: 'redrive_policy', attribute: 'RedrivePolicy', kind: 'json' }, 'redrive policy');
