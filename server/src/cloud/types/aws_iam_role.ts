// aws_iam_role ↔ the IAM family (GetAccountAuthorizationDetails for the trust policy, boundary and
// tags; ListRoles for description and maximum session duration, which GAAD omits).
import {
  DeleteRolePermissionsBoundaryCommand, PutRolePermissionsBoundaryCommand, Role, RoleDetail, TagRoleCommand,
  UntagRoleCommand, UpdateAssumeRolePolicyCommand, UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { decodePolicy, iamMember } from '../families/iam';
import { cannotRevert, foundEntry, labelFrom, missingEntry, num, str, revertTagMap, untagThenTag, unknownEntry, userTags } from './common';
import { attachmentMembers } from './iam-members';
import type { ResourceType } from './resource-type';

export { decodePolicy } from '../families/iam';

export function roleAttributes(r: RoleDetail, settings?: Role): Record<string, unknown> {
  return {
    name: r.RoleName,
    path: r.Path ?? '/',
    assume_role_policy: decodePolicy(r.AssumeRolePolicyDocument),
    description: settings?.Description ?? '',
    max_session_duration: settings?.MaxSessionDuration ?? 3600,
    permissions_boundary: r.PermissionsBoundary?.PermissionsBoundaryArn ?? '',
    tags: userTags(r.Tags),
  };
}

export const awsIamRole: ResourceType = {
  type: 'aws_iam_role',
  tags: true,
  taggingType: 'iam:role',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'path', compare: 'scalar', default: '/', forceNew: true },
    { name: 'assume_role_policy', compare: 'policy', severity: 'error' },
    { name: 'description', compare: 'scalar', default: '' },
    { name: 'max_session_duration', compare: 'scalar', default: 3600 },
    { name: 'permissions_boundary', compare: 'scalar', default: '', severity: 'error' },
  ],
  idFromState: (a) => str(a.name) ?? str(a.id),
  idFromArn: (arn) => /:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  members: attachmentMembers('role'),
  family: iamMember(['Role', 'RoleSettings'], (t, account, ctx) => {
    const role = account.roles.get(t.id);
    if (!role) return missingEntry(ctx, t.id, `role ${t.id} does not exist`);
    const settings = account.roleSettings.get(t.id);
    // Created between the two listings: its description cannot be told from an empty one.
    if (!settings) return unknownEntry(ctx, `role ${t.id} was not in ListRoles (created during the read?)`);
    return foundEntry(t, 'aws_iam_role', ctx, roleAttributes(role, settings), { arn: role.Arn });
  }),

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const iam = clients.iam;
    switch (attribute) {
      case 'assume_role_policy':
        if (typeof declared !== 'string') return { ok: false, message: 'declared trust policy is not a JSON document' };
        await clients.gate.call('iam:UpdateAssumeRolePolicy', () => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: id, PolicyDocument: declared })));
        return { ok: true, message: 'trust policy restored' };
      case 'description':
        await clients.gate.call('iam:UpdateRole', () => iam.send(new UpdateRoleCommand({ RoleName: id, Description: String(declared ?? '') })));
        return { ok: true, message: 'description restored' };
      case 'max_session_duration':
        await clients.gate.call('iam:UpdateRole', () => iam.send(new UpdateRoleCommand({ RoleName: id, MaxSessionDuration: num(declared) })));
        return { ok: true, message: `max_session_duration set to ${String(declared)}` };
      case 'permissions_boundary':
        if (typeof declared === 'string' && declared !== '') {
          await clients.gate.call('iam:PutRolePermissionsBoundary', () => iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: id, PermissionsBoundary: declared })));
        } else {
          await clients.gate.call('iam:DeleteRolePermissionsBoundary', () => iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: id })));
        }
        return { ok: true, message: 'permissions boundary restored' };
      case 'tags':
        return revertTagMap(request, untagThenTag(
          (TagKeys) => clients.gate.call('iam:UntagRole', () => iam.send(new UntagRoleCommand({ RoleName: id, TagKeys }))),
          (Tags) => clients.gate.call('iam:TagRole', () => iam.send(new TagRoleCommand({ RoleName: id, Tags }))),
        ));
      default:
        return cannotRevert(attribute);
    }
  },
};
