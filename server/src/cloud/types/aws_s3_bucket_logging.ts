// aws_s3_bucket_logging ↔ GetBucketLogging / PutBucketLogging. A bucket with logging off answers an
// empty status: Terraform then drops the resource, so it reads as missing.
import { GetBucketLoggingCommand, PutBucketLoggingCommand } from '@aws-sdk/client-s3';
import { cannotRevert, str } from './common';
import type { ResourceType } from './resource-type';
import { bucketOf, readBucketConfig } from './s3-common';

export const awsS3BucketLogging: ResourceType = {
  type: 'aws_s3_bucket_logging',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    { name: 'target_bucket', compare: 'scalar', severity: 'warning' },
    { name: 'target_prefix', compare: 'scalar', severity: 'warning' },
  ],
  notCompared: {
    target_grant: 'grantee identities (canonical id, e-mail, group URI) read back in forms whose equivalence is not certain',
    target_object_key_format: 'not compared until its read-back form is verified against AWS',
  },
  idFromState: (a) => bucketOf(a),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readBucketConfig('aws_s3_bucket_logging', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetBucketLogging', () => ctx.clients.s3.send(new GetBucketLoggingCommand({ Bucket: bucket })));
      const on = out.LoggingEnabled;
      return on ? { target_bucket: on.TargetBucket ?? null, target_prefix: on.TargetPrefix ?? '' } : undefined;
    }, undefined, 'has server access logging off');
  },

  async revert(request, clients) {
    const { attribute, declared, live } = request;
    if (attribute !== 'target_bucket' && attribute !== 'target_prefix') return cannotRevert(attribute);
    const merged = { ...live.attributes, [attribute]: declared };
    const bucket = str(live.attributes.bucket) ?? request.id;
    const target = str(merged.target_bucket);
    if (!target) return { ok: false, message: 'declared target_bucket is empty' };
    await clients.gate.call('s3:PutBucketLogging', () => clients.s3.send(new PutBucketLoggingCommand({
      Bucket: bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: String(merged.target_prefix ?? '') } },
    })));
    return { ok: true, message: `${attribute} restored` };
  },
};
