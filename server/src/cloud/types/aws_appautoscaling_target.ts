// aws_appautoscaling_target ↔ Application Auto Scaling DescribeScalableTargets: one call per service
// namespace for up to 50 resource ids (a complete answer for them: an id absent from it is proven
// missing), plus ListTagsForResource per target (no batch tag read).
import {
  DescribeScalableTargetsCommand, ListTagsForResourceCommand, RegisterScalableTargetCommand, ScalableDimension, ScalableTarget, ServiceNamespace,
  TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-application-auto-scaling';
import type { Known } from '../../drift/values';
import type { ReadContext } from './resource-type';
import { firstBlock } from './blocks';
import { bool, cannotRevert, chunk, failureText, foundEntry, missingEntry, num, perTarget, str, tagsArg, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

const IDS_PER_CALL = 50;

/** Scalable targets by `namespace|resource id|dimension`, read with one call per namespace and 50 ids; failures by `namespace|resource id`. */
export async function scalableTargets(ctx: ReadContext, wanted: Array<{ namespace: string; resourceId: string }>): Promise<{ byKey: Map<string, ScalableTarget>; failed: Map<string, string> }> {
  const byNamespace = new Map<string, Set<string>>();
  for (const w of wanted) byNamespace.set(w.namespace, (byNamespace.get(w.namespace) ?? new Set()).add(w.resourceId));
  const byKey = new Map<string, ScalableTarget>();
  const failed = new Map<string, string>();
  await Promise.all([...byNamespace.entries()].flatMap(([namespace, ids]) => chunk([...ids], IDS_PER_CALL).map(async (group) => {
    try {
      let token: string | undefined;
      do {
        const page = await ctx.clients.gate.call('application-autoscaling:DescribeScalableTargets', () => ctx.clients.appautoscaling.send(new DescribeScalableTargetsCommand({
          ServiceNamespace: namespace as ServiceNamespace, ResourceIds: group, MaxResults: 50, NextToken: token,
        })));
        for (const t of page.ScalableTargets ?? []) byKey.set(`${t.ServiceNamespace}|${t.ResourceId}|${t.ScalableDimension}`, t);
        token = page.NextToken;
      } while (token);
    } catch (error) {
      for (const id of group) failed.set(`${namespace}|${id}`, failureText(error));
    }
  })));
  return { byKey, failed };
}

/** `suspended_state`: an absent block and an all-false block are the same (each flag defaults to false). */
function suspendedAtoms(v: Known): Known {
  const b = firstBlock(v) ?? {};
  return ['dynamic_scaling_in_suspended', 'dynamic_scaling_out_suspended', 'scheduled_scaling_suspended'].filter((k) => bool(b[k] as Known) === true);
}

export const awsAppautoscalingTarget: ResourceType = {
  type: 'aws_appautoscaling_target',
  tags: true,
  attributes: [
    { name: 'service_namespace', compare: 'scalar', forceNew: true },
    { name: 'resource_id', compare: 'scalar', forceNew: true },
    { name: 'scalable_dimension', compare: 'scalar', forceNew: true },
    { name: 'min_capacity', compare: 'scalar', severity: 'warning' },
    { name: 'max_capacity', compare: 'scalar', severity: 'warning' },
    { name: 'role_arn', compare: 'scalar' },
    { name: 'suspended_state', compare: 'blocks', normalize: suspendedAtoms, severity: 'warning' },
  ],
  notCompared: { arn: 'computed by AWS' },
  idFromState: (a) => str(a.resource_id) ?? str(a.id),
  importId: (live) => `${String(live.attributes.service_namespace)}/${live.id}/${String(live.attributes.scalable_dimension)}`,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'target',

  async read(targets, ctx) {
    const wanted = targets.map((t) => ({ namespace: str(t.state.attributes.service_namespace) ?? '', resourceId: t.id })).filter((w) => w.namespace);
    const { byKey, failed } = await scalableTargets(ctx, wanted);
    return perTarget(targets, ctx, async (t) => {
      const namespace = str(t.state.attributes.service_namespace);
      const dimension = str(t.state.attributes.scalable_dimension);
      if (!namespace || !dimension) return unknownEntry(ctx, 'state records no service_namespace or scalable_dimension for this target');
      const why = failed.get(`${namespace}|${t.id}`);
      if (why) return unknownEntry(ctx, why);
      const s = byKey.get(`${namespace}|${t.id}|${dimension}`);
      if (!s) return missingEntry(ctx, t.id, `no scalable target ${namespace} ${t.id} ${dimension}`);
      const listed = s.ScalableTargetARN
        ? await ctx.clients.gate.call('application-autoscaling:ListTagsForResource', () => ctx.clients.appautoscaling.send(new ListTagsForResourceCommand({ ResourceARN: s.ScalableTargetARN })))
        : { Tags: {} };
      const tags = Object.fromEntries(Object.entries(listed.Tags ?? {}).filter(([k]) => !k.startsWith('aws:')));
      return foundEntry(t, 'aws_appautoscaling_target', ctx, {
        service_namespace: s.ServiceNamespace,
        resource_id: s.ResourceId,
        scalable_dimension: s.ScalableDimension,
        min_capacity: s.MinCapacity ?? null,
        max_capacity: s.MaxCapacity ?? null,
        role_arn: s.RoleARN ?? '',
        suspended_state: [{
          dynamic_scaling_in_suspended: s.SuspendedState?.DynamicScalingInSuspended ?? false,
          dynamic_scaling_out_suspended: s.SuspendedState?.DynamicScalingOutSuspended ?? false,
          scheduled_scaling_suspended: s.SuspendedState?.ScheduledScalingSuspended ?? false,
        }],
        tags,
      }, { arn: s.ScalableTargetARN });
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const a = request.live.attributes;
    const base = { ServiceNamespace: String(a.service_namespace) as ServiceNamespace, ResourceId: id, ScalableDimension: String(a.scalable_dimension) as ScalableDimension };
    const register = async (input: Partial<ConstructorParameters<typeof RegisterScalableTargetCommand>[0]>, message: string) => {
      await clients.gate.call('application-autoscaling:RegisterScalableTarget', () => clients.appautoscaling.send(new RegisterScalableTargetCommand({ ...base, ...input })));
      return { ok: true, message };
    };
    switch (attribute) {
      case 'min_capacity':
        return register({ MinCapacity: num(declared) }, `minimum capacity set to ${String(declared)}`);
      case 'max_capacity':
        return register({ MaxCapacity: num(declared) }, `maximum capacity set to ${String(declared)}`);
      case 'suspended_state': {
        const b = firstBlock(declared) ?? {};
        return register({ SuspendedState: {
          DynamicScalingInSuspended: bool(b.dynamic_scaling_in_suspended as Known) === true, DynamicScalingOutSuspended: bool(b.dynamic_scaling_out_suspended as Known) === true,
          ScheduledScalingSuspended: bool(b.scheduled_scaling_suspended as Known) === true,
        } }, 'suspended state restored');
      }
      case 'tags': {
        const want = tagsArg(declared);
        const arn = request.live.arn;
        if (!want || !arn) return { ok: false, message: 'declared tags are not a map, or the target ARN is unknown' };
        const have = (a.tags ?? {}) as Record<string, string>;
        const remove = Object.keys(have).filter((k) => !(k in want));
        const set = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
        if (remove.length) await clients.gate.call('application-autoscaling:UntagResource', () => clients.appautoscaling.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: remove })));
        if (Object.keys(set).length) await clients.gate.call('application-autoscaling:TagResource', () => clients.appautoscaling.send(new TagResourceCommand({ ResourceARN: arn, Tags: set })));
        return { ok: true, message: `tags restored (${Object.keys(set).length} set, ${remove.length} removed)` };
      }
      default:
        return cannotRevert(attribute);
    }
  },
};
