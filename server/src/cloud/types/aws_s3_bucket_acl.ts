// aws_s3_bucket_acl ↔ GetBucketAcl / PutBucketAcl. `access_control_policy` (optional and computed)
// compares as a set of grants plus the owner when declared. A canned `acl` is not compared: S3
// answers grants, never the canned name, and the provider does not read it back either.
import { GetBucketAclCommand, Grant, PutBucketAclCommand, Type } from '@aws-sdk/client-s3';
import { isObject, Known } from '../../drift/values';
import { cannotRevert, str } from './common';
import type { ResourceType } from './resource-type';
import { bucketOf, readPerBucket } from './s3-common';

const blocks = (v: Known | undefined): Array<Record<string, Known>> => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).flatMap((x) => (isObject(x) ? [x as Record<string, Known>] : []));
const text = (v: Known | undefined): string => (typeof v === 'string' ? v : '');

/** Each grant as `permission type:who`, and the owner as `owner id` (display names are not compared). */
function policyAtoms(value: Known): Known {
  const policy = blocks(value)[0];
  if (!policy) return [];
  const atoms = blocks(policy.grant).map((g) => {
    const grantee = blocks(g.grantee)[0] ?? {};
    const who = text(grantee.id) || text(grantee.uri) || text(grantee.email_address);
    return `${text(g.permission)} ${text(grantee.type)}:${who}`;
  });
  const owner = blocks(policy.owner)[0];
  return owner ? [...atoms, `owner ${text(owner.id)}`] : atoms;
}

export const awsS3BucketAcl: ResourceType = {
  type: 'aws_s3_bucket_acl',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    { name: 'access_control_policy', compare: 'blocks', normalize: policyAtoms, phrases: (v) => policyAtoms(v) as string[], severity: 'error' },
  ],
  notCompared: {
    acl: 'S3 answers grants, not the canned ACL name (the provider does not read it back)', expected_bucket_owner: 'a guard of the API calls, not a property of the ACL',
  },
  idFromState: (a) => bucketOf(a),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readPerBucket('aws_s3_bucket_acl', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetBucketAcl', () => ctx.clients.s3.send(new GetBucketAclCommand({ Bucket: bucket })));
      return {
        access_control_policy: [{
          grant: (out.Grants ?? []).map((g) => ({
            grantee: [{ type: g.Grantee?.Type ?? '', id: g.Grantee?.ID ?? '', uri: g.Grantee?.URI ?? '', email_address: g.Grantee?.EmailAddress ?? '', display_name: g.Grantee?.DisplayName ?? '' }],
            permission: g.Permission ?? '',
          })),
          owner: [{ id: out.Owner?.ID ?? '', display_name: out.Owner?.DisplayName ?? '' }],
        }],
      };
    }, '', () => ({})); // every bucket has an ACL: no "not configured" error
  },

  async revert(request, clients) {
    if (request.attribute !== 'access_control_policy') return cannotRevert(request.attribute);
    const policy = blocks(request.declared)[0];
    if (!policy) return { ok: false, message: 'declared access_control_policy is empty' };
    const bucket = str(request.live.attributes.bucket) ?? request.id;
    const Grants: Grant[] = blocks(policy.grant).map((g) => {
      const grantee = blocks(g.grantee)[0] ?? {};
      return {
        Permission: text(g.permission) as Grant['Permission'],
        Grantee: { Type: text(grantee.type) as Type, ...(text(grantee.id) ? { ID: text(grantee.id) } : {}), ...(text(grantee.uri) ? { URI: text(grantee.uri) } : {}), ...(text(grantee.email_address) ? { EmailAddress: text(grantee.email_address) } : {}) },
      };
    });
    const owner = blocks(policy.owner)[0] ?? blocks((blocks(request.live.attributes.access_control_policy as Known)[0] ?? {}).owner)[0];
    await clients.gate.call('s3:PutBucketAcl', () =>
      clients.s3.send(new PutBucketAclCommand({ Bucket: bucket, AccessControlPolicy: { Grants, Owner: { ID: text(owner?.id) } } })));
    return { ok: true, message: `${Grants.length} grant(s) restored` };
  },
};
