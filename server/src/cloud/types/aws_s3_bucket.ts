// aws_s3_bucket: existence and tags. Tags come from the Tagging API page when it listed the bucket;
// otherwise one GetBucketTagging call proves both existence and tags.
import { GetBucketTaggingCommand, PutBucketTaggingCommand, DeleteBucketTaggingCommand } from '@aws-sdk/client-s3';
import { cannotRevert, failureText, foundEntry, labelFrom, missingEntry, perTarget, str, tagsArg, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';
import { errorCode } from './s3-common';

export const awsS3Bucket: ResourceType = {
  type: 'aws_s3_bucket',
  tags: true,
  taggingType: 's3',
  attributes: [{ name: 'bucket', compare: 'scalar', forceNew: true }],
  idFromState: (a) => str(a.bucket) ?? str(a.id),
  idFromArn: (arn) => /^arn:[^:]+:s3:::([^/]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  read(targets, ctx) {
    return perTarget(targets, ctx, async (t) => {
      const arn = t.arn ?? `arn:aws:s3:::${t.id}`;
      const listed = ctx.tagsByArn.get(arn);
      if (listed) return foundEntry(t, 'aws_s3_bucket', ctx, { bucket: t.id, tags: listed }, { arn });
      try {
        const out = await ctx.clients.gate.call('s3:GetBucketTagging', () => ctx.clients.s3.send(new GetBucketTaggingCommand({ Bucket: t.id })));
        return foundEntry(t, 'aws_s3_bucket', ctx, { bucket: t.id, tags: userTags(out.TagSet) }, { arn });
      } catch (error) {
        const code = errorCode(error);
        if (code === 'NoSuchBucket') return missingEntry(ctx, t.id, `bucket ${t.id} does not exist`);
        if (code === 'NoSuchTagSet') return foundEntry(t, 'aws_s3_bucket', ctx, { bucket: t.id, tags: {} }, { arn });
        return unknownEntry(ctx, failureText(error));
      }
    });
  },

  async revert(request, clients) {
    if (request.attribute !== 'tags') return cannotRevert(request.attribute);
    const want = tagsArg(request.declared);
    if (!want) return { ok: false, message: 'declared tags are not a map' };
    const bucket = request.id;
    // PutBucketTagging replaces the whole set, including tags S3 adds (aws:*), which it rejects;
    // only user tags are written.
    if (Object.keys(want).length === 0) {
      await clients.gate.call('s3:DeleteBucketTagging', () => clients.s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket })));
    } else {
      await clients.gate.call('s3:PutBucketTagging', () =>
        clients.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: Object.entries(want).map(([Key, Value]) => ({ Key, Value })) } })));
    }
    return { ok: true, message: `bucket tags restored (${Object.keys(want).length} tags)` };
  },
};
