// EC2 Auto Scaling: one unit is a group across two subnets on a launch template, with a step
// scaling policy.
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand, PutScalingPolicyCommand } from '@aws-sdk/client-auto-scaling';
import { clientFor, type Seeder } from './seeder';
import { backingNetwork } from './backing';
import { pages, pick, ref, resourceBlock, slug, TEAMS } from './block-text';

export const autoscalingSeeder: Seeder = {
  family: 'autoscaling',
  types: ['aws_autoscaling_group', 'aws_autoscaling_policy'],
  readActions: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribePolicies', 'autoscaling:DescribeScheduledActions'],

  async seedUnit(target, suffix, random) {
    const asg = clientFor(AutoScalingClient, target);
    const net = await backingNetwork(target);
    const s = slug(suffix);
    const team = pick(TEAMS, random);
    const groupName = `bench-${team}-${s}`;
    const subnets = net.subnetIds.slice(0, 2);
    const max = 2 + Math.floor(random() * 8);
    const desired = 1 + Math.floor(random() * max);
    // The sandbox's Auto Scaling takes a launch template by id without EC2 knowing it (as AWS checks only at launch).
    const templateId = `lt-${Buffer.from(s).toString('hex').padEnd(17, '0').slice(0, 17)}`;
    await asg.send(new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: groupName, MinSize: 1, MaxSize: max, DesiredCapacity: desired, HealthCheckType: 'ELB', HealthCheckGracePeriod: 120,
      VPCZoneIdentifier: subnets.join(','), TerminationPolicies: ['OldestInstance', 'Default'],
      LaunchTemplate: { LaunchTemplateId: templateId, Version: '$Latest' },
      Tags: [{ ResourceId: groupName, ResourceType: 'auto-scaling-group', Key: 'Team', Value: team, PropagateAtLaunch: true }],
    }));
    const policyName = `${groupName}-cpu`;
    const warmup = pick([60, 120, 300], random);
    const groupArn = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }))).AutoScalingGroups?.[0]?.AutoScalingGroupARN ?? '';
    const policyArn = (await asg.send(new PutScalingPolicyCommand({
      AutoScalingGroupName: groupName, PolicyName: policyName, PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity', EstimatedInstanceWarmup: warmup,
      StepAdjustments: [{ ScalingAdjustment: 1, MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20 }, { ScalingAdjustment: 2, MetricIntervalLowerBound: 20 }],
    }))).PolicyARN ?? '';
    const group = `asg_${suffix}`;
    const policy = `asg_cpu_${suffix}`;
    return [
      {
        // The provider's default_tags do not reach Auto Scaling groups (they take `tag` blocks).
        type: 'aws_autoscaling_group', name: group,
        hcl: resourceBlock('aws_autoscaling_group', group, [
          ['name', groupName], ['min_size', 1], ['max_size', max], ['desired_capacity', desired], ['health_check_type', 'ELB'], ['health_check_grace_period', 120],
          ['vpc_zone_identifier', subnets], ['termination_policies', ['OldestInstance', 'Default']],
          { block: 'launch_template', body: [['id', templateId], ['version', '$Latest']] },
          { block: 'tag', body: [['key', 'Team'], ['value', team], ['propagate_at_launch', true]] },
        ]),
        attributes: {
          id: groupName, name: groupName, name_prefix: '', arn: groupArn,
          min_size: 1, max_size: max, desired_capacity: desired, default_cooldown: 300, health_check_type: 'ELB', health_check_grace_period: 120,
          vpc_zone_identifier: subnets, availability_zones: net.zones.slice(0, 2), target_group_arns: [], load_balancers: [], termination_policies: ['OldestInstance', 'Default'],
          suspended_processes: [], max_instance_lifetime: 0, capacity_rebalance: false, protect_from_scale_in: false, force_delete: false, wait_for_capacity_timeout: '10m',
          launch_template: [{ id: templateId, name: templateId, version: '$Latest' }], launch_configuration: '', mixed_instances_policy: [],
          tag: [{ key: 'Team', value: team, propagate_at_launch: true }],
        },
      },
      {
        type: 'aws_autoscaling_policy', name: policy,
        hcl: resourceBlock('aws_autoscaling_policy', policy, [
          ['name', policyName], ['autoscaling_group_name', ref(`aws_autoscaling_group.${group}.name`)], ['policy_type', 'StepScaling'], ['adjustment_type', 'ChangeInCapacity'],
          ['estimated_instance_warmup', warmup],
          { block: 'step_adjustment', body: [['scaling_adjustment', 1], ['metric_interval_lower_bound', 0], ['metric_interval_upper_bound', 20]] },
          { block: 'step_adjustment', body: [['scaling_adjustment', 2], ['metric_interval_lower_bound', 20]] },
        ]),
        attributes: {
          id: policyName, name: policyName, arn: policyArn,
          autoscaling_group_name: groupName, policy_type: 'StepScaling', adjustment_type: 'ChangeInCapacity', metric_aggregation_type: 'Average',
          estimated_instance_warmup: warmup, enabled: true, cooldown: 0, scaling_adjustment: 0, min_adjustment_magnitude: 0,
          step_adjustment: [
            { scaling_adjustment: 1, metric_interval_lower_bound: '0', metric_interval_upper_bound: '20' },
            { scaling_adjustment: 2, metric_interval_lower_bound: '20', metric_interval_upper_bound: '' },
          ],
          target_tracking_configuration: [], predictive_scaling_configuration: [],
        },
        dependencies: [`aws_autoscaling_group.${group}`],
      },
    ];
  },

  lowerBound(byType) {
    return {
      // Unfiltered, both calls page 100 records at a time (tags come with the groups).
      'autoscaling:DescribeAutoScalingGroups': pages(byType.aws_autoscaling_group, 100),
      'autoscaling:DescribePolicies': pages(byType.aws_autoscaling_policy, 100),
    };
  },
};
