// Amazon ECS (JSON 1.1, X-Amz-Target AmazonEC2ContainerServiceV20141113.*): clusters with their
// settings, capacity providers and default strategy; services with desired count, deployment and
// network configuration, load balancers; task definitions as immutable revisions; tags — what
// aws_ecs_cluster, aws_ecs_cluster_capacity_providers, aws_ecs_service and aws_ecs_task_definition
// read and write. Nothing runs: the sandbox stores configuration only.
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { json } from '../../protocol/json11';
import type { Tags } from '../../world';

export interface EcsStrategyItem {
  capacityProvider: string;
  weight: number;
  base: number;
}

export interface EcsCluster {
  name: string;
  region: string;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  settings: Record<string, string>;
  capacityProviders: string[];
  defaultStrategy: EcsStrategyItem[];
  tags: Tags;
}

export interface EcsService {
  name: string;
  clusterName: string;
  region: string;
  arn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  launchType?: string;
  platformVersion?: string;
  schedulingStrategy: 'REPLICA' | 'DAEMON';
  maximumPercent: number;
  minimumHealthyPercent: number;
  circuitBreaker: { enable: boolean; rollback: boolean };
  network?: { subnets: string[]; securityGroups: string[]; assignPublicIp: 'ENABLED' | 'DISABLED' };
  loadBalancers: Array<{ targetGroupArn?: string; containerName: string; containerPort: number }>;
  strategy: EcsStrategyItem[];
  enableEcsManagedTags: boolean;
  enableExecuteCommand: boolean;
  propagateTags: 'TASK_DEFINITION' | 'SERVICE' | 'NONE';
  healthCheckGracePeriodSeconds?: number;
  createdAt: string;
  tags: Tags;
}

export interface EcsTaskDefinition {
  family: string;
  revision: number;
  region: string;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  /** The registration as AWS stores it, defaults filled in. */
  body: Record<string, unknown>;
  tags: Tags;
}

const FARGATE = ['FARGATE', 'FARGATE_SPOT'];

const invalid = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);
const clusters = (ctx: CallContext): Record<string, EcsCluster> => (ctx.world.ecsClusters ??= {});
const services = (ctx: CallContext): Record<string, EcsService> => (ctx.world.ecsServices ??= {});
const taskDefinitions = (ctx: CallContext): Record<string, EcsTaskDefinition> => (ctx.world.ecsTaskDefinitions ??= {});
const arnBase = (ctx: CallContext): string => `arn:aws:ecs:${ctx.region}:${ctx.world.accountId}`;

