// aws_kms_key ↔ KMS DescribeKey + GetKeyRotationStatus (+ GetKeyPolicy when the policy is declared).
// KMS has no batch read: these calls per key run in parallel under the gate's cap. Tags come from
// the Tagging API's page (it lists keys); ListResourceTags only for a key it did not list (an
// untagged key, or a page that failed). The key policy compares semantically, like every policy document.
import {
  DescribeKeyCommand, DisableKeyCommand, DisableKeyRotationCommand, EnableKeyCommand, EnableKeyRotationCommand, GetKeyPolicyCommand,
  GetKeyRotationStatusCommand, ListResourceTagsCommand, PutKeyPolicyCommand, TagResourceCommand, UntagResourceCommand, UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import type { Known } from '../../drift/values';
import { bool, cannotRevert, failureText, foundEntry, labelFrom, missingEntry, num, perTarget, str, revertTagMap, untagThenTag, unknownEntry } from './common';
import type { ResourceType } from './resource-type';
import { errorCode } from './s3-common';

export const awsKmsKey: ResourceType = {
  type: 'aws_kms_key',
  tags: true,
  taggingType: 'kms:key',
  attributes: [
    { name: 'description', compare: 'scalar', default: '' },
    { name: 'key_usage', compare: 'scalar', default: 'ENCRYPT_DECRYPT', forceNew: true },
    { name: 'customer_master_key_spec', compare: 'scalar', default: 'SYMMETRIC_DEFAULT', forceNew: true },
    { name: 'policy', compare: 'policy', severity: 'error' },
    // Before rotation: KMS changes rotation only on an enabled key, so a revert of both enables first.
    { name: 'is_enabled', compare: 'scalar', default: true, severity: 'warning' },
    { name: 'enable_key_rotation', compare: 'scalar', default: false, severity: 'warning' },
    { name: 'rotation_period_in_days', compare: 'scalar' },
    { name: 'multi_region', compare: 'scalar', default: false, forceNew: true },
  ],
  notCompared: {
    deletion_window_in_days: 'used only when Terraform schedules the deletion; AWS reports nothing until then',
    bypass_policy_lockout_safety_check: 'a flag of the write call, not a property of the key',
    custom_key_store_id: 'keys in custom key stores are not read yet',
    xks_key_id: 'keys in external key stores are not read yet',
  },
  idFromState: (a) => str(a.key_id) ?? str(a.id),
  idFromArn: (arn) => /:key\/([0-9a-f-]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, `key_${live.id.slice(0, 8)}`),

  read(targets, ctx) {
    const kms = ctx.clients.kms;
    return perTarget(targets, ctx, async (t) => {
      try {
        const described = await ctx.clients.gate.call('kms:DescribeKey', () => kms.send(new DescribeKeyCommand({ KeyId: t.id })));
        const m = described.KeyMetadata;
        if (!m) return unknownEntry(ctx, 'kms:DescribeKey returned no key');
        // A key scheduled for deletion is gone as far as Terraform is concerned.
        if (m.KeyState === 'PendingDeletion' || m.KeyState === 'PendingReplicaDeletion') return missingEntry(ctx, t.id, `key ${t.id} is pending deletion`);
        const wantPolicy = !t.needs || t.needs.has('policy');
        const listed = ctx.tagsByArn.get(m.Arn ?? t.arn ?? '');
        const [rotation, tags, policy] = await Promise.all([
          ctx.clients.gate.call('kms:GetKeyRotationStatus', () => kms.send(new GetKeyRotationStatusCommand({ KeyId: t.id }))),
          listed ?? ctx.clients.gate.call('kms:ListResourceTags', async () => {
            const all: Record<string, string> = {};
            let marker: string | undefined;
            do {
              const page = await kms.send(new ListResourceTagsCommand({ KeyId: t.id, Marker: marker }));
              for (const tag of page.Tags ?? []) if (tag.TagKey && !tag.TagKey.startsWith('aws:')) all[tag.TagKey] = tag.TagValue ?? '';
              marker = page.Truncated ? page.NextMarker : undefined;
            } while (marker);
            return all;
          }),
          wantPolicy ? ctx.clients.gate.call('kms:GetKeyPolicy', () => kms.send(new GetKeyPolicyCommand({ KeyId: t.id, PolicyName: 'default' }))) : undefined,
        ]);
        return foundEntry(t, 'aws_kms_key', ctx, {
          key_id: m.KeyId,
          description: m.Description ?? '',
          key_usage: m.KeyUsage ?? null,
          customer_master_key_spec: m.KeySpec ?? m.CustomerMasterKeySpec ?? null,
          ...(policy ? { policy: policy.Policy ?? null } : {}),
          enable_key_rotation: rotation.KeyRotationEnabled ?? false,
          rotation_period_in_days: rotation.RotationPeriodInDays ?? null,
          is_enabled: m.Enabled ?? false,
          multi_region: m.MultiRegion ?? false,
          tags,
        }, { arn: m.Arn });
      } catch (error) {
        if (errorCode(error) === 'NotFoundException') return missingEntry(ctx, t.id, `key ${t.id} does not exist`);
        return unknownEntry(ctx, failureText(error));
      }
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id, state } = request;
    const kms = clients.kms;
    const gate = clients.gate;
    switch (attribute) {
      case 'description':
        await gate.call('kms:UpdateKeyDescription', () => kms.send(new UpdateKeyDescriptionCommand({ KeyId: id, Description: String(declared ?? '') })));
        return { ok: true, message: 'description restored' };
      case 'policy':
        if (typeof declared !== 'string') return { ok: false, message: 'declared key policy is not a JSON document' };
        await gate.call('kms:PutKeyPolicy', () => kms.send(new PutKeyPolicyCommand({ KeyId: id, PolicyName: 'default', Policy: declared })));
        return { ok: true, message: 'key policy restored' };
      case 'enable_key_rotation':
      case 'rotation_period_in_days': {
        const on = attribute === 'enable_key_rotation' ? bool(declared) === true : true;
        const period = num((attribute === 'rotation_period_in_days' ? declared : state.attributes.rotation_period_in_days) as Known);
        if (on) await gate.call('kms:EnableKeyRotation', () => kms.send(new EnableKeyRotationCommand({ KeyId: id, RotationPeriodInDays: period || undefined })));
        else await gate.call('kms:DisableKeyRotation', () => kms.send(new DisableKeyRotationCommand({ KeyId: id })));
        return { ok: true, message: on ? `rotation enabled${period ? ` every ${period} days` : ''}` : 'rotation disabled' };
      }
      case 'is_enabled':
        if (bool(declared) === false) await gate.call('kms:DisableKey', () => kms.send(new DisableKeyCommand({ KeyId: id })));
        else await gate.call('kms:EnableKey', () => kms.send(new EnableKeyCommand({ KeyId: id })));
        return { ok: true, message: bool(declared) === false ? 'key disabled' : 'key enabled' };
      case 'tags':
        return revertTagMap(request, untagThenTag(
          (TagKeys) => gate.call('kms:UntagResource', () => kms.send(new UntagResourceCommand({ KeyId: id, TagKeys }))),
          (tags) => gate.call('kms:TagResource', () => kms.send(new TagResourceCommand({ KeyId: id, Tags: tags.map(({ Key, Value }) => ({ TagKey: Key, TagValue: Value })) }))),
        ));
      default:
        return cannotRevert(attribute);
    }
  },
};
