// aws_lb_target_group_attachment ↔ ELBv2 DescribeTargetHealth, one call per target group the state
// names: it lists every registered target of that group, so an attachment absent from it is proven
// missing. Every argument forces a new attachment, so the only drift is a deregistered target.
import { DescribeTargetHealthCommand, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Known } from '../../drift/values';
import { failureText, foundEntry, missingEntry, num, perTarget, str, unknownEntry } from './common';
import { errorCode } from './elb-common';
import type { ReadTarget, ResourceType } from './resource-type';

/** The attachment's identity from state: the provider's id is `<target group ARN>-<random>`, not readable back. */
function keyOf(t: ReadTarget): { group: string; target: string; port?: number } | undefined {
  const group = str(t.state.attributes.target_group_arn);
  const target = str(t.state.attributes.target_id);
  return group && target ? { group, target, port: num(t.state.attributes.port as Known) } : undefined;
}

export const awsLbTargetGroupAttachment: ResourceType = {
  type: 'aws_lb_target_group_attachment',
  tags: false,
  attributes: [
    { name: 'target_group_arn', compare: 'scalar', forceNew: true },
    { name: 'target_id', compare: 'scalar', forceNew: true },
    { name: 'port', compare: 'scalar', forceNew: true },
    { name: 'availability_zone', compare: 'scalar', forceNew: true },
  ],
  revertUnsupported: 'every argument forces a new attachment: a deregistered target is re-registered by terraform apply',
  idFromState: (a) => str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => String(live.attributes.target_id ?? 'attachment').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  async read(targets, ctx) {
    const groups = new Set(targets.map((t) => keyOf(t)?.group).filter((g): g is string => Boolean(g)));
    const healthOf = new Map<string, TargetHealthDescription[]>();
    const gone = new Set<string>();
    const failed = new Map<string, string>();
    await Promise.all([...groups].map(async (group) => {
      try {
        const out = await ctx.clients.gate.call('elasticloadbalancing:DescribeTargetHealth', () =>
          ctx.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group })));
        healthOf.set(group, out.TargetHealthDescriptions ?? []);
      } catch (error) {
        if (['TargetGroupNotFound', 'TargetGroupNotFoundException'].includes(errorCode(error))) gone.add(group);
        else failed.set(group, failureText(error));
      }
    }));
    return perTarget(targets, ctx, async (t) => {
      const key = keyOf(t);
      if (!key) return unknownEntry(ctx, 'state records no target_group_arn or target_id for this attachment');
      const why = failed.get(key.group);
      if (why) return unknownEntry(ctx, why);
      if (gone.has(key.group)) return missingEntry(ctx, t.id, `target group ${key.group} does not exist`);
      const d = healthOf.get(key.group)?.find((h) => h.Target?.Id === key.target && (key.port === undefined || h.Target?.Port === key.port));
      if (!d) return missingEntry(ctx, t.id, `${key.target}${key.port !== undefined ? `:${key.port}` : ''} is not registered with ${key.group}`);
      return foundEntry(t, 'aws_lb_target_group_attachment', ctx, {
        target_group_arn: key.group,
        target_id: d.Target?.Id,
        port: d.Target?.Port ?? null,
        availability_zone: d.Target?.AvailabilityZone ?? '',
      });
    });
  },

  async revert(request) {
    return { ok: false, message: `${request.attribute} cannot be written back in place: every argument forces a new attachment; run terraform apply instead` };
  },
};
