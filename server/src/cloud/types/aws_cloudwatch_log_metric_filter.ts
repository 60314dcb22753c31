// aws_cloudwatch_log_metric_filter ↔ CloudWatch Logs DescribeMetricFilters: one listing per log
// group (50 filters a page) serves every filter declared on it, and above LIST_ALL_ABOVE groups one
// listing of the region's filters (no group named, 50 a page) serves them all; written back with PutMetricFilter,
// which replaces the whole filter, so the writer re-reads it first and changes only the drifted part.
import { DescribeMetricFiltersCommand, MetricFilter, MetricTransformation, PutMetricFilterCommand, StandardUnit } from '@aws-sdk/client-cloudwatch-logs';
import { isObject, Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { firstBlock } from './blocks';
import { bool, cannotRevert, foundEntry, num, str } from './common';
import { filterId, readByGroup, splitFilterId } from './logs-filters-common';
import type { ResourceType } from './resource-type';

/** The provider's default unit: it sends `None` when the block sets none. */
const DEFAULT_UNIT = 'None';

/** `default_value` is a nullable float kept as a string in state ('' when unset). */
function defaultValueOf(v: unknown): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = num(v as Known);
  return n === undefined ? null : n;
}

function dimensionsOf(v: unknown): Record<string, string> | null {
  if (!isObject(v as Known)) return null;
  const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)] as const);
  return entries.length ? Object.fromEntries(entries) : null;
}

/** The one `metric_transformation` block as one canonical atom; an unset unit is the provider's `None`. */
function transformation(blocks: Known): Known {
  const b = firstBlock(blocks);
  if (!b) return [];
  return [{
    name: str(b.name) ?? '', namespace: str(b.namespace) ?? '', value: typeof b.value === 'string' ? b.value : String(b.value ?? ''),
    default_value: defaultValueOf(b.default_value), dimensions: dimensionsOf(b.dimensions), unit: str(b.unit) ?? DEFAULT_UNIT,
  }];
}

function liveTransformation(t: MetricTransformation | undefined): Record<string, Known> {
  return {
    name: t?.metricName ?? '', namespace: t?.metricNamespace ?? '', value: t?.metricValue ?? '',
    default_value: t?.defaultValue === undefined ? '' : String(t.defaultValue), dimensions: t?.dimensions ?? {}, unit: t?.unit ?? DEFAULT_UNIT,
  };
}

/** The declared block in the API's shape (as the provider expands it). */
function expandTransformation(declared: Known): MetricTransformation | undefined {
  const b = firstBlock(declared);
  if (!b || !str(b.name) || !str(b.namespace)) return undefined;
  const d = defaultValueOf(b.default_value);
  const dims = dimensionsOf(b.dimensions);
  return {
    metricName: str(b.name), metricNamespace: str(b.namespace), metricValue: String(b.value ?? ''),
    ...(d !== null ? { defaultValue: d } : {}), ...(dims ? { dimensions: dims } : {}), unit: (str(b.unit) ?? DEFAULT_UNIT) as StandardUnit,
  };
}

async function listFilters(clients: AwsClients, group: string, prefix?: string): Promise<Map<string, MetricFilter>> {
  const out = new Map<string, MetricFilter>();
  let token: string | undefined;
  do {
    const page = await clients.gate.call('logs:DescribeMetricFilters', () =>
      clients.logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, filterNamePrefix: prefix, limit: 50, nextToken: token })));
    for (const f of page.metricFilters ?? []) if (f.filterName) out.set(f.filterName, f);
    token = page.nextToken;
  } while (token);
  return out;
}

/** Above this many log groups one listing of the region's filters is cheaper than one listing per group (as for log groups). */
const LIST_ALL_ABOVE = 10;

/** Every metric filter of the region, by log group then name. */
async function listRegion(clients: AwsClients): Promise<Map<string, Map<string, MetricFilter>>> {
  const out = new Map<string, Map<string, MetricFilter>>();
  let token: string | undefined;
  do {
    const page = await clients.gate.call('logs:DescribeMetricFilters', () => clients.logs.send(new DescribeMetricFiltersCommand({ limit: 50, nextToken: token })));
    for (const f of page.metricFilters ?? []) {
      if (!f.filterName || !f.logGroupName) continue;
      let group = out.get(f.logGroupName);
      if (!group) out.set(f.logGroupName, (group = new Map()));
      group.set(f.filterName, f);
    }
    token = page.nextToken;
  } while (token);
  return out;
}

export const awsCloudwatchLogMetricFilter: ResourceType = {
  type: 'aws_cloudwatch_log_metric_filter',
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'log_group_name', compare: 'scalar', forceNew: true },
    // The provider trims the pattern before it writes it (StateFunc strings.TrimSpace).
    { name: 'pattern', compare: 'scalar', normalize: (v) => (typeof v === 'string' ? v.trim() : v) },
    { name: 'metric_transformation', compare: 'blocks', normalize: transformation },
    // Optional and computed in the provider: compared only when declared.
    { name: 'apply_on_transformed_logs', compare: 'scalar' },
  ],
  idFromState: filterId,
  importId: (live) => live.id,
  suggestName: (live) => splitFilterId(live.id).name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'metric_filter',

  read(targets, ctx) {
    const groups = new Set(targets.map((t) => splitFilterId(t.id).group));
    let region: Promise<Map<string, Map<string, MetricFilter>>> | undefined;
    // A group the region's listing does not name has no filters (or is gone): its filters read as missing either way.
    const listGroup = groups.size > LIST_ALL_ABOVE
      ? async (group: string) => (await (region ??= listRegion(ctx.clients))).get(group) ?? new Map<string, MetricFilter>()
      : (group: string) => listFilters(ctx.clients, group);
    return readByGroup(targets, ctx, listGroup, (t, f) => foundEntry(t, 'aws_cloudwatch_log_metric_filter', ctx, {
      name: f.filterName,
      log_group_name: f.logGroupName ?? splitFilterId(t.id).group,
      pattern: f.filterPattern ?? '',
      metric_transformation: (f.metricTransformations ?? []).slice(0, 1).map(liveTransformation),
      apply_on_transformed_logs: f.applyOnTransformedLogs ?? false,
    }), 'metric filter');
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const { group, name } = splitFilterId(id);
    if (!['pattern', 'metric_transformation', 'apply_on_transformed_logs'].includes(attribute)) return cannotRevert(attribute);
    const current = (await listFilters(clients, group, name)).get(name);
    if (!current) return { ok: false, message: `metric filter ${name} no longer exists on log group ${group}` };
    let pattern = current.filterPattern ?? '';
    let transformations = current.metricTransformations ?? [];
    let applyOnTransformedLogs = current.applyOnTransformedLogs;
    if (attribute === 'pattern') {
      if (typeof declared !== 'string') return { ok: false, message: 'declared pattern is not a string' };
      pattern = declared.trim();
    } else if (attribute === 'metric_transformation') {
      const t = expandTransformation(declared);
      if (!t) return { ok: false, message: 'declared metric_transformation has no name or namespace' };
      transformations = [t];
    } else {
      const b = bool(declared);
      if (b === undefined) return { ok: false, message: 'declared apply_on_transformed_logs is not a boolean' };
      applyOnTransformedLogs = b;
    }
    await clients.gate.call('logs:PutMetricFilter', () => clients.logs.send(new PutMetricFilterCommand({
      logGroupName: group, filterName: name, filterPattern: pattern, metricTransformations: transformations, applyOnTransformedLogs,
    })));
    return { ok: true, message: `metric filter ${attribute.replace(/_/g, ' ')} restored` };
  },
};
