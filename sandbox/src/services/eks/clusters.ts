// EKS clusters: create, describe, list, delete, UpdateClusterConfig (endpoint access, subnets and
// security groups, control-plane logging, authentication mode — one kind of change per call, as EKS
// requires) and UpdateClusterVersion (one minor version up, never down).
import { createHash } from 'node:crypto';
import type { CallContext } from '../../context';
import { ec2Id, uuid } from '../../ids';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import {
  AUTHENTICATION_MODES, LOG_TYPES, body, checkName, checkTags, clustersOf, epochSeconds, findCluster, inUse, invalidParameter, page,
  type EksCluster, type EksUpdate,
} from './model';

/** The Kubernetes versions this sandbox offers (standard and extended support). */
export const KUBERNETES_VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32'] as const;
const DEFAULT_VERSION = '1.31';
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/;

function minor(version: string): number {
  return Number(version.split('.')[1]);
}

function checkVersion(version: string): string {
  if (!(KUBERNETES_VERSIONS as readonly string[]).includes(version)) throw invalidParameter(`unsupported Kubernetes version ${version}`);
  return version;
}

function cidrsOf(input: Record<string, unknown>): string[] | undefined {
  const cidrs = body.strings(input, 'publicAccessCidrs');
  for (const c of cidrs ?? []) if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(c)) throw invalidParameter(`The following CIDRs are invalid in publicAccessCidrs: [${c}]`);
  return cidrs;
}

/** The log types a `logging.clusterLogging` list turns on and off; unknown types are refused. */
function loggingChange(logging: Record<string, unknown>): { enable: string[]; disable: string[] } {
  const out = { enable: [] as string[], disable: [] as string[] };
  for (const entry of body.list(logging, 'clusterLogging') ?? []) {
    const types = body.strings(entry, 'types') ?? [];
    for (const t of types) if (!(LOG_TYPES as readonly string[]).includes(t)) throw invalidParameter(`Invalid log type ${t}; valid types are ${LOG_TYPES.join(', ')}`);
    (body.bool(entry, 'enabled') === false ? out.disable : out.enable).push(...types);
  }
  return out;
}

export function clusterView(c: EksCluster): Record<string, unknown> {
  const off = LOG_TYPES.filter((t) => !c.logTypes.includes(t));
  return {
    name: c.name, arn: c.arn, createdAt: c.createdAt, version: c.version, platformVersion: c.platformVersion, status: 'ACTIVE', roleArn: c.roleArn,
    endpoint: `https://${createHash('sha256').update(c.arn).digest('hex').slice(0, 32).toUpperCase()}.gr7.${c.region}.eks.amazonaws.com`,
    resourcesVpcConfig: {
      subnetIds: c.vpc.subnetIds, securityGroupIds: c.vpc.securityGroupIds, clusterSecurityGroupId: c.vpc.clusterSecurityGroupId, vpcId: c.vpc.vpcId,
      endpointPublicAccess: c.vpc.endpointPublicAccess, endpointPrivateAccess: c.vpc.endpointPrivateAccess, publicAccessCidrs: c.vpc.publicAccessCidrs,
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr: c.serviceIpv4Cidr, ipFamily: 'ipv4' },
    logging: { clusterLogging: [...(c.logTypes.length ? [{ types: c.logTypes, enabled: true }] : []), ...(off.length ? [{ types: off, enabled: false }] : [])] },
    identity: { oidc: { issuer: `https://oidc.eks.${c.region}.amazonaws.com/id/${createHash('sha256').update(c.name).digest('hex').slice(0, 32).toUpperCase()}` } },
    certificateAuthority: { data: Buffer.from(`sandbox certificate authority of ${c.name}`).toString('base64') },
    accessConfig: { authenticationMode: c.authenticationMode, bootstrapClusterCreatorAdminPermissions: c.bootstrapClusterCreatorAdminPermissions },
    tags: c.tags,
  };
}

/** Records a finished update (EKS's updates complete at once here) and returns its view. */
export function recordUpdate(ctx: CallContext, c: EksCluster, type: string, params: EksUpdate['params']): Record<string, unknown> {
  const update: EksUpdate = { id: uuid(), type, params, createdAt: epochSeconds(ctx.now) };
  c.updates[update.id] = update;
  return { update: { id: update.id, status: 'Successful', type, params, createdAt: update.createdAt, errors: [] } };
}

