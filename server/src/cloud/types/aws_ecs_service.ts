// aws_ecs_service ↔ ECS DescribeServices, 10 services a call per cluster (tags included); a service
// AWS does not know comes back as a MISSING failure, and a deleted one as INACTIVE: both are missing.
//
// Values AWS changes on its own: `desired_count` under service auto scaling. Application Auto
// Scaling sets the count whenever its policies act; the provider documents this (its docs tell users
// of service auto scaling to ignore desired_count changes). Tidemark looks up the service's scalable
// target — only for services whose count differs from what Terraform recorded, 50 a call — and when
// one exists reports the difference as a hint naming it, never as drift.
import {
  AssignPublicIp, DescribeServicesCommand, PropagateTags, Service, ServiceField, UpdateServiceCommand, UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type { Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { clusterName } from '../families/ecs-clusters';
import { blocksOf, firstBlock, stringsOf } from './blocks';
import { bool, cannotRevert, chunk, failureText, foundEntry, missingEntry, num, perTarget, str, unknownEntry } from './common';
import { ecsTagMap, revertEcsTags } from './aws_ecs_cluster';
import { scalableTargets } from './aws_appautoscaling_target';
import type { ResourceType, RevertOutcome } from './resource-type';

const SERVICES_PER_CALL = 10;

/** A task definition as `family:revision`, whether given by ARN or not. */
const taskDefinition = (v: Known): Known => (typeof v === 'string' ? v.replace(/^arn:aws[\w-]*:ecs:[^:]*:\d{12}:task-definition\//, '') : v);

/** `network_configuration { subnets security_groups assign_public_ip }`; assign_public_ip defaults to false. */
function networkAtoms(v: Known): Known {
  const b = firstBlock(v);
  if (!b) return [];
  return [`subnets ${stringsOf(b.subnets).sort().join(',')}`, `security groups ${stringsOf(b.security_groups).sort().join(',')}`, `public IP ${bool(b.assign_public_ip as Known) === true}`];
}

const loadBalancerAtoms = (v: Known): Known => blocksOf(v).map((l) => `${str(l.target_group_arn) ?? str(l.elb_name) ?? ''} → ${String(l.container_name)}:${num(l.container_port as Known)}`);
const strategyAtoms = (v: Known): Known => blocksOf(v).map((s) => `${String(s.capacity_provider)} weight ${num(s.weight as Known) ?? 0} base ${num(s.base as Known) ?? 0}`);
function breakerAtoms(v: Known): Known {
  const b = firstBlock(v);
  return b ? [`enable ${bool(b.enable as Known) === true}`, `rollback ${bool(b.rollback as Known) === true}`] : [];
}

function clusterOf(attributes: Record<string, unknown>): string | undefined {
  const c = str(attributes.cluster);
  return c ? clusterName(c) : undefined;
}

function liveAttributes(s: Service): Record<string, unknown> {
  const n = s.networkConfiguration?.awsvpcConfiguration;
  const d = s.deploymentConfiguration;
  return {
    name: s.serviceName,
    cluster: s.clusterArn,
    task_definition: s.taskDefinition ?? '',
    desired_count: s.desiredCount ?? 0,
    launch_type: s.launchType ?? '',
    platform_version: s.platformVersion ?? '',
    scheduling_strategy: s.schedulingStrategy ?? 'REPLICA',
    deployment_maximum_percent: d?.maximumPercent ?? 200,
    deployment_minimum_healthy_percent: d?.minimumHealthyPercent ?? 100,
    deployment_circuit_breaker: d?.deploymentCircuitBreaker ? [{ enable: d.deploymentCircuitBreaker.enable ?? false, rollback: d.deploymentCircuitBreaker.rollback ?? false }] : [],
    enable_ecs_managed_tags: s.enableECSManagedTags ?? false,
    enable_execute_command: s.enableExecuteCommand ?? false,
    propagate_tags: s.propagateTags ?? 'NONE',
    health_check_grace_period_seconds: s.healthCheckGracePeriodSeconds ?? 0,
    network_configuration: n ? [{ subnets: n.subnets ?? [], security_groups: n.securityGroups ?? [], assign_public_ip: n.assignPublicIp === 'ENABLED' }] : [],
    load_balancer: (s.loadBalancers ?? []).map((l) => ({ target_group_arn: l.targetGroupArn ?? '', elb_name: l.loadBalancerName ?? '', container_name: l.containerName ?? '', container_port: l.containerPort ?? 0 })),
    capacity_provider_strategy: (s.capacityProviderStrategy ?? []).map((c) => ({ capacity_provider: c.capacityProvider, weight: c.weight ?? 0, base: c.base ?? 0 })),
    tags: ecsTagMap(s.tags),
  };
}

export const awsEcsService: ResourceType = {
  type: 'aws_ecs_service',
  tags: true,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'task_definition', compare: 'scalar', normalize: taskDefinition, severity: 'warning' },
    { name: 'desired_count', compare: 'scalar' },
    { name: 'launch_type', compare: 'scalar', forceNew: true },
    { name: 'platform_version', compare: 'scalar' },
    { name: 'scheduling_strategy', compare: 'scalar', default: 'REPLICA', forceNew: true },
    { name: 'deployment_maximum_percent', compare: 'scalar', default: 200 },
    { name: 'deployment_minimum_healthy_percent', compare: 'scalar', default: 100 },
    { name: 'deployment_circuit_breaker', compare: 'blocks', normalize: breakerAtoms },
    { name: 'enable_ecs_managed_tags', compare: 'scalar', default: false },
    { name: 'enable_execute_command', compare: 'scalar', default: false, severity: 'warning' },
    { name: 'propagate_tags', compare: 'scalar', default: 'NONE' },
    { name: 'health_check_grace_period_seconds', compare: 'scalar' },
    { name: 'network_configuration', compare: 'blocks', normalize: networkAtoms, severity: 'error' },
    { name: 'load_balancer', compare: 'blocks', normalize: loadBalancerAtoms, phrases: (v) => loadBalancerAtoms(v) as string[], severity: 'warning' },
    { name: 'capacity_provider_strategy', compare: 'blocks', normalize: strategyAtoms, phrases: (v) => strategyAtoms(v) as string[] },
  ],
  notCompared: {
    cluster: 'the service is read in the cluster the state names (ForceNew)',
    iam_role: 'fixed at creation (ForceNew)',
    deployment_controller: 'fixed at creation (ForceNew)',
    ordered_placement_strategy: 'not read yet',
    placement_constraints: 'not read yet',
    service_registries: 'not read yet',
    service_connect_configuration: 'not read yet',
    alarms: 'not read yet',
    force_new_deployment: 'a Terraform-side trigger, not a property of the service',
    wait_for_steady_state: 'a Terraform-side wait setting',
    triggers: 'a Terraform-side trigger',
  },
  idFromState: (a) => str(a.id) ?? str(a.name),
  idFromArn: (arn) => (/^arn:aws[\w-]*:ecs:[^:]*:\d{12}:service\/[^/]+\/[^/]+$/.test(arn) ? arn : undefined),
  importId: (live) => `${clusterName(String(live.attributes.cluster ?? ''))}/${String(live.attributes.name ?? '')}`,
  suggestName: (live) => String(live.attributes.name ?? 'service').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  async read(targets, ctx) {
    const byCluster = new Map<string, Set<string>>();
    for (const t of targets) {
      const cluster = clusterOf(t.state.attributes);
      const name = str(t.state.attributes.name);
      if (cluster && name) byCluster.set(cluster, (byCluster.get(cluster) ?? new Set()).add(name));
    }
    const services = new Map<string, Service>();
    const failed = new Map<string, string>();
    await Promise.all([...byCluster.entries()].flatMap(([cluster, names]) => chunk([...names], SERVICES_PER_CALL).map(async (group) => {
      try {
        const out = await ctx.clients.gate.call('ecs:DescribeServices', () =>
          ctx.clients.ecs.send(new DescribeServicesCommand({ cluster, services: group, include: [ServiceField.TAGS] })));
        for (const s of out.services ?? []) if (s.serviceName && s.status !== 'INACTIVE') services.set(`${cluster}/${s.serviceName}`, s);
      } catch (error) {
        const text = failureText(error);
        // A cluster that is gone takes its services with it.
        for (const n of group) failed.set(`${cluster}/${n}`, text);
      }
    })));
    // Service auto scaling owns desired_count: look up targets only for services whose count moved.
    const moved = targets.filter((t) => {
      const s = services.get(`${clusterOf(t.state.attributes)}/${String(t.state.attributes.name)}`);
      return s && num(t.state.attributes.desired_count as Known) !== s.desiredCount;
    });
    const resourceIdOf = (t: (typeof targets)[number]) => `service/${clusterOf(t.state.attributes)}/${String(t.state.attributes.name)}`;
    const scaling = moved.length
      ? await scalableTargets(ctx, moved.map((t) => ({ namespace: 'ecs', resourceId: resourceIdOf(t) })))
      : { byKey: new Map(), failed: new Map<string, string>() };
    return perTarget(targets, ctx, async (t) => {
      const cluster = clusterOf(t.state.attributes);
      const name = str(t.state.attributes.name);
      if (!cluster || !name) return unknownEntry(ctx, 'state records no cluster or name for this service');
      const why = failed.get(`${cluster}/${name}`);
      if (why) return /ClusterNotFound/.test(why) ? missingEntry(ctx, t.id, `ECS cluster ${cluster} does not exist`) : unknownEntry(ctx, why);
      const s = services.get(`${cluster}/${name}`);
      if (!s) return missingEntry(ctx, t.id, `ECS service ${name} does not exist in cluster ${cluster}`);
      const entry = foundEntry(t, 'aws_ecs_service', ctx, liveAttributes(s), { arn: s.serviceArn, id: s.serviceArn ?? t.id });
      if (entry.status === 'found' && moved.includes(t)) {
        const resourceId = resourceIdOf(t);
        if (scaling.byKey.has(`ecs|${resourceId}|ecs:service:DesiredCount`)) {
          entry.resource.ownedAttributes = { desired_count: `service auto scaling (the scalable target ${resourceId}) sets the desired count, so AWS changes it on its own (add desired_count to lifecycle ignore_changes)` };
        } else if (scaling.failed.has(`ecs|${resourceId}`)) {
          entry.resource.unknownAttributes = { desired_count: `whether service auto scaling owns the count could not be read: ${scaling.failed.get(`ecs|${resourceId}`)}` };
        }
      }
      return entry;
    });
  },

  async revert(request, clients) {
    return revertService(request.attribute, request.declared, request.live.attributes, clients, request);
  },
};

async function revertService(attribute: string, declared: Known, live: Record<string, unknown>, clients: AwsClients, request: Parameters<ResourceType['revert']>[0]): Promise<RevertOutcome> {
  const base = { cluster: String(live.cluster), service: String(live.name) };
  const update = async (input: Omit<UpdateServiceCommandInput, 'cluster' | 'service'>, message: string): Promise<RevertOutcome> => {
    await clients.gate.call('ecs:UpdateService', () => clients.ecs.send(new UpdateServiceCommand({ ...base, ...input })));
    return { ok: true, message };
  };
  const deployment = (patch: Record<string, unknown>) => {
    const merged = { ...live, ...patch };
    const breaker = firstBlock(merged.deployment_circuit_breaker);
    return {
      maximumPercent: num(merged.deployment_maximum_percent as Known), minimumHealthyPercent: num(merged.deployment_minimum_healthy_percent as Known),
      ...(breaker ? { deploymentCircuitBreaker: { enable: bool(breaker.enable as Known) === true, rollback: bool(breaker.rollback as Known) === true } } : {}),
    };
  };
  switch (attribute) {
    case 'desired_count':
      return update({ desiredCount: num(declared) }, `desired count set to ${String(declared)}`);
    case 'task_definition':
      return update({ taskDefinition: String(declared) }, `task definition set to ${String(declared)}`);
    case 'platform_version':
      return update({ platformVersion: String(declared) }, `platform version set to ${String(declared)}`);
    case 'deployment_maximum_percent':
    case 'deployment_minimum_healthy_percent':
    case 'deployment_circuit_breaker':
      return update({ deploymentConfiguration: deployment({ [attribute]: declared }) }, `${attribute} restored`);
    case 'enable_ecs_managed_tags':
      return update({ enableECSManagedTags: bool(declared) === true }, `ECS managed tags ${bool(declared) ? 'enabled' : 'disabled'}`);
    case 'enable_execute_command':
      return update({ enableExecuteCommand: bool(declared) === true }, `execute command ${bool(declared) ? 'enabled' : 'disabled'}`);
    case 'propagate_tags':
      return update({ propagateTags: String(declared) as PropagateTags }, `tag propagation set to ${String(declared)}`);
    case 'health_check_grace_period_seconds':
      return update({ healthCheckGracePeriodSeconds: num(declared) }, `health check grace period set to ${String(declared)}`);
    case 'network_configuration': {
      const b = firstBlock(declared);
      if (!b) return { ok: false, message: 'declared network_configuration is not a block' };
      return update({ networkConfiguration: { awsvpcConfiguration: {
        subnets: stringsOf(b.subnets), securityGroups: stringsOf(b.security_groups), assignPublicIp: bool(b.assign_public_ip as Known) ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED,
      } } }, 'network configuration restored');
    }
    case 'load_balancer':
      return update({ loadBalancers: blocksOf(declared).map((l) => ({ targetGroupArn: str(l.target_group_arn), loadBalancerName: str(l.elb_name), containerName: String(l.container_name), containerPort: num(l.container_port as Known) })) }, 'load balancers restored');
    case 'capacity_provider_strategy':
      return update({ capacityProviderStrategy: blocksOf(declared).map((s) => ({ capacityProvider: String(s.capacity_provider), weight: num(s.weight as Known) ?? 0, base: num(s.base as Known) ?? 0 })) }, 'capacity provider strategy restored');
    case 'tags':
      return revertEcsTags(clients, request);
    default:
      return cannotRevert(attribute);
  }
}
