// aws_default_vpc, aws_default_subnet and aws_vpc_ipv4_cidr_block_association against the
// sandbox through the real SDK (the per-type contract of test/support/type-suite). The demo's VPC
// and subnet stand in for the region's default ones: Terraform adopts them by id either way.
import { AssociateVpcCidrBlockCommand, CreateTagsCommand, DisassociateVpcCidrBlockCommand, EC2Client, ModifySubnetAttributeCommand, ModifyVpcAttributeCommand } from '@aws-sdk/client-ec2';
import { inst, typeSuite } from '../support/type-suite';

let ec2: EC2Client;
const ids = { vpc: '', subnet: '', cidr: '' };

typeSuite({
  async setup(env) {
    ec2 = env.sdk(EC2Client);
    ids.vpc = env.scenario.vpcs![0]!.id;
    ids.subnet = env.scenario.subnets![0]!.id;
    ids.cidr = (await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: ids.vpc, CidrBlock: '10.1.0.0/16' }))).CidrBlockAssociation!.AssociationId!;
  },
  state: () => {
    const vpcTags = { Name: 'tidemark-demo', Env: 'prod', Team: 'platform', Project: 'tidemark-demo', ManagedBy: 'terraform' };
    const subnetTags = { Name: 'tidemark-demo-public-a', Env: 'prod', Team: 'platform', Tier: 'public', Project: 'tidemark-demo', ManagedBy: 'terraform' };
    return [
      inst('aws_default_vpc', 'this', {
        arn: `arn:aws:ec2:us-east-1:123456789012:vpc/${ids.vpc}`, assign_generated_ipv6_cidr_block: false, cidr_block: '10.0.0.0/16', default_network_acl_id: 'acl-0', default_route_table_id: 'rtb-0',
        default_security_group_id: 'sg-0', dhcp_options_id: 'dopt-0c1d2e3f4a5b60718', enable_dns_hostnames: true, enable_dns_support: true, enable_network_address_usage_metrics: false,
        existing_default_vpc: true, force_destroy: false, id: ids.vpc, instance_tenancy: 'default', ipv6_association_id: '', ipv6_cidr_block: '', ipv6_cidr_block_network_border_group: '',
        ipv6_ipam_pool_id: '', ipv6_netmask_length: 0, main_route_table_id: 'rtb-0', owner_id: '123456789012', tags: vpcTags, tags_all: vpcTags,
      }),
      inst('aws_default_subnet', 'a', {
        arn: `arn:aws:ec2:us-east-1:123456789012:subnet/${ids.subnet}`, assign_ipv6_address_on_creation: false, availability_zone: 'us-east-1a', availability_zone_id: 'use1-az1',
        cidr_block: '10.0.1.0/24', customer_owned_ipv4_pool: '', enable_dns64: false, enable_resource_name_dns_a_record_on_launch: false, enable_resource_name_dns_aaaa_record_on_launch: false,
        existing_default_subnet: true, force_destroy: false, id: ids.subnet, ipv6_cidr_block: '', ipv6_cidr_block_association_id: '', ipv6_native: false, map_customer_owned_ip_on_launch: false,
        map_public_ip_on_launch: true, outpost_arn: '', owner_id: '123456789012', private_dns_hostname_type_on_launch: 'ip-name', tags: subnetTags, tags_all: subnetTags, timeouts: null, vpc_id: ids.vpc,
      }),
      inst('aws_vpc_ipv4_cidr_block_association', 'secondary', { cidr_block: '10.1.0.0/16', id: ids.cidr, ipv4_ipam_pool_id: '', ipv4_netmask_length: null, timeouts: null, vpc_id: ids.vpc }),
    ];
  },
  changes: {
    'DNS hostnames turned off on the default VPC': {
      drifts: ['aws_default_vpc.this enable_dns_hostnames'],
      change: () => ec2.send(new ModifyVpcAttributeCommand({ VpcId: ids.vpc, EnableDnsHostnames: { Value: false } })),
    },
    'public addresses turned off on the default subnet': {
      drifts: ['aws_default_subnet.a map_public_ip_on_launch'],
      change: () => ec2.send(new ModifySubnetAttributeCommand({ SubnetId: ids.subnet, MapPublicIpOnLaunch: { Value: false } })),
    },
    'tags changed on the default VPC and subnet': {
      drifts: ['aws_default_vpc.this tags', 'aws_default_subnet.a tags'],
      change: () => ec2.send(new CreateTagsCommand({ Resources: [ids.vpc, ids.subnet], Tags: [{ Key: 'Env', Value: 'dev' }] })),
    },
  },
  removals: {
    'the secondary CIDR block disassociated by hand': {
      missing: 'aws_vpc_ipv4_cidr_block_association.secondary',
      change: () => ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: ids.cidr })),
    },
  },
});
