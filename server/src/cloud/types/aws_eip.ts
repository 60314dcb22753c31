// aws_eip and aws_eip_association: members of the DescribeAddresses family (by allocation id).
// aws_eip compares its association target only when declared (it may be made by an
// aws_eip_association instead); an association whose id changed was replaced, i.e. is missing.
import { AssociateAddressCommand, DisassociateAddressCommand } from '@aws-sdk/client-ec2';
import { member } from '../families/family';
import { addressesFamily, allocationKey } from '../families/addresses';
import { cannotRevert, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

export const awsEip: ResourceType = {
  type: 'aws_eip',
  tags: true,
  taggingType: 'ec2:elastic-ip',
  attributes: [
    { name: 'domain', compare: 'scalar', forceNew: true },
    { name: 'instance', compare: 'scalar', severity: 'error' },
    { name: 'network_interface', compare: 'scalar', severity: 'error' },
  ],
  notCompared: {
    public_ip: 'computed by AWS', allocation_id: 'computed (the id)', association_id: 'computed by AWS', private_ip: 'computed from the association',
    public_ipv4_pool: 'computed by AWS', associate_with_private_ip: 'only applied together with instance/network_interface',
  },
  family: member(addressesFamily, {
    keys: (t) => [allocationKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(allocationKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const a = found.items.find((x) => x.AllocationId === t.id);
      if (!a) return missingEntry(ctx, t.id, `Elastic IP ${t.id} does not exist`);
      return foundEntry(t, 'aws_eip', ctx, {
        domain: a.Domain ?? 'vpc', instance: a.InstanceId ?? '', network_interface: a.NetworkInterfaceId ?? '', public_ip: a.PublicIp,
        association_id: a.AssociationId ?? '', private_ip: a.PrivateIpAddress ?? '', tags: userTags(a.Tags),
      });
    },
  }),
  idFromState: (a) => str(a.allocation_id) ?? str(a.id),
  idFromArn: (arn) => /:elastic-ip\/(eipalloc-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  async revert(request, clients) {
    const { attribute, declared, live, id } = request;
    if (attribute === 'tags') return revertEc2Tags(clients, request);
    if (attribute !== 'instance' && attribute !== 'network_interface') return cannotRevert(attribute);
    const association = str(live.attributes.association_id);
    if (association) await clients.gate.call('ec2:DisassociateAddress', () => clients.ec2.send(new DisassociateAddressCommand({ AssociationId: association })));
    if (typeof declared === 'string' && declared) {
      const target = attribute === 'instance' ? { InstanceId: declared } : { NetworkInterfaceId: declared };
      await clients.gate.call('ec2:AssociateAddress', () => clients.ec2.send(new AssociateAddressCommand({ AllocationId: id, ...target })));
    }
    return { ok: true, message: `Elastic IP ${id} associated with ${String(declared || 'nothing')} again` };
  },
};

export const awsEipAssociation: ResourceType = {
  type: 'aws_eip_association',
  tags: false,
  attributes: [
    { name: 'allocation_id', compare: 'scalar', forceNew: true },
    { name: 'instance_id', compare: 'scalar', forceNew: true },
    { name: 'network_interface_id', compare: 'scalar', forceNew: true },
    { name: 'private_ip_address', compare: 'scalar', forceNew: true },
  ],
  notCompared: { public_ip: 'computed', allow_reassociation: 'a request option, not a property of the association' },
  revertUnsupported: 'every argument forces a new association',
  family: member(addressesFamily, {
    keys: (t) => {
      const allocation = str(t.state.attributes.allocation_id);
      return allocation ? [allocationKey(allocation)] : 'state records no allocation_id for this association';
    },
    pick(t, rows, ctx) {
      const allocation = String(t.state.attributes.allocation_id);
      const found = rows.lookup(allocationKey(allocation));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const a = found.items.find((x) => x.AllocationId === allocation && x.AssociationId === t.id);
      if (!a) return missingEntry(ctx, t.id, `Elastic IP association ${t.id} does not exist`);
      return foundEntry(t, 'aws_eip_association', ctx, {
        allocation_id: allocation, instance_id: a.InstanceId ?? '', network_interface_id: a.NetworkInterfaceId ?? '', private_ip_address: a.PrivateIpAddress ?? '', public_ip: a.PublicIp,
      });
    },
  }),
  idFromState: (a) => str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/-/g, '_'),
  revert: async (request) => cannotRevert(request.attribute),
};
