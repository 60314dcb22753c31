// aws_iam_user_group_membership ↔ the IAM family (the user's GroupList). Not exclusive: like the
// provider, only the groups it declares are read back, so a group removed is drift and other
// groups of the user are not its business.
import { AddUserToGroupCommand, RemoveUserFromGroupCommand } from '@aws-sdk/client-iam';
import { iamMember } from '../families/iam';
import { cannotRevert, foundEntry, missingEntry, str } from './common';
import type { ResourceType } from './resource-type';

const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export const awsIamUserGroupMembership: ResourceType = {
  type: 'aws_iam_user_group_membership',
  tags: false,
  attributes: [
    { name: 'user', compare: 'scalar', forceNew: true },
    { name: 'groups', compare: 'set', severity: 'warning' },
  ],
  idFromState: (a) => (str(a.user) ? `${String(a.user)}/${names(a.groups).join('/')}` : undefined),
  importId: (live) => live.id,
  suggestName: (live) => `${String(live.attributes.user)}_groups`.replace(/[^A-Za-z0-9_]/g, '_'),
  family: iamMember(['User'], (t, account, ctx) => {
    const name = String(t.state.attributes.user);
    const user = account.users.get(name);
    if (!user) return missingEntry(ctx, t.id, `user ${name} does not exist`);
    const declared = new Set(names(t.state.attributes.groups));
    return foundEntry(t, 'aws_iam_user_group_membership', ctx, { user: name, groups: (user.GroupList ?? []).filter((g) => declared.has(g)) });
  }),
  async revert(request, clients) {
    if (request.attribute !== 'groups') return cannotRevert(request.attribute);
    const user = String(request.live.attributes.user);
    const want = new Set(names(request.declared));
    const have = new Set(names(request.live.attributes.groups));
    for (const g of want) if (!have.has(g)) await clients.gate.call('iam:AddUserToGroup', () => clients.iam.send(new AddUserToGroupCommand({ GroupName: g, UserName: user })));
    for (const g of have) if (!want.has(g)) await clients.gate.call('iam:RemoveUserFromGroup', () => clients.iam.send(new RemoveUserFromGroupCommand({ GroupName: g, UserName: user })));
    return { ok: true, message: `groups of ${user} restored` };
  },
};
