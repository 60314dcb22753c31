// aws_route53_health_check: one ListHealthChecks listing (1,000 a page) serves every health check,
// tags from the Tagging API's page, else ListTagsForResources (10 ids a call). Nothing has a provider default here that the
// provider does not also compute, so each argument compares only when declared. What
// UpdateHealthCheck accepts is written back; the type, interval, latency measurement and routing
// control force a new health check.
import {
  ChangeTagsForResourceCommand, HealthCheck, ListHealthChecksCommand, UpdateHealthCheckCommand, UpdateHealthCheckCommandInput,
} from '@aws-sdk/client-route-53';
import type { LiveEntry } from '../../drift/snapshot';
import type { Known } from '../../drift/values';
import { bool, cannotRevert, failureText, foundEntry, missingEntry, num, str, revertTagMap, unknownEntry } from './common';
import type { ReadContext, ResourceType } from './resource-type';
import { route53Arn, route53Tags } from './route53-tags';

async function allChecks(ctx: ReadContext): Promise<Map<string, HealthCheck>> {
  const byId = new Map<string, HealthCheck>();
  let Marker: string | undefined;
  do {
    const out = await ctx.clients.gate.call('route53:ListHealthChecks', () => ctx.clients.route53.send(new ListHealthChecksCommand({ MaxItems: 1000, Marker })));
    for (const c of out.HealthChecks ?? []) if (c.Id) byId.set(c.Id, c);
    Marker = out.IsTruncated ? out.NextMarker : undefined;
  } while (Marker);
  return byId;
}

function attributesOf(c: HealthCheck): Record<string, unknown> {
  const k = c.HealthCheckConfig;
  return {
    type: k?.Type ?? '', fqdn: k?.FullyQualifiedDomainName ?? '', ip_address: k?.IPAddress ?? '', port: k?.Port ?? 0, resource_path: k?.ResourcePath ?? '',
    search_string: k?.SearchString ?? '', request_interval: k?.RequestInterval ?? 0, failure_threshold: k?.FailureThreshold ?? 0, measure_latency: k?.MeasureLatency ?? false,
    invert_healthcheck: k?.Inverted ?? false, disabled: k?.Disabled ?? false, enable_sni: k?.EnableSNI ?? false, child_healthchecks: k?.ChildHealthChecks ?? [],
    child_health_threshold: k?.HealthThreshold ?? 0, regions: k?.Regions ?? [], cloudwatch_alarm_name: k?.AlarmIdentifier?.Name ?? '',
    cloudwatch_alarm_region: k?.AlarmIdentifier?.Region ?? '', insufficient_data_health_status: k?.InsufficientDataHealthStatus ?? '', routing_control_arn: k?.RoutingControlArn ?? '',
    version: c.HealthCheckVersion,
  };
}

/** Terraform argument → how UpdateHealthCheck takes its declared value. */
const WRITERS: Record<string, (v: Known) => Partial<UpdateHealthCheckCommandInput>> = {
  fqdn: (v) => ({ FullyQualifiedDomainName: str(v) }),
  ip_address: (v) => ({ IPAddress: str(v) }),
  port: (v) => ({ Port: num(v) }),
  resource_path: (v) => ({ ResourcePath: str(v) }),
  search_string: (v) => ({ SearchString: typeof v === 'string' ? v : undefined }),
  failure_threshold: (v) => ({ FailureThreshold: num(v) }),
  invert_healthcheck: (v) => ({ Inverted: bool(v) ?? false }),
  disabled: (v) => ({ Disabled: bool(v) ?? false }),
  enable_sni: (v) => ({ EnableSNI: bool(v) }),
  child_healthchecks: (v) => ({ ChildHealthChecks: Array.isArray(v) ? v.map(String) : [] }),
  child_health_threshold: (v) => ({ HealthThreshold: num(v) }),
  regions: (v) => ({ Regions: Array.isArray(v) ? (v.map(String) as UpdateHealthCheckCommandInput['Regions']) : undefined }),
  insufficient_data_health_status: (v) => ({ InsufficientDataHealthStatus: str(v) as UpdateHealthCheckCommandInput['InsufficientDataHealthStatus'] }),
};

