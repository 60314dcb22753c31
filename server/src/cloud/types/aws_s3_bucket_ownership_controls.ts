// aws_s3_bucket_ownership_controls ↔ GetBucketOwnershipControls / PutBucketOwnershipControls.
// OwnershipControlsNotFoundError means the controls were deleted: Terraform then drops the resource.
import { GetBucketOwnershipControlsCommand, PutBucketOwnershipControlsCommand } from '@aws-sdk/client-s3';
import { isObject, Known } from '../../drift/values';
import { cannotRevert, str } from './common';
import type { ResourceType } from './resource-type';
import { bucketOf, readBucketConfig } from './s3-common';

function ownershipOf(blocks: Known): string | undefined {
  const first = Array.isArray(blocks) ? blocks[0] : blocks;
  return isObject(first) && typeof first.object_ownership === 'string' ? first.object_ownership : undefined;
}

export const awsS3BucketOwnershipControls: ResourceType = {
  type: 'aws_s3_bucket_ownership_controls',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    { name: 'rule', compare: 'blocks', normalize: (v) => [ownershipOf(v) ?? null], severity: 'warning' },
  ],
  idFromState: (a) => bucketOf(a),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readBucketConfig('aws_s3_bucket_ownership_controls', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetBucketOwnershipControls', () => ctx.clients.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })));
      const ownership = out.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
      return { rule: [{ object_ownership: ownership ?? null }] };
    }, 'OwnershipControlsNotFoundError', 'has no ownership controls');
  },

  async revert(request, clients) {
    if (request.attribute !== 'rule') return cannotRevert(request.attribute);
    const ownership = ownershipOf(request.declared);
    if (ownership !== 'BucketOwnerEnforced' && ownership !== 'BucketOwnerPreferred' && ownership !== 'ObjectWriter') {
      return { ok: false, message: 'declared rule has no object_ownership' };
    }
    const bucket = str(request.live.attributes.bucket) ?? request.id;
    await clients.gate.call('s3:PutBucketOwnershipControls', () =>
      clients.s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: ownership }] } })));
    return { ok: true, message: `object ownership set to ${ownership}` };
  },
};
