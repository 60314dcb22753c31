// S3 bucket ACLs, Object Lock and event notifications through the real SDK: S3's defaults, its
// error codes for the common mistakes, and CloudTrail records of the writes.
import {
  GetBucketAclCommand, GetBucketNotificationConfigurationCommand, GetObjectLockConfigurationCommand, PutBucketAclCommand, PutBucketNotificationConfigurationCommand,
  PutObjectLockConfigurationCommand, PutBucketOwnershipControlsCommand,
} from '@aws-sdk/client-s3';
import type { BucketCannedACL } from '@aws-sdk/client-s3';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoAsCarol, failure } from './helpers';

// S3 documents log-delivery-write as a bucket canned ACL; the SDK's BucketCannedACL enum omits it.
const LOG_DELIVERY_WRITE = 'log-delivery-write' as unknown as BucketCannedACL;
const ASSETS = 'tidemark-demo-assets';
const LOGS = 'tidemark-demo-logs';

describe('S3 bucket ACLs, Object Lock and notifications', () => {
  const demo = demoAsCarol();

  it('answers the defaults of a bucket that never configured them', async () => {
    const acl = await demo.carol.s3.send(new GetBucketAclCommand({ Bucket: ASSETS }));
    assert.deepEqual(acl.Grants!.map((g) => `${g.Grantee!.Type} ${g.Permission}`), ['CanonicalUser FULL_CONTROL']);
    assert.equal(acl.Grants![0]!.Grantee!.ID, acl.Owner!.ID);
    const n = await demo.carol.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: ASSETS }));
    assert.deepEqual([n.TopicConfigurations ?? [], n.QueueConfigurations ?? [], n.LambdaFunctionConfigurations ?? [], n.EventBridgeConfiguration], [[], [], [], undefined]);
    assert.equal((await failure(demo.carol.s3.send(new GetObjectLockConfigurationCommand({ Bucket: ASSETS })))).name, 'ObjectLockConfigurationNotFoundError');
  });

  it('refuses ACLs where they are disabled, Object Lock without versioning and a destination that is not one', async () => {
    assert.equal((await failure(demo.carol.s3.send(new PutBucketAclCommand({ Bucket: ASSETS, ACL: 'public-read' })))).name, 'AccessControlListNotSupported');
    await demo.carol.s3.send(new PutBucketOwnershipControlsCommand({ Bucket: ASSETS, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    // The assets bucket blocks public ACLs: a public grant is refused even with ACLs enabled.
    assert.equal((await failure(demo.carol.s3.send(new PutBucketAclCommand({ Bucket: ASSETS, ACL: 'public-read' })))).name, 'AccessDenied');
    await demo.carol.s3.send(new PutBucketAclCommand({ Bucket: ASSETS, ACL: LOG_DELIVERY_WRITE }));
    const lock = new PutObjectLockConfigurationCommand({ Bucket: LOGS, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } });
    assert.equal((await failure(demo.carol.s3.send(lock))).name, 'InvalidBucketState');
    const bad = new PutBucketNotificationConfigurationCommand({ Bucket: ASSETS, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: 'not-an-arn', Events: ['s3:ObjectCreated:*'] }] } });
    assert.equal((await failure(demo.carol.s3.send(bad))).name, 'InvalidArgument');
  });

  it('gives a notification declared without an id one, and records the write in CloudTrail', async () => {
    await demo.carol.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: ASSETS, NotificationConfiguration: {
      TopicConfigurations: [{ TopicArn: 'arn:aws:sns:us-east-1:123456789012:uploads', Events: ['s3:ObjectCreated:*'] }],
    } }));
    const n = await demo.carol.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: ASSETS }));
    assert.ok(n.TopicConfigurations![0]!.Id, 'an id is generated');
    const events = await demo.carol.cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutBucketNotificationConfiguration' }] }));
    assert.ok(events.Events!.some((e) => e.Resources?.some((r) => r.ResourceName === ASSETS)));
  });
});
