// aws_lb ↔ ELBv2 DescribeLoadBalancers: one listing of the region (400 a page) serves every load
// balancer — by-ARN lookups take 20 at most and fail whole when one is gone — plus
// DescribeLoadBalancerAttributes per load balancer (ELB has no batch attribute read), made only when
// the block declares an argument that lives there (or when nothing says which arguments are declared).
// Tags come from the Tagging API's answer or DescribeTags (20 ARNs a call).
import {
  DescribeLoadBalancerAttributesCommand, DescribeLoadBalancersCommand, IpAddressType, LoadBalancer, ModifyLoadBalancerAttributesCommand,
  SetIpAddressTypeCommand, SetSecurityGroupsCommand, SetSubnetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Known } from '../../drift/values';
import { firstBlock, stringsOf } from './blocks';
import { bool, cannotRevert, failureText, foundEntry, missingEntry, num, perTarget, str, unknownEntry } from './common';
import { attributeMap, elbTags, flag, revertElbTags } from './elb-common';
import type { ResourceType } from './resource-type';

/** Terraform argument → load balancer attribute key (the ones that apply to the balancer's type are returned by AWS). */
const ATTRIBUTE_KEYS: Record<string, string> = {
  enable_deletion_protection: 'deletion_protection.enabled',
  idle_timeout: 'idle_timeout.timeout_seconds',
  enable_http2: 'routing.http2.enabled',
  drop_invalid_header_fields: 'routing.http.drop_invalid_header_fields.enabled',
  enable_cross_zone_load_balancing: 'load_balancing.cross_zone.enabled',
};
const ATTRIBUTE_ARGS = new Set([...Object.keys(ATTRIBUTE_KEYS), 'access_logs']);

/** `access_logs { bucket prefix enabled }`: a disabled block equals none (the provider's enabled defaults to false). */
function accessLogs(v: Known): Known {
  const b = firstBlock(v);
  if (!b || bool(b.enabled as Known) !== true) return ['disabled'];
  return [`to s3://${String(b.bucket ?? '')}/${str(b.prefix) ?? ''}`];
}

