// aws_iam_user_policy_attachment ↔ the IAM family (a user's AttachedManagedPolicies); see the role variant.
import { policyAttachmentType } from './aws_iam_role_policy_attachment';

export const awsIamUserPolicyAttachment = policyAttachmentType({
  type: 'aws_iam_user_policy_attachment',
  principal: 'user',
  kind: 'User',
  attached: (account, name) => account.users.get(name)?.AttachedManagedPolicies ?? (account.users.has(name) ? [] : undefined),
});
