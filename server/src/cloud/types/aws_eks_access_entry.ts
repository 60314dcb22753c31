// aws_eks_access_entry ↔ one DescribeAccessEntry per declared entry (tags included; see
// eks-common). Identified, as Terraform's import id, by `cluster_name:principal_arn`.
//
// Compared as the provider compares them: kubernetes_groups (a set) and user_name are
// Optional+Computed (EKS fills in a default user name), so only when declared; type defaults to
// STANDARD and forces a new entry, as do the cluster and principal; tags.
// Writers: UpdateAccessEntry (groups, user name), Tag/UntagResource.
import { DescribeAccessEntryCommand, UpdateAccessEntryCommand, type AccessEntry, type UpdateAccessEntryRequest } from '@aws-sdk/client-eks';
import type { Known } from '../../drift/values';
import { stringsOf } from './blocks';
import { cannotRevert, foundEntry, str } from './common';
import { describeEach, revertEksTags, splitId, twoPartId } from './eks-common';
import type { ResourceType } from './resource-type';

function liveAttributes(e: AccessEntry): Record<string, unknown> {
  return {
    cluster_name: e.clusterName,
    principal_arn: e.principalArn,
    access_entry_arn: e.accessEntryArn,
    kubernetes_groups: e.kubernetesGroups ?? [],
    type: e.type ?? 'STANDARD',
    user_name: e.username ?? '',
    tags: e.tags ?? {},
  };
}

const WRITES: Record<string, (declared: Known) => Partial<UpdateAccessEntryRequest>> = {
  kubernetes_groups: (d) => ({ kubernetesGroups: stringsOf(d) }),
  user_name: (d) => ({ username: str(d) }),
};

export const awsEksAccessEntry: ResourceType = {
  type: 'aws_eks_access_entry',
  tags: true,
  attributes: [
    { name: 'cluster_name', compare: 'scalar', forceNew: true },
    { name: 'principal_arn', compare: 'scalar', forceNew: true },
    { name: 'type', compare: 'scalar', default: 'STANDARD', forceNew: true },
    // Optional+Computed: compared only when declared.
    { name: 'kubernetes_groups', compare: 'set', severity: 'warning' },
    { name: 'user_name', compare: 'scalar', severity: 'warning' },
  ],
  notCompared: {
    access_entry_arn: 'computed by AWS', created_at: 'set by AWS at creation', modified_at: 'AWS sets it on every update',
  },
  idFromState: (a) => twoPartId(a, 'principal_arn'),
  importId: (live) => live.id,
  suggestName: (live) => (splitId(live.id)?.name.split('/').pop() ?? 'access_entry').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  read(targets, ctx) {
    return describeEach(targets, ctx, 'EKS access entry',
      async (t) => {
        const id = splitId(t.id);
        if (!id) return undefined;
        return (await ctx.clients.gate.call('eks:DescribeAccessEntry', () => ctx.clients.eks.send(new DescribeAccessEntryCommand({ clusterName: id.cluster, principalArn: id.name })))).accessEntry;
      },
      (t, e) => foundEntry(t, 'aws_eks_access_entry', ctx, liveAttributes(e), { arn: e.accessEntryArn }));
  },

  async revert(request, clients) {
    if (request.attribute === 'tags') return revertEksTags(request, clients);
    const write = WRITES[request.attribute];
    const parts = splitId(request.id);
    if (!write || !parts) return cannotRevert(request.attribute);
    await clients.gate.call('eks:UpdateAccessEntry', () => clients.eks.send(new UpdateAccessEntryCommand({ clusterName: parts.cluster, principalArn: parts.name, ...write(request.declared) })));
    return { ok: true, message: `wrote ${request.attribute} of the access entry for ${parts.name} back with UpdateAccessEntry` };
  },
};
