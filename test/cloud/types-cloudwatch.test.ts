// aws_cloudwatch_metric_alarm and aws_cloudwatch_dashboard against the sandbox with the real SDK
// (AWS JSON 1.0 with awsQuery compatibility): the per-type contract (two hand-made changes to one
// alarm, so each write-back keeps the other's declared value); the provider's defaults for unset
// arguments and a reformatted dashboard body are not drift; one DescribeAlarms call serves every
// alarm; deleted alarms and dashboards are missing; the sandbox's CloudWatch error codes, Tagging
// API coverage, CloudTrail records and the attribution of the writes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchClient, DeleteAlarmsCommand, DeleteDashboardsCommand, DescribeAlarmsCommand, DisableAlarmActionsCommand, GetDashboardCommand, MetricDataQuery,
  PutDashboardCommand, PutMetricAlarmCommand, PutMetricAlarmCommandInput, TagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { eventExplains } from '../../server/src/attribution/event-attributes';
import type { StateInstance } from '../../server/src/model';
import { assertClean, contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let cw: CloudWatchClient;

const topic = () => `arn:aws:sns:${env.sandbox.region}:${env.sandbox.accountId}:alerts`;
const alarmArn = (name: string) => `arn:aws:cloudwatch:${env.sandbox.region}:${env.sandbox.accountId}:alarm:${name}`;

/** What the provider sends for each alarm (TreatMissingData and ActionsEnabled always; Threshold when no threshold_metric_id). */
const CPU = (): PutMetricAlarmCommandInput => ({
  AlarmName: 'cpu-high', AlarmDescription: 'CPU above 80%', MetricName: 'CPUUtilization', Namespace: 'AWS/EC2', Statistic: 'Average', Period: 300,
  EvaluationPeriods: 2, Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'InstanceId', Value: 'i-0123456789abcdef0' }],
  AlarmActions: [topic()], ActionsEnabled: true, TreatMissingData: 'missing',
});
const QUERIES: MetricDataQuery[] = [
  { Id: 'rate', Expression: 'errors / requests * 100', Label: 'Error rate', ReturnData: true },
  { Id: 'errors', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'api' }] }, Period: 60, Stat: 'Sum' }, ReturnData: false },
  { Id: 'requests', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Requests', Dimensions: [{ Name: 'Service', Value: 'api' }] }, Period: 60, Stat: 'Sum' }, ReturnData: false },
];
const RATE = (): PutMetricAlarmCommandInput => ({
  AlarmName: 'error-rate', Metrics: QUERIES, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  TreatMissingData: 'notBreaching', ActionsEnabled: true, OKActions: [topic()],
});
const BODY = { widgets: [{ type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { metrics: [['AWS/EC2', 'CPUUtilization']], period: 300, stat: 'Average', region: 'us-east-1', title: 'CPU' } }] };

const stateQuery = (q: MetricDataQuery) => ({
  id: q.Id, account_id: '', expression: q.Expression ?? '', label: q.Label ?? '', return_data: q.ReturnData ?? false, period: 0,
  metric: q.MetricStat ? [{
    metric_name: q.MetricStat.Metric!.MetricName, namespace: q.MetricStat.Metric!.Namespace, period: q.MetricStat.Period, stat: q.MetricStat.Stat, unit: '',
    dimensions: Object.fromEntries((q.MetricStat.Metric!.Dimensions ?? []).map((d) => [d.Name, d.Value])),
  }] : [],
});

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_cloudwatch_metric_alarm', 'cpu', {
    id: 'cpu-high', arn: alarmArn('cpu-high'), alarm_name: 'cpu-high', alarm_description: 'CPU above 80%', metric_name: 'CPUUtilization', namespace: 'AWS/EC2',
    statistic: 'Average', extended_statistic: '', period: 300, evaluation_periods: 2, datapoints_to_alarm: 0, threshold: 80, threshold_metric_id: '',
    comparison_operator: 'GreaterThanThreshold', dimensions: { InstanceId: 'i-0123456789abcdef0' }, alarm_actions: [topic()], ok_actions: [], insufficient_data_actions: [],
    actions_enabled: true, treat_missing_data: 'missing', evaluate_low_sample_count_percentiles: '', unit: '', metric_query: [], tags: { Team: 'ops' }, tags_all: { Team: 'ops' },
  }),
  inst('aws_cloudwatch_metric_alarm', 'rate', {
    id: 'error-rate', arn: alarmArn('error-rate'), alarm_name: 'error-rate', alarm_description: '', metric_name: '', namespace: '', statistic: '', extended_statistic: '',
    period: 0, evaluation_periods: 3, datapoints_to_alarm: 2, threshold: 5, threshold_metric_id: '', comparison_operator: 'GreaterThanOrEqualToThreshold', dimensions: {},
    alarm_actions: [], ok_actions: [topic()], insufficient_data_actions: [], actions_enabled: true, treat_missing_data: 'notBreaching',
    evaluate_low_sample_count_percentiles: '', unit: '', metric_query: QUERIES.map(stateQuery), tags: {}, tags_all: {},
  }),
  inst('aws_cloudwatch_dashboard', 'ops', {
    id: 'ops', dashboard_name: 'ops', dashboard_arn: `arn:aws:cloudwatch::${env.sandbox.accountId}:dashboard/ops`, dashboard_body: JSON.stringify(BODY),
  }),
];

