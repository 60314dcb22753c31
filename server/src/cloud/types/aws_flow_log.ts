// aws_flow_log (DescribeFlowLogs family, by id). Every argument forces a new flow log; only tags
// are written back. The watched resource is whichever of vpc_id, subnet_id, eni_id the state
// names (the provider derives it from the resource id AWS reports).
import type { FlowLog } from '@aws-sdk/client-ec2';
import { member } from '../families/family';
import { flowLogKey, flowLogsFamily } from '../families/vpc-endpoints';
import { cannotRevert, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

function flowLogAttributes(g: FlowLog): Record<string, unknown> {
  const resource = g.ResourceId ?? '';
  return {
    vpc_id: resource.startsWith('vpc-') ? resource : '', subnet_id: resource.startsWith('subnet-') ? resource : '', eni_id: resource.startsWith('eni-') ? resource : '',
    traffic_type: g.TrafficType ?? '', log_destination_type: g.LogDestinationType ?? 'cloud-watch-logs', log_destination: g.LogDestination ?? '',
    iam_role_arn: g.DeliverLogsPermissionArn ?? '', log_format: g.LogFormat ?? '', max_aggregation_interval: g.MaxAggregationInterval ?? 600, tags: userTags(g.Tags),
  };
}

export const awsFlowLog: ResourceType = {
  type: 'aws_flow_log',
  tags: true,
  taggingType: 'ec2:vpc-flow-log',
  attributes: [
    { name: 'vpc_id', compare: 'scalar', forceNew: true },
    { name: 'subnet_id', compare: 'scalar', forceNew: true },
    { name: 'eni_id', compare: 'scalar', forceNew: true },
    { name: 'traffic_type', compare: 'scalar', forceNew: true },
    { name: 'log_destination_type', compare: 'scalar', default: 'cloud-watch-logs', forceNew: true },
    { name: 'log_destination', compare: 'scalar', forceNew: true },
    { name: 'iam_role_arn', compare: 'scalar', forceNew: true },
    { name: 'log_format', compare: 'scalar', forceNew: true },
    { name: 'max_aggregation_interval', compare: 'scalar', default: 600, forceNew: true },
  ],
  notCompared: {
    arn: 'computed by AWS', log_group_name: 'deprecated alias of log_destination', destination_options: 'not read yet (S3 destination options)',
    deliver_cross_account_role: 'not read yet', transit_gateway_id: 'not read yet (transit gateways)', transit_gateway_attachment_id: 'not read yet (transit gateways)',
  },
  family: member(flowLogsFamily, {
    keys: (t) => [flowLogKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(flowLogKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const g = found.items.find((x) => x.FlowLogId === t.id);
      if (!g) return missingEntry(ctx, t.id, `flow log ${t.id} does not exist`);
      return foundEntry(t, 'aws_flow_log', ctx, flowLogAttributes(g));
    },
  }),
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:vpc-flow-log\/(fl-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  async revert(request, clients) {
    if (request.attribute === 'tags') return revertEc2Tags(clients, request);
    return cannotRevert(request.attribute);
  },
};
