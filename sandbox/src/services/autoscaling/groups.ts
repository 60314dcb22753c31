// Amazon EC2 Auto Scaling (query protocol, Version 2011-01-01, `.member.N` lists): groups with their
// sizes, health checks, subnets, target groups, suspended processes and tags; scaling policies
// (simple, step, target tracking) and scheduled actions — what aws_autoscaling_group and
// aws_autoscaling_policy read and write. No instances are launched: the sandbox stores settings only.
import type { CallContext } from '../../context';
import { ApiError, validation } from '../../errors';
import { uuid } from '../../ids';
import type { QueryParams } from '../../protocol/query-xml';
import { items, node, type XmlNode } from '../../xml';

export interface AsgTag {
  key: string;
  value: string;
  propagateAtLaunch: boolean;
}

export interface AutoScalingGroup {
  name: string;
  region: string;
  arn: string;
  createdAt: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  defaultCooldown: number;
  healthCheckType: string;
  healthCheckGracePeriod: number;
  launchTemplate?: { id: string; name: string; version: string };
  launchConfigurationName?: string;
  subnets: string[];
  availabilityZones: string[];
  targetGroupArns: string[];
  loadBalancerNames: string[];
  terminationPolicies: string[];
  suspendedProcesses: string[];
  maxInstanceLifetime?: number;
  capacityRebalance: boolean;
  protectedFromScaleIn: boolean;
  tags: AsgTag[];
}

export interface StepAdjustment {
  lower?: number;
  upper?: number;
  adjustment: number;
}

export interface ScalingPolicy {
  name: string;
  group: string;
  region: string;
  arn: string;
  policyType: 'SimpleScaling' | 'StepScaling' | 'TargetTrackingScaling' | 'PredictiveScaling';
  adjustmentType?: string;
  scalingAdjustment?: number;
  cooldown?: number;
  minAdjustmentMagnitude?: number;
  estimatedInstanceWarmup?: number;
  metricAggregationType?: string;
  steps: StepAdjustment[];
  targetTracking?: { metricType?: string; resourceLabel?: string; customized?: string; targetValue: number; disableScaleIn: boolean };
  enabled: boolean;
}

export interface ScheduledAction {
  name: string;
  group: string;
  region: string;
  arn: string;
  recurrence?: string;
  startTime?: string;
  minSize?: number;
  maxSize?: number;
  desiredCapacity?: number;
}

const PROCESSES = ['Launch', 'Terminate', 'HealthCheck', 'ReplaceUnhealthy', 'AZRebalance', 'AlarmNotification', 'ScheduledActions', 'AddToLoadBalancer', 'InstanceRefresh'];
const POLICY_TYPES = ['SimpleScaling', 'StepScaling', 'TargetTrackingScaling', 'PredictiveScaling'] as const;

const groups = (ctx: CallContext): Record<string, AutoScalingGroup> => (ctx.world.autoScalingGroups ??= {});
const policies = (ctx: CallContext): Record<string, ScalingPolicy> => (ctx.world.scalingPolicies ??= {});
const schedules = (ctx: CallContext): Record<string, ScheduledAction> => (ctx.world.scheduledActions ??= {});
const keyOf = (ctx: CallContext, ...parts: string[]): string => [ctx.region, ...parts].join('/');
const groupArn = (ctx: CallContext, name: string): string => `arn:aws:autoscaling:${ctx.region}:${ctx.world.accountId}:autoScalingGroup:${uuid()}:autoScalingGroupName/${name}`;

function groupName(p: QueryParams, field = 'AutoScalingGroupName'): string {
  const name = p.required(field);
  if (name.length > 255 || name.includes(':')) throw validation(`1 validation error detected: Value '${name}' at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*`);
  return name;
}

