// aws_s3_bucket_object_lock_configuration, aws_s3_bucket_acl and aws_s3_bucket_notification against
// the sandbox through the real SDK (the per-type contract of test/support/type-suite).
import {
  CreateBucketCommand, GetBucketAclCommand, PutBucketAclCommand, PutBucketNotificationConfigurationCommand, PutBucketOwnershipControlsCommand,
  PutObjectLockConfigurationCommand, S3Client,
} from '@aws-sdk/client-s3';
import type { BucketCannedACL } from '@aws-sdk/client-s3';
import { inst, typeSuite } from '../support/type-suite';

// S3 documents log-delivery-write as a bucket canned ACL; the SDK's BucketCannedACL enum omits it.
const LOG_DELIVERY_WRITE = 'log-delivery-write' as unknown as BucketCannedACL;
const ASSETS = 'tidemark-demo-assets';
const LOGS = 'tidemark-demo-logs';
const LOCKED = 'tidemark-locked-archive';
const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:uploads';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
let s3: S3Client;
let owner = '';

const grant = (type: string, who: { id?: string; uri?: string }, permission: string) => ({
  grantee: [{ display_name: type === 'CanonicalUser' ? 'sandbox' : '', email_address: '', id: who.id ?? '', type, uri: who.uri ?? '' }], permission,
});

typeSuite({
  async setup(env) {
    s3 = env.sdk(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: LOCKED, ObjectLockEnabledForBucket: true }));
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: LOCKED, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } } }));
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: LOGS, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await s3.send(new PutBucketAclCommand({ Bucket: LOGS, ACL: LOG_DELIVERY_WRITE }));
    owner = (await s3.send(new GetBucketAclCommand({ Bucket: LOGS }))).Owner!.ID!;
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: ASSETS, NotificationConfiguration: {
      QueueConfigurations: [{ Id: 'uploads', QueueArn: QUEUE, Events: ['s3:ObjectCreated:Put', 's3:ObjectCreated:Post'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } } }],
      EventBridgeConfiguration: {},
    } }));
  },
  state: () => [
    inst('aws_s3_bucket_object_lock_configuration', 'archive', {
      bucket: LOCKED, expected_bucket_owner: '', id: LOCKED, object_lock_enabled: 'Enabled', rule: [{ default_retention: [{ days: 30, mode: 'GOVERNANCE', years: 0 }] }], token: null,
    }),
    inst('aws_s3_bucket_acl', 'logs', {
      access_control_policy: [{
        grant: [grant('CanonicalUser', { id: owner }, 'FULL_CONTROL'), grant('Group', { uri: LOG_DELIVERY }, 'READ_ACP'), grant('Group', { uri: LOG_DELIVERY }, 'WRITE')],
        owner: [{ display_name: 'sandbox', id: owner }],
      }],
      acl: 'log-delivery-write', bucket: LOGS, expected_bucket_owner: '', id: `${LOGS},log-delivery-write`,
    }),
    inst('aws_s3_bucket_notification', 'assets', {
      bucket: ASSETS, eventbridge: true, id: ASSETS, lambda_function: [], topic: [],
      queue: [{ events: ['s3:ObjectCreated:Post', 's3:ObjectCreated:Put'], filter_prefix: 'incoming/', filter_suffix: '', id: 'uploads', queue_arn: QUEUE }],
    }),
  ],
  changes: {
    'default retention switched to compliance for a year': {
      drifts: ['aws_s3_bucket_object_lock_configuration.archive rule'],
      change: () => s3.send(new PutObjectLockConfigurationCommand({ Bucket: LOCKED, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 1 } } } })),
    },
    'the log bucket made public-read by hand': {
      drifts: ['aws_s3_bucket_acl.logs access_control_policy'],
      change: () => s3.send(new PutBucketAclCommand({ Bucket: LOGS, ACL: 'public-read' })),
    },
    'EventBridge delivery off and the queue told about deletions instead': {
      drifts: ['aws_s3_bucket_notification.assets eventbridge', 'aws_s3_bucket_notification.assets queue'],
      change: () => s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: ASSETS, NotificationConfiguration: {
        QueueConfigurations: [{ Id: 'uploads', QueueArn: QUEUE, Events: ['s3:ObjectRemoved:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } } }],
      } })),
    },
  },
});
