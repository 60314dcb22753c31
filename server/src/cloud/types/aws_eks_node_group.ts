// aws_eks_node_group ↔ one DescribeNodegroup per declared node group (tags included; see
// eks-common). Identified, as Terraform's import id, by `cluster_name:node_group_name`.
//
// Compared as the provider compares them: scaling_config (all three sizes), labels (a map, default
// none), taint (a set of key/value/effect, default none), update_config (Optional+Computed: only the
// declared field), the ForceNew node_role_arn and subnet_ids (a set), and — only when declared, as
// they are Optional+Computed — instance_types (a list), capacity_type, ami_type, disk_size,
// version and release_version; launch_template (id or name, Optional+Computed, and version); tags.
// scaling_config.desired_size is compared like the rest, as Terraform compares it: AWS itself never
// changes it; when the Cluster Autoscaler owns it, the provider's documentation says to ignore it
// (lifecycle ignore_changes = [scaling_config[0].desired_size]).
// Writers: scaling, labels, taints and update_config through UpdateNodegroupConfig; versions cannot
// be written back (EKS never downgrades a node group), a launch template version can (UpdateNodegroupVersion);
// tags through Tag/UntagResource.
import { DescribeNodegroupCommand, UpdateNodegroupConfigCommand, UpdateNodegroupVersionCommand, type Nodegroup, type Taint, type TaintEffect, type UpdateNodegroupConfigRequest } from '@aws-sdk/client-eks';
import type { NormalizeContext } from '../../drift/schema';
import type { Known } from '../../drift/values';
import { blocksOf, firstBlock, stringsOf } from './blocks';
import { cannotRevert, foundEntry, num, str } from './common';
import { computedField, describeEach, revertEksTags, splitId, twoPartId } from './eks-common';
import type { ResourceType, RevertOutcome } from './resource-type';

function scalingAtoms(v: Known): Known {
  const b = firstBlock(v);
  return b ? [`desired ${num(b.desired_size ?? null)}`, `min ${num(b.min_size ?? null)}`, `max ${num(b.max_size ?? null)}`] : [];
}

const mapOf = (v: Known): Record<string, string> => {
  const m = Array.isArray(v) ? v[0] : v;
  return m && typeof m === 'object' && !Array.isArray(m) ? Object.fromEntries(Object.entries(m).map(([k, x]) => [k, x === null ? '' : String(x)])) : {};
};
const labelAtoms = (v: Known): Known => Object.entries(mapOf(v)).map(([k, x]) => `${k}=${x}`).sort();

interface TaintValue { key: string; value?: string; effect: string }
const taintsOf = (v: Known): TaintValue[] => blocksOf(v).map((t) => ({ key: String(t.key ?? ''), ...(str(t.value) ? { value: str(t.value) } : {}), effect: String(t.effect ?? '') }));
const taintAtoms = (v: Known): Known => taintsOf(v).map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).sort();

/** The declared one of max_unavailable / max_unavailable_percentage (ExactlyOneOf); zero means unset. */
function updateAtoms(v: Known): Known {
  const b = firstBlock(v);
  if (!b) return [];
  return ['max_unavailable', 'max_unavailable_percentage'].flatMap((f) => (num(b[f] ?? null) ? [`${f} ${num(b[f] ?? null)}`] : []));
}

/**
 * `launch_template { id | name, version }`: id and name are Optional+Computed (one is declared, AWS
 * reports both); version is compared as written — EKS stores `$Latest`/`$Default` as the number
 * they stood for, and the provider shows that difference too (its documentation says to use the
 * template's latest_version instead).
 */
function launchTemplateAtoms(v: Known, ctx: NormalizeContext): Known {
  const b = firstBlock(v);
  if (!b) return [];
  const id = str(computedField(b, 'id', ctx.live, 'launch_template'));
  const name = str(computedField(b, 'name', ctx.live, 'launch_template'));
  return [`template ${id ?? ''} (${name ?? ''})`, `version ${b.version === null || b.version === undefined ? '' : String(b.version)}`];
}

