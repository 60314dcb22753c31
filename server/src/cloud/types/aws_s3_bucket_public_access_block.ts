// aws_s3_bucket_public_access_block ↔ GetPublicAccessBlock / PutPublicAccessBlock.
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, type PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import type { AwsClients } from '../clients';
import { bool, cannotRevert, str } from './common';
import type { ResourceType } from './resource-type';
import { errorCode, readPerBucket } from './s3-common';

const FLAGS = [
  ['block_public_acls', 'BlockPublicAcls'],
  ['block_public_policy', 'BlockPublicPolicy'],
  ['ignore_public_acls', 'IgnorePublicAcls'],
  ['restrict_public_buckets', 'RestrictPublicBuckets'],
] as const;

/** The bucket's flags as they are now; none when it has no configuration. */
async function currentFlags(bucket: string, clients: AwsClients): Promise<PublicAccessBlockConfiguration> {
  try {
    const out = await clients.gate.call('s3:GetPublicAccessBlock', () => clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })));
    return out.PublicAccessBlockConfiguration ?? {};
  } catch (error) {
    if (errorCode(error) === 'NoSuchPublicAccessBlockConfiguration') return {};
    throw error;
  }
}

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
    // The call replaces all four flags: keep the others as they are now (read afresh, so reverting
    // two flags one after the other does not undo the first with the snapshot's value).
    const bucket = str(request.live.attributes.bucket) ?? request.id;
    const now = await currentFlags(bucket, clients);
    const config = Object.fromEntries(FLAGS.map(([name, field]) => [field, name === flag[0] ? bool(request.declared) ?? false : now[field] ?? false]));
    await clients.gate.call('s3:PutPublicAccessBlock', () =>
      clients.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: config })));
    return { ok: true, message: `${request.attribute} set to ${String(request.declared)}` };
  },
};
