// aws_autoscaling_group ↔ Auto Scaling DescribeAutoScalingGroups: 50 names per call (unknown names
// are left out without an error, so a name absent from the answer is proven missing), tags included.
//
// Values AWS changes on its own: `desired_capacity` moves whenever a scaling policy or a scheduled
// action acts. The provider documents this (desired_capacity is Optional+Computed, and its docs tell
// users of policies to leave it unset or ignore its changes). Tidemark reads the group's policies and
// scheduled actions — only for a group whose desired capacity differs from what Terraform recorded —
// and, when one owns the capacity, reports the difference as a hint naming it, never as drift.
import {
  AttachLoadBalancerTargetGroupsCommand, AutoScalingGroup, CreateOrUpdateTagsCommand, DeleteTagsCommand, DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand, DescribeScheduledActionsCommand, DetachLoadBalancerTargetGroupsCommand, ResumeProcessesCommand, SuspendProcessesCommand,
  UpdateAutoScalingGroupCommand, UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import type { NormalizeContext } from '../../drift/schema';
import type { Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { blocksOf, firstBlock, stringsOf } from './blocks';
import { bool, cannotRevert, foundEntry, missingEntry, num, perTarget, str } from './common';
import { describeByNames } from './autoscaling-names';
import type { ReadContext, ResourceType, RevertOutcome, RevertRequest } from './resource-type';

const list = stringsOf;

/** `tag { key value propagate_at_launch }` blocks as one atom each. */
function tagAtoms(v: Known): Known {
  return blocksOf(v).map((t) => `${String(t.key)}=${String(t.value ?? '')}${bool(t.propagate_at_launch as Known) ? ' (propagated at launch)' : ''}`);
}

/**
 * `launch_template { id name version }`: a block names its template by id or by name (the provider
 * computes the other; AWS reports both), so the template is its id — a block with a name alone
 * takes the live template's id when the live template has that name; a missing version and
 * `$Default` are the same.
 */
function templateAtoms(v: Known, ctx: NormalizeContext): Known {
  const b = firstBlock(v);
  if (!b) return [];
  const live = firstBlock(ctx.live?.launch_template as Known);
  const name = str(b.name);
  const id = str(b.id) ?? (name && live && str(live.name) === name ? str(live.id) : undefined);
  const which = id ? `template id ${id}` : name ? `template name ${name}` : 'template';
  const version = str(b.version);
  return version && version !== '$Default' ? [which, `version ${version}`] : [which];
}

/** `termination_policies` is an ordered list: one atom keeps the order. */
const ordered = (v: Known): Known => [list(v).join(', ')];

export const awsAutoscalingGroup: ResourceType = {
  type: 'aws_autoscaling_group',
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'min_size', compare: 'scalar', severity: 'warning' },
    { name: 'max_size', compare: 'scalar', severity: 'warning' },
    { name: 'desired_capacity', compare: 'scalar' },
    { name: 'default_cooldown', compare: 'scalar' },
    { name: 'health_check_type', compare: 'scalar' },
    { name: 'health_check_grace_period', compare: 'scalar', default: 300 },
    { name: 'vpc_zone_identifier', compare: 'set' },
    { name: 'availability_zones', compare: 'set' },
    { name: 'target_group_arns', compare: 'set', severity: 'warning' },
    { name: 'load_balancers', compare: 'set' },
    { name: 'termination_policies', compare: 'blocks', normalize: ordered },
    { name: 'suspended_processes', compare: 'set', severity: 'warning' },
    { name: 'max_instance_lifetime', compare: 'scalar', default: 0 },
    { name: 'capacity_rebalance', compare: 'scalar', default: false },
    { name: 'protect_from_scale_in', compare: 'scalar', default: false },
    { name: 'launch_template', compare: 'blocks', normalize: templateAtoms, severity: 'warning' },
    { name: 'launch_configuration', compare: 'scalar' },
    { name: 'tag', compare: 'blocks', normalize: tagAtoms, phrases: (v) => tagAtoms(v) as string[] },
  ],
  notCompared: {
    tags: 'the provider v5 has no tags argument on this type (tag blocks are compared), and default_tags do not apply to it',
    mixed_instances_policy: 'not read yet',
    instance_refresh: 'a Terraform-side trigger, not a property of the group',
    wait_for_capacity_timeout: 'a Terraform-side wait setting; AWS has nothing to compare it with',
    min_elb_capacity: 'a Terraform-side wait setting',
    wait_for_elb_capacity: 'a Terraform-side wait setting',
    force_delete: 'a Terraform-side deletion setting',
    force_delete_warm_pool: 'a Terraform-side deletion setting',
    ignore_failed_scaling_activities: 'a Terraform-side wait setting',
    enabled_metrics: 'not read yet',
    metrics_granularity: 'not read yet',
    warm_pool: 'not read yet (DescribeWarmPool is one call per group)',
    initial_lifecycle_hook: 'fixed at creation (ForceNew)',
    service_linked_role_arn: 'computed by AWS when not set',
    arn: 'computed by AWS',
  },
  idFromState: (a) => str(a.name) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'group',

  async read(targets, ctx) {
    const groups = new Map<string, AutoScalingGroup>();
    const failed = await describeByNames(ctx, targets, 'autoscaling:DescribeAutoScalingGroups',
      (names, token) => ctx.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names, MaxRecords: 100, NextToken: token })),
      (page) => {
        for (const g of page.AutoScalingGroups ?? []) if (g.AutoScalingGroupName) groups.set(g.AutoScalingGroupName, g);
        return page.NextToken;
      });
    return perTarget(targets, ctx, async (t) => {
      const why = failed.get(t.id);
      if (why) return { status: 'unknown', reason: why, readAt: ctx.now };
      const g = groups.get(t.id);
      if (!g) return missingEntry(ctx, t.id, `Auto Scaling group ${t.id} does not exist`);
      const lt = g.LaunchTemplate ?? g.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
      const entry = foundEntry(t, 'aws_autoscaling_group', ctx, {
        name: g.AutoScalingGroupName,
        min_size: g.MinSize ?? null,
        max_size: g.MaxSize ?? null,
        desired_capacity: g.DesiredCapacity ?? null,
        default_cooldown: g.DefaultCooldown ?? null,
        health_check_type: g.HealthCheckType ?? null,
        health_check_grace_period: g.HealthCheckGracePeriod ?? 0,
        vpc_zone_identifier: (g.VPCZoneIdentifier ?? '').split(',').map((s) => s.trim()).filter(Boolean),
        availability_zones: g.AvailabilityZones ?? [],
        target_group_arns: g.TargetGroupARNs ?? [],
        load_balancers: g.LoadBalancerNames ?? [],
        termination_policies: g.TerminationPolicies ?? [],
        suspended_processes: (g.SuspendedProcesses ?? []).map((p) => p.ProcessName).filter((p): p is string => Boolean(p)),
        max_instance_lifetime: g.MaxInstanceLifetime ?? 0,
        capacity_rebalance: g.CapacityRebalance ?? false,
        protect_from_scale_in: g.NewInstancesProtectedFromScaleIn ?? false,
        launch_template: lt ? [{ id: lt.LaunchTemplateId ?? '', name: lt.LaunchTemplateName ?? '', version: lt.Version ?? '' }] : [],
        launch_configuration: g.LaunchConfigurationName ?? '',
        tag: (g.Tags ?? []).filter((x) => x.Key && !x.Key.startsWith('aws:')).map((x) => ({ key: x.Key, value: x.Value ?? '', propagate_at_launch: x.PropagateAtLaunch ?? false })),
      }, { arn: g.AutoScalingGroupARN });
      const recorded = num(t.state.attributes.desired_capacity as Known);
      if (entry.status === 'found' && recorded !== g.DesiredCapacity) {
        const owner = await capacityOwner(ctx, t.id);
        if (owner) entry.resource.ownedAttributes = { desired_capacity: `${owner} sets the desired capacity, so AWS changes it on its own (leave desired_capacity unset, or add it to lifecycle ignore_changes)` };
      }
      return entry;
    });
  },

  async revert(request, clients) {
    return revertGroup(request, clients);
  },
};