function createCluster(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const name = checkName(body.str(req.body, 'name'), 'name');
  const arn = `arn:aws:eks:${ctx.region}:${ctx.world.accountId}:cluster/${name}`;
  ctx.trail.resources.push({ type: 'AWS::EKS::Cluster', name, arn });
  ctx.authorize('eks:CreateCluster', arn);
  const key = `${ctx.region}/${name}`;
  if (clustersOf(ctx.world)[key]) throw inUse(`Cluster already exists with name: ${name}`);
  const roleArn = body.str(req.body, 'roleArn');
  if (!roleArn || !ROLE_ARN.test(roleArn)) throw invalidParameter('roleArn must be the ARN of an IAM role');
  const vpcInput = body.obj(req.body, 'resourcesVpcConfig');
  const subnetIds = vpcInput ? body.strings(vpcInput, 'subnetIds') ?? [] : [];
  if (subnetIds.length < 2) throw invalidParameter('Subnets specified must be in at least two different AZs');
  const access = body.obj(req.body, 'accessConfig') ?? {};
  const mode = body.str(access, 'authenticationMode') ?? 'CONFIG_MAP';
  if (!(AUTHENTICATION_MODES as readonly string[]).includes(mode)) throw invalidParameter(`Invalid authenticationMode ${mode}`);
  const logging = loggingChange(body.obj(req.body, 'logging') ?? {});
  const version = checkVersion(body.str(req.body, 'version') ?? DEFAULT_VERSION);
  const cluster: EksCluster = {
    name, region: ctx.region, arn, roleArn, version, platformVersion: `eks.${minor(version)}`, createdAt: epochSeconds(ctx.now),
    vpc: {
      subnetIds, securityGroupIds: body.strings(vpcInput!, 'securityGroupIds') ?? [],
      endpointPublicAccess: body.bool(vpcInput!, 'endpointPublicAccess') ?? true, endpointPrivateAccess: body.bool(vpcInput!, 'endpointPrivateAccess') ?? false,
      publicAccessCidrs: cidrsOf(vpcInput!) ?? ['0.0.0.0/0'], clusterSecurityGroupId: ec2Id('sg', `eks-cluster-sg-${arn}`), vpcId: ec2Id('vpc', `eks-vpc-${subnetIds[0]}`),
    },
    logTypes: LOG_TYPES.filter((t) => logging.enable.includes(t)),
    authenticationMode: mode,
    bootstrapClusterCreatorAdminPermissions: body.bool(access, 'bootstrapClusterCreatorAdminPermissions') ?? true,
    serviceIpv4Cidr: body.str(body.obj(req.body, 'kubernetesNetworkConfig') ?? {}, 'serviceIpv4Cidr') ?? '172.20.0.0/16',
    tags: checkTags(body.map(req.body, 'tags') ?? {}),
    nodegroups: {}, addons: {}, accessEntries: {}, updates: {},
  };
  clustersOf(ctx.world)[key] = cluster;
  return { body: { cluster: clusterView(cluster) } };
}

function describeCluster(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  return { body: { cluster: clusterView(findCluster(ctx, req.path.name, 'eks:DescribeCluster')) } };
}

