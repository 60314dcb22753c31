// aws_ebs_volume (DescribeVolumes family). size, type, iops and throughput are written back with
// ModifyVolume (AWS refuses to shrink a volume: that revert fails with AWS's message); iops and
// throughput are compared only when declared (AWS computes them from type and size otherwise).
import { ModifyVolumeCommand } from '@aws-sdk/client-ec2';
import { member } from '../families/family';
import { volumeKey, volumesFamily } from '../families/volumes';
import { cannotRevert, foundEntry, labelFrom, missingEntry, num, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

const MODIFIABLE: Record<string, 'Size' | 'VolumeType' | 'Iops' | 'Throughput'> = { size: 'Size', type: 'VolumeType', iops: 'Iops', throughput: 'Throughput' };

export const awsEbsVolume: ResourceType = {
  type: 'aws_ebs_volume',
  tags: true,
  taggingType: 'ec2:volume',
  attributes: [
    { name: 'availability_zone', compare: 'scalar', forceNew: true },
    { name: 'size', compare: 'scalar', severity: 'warning' },
    { name: 'type', compare: 'scalar', default: 'gp2' },
    { name: 'iops', compare: 'scalar' },
    { name: 'throughput', compare: 'scalar' },
    { name: 'encrypted', compare: 'scalar', forceNew: true, severity: 'error' },
    { name: 'kms_key_id', compare: 'scalar', forceNew: true },
    { name: 'snapshot_id', compare: 'scalar', forceNew: true },
    { name: 'multi_attach_enabled', compare: 'scalar', default: false },
  ],
  notCompared: { arn: 'computed by AWS', final_snapshot: 'a Terraform-side deletion setting', outpost_arn: 'not read (Outposts)' },
  family: member(volumesFamily, {
    keys: (t) => [volumeKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(volumeKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const v = found.items.find((x) => x.VolumeId === t.id);
      if (!v) return missingEntry(ctx, t.id, `volume ${t.id} does not exist`);
      return foundEntry(t, 'aws_ebs_volume', ctx, {
        availability_zone: v.AvailabilityZone, size: v.Size, type: v.VolumeType, iops: v.Iops ?? null, throughput: v.Throughput ?? null,
        encrypted: Boolean(v.Encrypted), kms_key_id: v.KmsKeyId ?? '', snapshot_id: v.SnapshotId ?? '', multi_attach_enabled: Boolean(v.MultiAttachEnabled), tags: userTags(v.Tags),
      });
    },
  }),
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:volume\/(vol-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  async revert(request, clients) {
    const { attribute, declared, id } = request;
    if (attribute === 'tags') return revertEc2Tags(clients, request);
    const field = MODIFIABLE[attribute];
    if (!field) return cannotRevert(attribute);
    const value = field === 'VolumeType' ? String(declared) : num(declared);
    await clients.gate.call('ec2:ModifyVolume', () => clients.ec2.send(new ModifyVolumeCommand({ VolumeId: id, [field]: value })));
    return { ok: true, message: `${attribute} of ${id} set to ${String(declared)}` };
  },
};
