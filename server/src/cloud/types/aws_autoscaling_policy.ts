// aws_autoscaling_policy ↔ Auto Scaling DescribePolicies: 50 policy names per call (unknown names are
// left out without an error), 100 records a page; a policy is picked by its group and name, since
// names are unique per group only. PutScalingPolicy replaces a policy's whole configuration, so a
// revert writes the live configuration back with the drifted argument set to its declared value.
import { DescribePoliciesCommand, MetricStatistic, MetricType, PutScalingPolicyCommand, PutScalingPolicyCommandInput, ScalingPolicy } from '@aws-sdk/client-auto-scaling';
import type { Known } from '../../drift/values';
import { blocksOf, firstBlock } from './blocks';
import { bool, cannotRevert, foundEntry, missingEntry, num, perTarget, str } from './common';
import { describeByNames } from './autoscaling-names';
import type { ResourceType } from './resource-type';

const first = firstBlock;

/** Bounds are strings in the provider's schema ("" when open): compare them as numbers. */
const bound = (v: Known): string => (v === null || v === undefined || v === '' ? 'open' : String(Number(v)));

/** `step_adjustment` blocks, one atom per step. */
function stepAtoms(v: Known): Known {
  return blocksOf(v).map((s) => `${bound(s.metric_interval_lower_bound as Known)}..${bound(s.metric_interval_upper_bound as Known)} → ${num(s.scaling_adjustment as Known) ?? 0}`);
}

/** `target_tracking_configuration`: target, scale-in switch and the metric, as atoms. */
function trackingAtoms(v: Known): Known {
  const b = first(v);
  if (!b) return [];
  const predefined = first(b.predefined_metric_specification as Known);
  const custom = first(b.customized_metric_specification as Known);
  const metric = predefined
    ? `metric ${String(predefined.predefined_metric_type)}${str(predefined.resource_label) ? ` (${String(predefined.resource_label)})` : ''}`
    : custom ? `custom metric ${String(custom.namespace ?? '')}/${String(custom.metric_name ?? '')}/${String(custom.statistic ?? '')}` : 'no metric';
  return [metric, `target ${num(b.target_value as Known) ?? ''}`, `scale-in ${bool(b.disable_scale_in as Known) ? 'disabled' : 'enabled'}`];
}

function liveAttributes(p: ScalingPolicy): Record<string, unknown> {
  const t = p.TargetTrackingConfiguration;
  const pre = t?.PredefinedMetricSpecification;
  const custom = t?.CustomizedMetricSpecification;
  return {
    name: p.PolicyName,
    autoscaling_group_name: p.AutoScalingGroupName,
    policy_type: p.PolicyType ?? 'SimpleScaling',
    adjustment_type: p.AdjustmentType ?? '',
    scaling_adjustment: p.ScalingAdjustment ?? 0,
    cooldown: p.Cooldown ?? 0,
    min_adjustment_magnitude: p.MinAdjustmentMagnitude ?? 0,
    estimated_instance_warmup: p.EstimatedInstanceWarmup ?? 0,
    metric_aggregation_type: p.MetricAggregationType ?? '',
    enabled: p.Enabled ?? true,
    step_adjustment: (p.StepAdjustments ?? []).map((s) => ({
      scaling_adjustment: s.ScalingAdjustment ?? 0,
      metric_interval_lower_bound: s.MetricIntervalLowerBound === undefined ? '' : String(s.MetricIntervalLowerBound),
      metric_interval_upper_bound: s.MetricIntervalUpperBound === undefined ? '' : String(s.MetricIntervalUpperBound),
    })),
    target_tracking_configuration: t ? [{
      target_value: t.TargetValue ?? 0, disable_scale_in: t.DisableScaleIn ?? false,
      predefined_metric_specification: pre ? [{ predefined_metric_type: pre.PredefinedMetricType, resource_label: pre.ResourceLabel ?? '' }] : [],
      customized_metric_specification: custom ? [{ namespace: custom.Namespace, metric_name: custom.MetricName, statistic: custom.Statistic }] : [],
    }] : [],
  };
}