export const awsLb: ResourceType = {
  type: 'aws_lb',
  tags: true,
  taggingType: 'elasticloadbalancing:loadbalancer',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'internal', compare: 'scalar', forceNew: true },
    { name: 'load_balancer_type', compare: 'scalar', default: 'application', forceNew: true },
    { name: 'security_groups', compare: 'set', severity: 'error' },
    { name: 'subnets', compare: 'set', severity: 'warning' },
    { name: 'ip_address_type', compare: 'scalar' },
    // Defaults apply only to the balancer types that have the attribute: AWS returns nothing for the others, and nothing is not compared.
    { name: 'enable_deletion_protection', compare: 'scalar', default: false, severity: 'warning' },
    { name: 'idle_timeout', compare: 'scalar', default: 60 },
    { name: 'enable_http2', compare: 'scalar', default: true },
    { name: 'drop_invalid_header_fields', compare: 'scalar', default: false, severity: 'warning' },
    { name: 'enable_cross_zone_load_balancing', compare: 'scalar' },
    { name: 'access_logs', compare: 'blocks', normalize: accessLogs, severity: 'warning' },
  ],
  notCompared: {
    subnet_mapping: 'not read yet (subnets are compared)',
    name_prefix: 'Terraform picks the name once at creation',
    dns_name: 'computed by AWS',
    zone_id: 'computed by AWS',
    arn_suffix: 'computed by AWS',
    vpc_id: 'computed by AWS from the subnets',
    customer_owned_ipv4_pool: 'fixed at creation (ForceNew)',
    desync_mitigation_mode: 'not read yet',
    preserve_host_header: 'not read yet',
    connection_logs: 'not read yet',
  },
  idFromState: (a) => str(a.arn) ?? str(a.id),
  idFromArn: (arn) => (/^arn:aws[\w-]*:elasticloadbalancing:[^:]*:\d{12}:loadbalancer\/(app|net|gwy)\//.test(arn) ? arn : undefined),
  importId: (live) => live.id,
  suggestName: (live) => String(live.attributes.name ?? 'lb').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  async read(targets, ctx) {
    const all = new Map<string, LoadBalancer>();
    try {
      let marker: string | undefined;
      do {
        const page = await ctx.clients.gate.call('elasticloadbalancing:DescribeLoadBalancers', () =>
          ctx.clients.elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 400, Marker: marker })));
        for (const lb of page.LoadBalancers ?? []) if (lb.LoadBalancerArn) all.set(lb.LoadBalancerArn, lb);
        marker = page.NextMarker;
      } while (marker);
    } catch (error) {
      const reason = failureText(error);
      return new Map(targets.map((t) => [t.address, unknownEntry(ctx, reason)]));
    }
    let tags: Map<string, Record<string, string>>;
    try {
      tags = await elbTags(ctx, targets.map((t) => t.id).filter((id) => all.has(id)));
    } catch (error) {
      const reason = failureText(error);
      return new Map(targets.map((t) => [t.address, unknownEntry(ctx, reason)]));
    }
    return perTarget(targets, ctx, async (t) => {
      const lb = all.get(t.id);
      if (!lb) return missingEntry(ctx, t.id, `load balancer ${t.id} does not exist`);
      const attributes: Record<string, unknown> = {
        name: lb.LoadBalancerName,
        internal: lb.Scheme === 'internal',
        load_balancer_type: lb.Type ?? 'application',
        security_groups: lb.SecurityGroups ?? [],
        subnets: (lb.AvailabilityZones ?? []).map((z) => z.SubnetId).filter(Boolean),
        ip_address_type: lb.IpAddressType ?? 'ipv4',
        dns_name: lb.DNSName ?? null,
        tags: tags.get(t.id) ?? {},
      };
      if (!t.needs || [...ATTRIBUTE_ARGS].some((a) => t.needs!.has(a))) {
        const out = await ctx.clients.gate.call('elasticloadbalancing:DescribeLoadBalancerAttributes', () =>
          ctx.clients.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: t.id })));
        const attrs = attributeMap(out.Attributes);
        for (const [arg, key] of Object.entries(ATTRIBUTE_KEYS)) {
          if (attrs[key] === undefined) continue;
          attributes[arg] = arg === 'idle_timeout' ? Number(attrs[key]) : flag(attrs[key]);
        }
        if (attrs['access_logs.s3.enabled'] !== undefined) {
          attributes.access_logs = [{ enabled: attrs['access_logs.s3.enabled'] === 'true', bucket: attrs['access_logs.s3.bucket'] ?? '', prefix: attrs['access_logs.s3.prefix'] ?? '' }];
        }
      }
      return foundEntry(t, 'aws_lb', ctx, attributes, { arn: lb.LoadBalancerArn });
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const elb = clients.elbv2;
    const key = ATTRIBUTE_KEYS[attribute];
    if (key) {
      const value = attribute === 'idle_timeout' ? String(num(declared) ?? 60) : String(bool(declared) === true);
      await clients.gate.call('elasticloadbalancing:ModifyLoadBalancerAttributes', () =>
        elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: id, Attributes: [{ Key: key, Value: value }] })));
      return { ok: true, message: `${attribute} set to ${value}` };
    }
    switch (attribute) {
      case 'access_logs': {
        const b = firstBlock(declared);
        const on = Boolean(b) && bool(b!.enabled as Known) === true;
        const attrs = [{ Key: 'access_logs.s3.enabled', Value: String(on) }];
        if (b) attrs.push({ Key: 'access_logs.s3.bucket', Value: String(b.bucket ?? '') }, { Key: 'access_logs.s3.prefix', Value: String(b.prefix ?? '') });
        await clients.gate.call('elasticloadbalancing:ModifyLoadBalancerAttributes', () => elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: id, Attributes: attrs })));
        return { ok: true, message: `access logs ${on ? 'enabled' : 'disabled'}` };
      }
      case 'security_groups':
        await clients.gate.call('elasticloadbalancing:SetSecurityGroups', () => elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: id, SecurityGroups: stringsOf(declared) })));
        return { ok: true, message: 'security groups restored' };
      case 'subnets':
        await clients.gate.call('elasticloadbalancing:SetSubnets', () => elb.send(new SetSubnetsCommand({ LoadBalancerArn: id, Subnets: stringsOf(declared) })));
        return { ok: true, message: 'subnets restored' };
      case 'ip_address_type':
        await clients.gate.call('elasticloadbalancing:SetIpAddressType', () => elb.send(new SetIpAddressTypeCommand({ LoadBalancerArn: id, IpAddressType: String(declared) as IpAddressType })));
        return { ok: true, message: `IP address type set to ${String(declared)}` };
      case 'tags':
        return revertElbTags(clients, request);
      default:
        return cannotRevert(attribute);
    }
  },
};
