// CloudWatch Logs metric filters and subscription filters (JSON 1.1, Logs_20140328.*): what
// aws_cloudwatch_log_metric_filter and aws_cloudwatch_log_subscription_filter read and write.
// Both live on their log group: deleting the group deletes them.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { json } from '../protocol/json11';
import type { LogGroup } from '../world';

export interface LogMetricTransformation {
  metricName: string;
  metricNamespace: string;
  metricValue: string;
  defaultValue?: number;
  dimensions?: Record<string, string>;
  unit?: string;
}

export interface LogMetricFilter {
  filterName: string;
  filterPattern: string;
  metricTransformations: LogMetricTransformation[];
  applyOnTransformedLogs: boolean;
  creationTime: number;
}

export interface LogSubscriptionFilter {
  filterName: string;
  filterPattern: string;
  destinationArn: string;
  roleArn?: string;
  distribution: 'Random' | 'ByLogStream';
  applyOnTransformedLogs: boolean;
  creationTime: number;
}

/** AWS's quotas: 100 metric filters and 2 subscription filters per log group. */
const MAX_METRIC_FILTERS = 100;
const MAX_SUBSCRIPTION_FILTERS = 2;
const FILTER_NAME = /^[^:*]{1,512}$/;
const METRIC_NAME = /^[^:*$]{1,255}$/;
const UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits',
  'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

const invalid = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);
const constraint = (field: string, value: unknown, rule: string): ApiError =>
  invalid(`1 validation error detected: Value '${value === undefined ? 'null' : String(value)}' at '${field}' failed to satisfy constraint: ${rule}`);

function required(input: Record<string, unknown>, name: string): string {
  const v = json.str(input, name);
  if (v === undefined) throw constraint(name, undefined, 'Member must not be null');
  return v;
}

function filterNameOf(input: Record<string, unknown>): string {
  const name = required(input, 'filterName');
  if (!FILTER_NAME.test(name)) throw constraint('filterName', name, 'Member must satisfy regular expression pattern: [^:*]*');
  return name;
}

/** The filter pattern syntax AWS rejects outright: unbalanced quotes, braces or brackets. */
function patternOf(input: Record<string, unknown>): string {
  const pattern = required(input, 'filterPattern');
  if (pattern.length > 1024) throw constraint('filterPattern', pattern, 'Member must have length less than or equal to 1024');
  let depth = 0;
  let quoted = false;
  for (const ch of pattern) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '{' || ch === '[')) depth++;
    else if (!quoted && (ch === '}' || ch === ']')) depth--;
    if (depth < 0) break;
  }
  if (quoted || depth !== 0) throw invalid('Invalid metric filter pattern');
  return pattern;
}

function bool(input: Record<string, unknown>, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new ApiError('SerializationException', `${name} must be a boolean`, 400);
  return v;
}

function transformationOf(raw: Record<string, unknown>, i: number): LogMetricTransformation {
  const at = (f: string): string => `metricTransformations.${i + 1}.member.${f}`;
  const metricName = json.str(raw, 'metricName');
  const metricNamespace = json.str(raw, 'metricNamespace');
  const metricValue = json.str(raw, 'metricValue');
  if (metricName === undefined) throw constraint(at('metricName'), undefined, 'Member must not be null');
  if (!METRIC_NAME.test(metricName)) throw constraint(at('metricName'), metricName, 'Member must satisfy regular expression pattern: [^:*$]*');
  if (metricNamespace === undefined) throw constraint(at('metricNamespace'), undefined, 'Member must not be null');
  if (!METRIC_NAME.test(metricNamespace)) throw constraint(at('metricNamespace'), metricNamespace, 'Member must satisfy regular expression pattern: [^:*$]*');
  if (metricValue === undefined) throw constraint(at('metricValue'), undefined, 'Member must not be null');
  if (metricValue.length > 100) throw constraint(at('metricValue'), metricValue, 'Member must have length less than or equal to 100');
  const d = raw.defaultValue;
  if (d !== undefined && d !== null && (typeof d !== 'number' || !Number.isFinite(d))) throw new ApiError('SerializationException', 'defaultValue must be a number', 400);
  const dimensions = json.map(raw, 'dimensions');
  if (dimensions && Object.keys(dimensions).length > 3) throw invalid('A metric filter can have no more than 3 dimensions.');
  if (dimensions && Object.keys(dimensions).length > 0 && typeof d === 'number') throw invalid('Metric filters with dimensions cannot have a default value.');
  const unit = json.str(raw, 'unit');
  if (unit !== undefined && !UNITS.has(unit)) throw constraint(at('unit'), unit, `Member must satisfy enum value set: [${[...UNITS].join(', ')}]`);
  return {
    metricName, metricNamespace, metricValue,
    ...(typeof d === 'number' ? { defaultValue: d } : {}),
    ...(dimensions && Object.keys(dimensions).length ? { dimensions: { ...dimensions } } : {}),
    ...(unit !== undefined ? { unit } : {}),
  };
}

