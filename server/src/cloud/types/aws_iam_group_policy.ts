// aws_iam_group_policy (inline policy) ↔ the IAM family (GroupPolicyList); writes with PutGroupPolicy.
// Terraform's id is `group:name`.
import { PutGroupPolicyCommand } from '@aws-sdk/client-iam';
import { decodePolicy, iamMember, splitPair } from '../families/iam';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

export const awsIamGroupPolicy: ResourceType = {
  type: 'aws_iam_group_policy',
  tags: false,
  attributes: [
    { name: 'group', compare: 'scalar', forceNew: true },
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'policy', compare: 'policy', severity: 'error' },
  ],
  idFromState: (a) => str(a.id) ?? (str(a.group) && str(a.name) ? `${String(a.group)}:${String(a.name)}` : undefined),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  family: iamMember(['Group'], (t, account, ctx) => {
    const parts = splitPair(t.id);
    if (!parts) return unknownEntry(ctx, `'${t.id}' is not a group:policy id`);
    const [group, name] = parts;
    const found = account.groups.get(group)?.GroupPolicyList?.find((p) => p.PolicyName === name);
    if (!found) return missingEntry(ctx, t.id, `inline policy ${name} of group ${group} does not exist`);
    return foundEntry(t, 'aws_iam_group_policy', ctx, { group, name, policy: decodePolicy(found.PolicyDocument) });
  }),

  async revert(request, clients) {
    if (request.attribute !== 'policy') return cannotRevert(request.attribute);
    const parts = splitPair(request.id);
    if (!parts || typeof request.declared !== 'string') return { ok: false, message: 'declared policy is not a JSON document' };
    const [group, name] = parts;
    const doc = request.declared;
    await clients.gate.call('iam:PutGroupPolicy', () => clients.iam.send(new PutGroupPolicyCommand({ GroupName: group, PolicyName: name, PolicyDocument: doc })));
    return { ok: true, message: `inline policy ${name} restored` };
  },
};
