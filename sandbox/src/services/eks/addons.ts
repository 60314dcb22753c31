// EKS add-ons: create, describe, list, delete and UpdateAddon (version, service account role,
// configuration values). Only the add-ons and versions below exist; configuration values must be
// JSON or YAML (only JSON is parsed here: a value that starts with `{` must be valid JSON).
import type { CallContext } from '../../context';
import { uuid } from '../../ids';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import { recordUpdate } from './clusters';
import { body, checkTags, eksNotFound, epochSeconds, findCluster, inUse, invalidParameter, page, type EksAddon, type EksCluster } from './model';

/** Versions per add-on, newest last: the last is what CreateAddon installs without a version. */
export const ADDON_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'vpc-cni': ['v1.18.3-eksbuild.1', 'v1.18.5-eksbuild.1', 'v1.19.0-eksbuild.1'],
  coredns: ['v1.11.1-eksbuild.9', 'v1.11.3-eksbuild.1'],
  'kube-proxy': ['v1.30.3-eksbuild.5', 'v1.31.0-eksbuild.5'],
  'aws-ebs-csi-driver': ['v1.34.0-eksbuild.1', 'v1.35.0-eksbuild.1'],
  'eks-pod-identity-agent': ['v1.3.2-eksbuild.2', 'v1.3.4-eksbuild.1'],
};

function checkConfiguration(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return value;
  if (value.trimStart().startsWith('{')) {
    try {
      JSON.parse(value);
    } catch {
      throw invalidParameter('ConfigurationValue provided in request is not supported: configuration values must be valid JSON or YAML');
    }
  }
  return value;
}

function checkRole(arn: string | undefined): string | undefined {
  if (arn && !/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(arn)) throw invalidParameter(`serviceAccountRoleArn ${arn} is not a valid IAM role ARN`);
  return arn;
}

export function addonView(c: EksCluster, a: EksAddon): Record<string, unknown> {
  return {
    addonName: a.name, clusterName: c.name, status: 'ACTIVE', addonVersion: a.version, health: { issues: [] }, addonArn: a.arn, createdAt: a.createdAt, modifiedAt: a.modifiedAt,
    ...(a.serviceAccountRoleArn ? { serviceAccountRoleArn: a.serviceAccountRoleArn } : {}), tags: a.tags,
    ...(a.configurationValues !== undefined ? { configurationValues: a.configurationValues } : {}), podIdentityAssociations: [],
  };
}

function addonOf(ctx: CallContext, req: RestJsonRequest, action: string): { c: EksCluster; a: EksAddon } {
  const c = findCluster(ctx, req.path.clusterName, action);
  const name = req.path.addonName!;
  const a = c.addons[name];
  if (!a) throw eksNotFound(`No addon: ${name} found in cluster: ${c.name}`);
  ctx.trail.resources.push({ type: 'AWS::EKS::Addon', name: `${c.name}:${a.name}`, arn: a.arn });
  return { c, a };
}

function createAddon(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const c = findCluster(ctx, req.path.clusterName, 'eks:CreateAddon');
  const name = body.str(req.body, 'addonName') ?? '';
  const versions = ADDON_VERSIONS[name];
  if (!versions) throw invalidParameter(`Addon ${name} specified is not supported in ${c.version} cluster version`);
  if (c.addons[name]) throw inUse(`Addon already exists: ${name}`);
  const version = body.str(req.body, 'addonVersion') ?? versions[versions.length - 1]!;
  if (!versions.includes(version)) throw invalidParameter(`Addon version specified is not supported: ${name} ${version}`);
  const now = epochSeconds(ctx.now);
  const a: EksAddon = {
    name, arn: `arn:aws:eks:${ctx.region}:${ctx.world.accountId}:addon/${c.name}/${name}/${uuid()}`, version,
    serviceAccountRoleArn: checkRole(body.str(req.body, 'serviceAccountRoleArn')) || undefined,
    configurationValues: checkConfiguration(body.str(req.body, 'configurationValues')), createdAt: now, modifiedAt: now,
    tags: checkTags(body.map(req.body, 'tags') ?? {}),
  };
  c.addons[name] = a;
  ctx.trail.resources.push({ type: 'AWS::EKS::Addon', name: `${c.name}:${name}`, arn: a.arn });
  return { body: { addon: addonView(c, a) } };
}

function describeAddon(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { c, a } = addonOf(ctx, req, 'eks:DescribeAddon');
  return { body: { addon: addonView(c, a) } };
}

function listAddons(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const c = findCluster(ctx, req.path.clusterName, 'eks:ListAddons');
  const p = page(Object.keys(c.addons).sort(), req.query.int('maxResults', invalidParameter), req.query.get('nextToken'));
  return { body: { addons: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
}

function deleteAddon(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { c, a } = addonOf(ctx, req, 'eks:DeleteAddon');
  delete c.addons[a.name];
  return { body: { addon: { ...addonView(c, a), status: 'DELETING' } } };
}

/** An empty serviceAccountRoleArn removes the role (the add-on then uses the node role). */
function updateAddon(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { c, a } = addonOf(ctx, req, 'eks:UpdateAddon');
  const params: Array<{ type: string; value: string }> = [];
  const version = body.str(req.body, 'addonVersion');
  if (version !== undefined) {
    if (!ADDON_VERSIONS[a.name]!.includes(version)) throw invalidParameter(`Addon version specified is not supported: ${a.name} ${version}`);
    a.version = version;
    params.push({ type: 'AddonVersion', value: version });
  }
  const role = body.str(req.body, 'serviceAccountRoleArn');
  if (role !== undefined) {
    a.serviceAccountRoleArn = checkRole(role) || undefined;
    params.push({ type: 'ServiceAccountRoleArn', value: role });
  }
  const configuration = body.str(req.body, 'configurationValues');
  if (configuration !== undefined) {
    a.configurationValues = checkConfiguration(configuration);
    params.push({ type: 'ConfigurationValues', value: configuration });
  }
  const conflicts = body.str(req.body, 'resolveConflicts');
  if (conflicts !== undefined && !['OVERWRITE', 'NONE', 'PRESERVE'].includes(conflicts)) throw invalidParameter(`Invalid resolveConflicts ${conflicts}`);
  if (conflicts) params.push({ type: 'ResolveConflicts', value: conflicts });
  a.modifiedAt = epochSeconds(ctx.now);
  return { body: recordUpdate(ctx, c, 'AddonUpdate', params) };
}

export const addonHandlers = { createAddon, describeAddon, listAddons, deleteAddon, updateAddon };
