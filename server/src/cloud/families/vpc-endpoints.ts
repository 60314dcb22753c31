// DescribeFlowLogs, DescribeVpcEndpoints and DescribeVpcPeeringConnections by id filter: each serves
// its type (the peering family also serves aws_vpc_peering_connection_accepter).
import {
  DescribeFlowLogsCommand, DescribeVpcEndpointsCommand, DescribeVpcPeeringConnectionsCommand, FlowLog, VpcEndpoint, VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import { ec2Family, FamilyKey } from './family';

export const flowLogsFamily = ec2Family<FlowLog>({
  name: 'ec2:DescribeFlowLogs',
  async page(clients, Filter, NextToken) {
    const out = await clients.ec2.send(new DescribeFlowLogsCommand({ Filter, MaxResults: 1000, NextToken }));
    return { items: out.FlowLogs ?? [], next: out.NextToken };
  },
  valuesOf: (g, filter) => (filter === 'flow-log-id' && g.FlowLogId ? [g.FlowLogId] : []),
  idOf: (g) => g.FlowLogId,
});
export const flowLogKey = (id: string): FamilyKey => ({ filter: 'flow-log-id', value: id });

export const vpcEndpointsFamily = ec2Family<VpcEndpoint>({
  name: 'ec2:DescribeVpcEndpoints',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeVpcEndpointsCommand({ Filters, MaxResults: 1000, NextToken }));
    return { items: out.VpcEndpoints ?? [], next: out.NextToken };
  },
  valuesOf: (e, filter) => (filter === 'vpc-endpoint-id' && e.VpcEndpointId ? [e.VpcEndpointId] : []),
  idOf: (e) => e.VpcEndpointId,
});
export const vpcEndpointKey = (id: string): FamilyKey => ({ filter: 'vpc-endpoint-id', value: id });

export const peeringsFamily = ec2Family<VpcPeeringConnection>({
  name: 'ec2:DescribeVpcPeeringConnections',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeVpcPeeringConnectionsCommand({ Filters, MaxResults: 1000, NextToken }));
    return { items: out.VpcPeeringConnections ?? [], next: out.NextToken };
  },
  valuesOf: (c, filter) => (filter === 'vpc-peering-connection-id' && c.VpcPeeringConnectionId ? [c.VpcPeeringConnectionId] : []),
  idOf: (c) => c.VpcPeeringConnectionId,
});
export const peeringKey = (id: string): FamilyKey => ({ filter: 'vpc-peering-connection-id', value: id });
