// aws_network_interface (DescribeNetworkInterfaces family, by id). The subnet forces a new
// interface; description, security groups and the source/destination check are written back with
// ModifyNetworkInterfaceAttribute. Addresses and attachments are optional and computed: compared
// when declared (private_ips as a set, attachment as instance and device index).
import { ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { isObject, Known } from '../../drift/values';
import { member } from '../families/family';
import { networkInterfaceKey, networkInterfacesFamily } from '../families/interfaces';
import { bool, cannotRevert, foundEntry, labelFrom, missingEntry, num, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

/** `attachment { instance, device_index }` blocks → `i-123#1` (the attachment id is computed). */
function attachmentAtoms(value: Known): Known {
  return (Array.isArray(value) ? value : []).flatMap((b) => (isObject(b) ? [`${String(b.instance ?? '')}#${String(num((b.device_index ?? null) as Known) ?? '')}`] : []));
}

export const awsNetworkInterface: ResourceType = {
  type: 'aws_network_interface',
  tags: true,
  taggingType: 'ec2:network-interface',
  attributes: [
    { name: 'subnet_id', compare: 'scalar', forceNew: true },
    { name: 'description', compare: 'scalar' },
    { name: 'security_groups', compare: 'set', severity: 'error' },
    { name: 'source_dest_check', compare: 'scalar', default: true },
    { name: 'private_ips', compare: 'set' },
    { name: 'private_ip', compare: 'scalar' },
    { name: 'attachment', compare: 'blocks', normalize: attachmentAtoms, phrases: (v) => attachmentAtoms(v) as string[] },
  ],
  notCompared: {
    arn: 'computed by AWS', mac_address: 'computed by AWS', owner_id: 'computed by AWS', private_dns_name: 'computed by AWS', outpost_arn: 'computed by AWS',
    private_ips_count: 'a count of secondary addresses, compared through private_ips', private_ip_list: 'compared through private_ips', private_ip_list_enabled: 'a Terraform-side setting',
    interface_type: 'not read yet', ipv4_prefixes: 'not read yet (prefix delegation)', ipv4_prefix_count: 'not read yet (prefix delegation)',
    ipv6_addresses: 'not read yet (IPv6)', ipv6_address_count: 'not read yet (IPv6)', ipv6_address_list: 'not read yet (IPv6)', ipv6_address_list_enabled: 'not read yet (IPv6)',
    ipv6_prefixes: 'not read yet (IPv6)', ipv6_prefix_count: 'not read yet (IPv6)',
  },
  family: member(networkInterfacesFamily, {
    keys: (t) => [networkInterfaceKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(networkInterfaceKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const e = found.items.find((x) => x.NetworkInterfaceId === t.id);
      if (!e) return missingEntry(ctx, t.id, `network interface ${t.id} does not exist`);
      const a = e.Attachment;
      return foundEntry(t, 'aws_network_interface', ctx, {
        subnet_id: e.SubnetId, description: e.Description ?? '', security_groups: (e.Groups ?? []).map((g) => g.GroupId ?? ''), source_dest_check: e.SourceDestCheck ?? true,
        private_ips: (e.PrivateIpAddresses ?? []).map((p) => p.PrivateIpAddress ?? ''), private_ip: e.PrivateIpAddress ?? '',
        attachment: a?.InstanceId ? [{ instance: a.InstanceId, device_index: a.DeviceIndex ?? 0, attachment_id: a.AttachmentId ?? '' }] : [],
        mac_address: e.MacAddress, tags: userTags(e.TagSet),
      });
    },
  }),
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:network-interface\/(eni-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  async revert(request, clients) {
    const { attribute, declared, id } = request;
    if (attribute === 'tags') return revertEc2Tags(clients, request);
    let input: ConstructorParameters<typeof ModifyNetworkInterfaceAttributeCommand>[0];
    if (attribute === 'description') input = { NetworkInterfaceId: id, Description: { Value: typeof declared === 'string' ? declared : '' } };
    else if (attribute === 'source_dest_check') input = { NetworkInterfaceId: id, SourceDestCheck: { Value: bool(declared) ?? true } };
    else if (attribute === 'security_groups' && Array.isArray(declared) && declared.length) input = { NetworkInterfaceId: id, Groups: declared.map(String) };
    else return cannotRevert(attribute, attribute === 'security_groups' ? 'an interface keeps at least one security group' : 'addresses and attachments are not written back yet');
    await clients.gate.call('ec2:ModifyNetworkInterfaceAttribute', () => clients.ec2.send(new ModifyNetworkInterfaceAttributeCommand(input)));
    return { ok: true, message: `${attribute} of ${id} restored` };
  },
};
