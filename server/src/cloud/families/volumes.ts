// DescribeVolumes by volume id serves aws_ebs_volume and aws_volume_attachment.
import { DescribeVolumesCommand, Volume } from '@aws-sdk/client-ec2';
import { ec2Family, FamilyKey } from './family';

export const volumesFamily = ec2Family<Volume>({
  name: 'ec2:DescribeVolumes',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeVolumesCommand({ Filters, MaxResults: 500, NextToken }));
    return { items: out.Volumes ?? [], next: out.NextToken };
  },
  valuesOf: (v, filter) => (filter === 'volume-id' && v.VolumeId ? [v.VolumeId] : []),
  idOf: (v) => v.VolumeId,
});

export const volumeKey = (id: string): FamilyKey => ({ filter: 'volume-id', value: id });
