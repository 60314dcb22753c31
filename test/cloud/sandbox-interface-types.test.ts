// aws_network_interface and aws_ec2_managed_prefix_list against the sandbox through the real SDK
// (the per-type contract of test/support/type-suite).
import {
  AttachNetworkInterfaceCommand, CreateManagedPrefixListCommand, CreateNetworkInterfaceCommand, CreateTagsCommand, DeleteManagedPrefixListCommand,
  DescribeManagedPrefixListsCommand, DetachNetworkInterfaceCommand, EC2Client, ModifyManagedPrefixListCommand, ModifyNetworkInterfaceAttributeCommand,
} from '@aws-sdk/client-ec2';
import { inst, typeSuite } from '../support/type-suite';

let ec2: EC2Client;
const ids = { subnet: '', web: '', sg: '', otherSg: '', eni: '', attachment: '', pl: '' };
const arn = (type: string, id: string) => `arn:aws:ec2:us-east-1:123456789012:${type}/${id}`;
const versionOf = async (id: string) => (await ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: [id] }))).PrefixLists![0]!.Version!;

typeSuite({
  async setup(env) {
    ec2 = env.sdk(EC2Client);
    ids.subnet = env.scenario.subnets![0]!.id;
    ids.web = env.scenario.instances![0]!.id;
    const groups = env.scenario.securityGroups!.filter((g) => g.vpc === env.scenario.vpcs![0]!.id);
    ids.sg = groups[0]!.id;
    ids.otherSg = groups[1]!.id;
    ids.eni = (await ec2.send(new CreateNetworkInterfaceCommand({
      SubnetId: ids.subnet, Description: 'appliance', PrivateIpAddress: '10.0.1.50', SecondaryPrivateIpAddressCount: 1, Groups: [ids.sg],
      TagSpecifications: [{ ResourceType: 'network-interface', Tags: [{ Key: 'Name', Value: 'appliance' }] }],
    }))).NetworkInterface!.NetworkInterfaceId!;
    ids.attachment = (await ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: ids.eni, InstanceId: ids.web, DeviceIndex: 1 }))).AttachmentId!;
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: ids.eni, SourceDestCheck: { Value: false } }));
    ids.pl = (await ec2.send(new CreateManagedPrefixListCommand({
      PrefixListName: 'offices', AddressFamily: 'IPv4', MaxEntries: 5, Entries: [{ Cidr: '203.0.113.0/24', Description: 'HQ' }, { Cidr: '198.51.100.0/24' }],
      TagSpecifications: [{ ResourceType: 'prefix-list', Tags: [{ Key: 'Name', Value: 'offices' }] }],
    }))).PrefixList!.PrefixListId!;
  },
  state: () => [
    inst('aws_network_interface', 'appliance', {
      arn: arn('network-interface', ids.eni), attachment: [{ attachment_id: ids.attachment, device_index: 1, instance: ids.web, network_card_index: 0 }], description: 'appliance',
      id: ids.eni, interface_type: 'interface', ipv4_prefix_count: 0, ipv4_prefixes: [], ipv6_address_count: 0, ipv6_address_list: [], ipv6_address_list_enabled: false,
      ipv6_addresses: [], ipv6_prefix_count: 0, ipv6_prefixes: [], mac_address: '0e:00:00:00:00:00', outpost_arn: '', owner_id: '123456789012', private_dns_name: '',
      private_ip: '10.0.1.50', private_ip_list: ['10.0.1.50', '10.0.1.4'], private_ip_list_enabled: false, private_ips: ['10.0.1.4', '10.0.1.50'], private_ips_count: 1,
      security_groups: [ids.sg], source_dest_check: false, subnet_id: ids.subnet, tags: { Name: 'appliance' }, tags_all: { Name: 'appliance' },
    }),
    inst('aws_ec2_managed_prefix_list', 'offices', {
      address_family: 'IPv4', arn: arn('prefix-list', ids.pl), entry: [{ cidr: '198.51.100.0/24', description: '' }, { cidr: '203.0.113.0/24', description: 'HQ' }], id: ids.pl,
      max_entries: 5, name: 'offices', owner_id: '123456789012', tags: { Name: 'offices' }, tags_all: { Name: 'offices' }, version: 1,
    }),
  ],
  changes: {
    'description, security groups and source/destination check changed on the interface': {
      drifts: ['aws_network_interface.appliance description', 'aws_network_interface.appliance security_groups', 'aws_network_interface.appliance source_dest_check'],
      async change() {
        await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: ids.eni, Description: { Value: 'changed' } }));
        await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: ids.eni, Groups: [ids.otherSg] }));
        await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: ids.eni, SourceDestCheck: { Value: true } }));
      },
    },
    'an office range opened to the world and the list renamed': {
      drifts: ['aws_ec2_managed_prefix_list.offices entry', 'aws_ec2_managed_prefix_list.offices name'],
      async change() {
        await ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: ids.pl, CurrentVersion: await versionOf(ids.pl), AddEntries: [{ Cidr: '0.0.0.0/0' }], PrefixListName: 'renamed' }));
      },
    },
    'tags renamed': {
      drifts: ['aws_network_interface.appliance tags', 'aws_ec2_managed_prefix_list.offices tags'],
      change: () => ec2.send(new CreateTagsCommand({ Resources: [ids.eni, ids.pl], Tags: [{ Key: 'Name', Value: 'renamed' }] })),
    },
    'the interface detached by hand': {
      drifts: ['aws_network_interface.appliance attachment'],
      change: () => ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: ids.attachment })),
      unrevertable: /attachment cannot be written back in place: addresses and attachments are not written back yet/,
      async undo() {
        ids.attachment = (await ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: ids.eni, InstanceId: ids.web, DeviceIndex: 1 }))).AttachmentId!;
      },
    },
  },
  removals: {
    'the prefix list deleted': { missing: 'aws_ec2_managed_prefix_list.offices', change: () => ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: ids.pl })) },
  },
});
