// Application Auto Scaling (JSON 1.1, X-Amz-Target AnyScaleFrontendService.*): scalable targets
// (an ECS service's desired count, a DynamoDB table's capacity, …) with their capacity bounds and
// suspended state, scaling policies (step and target tracking) and tags — what
// aws_appautoscaling_target and aws_appautoscaling_policy read and write. Nothing scales: the
// sandbox stores configuration only.
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { uuid } from '../../ids';
import { json } from '../../protocol/json11';
import type { Tags } from '../../world';

export interface ScalableTarget {
  namespace: string;
  resourceId: string;
  dimension: string;
  region: string;
  arn: string;
  min: number;
  max: number;
  roleArn: string;
  suspended: { dynamicScalingInSuspended: boolean; dynamicScalingOutSuspended: boolean; scheduledScalingSuspended: boolean };
  createdAt: string;
  tags: Tags;
}

export interface AppScalingPolicy {
  name: string;
  namespace: string;
  resourceId: string;
  dimension: string;
  region: string;
  arn: string;
  type: 'StepScaling' | 'TargetTrackingScaling';
  /** The configuration as the API takes and returns it. */
  step?: Record<string, unknown>;
  tracking?: Record<string, unknown>;
  createdAt: string;
}

const NAMESPACES = ['ecs', 'elasticmapreduce', 'ec2', 'appstream', 'dynamodb', 'rds', 'sagemaker', 'custom-resource', 'comprehend', 'lambda', 'cassandra', 'kafka', 'elasticache', 'neptune', 'workspaces'];

const invalid = (message: string): ApiError => new ApiError('ValidationException', message, 400);
const notFound = (message: string): ApiError => new ApiError('ObjectNotFoundException', message, 400);
const targets = (ctx: CallContext): Record<string, ScalableTarget> => (ctx.world.scalableTargets ??= {});
const policies = (ctx: CallContext): Record<string, AppScalingPolicy> => (ctx.world.appScalingPolicies ??= {});
const keyOf = (ctx: CallContext, namespace: string, resourceId: string, dimension: string): string => `${ctx.region}|${namespace}|${resourceId}|${dimension}`;

function namespaceOf(input: Record<string, unknown>): string {
  const ns = json.str(input, 'ServiceNamespace');
  if (!ns || !NAMESPACES.includes(ns)) throw invalid(`1 validation error detected: Value '${ns ?? 'null'}' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set: [${NAMESPACES.join(', ')}]`);
  return ns;
}

function required(input: Record<string, unknown>, name: string): string {
  const v = json.str(input, name);
  if (!v) throw invalid(`1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return v;
}

/** ECS targets must name an existing service (`service/<cluster>/<service>`), as AWS checks. */
function checkResource(ctx: CallContext, namespace: string, resourceId: string, dimension: string): void {
  if (namespace === 'ecs') {
    if (dimension !== 'ecs:service:DesiredCount') throw invalid(`Unsupported scalable dimension ${dimension} for service namespace ecs`);
    const m = /^service\/([^/]+)\/([^/]+)$/.exec(resourceId);
    if (!m) throw invalid(`Unsupported resource ID ${resourceId}`);
    const service = Object.values(ctx.world.ecsServices ?? {}).find((s) => s.region === ctx.region && s.clusterName === m[1] && s.name === m[2] && s.status === 'ACTIVE');
    if (!service) throw invalid(`ECS service doesn't exist: ${resourceId}`);
  }
}