export const awsRoute53HealthCheck: ResourceType = {
  type: 'aws_route53_health_check',
  tags: true,
  taggingType: 'route53:healthcheck',
  attributes: [
    { name: 'type', compare: 'scalar', forceNew: true },
    { name: 'fqdn', compare: 'scalar' },
    { name: 'ip_address', compare: 'scalar' },
    { name: 'port', compare: 'scalar' },
    { name: 'resource_path', compare: 'scalar' },
    { name: 'search_string', compare: 'scalar' },
    { name: 'request_interval', compare: 'scalar', forceNew: true },
    { name: 'failure_threshold', compare: 'scalar' },
    { name: 'measure_latency', compare: 'scalar', forceNew: true },
    { name: 'invert_healthcheck', compare: 'scalar', severity: 'error' },
    { name: 'disabled', compare: 'scalar', severity: 'error' },
    { name: 'enable_sni', compare: 'scalar' },
    { name: 'child_healthchecks', compare: 'set' },
    { name: 'child_health_threshold', compare: 'scalar' },
    { name: 'regions', compare: 'set' },
    { name: 'insufficient_data_health_status', compare: 'scalar' },
    { name: 'routing_control_arn', compare: 'scalar', forceNew: true },
  ],
  notCompared: {
    arn: 'computed by AWS', reference_name: 'the caller reference suffix, which Route 53 does not return as written',
    cloudwatch_alarm_name: 'not written back yet (set with the alarm region)', cloudwatch_alarm_region: 'not written back yet (set with the alarm name)',
    triggers: 'a Terraform-side setting',
  },
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:healthcheck\/([0-9a-f-]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => (String(live.attributes.fqdn || live.attributes.ip_address || live.id)).replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  async read(targets, ctx) {
    const result = new Map<string, LiveEntry>();
    let checks: Map<string, HealthCheck>;
    try {
      checks = await allChecks(ctx);
    } catch (error) {
      for (const t of targets) result.set(t.address, unknownEntry(ctx, failureText(error)));
      return result;
    }
    const { tags, failures } = await route53Tags(ctx, 'healthcheck', targets.filter((t) => checks.has(t.id)).map((t) => t.id));
    for (const t of targets) {
      const c = checks.get(t.id);
      if (!c) {
        result.set(t.address, missingEntry(ctx, t.id, `health check ${t.id} does not exist`));
        continue;
      }
      const tagFailure = failures.get(t.id);
      result.set(t.address, foundEntry(t, 'aws_route53_health_check', ctx, { ...attributesOf(c), tags: tags.get(t.id) ?? {} },
        { arn: route53Arn('healthcheck', t.id), ...(tagFailure ? { unknownAttributes: { tags: tagFailure } } : {}) }));
    }
    return result;
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    if (attribute === 'tags') {
      return revertTagMap(request, ({ set, remove }) => clients.gate.call('route53:ChangeTagsForResource', () => clients.route53.send(new ChangeTagsForResourceCommand({
        ResourceType: 'healthcheck', ResourceId: id, AddTags: set.length ? set : undefined, RemoveTagKeys: remove.length ? remove : undefined,
      }))));
    }
    const writer = WRITERS[attribute];
    if (!writer) return cannotRevert(attribute);
    // An empty declared list or path is a reset, as the provider sends it.
    const reset = (attribute === 'child_healthchecks' || attribute === 'regions') && Array.isArray(declared) && !declared.length ? [attribute === 'regions' ? 'Regions' : 'ChildHealthChecks']
      : (attribute === 'fqdn' || attribute === 'resource_path') && !declared ? [attribute === 'fqdn' ? 'FullyQualifiedDomainName' : 'ResourcePath'] : undefined;
    await clients.gate.call('route53:UpdateHealthCheck', () => clients.route53.send(new UpdateHealthCheckCommand({
      HealthCheckId: id, ...(reset ? { ResetElements: reset as UpdateHealthCheckCommandInput['ResetElements'] } : writer(declared)),
    })));
    return { ok: true, message: `${attribute} of health check ${id} restored` };
  },
};
