// aws_egress_only_internet_gateway, aws_vpc_dhcp_options (+ association), aws_customer_gateway,
// aws_vpn_gateway (+ attachment and route propagation) and aws_placement_group against the
// sandbox through the real SDK (the per-type contract of test/support/type-suite).
import {
  AssociateDhcpOptionsCommand, AttachVpnGatewayCommand, CreateCustomerGatewayCommand, CreateDhcpOptionsCommand, CreateEgressOnlyInternetGatewayCommand,
  CreatePlacementGroupCommand, CreateTagsCommand, CreateVpnGatewayCommand, DescribeRouteTablesCommand, DetachVpnGatewayCommand, DisableVgwRoutePropagationCommand, EC2Client,
  EnableVgwRoutePropagationCommand,
} from '@aws-sdk/client-ec2';
import { inst, typeSuite } from '../support/type-suite';

let ec2: EC2Client;
const ids = { vpc: '', table: '', eigw: '', dopt: '', cgw: '', vgw: '', pg: '' };
const tag = (id: string, Value: string) => () => ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'Name', Value }] }));
const spec = (ResourceType: string, Name: string) => [{ ResourceType, Tags: [{ Key: 'Name', Value: Name }] }] as never;
const arn = (type: string, id: string) => `arn:aws:ec2:us-east-1:123456789012:${type}/${id}`;

typeSuite({
  async setup(env) {
    ec2 = env.sdk(EC2Client);
    ids.vpc = env.scenario.vpcs![0]!.id;
    ids.table = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [ids.vpc] }] }))).RouteTables![0]!.RouteTableId!;
    ids.eigw = (await ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: ids.vpc, TagSpecifications: spec('egress-only-internet-gateway', 'v6') }))).EgressOnlyInternetGateway!.EgressOnlyInternetGatewayId!;
    ids.dopt = (await ec2.send(new CreateDhcpOptionsCommand({
      DhcpConfigurations: [{ Key: 'domain-name', Values: ['corp.example'] }, { Key: 'domain-name-servers', Values: ['10.0.0.2', 'AmazonProvidedDNS'] }, { Key: 'netbios-node-type', Values: ['2'] }],
      TagSpecifications: spec('dhcp-options', 'corp'),
    }))).DhcpOptions!.DhcpOptionsId!;
    await ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: ids.dopt, VpcId: ids.vpc }));
    ids.cgw = (await ec2.send(new CreateCustomerGatewayCommand({ BgpAsn: 65000, IpAddress: '203.0.113.12', Type: 'ipsec.1', TagSpecifications: spec('customer-gateway', 'office') }))).CustomerGateway!.CustomerGatewayId!;
    ids.vgw = (await ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1', AmazonSideAsn: 64512, TagSpecifications: spec('vpn-gateway', 'vpn') }))).VpnGateway!.VpnGatewayId!;
    await ec2.send(new AttachVpnGatewayCommand({ VpnGatewayId: ids.vgw, VpcId: ids.vpc }));
    await ec2.send(new EnableVgwRoutePropagationCommand({ GatewayId: ids.vgw, RouteTableId: ids.table }));
    ids.pg = (await ec2.send(new CreatePlacementGroupCommand({ GroupName: 'hpc', Strategy: 'cluster', TagSpecifications: spec('placement-group', 'hpc') }))).PlacementGroup!.GroupId!;
  },
  state: () => [
    inst('aws_egress_only_internet_gateway', 'v6', { id: ids.eigw, vpc_id: ids.vpc, tags: { Name: 'v6' }, tags_all: { Name: 'v6' } }),
    inst('aws_vpc_dhcp_options', 'corp', {
      arn: arn('dhcp-options', ids.dopt), domain_name: 'corp.example', domain_name_servers: ['10.0.0.2', 'AmazonProvidedDNS'], id: ids.dopt, ipv6_address_preferred_lease_time: '',
      netbios_name_servers: [], netbios_node_type: '2', ntp_servers: [], owner_id: '123456789012', tags: { Name: 'corp' }, tags_all: { Name: 'corp' },
    }),
    inst('aws_vpc_dhcp_options_association', 'corp', { dhcp_options_id: ids.dopt, id: `${ids.dopt}-${ids.vpc}`, vpc_id: ids.vpc }),
    inst('aws_customer_gateway', 'office', {
      arn: arn('customer-gateway', ids.cgw), bgp_asn: '65000', bgp_asn_extended: '', certificate_arn: '', device_name: '', id: ids.cgw, ip_address: '203.0.113.12',
      tags: { Name: 'office' }, tags_all: { Name: 'office' }, type: 'ipsec.1',
    }),
    inst('aws_vpn_gateway', 'vpn', {
      amazon_side_asn: '64512', arn: arn('vpn-gateway', ids.vgw), availability_zone: '', id: ids.vgw, tags: { Name: 'vpn' }, tags_all: { Name: 'vpn' }, vpc_id: ids.vpc,
    }),
    inst('aws_vpn_gateway_attachment', 'vpn', { id: `vpn-attachment-${ids.vgw.slice(4, 12)}`, vpc_id: ids.vpc, vpn_gateway_id: ids.vgw }),
    inst('aws_vpn_gateway_route_propagation', 'main', { id: `${ids.table}_${ids.vgw}`, route_table_id: ids.table, timeouts: null, vpn_gateway_id: ids.vgw }),
    inst('aws_placement_group', 'hpc', {
      arn: arn('placement-group', 'hpc'), id: 'hpc', name: 'hpc', name_prefix: '', partition_count: 0, placement_group_id: ids.pg, spread_level: '', strategy: 'cluster',
      tags: { Name: 'hpc' }, tags_all: { Name: 'hpc' },
    }),
  ],
  changes: {
    'tags renamed on every taggable type': {
      drifts: ['aws_egress_only_internet_gateway.v6 tags', 'aws_vpc_dhcp_options.corp tags', 'aws_customer_gateway.office tags', 'aws_vpn_gateway.vpn tags', 'aws_placement_group.hpc tags'],
      async change() {
        for (const id of [ids.eigw, ids.dopt, ids.cgw, ids.vgw, ids.pg]) await tag(id, 'renamed')();
      },
    },
    'VPN gateway detached by hand': {
      // Re-attaching the gateway (its writer) brings its attachment resource back too.
      drifts: ['aws_vpn_gateway.vpn vpc_id', 'aws_vpn_gateway_attachment.vpn missing'],
      change: () => ec2.send(new DetachVpnGatewayCommand({ VpnGatewayId: ids.vgw, VpcId: ids.vpc })),
    },
  },
  removals: {
    'route propagation disabled by hand': {
      missing: 'aws_vpn_gateway_route_propagation.main',
      change: () => ec2.send(new DisableVgwRoutePropagationCommand({ GatewayId: ids.vgw, RouteTableId: ids.table })),
    },
    'the VPC switched back to the default DHCP options': {
      missing: 'aws_vpc_dhcp_options_association.corp',
      change: () => ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: 'default', VpcId: ids.vpc })),
    },
    'VPN gateway detached again': {
      missing: 'aws_vpn_gateway_attachment.vpn',
      change: () => ec2.send(new DetachVpnGatewayCommand({ VpnGatewayId: ids.vgw, VpcId: ids.vpc })),
    },
  },
});
