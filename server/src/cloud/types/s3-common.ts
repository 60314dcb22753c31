// S3 has no batch reads: one Get* per bucket and sub-resource, in parallel under the gate's cap.
// `NoSuchBucket` proves the bucket is gone; a sub-resource's own "not found" code means "not configured".
import type { LiveEntry } from '../../drift/snapshot';
import { AwsCallError } from '../errors';
import { failureText, foundEntry, missingEntry, perTarget, str, unknownEntry } from './common';
import type { ReadContext, ReadTarget } from './resource-type';

export function bucketOf(attributes: Record<string, unknown>): string | undefined {
  return str(attributes.bucket) ?? str(attributes.id);
}

/** The AWS error code of a failed call, when it is one. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof AwsCallError ? error.failure.code : undefined;
}

/**
 * Reads one sub-resource per target: `get` returns Terraform-shaped attributes; when the call fails
 * with `absentCode`, `absent()` gives the attributes of the unconfigured state.
 */
export function readPerBucket(
  type: string,
  targets: ReadTarget[],
  ctx: ReadContext,
  get: (bucket: string) => Promise<Record<string, unknown>>,
  absentCode: string,
  absent: () => Record<string, unknown>,
): Promise<Map<string, LiveEntry>> {
  return perTarget(targets, ctx, async (t) => {
    const bucket = bucketOf(t.state.attributes) ?? t.id;
    try {
      return foundEntry(t, type, ctx, { bucket, ...(await get(bucket)) });
    } catch (error) {
      const code = errorCode(error);
      if (code === 'NoSuchBucket') return missingEntry(ctx, t.id, `bucket ${bucket} does not exist`);
      if (code === absentCode) return foundEntry(t, type, ctx, { bucket, ...absent() });
      return unknownEntry(ctx, failureText(error));
    }
  });
}
