// aws_iam_user_policy (inline policy) ↔ the IAM family (UserPolicyList); writes with PutUserPolicy.
// Terraform's id is `user:name`.
import { PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { decodePolicy, iamMember, splitPair } from '../families/iam';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

export const awsIamUserPolicy: ResourceType = {
  type: 'aws_iam_user_policy',
  tags: false,
  attributes: [
    { name: 'user', compare: 'scalar', forceNew: true },
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'policy', compare: 'policy', severity: 'error' },
  ],
  idFromState: (a) => str(a.id) ?? (str(a.user) && str(a.name) ? `${String(a.user)}:${String(a.name)}` : undefined),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  family: iamMember(['User'], (t, account, ctx) => {
    const parts = splitPair(t.id);
    if (!parts) return unknownEntry(ctx, `'${t.id}' is not a user:policy id`);
    const [user, name] = parts;
    const found = account.users.get(user)?.UserPolicyList?.find((p) => p.PolicyName === name);
    if (!found) return missingEntry(ctx, t.id, `inline policy ${name} of user ${user} does not exist`);
    return foundEntry(t, 'aws_iam_user_policy', ctx, { user, name, policy: decodePolicy(found.PolicyDocument) });
  }),

  async revert(request, clients) {
    if (request.attribute !== 'policy') return cannotRevert(request.attribute);
    const parts = splitPair(request.id);
    if (!parts || typeof request.declared !== 'string') return { ok: false, message: 'declared policy is not a JSON document' };
    const [user, name] = parts;
    const doc = request.declared;
    await clients.gate.call('iam:PutUserPolicy', () => clients.iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: name, PolicyDocument: doc })));
    return { ok: true, message: `inline policy ${name} restored` };
  },
};
