// aws_cloudwatch_log_metric_filter and aws_cloudwatch_log_subscription_filter against the sandbox
// with the real SDK: the per-type contract (two changes to one filter at once, so each write-back
// must keep the other's declared value); what the provider sets when an argument is unset is not
// drift; one listing per log group serves all its filters; a deleted filter or group is missing;
// the sandbox's CloudWatch Logs error codes and CloudTrail records; attribution of the writes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand, DeleteMetricFilterCommand, DescribeLogGroupsCommand, DescribeMetricFiltersCommand,
  PutMetricFilterCommand, PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { eventExplains } from '../../server/src/attribution/event-attributes';
import type { StateInstance } from '../../server/src/model';
import { assertClean, contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let logs: CloudWatchLogsClient;

const lambdaArn = (name: string) => `arn:aws:lambda:${env.sandbox.region}:${env.sandbox.accountId}:function:${name}`;
const ERRORS = { metricName: 'ErrorCount', metricNamespace: 'App', metricValue: '1', unit: 'None' as const };
const LATENCY = { metricName: 'Latency', metricNamespace: 'App', metricValue: '$.latency', dimensions: { Route: '$.route' }, unit: 'Milliseconds' as const };

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_cloudwatch_log_metric_filter', 'errors', {
    id: 'errors', name: 'errors', log_group_name: '/tm/app', pattern: 'ERROR',
    metric_transformation: [{ name: 'ErrorCount', namespace: 'App', value: '1', default_value: '', dimensions: {}, unit: 'None' }],
  }),
  inst('aws_cloudwatch_log_metric_filter', 'latency', {
    id: 'latency', name: 'latency', log_group_name: '/tm/app', pattern: '{ $.latency = * }',
    metric_transformation: [{ name: 'Latency', namespace: 'App', value: '$.latency', default_value: '', dimensions: { Route: '$.route' }, unit: 'Milliseconds' }],
  }),
  inst('aws_cloudwatch_log_subscription_filter', 'ship', {
    id: 'cwlsf-1234567890', name: 'ship', log_group_name: '/tm/app', filter_pattern: '', destination_arn: lambdaArn('shipper'), distribution: 'ByLogStream', role_arn: '',
  }),
];

before(async () => {
  env = await startTypeSandbox(['logs:*']);
  logs = new CloudWatchLogsClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/tm/app' }));
  await logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/app', filterName: 'errors', filterPattern: 'ERROR', metricTransformations: [ERRORS] }));
  await logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/app', filterName: 'latency', filterPattern: '{ $.latency = * }', metricTransformations: [LATENCY] }));
  await logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/tm/app', filterName: 'ship', filterPattern: '', destinationArn: lambdaArn('shipper') }));
});

after(async () => {
  logs?.destroy();
  await env?.sandbox.stop();
});

contractTests({
  title: 'the CloudWatch Logs filter types',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_cloudwatch_log_metric_filter.errors pattern', change: () => logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/app', filterName: 'errors', filterPattern: 'ERROR -retry', metricTransformations: [ERRORS] })) },
    {
      // A second change to the same filter: reverting one attribute must not put back the other's hand-made value.
      drift: 'aws_cloudwatch_log_metric_filter.errors metric_transformation',
      change: () => logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/app', filterName: 'errors', filterPattern: 'ERROR -retry', metricTransformations: [{ ...ERRORS, metricValue: '5' }] })),
    },
    {
      drift: 'aws_cloudwatch_log_metric_filter.latency metric_transformation',
      change: () => logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/app', filterName: 'latency', filterPattern: '{ $.latency = * }', metricTransformations: [{ ...LATENCY, dimensions: { Route: '$.path' } }] })),
    },
    {
      drift: ['aws_cloudwatch_log_subscription_filter.ship filter_pattern', 'aws_cloudwatch_log_subscription_filter.ship distribution'],
      change: () => logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/tm/app', filterName: 'ship', filterPattern: 'ERROR', destinationArn: lambdaArn('shipper'), distribution: 'Random' })),
    },
  ],
});

test('arguments left unset (unit, default_value, dimensions, distribution, role_arn) are not drift', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/tm/bare' }));
  // What the provider sends for a block without unit: `None`; without distribution: nothing (AWS's ByLogStream).
  await logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/bare', filterName: 'count', filterPattern: '', metricTransformations: [{ metricName: 'Lines', metricNamespace: 'Bare', metricValue: '1', unit: 'None' }] }));
  await logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/tm/bare', filterName: 'ship', filterPattern: '', destinationArn: lambdaArn('shipper') }));
  const declared = [
    inst('aws_cloudwatch_log_metric_filter', 'count', { id: 'count', name: 'count', log_group_name: '/tm/bare', pattern: ' ', metric_transformation: [{ name: 'Lines', namespace: 'Bare', value: '1' }] }),
    inst('aws_cloudwatch_log_subscription_filter', 'ship', { name: 'ship', log_group_name: '/tm/bare', filter_pattern: '', destination_arn: lambdaArn('shipper') }),
  ];
  await assertClean(env.clients, declared);
});

