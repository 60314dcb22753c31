// aws_autoscaling_group and aws_autoscaling_policy against the sandbox with the real SDK: the
// per-type contract; one DescribeAutoScalingGroups call serves every group and a deleted one is
// missing; a desired capacity a scaling policy or a schedule moved is a hint naming it, not drift
// (and without either it is drift); the sandbox's Auto Scaling error codes and CloudTrail records.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AutoScalingClient, CreateAutoScalingGroupCommand, CreateOrUpdateTagsCommand, DeleteAutoScalingGroupCommand, DeletePolicyCommand, PutScalingPolicyCommand,
  PutScheduledUpdateGroupActionCommand, SetDesiredCapacityCommand, SuspendProcessesCommand, UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import { diff } from '../drift/helpers';
import { contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let asg: AutoScalingClient;

const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
const group = (name: string, attributes: Record<string, unknown>) => inst('aws_autoscaling_group', name, attributes);
const policy = (name: string, attributes: Record<string, unknown>) => inst('aws_autoscaling_policy', name, attributes);

/** As the AWS provider v5 records them after apply. */
const state = () => [
  group('web', {
    id: 'web', name: 'web', min_size: 1, max_size: 4, desired_capacity: 2, default_cooldown: 300, health_check_type: 'ELB', health_check_grace_period: 120,
    vpc_zone_identifier: SUBNETS, availability_zones: ['us-east-1a', 'us-east-1b'], target_group_arns: [], load_balancers: [], termination_policies: ['OldestInstance', 'Default'],
    suspended_processes: [], max_instance_lifetime: 0, capacity_rebalance: false, protect_from_scale_in: false, force_delete: false, wait_for_capacity_timeout: '10m',
    launch_template: [{ id: 'lt-0123456789abcdef0', name: 'web', version: '$Latest' }], launch_configuration: '',
    tag: [{ key: 'Team', value: 'web', propagate_at_launch: true }],
  }),
  policy('web_cpu', {
    id: 'web-cpu', name: 'web-cpu', autoscaling_group_name: 'web', policy_type: 'StepScaling', adjustment_type: 'ChangeInCapacity', metric_aggregation_type: 'Average',
    estimated_instance_warmup: 60, enabled: true, cooldown: 0, scaling_adjustment: 0, min_adjustment_magnitude: 0,
    step_adjustment: [
      { scaling_adjustment: 1, metric_interval_lower_bound: '0', metric_interval_upper_bound: '20' },
      { scaling_adjustment: 2, metric_interval_lower_bound: '20', metric_interval_upper_bound: '' },
    ],
    target_tracking_configuration: [],
  }),
];

before(async () => {
  env = await startTypeSandbox(['autoscaling:*']);
  asg = new AutoScalingClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  await asg.send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: 'web', MinSize: 1, MaxSize: 4, DesiredCapacity: 2, HealthCheckType: 'ELB', HealthCheckGracePeriod: 120, VPCZoneIdentifier: SUBNETS.join(','),
    TerminationPolicies: ['OldestInstance', 'Default'], LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0', LaunchTemplateName: 'web', Version: '$Latest' },
    Tags: [{ ResourceId: 'web', ResourceType: 'auto-scaling-group', Key: 'Team', Value: 'web', PropagateAtLaunch: true }],
  }));
  await asg.send(new PutScalingPolicyCommand({
    AutoScalingGroupName: 'web', PolicyName: 'web-cpu', PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity', EstimatedInstanceWarmup: 60,
    StepAdjustments: [{ ScalingAdjustment: 1, MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20 }, { ScalingAdjustment: 2, MetricIntervalLowerBound: 20 }],
  }));
});

after(async () => {
  await env?.sandbox.stop();
});

contractTests({
  title: 'aws_autoscaling_group and aws_autoscaling_policy',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_autoscaling_group.web max_size', change: () => asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', MaxSize: 6 })) },
    { drift: 'aws_autoscaling_group.web health_check_grace_period', change: () => asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', HealthCheckGracePeriod: 30 })) },
    // AWS derives the zones from the subnets (availability_zones is computed; state records both).
    { drift: ['aws_autoscaling_group.web vpc_zone_identifier', 'aws_autoscaling_group.web availability_zones'], change: () => asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', VPCZoneIdentifier: SUBNETS[0] })) },
    { drift: 'aws_autoscaling_group.web termination_policies', change: () => asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', TerminationPolicies: ['Default', 'OldestInstance'] })) },
    { drift: 'aws_autoscaling_group.web suspended_processes', change: () => asg.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'web', ScalingProcesses: ['AZRebalance'] })) },
    { drift: 'aws_autoscaling_group.web launch_template', change: () => asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0', LaunchTemplateName: 'web', Version: '3' } })) },
    { drift: 'aws_autoscaling_group.web tag', change: () => asg.send(new CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: 'web', ResourceType: 'auto-scaling-group', Key: 'Team', Value: 'hotfix', PropagateAtLaunch: true }] })) },
    { drift: 'aws_autoscaling_policy.web_cpu step_adjustment', change: () => asg.send(new PutScalingPolicyCommand({
      AutoScalingGroupName: 'web', PolicyName: 'web-cpu', PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity', EstimatedInstanceWarmup: 60,
      StepAdjustments: [{ ScalingAdjustment: 3, MetricIntervalLowerBound: 0 }],
    })) },
  ],
});

