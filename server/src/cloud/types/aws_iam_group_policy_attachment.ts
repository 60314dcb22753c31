// aws_iam_group_policy_attachment ↔ the IAM family (a group's AttachedManagedPolicies); see the role variant.
import { policyAttachmentType } from './aws_iam_role_policy_attachment';

export const awsIamGroupPolicyAttachment = policyAttachmentType({
  type: 'aws_iam_group_policy_attachment',
  principal: 'group',
  kind: 'Group',
  attached: (account, name) => account.groups.get(name)?.AttachedManagedPolicies ?? (account.groups.has(name) ? [] : undefined),
});