/** A subscription destination: same-account Kinesis, Firehose or Lambda, or a Logs destination (cross-account). */
function destinationOf(ctx: CallContext, input: Record<string, unknown>, roleArn: string | undefined): string {
  const arn = required(input, 'destinationArn');
  const m = /^arn:aws[\w-]*:(kinesis|firehose|lambda|logs):([^:]*):(\d{12}):(.+)$/.exec(arn);
  if (!m) throw invalid(`Invalid destination ARN: ${arn}`);
  const [, service, , account] = m;
  if (service !== 'logs' && account !== ctx.world.accountId) throw invalid('Cross-account delivery is only supported through a CloudWatch Logs destination.');
  if ((service === 'kinesis' || service === 'firehose') && !roleArn) throw invalid('Could not deliver test message to specified destination. Check if the destination is valid and the role is correct.');
  return arn;
}

function page<T extends { filterName: string }>(items: T[], input: Record<string, unknown>): { page: T[]; nextToken?: string } {
  const limit = json.int(input, 'limit') ?? 50;
  if (limit < 1 || limit > 50) throw constraint('limit', limit, 'Member must have value less than or equal to 50');
  const token = json.str(input, 'nextToken');
  let start = 0;
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalid('The specified nextToken is not valid.');
  }
  const slice = items.slice(start, start + limit);
  return { page: slice, ...(start + limit < items.length ? { nextToken: Buffer.from(String(start + limit)).toString('base64url') } : {}) };
}

type GroupLookup = (ctx: CallContext, input: Record<string, unknown>, action: string) => LogGroup;
type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

function describeMetricFilter(g: LogGroup, f: LogMetricFilter): Record<string, unknown> {
  return {
    filterName: f.filterName, filterPattern: f.filterPattern, metricTransformations: f.metricTransformations.map((t) => ({ ...t })),
    creationTime: f.creationTime, logGroupName: g.name, applyOnTransformedLogs: f.applyOnTransformedLogs,
  };
}

function describeSubscriptionFilter(g: LogGroup, f: LogSubscriptionFilter): Record<string, unknown> {
  return {
    filterName: f.filterName, logGroupName: g.name, filterPattern: f.filterPattern, destinationArn: f.destinationArn,
    ...(f.roleArn ? { roleArn: f.roleArn } : {}), distribution: f.distribution, applyOnTransformedLogs: f.applyOnTransformedLogs, creationTime: f.creationTime,
  };
}

const byName = (a: { filterName: string }, b: { filterName: string }): number => (a.filterName < b.filterName ? -1 : a.filterName > b.filterName ? 1 : 0);

