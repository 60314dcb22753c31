// aws_s3_bucket_versioning ↔ GetBucketVersioning / PutBucketVersioning.
import { GetBucketVersioningCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { isObject, Known } from '../../drift/values';
import { cannotRevert, str } from './common';
import type { ResourceType } from './resource-type';
import { bucketOf, readPerBucket } from './s3-common';

/** A bucket that was never versioned reports no Status; Terraform calls that `Disabled`. */
function canonical(blocks: Known): Known {
  const first = Array.isArray(blocks) ? blocks[0] : blocks;
  if (!isObject(first)) return [];
  const out: Record<string, Known> = { status: String(first.status ?? 'Disabled') };
  // MFA delete off and never configured read back differently; only "Enabled" means something.
  if (first.mfa_delete === 'Enabled') out.mfa_delete = 'Enabled';
  return [out];
}

export const awsS3BucketVersioning: ResourceType = {
  type: 'aws_s3_bucket_versioning',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    { name: 'versioning_configuration', compare: 'blocks', normalize: canonical, severity: 'warning' },
  ],
  idFromState: (a) => bucketOf(a),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readPerBucket('aws_s3_bucket_versioning', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetBucketVersioning', () => ctx.clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket })));
      const block: Record<string, string> = { status: out.Status ?? 'Disabled' };
      if (out.MFADelete) block.mfa_delete = out.MFADelete;
      return { versioning_configuration: [block] };
    }, '', () => ({}));
  },

  async revert(request, clients) {
    if (request.attribute !== 'versioning_configuration') return cannotRevert(request.attribute);
    const [block] = canonical(request.declared) as Array<Record<string, string>>;
    const status = block?.status;
    if (status !== 'Enabled' && status !== 'Suspended') {
      return { ok: false, message: `versioning cannot be set back to '${status ?? 'nothing'}' once enabled; S3 only allows Enabled or Suspended` };
    }
    const bucket = str(request.live.attributes.bucket) ?? request.id;
    await clients.gate.call('s3:PutBucketVersioning', () =>
      clients.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } })));
    return { ok: true, message: `versioning set to ${status}` };
  },
};
