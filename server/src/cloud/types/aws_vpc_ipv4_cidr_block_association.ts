// aws_vpc_ipv4_cidr_block_association (DescribeVpcs family, by association id): a secondary IPv4
// block of a VPC; present while the VPC lists the association as associated. Both arguments force
// a new association.
import { member } from '../families/family';
import { vpcsFamily } from '../families/vpc-gateways';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

const associationKey = (id: string) => ({ filter: 'cidr-block-association.association-id', value: id });

export const awsVpcIpv4CidrBlockAssociation: ResourceType = {
  type: 'aws_vpc_ipv4_cidr_block_association',
  tags: false,
  attributes: [
    { name: 'vpc_id', compare: 'scalar', forceNew: true },
    { name: 'cidr_block', compare: 'scalar', forceNew: true },
  ],
  notCompared: { ipv4_ipam_pool_id: 'not read yet (IPAM)', ipv4_netmask_length: 'only used to allocate from IPAM' },
  revertUnsupported: 'both arguments force a new association',
  family: member(vpcsFamily, {
    keys: (t) => [associationKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(associationKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      for (const v of found.items) {
        const a = (v.CidrBlockAssociationSet ?? []).find((x) => x.AssociationId === t.id);
        if (a && a.CidrBlockState?.State === 'associated') return foundEntry(t, 'aws_vpc_ipv4_cidr_block_association', ctx, { vpc_id: v.VpcId, cidr_block: a.CidrBlock });
      }
      return missingEntry(ctx, t.id, `VPC CIDR block association ${t.id} does not exist`);
    },
  }),
  idFromState: (a) => str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => String(live.attributes.cidr_block ?? live.id).replace(/[^A-Za-z0-9]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),
  revert: async (request) => cannotRevert(request.attribute),
};
