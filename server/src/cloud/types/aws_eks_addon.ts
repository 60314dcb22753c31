// aws_eks_addon ↔ one DescribeAddon per declared add-on (tags included; see eks-common).
// Identified, as Terraform's import id, by `cluster_name:addon_name`.
//
// Compared as the provider compares them: addon_version and configuration_values are
// Optional+Computed (AWS picks the default version and configuration), so only when declared;
// configuration_values is a JSON (or YAML) document in a string: two JSON documents that differ only
// in spacing or key order are the same configuration; service_account_role_arn (Optional: absent
// means none); tags.
// Not read: resolve_conflicts_on_create/on_update and preserve are instructions to the provider for
// its own calls, not properties of the add-on.
// Writers: UpdateAddon (version, configuration values, service account role), Tag/UntagResource.
import { DescribeAddonCommand, UpdateAddonCommand, type Addon, type UpdateAddonRequest } from '@aws-sdk/client-eks';
import type { Known } from '../../drift/values';
import { canonicalJson } from '../../drift/values';
import { cannotRevert, foundEntry, str } from './common';
import { describeEach, revertEksTags, splitId, twoPartId } from './eks-common';
import type { ResourceType } from './resource-type';

/** A JSON document in canonical form (key order and spacing dropped); any other text as written. */
function configuration(v: Known): Known {
  if (typeof v !== 'string' || v.trim() === '') return v === null ? '' : v;
  try {
    return canonicalJson(JSON.parse(v));
  } catch {
    return v;
  }
}

function liveAttributes(a: Addon): Record<string, unknown> {
  return {
    cluster_name: a.clusterName,
    addon_name: a.addonName,
    arn: a.addonArn,
    addon_version: a.addonVersion ?? '',
    configuration_values: a.configurationValues ?? '',
    service_account_role_arn: a.serviceAccountRoleArn ?? '',
    status: a.status ?? '',
    tags: a.tags ?? {},
  };
}

const WRITES: Record<string, (declared: Known) => Partial<UpdateAddonRequest>> = {
  addon_version: (d) => ({ addonVersion: str(d) }),
  configuration_values: (d) => ({ configurationValues: typeof d === 'string' ? d : '' }),
  // An empty role returns the add-on to the node role's permissions.
  service_account_role_arn: (d) => ({ serviceAccountRoleArn: str(d) ?? '' }),
};

export const awsEksAddon: ResourceType = {
  type: 'aws_eks_addon',
  tags: true,
  taggingType: 'eks:addon',
  attributes: [
    { name: 'cluster_name', compare: 'scalar', forceNew: true },
    { name: 'addon_name', compare: 'scalar', forceNew: true },
    // Optional+Computed: compared only when declared.
    { name: 'addon_version', compare: 'scalar', severity: 'warning' },
    { name: 'configuration_values', compare: 'scalar', normalize: configuration },
    { name: 'service_account_role_arn', compare: 'scalar', default: '', severity: 'warning' },
  ],
  notCompared: {
    resolve_conflicts_on_create: 'an instruction for the provider\'s CreateAddon call, not a property of the add-on',
    resolve_conflicts_on_update: 'an instruction for the provider\'s UpdateAddon calls, not a property of the add-on',
    preserve: 'a Terraform-side instruction for deletion',
    pod_identity_association: 'read only by one DescribePodIdentityAssociation per association: not read yet',
    arn: 'computed by AWS', created_at: 'set by AWS at creation', modified_at: 'AWS sets it on every update',
  },
  idFromState: (a) => twoPartId(a, 'addon_name'),
  idFromArn: (arn) => {
    const m = /^arn:aws[\w-]*:eks:[^:]+:\d{12}:addon\/([^/]+)\/([^/]+)\/[^/]+$/.exec(arn);
    return m ? `${m[1]}:${m[2]}` : undefined;
  },
  importId: (live) => live.id,
  suggestName: (live) => (splitId(live.id)?.name ?? 'addon').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  read(targets, ctx) {
    return describeEach(targets, ctx, 'EKS add-on',
      async (t) => {
        const id = splitId(t.id);
        if (!id) return undefined;
        return (await ctx.clients.gate.call('eks:DescribeAddon', () => ctx.clients.eks.send(new DescribeAddonCommand({ clusterName: id.cluster, addonName: id.name })))).addon;
      },
      (t, a) => foundEntry(t, 'aws_eks_addon', ctx, liveAttributes(a), { arn: a.addonArn }));
  },

  async revert(request, clients) {
    if (request.attribute === 'tags') return revertEksTags(request, clients);
    const write = WRITES[request.attribute];
    const parts = splitId(request.id);
    if (!write || !parts) return cannotRevert(request.attribute);
    await clients.gate.call('eks:UpdateAddon', () => clients.eks.send(new UpdateAddonCommand({ clusterName: parts.cluster, addonName: parts.name, ...write(request.declared) })));
    return { ok: true, message: `wrote ${request.attribute} of add-on ${parts.name} back with UpdateAddon` };
  },
};
