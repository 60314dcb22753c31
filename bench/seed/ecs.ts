// ECS: one unit is a cluster with its Fargate capacity providers, a task definition, a service
// running it in the backing subnets, and the service's Application Auto Scaling target with a
// target-tracking policy.
import { ApplicationAutoScalingClient, PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { clientFor, tagsFor, type Seeder } from './seeder';
import { backingNetwork } from './backing';
import { pages, pick, ref, resourceBlock, slug, TEAMS } from './block-text';

const ecsTags = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));

export const ecsSeeder: Seeder = {
  family: 'ecs',
  types: ['aws_ecs_cluster', 'aws_ecs_cluster_capacity_providers', 'aws_ecs_task_definition', 'aws_ecs_service', 'aws_appautoscaling_target', 'aws_appautoscaling_policy'],
  readActions: [
    'ecs:DescribeClusters', 'ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'ecs:ListTagsForResource',
    'application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingPolicies', 'application-autoscaling:ListTagsForResource',
  ],

  async seedUnit(target, suffix, random) {
    const ecs = clientFor(ECSClient, target);
    const scaling = clientFor(ApplicationAutoScalingClient, target);
    const net = await backingNetwork(target);
    const s = slug(suffix);
    const team = pick(TEAMS, random);
    const subnets = net.subnetIds.slice(0, 2);

    const clusterName = `bench-${team}-${s}`;
    const clusterTags = tagsFor(clusterName, { Team: team });
    const insights = random() < 0.5 ? 'enabled' : 'disabled';
    const clusterArn = (await ecs.send(new CreateClusterCommand({
      clusterName, settings: [{ name: 'containerInsights', value: insights }], capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 1 }], tags: ecsTags(clusterTags.tagsAll),
    }))).cluster!.clusterArn!;

    const family = `bench-${s}`;
    const image = `nginx:1.2${Math.floor(random() * 8)}`;
    const memory = pick([512, 1024], random);
    const tdTags = tagsFor(family, { Team: team });
    const taskDefinitionArn = (await ecs.send(new RegisterTaskDefinitionCommand({
      family, cpu: '256', memory: String(memory), networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [{ name: 'web', image, memory, portMappings: [{ containerPort: 80 }], environment: [{ name: 'TEAM', value: team }] }], tags: ecsTags(tdTags.tagsAll),
    }))).taskDefinition!.taskDefinitionArn!;
    // As the provider writes container_definitions: AWS's filled-in defaults stripped, keys sorted.
    const containers = JSON.stringify([{ environment: [{ name: 'TEAM', value: team }], image, memory, name: 'web', portMappings: [{ containerPort: 80 }] }]);

    const serviceName = 'web';
    const desired = 2;
    const serviceTags = tagsFor(`${clusterName}-web`, { Team: team });
    const serviceArn = (await ecs.send(new CreateServiceCommand({
      cluster: clusterName, serviceName, taskDefinition: taskDefinitionArn, desiredCount: desired, launchType: 'FARGATE',
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: true } },
      networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups: [net.securityGroupId], assignPublicIp: 'DISABLED' } }, tags: ecsTags(serviceTags.tagsAll),
    }))).service!.serviceArn!;

    const resourceId = `service/${clusterName}/${serviceName}`;
    const targetTags = tagsFor(`${clusterName}-web-scaling`, { Team: team });
    const max = 4 + Math.floor(random() * 12);
    const scalableTargetArn = (await scaling.send(new RegisterScalableTargetCommand({
      ServiceNamespace: 'ecs', ResourceId: resourceId, ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: desired, MaxCapacity: max, Tags: targetTags.tagsAll,
    }))).ScalableTargetARN!;
    const policyName = `${clusterName}-cpu`;
    const cpuTarget = pick([50, 60, 70], random);
    const policyArn = (await scaling.send(new PutScalingPolicyCommand({
      PolicyName: policyName, ServiceNamespace: 'ecs', ResourceId: resourceId, ScalableDimension: 'ecs:service:DesiredCount', PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: cpuTarget, ScaleInCooldown: 300, ScaleOutCooldown: 60, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
    }))).PolicyARN ?? '';

    const n = { cluster: `ecs_${suffix}`, providers: `ecs_providers_${suffix}`, td: `task_${suffix}`, service: `service_${suffix}`, target: `service_scaling_${suffix}`, policy: `service_cpu_${suffix}` };
    const roleArn = `arn:aws:iam::${target.account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`;
    return [
      {
        type: 'aws_ecs_cluster', name: n.cluster,
        hcl: resourceBlock('aws_ecs_cluster', n.cluster, [['name', clusterName], { block: 'setting', body: [['name', 'containerInsights'], ['value', insights]] }, ['tags', clusterTags.tags]]),
        attributes: {
          id: clusterArn, arn: clusterArn, name: clusterName, setting: [{ name: 'containerInsights', value: insights }], configuration: [], service_connect_defaults: [],
          tags: clusterTags.tags, tags_all: clusterTags.tagsAll,
        },
      },
      {
        type: 'aws_ecs_cluster_capacity_providers', name: n.providers,
        hcl: resourceBlock('aws_ecs_cluster_capacity_providers', n.providers, [
          ['cluster_name', ref(`aws_ecs_cluster.${n.cluster}.name`)], ['capacity_providers', ['FARGATE', 'FARGATE_SPOT']],
          { block: 'default_capacity_provider_strategy', body: [['capacity_provider', 'FARGATE'], ['weight', 1], ['base', 1]] },
        ]),
        attributes: {
          id: clusterName, cluster_name: clusterName, capacity_providers: ['FARGATE', 'FARGATE_SPOT'],
          default_capacity_provider_strategy: [{ capacity_provider: 'FARGATE', weight: 1, base: 1 }],
        },
        dependencies: [`aws_ecs_cluster.${n.cluster}`],
      },
      {
        type: 'aws_ecs_task_definition', name: n.td,
        hcl: resourceBlock('aws_ecs_task_definition', n.td, [
          ['family', family], ['cpu', '256'], ['memory', String(memory)], ['network_mode', 'awsvpc'], ['requires_compatibilities', ['FARGATE']],
          ['container_definitions', containers], ['tags', tdTags.tags],
        ]),
        attributes: {
          id: family, arn: taskDefinitionArn, arn_without_revision: taskDefinitionArn.replace(/:\d+$/, ''), family, revision: 1, cpu: '256', memory: String(memory),
          network_mode: 'awsvpc', requires_compatibilities: ['FARGATE'], container_definitions: containers, execution_role_arn: '', task_role_arn: '',
          skip_destroy: false, track_latest: false, tags: tdTags.tags, tags_all: tdTags.tagsAll,
        },
      },
      {
        type: 'aws_ecs_service', name: n.service,
        hcl: resourceBlock('aws_ecs_service', n.service, [
          ['name', serviceName], ['cluster', ref(`aws_ecs_cluster.${n.cluster}.id`)], ['task_definition', ref(`aws_ecs_task_definition.${n.td}.arn`)], ['desired_count', desired],
          ['launch_type', 'FARGATE'], ['deployment_maximum_percent', 200], ['deployment_minimum_healthy_percent', 50],
          { block: 'deployment_circuit_breaker', body: [['enable', true], ['rollback', true]] },
          { block: 'network_configuration', body: [['subnets', subnets], ['security_groups', [net.securityGroupId]], ['assign_public_ip', false]] },
          ['tags', serviceTags.tags],
        ]),
        attributes: {
          id: serviceArn, name: serviceName, cluster: clusterArn, task_definition: taskDefinitionArn, desired_count: desired, launch_type: 'FARGATE', platform_version: 'LATEST',
          scheduling_strategy: 'REPLICA', deployment_maximum_percent: 200, deployment_minimum_healthy_percent: 50, enable_ecs_managed_tags: false, enable_execute_command: false,
          propagate_tags: 'NONE', deployment_circuit_breaker: [{ enable: true, rollback: true }],
          network_configuration: [{ subnets, security_groups: [net.securityGroupId], assign_public_ip: false }], load_balancer: [], capacity_provider_strategy: [],
          tags: serviceTags.tags, tags_all: serviceTags.tagsAll,
        },
        dependencies: [`aws_ecs_cluster.${n.cluster}`, `aws_ecs_task_definition.${n.td}`],
      },
      {
        type: 'aws_appautoscaling_target', name: n.target,
        hcl: resourceBlock('aws_appautoscaling_target', n.target, [
          ['service_namespace', 'ecs'], ['resource_id', resourceId], ['scalable_dimension', 'ecs:service:DesiredCount'], ['min_capacity', desired], ['max_capacity', max],
          ['tags', targetTags.tags],
        ]),
        attributes: {
          id: resourceId, resource_id: resourceId, service_namespace: 'ecs', scalable_dimension: 'ecs:service:DesiredCount', min_capacity: desired, max_capacity: max,
          role_arn: roleArn, arn: scalableTargetArn, suspended_state: [], tags: targetTags.tags, tags_all: targetTags.tagsAll,
        },
        dependencies: [`aws_ecs_service.${n.service}`],
      },
      {
        type: 'aws_appautoscaling_policy', name: n.policy,
        hcl: resourceBlock('aws_appautoscaling_policy', n.policy, [
          ['name', policyName], ['policy_type', 'TargetTrackingScaling'], ['resource_id', ref(`aws_appautoscaling_target.${n.target}.resource_id`)],
          ['scalable_dimension', ref(`aws_appautoscaling_target.${n.target}.scalable_dimension`)], ['service_namespace', ref(`aws_appautoscaling_target.${n.target}.service_namespace`)],
          { block: 'target_tracking_scaling_policy_configuration', body: [
            ['target_value', cpuTarget], ['scale_in_cooldown', 300], ['scale_out_cooldown', 60],
            { block: 'predefined_metric_specification', body: [['predefined_metric_type', 'ECSServiceAverageCPUUtilization']] },
          ] },
        ]),
        attributes: {
          id: policyName, name: policyName, arn: policyArn,
          resource_id: resourceId, service_namespace: 'ecs', scalable_dimension: 'ecs:service:DesiredCount', policy_type: 'TargetTrackingScaling', alarm_arns: [],
          target_tracking_scaling_policy_configuration: [{
            target_value: cpuTarget, disable_scale_in: false, scale_in_cooldown: 300, scale_out_cooldown: 60,
            predefined_metric_specification: [{ predefined_metric_type: 'ECSServiceAverageCPUUtilization', resource_label: '' }], customized_metric_specification: [],
          }],
          step_scaling_policy_configuration: [],
        },
        dependencies: [`aws_appautoscaling_target.${n.target}`],
      },
    ];
  },

  lowerBound(byType) {
    return {
      // 100 clusters a call, capacity providers in the same answer.
      'ecs:DescribeClusters': pages(byType.aws_ecs_cluster ?? byType.aws_ecs_cluster_capacity_providers, 100),
      // 10 services a call within one cluster (each seeded cluster runs one service).
      'ecs:DescribeServices': byType.aws_ecs_service ?? 0,
      // ECS has no batch read of task definitions: one call per revision.
      'ecs:DescribeTaskDefinition': byType.aws_ecs_task_definition ?? 0,
      // Application Auto Scaling pages 50 targets and 50 policies per call (all seeded ones are in the ecs namespace).
      'application-autoscaling:DescribeScalableTargets': pages(byType.aws_appautoscaling_target, 50),
      'application-autoscaling:DescribeScalingPolicies': pages(byType.aws_appautoscaling_policy, 50),
      // A scalable target's tags: one ListTagsForResource each (no batch read; the Tagging API the check pages does not list them).
      'application-autoscaling:ListTagsForResource': byType.aws_appautoscaling_target ?? 0,
    };
  },
};
