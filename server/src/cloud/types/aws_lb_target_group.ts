// aws_lb_target_group ↔ ELBv2 DescribeTargetGroups: one listing of the region (400 a page) serves
// every target group (by-ARN lookups fail whole when one is gone), plus
// DescribeTargetGroupAttributes per group (no batch read) when the block declares an argument that
// lives there; tags from the Tagging API's answer or DescribeTags (20 ARNs a call).
//
// health_check compares what the provider defaults or the block sets: enabled, thresholds, interval,
// port and protocol. path, matcher and timeout are Optional+Computed (AWS picks them per protocol),
// so an unset one is never drift in Terraform; the engine compares a block whole, so they are left out.
import {
  DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand, ModifyTargetGroupAttributesCommand, ModifyTargetGroupCommand, ProtocolEnum, TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Known } from '../../drift/values';
import { firstBlock } from './blocks';
import { bool, cannotRevert, failureText, foundEntry, missingEntry, num, perTarget, str, unknownEntry } from './common';
import { attributeMap, elbTags, revertElbTags } from './elb-common';
import type { ResourceType } from './resource-type';

const ATTRIBUTE_KEYS: Record<string, string> = {
  deregistration_delay: 'deregistration_delay.timeout_seconds',
  slow_start: 'slow_start.duration_seconds',
};
const ATTRIBUTE_ARGS = new Set([...Object.keys(ATTRIBUTE_KEYS), 'stickiness']);

/** The provider v5's health_check defaults. */
const HC_DEFAULTS = { enabled: true, healthy_threshold: 3, unhealthy_threshold: 3, interval: 30, port: 'traffic-port', protocol: 'HTTP' } as const;

function healthAtoms(v: Known): Known {
  const b = firstBlock(v) ?? {};
  const pick = <K extends keyof typeof HC_DEFAULTS>(k: K): string => String(b[k] === undefined || b[k] === null || b[k] === '' ? HC_DEFAULTS[k] : b[k]);
  return [
    `enabled=${bool(pick('enabled')) === true}`, `healthy_threshold=${num(pick('healthy_threshold'))}`, `unhealthy_threshold=${num(pick('unhealthy_threshold'))}`,
    `interval=${num(pick('interval'))}`, `port=${pick('port')}`, `protocol=${pick('protocol').toUpperCase()}`,
  ];
}

/** `stickiness { type enabled cookie_duration }`: a disabled block equals none. */
function stickinessAtoms(v: Known): Known {
  const b = firstBlock(v);
  if (!b || bool(b.enabled as Known) === false) return ['disabled'];
  return [`${String(b.type ?? 'lb_cookie')}${b.cookie_duration !== undefined && b.cookie_duration !== null ? ` ${num(b.cookie_duration as Known)}s` : ''}`];
}

