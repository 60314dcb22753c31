// aws_s3_bucket_server_side_encryption_configuration ↔ GetBucketEncryption / PutBucketEncryption.
import { GetBucketEncryptionCommand, PutBucketEncryptionCommand, ServerSideEncryption, ServerSideEncryptionRule } from '@aws-sdk/client-s3';
import { isObject, Known } from '../../drift/values';
import { cannotRevert, str } from './common';
import type { ResourceType } from './resource-type';
import { readPerBucket } from './s3-common';

interface RuleAtom {
  sse_algorithm: string;
  kms_master_key_id: string;
  bucket_key_enabled: boolean;
}

function first(v: unknown): Record<string, unknown> {
  const x = Array.isArray(v) ? v[0] : v;
  return isObject(x) ? x : {};
}

/** Rule blocks → atoms; an unset key id and bucket key default to '' and false on both sides. */
function atoms(blocks: Known): RuleAtom[] {
  return (Array.isArray(blocks) ? blocks : []).filter((r): r is { [key: string]: Known } => isObject(r)).map((rule) => {
    const def = first(rule.apply_server_side_encryption_by_default);
    return {
      sse_algorithm: String(def.sse_algorithm ?? ''),
      kms_master_key_id: String(def.kms_master_key_id ?? ''),
      bucket_key_enabled: rule.bucket_key_enabled === true || rule.bucket_key_enabled === 'true',
    };
  });
}

function liveRules(rules: ServerSideEncryptionRule[] | undefined): Known[] {
  return (rules ?? []).map((r) => ({
    apply_server_side_encryption_by_default: [{
      sse_algorithm: r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? '',
      kms_master_key_id: r.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID ?? '',
    }],
    bucket_key_enabled: r.BucketKeyEnabled ?? false,
  }));
}

export const awsS3BucketServerSideEncryptionConfiguration: ResourceType = {
  type: 'aws_s3_bucket_server_side_encryption_configuration',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    { name: 'rule', compare: 'blocks', normalize: (v) => atoms(v) as unknown as Known, severity: 'error' },
  ],
  idFromState: (a) => str(a.bucket) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readPerBucket('aws_s3_bucket_server_side_encryption_configuration', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetBucketEncryption', () => ctx.clients.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })));
      return { rule: liveRules(out.ServerSideEncryptionConfiguration?.Rules) };
    }, 'ServerSideEncryptionConfigurationNotFoundError', () => ({ rule: [] }));
  },

  async revert(request, clients) {
    if (request.attribute !== 'rule') return cannotRevert(request.attribute);
    const rules = atoms(request.declared);
    if (rules.length === 0) return { ok: false, message: 'no encryption rule is declared' };
    const bucket = str(request.live.attributes.bucket) ?? request.id;
    await clients.gate.call('s3:PutBucketEncryption', () =>
      clients.s3.send(new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: rules.map((r) => ({
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: r.sse_algorithm as ServerSideEncryption, KMSMasterKeyID: r.kms_master_key_id || undefined },
            BucketKeyEnabled: r.bucket_key_enabled,
          })),
        },
      })));
    return { ok: true, message: `encryption restored (${rules.map((r) => r.sse_algorithm).join(', ')})` };
  },
};