test('one DescribeAutoScalingGroups and one DescribePolicies call serve every object; a deleted group is missing', async () => {
  await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'gone', MinSize: 0, MaxSize: 1, VPCZoneIdentifier: SUBNETS[0], LaunchTemplate: { LaunchTemplateName: 'web' } }));
  await asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'gone' }));
  env.sandbox.resetStats();
  const snapshot = await readLive(env.clients, [...state(), group('gone', { id: 'gone', name: 'gone', desired_capacity: 0 })], { declared: false });
  assert.equal(env.sandbox.stats()['autoscaling:DescribeAutoScalingGroups'], 1);
  assert.equal(env.sandbox.stats()['autoscaling:DescribePolicies'], 1);
  assert.equal(snapshot.get('aws_autoscaling_group.gone')?.status, 'missing');
});

const HCL = `resource "aws_autoscaling_group" "web" {
  name                = "web"
  min_size            = 1
  max_size            = 4
  desired_capacity    = 2
  vpc_zone_identifier = ["${SUBNETS[0]}", "${SUBNETS[1]}"]
}
`;

/** The group's launch_template drift when the block names the template as given (id or name, and version). */
async function launchTemplateDrift(template: string): Promise<string[]> {
  const hcl = HCL.replace(/\n}\n$/, `\n  launch_template {\n${template}\n  }\n}\n`);
  const snapshot = await readLive(env.clients, state().slice(0, 1), { declared: false });
  const entry = snapshot.get('aws_autoscaling_group.web');
  assert.equal(entry?.status, 'found');
  const r = await diff({ files: { 'main.tf': hcl }, state: state().slice(0, 1), live: entry.status === 'found' ? [entry.resource] : [] });
  return r.drifts.filter((d) => d.attributePath[0] === 'launch_template').map((d) => JSON.stringify(d.declared));
}

test('a launch template named by its id alone or its name alone is the live one (AWS reports both; the other is computed); another template is drift', async () => {
  assert.deepEqual(await launchTemplateDrift('    id      = "lt-0123456789abcdef0"\n    version = "$Latest"'), []);
  assert.deepEqual(await launchTemplateDrift('    name    = "web"\n    version = "$Latest"'), []);
  assert.equal((await launchTemplateDrift('    id      = "lt-0fedcba9876543210"\n    version = "$Latest"')).length, 1);
  assert.equal((await launchTemplateDrift('    name    = "batch"\n    version = "$Latest"')).length, 1);
});

async function desiredCapacityDrift() {
  const snapshot = await readLive(env.clients, state().slice(0, 1), { declared: false });
  const entry = snapshot.get('aws_autoscaling_group.web');
  assert.equal(entry?.status, 'found');
  const r = await diff({ files: { 'main.tf': HCL }, state: state().slice(0, 1), live: entry.status === 'found' ? [entry.resource] : [] });
  return r.drifts.filter((d) => d.attributePath[0] === 'desired_capacity');
}

test('a desired capacity a scaling policy moved is a hint naming the policy, not drift', async () => {
  await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 3 }));
  try {
    const [d] = await desiredCapacityDrift();
    assert.equal(d?.severity, 'hint');
    assert.equal(d?.suppressed?.source, 'aws');
    assert.match(d?.suppressed?.reason ?? '', /StepScaling policy web-cpu sets the desired capacity/);
  } finally {
    await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 2 }));
  }
});

test('a desired capacity a scheduled action owns is a hint; with neither policy nor schedule it is drift', async () => {
  await asg.send(new DeletePolicyCommand({ AutoScalingGroupName: 'web', PolicyName: 'web-cpu' }));
  await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 3 }));
  try {
    const [plain] = await desiredCapacityDrift();
    assert.equal(plain?.suppressed, undefined, 'no policy or schedule: the capacity change is drift');
    assert.notEqual(plain?.severity, 'hint');
    await asg.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'web', ScheduledActionName: 'business-hours', Recurrence: '0 8 * * 1-5', DesiredCapacity: 3 }));
    const [scheduled] = await desiredCapacityDrift();
    assert.equal(scheduled?.severity, 'hint');
    assert.match(scheduled?.suppressed?.reason ?? '', /scheduled action business-hours/);
  } finally {
    await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 2 }));
  }
});

test('the sandbox answers Auto Scaling with AWS\'s error codes and records writes in CloudTrail', async () => {
  await assert.rejects(asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', MinSize: 0, MaxSize: 1, VPCZoneIdentifier: SUBNETS[0], LaunchTemplate: { LaunchTemplateName: 'web' } })), { name: 'AlreadyExistsFault' });
  await assert.rejects(asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'nope', MaxSize: 2 })), { name: 'ValidationError' });
  await assert.rejects(asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', MinSize: 5, MaxSize: 2 })), { name: 'ValidationError' });
  await assert.rejects(asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'x', MinSize: 0, MaxSize: 1, VPCZoneIdentifier: 'subnet-nope', LaunchTemplate: { LaunchTemplateName: 'web' } })), { name: 'ValidationError' });
  const updates = env.sandbox.world.events.filter((e) => e.eventSource === 'autoscaling.amazonaws.com' && e.eventName === 'UpdateAutoScalingGroup');
  assert.ok(updates.some((e) => e.resources.some((r) => r.name === 'web')), 'UpdateAutoScalingGroup names the group');
  assert.ok(RESOURCE_TYPES.has('aws_autoscaling_policy'));
});
