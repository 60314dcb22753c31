// aws_vpc_dhcp_options_association (DescribeVpcs family, by the VPC id). As the provider reads it,
// the association exists while the VPC uses exactly that option set: a VPC switched to another set
// (or to `default`) leaves the association missing, and `terraform apply` associates it again.
import { member } from '../families/family';
import { vpcKey, vpcsFamily } from '../families/vpc-gateways';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

export const awsVpcDhcpOptionsAssociation: ResourceType = {
  type: 'aws_vpc_dhcp_options_association',
  tags: false,
  attributes: [
    { name: 'vpc_id', compare: 'scalar', forceNew: true },
    { name: 'dhcp_options_id', compare: 'scalar', forceNew: true },
  ],
  revertUnsupported: 'an association to another option set reads as missing (Terraform creates it again)',
  family: member(vpcsFamily, {
    keys: (t) => [vpcKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(vpcKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const v = found.items.find((x) => x.VpcId === t.id);
      const want = str(t.state.attributes.dhcp_options_id);
      if (!v) return missingEntry(ctx, t.id, `VPC ${t.id} does not exist`);
      if (want && v.DhcpOptionsId !== want) return missingEntry(ctx, t.id, `VPC ${t.id} uses DHCP options ${v.DhcpOptionsId ?? 'default'}, not ${want}`);
      return foundEntry(t, 'aws_vpc_dhcp_options_association', ctx, { vpc_id: v.VpcId, dhcp_options_id: v.DhcpOptionsId ?? 'default' });
    },
  }),
  idFromState: (a) => str(a.vpc_id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/-/g, '_'),
  revert: async (request) => cannotRevert(request.attribute),
};
