// aws_iam_group_membership ↔ the IAM family: the group's members are the users whose GroupList
// names it. The resource is exclusive: `users` is every member, so one added by hand is drift.
import { AddUserToGroupCommand, RemoveUserFromGroupCommand } from '@aws-sdk/client-iam';
import { iamMember } from '../families/iam';
import { cannotRevert, foundEntry, missingEntry, str } from './common';
import type { ResourceType } from './resource-type';

const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export const awsIamGroupMembership: ResourceType = {
  type: 'aws_iam_group_membership',
  tags: false,
  attributes: [
    { name: 'group', compare: 'scalar', forceNew: true },
    { name: 'users', compare: 'set', severity: 'error' },
  ],
  notCompared: { name: 'a Terraform-side label of the membership; AWS has no such object' },
  // Terraform's id is the resource's `name`; the group is what AWS knows.
  idFromState: (a) => str(a.group),
  importId: (live) => String(live.attributes.group),
  suggestName: (live) => `${live.id}_members`.replace(/[^A-Za-z0-9_]/g, '_'),
  family: iamMember(['Group', 'User'], (t, account, ctx) => {
    if (!account.groups.has(t.id)) return missingEntry(ctx, t.id, `group ${t.id} does not exist`);
    const members = [...account.users.values()].filter((u) => u.GroupList?.includes(t.id)).map((u) => u.UserName!);
    return foundEntry(t, 'aws_iam_group_membership', ctx, { group: t.id, users: members });
  }),
  async revert(request, clients) {
    if (request.attribute !== 'users') return cannotRevert(request.attribute);
    const want = new Set(names(request.declared));
    const have = new Set(names(request.live.attributes.users));
    const group = request.id;
    for (const u of want) if (!have.has(u)) await clients.gate.call('iam:AddUserToGroup', () => clients.iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: u })));
    for (const u of have) if (!want.has(u)) await clients.gate.call('iam:RemoveUserFromGroup', () => clients.iam.send(new RemoveUserFromGroupCommand({ GroupName: group, UserName: u })));
    return { ok: true, message: `members of ${group} restored` };
  },
};
