// aws_iam_instance_profile ↔ the IAM family (ListInstanceProfiles, 1,000 a page: GAAD lists only
// profiles that hold a role). The listing carries no tags, so tags are not compared.
import { AddRoleToInstanceProfileCommand, RemoveRoleFromInstanceProfileCommand } from '@aws-sdk/client-iam';
import { iamMember } from '../families/iam';
import { cannotRevert, foundEntry, missingEntry, str } from './common';
import type { ResourceType } from './resource-type';

export const awsIamInstanceProfile: ResourceType = {
  type: 'aws_iam_instance_profile',
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'path', compare: 'scalar', default: '/', forceNew: true },
    { name: 'role', compare: 'scalar', default: '', severity: 'error' },
  ],
  notCompared: { tags: 'ListInstanceProfiles returns no tags; only one ListInstanceProfileTags per profile would' },
  idFromState: (a) => str(a.name) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_'),
  family: iamMember(['InstanceProfiles'], (t, account, ctx) => {
    const p = account.instanceProfiles.get(t.id);
    if (!p) return missingEntry(ctx, t.id, `instance profile ${t.id} does not exist`);
    return foundEntry(t, 'aws_iam_instance_profile', ctx, { name: p.InstanceProfileName, path: p.Path ?? '/', role: p.Roles?.[0]?.RoleName ?? '' }, { arn: p.Arn });
  }),
  async revert(request, clients) {
    if (request.attribute !== 'role') return cannotRevert(request.attribute);
    const name = request.id;
    const have = str(request.live.attributes.role);
    const want = str(request.declared);
    if (have) await clients.gate.call('iam:RemoveRoleFromInstanceProfile', () => clients.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: have })));
    if (want) await clients.gate.call('iam:AddRoleToInstanceProfile', () => clients.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: want })));
    return { ok: true, message: want ? `role ${want} restored on ${name}` : `role removed from ${name}` };
  },
};