function listClusters(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  ctx.authorize('eks:ListClusters', `arn:aws:eks:${ctx.region}:${ctx.world.accountId}:cluster/*`);
  const names = Object.values(clustersOf(ctx.world)).filter((c) => c.region === ctx.region).map((c) => c.name).sort();
  const p = page(names, req.query.int('maxResults', invalidParameter), req.query.get('nextToken'));
  return { body: { clusters: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
}

function deleteCluster(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const c = findCluster(ctx, req.path.name, 'eks:DeleteCluster');
  const groups = Object.keys(c.nodegroups);
  if (groups.length) throw inUse(`Cluster has nodegroups attached: ${groups.join(', ')}`);
  delete clustersOf(ctx.world)[`${ctx.region}/${c.name}`];
  return { body: { cluster: { ...clusterView(c), status: 'DELETING' } } };
}

/**
 * One kind of change per call: endpoint access, subnets and security groups, logging, or the
 * authentication mode. A change to nothing is refused, as EKS refuses it.
 */
function updateClusterConfig(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const c = findCluster(ctx, req.path.name, 'eks:UpdateClusterConfig');
  const vpc = body.obj(req.body, 'resourcesVpcConfig');
  const logging = body.obj(req.body, 'logging');
  const access = body.obj(req.body, 'accessConfig');
  const endpointFields = vpc ? ['endpointPublicAccess', 'endpointPrivateAccess', 'publicAccessCidrs'].filter((f) => vpc[f] !== undefined) : [];
  const networkFields = vpc ? ['subnetIds', 'securityGroupIds'].filter((f) => vpc[f] !== undefined) : [];
  const kinds = [endpointFields.length > 0, networkFields.length > 0, logging !== undefined, access !== undefined].filter(Boolean).length;
  if (kinds === 0) throw invalidParameter('No changes were specified in the update request');
  if (kinds > 1) throw invalidParameter('Only one type of update can be allowed.');
  if (endpointFields.length) {
    const next = {
      pub: body.bool(vpc!, 'endpointPublicAccess') ?? c.vpc.endpointPublicAccess, priv: body.bool(vpc!, 'endpointPrivateAccess') ?? c.vpc.endpointPrivateAccess,
      cidrs: cidrsOf(vpc!) ?? c.vpc.publicAccessCidrs,
    };
    if (!next.pub && !next.priv) throw invalidParameter('Cluster must have either private or public endpoint access or both');
    if (next.pub === c.vpc.endpointPublicAccess && next.priv === c.vpc.endpointPrivateAccess && [...next.cidrs].sort().join() === [...c.vpc.publicAccessCidrs].sort().join()) {
      throw invalidParameter(`Cluster is already at the desired configuration with endpointPrivateAccess: ${next.priv} , endpointPublicAccess: ${next.pub}, and Public Endpoint Restrictions: [${next.cidrs.join(', ')}]`);
    }
    Object.assign(c.vpc, { endpointPublicAccess: next.pub, endpointPrivateAccess: next.priv, publicAccessCidrs: next.cidrs });
    return { body: recordUpdate(ctx, c, 'EndpointAccessUpdate', [
      { type: 'EndpointPublicAccess', value: String(next.pub) }, { type: 'EndpointPrivateAccess', value: String(next.priv) }, { type: 'PublicAccessCidrs', value: JSON.stringify(next.cidrs) },
    ]) };
  }
  if (networkFields.length) {
    const subnets = body.strings(vpc!, 'subnetIds') ?? c.vpc.subnetIds;
    if (subnets.length < 2) throw invalidParameter('Subnets specified must be in at least two different AZs');
    c.vpc.subnetIds = subnets;
    c.vpc.securityGroupIds = body.strings(vpc!, 'securityGroupIds') ?? c.vpc.securityGroupIds;
    return { body: recordUpdate(ctx, c, 'VpcConfigUpdate', [{ type: 'Subnets', value: JSON.stringify(subnets) }, { type: 'SecurityGroups', value: JSON.stringify(c.vpc.securityGroupIds) }]) };
  }
  if (logging) {
    const change = loggingChange(logging);
    const next = LOG_TYPES.filter((t) => (c.logTypes.includes(t) || change.enable.includes(t)) && !change.disable.includes(t));
    if (next.join() === c.logTypes.join()) throw invalidParameter('No changes needed for the logging config provided');
    c.logTypes = next;
    return { body: recordUpdate(ctx, c, 'LoggingUpdate', [{ type: 'ClusterLogging', value: JSON.stringify(logging.clusterLogging) }]) };
  }
  const mode = body.str(access!, 'authenticationMode');
  if (!mode || !(AUTHENTICATION_MODES as readonly string[]).includes(mode)) throw invalidParameter(`Invalid authenticationMode ${String(mode)}`);
  const from = AUTHENTICATION_MODES.indexOf(c.authenticationMode as (typeof AUTHENTICATION_MODES)[number]);
  const to = AUTHENTICATION_MODES.indexOf(mode as (typeof AUTHENTICATION_MODES)[number]);
  if (to === from) throw invalidParameter(`Unsupported authentication mode update from ${c.authenticationMode} to ${mode}`);
  if (to < from) throw invalidParameter(`Unsupported authentication mode update from ${c.authenticationMode} to ${mode}`);
  c.authenticationMode = mode;
  return { body: recordUpdate(ctx, c, 'AccessConfigUpdate', [{ type: 'AuthenticationMode', value: mode }]) };
}

/** One minor version up at a time; EKS never downgrades a control plane. */
function updateClusterVersion(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const c = findCluster(ctx, req.path.name, 'eks:UpdateClusterVersion');
  const version = checkVersion(body.str(req.body, 'version') ?? '');
  if (version === c.version) throw invalidParameter(`Cluster is already at the desired version ${version}`);
  if (minor(version) !== minor(c.version) + 1) throw invalidParameter(`Unsupported Kubernetes minor version update from ${c.version} to ${version}`);
  c.version = version;
  c.platformVersion = `eks.${minor(version)}`;
  return { body: recordUpdate(ctx, c, 'VersionUpdate', [{ type: 'Version', value: version }, { type: 'PlatformVersion', value: c.platformVersion }]) };
}

export const clusterHandlers = { createCluster, describeCluster, listClusters, deleteCluster, updateClusterConfig, updateClusterVersion };
