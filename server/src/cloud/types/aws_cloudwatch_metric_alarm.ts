// aws_cloudwatch_metric_alarm ↔ CloudWatch DescribeAlarms: 100 alarm names a call (100 alarms a
// page) serve every declared alarm; tags from the Tagging API's by-ARN read when it returned them,
// otherwise ListTagsForResource. PutMetricAlarm replaces a whole alarm, so the writer re-reads the
// alarm and writes it back with only the drifted argument changed; actions_enabled uses
// Enable/DisableAlarmActions and tags TagResource/UntagResource.
import {
  DescribeAlarmsCommand, DisableAlarmActionsCommand, EnableAlarmActionsCommand, ListTagsForResourceCommand, MetricAlarm, PutMetricAlarmCommand,
  TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import type { LiveEntry } from '../../drift/snapshot';
import type { AwsClients } from '../clients';
import { bool, cannotRevert, chunk, failureText, foundEntry, missingEntry, perTarget, revertTagMap, str, unknownEntry, untagThenTag, userTags } from './common';
import { ALARM_WRITERS, alarmAttributes, dimensionsForm, inputFromLive, metricQueries } from './metric-alarm-shape';
import type { ReadContext, ReadTarget, ResourceType } from './resource-type';

/** DescribeAlarms takes at most 100 names and returns at most 100 alarms a page. */
const NAMES_PER_CALL = 100;

async function describe(clients: AwsClients, names: string[]): Promise<Map<string, MetricAlarm>> {
  const out = new Map<string, MetricAlarm>();
  let token: string | undefined;
  do {
    const page = await clients.gate.call('cloudwatch:DescribeAlarms', () =>
      clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm'], MaxRecords: 100, NextToken: token })));
    for (const a of page.MetricAlarms ?? []) if (a.AlarmName) out.set(a.AlarmName, a);
    token = page.NextToken;
  } while (token);
  return out;
}

async function tagsOf(arn: string, ctx: ReadContext): Promise<Record<string, string>> {
  const known = ctx.tagsByArn.get(arn);
  if (known) return known;
  const listed = await ctx.clients.gate.call('cloudwatch:ListTagsForResource', () => ctx.clients.cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: arn })));
  return userTags(listed.Tags);
}

async function entryFor(t: ReadTarget, alarm: MetricAlarm | undefined, ctx: ReadContext): Promise<LiveEntry> {
  if (!alarm) return missingEntry(ctx, t.id, `alarm ${t.id} does not exist`);
  const arn = alarm.AlarmArn;
  const tags = arn ? await tagsOf(arn, ctx) : {};
  return foundEntry(t, 'aws_cloudwatch_metric_alarm', ctx, { ...alarmAttributes(alarm), tags }, { arn });
}

export const awsCloudwatchMetricAlarm: ResourceType = {
  type: 'aws_cloudwatch_metric_alarm',
  taggingType: 'cloudwatch:alarm',
  tags: true,
  // Defaults are what the provider sends for an unset argument (and reads back): an unset optional
  // argument is none on AWS, and a hand-made value there is drift, as `terraform plan` shows it.
  attributes: [
    { name: 'alarm_name', compare: 'scalar', forceNew: true },
    { name: 'comparison_operator', compare: 'scalar' },
    { name: 'evaluation_periods', compare: 'scalar' },
    { name: 'threshold', compare: 'scalar', default: 0 },
    { name: 'threshold_metric_id', compare: 'scalar', default: '' },
    { name: 'metric_name', compare: 'scalar', default: '' },
    { name: 'namespace', compare: 'scalar', default: '' },
    { name: 'period', compare: 'scalar', default: 0 },
    { name: 'statistic', compare: 'scalar', default: '' },
    { name: 'extended_statistic', compare: 'scalar', default: '' },
    { name: 'unit', compare: 'scalar', default: '' },
    { name: 'dimensions', compare: 'scalar', normalize: dimensionsForm, default: {} },
    { name: 'metric_query', compare: 'blocks', normalize: metricQueries, default: [] },
    { name: 'datapoints_to_alarm', compare: 'scalar', default: 0 },
    { name: 'treat_missing_data', compare: 'scalar', default: 'missing' },
    // Optional and computed in the provider: compared only when declared.
    { name: 'evaluate_low_sample_count_percentiles', compare: 'scalar' },
    { name: 'actions_enabled', compare: 'scalar', default: true, severity: 'warning' },
    { name: 'alarm_actions', compare: 'set', default: [], severity: 'warning' },
    { name: 'ok_actions', compare: 'set', default: [] },
    { name: 'insufficient_data_actions', compare: 'set', default: [] },
    { name: 'alarm_description', compare: 'scalar', default: '' },
  ],
  notCompared: {
    arn: 'computed by AWS from the region, account and name',
    // The alarm's state moves with the metric, not with anyone's change.
    state_value: 'not a Terraform argument: AWS moves it as the metric changes',
  },
  idFromState: (a) => str(a.alarm_name) ?? str(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:cloudwatch:[^:]*:\d{12}:alarm:(.+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'alarm',

  async read(targets, ctx) {
    const found = new Map<string, MetricAlarm>();
    const failed = new Map<string, string>();
    const names = [...new Set(targets.map((t) => t.id))];
    await Promise.all(chunk(names, NAMES_PER_CALL).map(async (group) => {
      try {
        for (const [name, alarm] of await describe(ctx.clients, group)) found.set(name, alarm);
      } catch (error) {
        for (const name of group) failed.set(name, failureText(error));
      }
    }));
    return perTarget(targets, ctx, async (t) => {
      const failure = failed.get(t.id);
      return failure ? unknownEntry(ctx, failure) : entryFor(t, found.get(t.id), ctx);
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const cw = clients.cloudwatch;
    if (attribute === 'tags') {
      const arn = request.live.arn;
      if (!arn) return { ok: false, message: 'the alarm ARN is unknown' };
      return revertTagMap(request, untagThenTag(
        (keys) => clients.gate.call('cloudwatch:UntagResource', () => cw.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: keys }))),
        (Tags) => clients.gate.call('cloudwatch:TagResource', () => cw.send(new TagResourceCommand({ ResourceARN: arn, Tags }))),
      ));
    }
    if (attribute === 'actions_enabled') {
      const on = bool(declared) ?? true;
      if (on) await clients.gate.call('cloudwatch:EnableAlarmActions', () => cw.send(new EnableAlarmActionsCommand({ AlarmNames: [id] })));
      else await clients.gate.call('cloudwatch:DisableAlarmActions', () => cw.send(new DisableAlarmActionsCommand({ AlarmNames: [id] })));
      return { ok: true, message: `alarm actions ${on ? 'enabled' : 'disabled'}` };
    }
    const write = ALARM_WRITERS[attribute];
    if (!write) return cannotRevert(attribute);
    const current = (await describe(clients, [id])).get(id);
    if (!current) return { ok: false, message: `alarm ${id} no longer exists` };
    const input = inputFromLive(current);
    const problem = write(input, declared);
    if (problem) return { ok: false, message: problem };
    await clients.gate.call('cloudwatch:PutMetricAlarm', () => cw.send(new PutMetricAlarmCommand(input)));
    return { ok: true, message: `alarm ${attribute.replace(/_/g, ' ')} restored` };
  },
};