export const awsLbTargetGroup: ResourceType = {
  type: 'aws_lb_target_group',
  tags: true,
  taggingType: 'elasticloadbalancing:targetgroup',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'port', compare: 'scalar', forceNew: true },
    { name: 'protocol', compare: 'scalar', forceNew: true },
    { name: 'vpc_id', compare: 'scalar', forceNew: true },
    { name: 'target_type', compare: 'scalar', default: 'instance', forceNew: true },
    { name: 'health_check', compare: 'blocks', normalize: healthAtoms, severity: 'warning' },
    { name: 'deregistration_delay', compare: 'scalar', default: 300 },
    { name: 'slow_start', compare: 'scalar', default: 0 },
    { name: 'stickiness', compare: 'blocks', normalize: stickinessAtoms },
  ],
  notCompared: {
    'health_check.path': 'Optional+Computed: AWS picks it per protocol when unset (see the type file)',
    'health_check.matcher': 'Optional+Computed: AWS picks it per protocol when unset',
    'health_check.timeout': 'Optional+Computed: AWS picks it per protocol when unset',
    name_prefix: 'Terraform picks the name once at creation',
    arn_suffix: 'computed by AWS',
    load_balancer_arns: 'computed: the listeners and rules that forward to the group',
    protocol_version: 'fixed at creation (ForceNew)',
    ip_address_type: 'fixed at creation (ForceNew)',
    lambda_multi_value_headers_enabled: 'not read yet',
    proxy_protocol_v2: 'not read yet',
    connection_termination: 'not read yet',
    preserve_client_ip: 'not read yet',
    load_balancing_algorithm_type: 'not read yet',
    load_balancing_cross_zone_enabled: 'not read yet',
  },
  idFromState: (a) => str(a.arn) ?? str(a.id),
  idFromArn: (arn) => (/^arn:aws[\w-]*:elasticloadbalancing:[^:]*:\d{12}:targetgroup\//.test(arn) ? arn : undefined),
  importId: (live) => live.id,
  suggestName: (live) => String(live.attributes.name ?? 'tg').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  async read(targets, ctx) {
    const all = new Map<string, TargetGroup>();
    let tags: Map<string, Record<string, string>>;
    try {
      let marker: string | undefined;
      do {
        const page = await ctx.clients.gate.call('elasticloadbalancing:DescribeTargetGroups', () =>
          ctx.clients.elbv2.send(new DescribeTargetGroupsCommand({ PageSize: 400, Marker: marker })));
        for (const tg of page.TargetGroups ?? []) if (tg.TargetGroupArn) all.set(tg.TargetGroupArn, tg);
        marker = page.NextMarker;
      } while (marker);
      tags = await elbTags(ctx, targets.map((t) => t.id).filter((id) => all.has(id)));
    } catch (error) {
      const reason = failureText(error);
      return new Map(targets.map((t) => [t.address, unknownEntry(ctx, reason)]));
    }
    return perTarget(targets, ctx, async (t) => {
      const tg = all.get(t.id);
      if (!tg) return missingEntry(ctx, t.id, `target group ${t.id} does not exist`);
      const attributes: Record<string, unknown> = {
        name: tg.TargetGroupName,
        port: tg.Port ?? null,
        protocol: tg.Protocol ?? null,
        vpc_id: tg.VpcId ?? null,
        target_type: tg.TargetType ?? 'instance',
        health_check: [{
          enabled: tg.HealthCheckEnabled ?? true, healthy_threshold: tg.HealthyThresholdCount ?? null, unhealthy_threshold: tg.UnhealthyThresholdCount ?? null,
          interval: tg.HealthCheckIntervalSeconds ?? null, port: tg.HealthCheckPort ?? 'traffic-port', protocol: tg.HealthCheckProtocol ?? null,
          path: tg.HealthCheckPath ?? '', matcher: tg.Matcher?.HttpCode ?? tg.Matcher?.GrpcCode ?? '', timeout: tg.HealthCheckTimeoutSeconds ?? null,
        }],
        tags: tags.get(t.id) ?? {},
      };
      if (!t.needs || [...ATTRIBUTE_ARGS].some((a) => t.needs!.has(a))) {
        const out = await ctx.clients.gate.call('elasticloadbalancing:DescribeTargetGroupAttributes', () =>
          ctx.clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: t.id })));
        const attrs = attributeMap(out.Attributes);
        for (const [arg, key] of Object.entries(ATTRIBUTE_KEYS)) if (attrs[key] !== undefined) attributes[arg] = Number(attrs[key]);
        if (attrs['stickiness.enabled'] !== undefined) {
          const type = attrs['stickiness.type'] ?? 'lb_cookie';
          const duration = attrs[type === 'app_cookie' ? 'stickiness.app_cookie.duration_seconds' : 'stickiness.lb_cookie.duration_seconds'];
          attributes.stickiness = [{ enabled: attrs['stickiness.enabled'] === 'true', type, ...(duration !== undefined ? { cookie_duration: Number(duration) } : {}) }];
        }
      }
      return foundEntry(t, 'aws_lb_target_group', ctx, attributes, { arn: tg.TargetGroupArn });
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const elb = clients.elbv2;
    const key = ATTRIBUTE_KEYS[attribute];
    if (key) {
      const value = String(num(declared) ?? (attribute === 'deregistration_delay' ? 300 : 0));
      await clients.gate.call('elasticloadbalancing:ModifyTargetGroupAttributes', () =>
        elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: id, Attributes: [{ Key: key, Value: value }] })));
      return { ok: true, message: `${attribute} set to ${value}` };
    }
    switch (attribute) {
      case 'health_check': {
        const b = firstBlock(declared) ?? {};
        const value = <K extends keyof typeof HC_DEFAULTS>(k: K): Known => (b[k] === undefined || b[k] === null || b[k] === '' ? HC_DEFAULTS[k] : b[k]!);
        await clients.gate.call('elasticloadbalancing:ModifyTargetGroup', () => elb.send(new ModifyTargetGroupCommand({
          TargetGroupArn: id, HealthCheckEnabled: bool(value('enabled')) === true, HealthyThresholdCount: num(value('healthy_threshold')),
          UnhealthyThresholdCount: num(value('unhealthy_threshold')), HealthCheckIntervalSeconds: num(value('interval')), HealthCheckPort: String(value('port')),
          HealthCheckProtocol: String(value('protocol')).toUpperCase() as ProtocolEnum,
          HealthCheckPath: str(b.path), HealthCheckTimeoutSeconds: num(b.timeout as Known), Matcher: str(b.matcher) ? { HttpCode: String(b.matcher) } : undefined,
        })));
        return { ok: true, message: 'health check restored' };
      }
      case 'stickiness': {
        const b = firstBlock(declared);
        const on = Boolean(b) && bool(b!.enabled as Known) !== false;
        const type = String(b?.type ?? 'lb_cookie');
        const attrs = [{ Key: 'stickiness.enabled', Value: String(on) }, { Key: 'stickiness.type', Value: type }];
        if (b && b.cookie_duration !== undefined && b.cookie_duration !== null) attrs.push({ Key: `stickiness.${type}.duration_seconds`, Value: String(num(b.cookie_duration as Known)) });
        await clients.gate.call('elasticloadbalancing:ModifyTargetGroupAttributes', () => elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: id, Attributes: attrs })));
        return { ok: true, message: `stickiness ${on ? 'enabled' : 'disabled'}` };
      }
      case 'tags':
        return revertElbTags(clients, request);
      default:
        return cannotRevert(attribute);
    }
  },
};
