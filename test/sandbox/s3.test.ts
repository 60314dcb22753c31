// S3 through the real SDK (path style): bucket configuration round trips, documented not-found
// codes, bucket policies as resource policies, and objects (incl. the SDK's checksum headers).
import {
  CreateBucketCommand, DeleteBucketCommand, DeleteBucketEncryptionCommand, DeleteBucketPolicyCommand, DeleteBucketTaggingCommand, DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand, GetBucketPolicyCommand, GetBucketTaggingCommand, GetBucketVersioningCommand, GetObjectCommand, GetPublicAccessBlockCommand,
  HeadBucketCommand, ListBucketsCommand, PutBucketEncryptionCommand, PutBucketPolicyCommand, PutBucketTaggingCommand, PutBucketVersioningCommand, PutObjectCommand,
  PutPublicAccessBlockCommand,
  GetBucketAclCommand, GetBucketRequestPaymentCommand, GetBucketCorsCommand, GetBucketLifecycleConfigurationCommand, GetBucketLoggingCommand,
  GetBucketReplicationCommand, GetBucketWebsiteCommand, GetBucketAccelerateConfigurationCommand, GetObjectLockConfigurationCommand,
  GetBucketOwnershipControlsCommand, PutBucketOwnershipControlsCommand, DeleteBucketOwnershipControlsCommand, PutBucketLoggingCommand,
} from '@aws-sdk/client-s3';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clientsFor, demoAsCarol, failure, keyOf, startDemo } from './helpers';

const ASSETS = 'tidemark-demo-assets';
const LOGS = 'tidemark-demo-logs';