function page<T>(list: T[], input: Record<string, unknown>): { slice: T[]; next?: string } {
  const max = json.int(input, 'MaxResults') ?? 50;
  if (max < 1 || max > 50) throw invalid(`1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50`);
  const token = json.str(input, 'NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0 || start > list.length) throw invalid('Invalid NextToken');
  const next = start + max < list.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return { slice: list.slice(start, start + max), next };
}

function targetShape(t: ScalableTarget): Record<string, unknown> {
  return {
    ServiceNamespace: t.namespace, ResourceId: t.resourceId, ScalableDimension: t.dimension, MinCapacity: t.min, MaxCapacity: t.max, RoleARN: t.roleArn,
    CreationTime: new Date(t.createdAt).getTime() / 1000, SuspendedState: { DynamicScalingInSuspended: t.suspended.dynamicScalingInSuspended, DynamicScalingOutSuspended: t.suspended.dynamicScalingOutSuspended, ScheduledScalingSuspended: t.suspended.scheduledScalingSuspended },
    ScalableTargetARN: t.arn,
  };
}

function policyShape(p: AppScalingPolicy): Record<string, unknown> {
  return {
    PolicyARN: p.arn, PolicyName: p.name, ServiceNamespace: p.namespace, ResourceId: p.resourceId, ScalableDimension: p.dimension, PolicyType: p.type,
    ...(p.step ? { StepScalingPolicyConfiguration: p.step } : {}), ...(p.tracking ? { TargetTrackingScalingPolicyConfiguration: p.tracking } : {}),
    Alarms: [], CreationTime: new Date(p.createdAt).getTime() / 1000,
  };
}

function tagsOf(input: Record<string, unknown>): Tags {
  const tags = json.map(input, 'Tags') ?? {};
  for (const k of Object.keys(tags)) if (k.toLowerCase().startsWith('aws:')) throw invalid('Tag keys starting with aws: are reserved');
  return tags;
}

function byArn(ctx: CallContext, input: Record<string, unknown>, action: string): ScalableTarget {
  const arn = required(input, 'ResourceARN');
  ctx.trail.resources.push({ type: 'AWS::ApplicationAutoScaling::ScalableTarget', name: arn, arn });
  ctx.authorize(action, arn);
  const t = Object.values(targets(ctx)).find((x) => x.arn === arn);
  if (!t) throw new ApiError('ResourceNotFoundException', `No scalable target found for ARN ${arn}`, 400);
  return t;
}

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const appAutoscalingOperations: Record<string, Handler> = {
  RegisterScalableTarget(ctx, input) {
    const namespace = namespaceOf(input);
    const resourceId = required(input, 'ResourceId');
    const dimension = required(input, 'ScalableDimension');
    const key = keyOf(ctx, namespace, resourceId, dimension);
    const old = targets(ctx)[key];
    const arn = old?.arn ?? `arn:aws:application-autoscaling:${ctx.region}:${ctx.world.accountId}:scalable-target/${uuid().replace(/-/g, '').slice(0, 28)}`;
    ctx.trail.resources.push({ type: 'AWS::ApplicationAutoScaling::ScalableTarget', name: resourceId, arn });
    ctx.authorize('application-autoscaling:RegisterScalableTarget', arn);
    checkResource(ctx, namespace, resourceId, dimension);
    const min = json.int(input, 'MinCapacity') ?? old?.min;
    const max = json.int(input, 'MaxCapacity') ?? old?.max;
    if (min === undefined || max === undefined) throw invalid('MinCapacity and MaxCapacity are required when registering a new scalable target');
    if (min > max) throw invalid(`Minimum capacity cannot be greater than maximum capacity`);
    const s = (input.SuspendedState ?? {}) as Record<string, unknown>;
    const flag = (name: string, was: boolean | undefined): boolean => (typeof s[name] === 'boolean' ? (s[name] as boolean) : was ?? false);
    const t: ScalableTarget = {
      namespace, resourceId, dimension, region: ctx.region, arn, min, max, createdAt: old?.createdAt ?? ctx.now.toISOString(),
      roleArn: json.str(input, 'RoleARN') ?? old?.roleArn ?? `arn:aws:iam::${ctx.world.accountId}:role/aws-service-role/${namespace}.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_${namespace === 'ecs' ? 'ECSService' : namespace}`,
      suspended: {
        dynamicScalingInSuspended: flag('DynamicScalingInSuspended', old?.suspended.dynamicScalingInSuspended),
        dynamicScalingOutSuspended: flag('DynamicScalingOutSuspended', old?.suspended.dynamicScalingOutSuspended),
        scheduledScalingSuspended: flag('ScheduledScalingSuspended', old?.suspended.scheduledScalingSuspended),
      },
      tags: old ? old.tags : tagsOf(input),
    };
    targets(ctx)[key] = t;
    return { ScalableTargetARN: arn };
  },
  DescribeScalableTargets(ctx, input) {
    ctx.authorize('application-autoscaling:DescribeScalableTargets', '*');
    const namespace = namespaceOf(input);
    const ids = json.strings(input, 'ResourceIds') ?? [];
    if (ids.length > 50) throw invalid('ResourceIds must have at most 50 members');
    const dimension = json.str(input, 'ScalableDimension');
    const list = Object.values(targets(ctx)).filter((t) => t.region === ctx.region && t.namespace === namespace && (!ids.length || ids.includes(t.resourceId)) && (!dimension || t.dimension === dimension))
      .sort((a, b) => a.resourceId.localeCompare(b.resourceId));
    const { slice, next } = page(list, input);
    return { ScalableTargets: slice.map(targetShape), ...(next ? { NextToken: next } : {}) };
  },
  DeregisterScalableTarget(ctx, input) {
    const namespace = namespaceOf(input);
    const resourceId = required(input, 'ResourceId');
    const dimension = required(input, 'ScalableDimension');
    const key = keyOf(ctx, namespace, resourceId, dimension);
    const t = targets(ctx)[key];
    ctx.trail.resources.push({ type: 'AWS::ApplicationAutoScaling::ScalableTarget', name: resourceId, arn: t?.arn });
    ctx.authorize('application-autoscaling:DeregisterScalableTarget', t?.arn ?? '*');
    if (!t) throw notFound(`No scalable target registered for service namespace: ${namespace}, resource ID: ${resourceId}, scalable dimension: ${dimension}`);
    delete targets(ctx)[key];
    for (const [k, p] of Object.entries(policies(ctx))) if (p.region === ctx.region && p.namespace === namespace && p.resourceId === resourceId && p.dimension === dimension) delete policies(ctx)[k];
    return {};
  },
  PutScalingPolicy(ctx, input) {
    const namespace = namespaceOf(input);
    const resourceId = required(input, 'ResourceId');
    const dimension = required(input, 'ScalableDimension');
    const name = required(input, 'PolicyName');
    if (!targets(ctx)[keyOf(ctx, namespace, resourceId, dimension)]) throw notFound(`No scalable target registered for service namespace: ${namespace}, resource ID: ${resourceId}, scalable dimension: ${dimension}`);
    const type = json.str(input, 'PolicyType') ?? 'StepScaling';
    if (type !== 'StepScaling' && type !== 'TargetTrackingScaling') throw invalid(`Unsupported policy type ${type}`);
    const step = input.StepScalingPolicyConfiguration as Record<string, unknown> | undefined;
    const tracking = input.TargetTrackingScalingPolicyConfiguration as Record<string, unknown> | undefined;
    if (type === 'StepScaling' && !step) throw invalid('StepScalingPolicyConfiguration is required for StepScaling policies');
    if (type === 'TargetTrackingScaling' && (!tracking || typeof tracking.TargetValue !== 'number')) throw invalid('TargetTrackingScalingPolicyConfiguration.TargetValue is required');
    const key = `${keyOf(ctx, namespace, resourceId, dimension)}|${name}`;
    const arn = policies(ctx)[key]?.arn ?? `arn:aws:autoscaling:${ctx.region}:${ctx.world.accountId}:scalingPolicy:${uuid()}:resource/${namespace}/${resourceId}:policyName/${name}`;
    ctx.trail.resources.push({ type: 'AWS::ApplicationAutoScaling::ScalingPolicy', name, arn });
    ctx.authorize('application-autoscaling:PutScalingPolicy', arn);
    policies(ctx)[key] = {
      name, namespace, resourceId, dimension, region: ctx.region, arn, type,
      step: type === 'StepScaling' ? step : undefined, tracking: type === 'TargetTrackingScaling' ? tracking : undefined, createdAt: ctx.now.toISOString(),
    };
    return { PolicyARN: arn, Alarms: [] };
  },
  DescribeScalingPolicies(ctx, input) {
    ctx.authorize('application-autoscaling:DescribeScalingPolicies', '*');
    const namespace = namespaceOf(input);
    const names = json.strings(input, 'PolicyNames') ?? [];
    if (names.length > 50) throw invalid('PolicyNames must have at most 50 members');
    const resourceId = json.str(input, 'ResourceId');
    const list = Object.values(policies(ctx)).filter((p) => p.region === ctx.region && p.namespace === namespace && (!names.length || names.includes(p.name)) && (!resourceId || p.resourceId === resourceId))
      .sort((a, b) => a.resourceId.localeCompare(b.resourceId) || a.name.localeCompare(b.name));
    const { slice, next } = page(list, input);
    return { ScalingPolicies: slice.map(policyShape), ...(next ? { NextToken: next } : {}) };
  },
  DeleteScalingPolicy(ctx, input) {
    const namespace = namespaceOf(input);
    const resourceId = required(input, 'ResourceId');
    const dimension = required(input, 'ScalableDimension');
    const name = required(input, 'PolicyName');
    const key = `${keyOf(ctx, namespace, resourceId, dimension)}|${name}`;
    const p = policies(ctx)[key];
    ctx.trail.resources.push({ type: 'AWS::ApplicationAutoScaling::ScalingPolicy', name, arn: p?.arn });
    ctx.authorize('application-autoscaling:DeleteScalingPolicy', p?.arn ?? '*');
    if (!p) throw notFound(`No scaling policy found for service namespace: ${namespace}, resource ID: ${resourceId}, scalable dimension: ${dimension}, policy name: ${name}`);
    delete policies(ctx)[key];
    return {};
  },
  ListTagsForResource(ctx, input) {
    return { Tags: { ...byArn(ctx, input, 'application-autoscaling:ListTagsForResource').tags } };
  },
  TagResource(ctx, input) {
    const t = byArn(ctx, input, 'application-autoscaling:TagResource');
    t.tags = { ...t.tags, ...tagsOf(input) };
    return {};
  },
  UntagResource(ctx, input) {
    const t = byArn(ctx, input, 'application-autoscaling:UntagResource');
    const keys = json.strings(input, 'TagKeys') ?? [];
    t.tags = Object.fromEntries(Object.entries(t.tags).filter(([k]) => !keys.includes(k)));
    return {};
  },
};
