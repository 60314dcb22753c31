// aws_cloudwatch_log_subscription_filter ↔ CloudWatch Logs DescribeSubscriptionFilters: one call
// per log group (a group holds at most two) serves every filter declared on it; written back with
// PutSubscriptionFilter, which replaces the whole filter, so the writer re-reads it first.
// The provider's id (`cwlsf-<hash of the group>`) names no filter: the read id is `group:name`.
import { DescribeSubscriptionFiltersCommand, Distribution, PutSubscriptionFilterCommand, SubscriptionFilter } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClients } from '../clients';
import { bool, cannotRevert, foundEntry, str } from './common';
import { filterId, readByGroup, splitFilterId } from './logs-filters-common';
import type { ResourceType } from './resource-type';

async function listFilters(clients: AwsClients, group: string, prefix?: string): Promise<Map<string, SubscriptionFilter>> {
  const out = new Map<string, SubscriptionFilter>();
  let token: string | undefined;
  do {
    const page = await clients.gate.call('logs:DescribeSubscriptionFilters', () =>
      clients.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group, filterNamePrefix: prefix, nextToken: token })));
    for (const f of page.subscriptionFilters ?? []) if (f.filterName) out.set(f.filterName, f);
    token = page.nextToken;
  } while (token);
  return out;
}

const WRITABLE = ['filter_pattern', 'distribution', 'role_arn', 'apply_on_transformed_logs'];

export const awsCloudwatchLogSubscriptionFilter: ResourceType = {
  type: 'aws_cloudwatch_log_subscription_filter',
  tags: false,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'log_group_name', compare: 'scalar', forceNew: true },
    { name: 'destination_arn', compare: 'scalar', forceNew: true, severity: 'warning' },
    { name: 'filter_pattern', compare: 'scalar' },
    { name: 'distribution', compare: 'scalar', default: 'ByLogStream' },
    // Optional and computed in the provider: compared only when declared.
    { name: 'role_arn', compare: 'scalar', severity: 'warning' },
    { name: 'apply_on_transformed_logs', compare: 'scalar' },
  ],
  idFromState: filterId,
  importId: (live) => {
    const { group, name } = splitFilterId(live.id);
    return `${group}|${name}`;
  },
  suggestName: (live) => splitFilterId(live.id).name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'subscription_filter',

  read(targets, ctx) {
    return readByGroup(targets, ctx, (group) => listFilters(ctx.clients, group), (t, f) => foundEntry(t, 'aws_cloudwatch_log_subscription_filter', ctx, {
      name: f.filterName,
      log_group_name: f.logGroupName ?? splitFilterId(t.id).group,
      destination_arn: f.destinationArn ?? '',
      filter_pattern: f.filterPattern ?? '',
      distribution: f.distribution ?? 'ByLogStream',
      role_arn: f.roleArn ?? '',
      apply_on_transformed_logs: f.applyOnTransformedLogs ?? false,
    }), 'subscription filter');
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const { group, name } = splitFilterId(id);
    if (!WRITABLE.includes(attribute)) return cannotRevert(attribute);
    const current = (await listFilters(clients, group, name)).get(name);
    if (!current?.destinationArn) return { ok: false, message: `subscription filter ${name} no longer exists on log group ${group}` };
    const input = {
      logGroupName: group, filterName: name, destinationArn: current.destinationArn, filterPattern: current.filterPattern ?? '',
      roleArn: current.roleArn, distribution: current.distribution, applyOnTransformedLogs: current.applyOnTransformedLogs,
    };
    switch (attribute) {
      case 'filter_pattern':
        if (typeof declared !== 'string') return { ok: false, message: 'declared filter_pattern is not a string' };
        input.filterPattern = declared;
        break;
      case 'distribution':
        if (declared !== 'Random' && declared !== 'ByLogStream') return { ok: false, message: `declared distribution ${String(declared)} is neither Random nor ByLogStream` };
        input.distribution = declared as Distribution;
        break;
      case 'role_arn':
        // The call replaces the whole filter: without a role the filter has none.
        input.roleArn = str(declared);
        break;
      default: {
        const b = bool(declared);
        if (b === undefined) return { ok: false, message: 'declared apply_on_transformed_logs is not a boolean' };
        input.applyOnTransformedLogs = b;
      }
    }
    await clients.gate.call('logs:PutSubscriptionFilter', () => clients.logs.send(new PutSubscriptionFilterCommand(input)));
    return { ok: true, message: `subscription filter ${attribute.replace(/_/g, ' ')} restored` };
  },
};
