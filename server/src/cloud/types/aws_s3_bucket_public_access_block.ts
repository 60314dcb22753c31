// aws_s3_bucket_public_access_block ↔ GetPublicAccessBlock / PutPublicAccessBlock.
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../clients';
import { cannotRevert, str } from './common';
import { flagAttributes, flagsOf, withFlagReverted, type FlagConfig } from './public-access-flags';
import type { ResourceType } from './resource-type';
import { errorCode, readPerBucket } from './s3-common';

/** The bucket's flags as they are now; none when it has no configuration. */
async function currentFlags(bucket: string, clients: AwsClients): Promise<FlagConfig> {
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
    ...flagAttributes,
  ],
  idFromState: (a) => str(a.bucket) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readPerBucket('aws_s3_bucket_public_access_block', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetPublicAccessBlock', () => ctx.clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })));
      return flagsOf(out.PublicAccessBlockConfiguration);
    }, 'NoSuchPublicAccessBlockConfiguration', () => flagsOf(undefined));
  },

  async revert(request, clients) {
    const bucket = str(request.live.attributes.bucket) ?? request.id;
    const config = withFlagReverted(await currentFlags(bucket, clients), request.attribute, request.declared);
    if (!config) return cannotRevert(request.attribute);
    await clients.gate.call('s3:PutPublicAccessBlock', () =>
      clients.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: config })));
    return { ok: true, message: `${request.attribute} set to ${String(request.declared)}` };
  },
};
