// aws_nat_gateway (DescribeNatGateways family, by id). A gateway in state `deleted` or `deleting`
// is gone, as the provider reads it; every argument but the secondary addresses forces replacement.
import { member } from '../families/family';
import { natGatewaysFamily, natKey } from '../families/addresses';
import { cannotRevert, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

export const awsNatGateway: ResourceType = {
  type: 'aws_nat_gateway',
  tags: true,
  taggingType: 'ec2:natgateway',
  attributes: [
    { name: 'subnet_id', compare: 'scalar', forceNew: true },
    { name: 'allocation_id', compare: 'scalar', forceNew: true },
    { name: 'connectivity_type', compare: 'scalar', default: 'public', forceNew: true },
    { name: 'private_ip', compare: 'scalar', forceNew: true },
  ],
  notCompared: {
    public_ip: 'computed from the allocation', network_interface_id: 'computed by AWS', association_id: 'computed by AWS',
    secondary_allocation_ids: 'not read yet (secondary addresses)', secondary_private_ip_addresses: 'not read yet (secondary addresses)',
    secondary_private_ip_address_count: 'not read yet (secondary addresses)',
  },
  family: member(natGatewaysFamily, {
    keys: (t) => [natKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(natKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const g = found.items.find((x) => x.NatGatewayId === t.id);
      if (!g || g.State === 'deleted' || g.State === 'deleting' || g.State === 'failed') return missingEntry(ctx, t.id, `NAT gateway ${t.id} does not exist${g?.State ? ` (${g.State})` : ''}`);
      const primary = (g.NatGatewayAddresses ?? []).find((a) => a.IsPrimary) ?? g.NatGatewayAddresses?.[0];
      return foundEntry(t, 'aws_nat_gateway', ctx, {
        subnet_id: g.SubnetId, allocation_id: primary?.AllocationId ?? '', connectivity_type: g.ConnectivityType ?? 'public', private_ip: primary?.PrivateIp ?? '',
        public_ip: primary?.PublicIp ?? '', network_interface_id: primary?.NetworkInterfaceId ?? '', tags: userTags(g.Tags),
      });
    },
  }),
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:natgateway\/(nat-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  async revert(request, clients) {
    if (request.attribute === 'tags') return revertEc2Tags(clients, request);
    return cannotRevert(request.attribute);
  },
};
