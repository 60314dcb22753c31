// DescribeSecurityGroups by group id: serves aws_security_group and aws_default_security_group.
import { DescribeSecurityGroupsCommand, SecurityGroup } from '@aws-sdk/client-ec2';
import { ec2Family, FamilyKey } from './family';

export const securityGroupsFamily = ec2Family<SecurityGroup>({
  name: 'ec2:DescribeSecurityGroups',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters, MaxResults: 1000, NextToken }));
    return { items: out.SecurityGroups ?? [], next: out.NextToken };
  },
  valuesOf: (g, filter) => (filter === 'group-id' && g.GroupId ? [g.GroupId] : []),
  idOf: (g) => g.GroupId,
});

export const securityGroupKey = (id: string): FamilyKey => ({ filter: 'group-id', value: id });
