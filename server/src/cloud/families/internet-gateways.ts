// DescribeInternetGateways by gateway id: serves aws_internet_gateway (and its attachment).
import { DescribeInternetGatewaysCommand, InternetGateway } from '@aws-sdk/client-ec2';
import { ec2Family, FamilyKey } from './family';

export const internetGatewaysFamily = ec2Family<InternetGateway>({
  name: 'ec2:DescribeInternetGateways',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeInternetGatewaysCommand({ Filters, MaxResults: 1000, NextToken }));
    return { items: out.InternetGateways ?? [], next: out.NextToken };
  },
  valuesOf: (g, filter) => (filter === 'internet-gateway-id' && g.InternetGatewayId ? [g.InternetGatewayId] : []),
  idOf: (g) => g.InternetGatewayId,
});

export const gatewayKey = (id: string): FamilyKey => ({ filter: 'internet-gateway-id', value: id });
