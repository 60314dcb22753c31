// EKS managed node groups: create, describe, list, delete, UpdateNodegroupConfig (scaling, labels,
// taints, update config) and UpdateNodegroupVersion (Kubernetes and AMI release version).
import type { CallContext } from '../../context';
import { uuid } from '../../ids';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import { recordUpdate } from './clusters';
import { body, checkName, checkTags, eksNotFound, epochSeconds, findCluster, inUse, invalidParameter, page, type EksCluster, type EksNodegroup } from './model';

const TAINT_EFFECTS = new Set(['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE']);
const CAPACITY_TYPES = new Set(['ON_DEMAND', 'SPOT', 'CAPACITY_BLOCK']);
const AMI_TYPES = new Set([
  'AL2_x86_64', 'AL2_x86_64_GPU', 'AL2_ARM_64', 'AL2023_x86_64_STANDARD', 'AL2023_ARM_64_STANDARD', 'BOTTLEROCKET_x86_64', 'BOTTLEROCKET_ARM_64', 'CUSTOM',
]);

/** The AMI release a version gets when none is named (AL2023 releases are dated). */
const releaseFor = (version: string): string => `${version}.0-20241001`;

function scalingOf(input: Record<string, unknown> | undefined, current: EksNodegroup['scaling']): EksNodegroup['scaling'] {
  const next = {
    minSize: (input && body.int(input, 'minSize')) ?? current.minSize,
    maxSize: (input && body.int(input, 'maxSize')) ?? current.maxSize,
    desiredSize: (input && body.int(input, 'desiredSize')) ?? current.desiredSize,
  };
  if (next.minSize < 0) throw invalidParameter('Minimum capacity cannot be less than 0');
  if (next.maxSize < 1) throw invalidParameter('Maximum capacity should be greater than or equal to 1');
  if (next.minSize > next.maxSize) throw invalidParameter(`Minimum capacity ${next.minSize} can't be greater than maximum capacity ${next.maxSize}`);
  if (next.desiredSize < next.minSize) throw invalidParameter(`Desired capacity ${next.desiredSize} can't be less than minimum capacity ${next.minSize}`);
  if (next.desiredSize > next.maxSize) throw invalidParameter(`Desired capacity ${next.desiredSize} can't be greater than maximum capacity ${next.maxSize}`);
  return next;
}

function taintsOf(list: Record<string, unknown>[] | undefined): EksNodegroup['taints'] {
  return (list ?? []).map((t) => {
    const key = body.str(t, 'key');
    const effect = body.str(t, 'effect');
    if (!key) throw invalidParameter('Taint key must not be empty');
    if (!effect || !TAINT_EFFECTS.has(effect)) throw invalidParameter(`Invalid taint effect ${String(effect)}; valid effects are NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE`);
    const value = body.str(t, 'value');
    return { key, effect, ...(value !== undefined ? { value } : {}) };
  });
}

function updateConfigOf(input: Record<string, unknown> | undefined): EksNodegroup['updateConfig'] | undefined {
  if (!input) return undefined;
  const count = body.int(input, 'maxUnavailable');
  const percentage = body.int(input, 'maxUnavailablePercentage');
  if ((count === undefined) === (percentage === undefined)) throw invalidParameter('Specify exactly one of maxUnavailable and maxUnavailablePercentage');
  for (const v of [count, percentage]) if (v !== undefined && (v < 1 || v > 100)) throw invalidParameter('maxUnavailable and maxUnavailablePercentage must be between 1 and 100');
  return count !== undefined ? { maxUnavailable: count } : { maxUnavailablePercentage: percentage };
}

/**
 * A launchTemplate request resolved against the region's EC2 launch templates: by id or name (not
 * both), `$Latest`/`$Default` or no version read as the number it stands for, as EKS does.
 */
function launchTemplateOf(ctx: CallContext, input: Record<string, unknown> | undefined): EksNodegroup['launchTemplate'] {
  if (!input) return undefined;
  const id = body.str(input, 'id');
  const name = body.str(input, 'name');
  if ((id === undefined) === (name === undefined)) throw invalidParameter('Either provide launch template ID or launch template name in the request.');
  const t = Object.values(ctx.world.launchTemplates ?? {}).find((x) => x.region === ctx.region && (id ? x.id === id : x.name === name));
  if (!t) throw invalidParameter(`Launch template ${id ?? name} does not exist`);
  const given = body.str(input, 'version');
  const latest = Math.max(...t.versions.map((v) => v.number));
  const version = given === undefined || given === '$Default' ? t.defaultVersion : given === '$Latest' ? latest : Number(given);
  if (!t.versions.some((v) => v.number === version)) throw invalidParameter(`Launch template ${t.name} has no version ${String(given)}`);
  return { id: t.id, name: t.name, version: String(version) };
}