test('one listing per log group serves all its filters; a deleted filter, and every filter of a deleted group, is missing', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/tm/old' }));
  await logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/old', filterName: 'gone', filterPattern: '', metricTransformations: [ERRORS] }));
  await logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/tm/old', filterName: 'gone', filterPattern: '', destinationArn: lambdaArn('shipper') }));
  await logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/app', filterName: 'dropped', filterPattern: '', metricTransformations: [ERRORS] }));
  await logs.send(new DeleteMetricFilterCommand({ logGroupName: '/tm/app', filterName: 'dropped' }));
  await logs.send(new DeleteLogGroupCommand({ logGroupName: '/tm/old' }));
  env.sandbox.resetStats();
  const snapshot = await readLive(env.clients, [
    ...state(),
    inst('aws_cloudwatch_log_metric_filter', 'dropped', { id: 'dropped', name: 'dropped', log_group_name: '/tm/app' }),
    inst('aws_cloudwatch_log_metric_filter', 'gone', { id: 'gone', name: 'gone', log_group_name: '/tm/old' }),
    inst('aws_cloudwatch_log_subscription_filter', 'gone', { name: 'gone', log_group_name: '/tm/old' }),
  ], { declared: false });
  const stats = env.sandbox.stats();
  assert.equal(stats['logs:DescribeMetricFilters'], 2, 'one listing each for /tm/app and /tm/old');
  assert.equal(stats['logs:DescribeSubscriptionFilters'], 2);
  for (const a of ['aws_cloudwatch_log_metric_filter.dropped', 'aws_cloudwatch_log_metric_filter.gone', 'aws_cloudwatch_log_subscription_filter.gone']) {
    assert.equal(snapshot.get(a)?.status, 'missing', a);
  }
  assert.equal(snapshot.get('aws_cloudwatch_log_metric_filter.errors')?.status, 'found');
});

test('metric filters on many log groups are read by one listing of the region\'s filters, 50 a page, not one listing per group', async () => {
  const instances: StateInstance[] = [];
  for (let i = 0; i < 12; i++) {
    const group = `/tm/many/${String(i).padStart(2, '0')}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'errors', filterPattern: 'ERROR', metricTransformations: [ERRORS] }));
    instances.push(inst('aws_cloudwatch_log_metric_filter', `many${i}`, {
      id: 'errors', name: 'errors', log_group_name: group, pattern: 'ERROR',
      metric_transformation: [{ name: 'ErrorCount', namespace: 'App', value: '1', default_value: '', dimensions: {}, unit: 'None' }],
    }));
  }
  instances.push(inst('aws_cloudwatch_log_metric_filter', 'nowhere', { id: 'errors', name: 'errors', log_group_name: '/tm/many/none' }));
  env.sandbox.resetStats();
  const snapshot = await readLive(env.clients, instances, { declared: false });
  const filters = Object.values(env.sandbox.world.logGroups ?? {}).reduce((n, g) => n + Object.keys(g.metricFilters ?? {}).length, 0);
  assert.equal(env.sandbox.stats()['logs:DescribeMetricFilters'], Math.ceil(filters / 50));
  for (const i of instances.slice(0, 12)) assert.equal(snapshot.get(i.address)?.status, 'found', i.address);
  assert.equal(snapshot.get('aws_cloudwatch_log_metric_filter.nowhere')?.status, 'missing');
  await assertClean(env.clients, instances.slice(0, 12), { declared: false });
});

test('the sandbox answers filter calls with CloudWatch Logs\' error codes, counts metric filters on the group and records writes in CloudTrail', async () => {
  await assert.rejects(logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/none', filterName: 'x', filterPattern: '', metricTransformations: [ERRORS] })), { name: 'ResourceNotFoundException' });
  await assert.rejects(logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/app', filterName: 'x', filterPattern: '', metricTransformations: [ERRORS, ERRORS] })), { name: 'InvalidParameterException' });
  await assert.rejects(logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/app', filterName: 'x', filterPattern: '{ $.a = 1', metricTransformations: [ERRORS] })), { name: 'InvalidParameterException' });
  await assert.rejects(logs.send(new PutMetricFilterCommand({ logGroupName: '/tm/app', filterName: 'x', filterPattern: '', metricTransformations: [{ ...ERRORS, unit: 'Parsecs' as 'None' }] })), { name: 'InvalidParameterException' });
  await assert.rejects(logs.send(new DeleteMetricFilterCommand({ logGroupName: '/tm/app', filterName: 'never' })), { name: 'ResourceNotFoundException' });
  await assert.rejects(logs.send(new DescribeMetricFiltersCommand({ filterNamePrefix: 'err' })), { name: 'InvalidParameterException' });
  const kinesis = `arn:aws:kinesis:${env.sandbox.region}:${env.sandbox.accountId}:stream/logs`;
  await assert.rejects(logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/tm/app', filterName: 'k', filterPattern: '', destinationArn: kinesis })), { name: 'InvalidParameterException' });
  await logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/tm/app', filterName: 'second', filterPattern: '', destinationArn: lambdaArn('other') }));
  await assert.rejects(logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/tm/app', filterName: 'third', filterPattern: '', destinationArn: lambdaArn('other') })), { name: 'LimitExceededException' });
  const group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/tm/app' }))).logGroups?.find((g) => g.logGroupName === '/tm/app');
  assert.equal(group?.metricFilterCount, 2);
  const events = env.sandbox.world.events.filter((e) => e.eventSource === 'logs.amazonaws.com' && e.eventName === 'PutMetricFilter');
  assert.ok(events.some((e) => e.resources.some((r) => r.name === '/tm/app')), 'PutMetricFilter names the log group');
  assert.ok(eventExplains({ eventName: 'PutMetricFilter' }, ['pattern']) && eventExplains({ eventName: 'PutSubscriptionFilter' }, ['distribution']));
  assert.ok(eventExplains({ eventName: 'DeleteMetricFilter' }, []) && !eventExplains({ eventName: 'DeleteMetricFilter' }, ['pattern']));
});
