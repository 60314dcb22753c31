// Monitoring created through the CloudWatch, CloudWatch Logs and EventBridge APIs: an application
// log group with a metric filter counting errors, a subscription filter shipping it to the log
// team's function (declared in their configuration), an alarm on the filter's metric and a
// dashboard of it; an event bus whose rule sends order events to the log group.
import { CloudWatchClient, PutDashboardCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand, PutRetentionPolicyCommand, PutSubscriptionFilterCommand, TagResourceCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { arnOf, clientFor, hclValue, type SeededBlock, type Seeder, type SeedTarget } from './seeder';
import { awsName, block, label, q, tagSet } from './hcl-text';
import { tagList } from './block-text';

const PATTERN = { source: ['bench.orders'], 'detail-type': ['OrderCreated'] };

async function seedUnit(target: SeedTarget, suffix: string): Promise<SeededBlock[]> {
  const logs = clientFor(CloudWatchLogsClient, target);
  const cloudwatch = clientFor(CloudWatchClient, target);
  const events = clientFor(EventBridgeClient, target);
  const n = (prefix: string) => label(prefix, suffix);
  const group = `/bench/app/${suffix}`;
  const groupArn = arnOf(target, 'logs', `log-group:${group}`);
  const groupTags = tagSet(awsName('bench-app-logs', suffix));
  const metric = { namespace: 'Bench/App', name: `Errors-${suffix}` };
  const shipper = arnOf(target, 'lambda', 'function:bench-log-shipper');
  const alarmName = awsName('bench-app-errors', suffix);
  const dashboardName = awsName('bench-app', suffix);
  const busName = awsName('bench-orders', suffix);
  const ruleName = awsName('bench-order-created', suffix);
  const busTags = tagSet(busName);
  const ruleTags = tagSet(ruleName);
  const alarmTags = tagSet(alarmName);
  const body = { widgets: [{ type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { metrics: [[metric.namespace, metric.name]], period: 300, stat: 'Sum', region: target.region, title: 'Errors' } }] };

  await logs.send(new CreateLogGroupCommand({ logGroupName: group, tags: groupTags.live }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 30 }));
  await logs.send(new PutMetricFilterCommand({
    logGroupName: group, filterName: 'errors', filterPattern: 'ERROR', metricTransformations: [{ metricName: metric.name, metricNamespace: metric.namespace, metricValue: '1', unit: 'None' }],
  }));
  await logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'ship', filterPattern: '', destinationArn: shipper }));
  // What the provider sends for an alarm: TreatMissingData and ActionsEnabled always.
  await cloudwatch.send(new PutMetricAlarmCommand({
    AlarmName: alarmName, AlarmDescription: 'Application errors', MetricName: metric.name, Namespace: metric.namespace, Statistic: 'Sum', Period: 300, EvaluationPeriods: 1,
    Threshold: 10, ComparisonOperator: 'GreaterThanOrEqualToThreshold', ActionsEnabled: true, TreatMissingData: 'notBreaching', Tags: tagList(alarmTags.live),
  }));
  await cloudwatch.send(new PutDashboardCommand({ DashboardName: dashboardName, DashboardBody: JSON.stringify(body) }));
  const busArn = (await events.send(new CreateEventBusCommand({ Name: busName, Description: 'Order events', Tags: tagList(busTags.live) }))).EventBusArn!;
  const ruleArn = (await events.send(new PutRuleCommand({ Name: ruleName, EventBusName: busName, EventPattern: JSON.stringify(PATTERN), Description: 'New orders', Tags: tagList(ruleTags.live) }))).RuleArn!;
  await events.send(new PutTargetsCommand({ Rule: ruleName, EventBusName: busName, Targets: [{ Id: 'logs', Arn: groupArn }] }));

  const groupRef = `aws_cloudwatch_log_group.${n('app')}`;
  const busRef = `aws_cloudwatch_event_bus.${n('orders')}`;
  const ruleRef = `aws_cloudwatch_event_rule.${n('order_created')}`;
  return [
    {
      type: 'aws_cloudwatch_log_group', name: n('app'),
      hcl: block('aws_cloudwatch_log_group', n('app'), [`  name              = ${q(group)}`, '  retention_in_days = 30', '', groupTags.hcl]),
      attributes: {
        id: group, name: group, name_prefix: '', arn: groupArn, retention_in_days: 30, kms_key_id: '', log_group_class: 'STANDARD', skip_destroy: false, ...groupTags.state,
      },
    },
    {
      type: 'aws_cloudwatch_log_metric_filter', name: n('errors'),
      hcl: block('aws_cloudwatch_log_metric_filter', n('errors'), [
        '  name           = "errors"', `  log_group_name = ${groupRef}.name`, '  pattern        = "ERROR"', '',
        '  metric_transformation {', `    name      = ${q(metric.name)}`, `    namespace = ${q(metric.namespace)}`, '    value     = "1"', '  }',
      ]),
      attributes: {
        id: 'errors', name: 'errors', log_group_name: group, pattern: 'ERROR',
        metric_transformation: [{ name: metric.name, namespace: metric.namespace, value: '1', default_value: '', dimensions: {}, unit: 'None' }],
      },
      dependencies: [groupRef],
    },
    {
      type: 'aws_cloudwatch_log_subscription_filter', name: n('ship'),
      hcl: block('aws_cloudwatch_log_subscription_filter', n('ship'), [
        '  name            = "ship"', `  log_group_name  = ${groupRef}.name`, '  filter_pattern  = ""', `  destination_arn = ${q(shipper)}`,
      ]),
      attributes: { id: `cwlsf-${suffix}`, name: 'ship', log_group_name: group, filter_pattern: '', destination_arn: shipper, distribution: 'ByLogStream', role_arn: '' },
      dependencies: [groupRef],
    },
    {
      type: 'aws_cloudwatch_metric_alarm', name: n('errors'),
      hcl: block('aws_cloudwatch_metric_alarm', n('errors'), [
        `  alarm_name          = ${q(alarmName)}`, '  alarm_description   = "Application errors"',
        `  metric_name         = aws_cloudwatch_log_metric_filter.${n('errors')}.metric_transformation[0].name`, `  namespace           = ${q(metric.namespace)}`,
        '  statistic           = "Sum"', '  period              = 300', '  evaluation_periods  = 1', '  threshold           = 10',
        '  comparison_operator = "GreaterThanOrEqualToThreshold"', '  treat_missing_data  = "notBreaching"', '', alarmTags.hcl,
      ]),
      attributes: {
        id: alarmName, arn: arnOf(target, 'cloudwatch', `alarm:${alarmName}`), alarm_name: alarmName, alarm_description: 'Application errors', metric_name: metric.name,
        namespace: metric.namespace, statistic: 'Sum', extended_statistic: '', period: 300, evaluation_periods: 1, datapoints_to_alarm: 0, threshold: 10, threshold_metric_id: '',
        comparison_operator: 'GreaterThanOrEqualToThreshold', dimensions: {}, alarm_actions: [], ok_actions: [], insufficient_data_actions: [], actions_enabled: true,
        treat_missing_data: 'notBreaching', evaluate_low_sample_count_percentiles: '', unit: '', metric_query: [], ...alarmTags.state,
      },
      dependencies: [`aws_cloudwatch_log_metric_filter.${n('errors')}`],
    },
    {
      type: 'aws_cloudwatch_dashboard', name: n('app'),
      hcl: block('aws_cloudwatch_dashboard', n('app'), [`  dashboard_name = ${q(dashboardName)}`, `  dashboard_body = jsonencode(${hclValue(body, '  ')})`]),
      attributes: { id: dashboardName, dashboard_name: dashboardName, dashboard_arn: `arn:aws:cloudwatch::${target.account}:dashboard/${dashboardName}`, dashboard_body: JSON.stringify(body) },
    },
    {
      type: 'aws_cloudwatch_event_bus', name: n('orders'),
      hcl: block('aws_cloudwatch_event_bus', n('orders'), [`  name        = ${q(busName)}`, '  description = "Order events"', '', busTags.hcl]),
      attributes: { id: busName, name: busName, arn: busArn, description: 'Order events', event_source_name: '', kms_key_identifier: '', ...busTags.state },
    },
    {
      type: 'aws_cloudwatch_event_rule', name: n('order_created'),
      hcl: block('aws_cloudwatch_event_rule', n('order_created'), [
        `  name           = ${q(ruleName)}`, `  event_bus_name = ${busRef}.name`, '  description    = "New orders"', `  event_pattern  = jsonencode(${hclValue(PATTERN, '  ')})`, '', ruleTags.hcl,
      ]),
      attributes: {
        id: `${busName}/${ruleName}`, name: ruleName, name_prefix: '', arn: ruleArn, event_bus_name: busName, schedule_expression: '', event_pattern: JSON.stringify(PATTERN),
        description: 'New orders', role_arn: '', state: 'ENABLED', is_enabled: true, force_destroy: false, ...ruleTags.state,
      },
      dependencies: [busRef],
    },
    {
      type: 'aws_cloudwatch_event_target', name: n('order_logs'),
      hcl: block('aws_cloudwatch_event_target', n('order_logs'), [`  rule           = ${ruleRef}.name`, `  event_bus_name = ${busRef}.name`, '  target_id      = "logs"', `  arn            = ${groupRef}.arn`]),
      attributes: { id: `${busName}-${ruleName}-logs`, rule: ruleName, target_id: 'logs', event_bus_name: busName, arn: groupArn, input: '', input_path: '', role_arn: '' },
      dependencies: [busRef, groupRef, ruleRef],
    },
  ];
}