export function nodegroupView(c: EksCluster, g: EksNodegroup): Record<string, unknown> {
  return {
    nodegroupName: g.name, nodegroupArn: g.arn, clusterName: c.name, version: g.version, releaseVersion: g.releaseVersion, createdAt: g.createdAt, modifiedAt: g.modifiedAt,
    status: 'ACTIVE', capacityType: g.capacityType, scalingConfig: g.scaling, instanceTypes: g.instanceTypes, subnets: g.subnets, amiType: g.amiType, nodeRole: g.nodeRole,
    labels: g.labels, taints: g.taints, diskSize: g.diskSize, health: { issues: [] }, updateConfig: g.updateConfig,
    resources: { autoScalingGroups: [{ name: `eks-${g.name}-${g.arn.split('/').pop()}` }] }, tags: g.tags,
    ...(g.launchTemplate ? { launchTemplate: g.launchTemplate } : {}),
  };
}

function nodegroupOf(ctx: CallContext, req: RestJsonRequest, action: string): { c: EksCluster; g: EksNodegroup } {
  const c = findCluster(ctx, req.path.clusterName, action);
  const name = req.path.nodegroupName!;
  const g = c.nodegroups[name];
  if (!g) throw eksNotFound(`No node group found for name: ${name}.`);
  ctx.trail.resources.push({ type: 'AWS::EKS::Nodegroup', name: `${c.name}:${g.name}`, arn: g.arn });
  return { c, g };
}

function createNodegroup(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const c = findCluster(ctx, req.path.clusterName, 'eks:CreateNodegroup');
  const name = checkName(body.str(req.body, 'nodegroupName'), 'nodegroupName');
  if (c.nodegroups[name]) throw inUse(`NodeGroup already exists with name ${name} and cluster name ${c.name}`);
  const nodeRole = body.str(req.body, 'nodeRole');
  if (!nodeRole || !/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(nodeRole)) throw invalidParameter('nodeRole must be the ARN of an IAM role');
  const subnets = body.strings(req.body, 'subnets') ?? [];
  if (!subnets.length) throw invalidParameter('Subnets are required');
  const capacityType = body.str(req.body, 'capacityType') ?? 'ON_DEMAND';
  if (!CAPACITY_TYPES.has(capacityType)) throw invalidParameter(`Invalid capacityType ${capacityType}`);
  const version = body.str(req.body, 'version') ?? c.version;
  if (version !== c.version) throw invalidParameter(`Requested Nodegroup version ${version} is invalid. Allowed values: [${c.version}]`);
  const amiType = body.str(req.body, 'amiType') ?? (Number(version.split('.')[1]) >= 30 ? 'AL2023_x86_64_STANDARD' : 'AL2_x86_64');
  if (!AMI_TYPES.has(amiType)) throw invalidParameter(`Invalid amiType ${amiType}`);
  const arn = `arn:aws:eks:${ctx.region}:${ctx.world.accountId}:nodegroup/${c.name}/${name}/${uuid()}`;
  const now = epochSeconds(ctx.now);
  const g: EksNodegroup = {
    name, arn, version, releaseVersion: body.str(req.body, 'releaseVersion') ?? releaseFor(version), createdAt: now, modifiedAt: now, capacityType, amiType,
    diskSize: body.int(req.body, 'diskSize') ?? 20, instanceTypes: body.strings(req.body, 'instanceTypes') ?? ['t3.medium'], subnets, nodeRole,
    scaling: scalingOf(body.obj(req.body, 'scalingConfig'), { minSize: 1, maxSize: 2, desiredSize: 2 }),
    labels: body.map(req.body, 'labels') ?? {}, taints: taintsOf(body.list(req.body, 'taints')),
    updateConfig: updateConfigOf(body.obj(req.body, 'updateConfig')) ?? { maxUnavailable: 1 },
    launchTemplate: launchTemplateOf(ctx, body.obj(req.body, 'launchTemplate')),
    tags: checkTags(body.map(req.body, 'tags') ?? {}),
  };
  c.nodegroups[name] = g;
  ctx.trail.resources.push({ type: 'AWS::EKS::Nodegroup', name: `${c.name}:${name}`, arn });
  return { body: { nodegroup: nodegroupView(c, g) } };
}

function describeNodegroup(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { c, g } = nodegroupOf(ctx, req, 'eks:DescribeNodegroup');
  return { body: { nodegroup: nodegroupView(c, g) } };
}

