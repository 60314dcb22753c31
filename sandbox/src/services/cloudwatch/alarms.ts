// CloudWatch metric alarms (JSON 1.0, GraniteServiceVersion20100801.*): PutMetricAlarm creates
// or replaces a whole alarm; DescribeAlarms by names (100 at most) or prefix, 100 a page; actions
// on and off; state; tags on the alarm ARN. No metric data exists, so alarms stay in the state
// they were put in (INSUFFICIENT_DATA) unless SetAlarmState moves them.
import type { CallContext } from '../../context';
import { json } from '../../protocol/json11';
import type { Tags } from '../../world';
import { cloudwatchError } from './errors';

export interface MetricDimension {
  Name: string;
  Value: string;
}

/** One entry of a metric-math alarm's `Metrics`, as the API shapes it. */
export interface MetricQuery {
  Id: string;
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
  AccountId?: string;
  MetricStat?: { Metric: { Namespace?: string; MetricName?: string; Dimensions?: MetricDimension[] }; Period: number; Stat: string; Unit?: string };
}

export interface MetricAlarm {
  name: string;
  region: string;
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  metricName?: string;
  namespace?: string;
  statistic?: string;
  extendedStatistic?: string;
  dimensions: MetricDimension[];
  period?: number;
  unit?: string;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold?: number;
  thresholdMetricId?: string;
  comparisonOperator: string;
  treatMissingData?: string;
  evaluateLowSampleCountPercentile?: string;
  metrics?: MetricQuery[];
  state: { value: string; reason: string; updated: number };
  configurationUpdated: number;
  tags: Tags;
}

const STATISTICS = new Set(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);
const OPERATORS = new Set([
  'GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold',
]);
const TREAT_MISSING = new Set(['breaching', 'notBreaching', 'ignore', 'missing']);
const STATES = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits',
  'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);
const MAX_ACTIONS = 5;
const MAX_NAMES = 100;
const PAGE = 100;

const validation = (field: string, value: unknown, rule: string) =>
  cloudwatchError('ValidationError', `1 validation error detected: Value '${value === undefined ? 'null' : String(value)}' at '${field}' failed to satisfy constraint: ${rule}`);
const invalidValue = (message: string) => cloudwatchError('InvalidParameterValue', message);
const combination = (message: string) => cloudwatchError('InvalidParameterCombination', message);

const alarmsOf = (ctx: CallContext): Record<string, MetricAlarm> => (ctx.world.metricAlarms ??= {});
const keyOf = (region: string, name: string): string => `${region}/${name}`;
export const alarmArn = (ctx: Pick<CallContext, 'world'>, region: string, name: string): string => `arn:aws:cloudwatch:${region}:${ctx.world.accountId}:alarm:${name}`;

function num(input: Record<string, unknown>, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw cloudwatchError('SerializationException', `${name} must be a number`);
  return v;
}

function bool(input: Record<string, unknown>, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw cloudwatchError('SerializationException', `${name} must be a boolean`);
  return v;
}

function enumOf(input: Record<string, unknown>, name: string, field: string, allowed: Set<string>): string | undefined {
  const v = json.str(input, name);
  if (v !== undefined && !allowed.has(v)) throw validation(field, v, `Member must satisfy enum value set: [${[...allowed].join(', ')}]`);
  return v;
}

function actionsOf(input: Record<string, unknown>, name: string, field: string): string[] {
  const list = json.strings(input, name) ?? [];
  if (list.length > MAX_ACTIONS) throw validation(field, list.length, `Member must have length less than or equal to ${MAX_ACTIONS}`);
  for (const a of list) if (!/^arn:aws[\w-]*:[a-z0-9-]+:[^:]*:[^:]*:.+$/.test(a)) throw invalidValue(`Invalid arn syntax: ${a}`);
  return [...new Set(list)];
}

function dimensionsOf(raw: Record<string, unknown>[] | undefined, field: string): MetricDimension[] {
  const out = (raw ?? []).map((d, i) => {
    const Name = json.str(d, 'Name');
    const Value = json.str(d, 'Value');
    if (Name === undefined) throw validation(`${field}.${i + 1}.member.name`, undefined, 'Member must not be null');
    if (Value === undefined) throw validation(`${field}.${i + 1}.member.value`, undefined, 'Member must not be null');
    return { Name, Value };
  });
  if (out.length > 30) throw validation(field, out.length, 'Member must have length less than or equal to 30');
  return out;
}

