// DescribeNetworkAcls by ACL id serves aws_network_acl, aws_default_network_acl,
// aws_network_acl_rule and the unmanaged-rule check of managed ACLs.
import { DescribeNetworkAclsCommand, NetworkAcl } from '@aws-sdk/client-ec2';
import { ec2Family, FamilyKey } from './family';

export const networkAclsFamily = ec2Family<NetworkAcl>({
  name: 'ec2:DescribeNetworkAcls',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeNetworkAclsCommand({ Filters, MaxResults: 1000, NextToken }));
    return { items: out.NetworkAcls ?? [], next: out.NextToken };
  },
  valuesOf: (a, filter) => (filter === 'network-acl-id' && a.NetworkAclId ? [a.NetworkAclId] : []),
  idOf: (a) => a.NetworkAclId,
});

export const aclKey = (id: string): FamilyKey => ({ filter: 'network-acl-id', value: id });
