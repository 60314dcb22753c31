// aws_vpc_dhcp_options (DescribeDhcpOptions family, by id). Server lists keep AWS's order (the
// provider's schema has them as lists: resolvers are tried in order); every option forces a new set.
import type { DhcpOptions } from '@aws-sdk/client-ec2';
import { member } from '../families/family';
import { dhcpKey, dhcpOptionsFamily } from '../families/vpc-gateways';
import { cannotRevert, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

const OPTIONS: Array<[attribute: string, key: string, list: boolean]> = [
  ['domain_name', 'domain-name', false], ['domain_name_servers', 'domain-name-servers', true], ['ntp_servers', 'ntp-servers', true],
  ['netbios_name_servers', 'netbios-name-servers', true], ['netbios_node_type', 'netbios-node-type', false],
  ['ipv6_address_preferred_lease_time', 'ipv6-address-preferred-lease-time', false],
];

export function dhcpAttributes(d: DhcpOptions): Record<string, unknown> {
  const values = new Map((d.DhcpConfigurations ?? []).map((c) => [c.Key, (c.Values ?? []).map((v) => v.Value ?? '')]));
  const out: Record<string, unknown> = { owner_id: d.OwnerId, tags: userTags(d.Tags) };
  for (const [attribute, key, list] of OPTIONS) out[attribute] = list ? values.get(key) ?? [] : values.get(key)?.[0] ?? '';
  return out;
}

export const awsVpcDhcpOptions: ResourceType = {
  type: 'aws_vpc_dhcp_options',
  tags: true,
  taggingType: 'ec2:dhcp-options',
  attributes: OPTIONS.map(([name]) => ({ name, compare: 'scalar' as const, forceNew: true })),
  notCompared: { arn: 'computed by AWS', owner_id: 'computed by AWS' },
  family: member(dhcpOptionsFamily, {
    keys: (t) => [dhcpKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(dhcpKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const d = found.items.find((x) => x.DhcpOptionsId === t.id);
      if (!d) return missingEntry(ctx, t.id, `DHCP option set ${t.id} does not exist`);
      return foundEntry(t, 'aws_vpc_dhcp_options', ctx, dhcpAttributes(d));
    },
  }),
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:dhcp-options\/(dopt-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  async revert(request, clients) {
    if (request.attribute === 'tags') return revertEc2Tags(clients, request);
    return cannotRevert(request.attribute);
  },
};