function liveAttributes(g: Nodegroup): Record<string, unknown> {
  return {
    cluster_name: g.clusterName,
    node_group_name: g.nodegroupName,
    arn: g.nodegroupArn,
    node_role_arn: g.nodeRole ?? '',
    subnet_ids: g.subnets ?? [],
    scaling_config: g.scalingConfig ? [{ desired_size: g.scalingConfig.desiredSize ?? 0, min_size: g.scalingConfig.minSize ?? 0, max_size: g.scalingConfig.maxSize ?? 0 }] : [],
    instance_types: g.instanceTypes ?? [],
    labels: g.labels ?? {},
    taint: (g.taints ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '', effect: t.effect ?? '' })),
    launch_template: g.launchTemplate ? [{ id: g.launchTemplate.id ?? '', name: g.launchTemplate.name ?? '', version: g.launchTemplate.version ?? '' }] : [],
    update_config: g.updateConfig ? [{ max_unavailable: g.updateConfig.maxUnavailable ?? 0, max_unavailable_percentage: g.updateConfig.maxUnavailablePercentage ?? 0 }] : [],
    capacity_type: g.capacityType ?? '',
    ami_type: g.amiType ?? '',
    disk_size: g.diskSize ?? 0,
    version: g.version ?? '',
    release_version: g.releaseVersion ?? '',
    status: g.status ?? '',
    tags: g.tags ?? {},
  };
}

const sdkTaint = (t: TaintValue): Taint => ({ key: t.key, value: t.value, effect: t.effect as TaintEffect });

/** The UpdateNodegroupConfig request that takes live back to the declared value of one argument. */
function configUpdate(attribute: string, declared: Known, live: Record<string, unknown>): Partial<UpdateNodegroupConfigRequest> | undefined {
  switch (attribute) {
    case 'scaling_config': {
      const b = firstBlock(declared);
      return b ? { scalingConfig: { desiredSize: num(b.desired_size ?? null), minSize: num(b.min_size ?? null), maxSize: num(b.max_size ?? null) } } : undefined;
    }
    case 'labels': {
      const want = mapOf(declared);
      const have = mapOf(live.labels as Known);
      return { labels: { addOrUpdateLabels: want, removeLabels: Object.keys(have).filter((k) => !(k in want)) } };
    }
    case 'taint': {
      const want = taintsOf(declared);
      const have = taintsOf(live.taint as Known);
      const same = (a: TaintValue, b: TaintValue) => a.key === b.key && a.effect === b.effect;
      return { taints: { addOrUpdateTaints: want.map(sdkTaint), removeTaints: have.filter((h) => !want.some((w) => same(w, h))).map(sdkTaint) } };
    }
    case 'update_config': {
      const b = firstBlock(declared);
      if (!b) return undefined;
      const count = num(b.max_unavailable ?? null);
      return { updateConfig: count ? { maxUnavailable: count } : { maxUnavailablePercentage: num(b.max_unavailable_percentage ?? null) } };
    }
    default:
      return undefined;
  }
}

