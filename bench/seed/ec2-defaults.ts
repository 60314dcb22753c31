// The region's default VPC and what every VPC has by default, once per region: aws_default_vpc,
// aws_default_subnet, and the VPC's default security group, network ACL and route table with its
// main-table association. The sandbox starts a bench world with no default VPC (no scenario form
// has one), so the unit creates a VPC and subnet that stand in for them, as the per-type tests do:
// Terraform adopts the default ones by id either way, and Tidemark reads them by id.
import {
  CreateSubnetCommand, CreateTagsCommand, CreateVpcCommand, DescribeNetworkAclsCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, EC2Client,
  ModifySubnetAttributeCommand, ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import { tagSpec } from './ec2-gateways';
import { arnOf, clientFor, hclTags, tagsFor, type SeededBlock, type Seeder } from './seeder';

const TYPES = [
  'aws_default_vpc', 'aws_default_subnet', 'aws_default_security_group', 'aws_default_network_acl', 'aws_default_route_table', 'aws_main_route_table_association',
] as const;

/** The AZ id AWS maps `<region>a` to in the bench (us-east-1 → use1-az1). */
const azIdOf = (region: string) => `${region.split('-').map((p, i) => (i === 1 ? p[0] : p)).join('')}-az1`;

const ruleBlock = (r: Record<string, unknown>) => ({ cidr_blocks: [], description: '', from_port: 0, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: '-1', security_groups: [], self: false, to_port: 0, ...r });
const aclEntry = { action: 'allow', cidr_block: '0.0.0.0/0', from_port: 0, icmp_code: 0, icmp_type: 0, ipv6_cidr_block: '', protocol: '-1', rule_no: 100, to_port: 0 };

export const ec2DefaultsSeeder: Seeder = {
  family: 'ec2_defaults',
  types: TYPES,
  oncePerRegion: true,
  async seedUnit(target, suffix) {
    const ec2 = clientFor(EC2Client, target);
    const n = (base: string) => `${base}_${suffix}`;
    const blocks: SeededBlock[] = [];

    const vpcName = n('default');
    const vpcTags = tagsFor('Default VPC');
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '172.31.0.0/16', TagSpecifications: tagSpec('vpc', vpcTags.tagsAll) }))).Vpc!;
    const vpcId = vpc.VpcId!;
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    const main = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }] }))).RouteTables![0]!;
    const mainId = main.RouteTableId!;
    const mainAssoc = main.Associations!.find((a) => a.Main)!.RouteTableAssociationId!;
    const sg = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }))).SecurityGroups![0]!.GroupId!;
    const acl = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'default', Values: ['true'] }] }))).NetworkAcls![0]!.NetworkAclId!;
    const vpcRef = `aws_default_vpc.${vpcName}`;
    blocks.push({
      type: 'aws_default_vpc', name: vpcName,
      hcl: `resource "aws_default_vpc" "${vpcName}" {\n${hclTags(vpcTags.tags)}}\n`,
      attributes: {
        arn: arnOf(target, 'ec2', `vpc/${vpcId}`), assign_generated_ipv6_cidr_block: false, cidr_block: '172.31.0.0/16', default_network_acl_id: acl, default_route_table_id: mainId,
        default_security_group_id: sg, dhcp_options_id: vpc.DhcpOptionsId ?? '', enable_dns_hostnames: true, enable_dns_support: true, enable_network_address_usage_metrics: false,
        existing_default_vpc: true, force_destroy: false, id: vpcId, instance_tenancy: 'default', ipv6_association_id: '', ipv6_cidr_block: '', ipv6_cidr_block_network_border_group: '',
        ipv6_ipam_pool_id: '', ipv6_netmask_length: 0, main_route_table_id: mainId, owner_id: target.account, tags: vpcTags.tags, tags_all: vpcTags.tagsAll,
      },
    });

    const subnetName = n('default_a');
    const az = `${target.region}a`;
    const subnetTags = tagsFor(`Default subnet ${az}`);
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '172.31.0.0/20', AvailabilityZone: az, TagSpecifications: tagSpec('subnet', subnetTags.tagsAll) }))).Subnet!.SubnetId!;
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnet, MapPublicIpOnLaunch: { Value: true } }));
    blocks.push({
      type: 'aws_default_subnet', name: subnetName,
      hcl: `resource "aws_default_subnet" "${subnetName}" {\n  availability_zone = "${az}"\n\n${hclTags(subnetTags.tags)}}\n`,
      attributes: {
        arn: arnOf(target, 'ec2', `subnet/${subnet}`), assign_ipv6_address_on_creation: false, availability_zone: az, availability_zone_id: azIdOf(target.region),
        cidr_block: '172.31.0.0/20', customer_owned_ipv4_pool: '', enable_dns64: false, enable_resource_name_dns_a_record_on_launch: false, enable_resource_name_dns_aaaa_record_on_launch: false,
        existing_default_subnet: true, force_destroy: false, id: subnet, ipv6_cidr_block: '', ipv6_cidr_block_association_id: '', ipv6_native: false, map_customer_owned_ip_on_launch: false,
        map_public_ip_on_launch: true, outpost_arn: '', owner_id: target.account, private_dns_hostname_type_on_launch: 'ip-name', tags: subnetTags.tags, tags_all: subnetTags.tagsAll,
        timeouts: null, vpc_id: vpcId,
      },
      dependencies: [],
    });

    // The defaults every VPC is created with, declared as they are (self ingress, open egress, allow-all ACL entries), with tags.
    const sgName = n('default_sg');
    const sgTags = tagsFor('default');
    const aclName = n('default_acl');
    const aclTags = tagsFor('default');
    const rtbName = n('default_rtb');
    const rtbTags = tagsFor('main');
    await ec2.send(new CreateTagsCommand({ Resources: [sg], Tags: Object.entries(sgTags.tagsAll).map(([Key, Value]) => ({ Key, Value })) }));
    await ec2.send(new CreateTagsCommand({ Resources: [acl], Tags: Object.entries(aclTags.tagsAll).map(([Key, Value]) => ({ Key, Value })) }));
    await ec2.send(new CreateTagsCommand({ Resources: [mainId], Tags: Object.entries(rtbTags.tagsAll).map(([Key, Value]) => ({ Key, Value })) }));
    const subnetRef = `aws_default_subnet.${subnetName}`;
    blocks.push({
      type: 'aws_default_security_group', name: sgName,
      hcl: `resource "aws_default_security_group" "${sgName}" {\n  vpc_id = ${vpcRef}.id\n\n  ingress {\n    protocol  = -1\n    self      = true\n    from_port = 0\n    to_port   = 0\n  }\n\n  egress {\n    protocol    = "-1"\n    from_port   = 0\n    to_port     = 0\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n\n${hclTags(sgTags.tags)}}\n`,
      attributes: {
        arn: arnOf(target, 'ec2', `security-group/${sg}`), description: 'default VPC security group', id: sg, name: 'default', name_prefix: '', owner_id: target.account,
        ingress: [ruleBlock({ self: true })], egress: [ruleBlock({ cidr_blocks: ['0.0.0.0/0'] })], revoke_rules_on_delete: false, tags: sgTags.tags, tags_all: sgTags.tagsAll, vpc_id: vpcId,
      },
      dependencies: [vpcRef],
    }, {
      type: 'aws_default_network_acl', name: aclName,
      hcl: `resource "aws_default_network_acl" "${aclName}" {\n  default_network_acl_id = ${vpcRef}.default_network_acl_id\n  subnet_ids             = [${subnetRef}.id]\n\n  ingress {\n    rule_no    = 100\n    action     = "allow"\n    protocol   = -1\n    from_port  = 0\n    to_port    = 0\n    cidr_block = "0.0.0.0/0"\n  }\n\n  egress {\n    rule_no    = 100\n    action     = "allow"\n    protocol   = -1\n    from_port  = 0\n    to_port    = 0\n    cidr_block = "0.0.0.0/0"\n  }\n\n${hclTags(aclTags.tags)}}\n`,
      attributes: {
        arn: arnOf(target, 'ec2', `network-acl/${acl}`), default_network_acl_id: acl, egress: [aclEntry], id: acl, ingress: [aclEntry], owner_id: target.account, subnet_ids: [subnet],
        tags: aclTags.tags, tags_all: aclTags.tagsAll, vpc_id: vpcId,
      },
      dependencies: [vpcRef, subnetRef],
    }, {
      type: 'aws_default_route_table', name: rtbName,
      hcl: `resource "aws_default_route_table" "${rtbName}" {\n  default_route_table_id = ${vpcRef}.default_route_table_id\n\n${hclTags(rtbTags.tags)}}\n`,
      attributes: {
        id: mainId, arn: arnOf(target, 'ec2', `route-table/${mainId}`), default_route_table_id: mainId, owner_id: target.account, propagating_vgws: [], route: [],
        tags: rtbTags.tags, tags_all: rtbTags.tagsAll, timeouts: null, vpc_id: vpcId,
      },
      dependencies: [vpcRef],
    }, {
      type: 'aws_main_route_table_association', name: rtbName,
      hcl: `resource "aws_main_route_table_association" "${rtbName}" {\n  vpc_id         = ${vpcRef}.id\n  route_table_id = aws_default_route_table.${rtbName}.id\n}\n`,
      attributes: { id: mainAssoc, original_route_table_id: mainId, route_table_id: mainId, timeouts: null, vpc_id: vpcId },
      dependencies: [`aws_default_route_table.${rtbName}`, vpcRef],
    });
    return blocks;
  },
  lowerBound() {
    // One each per region: each rides on a page of a family other types read already
    // (DescribeVpcs, DescribeSubnets, DescribeSecurityGroups, DescribeRouteTables, DescribeNetworkAcls).
    return {};
  },
  readActions: ['ec2:Describe*'],
};