describe('S3', () => {
  const demo = demoAsCarol();

  it('lists buckets and heads one', async () => {
    const out = await demo.reader.s3.send(new ListBucketsCommand({}));
    assert.deepEqual(out.Buckets!.map((b) => b.Name), [ASSETS, LOGS]);
    assert.equal(out.Buckets![0]!.CreationDate!.toISOString(), '2024-05-01T09:01:30.000Z');
    const head = await demo.reader.s3.send(new HeadBucketCommand({ Bucket: ASSETS }));
    assert.equal(head.BucketRegion, 'us-east-1');
    const missing = await failure(demo.reader.s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket-here' })));
    assert.equal(missing.status, 404);
    assert.equal(missing.name, 'NotFound');
  });

  it('reads the demo bucket configuration', async () => {
    const tags = await demo.reader.s3.send(new GetBucketTaggingCommand({ Bucket: ASSETS }));
    assert.equal(tags.TagSet!.find((t) => t.Key === 'Env')!.Value, 'prod');
    const versioning = await demo.reader.s3.send(new GetBucketVersioningCommand({ Bucket: ASSETS }));
    assert.equal(versioning.Status, 'Enabled');
    const never = await demo.reader.s3.send(new GetBucketVersioningCommand({ Bucket: LOGS }));
    assert.equal(never.Status, undefined);
    const enc = await demo.reader.s3.send(new GetBucketEncryptionCommand({ Bucket: ASSETS }));
    assert.deepEqual(enc.ServerSideEncryptionConfiguration!.Rules![0]!.ApplyServerSideEncryptionByDefault, { SSEAlgorithm: 'AES256' });
    assert.equal(enc.ServerSideEncryptionConfiguration!.Rules![0]!.BucketKeyEnabled, false);
    const policy = await demo.reader.s3.send(new GetBucketPolicyCommand({ Bucket: ASSETS }));
    assert.equal(JSON.parse(policy.Policy!).Statement[0].Sid, 'AppReadsAssets');
    const pab = await demo.reader.s3.send(new GetPublicAccessBlockCommand({ Bucket: ASSETS }));
    assert.deepEqual(pab.PublicAccessBlockConfiguration, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  });

  it('answers missing configuration with the documented codes', async () => {
    assert.equal((await failure(demo.reader.s3.send(new GetBucketPolicyCommand({ Bucket: LOGS })))).name, 'NoSuchBucketPolicy');
    assert.equal((await failure(demo.reader.s3.send(new GetPublicAccessBlockCommand({ Bucket: LOGS })))).name, 'NoSuchPublicAccessBlockConfiguration');
    const bucket = await failure(demo.reader.s3.send(new GetBucketTaggingCommand({ Bucket: 'no-such-bucket-here' })));
    assert.equal(bucket.name, 'NoSuchBucket');
    assert.equal(bucket.status, 404);
  });

  it('round-trips tagging, versioning, encryption, policy and public access block', async () => {
    const bucket = 'scratch-config-bucket';
    await demo.carol.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    assert.equal((await failure(demo.carol.s3.send(new GetBucketTaggingCommand({ Bucket: bucket })))).name, 'NoSuchTagSet');
    await demo.carol.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'x & y' }] } }));
    assert.deepEqual((await demo.carol.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'x & y' }]);
    await demo.carol.s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }));
    assert.equal((await failure(demo.carol.s3.send(new GetBucketTaggingCommand({ Bucket: bucket })))).name, 'NoSuchTagSet');

    await demo.carol.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await demo.carol.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    assert.equal((await demo.carol.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status, 'Suspended');

    // New buckets get SSE-S3 by default, as on AWS since 2023.
    assert.equal((await demo.carol.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration!.Rules![0]!.ApplyServerSideEncryptionByDefault!.SSEAlgorithm, 'AES256');
    await demo.carol.s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/demo' }, BucketKeyEnabled: true }] } }));
    const kms = await demo.carol.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    assert.deepEqual(kms.ServerSideEncryptionConfiguration!.Rules![0], { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/demo' }, BucketKeyEnabled: true });
    await demo.carol.s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));

    // New buckets block public access; a public policy is refused until that is lifted.
    const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] });
    assert.equal((await failure(demo.carol.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicPolicy })))).name, 'AccessDenied');
    await demo.carol.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
    await demo.carol.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicPolicy }));
    assert.equal((await demo.carol.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy, publicPolicy);
    assert.equal((await failure(demo.carol.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: 'not json' })))).name, 'MalformedPolicy');
    await demo.carol.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await demo.carol.s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    assert.equal((await failure(demo.carol.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))).name, 'NoSuchPublicAccessBlockConfiguration');
    await demo.carol.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    assert.equal((await failure(demo.carol.s3.send(new HeadBucketCommand({ Bucket: bucket })))).status, 404);
  });

  it('stores objects and refuses to delete a bucket that holds any', async () => {
    const bucket = 'scratch-object-bucket';
    await demo.carol.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await demo.carol.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'state/terraform.tfstate', Body: '{"version":4}', ContentType: 'application/json' }));
    const got = await demo.carol.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'state/terraform.tfstate' }));
    assert.equal(await got.Body!.transformToString(), '{"version":4}');
    assert.equal((await failure(demo.carol.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })))).name, 'NoSuchKey');
    assert.equal((await failure(demo.carol.s3.send(new DeleteBucketCommand({ Bucket: bucket })))).name, 'BucketNotEmpty');
  });

  it('denies writes without a policy, even to a reader', async () => {
    const denied = await failure(demo.reader.s3.send(new PutBucketTaggingCommand({ Bucket: ASSETS, Tagging: { TagSet: [{ Key: 'x', Value: 'y' }] } })));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
    assert.equal(demo.sandbox.world.buckets[ASSETS]!.tags!.x, undefined);
  });

  it('lets a bucket policy grant a principal its identity policy does not', async () => {
    const { sandbox: sb, scenario: s } = await startDemo({}, (sc) => {
      sc.buckets!.find((b) => b.name === LOGS)!.policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/alice' }, Action: 's3:PutBucketTagging', Resource: `arn:aws:s3:::${LOGS}` }] };
    });
    try {
      const alice = clientsFor(sb, keyOf(s, 'alice'));
      await alice.s3.send(new PutBucketTaggingCommand({ Bucket: LOGS, Tagging: { TagSet: [{ Key: 'who', Value: 'alice' }] } }));
      const bob = clientsFor(sb, keyOf(s, 'bob'));
      assert.equal((await failure(bob.s3.send(new PutBucketTaggingCommand({ Bucket: LOGS, Tagging: { TagSet: [] } })))).name, 'AccessDenied');
    } finally {
      await sb.stop();
    }
  });

  it('answers the bucket getters a Terraform refresh asks with AWS\'s default or documented not-configured error', async () => {
    const acl = await demo.reader.s3.send(new GetBucketAclCommand({ Bucket: ASSETS }));
    assert.equal(acl.Grants?.[0]?.Permission, 'FULL_CONTROL');
    assert.equal(acl.Grants?.[0]?.Grantee?.Type, 'CanonicalUser');
    assert.equal(acl.Grants?.[0]?.Grantee?.ID, acl.Owner?.ID);
    assert.equal((await demo.reader.s3.send(new GetBucketRequestPaymentCommand({ Bucket: ASSETS }))).Payer, 'BucketOwner');
    assert.equal((await demo.reader.s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: ASSETS }))).Status, undefined);
    assert.equal((await demo.reader.s3.send(new GetBucketLoggingCommand({ Bucket: ASSETS }))).LoggingEnabled, undefined);
    assert.equal((await demo.reader.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: ASSETS }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'BucketOwnerEnforced');
    const absent: Array<[string, Promise<unknown>]> = [
      ['NoSuchCORSConfiguration', demo.reader.s3.send(new GetBucketCorsCommand({ Bucket: ASSETS }))],
      ['NoSuchLifecycleConfiguration', demo.reader.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: ASSETS }))],
      ['ReplicationConfigurationNotFoundError', demo.reader.s3.send(new GetBucketReplicationCommand({ Bucket: ASSETS }))],
      ['NoSuchWebsiteConfiguration', demo.reader.s3.send(new GetBucketWebsiteCommand({ Bucket: ASSETS }))],
      ['ObjectLockConfigurationNotFoundError', demo.reader.s3.send(new GetObjectLockConfigurationCommand({ Bucket: ASSETS }))],
    ];
    for (const [code, call] of absent) {
      const f = await failure(call);
      assert.equal(f.name, code);
      assert.equal(f.status, 404, code);
    }
    assert.equal((await failure(demo.reader.s3.send(new GetBucketAclCommand({ Bucket: 'no-such-bucket-here' })))).name, 'NoSuchBucket');
  });

  it('round-trips ownership controls and server access logging', async () => {
    await demo.carol.s3.send(new PutBucketOwnershipControlsCommand({ Bucket: LOGS, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
    assert.equal((await demo.reader.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: LOGS }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'BucketOwnerPreferred');
    await demo.carol.s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: LOGS }));
    assert.equal((await failure(demo.reader.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: LOGS })))).name, 'OwnershipControlsNotFoundError');
    await demo.carol.s3.send(new PutBucketLoggingCommand({ Bucket: ASSETS, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: LOGS, TargetPrefix: 'assets/' } } }));
    const on = await demo.reader.s3.send(new GetBucketLoggingCommand({ Bucket: ASSETS }));
    assert.deepEqual([on.LoggingEnabled?.TargetBucket, on.LoggingEnabled?.TargetPrefix], [LOGS, 'assets/']);
    const bad = await failure(demo.carol.s3.send(new PutBucketLoggingCommand({ Bucket: ASSETS, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'no-such-bucket-here', TargetPrefix: '' } } })));
    assert.equal(bad.name, 'InvalidTargetBucketForLogging');
    await demo.carol.s3.send(new PutBucketLoggingCommand({ Bucket: ASSETS, BucketLoggingStatus: {} }));
    assert.equal((await demo.reader.s3.send(new GetBucketLoggingCommand({ Bucket: ASSETS }))).LoggingEnabled, undefined);
  });
});
