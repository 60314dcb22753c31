// aws_ecr_repository_policy ↔ ECR GetRepositoryPolicy, one call per repository the state names
// (ECR has no batch read of policies); a repository without a policy, or gone, proves it missing.
// The policy is compared as an IAM document (statement order, single values vs lists).
import { GetRepositoryPolicyCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { cannotRevert, foundEntry, missingEntry, perTarget, str } from './common';
import { ecrErrorCode, POLICY_GONE } from './ecr-common';
import type { ResourceType } from './resource-type';

export const awsEcrRepositoryPolicy: ResourceType = {
  type: 'aws_ecr_repository_policy',
  tags: false,
  attributes: [
    { name: 'repository', compare: 'scalar', forceNew: true },
    { name: 'policy', compare: 'policy', severity: 'error' },
  ],
  notCompared: { registry_id: 'computed by AWS (the account)' },
  idFromState: (a) => str(a.repository) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'policy',

  async read(targets, ctx) {
    return perTarget(targets, ctx, async (t) => {
      try {
        const out = await ctx.clients.gate.call('ecr:GetRepositoryPolicy', () => ctx.clients.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: t.id })));
        return foundEntry(t, 'aws_ecr_repository_policy', ctx, { repository: out.repositoryName, policy: out.policyText ?? '', registry_id: out.registryId ?? null });
      } catch (error) {
        if (POLICY_GONE.has(ecrErrorCode(error))) return missingEntry(ctx, t.id, `repository ${t.id} has no repository policy (${ecrErrorCode(error)})`);
        throw error;
      }
    });
  },

  async revert(request, clients) {
    if (request.attribute !== 'policy') return cannotRevert(request.attribute);
    const text = typeof request.declared === 'string' ? request.declared : JSON.stringify(request.declared);
    await clients.gate.call('ecr:SetRepositoryPolicy', () => clients.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: request.id, policyText: text })));
    return { ok: true, message: 'repository policy restored' };
  },
};

