// aws_s3_bucket_policy ↔ GetBucketPolicy / PutBucketPolicy; documents compare semantically.
import { GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { cannotRevert, str } from './common';
import type { ResourceType } from './resource-type';
import { readPerBucket } from './s3-common';

export const awsS3BucketPolicy: ResourceType = {
  type: 'aws_s3_bucket_policy',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    { name: 'policy', compare: 'policy', severity: 'error' },
  ],
  idFromState: (a) => str(a.bucket) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readPerBucket('aws_s3_bucket_policy', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetBucketPolicy', () => ctx.clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })));
      return { policy: out.Policy ?? null };
    }, 'NoSuchBucketPolicy', () => ({ policy: null }));
  },

  async revert(request, clients) {
    if (request.attribute !== 'policy') return cannotRevert(request.attribute);
    if (typeof request.declared !== 'string') return { ok: false, message: 'declared policy is not a JSON document' };
    const bucket = str(request.live.attributes.bucket) ?? request.id;
    const policy = request.declared;
    await clients.gate.call('s3:PutBucketPolicy', () => clients.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })));
    return { ok: true, message: 'bucket policy restored' };
  },
};
