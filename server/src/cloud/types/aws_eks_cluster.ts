// aws_eks_cluster ↔ one DescribeCluster per declared cluster (EKS has no batch describe; see
// eks-common), tags included. Identified, as in Terraform, by the cluster name.
//
// Compared as the provider compares them: version (Optional+Computed: only when declared),
// role_arn (ForceNew), vpc_config (subnet_ids and security_group_ids as sets; endpoint_private_access
// default false, endpoint_public_access default true; public_access_cidrs Optional+Computed, so an
// undeclared list is AWS's), enabled_cluster_log_types (a set, default none), access_config
// (Optional+Computed: authentication_mode only when declared) and tags.
// Values AWS sets on its own, never compared: platform_version (AWS raises it within a Kubernetes
// version), status, endpoint, certificate_authority, identity, created_at, cluster_id, and the
// computed cluster_security_group_id and vpc_id inside vpc_config.
// Writers: endpoint access and subnets/security groups through two separate UpdateClusterConfig
// calls (EKS takes one kind of change per call), logging and the authentication mode through
// UpdateClusterConfig (the mode only forward: CONFIG_MAP → API_AND_CONFIG_MAP → API), a version one
// minor step up through UpdateClusterVersion (EKS never downgrades), tags through Tag/UntagResource.
import { DescribeClusterCommand, UpdateClusterConfigCommand, UpdateClusterVersionCommand, type Cluster, type UpdateClusterConfigRequest } from '@aws-sdk/client-eks';
import type { NormalizeContext } from '../../drift/schema';
import type { Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { firstBlock, stringsOf } from './blocks';
import { bool, cannotRevert, foundEntry, labelFrom, str } from './common';
import { computedField, describeEach, revertEksTags } from './eks-common';
import type { ResourceType, RevertOutcome, RevertRequest } from './resource-type';

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
const MODES = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];

interface VpcSettings {
  subnets: string[];
  groups: string[];
  privateAccess: boolean;
  publicAccess: boolean;
  cidrs: string[];
}

/** A vpc_config block with the provider's defaults, an undeclared public_access_cidrs taken from live. */
function vpcSettings(v: Known, ctx: NormalizeContext | undefined): VpcSettings | undefined {
  const b = firstBlock(v);
  if (!b) return undefined;
  return {
    subnets: [...new Set(stringsOf(b.subnet_ids))].sort(),
    groups: [...new Set(stringsOf(b.security_group_ids))].sort(),
    privateAccess: bool(b.endpoint_private_access ?? false) === true,
    publicAccess: bool(b.endpoint_public_access ?? true) !== false,
    cidrs: [...new Set(stringsOf(computedField(b, 'public_access_cidrs', ctx?.live, 'vpc_config')))].sort(),
  };
}

function vpcAtoms(v: Known, ctx: NormalizeContext): Known {
  const s = vpcSettings(v, ctx);
  if (!s) return [];
  return [`subnets ${s.subnets.join(',')}`, `security groups ${s.groups.join(',')}`, `private endpoint ${s.privateAccess}`, `public endpoint ${s.publicAccess}`, `public access CIDRs ${s.cidrs.join(',')}`];
}

function accessAtoms(v: Known, ctx: NormalizeContext): Known {
  const b = firstBlock(v);
  if (!b) return [];
  const mode = str(computedField(b, 'authentication_mode', ctx.live, 'access_config'));
  return mode ? [`authentication mode ${mode}`] : [];
}

function liveAttributes(c: Cluster): Record<string, unknown> {
  const vpc = c.resourcesVpcConfig;
  const logs = (c.logging?.clusterLogging ?? []).filter((l) => l.enabled).flatMap((l) => l.types ?? []);
  return {
    name: c.name,
    arn: c.arn,
    role_arn: c.roleArn ?? '',
    version: c.version ?? '',
    platform_version: c.platformVersion ?? '',
    vpc_config: vpc ? [{
      subnet_ids: vpc.subnetIds ?? [], security_group_ids: vpc.securityGroupIds ?? [], endpoint_private_access: vpc.endpointPrivateAccess ?? false,
      endpoint_public_access: vpc.endpointPublicAccess ?? true, public_access_cidrs: vpc.publicAccessCidrs ?? [],
      cluster_security_group_id: vpc.clusterSecurityGroupId ?? '', vpc_id: vpc.vpcId ?? '',
    }] : [],
    enabled_cluster_log_types: [...new Set(logs)].sort(),
    access_config: c.accessConfig ? [{
      authentication_mode: c.accessConfig.authenticationMode ?? '', bootstrap_cluster_creator_admin_permissions: c.accessConfig.bootstrapClusterCreatorAdminPermissions ?? true,
    }] : [],
    status: c.status ?? '',
    endpoint: c.endpoint ?? '',
    tags: c.tags ?? {},
  };
}

