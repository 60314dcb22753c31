// aws_vpc_endpoint (DescribeVpcEndpoints family, by id). The service, VPC and type force a new
// endpoint; route tables, subnets and security groups (sets), the policy (compared semantically)
// and private DNS are written back with ModifyVpcEndpoint. An endpoint in state deleted, deleting,
// failed or rejected is gone, as the provider reads it.
import { ModifyVpcEndpointCommand, ModifyVpcEndpointCommandInput } from '@aws-sdk/client-ec2';
import { member } from '../families/family';
import { vpcEndpointKey, vpcEndpointsFamily } from '../families/vpc-endpoints';
import { bool, cannotRevert, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

const GONE = new Set(['deleted', 'deleting', 'failed', 'rejected', 'Deleted', 'Deleting', 'Failed', 'Rejected']);

const SETS: Record<string, ['AddRouteTableIds' | 'AddSubnetIds' | 'AddSecurityGroupIds', 'RemoveRouteTableIds' | 'RemoveSubnetIds' | 'RemoveSecurityGroupIds']> = {
  route_table_ids: ['AddRouteTableIds', 'RemoveRouteTableIds'],
  subnet_ids: ['AddSubnetIds', 'RemoveSubnetIds'],
  security_group_ids: ['AddSecurityGroupIds', 'RemoveSecurityGroupIds'],
};

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export const awsVpcEndpoint: ResourceType = {
  type: 'aws_vpc_endpoint',
  tags: true,
  taggingType: 'ec2:vpc-endpoint',
  attributes: [
    { name: 'service_name', compare: 'scalar', forceNew: true },
    { name: 'vpc_id', compare: 'scalar', forceNew: true },
    { name: 'vpc_endpoint_type', compare: 'scalar', default: 'Gateway', forceNew: true },
    { name: 'route_table_ids', compare: 'set' },
    { name: 'subnet_ids', compare: 'set' },
    { name: 'security_group_ids', compare: 'set', severity: 'error' },
    { name: 'policy', compare: 'policy', severity: 'error' },
    { name: 'private_dns_enabled', compare: 'scalar' },
  ],
  notCompared: {
    arn: 'computed by AWS', auto_accept: 'a Terraform-side setting', cidr_blocks: 'computed by AWS', dns_entry: 'computed by AWS', network_interface_ids: 'computed by AWS',
    owner_id: 'computed by AWS', prefix_list_id: 'computed by AWS', requester_managed: 'computed by AWS', state: 'computed by AWS',
    ip_address_type: 'not read yet (dual-stack endpoints)', dns_options: 'not read yet (dual-stack endpoints)', subnet_configuration: 'not read yet',
  },
  family: member(vpcEndpointsFamily, {
    keys: (t) => [vpcEndpointKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(vpcEndpointKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const e = found.items.find((x) => x.VpcEndpointId === t.id);
      if (!e || GONE.has(String(e.State))) return missingEntry(ctx, t.id, `VPC endpoint ${t.id} does not exist${e?.State ? ` (${e.State})` : ''}`);
      return foundEntry(t, 'aws_vpc_endpoint', ctx, {
        service_name: e.ServiceName, vpc_id: e.VpcId, vpc_endpoint_type: e.VpcEndpointType, route_table_ids: e.RouteTableIds ?? [], subnet_ids: e.SubnetIds ?? [],
        security_group_ids: (e.Groups ?? []).map((g) => g.GroupId ?? ''), policy: e.PolicyDocument ?? '', private_dns_enabled: e.PrivateDnsEnabled ?? false, tags: userTags(e.Tags),
      });
    },
  }),
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:vpc-endpoint\/(vpce-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  async revert(request, clients) {
    const { attribute, declared, live, id } = request;
    if (attribute === 'tags') return revertEc2Tags(clients, request);
    const input: ModifyVpcEndpointCommandInput = { VpcEndpointId: id };
    const set = SETS[attribute];
    if (set) {
      const want = strings(declared);
      const have = strings(live.attributes[attribute]);
      const add = want.filter((x) => !have.includes(x));
      const remove = have.filter((x) => !want.includes(x));
      if (add.length) input[set[0]] = add;
      if (remove.length) input[set[1]] = remove;
    } else if (attribute === 'policy') {
      if (typeof declared === 'string' && declared) input.PolicyDocument = declared;
      else if (declared && typeof declared === 'object') input.PolicyDocument = JSON.stringify(declared);
      else input.ResetPolicy = true;
    } else if (attribute === 'private_dns_enabled') {
      input.PrivateDnsEnabled = bool(declared);
    } else {
      return cannotRevert(attribute);
    }
    await clients.gate.call('ec2:ModifyVpcEndpoint', () => clients.ec2.send(new ModifyVpcEndpointCommand(input)));
    return { ok: true, message: `${attribute} of VPC endpoint ${id} restored` };
  },
};
