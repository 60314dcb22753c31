// EC2 network seeder: a VPC with a secondary CIDR block, a subnet, a security group whose rules are
// aws_security_group_rule resources, a network ACL with aws_network_acl_rule entries, a network
// interface with an Elastic IP associated to it, a NAT gateway on its own Elastic IP, and a
// peering connection to a second VPC accepted by an aws_vpc_peering_connection_accepter.
import {
  AcceptVpcPeeringConnectionCommand, AllocateAddressCommand, AssociateAddressCommand, AssociateVpcCidrBlockCommand, AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand, CreateNatGatewayCommand, CreateNetworkAclCommand, CreateNetworkAclEntryCommand, CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand, CreateVpcPeeringConnectionCommand, DescribeAddressesCommand, DescribeSecurityGroupRulesCommand, EC2Client,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { seedSubnet, seedVpc, tagSpec } from './ec2-gateways';
import { arnOf, clientFor, hclTags, tagsFor, type SeededBlock, type Seeder, type SeedTarget } from './seeder';

const TYPES = [
  'aws_vpc', 'aws_vpc_ipv4_cidr_block_association', 'aws_subnet', 'aws_security_group', 'aws_security_group_rule', 'aws_network_acl', 'aws_network_acl_rule',
  'aws_network_interface', 'aws_eip', 'aws_eip_association', 'aws_nat_gateway', 'aws_vpc_peering_connection', 'aws_vpc_peering_connection_accepter',
] as const;

const label = (name: string) => `bench-${name.replace(/_/g, '-')}`;

/** aws_eip as the provider records it (a VPC address, associated or not). */
function eipAttributes(target: SeedTarget, id: string, a: { PublicIp?: string; AssociationId?: string; NetworkInterfaceId?: string; PrivateIpAddress?: string; InstanceId?: string }, tags: Record<string, string>, tagsAll: Record<string, string>) {
  return {
    address: null, allocation_id: id, arn: arnOf(target, 'ec2', `elastic-ip/${id}`), associate_with_private_ip: null, association_id: a.AssociationId ?? '', carrier_ip: '', customer_owned_ip: '',
    customer_owned_ipv4_pool: '', domain: 'vpc', id, instance: a.InstanceId ?? '', ipam_pool_id: null, network_border_group: target.region, network_interface: a.NetworkInterfaceId ?? '',
    private_dns: null, private_ip: a.PrivateIpAddress ?? '', public_dns: '', public_ip: a.PublicIp ?? '', public_ipv4_pool: 'amazon', tags, tags_all: tagsAll, timeouts: null, vpc: true,
  };
}

export const ec2NetworkSeeder: Seeder = {
  family: 'ec2_network',
  types: TYPES,
  async seedUnit(target, suffix, random) {
    const ec2 = clientFor(EC2Client, target);
    const n = (base: string) => `${base}_${suffix}`;
    const vpc = await seedVpc(ec2, target, n('net_vpc'), random);
    const vpcRef = `aws_vpc.${vpc.block.name}`;
    const blocks: SeededBlock[] = [vpc.block];
    const octets = vpc.cidr.split('.');
    const net = `${octets[0]}.${octets[1]}.${octets[2]}`;

    // A secondary CIDR block next to the primary one.
    const secondary = `100.64.${Math.floor(random() * 256)}.0/24`;
    const cidrAssoc = (await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc.vpcId, CidrBlock: secondary }))).CidrBlockAssociation!.AssociationId!;
    const cidrName = n('secondary');
    blocks.push({
      type: 'aws_vpc_ipv4_cidr_block_association', name: cidrName,
      hcl: `resource "aws_vpc_ipv4_cidr_block_association" "${cidrName}" {\n  vpc_id     = ${vpcRef}.id\n  cidr_block = "${secondary}"\n}\n`,
      attributes: { id: cidrAssoc, vpc_id: vpc.vpcId, cidr_block: secondary, ipv4_ipam_pool_id: '', ipv4_netmask_length: null, timeouts: null },
      dependencies: [vpcRef],
    });

    const seededSubnet = await seedSubnet(ec2, target, { vpcId: vpc.vpcId, ref: vpcRef }, n('net_subnet'), `${net}.0/26`);
    const subnet = seededSubnet.subnetId;
    const subnetRef = seededSubnet.ref;
    blocks.push(seededSubnet.block);

    // The provider removes the egress rule AWS adds to a new group; the rules are resources of their own.
    const sgName = n('classic');
    const groupName = label(sgName);
    const sgTags = tagsFor(groupName);
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: groupName, Description: 'Rules as aws_security_group_rule', VpcId: vpc.vpcId, TagSpecifications: tagSpec('security-group', sgTags.tagsAll) }))).GroupId!;
    const existing = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [sg] }] }))).SecurityGroupRules ?? [];
    if (existing.some((r) => r.IsEgress)) await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const office = `10.${Math.floor(random() * 100)}.0.0/16`;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: office, Description: 'HTTPS from the office' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const sgRef = `aws_security_group.${sgName}`;
    const rule = (type: 'ingress' | 'egress', name: string, r: { from: number; to: number; protocol: string; cidr: string; description: string }): SeededBlock => ({
      type: 'aws_security_group_rule', name,
      hcl: `resource "aws_security_group_rule" "${name}" {\n  type              = "${type}"\n  security_group_id = ${sgRef}.id\n  protocol          = "${r.protocol}"\n  from_port         = ${r.from}\n  to_port           = ${r.to}\n  cidr_blocks       = ["${r.cidr}"]\n${r.description ? `  description       = "${r.description}"\n` : ''}}\n`,
      attributes: {
        id: `sgrule-${(hashOf(`${sg}${name}`) % 9_000_000_000) + 1_000_000_000}`, type, security_group_id: sg, protocol: r.protocol, from_port: r.from, to_port: r.to, cidr_blocks: [r.cidr],
        description: r.description, ipv6_cidr_blocks: null, prefix_list_ids: [], security_group_rule_id: '', self: false, source_security_group_id: null, timeouts: null,
      },
      dependencies: [sgRef],
    });
    blocks.push({
      type: 'aws_security_group', name: sgName,
      hcl: `resource "aws_security_group" "${sgName}" {\n  name        = "${groupName}"\n  description = "Rules as aws_security_group_rule"\n  vpc_id      = ${vpcRef}.id\n\n${hclTags(sgTags.tags)}}\n`,
      attributes: {
        id: sg, arn: arnOf(target, 'ec2', `security-group/${sg}`), name: groupName, name_prefix: '', description: 'Rules as aws_security_group_rule', vpc_id: vpc.vpcId, owner_id: target.account,
        ingress: [], egress: [], revoke_rules_on_delete: false, tags: sgTags.tags, tags_all: sgTags.tagsAll, timeouts: null,
      },
      dependencies: [vpcRef],
    },
    rule('ingress', n('https'), { from: 443, to: 443, protocol: 'tcp', cidr: office, description: 'HTTPS from the office' }),
    rule('egress', n('out'), { from: 0, to: 0, protocol: '-1', cidr: '0.0.0.0/0', description: '' }));

    // A network ACL whose entries are aws_network_acl_rule resources (the ACL's state lists them, as a refresh reads them).
    const aclName = n('acl');
    const aclTags = tagsFor(label(aclName));
    const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpc.vpcId, TagSpecifications: tagSpec('network-acl', aclTags.tagsAll) }))).NetworkAcl!.NetworkAclId!;
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Egress: false, Protocol: '6', RuleAction: 'allow', CidrBlock: office, PortRange: { From: 443, To: 443 } }));
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Egress: true, Protocol: '-1', RuleAction: 'allow', CidrBlock: '0.0.0.0/0' }));
    const entry = (e: Record<string, unknown>) => ({ action: 'allow', cidr_block: '0.0.0.0/0', from_port: 0, icmp_code: 0, icmp_type: 0, ipv6_cidr_block: '', protocol: '-1', rule_no: 100, to_port: 0, ...e });
    const aclRef = `aws_network_acl.${aclName}`;
    const aclRule = (name: string, egress: boolean, r: { protocol: string; cidr: string; from: number; to: number }): SeededBlock => ({
      type: 'aws_network_acl_rule', name,
      hcl: `resource "aws_network_acl_rule" "${name}" {\n  network_acl_id = ${aclRef}.id\n  rule_number    = 100\n  egress         = ${egress}\n  protocol       = "${r.protocol}"\n  rule_action    = "allow"\n  cidr_block     = "${r.cidr}"\n${r.protocol === '-1' ? '' : `  from_port      = ${r.from}\n  to_port        = ${r.to}\n`}}\n`,
      attributes: {
        id: `nacl-${hashOf(`${acl}-100-${egress}`)}`, network_acl_id: acl, rule_number: 100, egress, protocol: r.protocol, rule_action: 'allow', cidr_block: r.cidr, from_port: r.from, to_port: r.to,
        icmp_code: null, icmp_type: null, ipv6_cidr_block: '',
      },
      dependencies: [aclRef],
    });
    blocks.push({
      type: 'aws_network_acl', name: aclName,
      hcl: `resource "aws_network_acl" "${aclName}" {\n  vpc_id = ${vpcRef}.id\n\n${hclTags(aclTags.tags)}}\n`,
      attributes: {
        id: acl, arn: arnOf(target, 'ec2', `network-acl/${acl}`), vpc_id: vpc.vpcId, owner_id: target.account, subnet_ids: [],
        ingress: [entry({ cidr_block: office, from_port: 443, to_port: 443, protocol: '6' })], egress: [entry({})], tags: aclTags.tags, tags_all: aclTags.tagsAll,
      },
      dependencies: [vpcRef],
    },
    aclRule(n('acl_https'), false, { protocol: '6', cidr: office, from: 443, to: 443 }),
    aclRule(n('acl_out'), true, { protocol: '-1', cidr: '0.0.0.0/0', from: 0, to: 0 }));

    // A network interface with an Elastic IP associated by aws_eip_association.
    const eniName = n('appliance');
    const eniTags = tagsFor(label(eniName));
    const privateIp = `${net}.${10 + Math.floor(random() * 40)}`;
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet, Description: 'appliance', PrivateIpAddress: privateIp, Groups: [sg], TagSpecifications: tagSpec('network-interface', eniTags.tagsAll) }))).NetworkInterface!;
    const eniId = eni.NetworkInterfaceId!;
    blocks.push({
      type: 'aws_network_interface', name: eniName,
      hcl: `resource "aws_network_interface" "${eniName}" {\n  subnet_id       = ${subnetRef}.id\n  description     = "appliance"\n  private_ips     = ["${privateIp}"]\n  security_groups = [${sgRef}.id]\n\n${hclTags(eniTags.tags)}}\n`,
      attributes: {
        id: eniId, arn: arnOf(target, 'ec2', `network-interface/${eniId}`), attachment: [], description: 'appliance', interface_type: 'interface', ipv4_prefix_count: 0, ipv4_prefixes: [],
        ipv6_address_count: 0, ipv6_address_list: [], ipv6_address_list_enabled: false, ipv6_addresses: [], ipv6_prefix_count: 0, ipv6_prefixes: [], mac_address: eni.MacAddress ?? '',
        outpost_arn: '', owner_id: target.account, private_dns_name: eni.PrivateDnsName ?? '', private_ip: privateIp, private_ip_list: [privateIp], private_ip_list_enabled: false,
        private_ips: [privateIp], private_ips_count: 0, security_groups: [sg], source_dest_check: true, subnet_id: subnet, tags: eniTags.tags, tags_all: eniTags.tagsAll,
      },
      dependencies: [sgRef, subnetRef],
    });

    const allocate = async (name: string) => {
      const t = tagsFor(label(name));
      const id = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: tagSpec('elastic-ip', t.tagsAll) }))).AllocationId!;
      return { id, name, ...t };
    };
    const describe = async (id: string) => (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [id] }))).Addresses![0]!;
    const eip = await allocate(n('public'));
    const assoc = (await ec2.send(new AssociateAddressCommand({ AllocationId: eip.id, NetworkInterfaceId: eniId }))).AssociationId!;
    const eipLive = await describe(eip.id);
    const eipRef = `aws_eip.${eip.name}`;
    blocks.push({
      type: 'aws_eip', name: eip.name,
      hcl: `resource "aws_eip" "${eip.name}" {\n  domain = "vpc"\n\n${hclTags(eip.tags)}}\n`,
      attributes: eipAttributes(target, eip.id, eipLive, eip.tags, eip.tagsAll),
    }, {
      type: 'aws_eip_association', name: eip.name,
      hcl: `resource "aws_eip_association" "${eip.name}" {\n  allocation_id        = ${eipRef}.id\n  network_interface_id = aws_network_interface.${eniName}.id\n}\n`,
      attributes: {
        id: assoc, allocation_id: eip.id, allow_reassociation: null, instance_id: eipLive.InstanceId ?? '', network_interface_id: eniId, private_ip_address: eipLive.PrivateIpAddress ?? privateIp,
        public_ip: eipLive.PublicIp,
      },
      dependencies: [eipRef, `aws_network_interface.${eniName}`],
    });

    const natIp = await allocate(n('nat_ip'));
    const natName = n('nat');
    const natTags = tagsFor(label(natName));
    const nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: subnet, AllocationId: natIp.id, TagSpecifications: tagSpec('natgateway', natTags.tagsAll) }))).NatGateway!;
    const natAddress = nat.NatGatewayAddresses?.[0];
    const natIpLive = await describe(natIp.id);
    blocks.push({
      type: 'aws_eip', name: natIp.name,
      hcl: `resource "aws_eip" "${natIp.name}" {\n  domain = "vpc"\n\n${hclTags(natIp.tags)}}\n`,
      attributes: eipAttributes(target, natIp.id, natIpLive, natIp.tags, natIp.tagsAll),
    }, {
      type: 'aws_nat_gateway', name: natName,
      hcl: `resource "aws_nat_gateway" "${natName}" {\n  allocation_id = aws_eip.${natIp.name}.id\n  subnet_id     = ${subnetRef}.id\n\n${hclTags(natTags.tags)}}\n`,
      attributes: {
        id: nat.NatGatewayId!, allocation_id: natIp.id, association_id: natAddress?.AssociationId ?? '', connectivity_type: 'public', network_interface_id: natAddress?.NetworkInterfaceId ?? '',
        private_ip: natAddress?.PrivateIp ?? '', public_ip: natAddress?.PublicIp ?? natIpLive.PublicIp, secondary_allocation_ids: [], secondary_private_ip_address_count: 0,
        secondary_private_ip_addresses: [], subnet_id: subnet, tags: natTags.tags, tags_all: natTags.tagsAll, timeouts: null,
      },
      dependencies: [`aws_eip.${natIp.name}`, subnetRef],
    });

    // A peering connection to a second VPC of the account, accepted by its accepter resource.
    const peer = await seedVpc(ec2, target, n('peer_vpc'), random);
    const peeringName = n('peering');
    const peeringTags = tagsFor(label(peeringName));
    const peering = (await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: vpc.vpcId, PeerVpcId: peer.vpcId, TagSpecifications: tagSpec('vpc-peering-connection', peeringTags.tagsAll) }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: peering }));
    const peerRef = `aws_vpc.${peer.block.name}`;
    const common = {
      accept_status: 'active', accepter: [{ allow_remote_vpc_dns_resolution: false }], auto_accept: true, id: peering, peer_owner_id: target.account, peer_region: target.region,
      peer_vpc_id: peer.vpcId, requester: [{ allow_remote_vpc_dns_resolution: false }], timeouts: null, vpc_id: vpc.vpcId,
    };
    blocks.push(peer.block, {
      type: 'aws_vpc_peering_connection', name: peeringName,
      hcl: `resource "aws_vpc_peering_connection" "${peeringName}" {\n  vpc_id      = ${vpcRef}.id\n  peer_vpc_id = ${peerRef}.id\n  auto_accept = true\n\n${hclTags(peeringTags.tags)}}\n`,
      attributes: { ...common, tags: peeringTags.tags, tags_all: peeringTags.tagsAll },
      dependencies: [peerRef, vpcRef],
    }, {
      // The accepter side names the same connection (same account): both sides declare its tags,
      // or each plan would remove the other's (default_tags apply to both).
      type: 'aws_vpc_peering_connection_accepter', name: peeringName,
      hcl: `resource "aws_vpc_peering_connection_accepter" "${peeringName}" {\n  vpc_peering_connection_id = aws_vpc_peering_connection.${peeringName}.id\n  auto_accept               = true\n\n${hclTags(peeringTags.tags)}}\n`,
      attributes: { ...common, vpc_peering_connection_id: peering, tags: peeringTags.tags, tags_all: peeringTags.tagsAll },
      dependencies: [`aws_vpc_peering_connection.${peeringName}`],
    });
    return blocks;
  },
  lowerBound(t) {
    const pages = (type: string, size: number) => Math.ceil((t[type] ?? 0) / size);
    return {
      // Secondary CIDR blocks are on the VPC, read by the generator's DescribeVpcs pages.
      // Standalone rules: 1,000 a page of DescribeSecurityGroupRules.
      'ec2:DescribeSecurityGroupRules': pages('aws_security_group_rule', 1000),
      // ACLs and their entries: one family read, 1,000 ACLs a page (the entries ride along).
      'ec2:DescribeNetworkAcls': Math.max(pages('aws_network_acl', 1000), t.aws_network_acl ? 0 : pages('aws_network_acl_rule', 1000)),
      'ec2:DescribeNetworkInterfaces': pages('aws_network_interface', 1000),
      // DescribeAddresses does not paginate: one call returns every address with its association.
      'ec2:DescribeAddresses': (t.aws_eip ?? 0) + (t.aws_eip_association ?? 0) > 0 ? 1 : 0,
      'ec2:DescribeNatGateways': pages('aws_nat_gateway', 1000),
      // The connection and its accepter are the same object: one listing serves both.
      'ec2:DescribeVpcPeeringConnections': Math.max(pages('aws_vpc_peering_connection', 1000), pages('aws_vpc_peering_connection_accepter', 1000)),
    };
  },
  readActions: ['ec2:Describe*'],
};

function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
