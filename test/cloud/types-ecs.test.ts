// aws_ecs_cluster, aws_ecs_cluster_capacity_providers, aws_ecs_service, aws_ecs_task_definition,
// aws_appautoscaling_target and aws_appautoscaling_policy against the sandbox with the real SDK:
// the per-type contract; one DescribeClusters serves both cluster types, DescribeServices takes 10 a
// call; a desired count service auto scaling moved is a hint naming the target (without a target it
// is drift); deleted objects are missing; the sandbox's ECS and Application Auto Scaling error codes
// and CloudTrail records.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApplicationAutoScalingClient, DeregisterScalableTargetCommand, PutScalingPolicyCommand, RegisterScalableTargetCommand, TagResourceCommand as TagTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CreateClusterCommand, CreateServiceCommand, DeleteServiceCommand, DeregisterTaskDefinitionCommand, DescribeServicesCommand, ECSClient, PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand, TagResourceCommand, UpdateClusterSettingsCommand, UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { StateInstance } from '../../server/src/model';
import { containerDefinitions } from '../../server/src/cloud/types/aws_ecs_task_definition';
import { diff } from '../drift/helpers';
import { contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let ecs: ECSClient;
let scaling: ApplicationAutoScalingClient;

const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
const SG = 'sg-0a1b2c3d4e5f60a01';
const ids = { cluster: '', service: '', taskDefinition: '', target: '' };
const CONTAINERS = [{ name: 'web', image: 'nginx:1.27', memory: 512, portMappings: [{ containerPort: 80 }], environment: [{ name: 'MODE', value: 'prod' }, { name: 'A', value: '1' }] }];
const RESOURCE_ID = 'service/apps/web';

/** As the AWS provider v5 records them after apply (container_definitions as the provider writes it: AWS's defaults stripped). */
const state = (): StateInstance[] => [
  inst('aws_ecs_cluster', 'apps', {
    id: ids.cluster, arn: ids.cluster, name: 'apps', setting: [{ name: 'containerInsights', value: 'enabled' }], configuration: [], service_connect_defaults: [],
    tags: { Team: 'apps' }, tags_all: { Team: 'apps' },
  }),
  inst('aws_ecs_cluster_capacity_providers', 'apps', {
    id: 'apps', cluster_name: 'apps', capacity_providers: ['FARGATE', 'FARGATE_SPOT'],
    default_capacity_provider_strategy: [{ capacity_provider: 'FARGATE', weight: 1, base: 1 }],
  }),
  inst('aws_ecs_task_definition', 'web', {
    id: 'web', arn: ids.taskDefinition, family: 'web', revision: 1, cpu: '256', memory: '512', network_mode: 'awsvpc', requires_compatibilities: ['FARGATE'],
    container_definitions: JSON.stringify([{ environment: [{ name: 'A', value: '1' }, { name: 'MODE', value: 'prod' }], image: 'nginx:1.27', memory: 512, name: 'web', portMappings: [{ containerPort: 80 }] }]),
    execution_role_arn: '', task_role_arn: '', tags: { Team: 'apps' }, tags_all: { Team: 'apps' },
  }),
  inst('aws_ecs_service', 'web', {
    id: ids.service, name: 'web', cluster: ids.cluster, task_definition: ids.taskDefinition, desired_count: 2, launch_type: 'FARGATE', platform_version: 'LATEST',
    scheduling_strategy: 'REPLICA', deployment_maximum_percent: 200, deployment_minimum_healthy_percent: 50, enable_ecs_managed_tags: false, enable_execute_command: false,
    propagate_tags: 'NONE', deployment_circuit_breaker: [{ enable: true, rollback: true }],
    network_configuration: [{ subnets: SUBNETS, security_groups: [SG], assign_public_ip: false }], load_balancer: [], capacity_provider_strategy: [],
    tags: { Team: 'apps' }, tags_all: { Team: 'apps' },
  }),
  inst('aws_appautoscaling_target', 'web', {
    id: RESOURCE_ID, resource_id: RESOURCE_ID, service_namespace: 'ecs', scalable_dimension: 'ecs:service:DesiredCount', min_capacity: 2, max_capacity: 8,
    role_arn: `arn:aws:iam::${env.sandbox.accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
    arn: ids.target, tags: {}, tags_all: {},
  }),
  inst('aws_appautoscaling_policy', 'web_cpu', {
    id: 'web-cpu', name: 'web-cpu', resource_id: RESOURCE_ID, service_namespace: 'ecs', scalable_dimension: 'ecs:service:DesiredCount', policy_type: 'TargetTrackingScaling',
    target_tracking_scaling_policy_configuration: [{
      target_value: 60, disable_scale_in: false, scale_in_cooldown: 300, scale_out_cooldown: 60,
      predefined_metric_specification: [{ predefined_metric_type: 'ECSServiceAverageCPUUtilization', resource_label: '' }], customized_metric_specification: [],
    }],
    step_scaling_policy_configuration: [],
  }),
];

const putPolicy = (target: number) => scaling.send(new PutScalingPolicyCommand({
  PolicyName: 'web-cpu', ServiceNamespace: 'ecs', ResourceId: RESOURCE_ID, ScalableDimension: 'ecs:service:DesiredCount', PolicyType: 'TargetTrackingScaling',
  TargetTrackingScalingPolicyConfiguration: { TargetValue: target, ScaleInCooldown: 300, ScaleOutCooldown: 60, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
}));

before(async () => {
  env = await startTypeSandbox(['ecs:*', 'application-autoscaling:*']);
  ecs = new ECSClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  scaling = new ApplicationAutoScalingClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  const cluster = await ecs.send(new CreateClusterCommand({
    clusterName: 'apps', settings: [{ name: 'containerInsights', value: 'enabled' }], capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 1 }], tags: [{ key: 'Team', value: 'apps' }],
  }));
  ids.cluster = cluster.cluster!.clusterArn!;
  const td = await ecs.send(new RegisterTaskDefinitionCommand({
    family: 'web', cpu: '256', memory: '512', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], containerDefinitions: CONTAINERS, tags: [{ key: 'Team', value: 'apps' }],
  }));
  ids.taskDefinition = td.taskDefinition!.taskDefinitionArn!;
  const service = await ecs.send(new CreateServiceCommand({
    cluster: 'apps', serviceName: 'web', taskDefinition: ids.taskDefinition, desiredCount: 2, launchType: 'FARGATE',
    deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: true } },
    networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: [SG], assignPublicIp: 'DISABLED' } }, tags: [{ key: 'Team', value: 'apps' }],
  }));
  ids.service = service.service!.serviceArn!;
  ids.target = (await scaling.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: RESOURCE_ID, ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 2, MaxCapacity: 8 }))).ScalableTargetARN!;
  await putPolicy(60);
});

after(async () => {
  await env?.sandbox.stop();
});

contractTests({
  title: 'the ECS and Application Auto Scaling types',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_ecs_cluster.apps setting', change: () => ecs.send(new UpdateClusterSettingsCommand({ cluster: 'apps', settings: [{ name: 'containerInsights', value: 'disabled' }] })) },
    { drift: 'aws_ecs_cluster.apps tags', change: () => ecs.send(new TagResourceCommand({ resourceArn: ids.cluster, tags: [{ key: 'Team', value: 'hotfix' }] })) },
    { drift: 'aws_ecs_cluster_capacity_providers.apps default_capacity_provider_strategy', change: () => ecs.send(new PutClusterCapacityProvidersCommand({
      cluster: 'apps', capacityProviders: ['FARGATE', 'FARGATE_SPOT'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    })) },
    { drift: 'aws_ecs_service.web deployment_minimum_healthy_percent', change: () => ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'web', deploymentConfiguration: { minimumHealthyPercent: 100 } })) },
    { drift: 'aws_ecs_service.web network_configuration', change: () => ecs.send(new UpdateServiceCommand({
      cluster: 'apps', service: 'web', networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: [SG], assignPublicIp: 'ENABLED' } },
    })) },
    { drift: 'aws_ecs_service.web enable_execute_command', change: () => ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'web', enableExecuteCommand: true })) },
    { drift: 'aws_ecs_task_definition.web tags', change: () => ecs.send(new TagResourceCommand({ resourceArn: ids.taskDefinition, tags: [{ key: 'Owner', value: 'carol' }] })) },
    { drift: 'aws_appautoscaling_target.web max_capacity', change: () => scaling.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: RESOURCE_ID, ScalableDimension: 'ecs:service:DesiredCount', MaxCapacity: 20 })) },
    { drift: 'aws_appautoscaling_target.web tags', change: () => scaling.send(new TagTargetCommand({ ResourceARN: ids.target, Tags: { Team: 'apps' } })) },
    { drift: 'aws_appautoscaling_policy.web_cpu target_tracking_scaling_policy_configuration', change: () => putPolicy(75) },
  ],
});

test('one DescribeClusters serves both cluster types; DescribeServices takes 10 services a call; a deleted service and a deregistered revision are missing', async () => {
  const more = Array.from({ length: 11 }, (_, i) => `extra-${i}`);
  for (const name of more) await ecs.send(new CreateServiceCommand({ cluster: 'apps', serviceName: name, taskDefinition: ids.taskDefinition, launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS } } }));
  await ecs.send(new DeleteServiceCommand({ cluster: 'apps', service: 'extra-0' }));
  const td2 = (await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', cpu: '256', memory: '512', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], containerDefinitions: CONTAINERS }))).taskDefinition!.taskDefinitionArn!;
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: td2 }));
  env.sandbox.resetStats();
  const extra = more.map((name) => inst('aws_ecs_service', name.replace('-', '_'), { id: `${ids.cluster.replace(':cluster/', ':service/')}/${name}`, name, cluster: ids.cluster, desired_count: 0 }));
  const snapshot = await readLive(env.clients, [...state(), ...extra, inst('aws_ecs_task_definition', 'old', { id: 'web', arn: td2, family: 'web' })], { declared: false });
  const stats = env.sandbox.stats();
  assert.equal(stats['ecs:DescribeClusters'], 1);
  assert.equal(stats['ecs:DescribeServices'], 2, '12 services in one cluster: two calls of at most 10');
  assert.equal(snapshot.get('aws_ecs_service.extra_0')?.status, 'missing');
  assert.equal(snapshot.get('aws_ecs_service.extra_1')?.status, 'found');
  assert.equal(snapshot.get('aws_ecs_task_definition.old')?.status, 'missing');
});

const HCL = `resource "aws_ecs_service" "web" {
  name          = "web"
  cluster       = "apps"
  desired_count = 2
}
`;

async function desiredCountDrift() {
  const instances = state().filter((i) => i.type === 'aws_ecs_service');
  const snapshot = await readLive(env.clients, instances, { declared: false });
  const entry = snapshot.get('aws_ecs_service.web');
  assert.equal(entry?.status, 'found');
  const r = await diff({ files: { 'main.tf': HCL }, state: instances, live: entry.status === 'found' ? [entry.resource] : [] });
  return r.drifts.filter((d) => d.attributePath[0] === 'desired_count');
}

test('a desired count service auto scaling moved is a hint naming the scalable target; without a target it is drift', async () => {
  await ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'web', desiredCount: 5 }));
  try {
    const [owned] = await desiredCountDrift();
    assert.equal(owned?.severity, 'hint');
    assert.equal(owned?.suppressed?.source, 'aws');
    assert.match(owned?.suppressed?.reason ?? '', /service auto scaling \(the scalable target service\/apps\/web\)/);
    await scaling.send(new DeregisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: RESOURCE_ID, ScalableDimension: 'ecs:service:DesiredCount' }));
    const [plain] = await desiredCountDrift();
    assert.equal(plain?.suppressed, undefined, 'no scalable target: the count change is drift');
    assert.notEqual(plain?.severity, 'hint');
  } finally {
    await ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'web', desiredCount: 2 }));
  }
});

test('container definitions compare like the provider: AWS-filled defaults and environment order are not drift, a changed image is', () => {
  const registered = JSON.stringify([{ ...CONTAINERS[0], essential: true, cpu: 0, mountPoints: [], volumesFrom: [], systemControls: [], portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }] }]);
  assert.equal(containerDefinitions(registered), containerDefinitions(JSON.stringify(CONTAINERS)));
  assert.notEqual(containerDefinitions(registered), containerDefinitions(JSON.stringify([{ ...CONTAINERS[0], image: 'nginx:latest' }])));
});

test('the sandbox answers ECS and Application Auto Scaling with AWS\'s error codes and records writes in CloudTrail', async () => {
  await assert.rejects(ecs.send(new UpdateServiceCommand({ cluster: 'nope', service: 'web', desiredCount: 1 })), { name: 'ClusterNotFoundException' });
  await assert.rejects(ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'nope', desiredCount: 1 })), { name: 'ServiceNotFoundException' });
  await assert.rejects(ecs.send(new DescribeServicesCommand({ cluster: 'apps', services: Array.from({ length: 11 }, (_, i) => `s${i}`) })), { name: 'InvalidParameterException' });
  await assert.rejects(scaling.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/apps/nope', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 2 })), { name: 'ValidationException' });
  await assert.rejects(scaling.send(new DeregisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/apps/nope', ScalableDimension: 'ecs:service:DesiredCount' })), { name: 'ObjectNotFoundException' });
  const updates = env.sandbox.world.events.filter((e) => e.eventSource === 'ecs.amazonaws.com' && e.eventName === 'UpdateService');
  assert.ok(updates.some((e) => e.resources.some((r) => r.name === 'web')), 'UpdateService names the service');
  assert.ok(env.sandbox.world.events.some((e) => e.eventSource === 'application-autoscaling.amazonaws.com' && e.eventName === 'RegisterScalableTarget'));
});