export const monitoringSeeder: Seeder = {
  family: 'monitoring',
  types: [
    'aws_cloudwatch_log_group', 'aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_log_subscription_filter', 'aws_cloudwatch_metric_alarm', 'aws_cloudwatch_dashboard',
    'aws_cloudwatch_event_bus', 'aws_cloudwatch_event_rule', 'aws_cloudwatch_event_target',
  ],
  seedUnit,
  lowerBound(byType) {
    const buses = byType.aws_cloudwatch_event_bus ?? 0;
    const rules = byType.aws_cloudwatch_event_rule ?? 0;
    return {
      // Without a log group name, DescribeMetricFilters lists the region's filters, 50 a page.
      'logs:DescribeMetricFilters': Math.ceil((byType.aws_cloudwatch_log_metric_filter ?? 0) / 50),
      // DescribeSubscriptionFilters needs the log group: one call per group with filters (one each here).
      'logs:DescribeSubscriptionFilters': byType.aws_cloudwatch_log_subscription_filter ?? 0,
      'cloudwatch:DescribeAlarms': Math.ceil((byType.aws_cloudwatch_metric_alarm ?? 0) / 100),
      // ListDashboards has no bodies: one GetDashboard per dashboard.
      'cloudwatch:GetDashboard': byType.aws_cloudwatch_dashboard ?? 0,
      'events:ListEventBuses': Math.ceil(buses / 100),
      // ListRules is per bus (100 a page), ListTargetsByRule per rule: one per bus holding rules, one per rule holding targets.
      'events:ListRules': Math.min(buses || Infinity, rules),
      'events:ListTargetsByRule': Math.min(rules || Infinity, byType.aws_cloudwatch_event_target ?? 0),
    };
  },
  readActions: [
    'logs:DescribeLogGroups', 'logs:ListTagsForResource', 'logs:DescribeMetricFilters', 'logs:DescribeSubscriptionFilters', 'cloudwatch:DescribeAlarms', 'cloudwatch:GetDashboard',
    'cloudwatch:ListDashboards', 'cloudwatch:ListTagsForResource', 'events:ListEventBuses', 'events:ListRules', 'events:DescribeRule', 'events:ListTargetsByRule', 'events:ListTagsForResource',
  ],
};
