// EC2 gateways seeder: a VPC with its own DHCP options, a VPN gateway attached to it with route
// propagation on the VPC's main route table, a customer gateway and a placement group — the
// state as `terraform apply` (and the refresh of a later plan) leaves it.
import {
  AssociateDhcpOptionsCommand, AttachVpnGatewayCommand, CreateCustomerGatewayCommand, CreateDhcpOptionsCommand, CreatePlacementGroupCommand, CreateSubnetCommand, CreateVpcCommand,
  CreateVpnGatewayCommand, DescribeRouteTablesCommand, EC2Client, EnableVgwRoutePropagationCommand, type ResourceType, type Tag,
} from '@aws-sdk/client-ec2';
import { arnOf, clientFor, hclTags, tagsFor, type SeededBlock, type Seeder, type SeedTarget } from './seeder';

const TYPES = [
  'aws_vpc', 'aws_vpc_dhcp_options', 'aws_vpc_dhcp_options_association', 'aws_vpn_gateway', 'aws_vpn_gateway_attachment', 'aws_vpn_gateway_route_propagation',
  'aws_customer_gateway', 'aws_placement_group',
] as const;

export const tagSpec = (type: ResourceType, tags: Record<string, string>) => [{ ResourceType: type, Tags: Object.entries(tags).map(([Key, Value]): Tag => ({ Key, Value })) }];

/** A VPC of its own for a unit: the generator's aws_vpc state shape, with the ids AWS created with it. */
export async function seedVpc(ec2: EC2Client, target: SeedTarget, name: string, random: () => number): Promise<{ block: SeededBlock; vpcId: string; cidr: string; mainRouteTableId: string }> {
  const cidr = `10.${100 + Math.floor(random() * 150)}.${Math.floor(random() * 256)}.0/24`;
  const { tags, tagsAll } = tagsFor(`bench-${name.replace(/_/g, '-')}`);
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr, TagSpecifications: tagSpec('vpc', tagsAll) }))).Vpc!;
  const vpcId = vpc.VpcId!;
  const tables = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }] }));
  const mainRouteTableId = tables.RouteTables?.[0]?.RouteTableId;
  if (!mainRouteTableId) throw new Error(`VPC ${vpcId} has no main route table`);
  return {
    vpcId, cidr, mainRouteTableId,
    block: {
      type: 'aws_vpc', name,
      hcl: `resource "aws_vpc" "${name}" {\n  cidr_block = "${cidr}"\n\n${hclTags(tags)}}\n`,
      attributes: {
        id: vpcId, arn: arnOf(target, 'ec2', `vpc/${vpcId}`), cidr_block: cidr, enable_dns_support: true, enable_dns_hostnames: false, instance_tenancy: 'default',
        owner_id: target.account, main_route_table_id: mainRouteTableId, dhcp_options_id: vpc.DhcpOptionsId ?? '', tags, tags_all: tagsAll,
      },
    },
  };
}

/** A subnet of a unit's VPC in the region's first zone: the generator's aws_subnet state shape. */
export async function seedSubnet(ec2: EC2Client, target: SeedTarget, vpc: { vpcId: string; ref: string }, name: string, cidr: string): Promise<{ block: SeededBlock; subnetId: string; ref: string }> {
  const az = `${target.region}a`;
  const { tags, tagsAll } = tagsFor(`bench-${name.replace(/_/g, '-')}`);
  const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.vpcId, CidrBlock: cidr, AvailabilityZone: az, TagSpecifications: tagSpec('subnet', tagsAll) }))).Subnet!.SubnetId!;
  return {
    subnetId, ref: `aws_subnet.${name}`,
    block: {
      type: 'aws_subnet', name,
      hcl: `resource "aws_subnet" "${name}" {\n  vpc_id            = ${vpc.ref}.id\n  cidr_block        = "${cidr}"\n  availability_zone = "${az}"\n\n${hclTags(tags)}}\n`,
      attributes: { id: subnetId, arn: arnOf(target, 'ec2', `subnet/${subnetId}`), vpc_id: vpc.vpcId, cidr_block: cidr, availability_zone: az, map_public_ip_on_launch: false, owner_id: target.account, tags, tags_all: tagsAll },
      dependencies: [vpc.ref],
    },
  };
}