function listNodegroups(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const c = findCluster(ctx, req.path.clusterName, 'eks:ListNodegroups');
  const p = page(Object.keys(c.nodegroups).sort(), req.query.int('maxResults', invalidParameter), req.query.get('nextToken'));
  return { body: { nodegroups: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
}

function deleteNodegroup(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { c, g } = nodegroupOf(ctx, req, 'eks:DeleteNodegroup');
  delete c.nodegroups[g.name];
  return { body: { nodegroup: { ...nodegroupView(c, g), status: 'DELETING' } } };
}

function updateNodegroupConfig(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { c, g } = nodegroupOf(ctx, req, 'eks:UpdateNodegroupConfig');
  const labels = body.obj(req.body, 'labels');
  const taints = body.obj(req.body, 'taints');
  const scaling = body.obj(req.body, 'scalingConfig');
  const update = updateConfigOf(body.obj(req.body, 'updateConfig'));
  if (!labels && !taints && !scaling && !update) throw invalidParameter('No changes were specified in the update request');
  const params: Array<{ type: string; value: string }> = [];
  const nextScaling = scaling ? scalingOf(scaling, g.scaling) : g.scaling;
  const nextLabels = { ...g.labels };
  if (labels) {
    const add = body.map(labels, 'addOrUpdateLabels') ?? {};
    const remove = body.strings(labels, 'removeLabels') ?? [];
    const both = remove.filter((k) => k in add);
    if (both.length) throw invalidParameter(`The following labels are in both addOrUpdateLabels and removeLabels: ${both.join(', ')}`);
    for (const k of remove) delete nextLabels[k];
    Object.assign(nextLabels, add);
    params.push({ type: 'LabelsToAdd', value: JSON.stringify(add) }, { type: 'LabelsToRemove', value: JSON.stringify(remove) });
  }
  let nextTaints = g.taints;
  if (taints) {
    const add = taintsOf(body.list(taints, 'addOrUpdateTaints'));
    const remove = taintsOf(body.list(taints, 'removeTaints'));
    const gone = (t: { key: string; effect: string }) => remove.some((r) => r.key === t.key && r.effect === t.effect) || add.some((a) => a.key === t.key && a.effect === t.effect);
    nextTaints = [...g.taints.filter((t) => !gone(t)), ...add];
    if (nextTaints.length > 50) throw invalidParameter('A node group can have at most 50 taints');
    params.push({ type: 'TaintsToAdd', value: JSON.stringify(add) }, { type: 'TaintsToRemove', value: JSON.stringify(remove) });
  }
  if (scaling) params.push({ type: 'MinSize', value: String(nextScaling.minSize) }, { type: 'MaxSize', value: String(nextScaling.maxSize) }, { type: 'DesiredSize', value: String(nextScaling.desiredSize) });
  if (update) params.push({ type: 'MaxUnavailable', value: JSON.stringify(update) });
  Object.assign(g, { scaling: nextScaling, labels: nextLabels, taints: nextTaints, updateConfig: update ?? g.updateConfig, modifiedAt: epochSeconds(ctx.now) });
  return { body: recordUpdate(ctx, c, 'ConfigUpdate', params) };
}

/** Moves a node group to the cluster's version, another AMI release of it or another launch template version; never down. */
function updateNodegroupVersion(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { c, g } = nodegroupOf(ctx, req, 'eks:UpdateNodegroupVersion');
  const template = body.obj(req.body, 'launchTemplate');
  if (template) {
    if (!g.launchTemplate) throw invalidParameter('The node group was not created with a launch template');
    const next = launchTemplateOf(ctx, template)!;
    if (next.id !== g.launchTemplate.id) throw invalidParameter('A node group cannot change to another launch template');
    g.launchTemplate = next;
    g.modifiedAt = epochSeconds(ctx.now);
    return { body: recordUpdate(ctx, c, 'VersionUpdate', [{ type: 'LaunchTemplateVersion', value: next.version }]) };
  }
  const version = body.str(req.body, 'version') ?? c.version;
  if (version !== c.version && version !== g.version) throw invalidParameter(`Requested Nodegroup version ${version} is invalid. Allowed values: [${c.version}]`);
  if (Number(version.split('.')[1]) < Number(g.version.split('.')[1])) throw invalidParameter(`Nodegroup cannot be downgraded from ${g.version} to ${version}`);
  const release = body.str(req.body, 'releaseVersion') ?? releaseFor(version);
  if (version === g.version && release === g.releaseVersion) throw invalidParameter(`Nodegroup is already at version ${version} with release ${release}`);
  Object.assign(g, { version, releaseVersion: release, modifiedAt: epochSeconds(ctx.now) });
  return { body: recordUpdate(ctx, c, 'VersionUpdate', [{ type: 'Version', value: version }, { type: 'ReleaseVersion', value: release }]) };
}

export const nodegroupHandlers = { createNodegroup, describeNodegroup, listNodegroups, deleteNodegroup, updateNodegroupConfig, updateNodegroupVersion };
