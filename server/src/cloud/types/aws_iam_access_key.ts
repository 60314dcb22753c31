// aws_iam_access_key ↔ IAM ListAccessKeys, one call per user however many keys (GAAD has no keys).
// Status only: the secret, the SMTP password and anything encrypted are never read.
import { AccessKeyMetadata, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { cannotRevert, failureText, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';
import { errorCode } from './s3-common';

const SENSITIVE = 'sensitive: Tidemark never reads it';

export const awsIamAccessKey: ResourceType = {
  type: 'aws_iam_access_key',
  tags: false,
  attributes: [
    { name: 'user', compare: 'scalar', forceNew: true },
    { name: 'status', compare: 'scalar', default: 'Active', severity: 'warning' },
  ],
  notCompared: { secret: SENSITIVE, ses_smtp_password_v4: SENSITIVE, encrypted_secret: SENSITIVE, encrypted_ses_smtp_password_v4: SENSITIVE, pgp_key: SENSITIVE },
  idFromState: (a) => str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => `${String(live.attributes.user)}_key`.replace(/[^A-Za-z0-9_]/g, '_'),

  async read(targets, ctx) {
    const byUser = new Map<string, typeof targets>();
    for (const t of targets) {
      const user = str(t.state.attributes.user) ?? '';
      byUser.set(user, [...(byUser.get(user) ?? []), t]);
    }
    const result = new Map<string, ReturnType<typeof unknownEntry>>();
    await Promise.all([...byUser.entries()].map(async ([user, list]) => {
      if (!user) {
        for (const t of list) result.set(t.address, unknownEntry(ctx, 'state records no user for this access key'));
        return;
      }
      try {
        const keys: AccessKeyMetadata[] = [];
        let marker: string | undefined;
        do {
          const out = await ctx.clients.gate.call('iam:ListAccessKeys', () => ctx.clients.iam.send(new ListAccessKeysCommand({ UserName: user, Marker: marker })));
          keys.push(...(out.AccessKeyMetadata ?? []));
          marker = out.IsTruncated ? out.Marker : undefined;
        } while (marker);
        for (const t of list) {
          const k = keys.find((x) => x.AccessKeyId === t.id);
          result.set(t.address, k ? foundEntry(t, 'aws_iam_access_key', ctx, { user, status: k.Status ?? null }) : missingEntry(ctx, t.id, `access key ${t.id} of ${user} does not exist`));
        }
      } catch (error) {
        const gone = errorCode(error) === 'NoSuchEntity';
        for (const t of list) result.set(t.address, gone ? missingEntry(ctx, t.id, `user ${user} does not exist`) : unknownEntry(ctx, failureText(error)));
      }
    }));
    return result;
  },

  async revert(request, clients) {
    if (request.attribute !== 'status') return cannotRevert(request.attribute);
    const status = request.declared === 'Inactive' ? 'Inactive' : 'Active';
    const user = String(request.live.attributes.user);
    await clients.gate.call('iam:UpdateAccessKey', () => clients.iam.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: request.id, Status: status })));
    return { ok: true, message: `access key ${request.id} set ${status}` };
  },
};