export const ec2GatewaysSeeder: Seeder = {
  family: 'ec2_gateways',
  types: TYPES,
  async seedUnit(target, suffix, random) {
    const ec2 = clientFor(EC2Client, target);
    const n = (base: string) => `${base}_${suffix}`;
    const vpc = await seedVpc(ec2, target, n('gw_vpc'), random);
    const vpcRef = `aws_vpc.${vpc.block.name}`;
    const blocks: SeededBlock[] = [vpc.block];

    const domain = `${suffix}.corp.example`;
    const dhcpName = n('corp');
    const dhcpTags = tagsFor(`bench-${dhcpName.replace(/_/g, '-')}`);
    const dopt = (await ec2.send(new CreateDhcpOptionsCommand({
      DhcpConfigurations: [{ Key: 'domain-name', Values: [domain] }, { Key: 'domain-name-servers', Values: ['AmazonProvidedDNS'] }],
      TagSpecifications: tagSpec('dhcp-options', dhcpTags.tagsAll),
    }))).DhcpOptions!.DhcpOptionsId!;
    await ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: dopt, VpcId: vpc.vpcId }));
    vpc.block.attributes.dhcp_options_id = dopt;
    blocks.push({
      type: 'aws_vpc_dhcp_options', name: dhcpName,
      hcl: `resource "aws_vpc_dhcp_options" "${dhcpName}" {\n  domain_name         = "${domain}"\n  domain_name_servers = ["AmazonProvidedDNS"]\n\n${hclTags(dhcpTags.tags)}}\n`,
      attributes: {
        id: dopt, arn: arnOf(target, 'ec2', `dhcp-options/${dopt}`), domain_name: domain, domain_name_servers: ['AmazonProvidedDNS'], ipv6_address_preferred_lease_time: '',
        netbios_name_servers: [], netbios_node_type: '', ntp_servers: [], owner_id: target.account, tags: dhcpTags.tags, tags_all: dhcpTags.tagsAll,
      },
    }, {
      type: 'aws_vpc_dhcp_options_association', name: dhcpName,
      hcl: `resource "aws_vpc_dhcp_options_association" "${dhcpName}" {\n  vpc_id          = ${vpcRef}.id\n  dhcp_options_id = aws_vpc_dhcp_options.${dhcpName}.id\n}\n`,
      attributes: { id: `${dopt}-${vpc.vpcId}`, vpc_id: vpc.vpcId, dhcp_options_id: dopt },
      dependencies: [`aws_vpc_dhcp_options.${dhcpName}`, vpcRef],
    });

    // The gateway is attached by its attachment resource (not its own vpc_id): after a refresh its
    // state records the VPC the attachment gave it.
    const vgwName = n('vpn');
    const vgwTags = tagsFor(`bench-${vgwName.replace(/_/g, '-')}`);
    const asn = 64512 + Math.floor(random() * 1000);
    const vgw = (await ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1', AmazonSideAsn: asn, TagSpecifications: tagSpec('vpn-gateway', vgwTags.tagsAll) }))).VpnGateway!.VpnGatewayId!;
    await ec2.send(new AttachVpnGatewayCommand({ VpnGatewayId: vgw, VpcId: vpc.vpcId }));
    await ec2.send(new EnableVgwRoutePropagationCommand({ GatewayId: vgw, RouteTableId: vpc.mainRouteTableId }));
    blocks.push({
      type: 'aws_vpn_gateway', name: vgwName,
      hcl: `resource "aws_vpn_gateway" "${vgwName}" {\n  amazon_side_asn = ${asn}\n\n${hclTags(vgwTags.tags)}}\n`,
      attributes: { id: vgw, arn: arnOf(target, 'ec2', `vpn-gateway/${vgw}`), amazon_side_asn: String(asn), availability_zone: '', vpc_id: vpc.vpcId, tags: vgwTags.tags, tags_all: vgwTags.tagsAll },
    }, {
      type: 'aws_vpn_gateway_attachment', name: vgwName,
      hcl: `resource "aws_vpn_gateway_attachment" "${vgwName}" {\n  vpc_id         = ${vpcRef}.id\n  vpn_gateway_id = aws_vpn_gateway.${vgwName}.id\n}\n`,
      attributes: { id: `vpn-attachment-${vgw.slice(4, 12)}`, vpc_id: vpc.vpcId, vpn_gateway_id: vgw },
      dependencies: [vpcRef, `aws_vpn_gateway.${vgwName}`],
    }, {
      type: 'aws_vpn_gateway_route_propagation', name: vgwName,
      hcl: `resource "aws_vpn_gateway_route_propagation" "${vgwName}" {\n  route_table_id = ${vpcRef}.main_route_table_id\n  vpn_gateway_id = aws_vpn_gateway.${vgwName}.id\n}\n`,
      attributes: { id: `${vpc.mainRouteTableId}_${vgw}`, route_table_id: vpc.mainRouteTableId, vpn_gateway_id: vgw, timeouts: null },
      dependencies: [vpcRef, `aws_vpn_gateway.${vgwName}`],
    });

    const cgwName = n('office');
    const cgwTags = tagsFor(`bench-${cgwName.replace(/_/g, '-')}`);
    // AWS returns the existing gateway for a known (ASN, address, type): each unit needs its own pair.
    const k = Number(/\d+$/.exec(suffix)?.[0] ?? 0);
    const ip = `${['203.0.113', '198.51.100', '192.0.2'][k % 3]}.${1 + (Math.floor(k / 3) % 254)}`;
    const bgpAsn = 65000 + (Math.floor(k / 762) % 500);
    const cgw = (await ec2.send(new CreateCustomerGatewayCommand({ BgpAsn: bgpAsn, IpAddress: ip, Type: 'ipsec.1', TagSpecifications: tagSpec('customer-gateway', cgwTags.tagsAll) }))).CustomerGateway!.CustomerGatewayId!;
    blocks.push({
      type: 'aws_customer_gateway', name: cgwName,
      hcl: `resource "aws_customer_gateway" "${cgwName}" {\n  bgp_asn    = ${bgpAsn}\n  ip_address = "${ip}"\n  type       = "ipsec.1"\n\n${hclTags(cgwTags.tags)}}\n`,
      attributes: {
        id: cgw, arn: arnOf(target, 'ec2', `customer-gateway/${cgw}`), bgp_asn: String(bgpAsn), bgp_asn_extended: '', certificate_arn: '', device_name: '', ip_address: ip, type: 'ipsec.1',
        tags: cgwTags.tags, tags_all: cgwTags.tagsAll,
      },
    });

    const pgName = n('hpc');
    const groupName = `bench-${pgName.replace(/_/g, '-')}`;
    const pgTags = tagsFor(groupName);
    const pg = (await ec2.send(new CreatePlacementGroupCommand({ GroupName: groupName, Strategy: 'spread', TagSpecifications: tagSpec('placement-group', pgTags.tagsAll) }))).PlacementGroup!.GroupId!;
    blocks.push({
      type: 'aws_placement_group', name: pgName,
      hcl: `resource "aws_placement_group" "${pgName}" {\n  name     = "${groupName}"\n  strategy = "spread"\n\n${hclTags(pgTags.tags)}}\n`,
      attributes: {
        id: groupName, arn: arnOf(target, 'ec2', `placement-group/${groupName}`), name: groupName, name_prefix: '', partition_count: 0, placement_group_id: pg,
        spread_level: 'rack', strategy: 'spread', tags: pgTags.tags, tags_all: pgTags.tagsAll,
      },
    });
    return blocks;
  },
  lowerBound(t) {
    const some = (type: string) => ((t[type] ?? 0) > 0 ? 1 : 0);
    return {
      'ec2:DescribeDhcpOptions': Math.ceil((t.aws_vpc_dhcp_options ?? 0) / 1000),
      // DescribeVpnGateways and DescribeCustomerGateways do not paginate: one call returns every
      // gateway (with its attachments); DescribePlacementGroups likewise.
      'ec2:DescribeVpnGateways': Math.max(some('aws_vpn_gateway'), some('aws_vpn_gateway_attachment')),
      'ec2:DescribeCustomerGateways': some('aws_customer_gateway'),
      'ec2:DescribePlacementGroups': some('aws_placement_group'),
      // Propagations are on route tables: 100 tables a page. The association is on the VPC, which
      // the generator's DescribeVpcs pages already read.
      'ec2:DescribeRouteTables': Math.ceil((t.aws_vpn_gateway_route_propagation ?? 0) / 100),
    };
  },
  readActions: ['ec2:Describe*'],
};
