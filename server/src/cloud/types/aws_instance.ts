// aws_instance ↔ EC2 DescribeInstances (batched by instance-id filter, 1,000 per call).
import { DescribeInstancesCommand, Instance, ModifyInstanceAttributeCommand, MonitorInstancesCommand, UnmonitorInstancesCommand } from '@aws-sdk/client-ec2';
import type { LiveEntry } from '../../drift/snapshot';
import type { Known } from '../../drift/values';
import { bool, cannotRevert, describeByFilter, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

/** `arn:aws:iam::123:instance-profile/path/name` → `name` (Terraform declares the profile by name). */
function profileName(arn: string | undefined): string | undefined {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined;
}

export function instanceAttributes(i: Instance): Record<string, unknown> {
  return {
    ami: i.ImageId,
    instance_type: i.InstanceType,
    subnet_id: i.SubnetId,
    availability_zone: i.Placement?.AvailabilityZone,
    key_name: i.KeyName ?? '',
    private_ip: i.PrivateIpAddress,
    vpc_security_group_ids: (i.SecurityGroups ?? []).map((g) => g.GroupId).filter((g): g is string => Boolean(g)),
    monitoring: i.Monitoring?.State === 'enabled' || i.Monitoring?.State === 'pending',
    source_dest_check: i.SourceDestCheck,
    ebs_optimized: i.EbsOptimized,
    iam_instance_profile: profileName(i.IamInstanceProfile?.Arn) ?? '',
    tags: userTags(i.Tags),
  };
}

export const awsInstance: ResourceType = {
  type: 'aws_instance',
  tags: true,
  taggingType: 'ec2:instance',
  attributes: [
    { name: 'ami', compare: 'scalar', forceNew: true },
    { name: 'instance_type', compare: 'scalar' },
    { name: 'subnet_id', compare: 'scalar', forceNew: true },
    { name: 'availability_zone', compare: 'scalar', forceNew: true },
    { name: 'key_name', compare: 'scalar', forceNew: true },
    { name: 'private_ip', compare: 'scalar', forceNew: true },
    { name: 'vpc_security_group_ids', compare: 'set', severity: 'error' },
    { name: 'monitoring', compare: 'scalar', default: false },
    { name: 'source_dest_check', compare: 'scalar', default: true },
    { name: 'ebs_optimized', compare: 'scalar' },
    { name: 'iam_instance_profile', compare: 'scalar', severity: 'error' },
  ],
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:instance\/(i-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  async read(targets, ctx) {
    const { byId, failed } = await describeByFilter<Instance>(
      ctx,
      targets,
      'instance-id',
      'ec2:DescribeInstances',
      async (Filters, NextToken) => {
        const out = await ctx.clients.ec2.send(new DescribeInstancesCommand({ Filters, MaxResults: 1000, NextToken }));
        return { items: (out.Reservations ?? []).flatMap((r) => r.Instances ?? []), next: out.NextToken };
      },
      (i) => i.InstanceId,
    );
    const result = new Map<string, LiveEntry>();
    for (const t of targets) {
      const failure = failed.get(t.id);
      const inst = byId.get(t.id);
      if (failure) result.set(t.address, unknownEntry(ctx, failure));
      else if (!inst || inst.State?.Name === 'terminated' || inst.State?.Name === 'shutting-down') {
        result.set(t.address, missingEntry(ctx, t.id, inst ? `instance ${t.id} is ${inst.State?.Name}` : `instance ${t.id} does not exist`));
      } else result.set(t.address, foundEntry(t, 'aws_instance', ctx, instanceAttributes(inst)));
    }
    return result;
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const modify = (input: Record<string, unknown>) =>
      clients.gate.call('ec2:ModifyInstanceAttribute', () => clients.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, ...input })));
    switch (attribute) {
      case 'tags':
        return revertEc2Tags(clients, request);
      case 'instance_type':
        await modify({ InstanceType: { Value: String(declared) } });
        return { ok: true, message: `instance_type set to ${String(declared)}` };
      case 'vpc_security_group_ids':
        await modify({ Groups: (declared as Known[]).map(String) });
        return { ok: true, message: 'security groups restored' };
      case 'source_dest_check':
        await modify({ SourceDestCheck: { Value: bool(declared) } });
        return { ok: true, message: `source_dest_check set to ${String(declared)}` };
      case 'ebs_optimized':
        await modify({ EbsOptimized: { Value: bool(declared) } });
        return { ok: true, message: `ebs_optimized set to ${String(declared)}` };
      case 'monitoring':
        if (bool(declared)) await clients.gate.call('ec2:MonitorInstances', () => clients.ec2.send(new MonitorInstancesCommand({ InstanceIds: [id] })));
        else await clients.gate.call('ec2:UnmonitorInstances', () => clients.ec2.send(new UnmonitorInstancesCommand({ InstanceIds: [id] })));
        return { ok: true, message: `monitoring ${bool(declared) ? 'enabled' : 'disabled'}` };
      default:
        return cannotRevert(attribute, attribute === 'iam_instance_profile' ? 'the profile association is not written by Tidemark' : undefined);
    }
  },
};
