// aws_default_security_group: adopts a VPC's default group (DescribeSecurityGroups family). Unlike
// aws_security_group, absent ingress/egress mean "no rules": the provider removes every rule the
// configuration does not declare, so both compare against an empty default.
import { labelFrom, str } from './common';
import type { ResourceType } from './resource-type';
import { revertSecurityGroup, securityGroupMember } from './aws_security_group';
import { canonicalRules, rulePhrases } from './sg-rules';

export const awsDefaultSecurityGroup: ResourceType = {
  type: 'aws_default_security_group',
  tags: true,
  attributes: [
    { name: 'vpc_id', compare: 'scalar', forceNew: true },
    { name: 'ingress', compare: 'blocks', default: [], normalize: (v, ctx) => canonicalRules(v, ctx.selfId), phrases: (v, ctx) => rulePhrases(v, ctx.selfId, 'ingress'), severity: 'error' },
    { name: 'egress', compare: 'blocks', default: [], normalize: (v, ctx) => canonicalRules(v, ctx.selfId), phrases: (v, ctx) => rulePhrases(v, ctx.selfId, 'egress'), severity: 'error' },
  ],
  notCompared: { name: 'always "default"', description: 'set by AWS', owner_id: 'computed by AWS', arn: 'computed by AWS', revoke_rules_on_delete: 'a Terraform-side deletion setting' },
  family: securityGroupMember('aws_default_security_group'),
  idFromState: (a) => str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  revert: revertSecurityGroup,
};
