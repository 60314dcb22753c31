// aws_iam_group ↔ the IAM family (GroupDetailList). Managed policies attached to it that no
// attachment resource declares are its unmanaged attachments.
import { UpdateGroupCommand } from '@aws-sdk/client-iam';
import { iamMember } from '../families/iam';
import { cannotRevert, foundEntry, missingEntry, str } from './common';
import { attachmentMembers } from './iam-members';
import type { ResourceType } from './resource-type';

export const awsIamGroup: ResourceType = {
  type: 'aws_iam_group',
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar' },
    { name: 'path', compare: 'scalar', default: '/' },
  ],
  idFromState: (a) => str(a.name) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_'),
  members: attachmentMembers('group'),
  family: iamMember(['Group'], (t, account, ctx) => {
    const g = account.groups.get(t.id);
    if (!g) return missingEntry(ctx, t.id, `group ${t.id} does not exist`);
    return foundEntry(t, 'aws_iam_group', ctx, { name: g.GroupName, path: g.Path ?? '/' }, { arn: g.Arn });
  }),
  async revert(request, clients) {
    if (request.attribute !== 'path') return cannotRevert(request.attribute, 'renaming a group is not written back by Tidemark');
    const path = typeof request.declared === 'string' && request.declared !== '' ? request.declared : '/';
    await clients.gate.call('iam:UpdateGroup', () => clients.iam.send(new UpdateGroupCommand({ GroupName: request.id, NewPath: path })));
    return { ok: true, message: `path set to ${path}` };
  },
};
