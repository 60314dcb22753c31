// aws_network_acl: a member of the DescribeNetworkAcls family. `ingress`, `egress` and
// `subnet_ids` compare only when declared (rules may be aws_network_acl_rule resources, subnets
// aws_network_acl_association); an ACL whose rules are resources reports entries nobody declares.
import { labelFrom, str } from './common';
import type { ResourceType } from './resource-type';
import { ACL_RULE_ATTRIBUTES, aclMember, aclMembers, revertAcl } from './nacl-common';

export const awsNetworkAcl: ResourceType = {
  type: 'aws_network_acl',
  tags: true,
  taggingType: 'ec2:network-acl',
  attributes: [{ name: 'vpc_id', compare: 'scalar', forceNew: true }, ...ACL_RULE_ATTRIBUTES, { name: 'subnet_ids', compare: 'set' }],
  notCompared: { owner_id: 'computed by AWS', arn: 'computed by AWS' },
  family: aclMember('aws_network_acl'),
  members: aclMembers,
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:network-acl\/(acl-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  revert: revertAcl,
};