export const awsEksCluster: ResourceType = {
  type: 'aws_eks_cluster',
  tags: true,
  taggingType: 'eks:cluster',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'role_arn', compare: 'scalar', forceNew: true, severity: 'warning' },
    // Optional+Computed: compared only when declared.
    { name: 'version', compare: 'scalar', severity: 'warning' },
    { name: 'vpc_config', compare: 'blocks', normalize: vpcAtoms, phrases: (v, ctx) => vpcAtoms(v, ctx) as string[], severity: 'warning' },
    { name: 'enabled_cluster_log_types', compare: 'set', default: [] },
    { name: 'access_config', compare: 'blocks', normalize: accessAtoms, phrases: (v, ctx) => accessAtoms(v, ctx) as string[], severity: 'warning' },
  ],
  notCompared: {
    'access_config.bootstrap_cluster_creator_admin_permissions': 'used once when the cluster is created (ForceNew); AWS cannot change it afterwards',
    'vpc_config.cluster_security_group_id': 'computed by AWS (the security group EKS creates)',
    'vpc_config.vpc_id': 'computed by AWS from the subnets',
    kubernetes_network_config: 'fixed at creation (ForceNew): not read yet',
    encryption_config: 'envelope encryption settings: not read yet',
    outpost_config: 'EKS on Outposts: not read yet',
    upgrade_policy: 'extended-support policy: not read yet',
    bootstrap_self_managed_addons: 'used once when the cluster is created (ForceNew)',
    platform_version: 'AWS raises it on its own within a Kubernetes version',
    status: 'AWS moves it as the cluster is created, updated and deleted',
    arn: 'computed by AWS', endpoint: 'computed by AWS', certificate_authority: 'computed by AWS', identity: 'computed by AWS (the OIDC issuer)',
    created_at: 'set by AWS at creation', cluster_id: 'computed by AWS (Outposts only)',
  },
  idFromState: (a) => str(a.name) ?? str(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:eks:[^:]+:\d{12}:cluster\/([^/]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  read(targets, ctx) {
    return describeEach(targets, ctx, 'EKS cluster',
      async (t) => (await ctx.clients.gate.call('eks:DescribeCluster', () => ctx.clients.eks.send(new DescribeClusterCommand({ name: t.id })))).cluster,
      (t, c) => foundEntry(t, 'aws_eks_cluster', ctx, liveAttributes(c), { arn: c.arn }));
  },

  async revert(request, clients) {
    switch (request.attribute) {
      case 'vpc_config': return revertVpc(request, clients);
      case 'enabled_cluster_log_types': {
        const on = LOG_TYPES.filter((t) => stringsOf(request.declared).includes(t));
        const off = LOG_TYPES.filter((t) => !on.includes(t));
        return update(request, clients, { logging: { clusterLogging: [...(on.length ? [{ types: on, enabled: true }] : []), ...(off.length ? [{ types: off, enabled: false }] : [])] } } as Partial<UpdateClusterConfigRequest>, 'control-plane logging restored');
      }
      case 'access_config': return revertAccess(request, clients);
      case 'version': return revertVersion(request, clients);
      case 'tags': return revertEksTags(request, clients);
      default: return cannotRevert(request.attribute);
    }
  },
};

async function update(request: RevertRequest, clients: AwsClients, input: Partial<UpdateClusterConfigRequest>, message: string): Promise<RevertOutcome> {
  await clients.gate.call('eks:UpdateClusterConfig', () => clients.eks.send(new UpdateClusterConfigCommand({ name: request.id, ...input })));
  return { ok: true, message };
}

/** Endpoint access and subnets/security groups are separate kinds of update: one call for each that differs. */
async function revertVpc(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> {
  const want = vpcSettings(request.declared, { selfId: request.id, live: request.live.attributes });
  const have = vpcSettings(request.live.attributes.vpc_config as Known, undefined);
  if (!want || !have) return { ok: false, message: 'declared vpc_config is not a block' };
  const done: string[] = [];
  if (want.subnets.join() !== have.subnets.join() || want.groups.join() !== have.groups.join()) {
    await update(request, clients, { resourcesVpcConfig: { subnetIds: want.subnets, securityGroupIds: want.groups } }, '');
    done.push('subnets and security groups');
  }
  if (want.privateAccess !== have.privateAccess || want.publicAccess !== have.publicAccess || want.cidrs.join() !== have.cidrs.join()) {
    await update(request, clients, { resourcesVpcConfig: { endpointPrivateAccess: want.privateAccess, endpointPublicAccess: want.publicAccess, publicAccessCidrs: want.cidrs } }, '');
    done.push('endpoint access');
  }
  return { ok: true, message: done.length ? `restored ${done.join(' and ')} of ${request.id}` : 'vpc_config already matches' };
}

async function revertAccess(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> {
  const want = str(firstBlock(request.declared)?.authentication_mode);
  const have = str(firstBlock(request.live.attributes.access_config)?.authentication_mode);
  if (!want) return { ok: false, message: 'declared access_config names no authentication_mode' };
  if (have && MODES.indexOf(want) < MODES.indexOf(have)) {
    return cannotRevert('access_config', `EKS moves the authentication mode only forward (CONFIG_MAP → API_AND_CONFIG_MAP → API), and live is ${have}`);
  }
  return update(request, clients, { accessConfig: { authenticationMode: want as 'API' } }, `authentication mode set to ${want}`);
}

async function revertVersion(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> {
  const want = str(request.declared);
  const have = str(request.live.attributes.version);
  const minor = (v: string | undefined) => Number(v?.split('.')[1]);
  if (!want || !have || minor(want) !== minor(have) + 1) {
    return cannotRevert('version', `EKS never downgrades a cluster and upgrades one minor version at a time (live ${have ?? '?'}, declared ${want ?? '?'})`);
  }
  await clients.gate.call('eks:UpdateClusterVersion', () => clients.eks.send(new UpdateClusterVersionCommand({ name: request.id, version: want })));
  return { ok: true, message: `cluster ${request.id} upgraded to Kubernetes ${want}` };
}