/** AWS's period rule: 10, 20, 30 or a multiple of 60 seconds. */
function checkPeriod(period: number | undefined, field: string): void {
  if (period === undefined) return;
  if (!Number.isInteger(period) || period < 1) throw validation(field, period, 'Member must have value greater than or equal to 1');
  if (![10, 20, 30].includes(period) && period % 60 !== 0) throw invalidValue('The parameter Period must be 10, 20, 30 or a multiple of 60.');
}

function metricsOf(raw: Record<string, unknown>[]): MetricQuery[] {
  if (raw.length > 10) throw validation('metrics', raw.length, 'Member must have length less than or equal to 10');
  const ids = new Set<string>();
  const out = raw.map((m, i): MetricQuery => {
    const at = `metrics.${i + 1}.member`;
    const Id = json.str(m, 'Id');
    if (Id === undefined) throw validation(`${at}.id`, undefined, 'Member must not be null');
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(Id)) throw invalidValue(`Invalid metrics list: the id ${Id} must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(Id)) throw invalidValue(`Invalid metrics list: the id ${Id} is used more than once.`);
    ids.add(Id);
    const Expression = json.str(m, 'Expression');
    const stat = m.MetricStat as Record<string, unknown> | undefined;
    if ((Expression === undefined) === (stat === undefined)) throw combination(`Invalid metrics list: ${Id} must have exactly one of Expression and MetricStat.`);
    const Period = num(m, 'Period');
    checkPeriod(Period, `${at}.period`);
    const q: MetricQuery = { Id, ...(Expression !== undefined ? { Expression } : {}) };
    const Label = json.str(m, 'Label');
    if (Label !== undefined) q.Label = Label;
    const ReturnData = bool(m, 'ReturnData');
    if (ReturnData !== undefined) q.ReturnData = ReturnData;
    if (Period !== undefined) q.Period = Period;
    const AccountId = json.str(m, 'AccountId');
    if (AccountId !== undefined) q.AccountId = AccountId;
    if (stat) {
      const metric = (stat.Metric ?? {}) as Record<string, unknown>;
      const statPeriod = num(stat, 'Period');
      const Stat = json.str(stat, 'Stat');
      if (statPeriod === undefined) throw validation(`${at}.metricStat.period`, undefined, 'Member must not be null');
      if (Stat === undefined) throw validation(`${at}.metricStat.stat`, undefined, 'Member must not be null');
      checkPeriod(statPeriod, `${at}.metricStat.period`);
      const unit = enumOf(stat, 'Unit', `${at}.metricStat.unit`, UNITS);
      q.MetricStat = {
        Metric: { Namespace: json.str(metric, 'Namespace'), MetricName: json.str(metric, 'MetricName'), Dimensions: dimensionsOf(json.list(metric, 'Dimensions'), `${at}.metricStat.metric.dimensions`) },
        Period: statPeriod, Stat, ...(unit !== undefined ? { Unit: unit } : {}),
      };
    }
    return q;
  });
  const returning = out.filter((q) => q.ReturnData !== false);
  if (returning.length !== 1) throw invalidValue('Invalid metrics list: exactly one element must have ReturnData set to true.');
  return out;
}

function checkTags(tags: Record<string, unknown>[] | undefined): Tags {
  const out: Tags = {};
  for (const t of tags ?? []) {
    const k = json.str(t, 'Key');
    const v = json.str(t, 'Value');
    if (k === undefined || v === undefined) throw validation('tags', undefined, 'Tag keys and values must not be null');
    if (k.startsWith('aws:')) throw invalidValue('Tag keys beginning with aws: are reserved.');
    out[k] = v;
  }
  if (Object.keys(out).length > 50) throw cloudwatchError('LimitExceeded', 'A resource can have no more than 50 tags.');
  return out;
}

/** The alarm as DescribeAlarms returns it (JSON 1.0 timestamps are epoch seconds). */
export function describeAlarm(ctx: CallContext, a: MetricAlarm): Record<string, unknown> {
  const seconds = (ms: number): number => ms / 1000;
  return {
    AlarmName: a.name, AlarmArn: alarmArn(ctx, a.region, a.name), ...(a.description !== undefined ? { AlarmDescription: a.description } : {}),
    AlarmConfigurationUpdatedTimestamp: seconds(a.configurationUpdated), ActionsEnabled: a.actionsEnabled,
    OKActions: a.okActions, AlarmActions: a.alarmActions, InsufficientDataActions: a.insufficientDataActions,
    StateValue: a.state.value, StateReason: a.state.reason, StateUpdatedTimestamp: seconds(a.state.updated), StateTransitionedTimestamp: seconds(a.state.updated),
    ...(a.metricName !== undefined ? { MetricName: a.metricName } : {}), ...(a.namespace !== undefined ? { Namespace: a.namespace } : {}),
    ...(a.statistic !== undefined ? { Statistic: a.statistic } : {}), ...(a.extendedStatistic !== undefined ? { ExtendedStatistic: a.extendedStatistic } : {}),
    Dimensions: a.dimensions, ...(a.period !== undefined ? { Period: a.period } : {}), ...(a.unit !== undefined ? { Unit: a.unit } : {}),
    EvaluationPeriods: a.evaluationPeriods, ...(a.datapointsToAlarm !== undefined ? { DatapointsToAlarm: a.datapointsToAlarm } : {}),
    ...(a.threshold !== undefined ? { Threshold: a.threshold } : {}), ...(a.thresholdMetricId !== undefined ? { ThresholdMetricId: a.thresholdMetricId } : {}),
    ComparisonOperator: a.comparisonOperator, ...(a.treatMissingData !== undefined ? { TreatMissingData: a.treatMissingData } : {}),
    ...(a.evaluateLowSampleCountPercentile !== undefined ? { EvaluateLowSampleCountPercentile: a.evaluateLowSampleCountPercentile } : {}),
    ...(a.metrics ? { Metrics: a.metrics } : {}),
  };
}

/** The alarms a call names, each authorized on its ARN and recorded for CloudTrail. */
function named(ctx: CallContext, names: string[], action: string): Array<{ name: string; alarm?: MetricAlarm }> {
  const arns = names.map((n) => alarmArn(ctx, ctx.region, n));
  for (const [i, n] of names.entries()) ctx.trail.resources.push({ type: 'AWS::CloudWatch::Alarm', name: n, arn: arns[i] });
  if (arns.length) ctx.authorize(action, arns);
  return names.map((name) => ({ name, alarm: alarmsOf(ctx)[keyOf(ctx.region, name)] }));
}

/** The alarm a tag call names by ARN (dashboards have no tags in the sandbox: Terraform manages none). */
export function alarmByArn(ctx: CallContext, input: Record<string, unknown>, action: string): MetricAlarm {
  const arn = json.str(input, 'ResourceARN');
  if (arn === undefined) throw validation('resourceARN', undefined, 'Member must not be null');
  const m = /^arn:aws[\w-]*:cloudwatch:([^:]+):(\d{12}):alarm:(.+)$/.exec(arn);
  if (!m) throw invalidValue(`Invalid ARN: ${arn}`);
  ctx.trail.resources.push({ type: 'AWS::CloudWatch::Alarm', name: m[3]!, arn });
  ctx.authorize(action, arn);
  const alarm = m[1] === ctx.region && m[2] === ctx.world.accountId ? alarmsOf(ctx)[keyOf(ctx.region, m[3]!)] : undefined;
  if (!alarm) throw cloudwatchError('ResourceNotFoundException', `The alarm ${m[3]} does not exist.`, 404);
  return alarm;
}

function pageToken(token: string | undefined, total: number): number {
  if (token === undefined) return 0;
  const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0 || n > total) throw cloudwatchError('InvalidNextToken', 'The service returned an invalid next token.');
  return n;
}

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const alarmOperations: Record<string, Handler> = {
  PutMetricAlarm(ctx, input) {
    const name = json.str(input, 'AlarmName');
    if (name === undefined) throw validation('alarmName', undefined, 'Member must not be null');
    if (name.length < 1 || name.length > 255) throw validation('alarmName', name, 'Member must have length less than or equal to 255');
    const existing = named(ctx, [name], 'cloudwatch:PutMetricAlarm')[0]?.alarm;
    const evaluationPeriods = num(input, 'EvaluationPeriods');
    if (evaluationPeriods === undefined) throw validation('evaluationPeriods', undefined, 'Member must not be null');
    if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) throw validation('evaluationPeriods', evaluationPeriods, 'Member must have value greater than or equal to 1');
    const comparisonOperator = enumOf(input, 'ComparisonOperator', 'comparisonOperator', OPERATORS);
    if (comparisonOperator === undefined) throw validation('comparisonOperator', undefined, 'Member must not be null');
    const statistic = enumOf(input, 'Statistic', 'statistic', STATISTICS);
    const extendedStatistic = json.str(input, 'ExtendedStatistic');
    const metricName = json.str(input, 'MetricName');
    const namespace = json.str(input, 'Namespace');
    const rawMetrics = json.list(input, 'Metrics');
    const period = num(input, 'Period');
    const threshold = num(input, 'Threshold');
    const thresholdMetricId = json.str(input, 'ThresholdMetricId');
    if (rawMetrics) {
      if (metricName !== undefined || namespace !== undefined || statistic !== undefined || extendedStatistic !== undefined || period !== undefined) {
        throw combination('The parameters MetricName, Namespace, Statistic, ExtendedStatistic and Period must not be specified with Metrics.');
      }
    } else {
      if (metricName === undefined) throw cloudwatchError('MissingParameter', 'The parameter MetricName is required.');
      if (namespace === undefined) throw cloudwatchError('MissingParameter', 'The parameter Namespace is required.');
      if ((statistic === undefined) === (extendedStatistic === undefined)) throw combination('Exactly one of Statistic and ExtendedStatistic must be specified.');
      if (period === undefined) throw cloudwatchError('MissingParameter', 'The parameter Period is required.');
      if (extendedStatistic !== undefined && !/^(p|tm|wm|tc|ts|TM|WM|TC|TS|PR)\(?\d/.test(extendedStatistic)) throw invalidValue(`The value ${extendedStatistic} for parameter ExtendedStatistic is not supported.`);
    }
    checkPeriod(period, 'period');
    if (threshold === undefined && thresholdMetricId === undefined) throw cloudwatchError('MissingParameter', 'The parameter Threshold is required.');
    if (threshold !== undefined && thresholdMetricId !== undefined) throw combination('Exactly one of Threshold and ThresholdMetricId must be specified.');
    const datapointsToAlarm = num(input, 'DatapointsToAlarm');
    if (datapointsToAlarm !== undefined && (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods)) {
      throw invalidValue('DatapointsToAlarm must be between 1 and EvaluationPeriods.');
    }
    const metrics = rawMetrics ? metricsOf(rawMetrics) : undefined;
    if (thresholdMetricId !== undefined && !metrics?.some((m) => m.Id === thresholdMetricId)) throw invalidValue(`ThresholdMetricId ${thresholdMetricId} names no element of Metrics.`);
    const treatMissingData = enumOf(input, 'TreatMissingData', 'treatMissingData', TREAT_MISSING);
    const lowSample = json.str(input, 'EvaluateLowSampleCountPercentile');
    if (lowSample !== undefined && lowSample !== 'evaluate' && lowSample !== 'ignore') throw invalidValue('EvaluateLowSampleCountPercentile must be evaluate or ignore.');
    const description = json.str(input, 'AlarmDescription');
    if (description !== undefined && description.length > 1024) throw validation('alarmDescription', description, 'Member must have length less than or equal to 1024');
    const unit = enumOf(input, 'Unit', 'unit', UNITS);
    const now = ctx.now.getTime();
    const alarm: MetricAlarm = {
      name, region: ctx.region, description, actionsEnabled: bool(input, 'ActionsEnabled') ?? true,
      okActions: actionsOf(input, 'OKActions', 'oKActions'), alarmActions: actionsOf(input, 'AlarmActions', 'alarmActions'),
      insufficientDataActions: actionsOf(input, 'InsufficientDataActions', 'insufficientDataActions'),
      metricName, namespace, statistic, extendedStatistic, dimensions: dimensionsOf(json.list(input, 'Dimensions'), 'dimensions'), period, unit,
      evaluationPeriods, datapointsToAlarm, threshold, thresholdMetricId, comparisonOperator, treatMissingData, evaluateLowSampleCountPercentile: lowSample, metrics,
      state: existing?.state ?? { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updated: now },
      configurationUpdated: now,
      // Tags are applied only when the alarm is created; later puts leave them as they are.
      tags: existing ? existing.tags : checkTags(json.list(input, 'Tags')),
    };
    const fields = alarm as unknown as Record<string, unknown>;
    for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
    alarmsOf(ctx)[keyOf(ctx.region, name)] = alarm;
    return {};
  },
  DescribeAlarms(ctx, input) {
    const names = json.strings(input, 'AlarmNames');
    const prefix = json.str(input, 'AlarmNamePrefix');
    const types = json.strings(input, 'AlarmTypes');
    const stateValue = enumOf(input, 'StateValue', 'stateValue', STATES);
    const max = num(input, 'MaxRecords') ?? 50;
    if (!Number.isInteger(max) || max < 1 || max > PAGE) throw validation('maxRecords', max, `Member must have value less than or equal to ${PAGE}`);
    if (names && names.length > MAX_NAMES) throw validation('alarmNames', names.length, `Member must have length less than or equal to ${MAX_NAMES}`);
    if (names && prefix !== undefined) throw combination('AlarmNames and AlarmNamePrefix cannot be specified together.');
    for (const t of types ?? []) if (t !== 'MetricAlarm' && t !== 'CompositeAlarm') throw validation('alarmTypes', t, 'Member must satisfy enum value set: [CompositeAlarm, MetricAlarm]');
    ctx.authorize('cloudwatch:DescribeAlarms', `arn:aws:cloudwatch:${ctx.region}:${ctx.world.accountId}:alarm:*`);
    const wanted = names ? new Set(names) : undefined;
    // Without AlarmTypes only metric alarms are returned; the sandbox keeps no composite alarms.
    const list = Object.values(alarmsOf(ctx))
      .filter((a) => a.region === ctx.region && (!wanted || wanted.has(a.name)) && (prefix === undefined || a.name.startsWith(prefix)) && (!stateValue || a.state.value === stateValue))
      .filter(() => !types || types.includes('MetricAlarm'))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const start = pageToken(json.str(input, 'NextToken'), list.length);
    const slice = list.slice(start, start + max);
    const next = start + max < list.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
    return { MetricAlarms: slice.map((a) => describeAlarm(ctx, a)), CompositeAlarms: [], ...(next ? { NextToken: next } : {}) };
  },
  DeleteAlarms(ctx, input) {
    const names = json.strings(input, 'AlarmNames');
    if (!names || names.length === 0) throw validation('alarmNames', undefined, 'Member must not be null');
    if (names.length > MAX_NAMES) throw validation('alarmNames', names.length, `Member must have length less than or equal to ${MAX_NAMES}`);
    const found = named(ctx, names, 'cloudwatch:DeleteAlarms');
    const missing = found.find((f) => !f.alarm);
    if (missing) throw cloudwatchError('ResourceNotFound', `${missing.name} does not exist.`, 404, 'ResourceNotFound');
    for (const f of found) delete alarmsOf(ctx)[keyOf(ctx.region, f.name)];
    return {};
  },
  EnableAlarmActions(ctx, input) {
    for (const f of named(ctx, json.strings(input, 'AlarmNames') ?? [], 'cloudwatch:EnableAlarmActions')) if (f.alarm) f.alarm.actionsEnabled = true;
    return {};
  },
  DisableAlarmActions(ctx, input) {
    for (const f of named(ctx, json.strings(input, 'AlarmNames') ?? [], 'cloudwatch:DisableAlarmActions')) if (f.alarm) f.alarm.actionsEnabled = false;
    return {};
  },
  SetAlarmState(ctx, input) {
    const name = json.str(input, 'AlarmName');
    if (name === undefined) throw validation('alarmName', undefined, 'Member must not be null');
    const value = enumOf(input, 'StateValue', 'stateValue', STATES);
    if (value === undefined) throw validation('stateValue', undefined, 'Member must not be null');
    const reason = json.str(input, 'StateReason');
    if (reason === undefined) throw validation('stateReason', undefined, 'Member must not be null');
    const alarm = named(ctx, [name], 'cloudwatch:SetAlarmState')[0]?.alarm;
    if (!alarm) throw cloudwatchError('ResourceNotFound', `${name} does not exist.`, 404, 'ResourceNotFound');
    alarm.state = { value, reason, updated: ctx.now.getTime() };
    return {};
  },
};
