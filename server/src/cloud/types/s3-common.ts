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
  return readBuckets(type, targets, ctx, get, absentCode, (t, bucket) => foundEntry(t, type, ctx, { bucket, ...absent() }));
}

/**
 * Reads one configuration per target for a type Terraform drops when the configuration is gone:
 * `get` returns Terraform-shaped attributes, or undefined when the answer itself says "not
 * configured"; failing with `absentCode` says the same. Either way the resource reads as missing,
 * the reason being "bucket NAME " + `absentText`.
 */
export function readBucketConfig(
  type: string,
  targets: ReadTarget[],
  ctx: ReadContext,
  get: (bucket: string) => Promise<Record<string, unknown> | undefined>,
  absentCode: string | undefined,
  absentText: string,
): Promise<Map<string, LiveEntry>> {
  return readBuckets(type, targets, ctx, get, absentCode, (t, bucket) => missingEntry(ctx, t.id, `bucket ${bucket} ${absentText}`));
}

function readBuckets(
  type: string,
  targets: ReadTarget[],
  ctx: ReadContext,
  get: (bucket: string) => Promise<Record<string, unknown> | undefined>,
  absentCode: string | undefined,
  absent: (t: ReadTarget, bucket: string) => LiveEntry,
): Promise<Map<string, LiveEntry>> {
  return perTarget(targets, ctx, async (t) => {
    const bucket = bucketOf(t.state.attributes) ?? t.id;
    try {
      const attributes = await get(bucket);
      return attributes ? foundEntry(t, type, ctx, { bucket, ...attributes }) : absent(t, bucket);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'NoSuchBucket') return missingEntry(ctx, t.id, `bucket ${bucket} does not exist`);
      if (absentCode !== undefined && code === absentCode) return absent(t, bucket);
      return unknownEntry(ctx, failureText(error));
    }
  });
}
