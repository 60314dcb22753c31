// aws_ecs_task_definition ↔ ECS DescribeTaskDefinition, one call per revision the state names (ECS
// has no batch read of task definitions), tags included. A revision is immutable: the arguments can
// only differ when someone registered it by hand with other settings, and a deregistered (INACTIVE)
// revision is missing, as the provider treats it. Only tags can be written back in place.
//
// container_definitions is compared the way the provider's own diff suppression does: as JSON with
// the values AWS fills in on registration removed (empty lists, essential=true, cpu=0, the tcp
// protocol and a host port equal to the container port), containers and environment in name order.
import { DescribeTaskDefinitionCommand, TaskDefinitionField } from '@aws-sdk/client-ecs';
import type { Known } from '../../drift/values';
import { cannotRevert, failureText, foundEntry, missingEntry, perTarget, str } from './common';
import { ecsTagMap, revertEcsTags } from './aws_ecs_cluster';
import type { ResourceType } from './resource-type';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Drops what carries no information: nulls, empty strings, lists and objects. */
function prune(v: Json): Json | undefined {
  if (v === null || v === '') return undefined;
  if (Array.isArray(v)) {
    const items = v.map(prune).filter((x): x is Json => x !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v).map(([k, x]) => [k, prune(x)] as const).filter(([, x]) => x !== undefined);
    return entries.length ? Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))) as Json : undefined;
  }
  return v;
}

function containerForm(c: Record<string, Json>): Json | undefined {
  const out: Record<string, Json> = { ...c };
  if (out.essential === true) delete out.essential;
  if (out.cpu === 0) delete out.cpu;
  if (Array.isArray(out.portMappings)) {
    out.portMappings = out.portMappings.map((p) => {
      const m = { ...(p as Record<string, Json>) };
      if (m.protocol === 'tcp') delete m.protocol;
      if (m.hostPort === m.containerPort) delete m.hostPort;
      return m;
    });
  }
  for (const k of ['environment', 'secrets']) {
    if (Array.isArray(out[k])) out[k] = [...(out[k] as Json[])].sort((a, b) => String((a as Record<string, Json>).name).localeCompare(String((b as Record<string, Json>).name)));
  }
  return prune(out);
}

/** The canonical text of a container definitions document (a JSON string or a parsed list). */
export function containerDefinitions(v: Known): Known {
  let parsed: unknown = v;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v);
    } catch {
      return v;
    }
  }
  if (!Array.isArray(parsed)) return typeof v === 'string' ? v : JSON.stringify(v);
  const containers = (parsed as Record<string, Json>[]).map(containerForm).sort((a, b) => String((a as Record<string, Json>)?.name).localeCompare(String((b as Record<string, Json>)?.name)));
  return JSON.stringify(containers);
}

export const awsEcsTaskDefinition: ResourceType = {
  type: 'aws_ecs_task_definition',
  tags: true,
  attributes: [
    { name: 'family', compare: 'scalar', forceNew: true },
    { name: 'container_definitions', compare: 'scalar', normalize: containerDefinitions, forceNew: true, severity: 'warning' },
    { name: 'cpu', compare: 'scalar', forceNew: true },
    { name: 'memory', compare: 'scalar', forceNew: true },
    { name: 'network_mode', compare: 'scalar', forceNew: true },
    { name: 'requires_compatibilities', compare: 'set', forceNew: true },
    { name: 'execution_role_arn', compare: 'scalar', forceNew: true },
    { name: 'task_role_arn', compare: 'scalar', forceNew: true },
  ],
  notCompared: {
    revision: 'computed: each registration is a new revision',
    arn: 'computed by AWS',
    arn_without_revision: 'computed by AWS',
    volume: 'not read yet',
    placement_constraints: 'not read yet',
    runtime_platform: 'not read yet',
    ephemeral_storage: 'not read yet',
    skip_destroy: 'a Terraform-side deletion setting',
    track_latest: 'a Terraform-side setting',
  },
  idFromState: (a) => str(a.arn) ?? str(a.id),
  idFromArn: (arn) => (/^arn:aws[\w-]*:ecs:[^:]*:\d{12}:task-definition\/[^:]+:\d+$/.test(arn) ? arn : undefined),
  importId: (live) => live.arn ?? live.id,
  suggestName: (live) => String(live.attributes.family ?? 'task').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  async read(targets, ctx) {
    return perTarget(targets, ctx, async (t) => {
      let out;
      try {
        out = await ctx.clients.gate.call('ecs:DescribeTaskDefinition', () =>
          ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: t.id, include: [TaskDefinitionField.TAGS] })));
      } catch (error) {
        const text = failureText(error);
        // ECS answers an unknown revision with a ClientException naming it.
        if (/ClientException.*(Unable to describe|does not exist)/i.test(text)) return missingEntry(ctx, t.id, `task definition ${t.id} does not exist`);
        throw error;
      }
      const td = out.taskDefinition;
      if (!td || td.status === 'INACTIVE') return missingEntry(ctx, t.id, `task definition ${t.id} was deregistered`);
      return foundEntry(t, 'aws_ecs_task_definition', ctx, {
        family: td.family,
        container_definitions: JSON.stringify(td.containerDefinitions ?? []),
        cpu: td.cpu ?? '',
        memory: td.memory ?? '',
        network_mode: td.networkMode ?? 'bridge',
        requires_compatibilities: td.requiresCompatibilities ?? [],
        execution_role_arn: td.executionRoleArn ?? '',
        task_role_arn: td.taskRoleArn ?? '',
        revision: td.revision ?? null,
        tags: ecsTagMap(out.tags),
      }, { arn: td.taskDefinitionArn });
    });
  },

  async revert(request, clients) {
    if (request.attribute === 'tags') return revertEcsTags(clients, request);
    return cannotRevert(request.attribute, 'a task definition revision is immutable; a change registers a new revision');
  },
};
