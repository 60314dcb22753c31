// DescribeSecurityGroupRules by group id: serves both standalone rule types
// (aws_vpc_security_group_{ingress,egress}_rule), the classic aws_security_group_rule, and the
// unmanaged-rule check of managed groups.
import { DescribeSecurityGroupRulesCommand, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { ec2Family } from './family';

export const securityGroupRulesFamily = ec2Family<SecurityGroupRule>({
  name: 'ec2:DescribeSecurityGroupRules',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters, MaxResults: 1000, NextToken }));
    return { items: out.SecurityGroupRules ?? [], next: out.NextToken };
  },
  valuesOf: (r, filter) => (filter === 'group-id' && r.GroupId ? [r.GroupId] : []),
  idOf: (r) => r.SecurityGroupRuleId,
});

/** The key that reads every rule of one group. */
export const groupKey = (groupId: string) => ({ filter: 'group-id', value: groupId });
