// aws_default_network_acl: adopts a VPC's default ACL (DescribeNetworkAcls family). Absent
// ingress/egress mean "no rules" (the provider removes every rule not declared), so both compare
// against an empty default; subnet_ids compare only when declared.
import { str, labelFrom } from './common';
import type { ResourceType } from './resource-type';
import { ACL_RULE_ATTRIBUTES, aclMember, revertAcl } from './nacl-common';

export const awsDefaultNetworkAcl: ResourceType = {
  type: 'aws_default_network_acl',
  tags: true,
  attributes: [
    { name: 'default_network_acl_id', compare: 'scalar', forceNew: true },
    ...ACL_RULE_ATTRIBUTES.map((a) => ({ ...a, default: [] })),
    { name: 'subnet_ids', compare: 'set' },
  ],
  notCompared: { vpc_id: 'computed from the adopted ACL', owner_id: 'computed by AWS', arn: 'computed by AWS' },
  family: aclMember('aws_default_network_acl'),
  idFromState: (a) => str(a.default_network_acl_id) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  revert: revertAcl,
};
