// aws_subnet ↔ EC2 DescribeSubnets (batched by subnet-id filter).
import { DescribeSubnetsCommand, ModifySubnetAttributeCommand, Subnet } from '@aws-sdk/client-ec2';
import type { LiveEntry } from '../../drift/snapshot';
import { bool, cannotRevert, describeByFilter, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

export function subnetAttributes(s: Subnet): Record<string, unknown> {
  return {
    vpc_id: s.VpcId,
    cidr_block: s.CidrBlock,
    availability_zone: s.AvailabilityZone,
    map_public_ip_on_launch: s.MapPublicIpOnLaunch ?? false,
    assign_ipv6_address_on_creation: s.AssignIpv6AddressOnCreation ?? false,
    tags: userTags(s.Tags),
  };
}

export const awsSubnet: ResourceType = {
  type: 'aws_subnet',
  tags: true,
  taggingType: 'ec2:subnet',
  attributes: [
    { name: 'vpc_id', compare: 'scalar', forceNew: true },
    { name: 'cidr_block', compare: 'scalar', forceNew: true },
    { name: 'availability_zone', compare: 'scalar', forceNew: true },
    { name: 'map_public_ip_on_launch', compare: 'scalar', default: false, severity: 'error' },
    { name: 'assign_ipv6_address_on_creation', compare: 'scalar', default: false },
  ],
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:subnet\/(subnet-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  async read(targets, ctx) {
    const { byId, failed } = await describeByFilter<Subnet>(
      ctx,
      targets,
      'subnet-id',
      'ec2:DescribeSubnets',
      async (Filters, NextToken) => {
        const out = await ctx.clients.ec2.send(new DescribeSubnetsCommand({ Filters, MaxResults: 1000, NextToken }));
        return { items: out.Subnets ?? [], next: out.NextToken };
      },
      (s) => s.SubnetId,
    );
    const result = new Map<string, LiveEntry>();
    for (const t of targets) {
      const failure = failed.get(t.id);
      const subnet = byId.get(t.id);
      if (failure) result.set(t.address, unknownEntry(ctx, failure));
      else if (!subnet) result.set(t.address, missingEntry(ctx, t.id, `subnet ${t.id} does not exist`));
      else result.set(t.address, foundEntry(t, 'aws_subnet', ctx, subnetAttributes(subnet)));
    }
    return result;
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    if (attribute === 'tags') return revertEc2Tags(clients, request);
    const field = attribute === 'map_public_ip_on_launch' ? 'MapPublicIpOnLaunch' : attribute === 'assign_ipv6_address_on_creation' ? 'AssignIpv6AddressOnCreation' : undefined;
    if (!field) return cannotRevert(attribute);
    await clients.gate.call('ec2:ModifySubnetAttribute', () =>
      clients.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: id, [field]: { Value: bool(declared) } })));
    return { ok: true, message: `${attribute} set to ${String(declared)}` };
  },
};