/** The scaling policy or scheduled action that moves a group's desired capacity, if any. */
async function capacityOwner(ctx: ReadContext, group: string): Promise<string | undefined> {
  const policies = await ctx.clients.gate.call('autoscaling:DescribePolicies', () =>
    ctx.clients.autoscaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: group, MaxRecords: 1 })));
  const policy = policies.ScalingPolicies?.[0];
  if (policy) return `the ${policy.PolicyType ?? 'scaling'} policy ${policy.PolicyName}`;
  const scheduled = await ctx.clients.gate.call('autoscaling:DescribeScheduledActions', () =>
    ctx.clients.autoscaling.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: group, MaxRecords: 100 })));
  const action = scheduled.ScheduledUpdateGroupActions?.find((a) => a.DesiredCapacity !== undefined || a.MinSize !== undefined || a.MaxSize !== undefined);
  return action ? `the scheduled action ${action.ScheduledActionName}` : undefined;
}

async function update(clients: AwsClients, input: UpdateAutoScalingGroupCommandInput, message: string): Promise<RevertOutcome> {
  await clients.gate.call('autoscaling:UpdateAutoScalingGroup', () => clients.autoscaling.send(new UpdateAutoScalingGroupCommand(input)));
  return { ok: true, message };
}

async function revertGroup(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> {
  const { attribute, declared, id } = request;
  const a = clients.autoscaling;
  const n = num(declared);
  const base = { AutoScalingGroupName: id };
  switch (attribute) {
    case 'min_size':
    case 'max_size':
    case 'desired_capacity':
    case 'default_cooldown':
    case 'health_check_grace_period':
    case 'max_instance_lifetime': {
      if (n === undefined) return { ok: false, message: `declared ${attribute} is not a number` };
      const field = ({ min_size: 'MinSize', max_size: 'MaxSize', desired_capacity: 'DesiredCapacity', default_cooldown: 'DefaultCooldown', health_check_grace_period: 'HealthCheckGracePeriod', max_instance_lifetime: 'MaxInstanceLifetime' } as const)[attribute];
      return update(clients, { ...base, [field]: n }, `${attribute} set to ${n}`);
    }
    case 'health_check_type':
      return update(clients, { ...base, HealthCheckType: String(declared) }, `health check type set to ${String(declared)}`);
    case 'capacity_rebalance':
      return update(clients, { ...base, CapacityRebalance: bool(declared) === true }, `capacity rebalance ${bool(declared) ? 'enabled' : 'disabled'}`);
    case 'protect_from_scale_in':
      return update(clients, { ...base, NewInstancesProtectedFromScaleIn: bool(declared) === true }, `scale-in protection of new instances ${bool(declared) ? 'enabled' : 'disabled'}`);
    case 'vpc_zone_identifier':
      return update(clients, { ...base, VPCZoneIdentifier: list(declared).join(',') }, 'subnets restored');
    case 'availability_zones':
      return update(clients, { ...base, AvailabilityZones: list(declared) }, 'availability zones restored');
    case 'termination_policies':
      return update(clients, { ...base, TerminationPolicies: list(declared) }, 'termination policies restored');
    case 'launch_configuration':
      return update(clients, { ...base, LaunchConfigurationName: String(declared) }, 'launch configuration restored');
    case 'launch_template': {
      const b = firstBlock(declared);
      if (!b) return { ok: false, message: 'declared launch_template is not a block' };
      return update(clients, { ...base, LaunchTemplate: { LaunchTemplateId: str(b.id), LaunchTemplateName: str(b.id) ? undefined : str(b.name), Version: str(b.version) } }, 'launch template restored');
    }
    case 'suspended_processes': {
      const want = new Set(list(declared));
      const have = new Set(list(request.live.attributes.suspended_processes as Known));
      const resume = [...have].filter((p) => !want.has(p));
      const suspend = [...want].filter((p) => !have.has(p));
      if (resume.length) await clients.gate.call('autoscaling:ResumeProcesses', () => a.send(new ResumeProcessesCommand({ ...base, ScalingProcesses: resume })));
      if (suspend.length) await clients.gate.call('autoscaling:SuspendProcesses', () => a.send(new SuspendProcessesCommand({ ...base, ScalingProcesses: suspend })));
      return { ok: true, message: `suspended processes restored (${suspend.length} suspended, ${resume.length} resumed)` };
    }
    case 'target_group_arns': {
      const want = new Set(list(declared));
      const have = new Set(list(request.live.attributes.target_group_arns as Known));
      const detach = [...have].filter((x) => !want.has(x));
      const attach = [...want].filter((x) => !have.has(x));
      if (detach.length) await clients.gate.call('autoscaling:DetachLoadBalancerTargetGroups', () => a.send(new DetachLoadBalancerTargetGroupsCommand({ ...base, TargetGroupARNs: detach })));
      if (attach.length) await clients.gate.call('autoscaling:AttachLoadBalancerTargetGroups', () => a.send(new AttachLoadBalancerTargetGroupsCommand({ ...base, TargetGroupARNs: attach })));
      return { ok: true, message: `target groups restored (${attach.length} attached, ${detach.length} detached)` };
    }
    case 'tag': {
      const want = blocksOf(declared).map((t) => ({ key: String(t.key), value: String(t.value ?? ''), propagate: bool(t.propagate_at_launch as Known) === true }));
      const have = (request.live.attributes.tag ?? []) as Array<{ key: string; value: string; propagate_at_launch: boolean }>;
      const remove = have.filter((h) => !want.some((w) => w.key === h.key));
      const set = want.filter((w) => !have.some((h) => h.key === w.key && h.value === w.value && h.propagate_at_launch === w.propagate));
      const tag = (key: string) => ({ ResourceId: id, ResourceType: 'auto-scaling-group', Key: key });
      if (remove.length) await clients.gate.call('autoscaling:DeleteTags', () => a.send(new DeleteTagsCommand({ Tags: remove.map((h) => tag(h.key)) })));
      if (set.length) await clients.gate.call('autoscaling:CreateOrUpdateTags', () => a.send(new CreateOrUpdateTagsCommand({ Tags: set.map((w) => ({ ...tag(w.key), Value: w.value, PropagateAtLaunch: w.propagate })) })));
      return { ok: true, message: `tags restored (${set.length} set, ${remove.length} removed)` };
    }
    case 'load_balancers':
      return cannotRevert(attribute, 'Classic Load Balancer attachments are not written back by Tidemark yet');
    default:
      return cannotRevert(attribute);
  }
}