/** A cluster named by name or ARN (`default` when none is given, like AWS). */
function clusterOf(ctx: CallContext, ref: string | undefined, action: string): EcsCluster {
  const name = (ref ?? 'default').replace(/^arn:aws:ecs:[^:]+:\d{12}:cluster\//, '');
  const c = clusters(ctx)[`${ctx.region}/${name}`];
  ctx.trail.resources.push({ type: 'AWS::ECS::Cluster', name, arn: c?.arn });
  ctx.authorize(action, c?.arn ?? `${arnBase(ctx)}:cluster/${name}`);
  if (!c || c.status !== 'ACTIVE') throw new ApiError('ClusterNotFoundException', 'Cluster not found.', 400);
  return c;
}

function serviceOf(ctx: CallContext, cluster: EcsCluster, ref: string, action: string): EcsService {
  const name = ref.replace(/^arn:aws:ecs:[^:]+:\d{12}:service\/(?:[^/]+\/)?/, '');
  const s = services(ctx)[`${ctx.region}/${cluster.name}/${name}`];
  ctx.trail.resources.push({ type: 'AWS::ECS::Service', name, arn: s?.arn });
  ctx.authorize(action, s?.arn ?? `${arnBase(ctx)}:service/${cluster.name}/${name}`);
  if (!s) throw new ApiError('ServiceNotFoundException', 'Service not found.', 400);
  if (s.status !== 'ACTIVE') throw new ApiError('ServiceNotActiveException', 'Service was not ACTIVE.', 400);
  return s;
}

function tagsFrom(input: Record<string, unknown>): Tags {
  const out: Tags = {};
  for (const t of json.list(input, 'tags') ?? []) {
    const key = json.str(t, 'key');
    if (!key) throw invalid('Tag keys must be at least 1 character long');
    if (key.toLowerCase().startsWith('aws:')) throw invalid('Tag keys beginning with aws: are reserved');
    out[key] = json.str(t, 'value') ?? '';
  }
  return out;
}
const tagList = (tags: Tags): Array<{ key: string; value: string }> => Object.entries(tags).map(([key, value]) => ({ key, value }));

function strategyFrom(input: Record<string, unknown>, name: string, providers: string[] | undefined): EcsStrategyItem[] {
  return (json.list(input, name) ?? []).map((s) => {
    const capacityProvider = json.str(s, 'capacityProvider');
    if (!capacityProvider) throw invalid('capacityProvider is required in a capacity provider strategy item');
    if (providers && !providers.includes(capacityProvider)) throw invalid(`The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.`);
    const weight = json.int(s, 'weight') ?? 0;
    const base = json.int(s, 'base') ?? 0;
    if (weight < 0 || weight > 1000 || base < 0 || base > 100000) throw invalid('weight must be between 0 and 1000 and base between 0 and 100000');
    return { capacityProvider, weight, base };
  });
}

function clusterShape(c: EcsCluster, include: string[]): Record<string, unknown> {
  const count = 0;
  return {
    clusterArn: c.arn, clusterName: c.name, status: c.status, registeredContainerInstancesCount: count, runningTasksCount: count, pendingTasksCount: count,
    activeServicesCount: count, statistics: [], capacityProviders: c.capacityProviders,
    defaultCapacityProviderStrategy: c.defaultStrategy.map((s) => ({ capacityProvider: s.capacityProvider, weight: s.weight, base: s.base })),
    ...(include.includes('SETTINGS') ? { settings: Object.entries(c.settings).map(([name, value]) => ({ name, value })) } : {}),
    ...(include.includes('TAGS') ? { tags: tagList(c.tags) } : {}),
  };
}

function serviceShape(ctx: CallContext, s: EcsService, include: string[]): Record<string, unknown> {
  return {
    serviceArn: s.arn, serviceName: s.name, clusterArn: `${arnBase(ctx)}:cluster/${s.clusterName}`, status: s.status, desiredCount: s.desiredCount, runningCount: 0, pendingCount: 0,
    ...(s.launchType ? { launchType: s.launchType } : {}), ...(s.platformVersion ? { platformVersion: s.platformVersion } : {}),
    capacityProviderStrategy: s.strategy, taskDefinition: s.taskDefinition,
    deploymentConfiguration: { maximumPercent: s.maximumPercent, minimumHealthyPercent: s.minimumHealthyPercent, deploymentCircuitBreaker: s.circuitBreaker },
    loadBalancers: s.loadBalancers, schedulingStrategy: s.schedulingStrategy, enableECSManagedTags: s.enableEcsManagedTags, propagateTags: s.propagateTags,
    enableExecuteCommand: s.enableExecuteCommand, createdAt: new Date(s.createdAt).getTime() / 1000,
    ...(s.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds } : {}),
    ...(s.network ? { networkConfiguration: { awsvpcConfiguration: s.network } } : {}),
    ...(include.includes('TAGS') ? { tags: tagList(s.tags) } : {}),
  };
}

/** Network configuration: subnets must exist; groups default to the VPC's default group in AWS (kept empty here). */
function networkFrom(ctx: CallContext, input: Record<string, unknown>): EcsService['network'] {
  const n = (input.networkConfiguration as Record<string, unknown> | undefined)?.awsvpcConfiguration as Record<string, unknown> | undefined;
  if (!n) return undefined;
  const subnets = json.strings(n, 'subnets') ?? [];
  if (!subnets.length) throw invalid('subnets can not be empty.');
  for (const id of subnets) if (!ctx.world.subnets[id]) throw invalid(`Error retrieving subnet information for [${id}]: The subnet ID '${id}' does not exist`);
  const assign = json.str(n, 'assignPublicIp') ?? 'DISABLED';
  if (assign !== 'ENABLED' && assign !== 'DISABLED') throw invalid('assignPublicIp must be ENABLED or DISABLED');
  return { subnets, securityGroups: json.strings(n, 'securityGroups') ?? [], assignPublicIp: assign };
}

function deploymentFrom(input: Record<string, unknown>, s: Pick<EcsService, 'maximumPercent' | 'minimumHealthyPercent' | 'circuitBreaker'>): void {
  const d = input.deploymentConfiguration as Record<string, unknown> | undefined;
  if (!d) return;
  const max = json.int(d, 'maximumPercent');
  const min = json.int(d, 'minimumHealthyPercent');
  if (max !== undefined) s.maximumPercent = max;
  if (min !== undefined) s.minimumHealthyPercent = min;
  const cb = d.deploymentCircuitBreaker as Record<string, unknown> | undefined;
  if (cb) s.circuitBreaker = { enable: cb.enable === true, rollback: cb.rollback === true };
}