/** The group a call acts on, authorized on its ARN and named in the CloudTrail record. */
function existing(ctx: CallContext, name: string, action: string): AutoScalingGroup {
  const g = groups(ctx)[keyOf(ctx, name)];
  ctx.trail.resources.push({ type: 'AWS::AutoScaling::AutoScalingGroup', name, arn: g?.arn });
  ctx.authorize(action, g?.arn ?? '*');
  if (!g) throw validation(`AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);
  return g;
}

function checkSizes(min: number, max: number, desired: number): void {
  if (min < 0 || max < 0) throw validation('Min size and max size must be 0 or greater');
  if (min > max) throw validation(`The parameter MaxSize must be greater than or equal to MinSize (MinSize:${min}, MaxSize:${max})`);
  if (desired < min || desired > max) throw validation(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
}

/** `VPCZoneIdentifier` is one comma-separated string; each subnet must exist, and gives its zone. */
function subnetsFrom(ctx: CallContext, text: string | undefined): { subnets: string[]; zones: string[] } | undefined {
  if (text === undefined) return undefined;
  const subnets = text.split(',').map((s) => s.trim()).filter(Boolean);
  const zones = new Set<string>();
  for (const id of subnets) {
    const subnet = ctx.world.subnets[id];
    if (!subnet || subnet.region !== ctx.region) throw validation(`The subnet ID '${id}' does not exist`);
    zones.add(subnet.availabilityZone);
  }
  return { subnets, zones: [...zones].sort() };
}

function tagFrom(t: QueryParams, name: string): AsgTag {
  const key = t.required('Key');
  if (key.toLowerCase().startsWith('aws:')) throw validation('Tag keys starting with aws: are reserved for internal use');
  const resource = t.get('ResourceId');
  if (resource !== undefined && resource !== name) throw validation(`Tag ResourceId ${resource} does not match the group ${name}`);
  return { key, value: t.get('Value') ?? '', propagateAtLaunch: t.bool('PropagateAtLaunch') ?? false };
}

const tagsFrom = (p: QueryParams, name: string): AsgTag[] => p.structs('Tags.member').map((t) => tagFrom(t, name));

function processesFrom(p: QueryParams): string[] {
  const list = p.list('ScalingProcesses.member');
  for (const name of list) if (!PROCESSES.includes(name)) throw validation(`Process ${name} is not a valid scaling process`);
  return list.length ? list : PROCESSES;
}

/** NextToken pagination over a sorted list (MaxRecords up to 100). */
function page<T>(list: T[], p: QueryParams, max = 100): { slice: T[]; next?: string } {
  const n = p.int('MaxRecords') ?? 50;
  if (n < 1 || n > max) throw validation(`1 validation error detected: Value '${n}' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  const token = p.get('NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0 || start > list.length) throw new ApiError('InvalidNextToken', 'The token is invalid', 400);
  const next = start + n < list.length ? Buffer.from(String(start + n)).toString('base64url') : undefined;
  return { slice: list.slice(start, start + n), next };
}

const members = (name: string, list: readonly string[]): XmlNode => node(name, items('member', list, (v) => v));

function groupXml(g: AutoScalingGroup): XmlNode[] {
  return [
    node('AutoScalingGroupName', g.name), node('AutoScalingGroupARN', g.arn),
    g.launchTemplate ? node('LaunchTemplate', [node('LaunchTemplateId', g.launchTemplate.id), node('LaunchTemplateName', g.launchTemplate.name), node('Version', g.launchTemplate.version)]) : undefined,
    g.launchConfigurationName ? node('LaunchConfigurationName', g.launchConfigurationName) : undefined,
    node('MinSize', g.minSize), node('MaxSize', g.maxSize), node('DesiredCapacity', g.desiredCapacity), node('DefaultCooldown', g.defaultCooldown),
    members('AvailabilityZones', g.availabilityZones), members('LoadBalancerNames', g.loadBalancerNames), members('TargetGroupARNs', g.targetGroupArns),
    node('HealthCheckType', g.healthCheckType), node('HealthCheckGracePeriod', g.healthCheckGracePeriod), node('Instances', []), node('CreatedTime', g.createdAt),
    node('SuspendedProcesses', items('member', g.suspendedProcesses, (name) => [node('ProcessName', name), node('SuspensionReason', 'User suspended at ' + g.createdAt)])),
    node('VPCZoneIdentifier', g.subnets.join(',')), node('EnabledMetrics', []),
    node('Tags', items('member', g.tags, (t) => [
      node('ResourceId', g.name), node('ResourceType', 'auto-scaling-group'), node('Key', t.key), node('Value', t.value), node('PropagateAtLaunch', t.propagateAtLaunch),
    ])),
    members('TerminationPolicies', g.terminationPolicies), node('NewInstancesProtectedFromScaleIn', g.protectedFromScaleIn),
    node('ServiceLinkedRoleARN', `arn:aws:iam::${g.arn.split(':')[4]}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`),
    g.maxInstanceLifetime !== undefined ? node('MaxInstanceLifetime', g.maxInstanceLifetime) : undefined, node('CapacityRebalance', g.capacityRebalance),
  ].filter((n): n is XmlNode => n !== undefined);
}

function policyXml(p: ScalingPolicy): XmlNode[] {
  const t = p.targetTracking;
  return [
    node('AutoScalingGroupName', p.group), node('PolicyName', p.name), node('PolicyARN', p.arn), node('PolicyType', p.policyType),
    node('AdjustmentType', p.adjustmentType), node('ScalingAdjustment', p.scalingAdjustment), node('Cooldown', p.cooldown), node('MinAdjustmentMagnitude', p.minAdjustmentMagnitude),
    node('StepAdjustments', items('member', p.steps, (s) => [node('MetricIntervalLowerBound', s.lower), node('MetricIntervalUpperBound', s.upper), node('ScalingAdjustment', s.adjustment)])),
    node('MetricAggregationType', p.metricAggregationType), node('EstimatedInstanceWarmup', p.estimatedInstanceWarmup), node('Alarms', []),
    t ? node('TargetTrackingConfiguration', [
      t.metricType ? node('PredefinedMetricSpecification', [node('PredefinedMetricType', t.metricType), node('ResourceLabel', t.resourceLabel)]) : undefined,
      node('TargetValue', t.targetValue), node('DisableScaleIn', t.disableScaleIn),
    ].filter((n): n is XmlNode => n !== undefined)) : undefined,
    node('Enabled', p.enabled),
  ].filter((n): n is XmlNode => n !== undefined);
}

function number(p: QueryParams, name: string): number | undefined {
  const v = p.get(name);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw validation(`Value (${v}) for parameter ${name} is invalid. Expected a number.`);
  return n;
}

/** Applies the settings both CreateAutoScalingGroup and UpdateAutoScalingGroup take. */
function applySettings(ctx: CallContext, g: AutoScalingGroup, p: QueryParams): void {
  const zones = subnetsFrom(ctx, p.get('VPCZoneIdentifier'));
  if (zones) {
    g.subnets = zones.subnets;
    g.availabilityZones = zones.zones;
  }
  const azs = p.list('AvailabilityZones.member');
  if (azs.length) g.availabilityZones = azs;
  const lt = p.scoped('LaunchTemplate');
  if (lt.has('LaunchTemplateId') || lt.has('LaunchTemplateName')) {
    // The sandbox has no launch templates: a name given alone gets a stable id, an id given alone
    // keeps the name the group already knew for it.
    const id = lt.get('LaunchTemplateId') ?? `lt-${Buffer.from(lt.get('LaunchTemplateName') ?? '').toString('hex').padEnd(17, '0').slice(0, 17)}`;
    const known = g.launchTemplate?.id === id ? g.launchTemplate.name : id;
    g.launchTemplate = { id, name: lt.get('LaunchTemplateName') ?? known, version: lt.get('Version') ?? '$Default' };
    g.launchConfigurationName = undefined;
  }
  if (p.has('LaunchConfigurationName')) {
    g.launchConfigurationName = p.get('LaunchConfigurationName');
    g.launchTemplate = undefined;
  }
  const cooldown = p.int('DefaultCooldown');
  if (cooldown !== undefined) g.defaultCooldown = cooldown;
  const type = p.get('HealthCheckType');
  if (type !== undefined) {
    if (!['EC2', 'ELB', 'VPC_LATTICE', 'EBS'].includes(type)) throw validation(`Health check type ${type} is not valid`);
    g.healthCheckType = type;
  }
  const grace = p.int('HealthCheckGracePeriod');
  if (grace !== undefined) g.healthCheckGracePeriod = grace;
  if (p.has('TerminationPolicies.member.1')) g.terminationPolicies = p.list('TerminationPolicies.member');
  const lifetime = p.int('MaxInstanceLifetime');
  if (lifetime !== undefined) {
    if (lifetime !== 0 && (lifetime < 86400 || lifetime > 31536000)) throw validation('The maximum instance lifetime must be 0 or between 86400 and 31536000 seconds');
    g.maxInstanceLifetime = lifetime === 0 ? undefined : lifetime;
  }
  const rebalance = p.bool('CapacityRebalance');
  if (rebalance !== undefined) g.capacityRebalance = rebalance;
  const protect = p.bool('NewInstancesProtectedFromScaleIn');
  if (protect !== undefined) g.protectedFromScaleIn = protect;
}

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

export const autoscalingOperations: Record<string, Handler> = {
  CreateAutoScalingGroup(ctx, p) {
    const name = groupName(p);
    const arn = groupArn(ctx, name);
    ctx.trail.resources.push({ type: 'AWS::AutoScaling::AutoScalingGroup', name, arn });
    ctx.authorize('autoscaling:CreateAutoScalingGroup', arn);
    if (groups(ctx)[keyOf(ctx, name)]) throw new ApiError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`, 400);
    const min = p.int('MinSize');
    const max = p.int('MaxSize');
    if (min === undefined || max === undefined) throw validation('MinSize and MaxSize are required');
    const desired = p.int('DesiredCapacity') ?? min;
    checkSizes(min, max, desired);
    if (!p.has('LaunchTemplate.LaunchTemplateId') && !p.has('LaunchTemplate.LaunchTemplateName') && !p.has('LaunchConfigurationName') && !p.has('MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId')) {
      throw validation('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
    }
    if (!p.has('VPCZoneIdentifier') && !p.has('AvailabilityZones.member.1')) throw validation('At least one Availability Zone or VPC Subnet is required.');
    const g: AutoScalingGroup = {
      name, region: ctx.region, arn, createdAt: ctx.now.toISOString(), minSize: min, maxSize: max, desiredCapacity: desired,
      defaultCooldown: 300, healthCheckType: 'EC2', healthCheckGracePeriod: 0, subnets: [], availabilityZones: [],
      targetGroupArns: p.list('TargetGroupARNs.member'), loadBalancerNames: p.list('LoadBalancerNames.member'), terminationPolicies: ['Default'],
      suspendedProcesses: [], capacityRebalance: false, protectedFromScaleIn: false, tags: tagsFrom(p, name),
    };
    applySettings(ctx, g, p);
    groups(ctx)[keyOf(ctx, name)] = g;
    return [];
  },
  UpdateAutoScalingGroup(ctx, p) {
    const g = existing(ctx, groupName(p), 'autoscaling:UpdateAutoScalingGroup');
    const min = p.int('MinSize') ?? g.minSize;
    const max = p.int('MaxSize') ?? g.maxSize;
    // Like AWS: a new min or max drags the desired capacity into range unless it is given.
    const desired = p.int('DesiredCapacity') ?? Math.min(Math.max(g.desiredCapacity, min), max);
    checkSizes(min, max, desired);
    applySettings(ctx, g, p);
    Object.assign(g, { minSize: min, maxSize: max, desiredCapacity: desired });
    return [];
  },
  SetDesiredCapacity(ctx, p) {
    const g = existing(ctx, groupName(p), 'autoscaling:SetDesiredCapacity');
    const desired = p.int('DesiredCapacity');
    if (desired === undefined) throw validation('DesiredCapacity is required');
    if (desired < g.minSize || desired > g.maxSize) throw validation(`New SetDesiredCapacity value ${desired} is below min value ${g.minSize} for the AutoScalingGroup.`);
    g.desiredCapacity = desired;
    return [];
  },
  DeleteAutoScalingGroup(ctx, p) {
    const name = groupName(p);
    existing(ctx, name, 'autoscaling:DeleteAutoScalingGroup');
    delete groups(ctx)[keyOf(ctx, name)];
    for (const [k, v] of Object.entries(policies(ctx))) if (v.region === ctx.region && v.group === name) delete policies(ctx)[k];
    for (const [k, v] of Object.entries(schedules(ctx))) if (v.region === ctx.region && v.group === name) delete schedules(ctx)[k];
    return [];
  },
  DescribeAutoScalingGroups(ctx, p) {
    ctx.authorize('autoscaling:DescribeAutoScalingGroups', '*');
    const names = p.list('AutoScalingGroupNames.member');
    // Unknown names are left out, without an error.
    const list = Object.values(groups(ctx)).filter((g) => g.region === ctx.region && (!names.length || names.includes(g.name))).sort((a, b) => a.name.localeCompare(b.name));
    const { slice, next } = page(list, p);
    return [node('AutoScalingGroups', items('member', slice, groupXml)), node('NextToken', next)];
  },
  CreateOrUpdateTags(ctx, p) {
    for (const t of p.structs('Tags.member')) {
      const g = existing(ctx, t.required('ResourceId'), 'autoscaling:CreateOrUpdateTags');
      const tag = tagFrom(t, g.name);
      const at = g.tags.findIndex((x) => x.key === tag.key);
      if (at >= 0) g.tags[at] = tag;
      else g.tags.push(tag);
    }
    return [];
  },
  DeleteTags(ctx, p) {
    for (const t of p.structs('Tags.member')) {
      const g = existing(ctx, t.required('ResourceId'), 'autoscaling:DeleteTags');
      const key = t.required('Key');
      g.tags = g.tags.filter((x) => x.key !== key);
    }
    return [];
  },
  SuspendProcesses(ctx, p) {
    const g = existing(ctx, groupName(p), 'autoscaling:SuspendProcesses');
    g.suspendedProcesses = [...new Set([...g.suspendedProcesses, ...processesFrom(p)])].sort();
    return [];
  },
  ResumeProcesses(ctx, p) {
    const g = existing(ctx, groupName(p), 'autoscaling:ResumeProcesses');
    const resume = new Set(processesFrom(p));
    g.suspendedProcesses = g.suspendedProcesses.filter((x) => !resume.has(x));
    return [];
  },
  AttachLoadBalancerTargetGroups(ctx, p) {
    const g = existing(ctx, groupName(p), 'autoscaling:AttachLoadBalancerTargetGroups');
    g.targetGroupArns = [...new Set([...g.targetGroupArns, ...p.list('TargetGroupARNs.member')])];
    return [];
  },
  DetachLoadBalancerTargetGroups(ctx, p) {
    const g = existing(ctx, groupName(p), 'autoscaling:DetachLoadBalancerTargetGroups');
    const drop = new Set(p.list('TargetGroupARNs.member'));
    g.targetGroupArns = g.targetGroupArns.filter((a) => !drop.has(a));
    return [];
  },
  PutScalingPolicy(ctx, p) {
    const g = existing(ctx, groupName(p), 'autoscaling:PutScalingPolicy');
    const name = p.required('PolicyName');
    const type = (p.get('PolicyType') ?? 'SimpleScaling') as ScalingPolicy['policyType'];
    if (!POLICY_TYPES.includes(type)) throw validation(`Policy type ${type} is not valid`);
    const key = keyOf(ctx, g.name, name);
    const old = policies(ctx)[key];
    const steps = p.structs('StepAdjustments.member').map((s) => ({ lower: number(s, 'MetricIntervalLowerBound'), upper: number(s, 'MetricIntervalUpperBound'), adjustment: s.int('ScalingAdjustment') ?? 0 }));
    if (type === 'StepScaling' && !steps.length) throw validation('StepAdjustments is required for StepScaling policies');
    if (type === 'SimpleScaling' && p.int('ScalingAdjustment') === undefined) throw validation('ScalingAdjustment is required for SimpleScaling policies');
    const tt = p.scoped('TargetTrackingConfiguration');
    let targetTracking: ScalingPolicy['targetTracking'];
    if (type === 'TargetTrackingScaling') {
      const target = number(tt, 'TargetValue');
      if (target === undefined) throw validation('TargetTrackingConfiguration.TargetValue is required');
      const custom = tt.scoped('CustomizedMetricSpecification');
      targetTracking = {
        metricType: tt.get('PredefinedMetricSpecification.PredefinedMetricType'), resourceLabel: tt.get('PredefinedMetricSpecification.ResourceLabel'),
        customized: custom.has('MetricName') ? `${custom.get('Namespace')}/${custom.get('MetricName')}/${custom.get('Statistic')}` : undefined,
        targetValue: target, disableScaleIn: tt.bool('DisableScaleIn') ?? false,
      };
      if (!targetTracking.metricType && !targetTracking.customized) throw validation('A predefined or customized metric specification is required');
    }
    const policy: ScalingPolicy = {
      name, group: g.name, region: ctx.region,
      arn: old?.arn ?? `arn:aws:autoscaling:${ctx.region}:${ctx.world.accountId}:scalingPolicy:${uuid()}:autoScalingGroupName/${g.name}:policyName/${name}`,
      policyType: type, adjustmentType: p.get('AdjustmentType'), scalingAdjustment: p.int('ScalingAdjustment'), cooldown: p.int('Cooldown'),
      minAdjustmentMagnitude: p.int('MinAdjustmentMagnitude'), estimatedInstanceWarmup: p.int('EstimatedInstanceWarmup'),
      metricAggregationType: p.get('MetricAggregationType') ?? (type === 'StepScaling' ? 'Average' : undefined), steps, targetTracking, enabled: p.bool('Enabled') ?? true,
    };
    policies(ctx)[key] = policy;
    return [node('PolicyARN', policy.arn), node('Alarms', [])];
  },
  DescribePolicies(ctx, p) {
    ctx.authorize('autoscaling:DescribePolicies', '*');
    const group = p.get('AutoScalingGroupName');
    const names = p.list('PolicyNames.member');
    if (names.length > 50) throw validation('PolicyNames must have at most 50 members');
    const types = p.list('PolicyTypes.member');
    const list = Object.values(policies(ctx))
      .filter((x) => x.region === ctx.region && (!group || x.group === group) && (!names.length || names.includes(x.name) || names.includes(x.arn)) && (!types.length || types.includes(x.policyType)))
      .sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
    const { slice, next } = page(list, p);
    return [node('ScalingPolicies', items('member', slice, policyXml)), node('NextToken', next)];
  },
  DeletePolicy(ctx, p) {
    const group = p.get('AutoScalingGroupName');
    const name = p.required('PolicyName');
    const found = Object.entries(policies(ctx)).find(([, x]) => x.region === ctx.region && (x.arn === name || (x.name === name && x.group === group)));
    ctx.trail.resources.push({ type: 'AWS::AutoScaling::ScalingPolicy', name, arn: found?.[1].arn });
    ctx.authorize('autoscaling:DeletePolicy', found?.[1].arn ?? '*');
    if (!found) throw validation(`Policy ${name} not found`);
    delete policies(ctx)[found[0]];
    return [];
  },
  PutScheduledUpdateGroupAction(ctx, p) {
    const g = existing(ctx, groupName(p), 'autoscaling:PutScheduledUpdateGroupAction');
    const name = p.required('ScheduledActionName');
    const action: ScheduledAction = {
      name, group: g.name, region: ctx.region, arn: `arn:aws:autoscaling:${ctx.region}:${ctx.world.accountId}:scheduledUpdateGroupAction:${uuid()}:autoScalingGroupName/${g.name}:scheduledActionName/${name}`,
      recurrence: p.get('Recurrence'), startTime: p.get('StartTime'), minSize: p.int('MinSize'), maxSize: p.int('MaxSize'), desiredCapacity: p.int('DesiredCapacity'),
    };
    if (action.minSize === undefined && action.maxSize === undefined && action.desiredCapacity === undefined) throw validation('At least one of MinSize, MaxSize or DesiredCapacity must be specified');
    schedules(ctx)[keyOf(ctx, g.name, name)] = action;
    return [];
  },
  DescribeScheduledActions(ctx, p) {
    ctx.authorize('autoscaling:DescribeScheduledActions', '*');
    const group = p.get('AutoScalingGroupName');
    const names = p.list('ScheduledActionNames.member');
    const list = Object.values(schedules(ctx))
      .filter((x) => x.region === ctx.region && (!group || x.group === group) && (!names.length || names.includes(x.name)))
      .sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
    const { slice, next } = page(list, p);
    return [node('ScheduledUpdateGroupActions', items('member', slice, (a) => [
      node('AutoScalingGroupName', a.group), node('ScheduledActionName', a.name), node('ScheduledActionARN', a.arn), node('Recurrence', a.recurrence),
      node('StartTime', a.startTime), node('MinSize', a.minSize), node('MaxSize', a.maxSize), node('DesiredCapacity', a.desiredCapacity),
    ])), node('NextToken', next)];
  },
  DeleteScheduledAction(ctx, p) {
    const g = existing(ctx, groupName(p), 'autoscaling:DeleteScheduledAction');
    const name = p.required('ScheduledActionName');
    if (!schedules(ctx)[keyOf(ctx, g.name, name)]) throw validation(`Scheduled action ${name} not found`);
    delete schedules(ctx)[keyOf(ctx, g.name, name)];
    return [];
  },
};
