// aws_sqs_queue_policy ↔ the queue's Policy attribute, read through the SQS queue family (the same
// GetQueueAttributes call serves the queue and its sub-resources); compared as an IAM policy
// document, written back with SetQueueAttributes.
import { queueDocumentType } from './sqs-common';

export const awsSqsQueuePolicy = queueDocumentType('aws_sqs_queue_policy', { name: 'policy', attribute: 'Policy', kind: 'policy' }, 'access policy');
