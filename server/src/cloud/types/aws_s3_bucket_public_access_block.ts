// aws_s3_bucket_public_access_block ↔ GetPublicAccessBlock / PutPublicAccessBlock.
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { bool, cannotRevert, str } from './common';
import type { ResourceType } from './resource-type';
import { readPerBucket } from './s3-common';

const FLAGS = [
  ['block_public_acls', 'BlockPublicAcls'],
  ['block_public_policy', 'BlockPublicPolicy'],
  ['ignore_public_acls', 'IgnorePublicAcls'],
  ['restrict_public_buckets', 'RestrictPublicBuckets'],
] as const;

export const awsS3BucketPublicAccessBlock: ResourceType = {
  type: 'aws_s3_bucket_public_access_block',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    ...FLAGS.map(([name]) => ({ name, compare: 'scalar' as const, default: false, severity: 'error' as const })),
  ],
  idFromState: (a) => str(a.bucket) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readPerBucket('aws_s3_bucket_public_access_block', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetPublicAccessBlock', () => ctx.clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })));
      const c = out.PublicAccessBlockConfiguration ?? {};
      return Object.fromEntries(FLAGS.map(([name, field]) => [name, c[field] ?? false]));
    }, 'NoSuchPublicAccessBlockConfiguration', () => Object.fromEntries(FLAGS.map(([name]) => [name, false])));
  },

  async revert(request, clients) {
    const flag = FLAGS.find(([name]) => name === request.attribute);
    if (!flag) return cannotRevert(request.attribute);
    // The call replaces all four flags: keep the live values of the others.
    const config = Object.fromEntries(FLAGS.map(([name, field]) => [field, name === flag[0] ? bool(request.declared) ?? false : request.live.attributes[name] === true]));
    const bucket = str(request.live.attributes.bucket) ?? request.id;
    await clients.gate.call('s3:PutPublicAccessBlock', () =>
      clients.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: config })));
    return { ok: true, message: `${request.attribute} set to ${String(request.declared)}` };
  },
};
