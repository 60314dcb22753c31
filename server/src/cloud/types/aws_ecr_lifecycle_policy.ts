// aws_ecr_lifecycle_policy ↔ ECR GetLifecyclePolicy, one call per repository the state names (ECR
// has no batch read); a repository without a lifecycle policy, or gone, proves it missing.
import { GetLifecyclePolicyCommand, PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import type { Known } from '../../drift/values';
import { cannotRevert, foundEntry, missingEntry, perTarget, str } from './common';
import { ecrErrorCode, POLICY_GONE } from './ecr-common';
import type { ResourceType } from './resource-type';

type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
const sortKeys = (v: JsonValue): JsonValue => (Array.isArray(v) ? v.map(sortKeys)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, JsonValue>)[k]!)])) : v);

/**
 * A lifecycle policy as canonical JSON: key order and rule order do not matter (AWS applies rules
 * by rulePriority), as the provider's equivalence check treats them.
 */
export function lifecyclePolicy(v: Known): Known {
  if (typeof v !== 'string') return v;
  try {
    const doc = JSON.parse(v) as { rules?: Array<{ rulePriority?: number }> };
    if (Array.isArray(doc.rules)) doc.rules = [...doc.rules].sort((a, b) => (a.rulePriority ?? 0) - (b.rulePriority ?? 0));
    return JSON.stringify(sortKeys(doc as JsonValue));
  } catch {
    return v;
  }
}

export const awsEcrLifecyclePolicy: ResourceType = {
  type: 'aws_ecr_lifecycle_policy',
  tags: false,
  attributes: [
    { name: 'repository', compare: 'scalar', forceNew: true },
    { name: 'policy', compare: 'scalar', normalize: lifecyclePolicy, severity: 'warning' },
  ],
  notCompared: { registry_id: 'computed by AWS (the account)' },
  idFromState: (a) => str(a.repository) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'lifecycle',

  async read(targets, ctx) {
    return perTarget(targets, ctx, async (t) => {
      try {
        const out = await ctx.clients.gate.call('ecr:GetLifecyclePolicy', () => ctx.clients.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: t.id })));
        return foundEntry(t, 'aws_ecr_lifecycle_policy', ctx, { repository: out.repositoryName, policy: out.lifecyclePolicyText ?? '', registry_id: out.registryId ?? null });
      } catch (error) {
        if (POLICY_GONE.has(ecrErrorCode(error))) return missingEntry(ctx, t.id, `repository ${t.id} has no lifecycle policy (${ecrErrorCode(error)})`);
        throw error;
      }
    });
  },

  async revert(request, clients) {
    if (request.attribute !== 'policy') return cannotRevert(request.attribute);
    const text = typeof request.declared === 'string' ? request.declared : JSON.stringify(request.declared);
    await clients.gate.call('ecr:PutLifecyclePolicy', () => clients.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: request.id, lifecyclePolicyText: text })));
    return { ok: true, message: 'lifecycle policy restored' };
  },
};
