// aws_secretsmanager_secret ↔ Secrets Manager ListSecrets: one listing of the region (100 a page)
// serves every secret with its description, KMS key and tags; a secret absent from it, or scheduled
// for deletion (the provider treats that as gone), is missing. Metadata only: GetSecretValue is
// never called, so no secret value reaches Tidemark.
import { ListSecretsCommand, SecretListEntry, TagResourceCommand, UntagResourceCommand, UpdateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { allUnknown, cannotRevert, foundEntry, listAllPages, missingEntry, perTarget, revertTagMap, str, untagThenTag } from './common';
import type { ResourceType } from './resource-type';

export const awsSecretsmanagerSecret: ResourceType = {
  type: 'aws_secretsmanager_secret',
  tags: true,
  taggingType: 'secretsmanager:secret',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'description', compare: 'scalar', default: '' },
    { name: 'kms_key_id', compare: 'scalar', severity: 'warning' },
  ],
  notCompared: {
    policy: 'deprecated here: aws_secretsmanager_secret_policy compares the resource policy',
    recovery_window_in_days: 'a Terraform-side deletion setting',
    force_overwrite_replica_secret: 'a Terraform-side replication setting',
    replica: 'not read yet',
    name_prefix: 'Terraform picks the name once at creation',
    arn: 'computed by AWS',
  },
  idFromState: (a) => str(a.arn) ?? str(a.id),
  idFromArn: (arn) => (/^arn:aws[\w-]*:secretsmanager:[^:]*:\d{12}:secret:/.test(arn) ? arn : undefined),
  importId: (live) => live.id,
  suggestName: (live) => String(live.attributes.name ?? 'secret').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  async read(targets, ctx) {
    const byArn = new Map<string, SecretListEntry>();
    const failure = await listAllPages(ctx, 'secretsmanager:ListSecrets',
      (token) => ctx.clients.secretsmanager.send(new ListSecretsCommand({ MaxResults: 100, NextToken: token, IncludePlannedDeletion: false })),
      (page) => {
        for (const s of page.SecretList ?? []) if (s.ARN && !s.DeletedDate) byArn.set(s.ARN, s);
        return page.NextToken;
      });
    if (failure) return allUnknown(targets, ctx, failure);
    return perTarget(targets, ctx, async (t) => {
      const s = byArn.get(t.id);
      if (!s) return missingEntry(ctx, t.id, `secret ${t.id} does not exist or is scheduled for deletion`);
      return foundEntry(t, 'aws_secretsmanager_secret', ctx, {
        name: s.Name,
        description: s.Description ?? '',
        kms_key_id: s.KmsKeyId ?? '',
        tags: Object.fromEntries((s.Tags ?? []).filter((x) => x.Key && !x.Key.startsWith('aws:')).map((x) => [x.Key!, x.Value ?? ''])),
      }, { arn: s.ARN });
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const sm = clients.secretsmanager;
    switch (attribute) {
      case 'description':
        await clients.gate.call('secretsmanager:UpdateSecret', () => sm.send(new UpdateSecretCommand({ SecretId: id, Description: String(declared ?? '') })));
        return { ok: true, message: 'description restored' };
      case 'kms_key_id':
        await clients.gate.call('secretsmanager:UpdateSecret', () => sm.send(new UpdateSecretCommand({ SecretId: id, KmsKeyId: String(declared ?? '') })));
        return { ok: true, message: 'KMS key restored' };
      case 'tags':
        return revertTagMap(request, untagThenTag(
          (TagKeys) => clients.gate.call('secretsmanager:UntagResource', () => sm.send(new UntagResourceCommand({ SecretId: id, TagKeys }))),
          (Tags) => clients.gate.call('secretsmanager:TagResource', () => sm.send(new TagResourceCommand({ SecretId: id, Tags }))),
        ));
      default:
        return cannotRevert(attribute);
    }
  },
};
