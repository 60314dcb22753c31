// aws_cloudwatch_metric_alarm's two shapes: the Terraform attributes read from a DescribeAlarms
// MetricAlarm (as the provider flattens it), and a PutMetricAlarm input rebuilt from the live alarm
// with one declared attribute written over it (the call replaces the whole alarm).
import type { Dimension, MetricAlarm, MetricDataQuery, PutMetricAlarmInput, StandardUnit } from '@aws-sdk/client-cloudwatch';
import { canonicalJson, isObject, Known } from '../../drift/values';
import { blocksOf, firstBlock, stringsOf } from './blocks';
import { bool, num, str } from './common';

/** A `dimensions` map as one canonical value; an empty map is none. */
export function dimensionsForm(v: Known): Known {
  if (!isObject(v)) return null;
  const entries = Object.entries(v).map(([k, x]) => [k, String(x)] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length ? canonicalJson(Object.fromEntries(entries)) : null;
}

const dimensionMap = (dims: Dimension[] | undefined): Record<string, string> => Object.fromEntries((dims ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));

/**
 * `metric_query` blocks as a set of canonical atoms: unset strings, a zero period and an absent
 * `metric` are all "none"; `return_data` unset is false (the provider's default, and what it reads
 * back for an absent ReturnData).
 */
export function metricQueries(blocks: Known): Known {
  return blocksOf(blocks).map((q) => {
    const m = firstBlock(q.metric);
    return canonicalJson({
      id: str(q.id) ?? null, account_id: str(q.account_id) ?? null, expression: str(q.expression) ?? null, label: str(q.label) ?? null,
      return_data: bool(q.return_data as Known) === true, period: num(q.period as Known) || null,
      metric: m ? {
        metric_name: str(m.metric_name) ?? null, namespace: str(m.namespace) ?? null, period: num(m.period as Known) || null,
        stat: str(m.stat) ?? null, unit: str(m.unit) ?? null, dimensions: dimensionsForm(m.dimensions as Known),
      } : null,
    });
  });
}

function liveQuery(q: MetricDataQuery): Record<string, Known> {
  const ms = q.MetricStat;
  return {
    id: q.Id ?? '', account_id: q.AccountId ?? '', expression: q.Expression ?? '', label: q.Label ?? '', return_data: q.ReturnData ?? false, period: q.Period ?? 0,
    metric: ms ? [{
      metric_name: ms.Metric?.MetricName ?? '', namespace: ms.Metric?.Namespace ?? '', period: ms.Period ?? 0, stat: ms.Stat ?? '', unit: ms.Unit ?? '',
      dimensions: dimensionMap(ms.Metric?.Dimensions),
    }] : [],
  };
}

/** The Terraform attributes of a live alarm (what the provider's read sets). */
export function alarmAttributes(a: MetricAlarm): Record<string, Known> {
  return {
    alarm_name: a.AlarmName ?? '',
    comparison_operator: a.ComparisonOperator ?? '',
    evaluation_periods: a.EvaluationPeriods ?? 0,
    metric_name: a.MetricName ?? '',
    namespace: a.Namespace ?? '',
    period: a.Period ?? 0,
    statistic: a.Statistic ?? '',
    extended_statistic: a.ExtendedStatistic ?? '',
    unit: a.Unit ?? '',
    threshold: a.Threshold ?? 0,
    threshold_metric_id: a.ThresholdMetricId ?? '',
    actions_enabled: a.ActionsEnabled ?? true,
    alarm_actions: a.AlarmActions ?? [],
    ok_actions: a.OKActions ?? [],
    insufficient_data_actions: a.InsufficientDataActions ?? [],
    alarm_description: a.AlarmDescription ?? '',
    datapoints_to_alarm: a.DatapointsToAlarm ?? 0,
    dimensions: dimensionMap(a.Dimensions),
    // The provider reads an absent TreatMissingData as `missing`, AWS's behaviour without one.
    treat_missing_data: a.TreatMissingData ?? 'missing',
    evaluate_low_sample_count_percentiles: a.EvaluateLowSampleCountPercentile ?? '',
    metric_query: (a.Metrics ?? []).map(liveQuery),
  };
}

function expandDimensions(v: Known): Dimension[] | undefined {
  if (!isObject(v)) return undefined;
  const dims = Object.entries(v).map(([Name, Value]) => ({ Name, Value: String(Value) }));
  return dims.length ? dims : undefined;
}

/** The declared `metric_query` blocks in the API's shape (as the provider expands them). */
function expandQueries(v: Known): MetricDataQuery[] {
  return blocksOf(v).filter((q) => str(q.id)).map((q) => {
    const m = firstBlock(q.metric);
    const out: MetricDataQuery = { Id: str(q.id), ReturnData: bool(q.return_data as Known) === true };
    if (str(q.expression)) out.Expression = str(q.expression);
    if (str(q.label)) out.Label = str(q.label);
    if (str(q.account_id)) out.AccountId = str(q.account_id);
    if (num(q.period as Known)) out.Period = num(q.period as Known);
    if (m) {
      out.MetricStat = {
        Metric: { MetricName: str(m.metric_name), Namespace: str(m.namespace), Dimensions: expandDimensions(m.dimensions as Known) },
        Period: num(m.period as Known), Stat: str(m.stat), ...(str(m.unit) ? { Unit: str(m.unit) as StandardUnit } : {}),
      };
    }
    return out;
  });
}

/** The live alarm as a PutMetricAlarm input (tags left out: an update ignores them). */
export function inputFromLive(a: MetricAlarm): PutMetricAlarmInput {
  return {
    AlarmName: a.AlarmName, AlarmDescription: a.AlarmDescription, ActionsEnabled: a.ActionsEnabled, OKActions: a.OKActions, AlarmActions: a.AlarmActions,
    InsufficientDataActions: a.InsufficientDataActions, MetricName: a.MetricName, Namespace: a.Namespace, Statistic: a.Statistic, ExtendedStatistic: a.ExtendedStatistic,
    Dimensions: a.Dimensions?.length ? a.Dimensions : undefined, Period: a.Period, Unit: a.Unit, EvaluationPeriods: a.EvaluationPeriods,
    DatapointsToAlarm: a.DatapointsToAlarm, Threshold: a.Threshold, ComparisonOperator: a.ComparisonOperator, TreatMissingData: a.TreatMissingData,
    EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile, Metrics: a.Metrics?.length ? a.Metrics : undefined, ThresholdMetricId: a.ThresholdMetricId,
  };
}

type Writer = (input: PutMetricAlarmInput, declared: Known) => string | undefined;

const text = (key: keyof PutMetricAlarmInput): Writer => (input, declared) => {
  (input as unknown as Record<string, unknown>)[key] = str(declared);
  return undefined;
};
const count = (key: keyof PutMetricAlarmInput): Writer => (input, declared) => {
  const n = num(declared);
  (input as unknown as Record<string, unknown>)[key] = n ? n : undefined;
  return undefined;
};
const list = (key: 'AlarmActions' | 'OKActions' | 'InsufficientDataActions'): Writer => (input, declared) => {
  input[key] = stringsOf(declared);
  return undefined;
};

/**
 * How each attribute is written over the live input. Arguments that exclude each other (statistic
 * and extended_statistic, threshold and threshold_metric_id, a metric and metric_query) are
 * cleared on the other side, as the declared configuration can hold only one of them.
 */
export const ALARM_WRITERS: Record<string, Writer> = {
  comparison_operator: text('ComparisonOperator'),
  evaluation_periods: count('EvaluationPeriods'),
  metric_name: (input, declared) => {
    input.MetricName = str(declared);
    if (input.MetricName) input.Metrics = undefined;
    return undefined;
  },
  namespace: text('Namespace'),
  period: count('Period'),
  statistic: (input, declared) => {
    input.Statistic = str(declared) as PutMetricAlarmInput['Statistic'];
    if (input.Statistic) input.ExtendedStatistic = undefined;
    return undefined;
  },
  extended_statistic: (input, declared) => {
    input.ExtendedStatistic = str(declared);
    if (input.ExtendedStatistic) input.Statistic = undefined;
    return undefined;
  },
  unit: text('Unit'),
  threshold: (input, declared) => {
    const n = num(declared);
    if (n === undefined) return 'declared threshold is not a number';
    input.Threshold = n;
    input.ThresholdMetricId = undefined;
    return undefined;
  },
  threshold_metric_id: (input, declared) => {
    input.ThresholdMetricId = str(declared);
    if (input.ThresholdMetricId) input.Threshold = undefined;
    return undefined;
  },
  alarm_actions: list('AlarmActions'),
  ok_actions: list('OKActions'),
  insufficient_data_actions: list('InsufficientDataActions'),
  alarm_description: text('AlarmDescription'),
  datapoints_to_alarm: count('DatapointsToAlarm'),
  dimensions: (input, declared) => {
    input.Dimensions = expandDimensions(declared);
    return undefined;
  },
  treat_missing_data: text('TreatMissingData'),
  evaluate_low_sample_count_percentiles: text('EvaluateLowSampleCountPercentile'),
  metric_query: (input, declared) => {
    const queries = expandQueries(declared);
    input.Metrics = queries.length ? queries : undefined;
    if (queries.length) {
      for (const k of ['MetricName', 'Namespace', 'Statistic', 'ExtendedStatistic', 'Period', 'Dimensions', 'Unit'] as const) input[k] = undefined;
    }
    return undefined;
  },
};
