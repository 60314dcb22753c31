// aws_kms_alias ↔ KMS ListAliases: one listing (100 per page) serves every alias of the check.
// target_key_id may be declared as a key id or a key ARN; both name the same key.
import { AliasListEntry, ListAliasesCommand, UpdateAliasCommand } from '@aws-sdk/client-kms';
import type { Known } from '../../drift/values';
import { allUnknown, cannotRevert, foundEntry, listAllPages, missingEntry, str } from './common';
import type { ResourceType } from './resource-type';

/** `arn:aws:kms:…:key/<id>` and `<id>` are the same key. */
export function keyIdOf(v: Known): Known {
  if (typeof v !== 'string') return v;
  const m = /^arn:aws[\w-]*:kms:[^:]*:\d{12}:key\/(.+)$/.exec(v);
  return m ? m[1]! : v;
}

export const awsKmsAlias: ResourceType = {
  type: 'aws_kms_alias',
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'target_key_id', compare: 'scalar', normalize: keyIdOf, severity: 'error' },
  ],
  idFromState: (a) => str(a.name) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/^alias\//, '').replace(/[^A-Za-z0-9_-]/g, '_'),

  async read(targets, ctx) {
    const all = new Map<string, AliasListEntry>();
    const failure = await listAllPages(ctx, 'kms:ListAliases', (marker) => ctx.clients.kms.send(new ListAliasesCommand({ Limit: 100, Marker: marker })), (page) => {
      for (const a of page.Aliases ?? []) if (a.AliasName) all.set(a.AliasName, a);
      return page.Truncated ? page.NextMarker : undefined;
    });
    if (failure) return allUnknown(targets, ctx, failure);
    return new Map(targets.map((t) => {
      const a = all.get(t.id);
      if (!a) return [t.address, missingEntry(ctx, t.id, `alias ${t.id} does not exist`)];
      return [t.address, foundEntry(t, 'aws_kms_alias', ctx, { name: a.AliasName, target_key_id: a.TargetKeyId ?? null }, { arn: a.AliasArn })];
    }));
  },

  async revert(request, clients) {
    if (request.attribute !== 'target_key_id') return cannotRevert(request.attribute);
    const target = typeof request.declared === 'string' ? request.declared : undefined;
    if (!target) return { ok: false, message: 'declared target_key_id is empty' };
    await clients.gate.call('kms:UpdateAlias', () => clients.kms.send(new UpdateAliasCommand({ AliasName: request.id, TargetKeyId: target })));
    return { ok: true, message: `alias points at ${target} again` };
  },
};