/** The operations, given how logs.ts finds (and authorizes) a log group and lists the region's groups. */
export function logFilterOperations(groupFor: GroupLookup, regionGroups: (ctx: CallContext) => LogGroup[]): Record<string, Handler> {
  return {
    PutMetricFilter(ctx, input) {
      const g = groupFor(ctx, input, 'logs:PutMetricFilter');
      const filterName = filterNameOf(input);
      const filterPattern = patternOf(input);
      const raw = json.list(input, 'metricTransformations');
      if (!raw || raw.length === 0) throw constraint('metricTransformations', undefined, 'Member must have length greater than or equal to 1');
      if (raw.length > 1) throw constraint('metricTransformations', raw.length, 'Member must have length less than or equal to 1');
      const metricTransformations = raw.map(transformationOf);
      const all = (g.metricFilters ??= {});
      const existing = all[filterName];
      if (!existing && Object.keys(all).length >= MAX_METRIC_FILTERS) throw new ApiError('LimitExceededException', 'Resource limit exceeded.', 400);
      all[filterName] = {
        filterName, filterPattern, metricTransformations, applyOnTransformedLogs: bool(input, 'applyOnTransformedLogs') ?? false,
        creationTime: existing?.creationTime ?? ctx.now.getTime(),
      };
      return {};
    },
    DeleteMetricFilter(ctx, input) {
      const g = groupFor(ctx, input, 'logs:DeleteMetricFilter');
      const name = filterNameOf(input);
      if (!g.metricFilters?.[name]) throw new ApiError('ResourceNotFoundException', 'The specified metric filter does not exist.', 400);
      delete g.metricFilters[name];
      return {};
    },
    DescribeMetricFilters(ctx, input) {
      const prefix = json.str(input, 'filterNamePrefix');
      const metricName = json.str(input, 'metricName');
      const metricNamespace = json.str(input, 'metricNamespace');
      if ((metricName === undefined) !== (metricNamespace === undefined)) throw invalid('metricName and metricNamespace must be specified together.');
      let groups: LogGroup[];
      if (json.str(input, 'logGroupName') !== undefined) groups = [groupFor(ctx, input, 'logs:DescribeMetricFilters')];
      else {
        if (prefix !== undefined) throw invalid('If you specify filterNamePrefix, you must also specify logGroupName.');
        ctx.authorize('logs:DescribeMetricFilters', `arn:aws:logs:${ctx.region}:${ctx.world.accountId}:log-group:*`);
        groups = regionGroups(ctx).sort((a, b) => (a.name < b.name ? -1 : 1));
      }
      const items = groups.flatMap((g) => Object.values(g.metricFilters ?? {}).sort(byName)
        .filter((f) => prefix === undefined || f.filterName.startsWith(prefix))
        .filter((f) => metricName === undefined || f.metricTransformations.some((t) => t.metricName === metricName && t.metricNamespace === metricNamespace))
        .map((f) => ({ filterName: f.filterName, out: describeMetricFilter(g, f) })));
      const { page: slice, nextToken } = page(items, input);
      return { metricFilters: slice.map((i) => i.out), ...(nextToken ? { nextToken } : {}) };
    },
    PutSubscriptionFilter(ctx, input) {
      const g = groupFor(ctx, input, 'logs:PutSubscriptionFilter');
      const filterName = filterNameOf(input);
      const filterPattern = patternOf(input);
      const roleArn = json.str(input, 'roleArn');
      if (roleArn !== undefined && !/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(roleArn)) throw invalid(`Invalid role ARN: ${roleArn}`);
      const destinationArn = destinationOf(ctx, input, roleArn);
      const distribution = json.str(input, 'distribution') ?? 'ByLogStream';
      if (distribution !== 'Random' && distribution !== 'ByLogStream') throw constraint('distribution', distribution, 'Member must satisfy enum value set: [Random, ByLogStream]');
      const all = (g.subscriptionFilters ??= {});
      const existing = all[filterName];
      if (!existing && Object.keys(all).length >= MAX_SUBSCRIPTION_FILTERS) throw new ApiError('LimitExceededException', 'Resource limit exceeded.', 400);
      all[filterName] = {
        filterName, filterPattern, destinationArn, ...(roleArn ? { roleArn } : {}), distribution,
        applyOnTransformedLogs: bool(input, 'applyOnTransformedLogs') ?? false, creationTime: existing?.creationTime ?? ctx.now.getTime(),
      };
      return {};
    },
    DeleteSubscriptionFilter(ctx, input) {
      const g = groupFor(ctx, input, 'logs:DeleteSubscriptionFilter');
      const name = filterNameOf(input);
      if (!g.subscriptionFilters?.[name]) throw new ApiError('ResourceNotFoundException', 'The specified subscription filter does not exist.', 400);
      delete g.subscriptionFilters[name];
      return {};
    },
    DescribeSubscriptionFilters(ctx, input) {
      const g = groupFor(ctx, input, 'logs:DescribeSubscriptionFilters');
      const prefix = json.str(input, 'filterNamePrefix');
      const items = Object.values(g.subscriptionFilters ?? {}).sort(byName).filter((f) => prefix === undefined || f.filterName.startsWith(prefix));
      const { page: slice, nextToken } = page(items, input);
      return { subscriptionFilters: slice.map((f) => describeSubscriptionFilter(g, f)), ...(nextToken ? { nextToken } : {}) };
    },
  };
}
