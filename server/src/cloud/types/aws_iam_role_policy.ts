// aws_iam_role_policy (inline policy) ↔ the IAM family (RolePolicyList); writes with PutRolePolicy.
// Terraform's id is `role:name`.
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { decodePolicy, iamMember, splitPair } from '../families/iam';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

export const awsIamRolePolicy: ResourceType = {
  type: 'aws_iam_role_policy',
  tags: false,
  attributes: [
    { name: 'role', compare: 'scalar', forceNew: true },
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'policy', compare: 'policy', severity: 'error' },
  ],
  idFromState: (a) => str(a.id) ?? (str(a.role) && str(a.name) ? `${String(a.role)}:${String(a.name)}` : undefined),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  family: iamMember(['Role'], (t, account, ctx) => {
    const parts = splitPair(t.id);
    if (!parts) return unknownEntry(ctx, `'${t.id}' is not a role:policy id`);
    const [role, name] = parts;
    const found = account.roles.get(role)?.RolePolicyList?.find((p) => p.PolicyName === name);
    if (!found) return missingEntry(ctx, t.id, `inline policy ${name} of role ${role} does not exist`);
    return foundEntry(t, 'aws_iam_role_policy', ctx, { role, name, policy: decodePolicy(found.PolicyDocument) });
  }),

  async revert(request, clients) {
    if (request.attribute !== 'policy') return cannotRevert(request.attribute);
    const parts = splitPair(request.id);
    if (!parts || typeof request.declared !== 'string') return { ok: false, message: 'declared policy is not a JSON document' };
    const [role, name] = parts;
    const doc = request.declared;
    await clients.gate.call('iam:PutRolePolicy', () => clients.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: name, PolicyDocument: doc })));
    return { ok: true, message: `inline policy ${name} restored` };
  },
};