/** The latest ACTIVE revision a reference names (`family`, `family:rev` or an ARN). */
function taskDefinitionOf(ctx: CallContext, ref: string | undefined): EcsTaskDefinition {
  if (!ref) throw invalid('taskDefinition can not be blank.');
  const short = ref.replace(/^arn:aws:ecs:[^:]+:\d{12}:task-definition\//, '');
  const [family, rev] = short.split(':');
  const all = Object.values(taskDefinitions(ctx)).filter((t) => t.region === ctx.region && t.family === family);
  const found = rev !== undefined ? all.find((t) => t.revision === Number(rev)) : all.filter((t) => t.status === 'ACTIVE').sort((a, b) => b.revision - a.revision)[0];
  if (!found) throw new ApiError('ClientException', 'Unable to describe task definition.', 400);
  return found;
}

/** Container definitions as AWS stores them: its defaults filled in, nothing the caller did not say removed. */
function storedContainers(input: unknown, networkMode: string): Record<string, unknown>[] {
  if (!Array.isArray(input) || !input.length) throw invalid('Container definitions must not be empty.');
  return input.map((raw) => {
    if (!raw || typeof raw !== 'object') throw invalid('Container definition must be an object');
    const c = { ...(raw as Record<string, unknown>) };
    if (typeof c.name !== 'string' || !c.name) throw invalid('Container.name should not be null or empty.');
    if (typeof c.image !== 'string' || !c.image) throw invalid('Container.image should not be null or empty.');
    c.essential ??= true;
    for (const k of ['environment', 'mountPoints', 'volumesFrom', 'systemControls']) c[k] ??= [];
    c.cpu ??= 0;
    c.portMappings = (Array.isArray(c.portMappings) ? c.portMappings : []).map((p: Record<string, unknown>) => ({
      ...p, protocol: p.protocol ?? 'tcp', ...(networkMode === 'awsvpc' || p.hostPort !== undefined ? { hostPort: p.hostPort ?? p.containerPort } : {}),
    }));
    return c;
  });
}

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const ecsOperations: Record<string, Handler> = {
  CreateCluster(ctx, input) {
    const name = json.str(input, 'clusterName') ?? 'default';
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) throw invalid('Cluster name must have up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.');
    const arn = `${arnBase(ctx)}:cluster/${name}`;
    ctx.trail.resources.push({ type: 'AWS::ECS::Cluster', name, arn });
    ctx.authorize('ecs:CreateCluster', arn);
    const old = clusters(ctx)[`${ctx.region}/${name}`];
    // Like AWS: creating an active cluster again returns it unchanged.
    if (old?.status === 'ACTIVE') return { cluster: clusterShape(old, ['SETTINGS', 'TAGS']) };
    const providers = json.strings(input, 'capacityProviders') ?? [];
    for (const p of providers) if (!FARGATE.includes(p)) throw invalid(`The specified capacity provider '${p}' is not in an ACTIVE state.`);
    const settings: Record<string, string> = { containerInsights: 'disabled' };
    for (const s of json.list(input, 'settings') ?? []) settings[json.str(s, 'name') ?? ''] = json.str(s, 'value') ?? '';
    const c: EcsCluster = { name, region: ctx.region, arn, status: 'ACTIVE', settings, capacityProviders: providers, defaultStrategy: strategyFrom(input, 'defaultCapacityProviderStrategy', providers), tags: tagsFrom(input) };
    clusters(ctx)[`${ctx.region}/${name}`] = c;
    return { cluster: clusterShape(c, ['SETTINGS', 'TAGS']) };
  },
  DescribeClusters(ctx, input) {
    ctx.authorize('ecs:DescribeClusters', '*');
    const refs = json.strings(input, 'clusters') ?? ['default'];
    if (refs.length > 100) throw invalid('Clusters cannot have more than 100 elements');
    const include = json.strings(input, 'include') ?? [];
    const found: Record<string, unknown>[] = [];
    const failures: Array<{ arn: string; reason: string }> = [];
    for (const ref of refs) {
      const name = ref.replace(/^arn:aws:ecs:[^:]+:\d{12}:cluster\//, '');
      const c = clusters(ctx)[`${ctx.region}/${name}`];
      if (c) found.push(clusterShape(c, include));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : `${arnBase(ctx)}:cluster/${name}`, reason: 'MISSING' });
    }
    return { clusters: found, failures };
  },
  UpdateClusterSettings(ctx, input) {
    const c = clusterOf(ctx, json.str(input, 'cluster'), 'ecs:UpdateClusterSettings');
    const settings = json.list(input, 'settings');
    if (!settings?.length) throw invalid('settings can not be empty.');
    for (const s of settings) {
      const name = json.str(s, 'name');
      const value = json.str(s, 'value');
      if (name !== 'containerInsights' || !['enabled', 'disabled', 'enhanced'].includes(value ?? '')) throw invalid(`Invalid setting ${name}=${value}`);
      c.settings[name] = value!;
    }
    return { cluster: clusterShape(c, ['SETTINGS']) };
  },
  PutClusterCapacityProviders(ctx, input) {
    const c = clusterOf(ctx, json.str(input, 'cluster'), 'ecs:PutClusterCapacityProviders');
    const providers = json.strings(input, 'capacityProviders');
    if (!providers || !Array.isArray(input.defaultCapacityProviderStrategy)) throw invalid('capacityProviders and defaultCapacityProviderStrategy are required.');
    for (const p of providers) if (!FARGATE.includes(p)) throw invalid(`The specified capacity provider '${p}' is not in an ACTIVE state.`);
    c.capacityProviders = providers;
    c.defaultStrategy = strategyFrom(input, 'defaultCapacityProviderStrategy', providers);
    return { cluster: clusterShape(c, []) };
  },
  DeleteCluster(ctx, input) {
    const c = clusterOf(ctx, json.str(input, 'cluster'), 'ecs:DeleteCluster');
    if (Object.values(services(ctx)).some((s) => s.region === ctx.region && s.clusterName === c.name && s.status === 'ACTIVE')) {
      throw new ApiError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.', 400);
    }
    c.status = 'INACTIVE';
    return { cluster: clusterShape(c, []) };
  },
  CreateService(ctx, input) {
    const c = clusterOf(ctx, json.str(input, 'cluster'), 'ecs:CreateService');
    const name = json.str(input, 'serviceName');
    if (!name || !/^[A-Za-z0-9_-]{1,255}$/.test(name)) throw invalid('Service name must have up to 255 letters, numbers, underscores, and hyphens.');
    const key = `${ctx.region}/${c.name}/${name}`;
    if (services(ctx)[key]?.status === 'ACTIVE') throw invalid('Creation of service was not idempotent.');
    const td = taskDefinitionOf(ctx, json.str(input, 'taskDefinition'));
    const scheduling = (json.str(input, 'schedulingStrategy') ?? 'REPLICA') as EcsService['schedulingStrategy'];
    const strategy = strategyFrom(input, 'capacityProviderStrategy', undefined);
    const launchType = strategy.length ? undefined : json.str(input, 'launchType') ?? 'EC2';
    const s: EcsService = {
      name, clusterName: c.name, region: ctx.region, arn: `${arnBase(ctx)}:service/${c.name}/${name}`, status: 'ACTIVE', taskDefinition: td.arn,
      desiredCount: json.int(input, 'desiredCount') ?? 0, launchType, platformVersion: launchType === 'FARGATE' || strategy.length ? (json.str(input, 'platformVersion') ?? 'LATEST') : undefined,
      schedulingStrategy: scheduling, maximumPercent: 200, minimumHealthyPercent: 100, circuitBreaker: { enable: false, rollback: false },
      network: networkFrom(ctx, input), strategy,
      loadBalancers: (json.list(input, 'loadBalancers') ?? []).map((l) => ({ targetGroupArn: json.str(l, 'targetGroupArn'), containerName: json.str(l, 'containerName') ?? '', containerPort: json.int(l, 'containerPort') ?? 0 })),
      enableEcsManagedTags: input.enableECSManagedTags === true, enableExecuteCommand: input.enableExecuteCommand === true,
      propagateTags: (json.str(input, 'propagateTags') ?? 'NONE') as EcsService['propagateTags'], healthCheckGracePeriodSeconds: json.int(input, 'healthCheckGracePeriodSeconds'),
      createdAt: ctx.now.toISOString(), tags: tagsFrom(input),
    };
    deploymentFrom(input, s);
    if (td.body.networkMode === 'awsvpc' && !s.network) throw invalid('Network Configuration must be provided when networkMode \'awsvpc\' is specified.');
    ctx.trail.resources.push({ type: 'AWS::ECS::Service', name, arn: s.arn });
    services(ctx)[key] = s;
    return { service: serviceShape(ctx, s, ['TAGS']) };
  },
  DescribeServices(ctx, input) {
    ctx.authorize('ecs:DescribeServices', '*');
    const c = clusterOf(ctx, json.str(input, 'cluster'), 'ecs:DescribeServices');
    const refs = json.strings(input, 'services') ?? [];
    if (!refs.length || refs.length > 10) throw invalid('services must contain between 1 and 10 elements.');
    const include = json.strings(input, 'include') ?? [];
    const found: Record<string, unknown>[] = [];
    const failures: Array<{ arn: string; reason: string }> = [];
    for (const ref of refs) {
      const name = ref.replace(/^arn:aws:ecs:[^:]+:\d{12}:service\/(?:[^/]+\/)?/, '');
      const s = services(ctx)[`${ctx.region}/${c.name}/${name}`];
      if (s) found.push(serviceShape(ctx, s, include));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : `${arnBase(ctx)}:service/${c.name}/${name}`, reason: 'MISSING' });
    }
    return { services: found, failures };
  },
  UpdateService(ctx, input) {
    const c = clusterOf(ctx, json.str(input, 'cluster'), 'ecs:UpdateService');
    const s = serviceOf(ctx, c, json.str(input, 'service') ?? '', 'ecs:UpdateService');
    const desired = json.int(input, 'desiredCount');
    if (desired !== undefined) {
      if (desired < 0) throw invalid('desiredCount can not be negative.');
      s.desiredCount = desired;
    }
    if (json.str(input, 'taskDefinition')) s.taskDefinition = taskDefinitionOf(ctx, json.str(input, 'taskDefinition')).arn;
    deploymentFrom(input, s);
    const network = networkFrom(ctx, input);
    if (network) s.network = network;
    if (typeof input.enableExecuteCommand === 'boolean') s.enableExecuteCommand = input.enableExecuteCommand;
    if (typeof input.enableECSManagedTags === 'boolean') s.enableEcsManagedTags = input.enableECSManagedTags;
    if (json.str(input, 'propagateTags')) s.propagateTags = json.str(input, 'propagateTags') as EcsService['propagateTags'];
    const grace = json.int(input, 'healthCheckGracePeriodSeconds');
    if (grace !== undefined) s.healthCheckGracePeriodSeconds = grace;
    if (json.list(input, 'loadBalancers')) {
      s.loadBalancers = json.list(input, 'loadBalancers')!.map((l) => ({ targetGroupArn: json.str(l, 'targetGroupArn'), containerName: json.str(l, 'containerName') ?? '', containerPort: json.int(l, 'containerPort') ?? 0 }));
    }
    if (json.list(input, 'capacityProviderStrategy')) s.strategy = strategyFrom(input, 'capacityProviderStrategy', undefined);
    return { service: serviceShape(ctx, s, []) };
  },
  DeleteService(ctx, input) {
    const c = clusterOf(ctx, json.str(input, 'cluster'), 'ecs:DeleteService');
    const s = serviceOf(ctx, c, json.str(input, 'service') ?? '', 'ecs:DeleteService');
    if (s.desiredCount > 0 && input.force !== true) throw invalid('The service cannot be stopped while it is scaled above 0.');
    s.status = 'INACTIVE';
    return { service: serviceShape(ctx, s, []) };
  },
  RegisterTaskDefinition(ctx, input) {
    const family = json.str(input, 'family');
    if (!family || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) throw invalid('Family contains invalid characters.');
    const networkMode = json.str(input, 'networkMode') ?? 'bridge';
    const compat = json.strings(input, 'requiresCompatibilities') ?? [];
    if (compat.includes('FARGATE') && networkMode !== 'awsvpc') throw new ApiError('ClientException', 'Fargate only supports network mode \'awsvpc\'.', 400);
    if (compat.includes('FARGATE') && (!json.str(input, 'cpu') || !json.str(input, 'memory'))) throw new ApiError('ClientException', 'Fargate requires that \'cpu\' and \'memory\' be defined at the task level.', 400);
    const revision = Object.values(taskDefinitions(ctx)).filter((t) => t.region === ctx.region && t.family === family).reduce((n, t) => Math.max(n, t.revision), 0) + 1;
    const arn = `${arnBase(ctx)}:task-definition/${family}:${revision}`;
    ctx.trail.resources.push({ type: 'AWS::ECS::TaskDefinition', name: `${family}:${revision}`, arn });
    ctx.authorize('ecs:RegisterTaskDefinition', '*');
    const body: Record<string, unknown> = {
      taskDefinitionArn: arn, family, revision, status: 'ACTIVE', containerDefinitions: storedContainers(input.containerDefinitions, networkMode), networkMode,
      volumes: input.volumes ?? [], placementConstraints: input.placementConstraints ?? [], requiresCompatibilities: compat,
      compatibilities: compat.includes('FARGATE') ? ['EC2', 'FARGATE'] : ['EC2'], registeredAt: ctx.now.getTime() / 1000, registeredBy: ctx.principal.arn,
      ...Object.fromEntries(['cpu', 'memory', 'executionRoleArn', 'taskRoleArn', 'pidMode', 'ipcMode'].filter((k) => json.str(input, k) !== undefined).map((k) => [k, json.str(input, k)])),
    };
    const td: EcsTaskDefinition = { family, revision, region: ctx.region, arn, status: 'ACTIVE', body, tags: tagsFrom(input) };
    taskDefinitions(ctx)[`${ctx.region}/${family}:${revision}`] = td;
    return { taskDefinition: body, tags: tagList(td.tags) };
  },
  DescribeTaskDefinition(ctx, input) {
    ctx.authorize('ecs:DescribeTaskDefinition', '*');
    const td = taskDefinitionOf(ctx, json.str(input, 'taskDefinition'));
    return { taskDefinition: { ...td.body, status: td.status }, ...((json.strings(input, 'include') ?? []).includes('TAGS') ? { tags: tagList(td.tags) } : {}) };
  },
  DeregisterTaskDefinition(ctx, input) {
    const ref = json.str(input, 'taskDefinition') ?? '';
    if (!/:\d+$/.test(ref)) throw invalid('A revision must be specified.');
    const td = taskDefinitionOf(ctx, ref);
    ctx.trail.resources.push({ type: 'AWS::ECS::TaskDefinition', name: `${td.family}:${td.revision}`, arn: td.arn });
    ctx.authorize('ecs:DeregisterTaskDefinition', '*');
    td.status = 'INACTIVE';
    return { taskDefinition: { ...td.body, status: td.status } };
  },
  ListTaskDefinitions(ctx, input) {
    ctx.authorize('ecs:ListTaskDefinitions', '*');
    const prefix = json.str(input, 'familyPrefix');
    const status = json.str(input, 'status') ?? 'ACTIVE';
    const list = Object.values(taskDefinitions(ctx)).filter((t) => t.region === ctx.region && (!prefix || t.family === prefix) && (status === 'ALL' || t.status === status))
      .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision).map((t) => t.arn);
    if (json.str(input, 'sort') === 'DESC') list.reverse();
    const max = json.int(input, 'maxResults') ?? 100;
    const token = json.str(input, 'nextToken');
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw invalid('Invalid nextToken');
    const next = start + max < list.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
    return { taskDefinitionArns: list.slice(start, start + max), ...(next ? { nextToken: next } : {}) };
  },
  ListTagsForResource(ctx, input) {
    return { tags: tagList(taggable(ctx, input, 'ecs:ListTagsForResource').tags) };
  },
  TagResource(ctx, input) {
    const holder = taggable(ctx, input, 'ecs:TagResource');
    holder.tags = { ...holder.tags, ...tagsFrom(input) };
    return {};
  },
  UntagResource(ctx, input) {
    const holder = taggable(ctx, input, 'ecs:UntagResource');
    const keys = json.strings(input, 'tagKeys') ?? [];
    holder.tags = Object.fromEntries(Object.entries(holder.tags).filter(([k]) => !keys.includes(k)));
    return {};
  },
};

/** Tag calls name clusters, services and task definitions by ARN. */
function taggable(ctx: CallContext, input: Record<string, unknown>, action: string): { tags: Tags } {
  const arn = json.str(input, 'resourceArn') ?? '';
  ctx.trail.resources.push({ type: 'AWS::ECS::Resource', name: arn, arn });
  ctx.authorize(action, arn);
  const found = Object.values(clusters(ctx)).find((c) => c.arn === arn && c.status === 'ACTIVE')
    ?? Object.values(services(ctx)).find((s) => s.arn === arn && s.status === 'ACTIVE')
    ?? Object.values(taskDefinitions(ctx)).find((t) => t.arn === arn);
  if (!found) throw new ApiError('InvalidParameterException', 'The specified resource could not be found.', 400);
  return found;
}
