// aws_vpc ↔ EC2 DescribeVpcs (batched by vpc-id filter); the DNS flags need one
// DescribeVpcAttribute call each, so they are read only for blocks that declare them.
import { DescribeVpcAttributeCommand, DescribeVpcsCommand, ModifyVpcAttributeCommand, Vpc, VpcAttributeName } from '@aws-sdk/client-ec2';
import type { LiveEntry } from '../../drift/snapshot';
import { bool, cannotRevert, describeByFilter, failureText, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ReadContext, ResourceType } from './resource-type';

const DNS_ATTRIBUTES: Array<[string, VpcAttributeName, 'EnableDnsSupport' | 'EnableDnsHostnames']> = [
  ['enable_dns_support', 'enableDnsSupport', 'EnableDnsSupport'],
  ['enable_dns_hostnames', 'enableDnsHostnames', 'EnableDnsHostnames'],
];

export function vpcAttributes(v: Vpc): Record<string, unknown> {
  return { cidr_block: v.CidrBlock, instance_tenancy: v.InstanceTenancy, tags: userTags(v.Tags) };
}

async function readDns(ctx: ReadContext, id: string, attrs: Record<string, unknown>, unknown: Record<string, string>, needs: ReadonlySet<string> | undefined): Promise<void> {
  await Promise.all(
    DNS_ATTRIBUTES.filter(([name]) => needs?.has(name)).map(async ([name, apiName, field]) => {
      try {
        const out = await ctx.clients.gate.call('ec2:DescribeVpcAttribute', () => ctx.clients.ec2.send(new DescribeVpcAttributeCommand({ VpcId: id, Attribute: apiName })));
        attrs[name] = out[field]?.Value ?? false;
      } catch (error) {
        unknown[name] = failureText(error);
      }
    }),
  );
}

export const awsVpc: ResourceType = {
  type: 'aws_vpc',
  tags: true,
  taggingType: 'ec2:vpc',
  attributes: [
    { name: 'cidr_block', compare: 'scalar', forceNew: true },
    { name: 'instance_tenancy', compare: 'scalar', default: 'default' },
    { name: 'enable_dns_support', compare: 'scalar', default: true },
    { name: 'enable_dns_hostnames', compare: 'scalar', default: false },
  ],
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:vpc\/(vpc-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  async read(targets, ctx) {
    const { byId, failed } = await describeByFilter<Vpc>(
      ctx,
      targets,
      'vpc-id',
      'ec2:DescribeVpcs',
      async (Filters, NextToken) => {
        const out = await ctx.clients.ec2.send(new DescribeVpcsCommand({ Filters, MaxResults: 1000, NextToken }));
        return { items: out.Vpcs ?? [], next: out.NextToken };
      },
      (v) => v.VpcId,
    );
    const result = new Map<string, LiveEntry>();
    await Promise.all(
      targets.map(async (t) => {
        const failure = failed.get(t.id);
        const vpc = byId.get(t.id);
        if (failure) return result.set(t.address, unknownEntry(ctx, failure));
        if (!vpc) return result.set(t.address, missingEntry(ctx, t.id, `VPC ${t.id} does not exist`));
        const attrs = vpcAttributes(vpc);
        const unknown: Record<string, string> = {};
        await readDns(ctx, t.id, attrs, unknown, t.needs);
        return result.set(t.address, foundEntry(t, 'aws_vpc', ctx, attrs, Object.keys(unknown).length ? { unknownAttributes: unknown } : {}));
      }),
    );
    return result;
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    if (attribute === 'tags') return revertEc2Tags(clients, request);
    const dns = DNS_ATTRIBUTES.find(([name]) => name === attribute);
    if (!dns) return cannotRevert(attribute);
    await clients.gate.call('ec2:ModifyVpcAttribute', () =>
      clients.ec2.send(new ModifyVpcAttributeCommand({ VpcId: id, [dns[2]]: { Value: bool(declared) } })));
    return { ok: true, message: `${attribute} set to ${String(declared)}` };
  },
};