export const awsEksNodeGroup: ResourceType = {
  type: 'aws_eks_node_group',
  tags: true,
  taggingType: 'eks:nodegroup',
  attributes: [
    { name: 'cluster_name', compare: 'scalar', forceNew: true },
    { name: 'node_group_name', compare: 'scalar', forceNew: true },
    { name: 'node_role_arn', compare: 'scalar', forceNew: true, severity: 'warning' },
    { name: 'subnet_ids', compare: 'set', forceNew: true },
    { name: 'scaling_config', compare: 'blocks', normalize: scalingAtoms, phrases: (v) => scalingAtoms(v) as string[] },
    { name: 'labels', compare: 'blocks', default: {}, normalize: labelAtoms, phrases: (v) => labelAtoms(v) as string[] },
    { name: 'taint', compare: 'blocks', default: [], normalize: taintAtoms, phrases: (v) => taintAtoms(v) as string[], severity: 'warning' },
    // Optional+Computed: compared only when declared.
    { name: 'update_config', compare: 'blocks', normalize: updateAtoms, phrases: (v) => updateAtoms(v) as string[] },
    // An ordered list in the provider (the first type is preferred for On-Demand capacity).
    { name: 'instance_types', compare: 'scalar', forceNew: true, normalize: (v) => JSON.stringify(stringsOf(v)) },
    { name: 'capacity_type', compare: 'scalar', forceNew: true },
    { name: 'ami_type', compare: 'scalar', forceNew: true },
    { name: 'disk_size', compare: 'scalar', forceNew: true },
    { name: 'version', compare: 'scalar' },
    { name: 'release_version', compare: 'scalar' },
    { name: 'launch_template', compare: 'blocks', default: [], normalize: launchTemplateAtoms, phrases: (v, ctx) => launchTemplateAtoms(v, ctx) as string[], severity: 'warning' },
  ],
  notCompared: {
    remote_access: 'fixed at creation (ForceNew): not read yet',
    node_repair_config: 'not read yet',
    node_group_name_prefix: 'a Terraform-side naming input',
    force_update_version: 'a Terraform-side instruction for version updates',
    resources: 'computed by AWS (the Auto Scaling groups EKS creates)',
    status: 'AWS moves it as the node group is created, updated and deleted',
    arn: 'computed by AWS',
  },
  idFromState: (a) => twoPartId(a, 'node_group_name'),
  idFromArn: (arn) => {
    const m = /^arn:aws[\w-]*:eks:[^:]+:\d{12}:nodegroup\/([^/]+)\/([^/]+)\/[^/]+$/.exec(arn);
    return m ? `${m[1]}:${m[2]}` : undefined;
  },
  importId: (live) => live.id,
  suggestName: (live) => (splitId(live.id)?.name ?? 'node_group').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  read(targets, ctx) {
    return describeEach(targets, ctx, 'EKS node group',
      async (t) => {
        const id = splitId(t.id);
        if (!id) return undefined;
        return (await ctx.clients.gate.call('eks:DescribeNodegroup', () => ctx.clients.eks.send(new DescribeNodegroupCommand({ clusterName: id.cluster, nodegroupName: id.name })))).nodegroup;
      },
      (t, g) => foundEntry(t, 'aws_eks_node_group', ctx, liveAttributes(g), { arn: g.nodegroupArn }));
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    if (attribute === 'tags') return revertEksTags(request, clients);
    if (attribute === 'version' || attribute === 'release_version') {
      return cannotRevert(attribute, 'EKS moves a node group only to newer Kubernetes and AMI versions, never back');
    }
    const parts = splitId(id);
    if (attribute === 'launch_template' && parts) return revertLaunchTemplate(parts, declared, request.live.attributes, clients);
    const input = configUpdate(attribute, declared, request.live.attributes);
    if (!input || !parts) return cannotRevert(attribute);
    await clients.gate.call('eks:UpdateNodegroupConfig', () => clients.eks.send(new UpdateNodegroupConfigCommand({ clusterName: parts.cluster, nodegroupName: parts.name, ...input })));
    return { ok: true, message: `wrote ${attribute} of node group ${parts.name} back with UpdateNodegroupConfig` };
  },
};

/** Points the node group back at the declared template version (UpdateNodegroupVersion); another template forces a new node group. */
async function revertLaunchTemplate(parts: { cluster: string; name: string }, declared: Known, live: Record<string, unknown>, clients: Parameters<ResourceType['revert']>[1]): Promise<RevertOutcome> {
  const want = firstBlock(declared);
  const have = firstBlock(live.launch_template as Known);
  if (!want || !have) return cannotRevert('launch_template', 'adding or removing a launch template replaces the node group');
  const sameTemplate = (str(want.id) ?? str(have.id)) === str(have.id) && (str(want.name) ?? str(have.name)) === str(have.name);
  if (!sameTemplate) return cannotRevert('launch_template', 'another launch template replaces the node group');
  const version = want.version === null || want.version === undefined ? undefined : String(want.version);
  await clients.gate.call('eks:UpdateNodegroupVersion', () => clients.eks.send(new UpdateNodegroupVersionCommand({
    clusterName: parts.cluster, nodegroupName: parts.name, launchTemplate: { id: str(have.id), version },
  })));
  return { ok: true, message: `node group ${parts.name} set back to launch template version ${version ?? ''} with UpdateNodegroupVersion` };
}
