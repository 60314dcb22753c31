// aws_s3_bucket_object_lock_configuration ↔ GetObjectLockConfiguration / PutObjectLockConfiguration.
// The default retention rule (mode with days or years) compares as one block; a bucket without
// Object Lock means Terraform drops the resource. The token is sensitive and never read.
import { GetObjectLockConfigurationCommand, PutObjectLockConfigurationCommand } from '@aws-sdk/client-s3';
import { isObject, Known } from '../../drift/values';
import { cannotRevert, num, str } from './common';
import type { ResourceType } from './resource-type';
import { bucketOf, readBucketConfig } from './s3-common';

const first = (v: Known | undefined): Record<string, Known> | undefined => (Array.isArray(v) ? v.find((x): x is Record<string, Known> => isObject(x)) : isObject(v) ? (v as Record<string, Known>) : undefined);

/** `rule { default_retention { mode, days | years } }` → `GOVERNANCE 30d` (one atom, none without a rule). */
function retentionAtoms(value: Known): Known {
  const retention = first(first(value)?.default_retention);
  if (!retention) return [];
  const days = num(retention.days ?? null) ?? 0;
  const years = num(retention.years ?? null) ?? 0;
  return [`${String(retention.mode ?? '')} ${days ? `${days}d` : ''}${years ? `${years}y` : ''}`];
}

export const awsS3BucketObjectLockConfiguration: ResourceType = {
  type: 'aws_s3_bucket_object_lock_configuration',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    { name: 'object_lock_enabled', compare: 'scalar', default: 'Enabled', forceNew: true },
    { name: 'rule', compare: 'blocks', normalize: retentionAtoms, phrases: (v) => retentionAtoms(v) as string[], severity: 'warning' },
  ],
  notCompared: { token: 'sensitive; never read', expected_bucket_owner: 'a guard of the API calls, not a property of the configuration' },
  idFromState: (a) => bucketOf(a),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readBucketConfig('aws_s3_bucket_object_lock_configuration', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetObjectLockConfiguration', () => ctx.clients.s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })));
      const c = out.ObjectLockConfiguration;
      const r = c?.Rule?.DefaultRetention;
      return {
        object_lock_enabled: c?.ObjectLockEnabled ?? '',
        rule: r ? [{ default_retention: [{ mode: r.Mode ?? '', days: r.Days ?? 0, years: r.Years ?? 0 }] }] : [],
      };
    }, 'ObjectLockConfigurationNotFoundError', 'has no Object Lock configuration');
  },

  async revert(request, clients) {
    if (request.attribute !== 'rule') return cannotRevert(request.attribute);
    const bucket = str(request.live.attributes.bucket) ?? request.id;
    const retention = first(first(request.declared)?.default_retention);
    const days = num(retention?.days ?? null);
    const years = num(retention?.years ?? null);
    const Rule = retention ? { DefaultRetention: { Mode: String(retention.mode) as 'GOVERNANCE' | 'COMPLIANCE', ...(days ? { Days: days } : {}), ...(years ? { Years: years } : {}) } } : undefined;
    await clients.gate.call('s3:PutObjectLockConfiguration', () =>
      clients.s3.send(new PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', ...(Rule ? { Rule } : {}) } })));
    return { ok: true, message: Rule ? `default retention restored (${retentionAtoms(request.declared) as unknown as string})` : 'default retention removed' };
  },
};
