// DescribeAddresses by allocation id serves aws_eip and aws_eip_association; DescribeNatGateways by
// gateway id serves aws_nat_gateway; DescribeKeyPairs by name serves aws_key_pair.
import { Address, DescribeAddressesCommand, DescribeKeyPairsCommand, DescribeNatGatewaysCommand, KeyPairInfo, NatGateway } from '@aws-sdk/client-ec2';
import { ec2Family, FamilyKey } from './family';

export const addressesFamily = ec2Family<Address>({
  name: 'ec2:DescribeAddresses',
  // DescribeAddresses has no pagination: one call answers every filter value.
  async page(clients, Filters) {
    const out = await clients.ec2.send(new DescribeAddressesCommand({ Filters }));
    return { items: out.Addresses ?? [] };
  },
  valuesOf: (a, filter) => (filter === 'allocation-id' && a.AllocationId ? [a.AllocationId] : []),
  idOf: (a) => a.AllocationId,
});
export const allocationKey = (id: string): FamilyKey => ({ filter: 'allocation-id', value: id });

export const natGatewaysFamily = ec2Family<NatGateway>({
  name: 'ec2:DescribeNatGateways',
  async page(clients, Filter, NextToken) {
    const out = await clients.ec2.send(new DescribeNatGatewaysCommand({ Filter, MaxResults: 1000, NextToken }));
    return { items: out.NatGateways ?? [], next: out.NextToken };
  },
  valuesOf: (g, filter) => (filter === 'nat-gateway-id' && g.NatGatewayId ? [g.NatGatewayId] : []),
  idOf: (g) => g.NatGatewayId,
});
export const natKey = (id: string): FamilyKey => ({ filter: 'nat-gateway-id', value: id });

export const keyPairsFamily = ec2Family<KeyPairInfo>({
  name: 'ec2:DescribeKeyPairs',
  async page(clients, Filters) {
    const out = await clients.ec2.send(new DescribeKeyPairsCommand({ Filters }));
    return { items: out.KeyPairs ?? [] };
  },
  valuesOf: (k, filter) => (filter === 'key-name' && k.KeyName ? [k.KeyName] : []),
  idOf: (k) => k.KeyPairId,
});
export const keyNameKey = (name: string): FamilyKey => ({ filter: 'key-name', value: name });
