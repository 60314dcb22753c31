// aws_iam_role_policy_attachment ↔ the IAM family (a role's AttachedManagedPolicies). Terraform's
// id is a generated `role-<timestamp>`; the pair (role, policy_arn) from state is what identifies it.
// Both arguments force replacement: the only drift is the attachment being gone.
import { AttachedPolicy, DetachGroupPolicyCommand, DetachRolePolicyCommand, DetachUserPolicyCommand } from '@aws-sdk/client-iam';
import { iamMember, IamAccount, IamKind } from '../families/iam';
import { cannotRevert, foundEntry, missingEntry, str } from './common';
import type { ResourceType } from './resource-type';

interface AttachmentSpec {
  type: string;
  /** The state argument naming the principal (`role`, `user`). */
  principal: 'role' | 'user' | 'group';
  kind: IamKind;
  attached(account: IamAccount, name: string): AttachedPolicy[] | undefined;
}

/** Shared by the role and user attachment types: the id is `principal/policy-arn`, as `terraform import` takes it. */
export function policyAttachmentType(spec: AttachmentSpec): ResourceType {
  return {
    type: spec.type,
    tags: false,
    attributes: [
      { name: spec.principal, compare: 'scalar', forceNew: true },
      { name: 'policy_arn', compare: 'scalar', forceNew: true, severity: 'error' },
    ],
    idFromState: (a) => (str(a[spec.principal]) && str(a.policy_arn) ? `${String(a[spec.principal])}/${String(a.policy_arn)}` : undefined),
    importId: (live) => live.id,
    suggestName: (live) => live.id.replace(/^arn:aws:iam::[^:]*:policy\//, '').replace(/[^A-Za-z0-9_-]/g, '_'),
    family: iamMember([spec.kind], (t, account, ctx) => {
      const at = t.id.indexOf('/');
      const name = t.id.slice(0, at);
      const arn = t.id.slice(at + 1);
      const attached = spec.attached(account, name);
      if (!attached) return missingEntry(ctx, t.id, `${spec.principal} ${name} does not exist`);
      if (!attached.some((p) => p.PolicyArn === arn)) return missingEntry(ctx, t.id, `${arn} is not attached to ${spec.principal} ${name}`);
      return foundEntry(t, spec.type, ctx, { [spec.principal]: name, policy_arn: arn });
    }),
    async revert(request) {
      return cannotRevert(request.attribute);
    },
    // Revert of an unmanaged attachment: detach the policy.
    async removeLive(live, clients) {
      const name = String(live.attributes[spec.principal]);
      const arn = String(live.attributes.policy_arn);
      if (spec.principal === 'role') {
        await clients.gate.call('iam:DetachRolePolicy', () => clients.iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: arn })));
      } else if (spec.principal === 'group') {
        await clients.gate.call('iam:DetachGroupPolicy', () => clients.iam.send(new DetachGroupPolicyCommand({ GroupName: name, PolicyArn: arn })));
      } else {
        await clients.gate.call('iam:DetachUserPolicy', () => clients.iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn: arn })));
      }
      return { ok: true, message: `${arn} detached from ${spec.principal} ${name}` };
    },
  };
}

export const awsIamRolePolicyAttachment = policyAttachmentType({
  type: 'aws_iam_role_policy_attachment',
  principal: 'role',
  kind: 'Role',
  attached: (account, name) => account.roles.get(name)?.AttachedManagedPolicies ?? (account.roles.has(name) ? [] : undefined),
});
