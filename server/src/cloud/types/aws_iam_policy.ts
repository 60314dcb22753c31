// aws_iam_policy (customer managed policy) ↔ the IAM family (Policies with their version list);
// the policy document is the default version's. Writes a new default version, as Terraform does.
import { CreatePolicyVersionCommand, DeletePolicyVersionCommand, ManagedPolicyDetail } from '@aws-sdk/client-iam';
import { decodePolicy, iamMember } from '../families/iam';
import { cannotRevert, foundEntry, missingEntry, str } from './common';
import type { ResourceType } from './resource-type';

export function policyAttributes(p: ManagedPolicyDetail): Record<string, unknown> {
  const current = p.PolicyVersionList?.find((v) => v.IsDefaultVersion) ?? p.PolicyVersionList?.find((v) => v.VersionId === p.DefaultVersionId);
  return {
    name: p.PolicyName,
    path: p.Path ?? '/',
    description: p.Description ?? '',
    policy: decodePolicy(current?.Document),
    policy_id: p.PolicyId,
    // Non-default versions, oldest first (the writer must make room when there are five).
    versions: (p.PolicyVersionList ?? [])
      .filter((v) => !v.IsDefaultVersion)
      .sort((a, b) => Number(a.VersionId?.slice(1)) - Number(b.VersionId?.slice(1)))
      .map((v) => v.VersionId),
  };
}

export const awsIamPolicy: ResourceType = {
  type: 'aws_iam_policy',
  // GetAccountAuthorizationDetails and ListPolicies return no policy tags; only one GetPolicy per policy would.
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'path', compare: 'scalar', default: '/', forceNew: true },
    { name: 'description', compare: 'scalar', default: '', forceNew: true },
    { name: 'policy', compare: 'policy', severity: 'error' },
  ],
  notCompared: { tags: 'IAM returns managed-policy tags only through one GetPolicy call per policy; not read' },
  idFromState: (a) => str(a.arn) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => String(live.attributes.name ?? live.id).replace(/[^A-Za-z0-9_-]/g, '_'),

  family: iamMember(['LocalManagedPolicy'], (t, account, ctx) => {
    const p = account.policies.get(t.id);
    if (!p) return missingEntry(ctx, t.id, `managed policy ${t.id} does not exist`);
    return foundEntry(t, 'aws_iam_policy', ctx, policyAttributes(p), { arn: p.Arn });
  }),

  async revert(request, clients) {
    if (request.attribute !== 'policy') return cannotRevert(request.attribute);
    if (typeof request.declared !== 'string') return { ok: false, message: 'declared policy is not a JSON document' };
    const arn = request.id;
    const doc = request.declared;
    // A policy keeps at most five versions: like Terraform, drop the oldest non-default one first.
    const versions = (request.live.attributes.versions as string[] | undefined) ?? [];
    if (versions.length >= 4) {
      const oldest = versions[0];
      await clients.gate.call('iam:DeletePolicyVersion', () => clients.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: oldest })));
    }
    await clients.gate.call('iam:CreatePolicyVersion', () => clients.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc, SetAsDefault: true })));
    return { ok: true, message: 'policy document restored as the new default version' };
  },
};