/** The PutScalingPolicy request that writes `attrs` (Terraform-shaped) as the whole policy. */
function putInput(attrs: Record<string, unknown>): PutScalingPolicyCommandInput {
  const type = String(attrs.policy_type ?? 'SimpleScaling');
  const n = (k: string): number | undefined => {
    const v = num(attrs[k] as Known);
    return v === undefined || v === 0 ? undefined : v;
  };
  const tracking = first(attrs.target_tracking_configuration as Known);
  const pre = tracking && first(tracking.predefined_metric_specification as Known);
  const custom = tracking && first(tracking.customized_metric_specification as Known);
  const boundOf = (v: Known): number | undefined => (v === null || v === undefined || v === '' ? undefined : Number(v));
  return {
    AutoScalingGroupName: String(attrs.autoscaling_group_name),
    PolicyName: String(attrs.name),
    PolicyType: type,
    AdjustmentType: type === 'TargetTrackingScaling' ? undefined : str(attrs.adjustment_type),
    ScalingAdjustment: type === 'SimpleScaling' ? num(attrs.scaling_adjustment as Known) : undefined,
    Cooldown: type === 'SimpleScaling' ? n('cooldown') : undefined,
    MinAdjustmentMagnitude: n('min_adjustment_magnitude'),
    EstimatedInstanceWarmup: type === 'SimpleScaling' ? undefined : n('estimated_instance_warmup'),
    MetricAggregationType: type === 'StepScaling' ? str(attrs.metric_aggregation_type) : undefined,
    Enabled: bool(attrs.enabled as Known) ?? true,
    StepAdjustments: type === 'StepScaling'
      ? blocksOf(attrs.step_adjustment).map((s) => ({
        ScalingAdjustment: num(s.scaling_adjustment as Known) ?? 0,
        MetricIntervalLowerBound: boundOf(s.metric_interval_lower_bound as Known),
        MetricIntervalUpperBound: boundOf(s.metric_interval_upper_bound as Known),
      }))
      : undefined,
    TargetTrackingConfiguration: type === 'TargetTrackingScaling' && tracking ? {
      TargetValue: num(tracking.target_value as Known) ?? 0,
      DisableScaleIn: bool(tracking.disable_scale_in as Known) ?? false,
      PredefinedMetricSpecification: pre ? { PredefinedMetricType: String(pre.predefined_metric_type) as MetricType, ResourceLabel: str(pre.resource_label) } : undefined,
      CustomizedMetricSpecification: custom ? { Namespace: String(custom.namespace), MetricName: String(custom.metric_name), Statistic: String(custom.statistic) as MetricStatistic } : undefined,
    } : undefined,
  };
}

export const awsAutoscalingPolicy: ResourceType = {
  type: 'aws_autoscaling_policy',
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'autoscaling_group_name', compare: 'scalar', forceNew: true },
    { name: 'policy_type', compare: 'scalar', default: 'SimpleScaling', severity: 'warning' },
    { name: 'adjustment_type', compare: 'scalar' },
    { name: 'scaling_adjustment', compare: 'scalar' },
    { name: 'cooldown', compare: 'scalar' },
    { name: 'min_adjustment_magnitude', compare: 'scalar' },
    { name: 'estimated_instance_warmup', compare: 'scalar' },
    { name: 'metric_aggregation_type', compare: 'scalar' },
    { name: 'enabled', compare: 'scalar', default: true, severity: 'warning' },
    { name: 'step_adjustment', compare: 'blocks', normalize: stepAtoms, phrases: (v) => stepAtoms(v) as string[] },
    { name: 'target_tracking_configuration', compare: 'blocks', normalize: trackingAtoms, phrases: (v) => trackingAtoms(v) as string[] },
  ],
  notCompared: {
    predictive_scaling_configuration: 'not read yet',
    arn: 'computed by AWS',
  },
  idFromState: (a) => str(a.name) ?? str(a.id),
  importId: (live) => `${String(live.attributes.autoscaling_group_name)}/${live.id}`,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'policy',

  async read(targets, ctx) {
    const byKey = new Map<string, ScalingPolicy>();
    const failed = await describeByNames(ctx, targets, 'autoscaling:DescribePolicies',
      (names, token) => ctx.clients.autoscaling.send(new DescribePoliciesCommand({ PolicyNames: names, MaxRecords: 100, NextToken: token })),
      (page) => {
        for (const p of page.ScalingPolicies ?? []) byKey.set(`${p.AutoScalingGroupName}/${p.PolicyName}`, p);
        return page.NextToken;
      });
    return perTarget(targets, ctx, async (t) => {
      const why = failed.get(t.id);
      if (why) return { status: 'unknown', reason: why, readAt: ctx.now };
      const group = str(t.state.attributes.autoscaling_group_name);
      if (!group) return { status: 'unknown', reason: 'state records no autoscaling_group_name for this policy', readAt: ctx.now };
      const p = byKey.get(`${group}/${t.id}`);
      if (!p) return missingEntry(ctx, t.id, `scaling policy ${t.id} of group ${group} does not exist`);
      return foundEntry(t, 'aws_autoscaling_policy', ctx, liveAttributes(p), { arn: p.PolicyARN });
    });
  },

  async revert(request, clients) {
    const { attribute, declared } = request;
    if (attribute === 'name' || attribute === 'autoscaling_group_name') return cannotRevert(attribute);
    const input = putInput({ ...request.live.attributes, [attribute]: declared });
    await clients.gate.call('autoscaling:PutScalingPolicy', () => clients.autoscaling.send(new PutScalingPolicyCommand(input)));
    return { ok: true, message: `${attribute} restored (the policy was written back whole)` };
  },
};
