// aws_iam_user ↔ the IAM family (UserDetailList: path, boundary, tags). force_destroy is a
// Terraform-side setting with nothing live to compare.
import {
  DeleteUserPermissionsBoundaryCommand, PutUserPermissionsBoundaryCommand, TagUserCommand, UntagUserCommand, UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { iamMember } from '../families/iam';
import { cannotRevert, foundEntry, labelFrom, missingEntry, str, revertTagMap, untagThenTag, userTags } from './common';
import { attachmentMembers } from './iam-members';
import type { ResourceType } from './resource-type';

export const awsIamUser: ResourceType = {
  type: 'aws_iam_user',
  tags: true,
  attributes: [
    { name: 'name', compare: 'scalar' },
    { name: 'path', compare: 'scalar', default: '/' },
    { name: 'permissions_boundary', compare: 'scalar', default: '', severity: 'error' },
  ],
  notCompared: { force_destroy: 'a Terraform-side deletion setting; AWS has nothing to compare it with' },
  idFromState: (a) => str(a.name) ?? str(a.id),
  idFromArn: (arn) => /:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  members: attachmentMembers('user'),
  family: iamMember(['User'], (t, account, ctx) => {
    const u = account.users.get(t.id);
    if (!u) return missingEntry(ctx, t.id, `user ${t.id} does not exist`);
    return foundEntry(t, 'aws_iam_user', ctx, {
      name: u.UserName,
      path: u.Path ?? '/',
      permissions_boundary: u.PermissionsBoundary?.PermissionsBoundaryArn ?? '',
      tags: userTags(u.Tags),
    }, { arn: u.Arn });
  }),

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const iam = clients.iam;
    switch (attribute) {
      case 'path':
        await clients.gate.call('iam:UpdateUser', () => iam.send(new UpdateUserCommand({ UserName: id, NewPath: typeof declared === 'string' && declared !== '' ? declared : '/' })));
        return { ok: true, message: `path set to ${String(declared ?? '/')}` };
      case 'permissions_boundary':
        if (typeof declared === 'string' && declared !== '') {
          await clients.gate.call('iam:PutUserPermissionsBoundary', () => iam.send(new PutUserPermissionsBoundaryCommand({ UserName: id, PermissionsBoundary: declared })));
        } else {
          await clients.gate.call('iam:DeleteUserPermissionsBoundary', () => iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: id })));
        }
        return { ok: true, message: 'permissions boundary restored' };
      case 'tags':
        return revertTagMap(request, untagThenTag(
          (TagKeys) => clients.gate.call('iam:UntagUser', () => iam.send(new UntagUserCommand({ UserName: id, TagKeys }))),
          (Tags) => clients.gate.call('iam:TagUser', () => iam.send(new TagUserCommand({ UserName: id, Tags }))),
        ));
      default:
        return cannotRevert(attribute, 'renaming a user is not written back by Tidemark');
    }
  },
};
