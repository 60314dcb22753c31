// aws_appautoscaling_policy ↔ Application Auto Scaling DescribeScalingPolicies: one call per service
// namespace for up to 50 policy names (unknown names are left out), a policy picked by its name,
// resource and dimension. PutScalingPolicy replaces a policy whole, so a revert writes the live
// configuration back with the drifted argument set to its declared value.
import {
  AdjustmentType, DescribeScalingPoliciesCommand, MetricAggregationType, MetricType, PolicyType, PutScalingPolicyCommand, PutScalingPolicyCommandInput,
  ScalableDimension, ScalingPolicy, ServiceNamespace,
} from '@aws-sdk/client-application-auto-scaling';
import type { Known } from '../../drift/values';
import { blocksOf, firstBlock, type Block } from './blocks';
import { bool, cannotRevert, chunk, failureText, foundEntry, missingEntry, num, perTarget, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

const NAMES_PER_CALL = 50;

const bound = (v: Known): string => (v === null || v === undefined || v === '' ? 'open' : String(Number(v)));
const opt = (v: Known): string => (v === null || v === undefined || v === '' || v === 0 ? '-' : String(v));

/** `step_scaling_policy_configuration`: AWS fills metric_aggregation_type with Average (Optional+Computed in the provider). */
function stepAtoms(v: Known): Known {
  const b = firstBlock(v);
  if (!b) return [];
  return [
    `adjustment ${String(b.adjustment_type ?? '')}`, `cooldown ${opt(b.cooldown as Known)}`, `aggregation ${str(b.metric_aggregation_type) ?? 'Average'}`,
    `min magnitude ${opt(b.min_adjustment_magnitude as Known)}`,
    ...blocksOf(b.step_adjustment).map((s) => `step ${bound(s.metric_interval_lower_bound as Known)}..${bound(s.metric_interval_upper_bound as Known)} → ${num(s.scaling_adjustment as Known) ?? 0}`),
  ];
}

function trackingAtoms(v: Known): Known {
  const b = firstBlock(v);
  if (!b) return [];
  const pre = firstBlock(b.predefined_metric_specification);
  const custom = firstBlock(b.customized_metric_specification);
  const metric = pre ? `metric ${String(pre.predefined_metric_type)}${str(pre.resource_label) ? ` (${String(pre.resource_label)})` : ''}`
    : custom ? `custom metric ${String(custom.namespace ?? '')}/${String(custom.metric_name ?? '')}/${String(custom.statistic ?? '')}` : 'no metric';
  return [metric, `target ${num(b.target_value as Known) ?? ''}`, `scale-in ${bool(b.disable_scale_in as Known) ? 'disabled' : 'enabled'}`,
    `scale-in cooldown ${opt(b.scale_in_cooldown as Known)}`, `scale-out cooldown ${opt(b.scale_out_cooldown as Known)}`];
}

function liveAttributes(p: ScalingPolicy): Record<string, unknown> {
  const step = p.StepScalingPolicyConfiguration;
  const t = p.TargetTrackingScalingPolicyConfiguration;
  return {
    name: p.PolicyName, resource_id: p.ResourceId, scalable_dimension: p.ScalableDimension, service_namespace: p.ServiceNamespace, policy_type: p.PolicyType ?? 'StepScaling',
    step_scaling_policy_configuration: step ? [{
      adjustment_type: step.AdjustmentType ?? '', cooldown: step.Cooldown ?? 0, metric_aggregation_type: step.MetricAggregationType ?? '', min_adjustment_magnitude: step.MinAdjustmentMagnitude ?? 0,
      step_adjustment: (step.StepAdjustments ?? []).map((s) => ({
        scaling_adjustment: s.ScalingAdjustment ?? 0,
        metric_interval_lower_bound: s.MetricIntervalLowerBound === undefined ? '' : String(s.MetricIntervalLowerBound),
        metric_interval_upper_bound: s.MetricIntervalUpperBound === undefined ? '' : String(s.MetricIntervalUpperBound),
      })),
    }] : [],
    target_tracking_scaling_policy_configuration: t ? [{
      target_value: t.TargetValue ?? 0, disable_scale_in: t.DisableScaleIn ?? false, scale_in_cooldown: t.ScaleInCooldown ?? 0, scale_out_cooldown: t.ScaleOutCooldown ?? 0,
      predefined_metric_specification: t.PredefinedMetricSpecification ? [{ predefined_metric_type: t.PredefinedMetricSpecification.PredefinedMetricType, resource_label: t.PredefinedMetricSpecification.ResourceLabel ?? '' }] : [],
      customized_metric_specification: t.CustomizedMetricSpecification ? [{ namespace: t.CustomizedMetricSpecification.Namespace, metric_name: t.CustomizedMetricSpecification.MetricName, statistic: t.CustomizedMetricSpecification.Statistic }] : [],
    }] : [],
  };
}

function putInput(a: Record<string, unknown>): PutScalingPolicyCommandInput {
  const type = String(a.policy_type ?? 'StepScaling') as PolicyType;
  const step = firstBlock(a.step_scaling_policy_configuration);
  const t = firstBlock(a.target_tracking_scaling_policy_configuration);
  const pre = t && firstBlock(t.predefined_metric_specification);
  const positive = (v: unknown): number | undefined => { const n = num(v as Known); return n ? n : undefined; };
  const boundOf = (v: unknown): number | undefined => (v === null || v === undefined || v === '' ? undefined : Number(v));
  return {
    PolicyName: String(a.name), ServiceNamespace: String(a.service_namespace) as ServiceNamespace, ResourceId: String(a.resource_id),
    ScalableDimension: String(a.scalable_dimension) as ScalableDimension, PolicyType: type,
    StepScalingPolicyConfiguration: type === 'StepScaling' && step ? {
      AdjustmentType: str(step.adjustment_type) as AdjustmentType | undefined, Cooldown: positive(step.cooldown), MetricAggregationType: str(step.metric_aggregation_type) as MetricAggregationType | undefined,
      MinAdjustmentMagnitude: positive(step.min_adjustment_magnitude),
      StepAdjustments: blocksOf(step.step_adjustment).map((s: Block) => ({
        ScalingAdjustment: num(s.scaling_adjustment as Known) ?? 0, MetricIntervalLowerBound: boundOf(s.metric_interval_lower_bound), MetricIntervalUpperBound: boundOf(s.metric_interval_upper_bound),
      })),
    } : undefined,
    TargetTrackingScalingPolicyConfiguration: type === 'TargetTrackingScaling' && t ? {
      TargetValue: num(t.target_value as Known) ?? 0, DisableScaleIn: bool(t.disable_scale_in as Known) ?? false, ScaleInCooldown: positive(t.scale_in_cooldown), ScaleOutCooldown: positive(t.scale_out_cooldown),
      PredefinedMetricSpecification: pre ? { PredefinedMetricType: String(pre.predefined_metric_type) as MetricType, ResourceLabel: str(pre.resource_label) } : undefined,
    } : undefined,
  };
}

export const awsAppautoscalingPolicy: ResourceType = {
  type: 'aws_appautoscaling_policy',
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'service_namespace', compare: 'scalar', forceNew: true },
    { name: 'resource_id', compare: 'scalar', forceNew: true },
    { name: 'scalable_dimension', compare: 'scalar', forceNew: true },
    { name: 'policy_type', compare: 'scalar', default: 'StepScaling', severity: 'warning' },
    { name: 'step_scaling_policy_configuration', compare: 'blocks', normalize: stepAtoms, phrases: (v) => stepAtoms(v) as string[] },
    { name: 'target_tracking_scaling_policy_configuration', compare: 'blocks', normalize: trackingAtoms, phrases: (v) => trackingAtoms(v) as string[] },
  ],
  notCompared: {
    'target_tracking_scaling_policy_configuration.customized_metric_specification.metrics': 'metric math is not read yet (the namespace, name and statistic are)',
    arn: 'computed by AWS',
    alarm_arns: 'computed by AWS',
  },
  idFromState: (a) => str(a.name) ?? str(a.id),
  importId: (live) => `${String(live.attributes.service_namespace)}/${String(live.attributes.resource_id)}/${String(live.attributes.scalable_dimension)}/${live.id}`,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'policy',

  async read(targets, ctx) {
    const byNamespace = new Map<string, Set<string>>();
    for (const t of targets) {
      const ns = str(t.state.attributes.service_namespace);
      if (ns) byNamespace.set(ns, (byNamespace.get(ns) ?? new Set()).add(t.id));
    }
    const byKey = new Map<string, ScalingPolicy>();
    const failed = new Map<string, string>();
    await Promise.all([...byNamespace.entries()].flatMap(([namespace, names]) => chunk([...names], NAMES_PER_CALL).map(async (group) => {
      try {
        let token: string | undefined;
        do {
          const page = await ctx.clients.gate.call('application-autoscaling:DescribeScalingPolicies', () => ctx.clients.appautoscaling.send(new DescribeScalingPoliciesCommand({
            ServiceNamespace: namespace as ServiceNamespace, PolicyNames: group, MaxResults: 50, NextToken: token,
          })));
          for (const p of page.ScalingPolicies ?? []) byKey.set(`${p.ServiceNamespace}|${p.ResourceId}|${p.ScalableDimension}|${p.PolicyName}`, p);
          token = page.NextToken;
        } while (token);
      } catch (error) {
        for (const n of group) failed.set(`${namespace}|${n}`, failureText(error));
      }
    })));
    return perTarget(targets, ctx, async (t) => {
      const a = t.state.attributes;
      const namespace = str(a.service_namespace);
      if (!namespace || !str(a.resource_id) || !str(a.scalable_dimension)) return unknownEntry(ctx, 'state records no service_namespace, resource_id or scalable_dimension for this policy');
      const why = failed.get(`${namespace}|${t.id}`);
      if (why) return unknownEntry(ctx, why);
      const p = byKey.get(`${namespace}|${String(a.resource_id)}|${String(a.scalable_dimension)}|${t.id}`);
      if (!p) return missingEntry(ctx, t.id, `scaling policy ${t.id} of ${String(a.resource_id)} does not exist`);
      return foundEntry(t, 'aws_appautoscaling_policy', ctx, liveAttributes(p), { arn: p.PolicyARN });
    });
  },

  async revert(request, clients) {
    const { attribute, declared } = request;
    if (['name', 'service_namespace', 'resource_id', 'scalable_dimension'].includes(attribute)) return cannotRevert(attribute);
    const input = putInput({ ...request.live.attributes, [attribute]: declared });
    await clients.gate.call('application-autoscaling:PutScalingPolicy', () => clients.appautoscaling.send(new PutScalingPolicyCommand(input)));
    return { ok: true, message: `${attribute} restored (the policy was written back whole)` };
  },
};