before(async () => {
  env = await startTypeSandbox(['cloudwatch:*', 'tag:GetResources']);
  cw = new CloudWatchClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  await cw.send(new PutMetricAlarmCommand({ ...CPU(), Tags: [{ Key: 'Team', Value: 'ops' }] }));
  await cw.send(new PutMetricAlarmCommand(RATE()));
  // Written as a user formats it: the body compares as JSON, not as text.
  await cw.send(new PutDashboardCommand({ DashboardName: 'ops', DashboardBody: JSON.stringify(BODY, null, 2) }));
});

after(async () => {
  cw?.destroy();
  await env?.sandbox.stop();
});

contractTests({
  title: 'the CloudWatch alarm and dashboard types',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_cloudwatch_metric_alarm.cpu threshold', change: () => cw.send(new PutMetricAlarmCommand({ ...CPU(), Threshold: 95 })) },
    // A second change to the same alarm: the threshold's write-back must keep actions as declared, and the other way round.
    { drift: 'aws_cloudwatch_metric_alarm.cpu actions_enabled', change: () => cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['cpu-high'] })) },
    { drift: 'aws_cloudwatch_metric_alarm.cpu tags', change: () => cw.send(new TagResourceCommand({ ResourceARN: alarmArn('cpu-high'), Tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
    {
      drift: ['aws_cloudwatch_metric_alarm.rate treat_missing_data', 'aws_cloudwatch_metric_alarm.rate metric_query'],
      change: () => cw.send(new PutMetricAlarmCommand({
        ...RATE(), TreatMissingData: 'breaching', Metrics: [QUERIES[0]!, { ...QUERIES[1]!, MetricStat: { ...QUERIES[1]!.MetricStat!, Stat: 'Maximum' } }, QUERIES[2]!],
      })),
    },
    {
      drift: 'aws_cloudwatch_dashboard.ops dashboard_body',
      change: () => cw.send(new PutDashboardCommand({ DashboardName: 'ops', DashboardBody: JSON.stringify({ widgets: [...BODY.widgets, { type: 'text', x: 0, y: 6, width: 6, height: 3, properties: { markdown: 'hand-made' } }] }) })),
    },
  ],
});

test('arguments left unset (treat_missing_data, actions, datapoints, dimensions, description, unit) are not drift, nor is a reformatted dashboard body', async () => {
  // Made outside Terraform's defaults: no TreatMissingData at all, which AWS and the provider read as `missing`.
  await cw.send(new PutMetricAlarmCommand({ AlarmName: 'bare', MetricName: 'Errors', Namespace: 'App', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
  await cw.send(new PutDashboardCommand({ DashboardName: 'bare', DashboardBody: '{"widgets":[{"properties":{"markdown":"hi"},"type":"text"}]}' }));
  const declared = [
    inst('aws_cloudwatch_metric_alarm', 'bare', { alarm_name: 'bare', metric_name: 'Errors', namespace: 'App', statistic: 'Sum', period: 60, evaluation_periods: 1, threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold' }),
    inst('aws_cloudwatch_dashboard', 'bare', { dashboard_name: 'bare', dashboard_body: '{\n  "widgets": [ { "type": "text", "properties": { "markdown": "hi" } } ]\n}' }),
  ];
  await assertClean(env.clients, declared);
});

test('one DescribeAlarms call serves every alarm and tags come from the Tagging API; a deleted alarm or dashboard is missing', async () => {
  await cw.send(new PutMetricAlarmCommand({ ...CPU(), AlarmName: 'gone' }));
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['gone'] }));
  await cw.send(new PutDashboardCommand({ DashboardName: 'gone', DashboardBody: JSON.stringify(BODY) }));
  await cw.send(new DeleteDashboardsCommand({ DashboardNames: ['gone'] }));
  env.sandbox.resetStats();
  const snapshot = await readLive(env.clients, [
    ...state(),
    inst('aws_cloudwatch_metric_alarm', 'gone', { id: 'gone', alarm_name: 'gone', arn: alarmArn('gone') }),
    inst('aws_cloudwatch_dashboard', 'gone', { id: 'gone', dashboard_name: 'gone' }),
  ], { declared: false });
  const stats = env.sandbox.stats();
  assert.equal(stats['monitoring:DescribeAlarms'], 1);
  assert.equal(stats['monitoring:GetDashboard'], 2);
  // The Tagging API lists tagged resources only: the untagged alarm's (empty) tags take one call.
  assert.equal(stats['monitoring:ListTagsForResource'], 1, 'tags of the tagged alarm came with the Tagging API read');
  assert.equal(snapshot.get('aws_cloudwatch_metric_alarm.gone')?.status, 'missing');
  assert.equal(snapshot.get('aws_cloudwatch_dashboard.gone')?.status, 'missing');
  const cpu = snapshot.get('aws_cloudwatch_metric_alarm.cpu');
  assert.deepEqual(cpu?.status === 'found' && cpu.resource.attributes.tags, { Team: 'ops' });
});

test('the sandbox answers CloudWatch in JSON 1.0 with its query error codes, pages alarms, lists alarms in the Tagging API and records writes in CloudTrail', async () => {
  const code = (e: unknown) => (e as { Code?: string }).Code;
  // The SDK names the error by the query code in x-amzn-query-error (a modeled shape of that name exists).
  await assert.rejects(cw.send(new GetDashboardCommand({ DashboardName: 'never' })), (e) => e instanceof Error && e.name === 'ResourceNotFound' && code(e) === 'ResourceNotFound');
  await assert.rejects(cw.send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: '{"widgets": [' })), (e) => e instanceof Error && e.name === 'DashboardInvalidInputError' && code(e) === 'InvalidParameterInput');
  await assert.rejects(cw.send(new PutMetricAlarmCommand({ ...CPU(), AlarmName: 'x', ComparisonOperator: 'Bigger' as 'GreaterThanThreshold' })), (e) => e instanceof Error && code(e) === 'ValidationError');
  await assert.rejects(cw.send(new PutMetricAlarmCommand({ ...CPU(), AlarmName: 'x', Period: 45 })), (e) => e instanceof Error && e.name === 'InvalidParameterValueException' && code(e) === 'InvalidParameterValue');
  await assert.rejects(cw.send(new PutMetricAlarmCommand({ ...CPU(), AlarmName: 'x', ExtendedStatistic: 'p99' })), (e) => e instanceof Error && e.name === 'InvalidParameterCombinationException');
  await assert.rejects(cw.send(new PutMetricAlarmCommand({ ...CPU(), AlarmName: 'x', MetricName: undefined })), (e) => e instanceof Error && e.name === 'MissingRequiredParameterException');
  await assert.rejects(cw.send(new DeleteDashboardsCommand({ DashboardNames: ['ops', 'never'] })), (e) => e instanceof Error && code(e) === 'ResourceNotFound');
  assert.ok((await cw.send(new GetDashboardCommand({ DashboardName: 'ops' }))).DashboardBody, 'a failed DeleteDashboards deletes none');
  await assert.rejects(cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })), (e) => e instanceof Error && e.name === 'InvalidParameterCombinationException');

  for (let i = 0; i < 5; i++) await cw.send(new PutMetricAlarmCommand({ ...CPU(), AlarmName: `page-${i}` }));
  const first = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 2 }));
  assert.deepEqual(first.MetricAlarms?.map((a) => a.AlarmName), ['page-0', 'page-1']);
  const rest = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 100, NextToken: first.NextToken }));
  assert.deepEqual(rest.MetricAlarms?.map((a) => a.AlarmName), ['page-2', 'page-3', 'page-4']);
  assert.equal(rest.NextToken, undefined);

  const tagging = new ResourceGroupsTaggingAPIClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  const listed = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['cloudwatch:alarm'] }));
  assert.ok((listed.ResourceTagMappingList ?? []).some((m) => m.ResourceARN === alarmArn('cpu-high')));
  tagging.destroy();

  const events = env.sandbox.world.events.filter((e) => e.eventSource === 'monitoring.amazonaws.com' && e.eventName === 'PutMetricAlarm');
  assert.ok(events.some((e) => e.resources.some((r) => r.name === 'cpu-high')), 'PutMetricAlarm names the alarm');
  assert.ok(eventExplains({ eventName: 'DisableAlarmActions' }, ['actions_enabled']) && !eventExplains({ eventName: 'DisableAlarmActions' }, ['threshold']));
  assert.ok(eventExplains({ eventName: 'PutMetricAlarm' }, ['threshold']) && eventExplains({ eventName: 'PutDashboard' }, ['dashboard_body']));
  assert.ok(!eventExplains({ eventName: 'SetAlarmState' }, ['threshold']));
});
