// aws_volume_attachment (DescribeVolumes family, by the volume id state records): present while
// the volume is attached to the instance at the device; every argument forces a new attachment.
import { member } from '../families/family';
import { volumeKey, volumesFamily } from '../families/volumes';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

export const awsVolumeAttachment: ResourceType = {
  type: 'aws_volume_attachment',
  tags: false,
  attributes: [
    { name: 'device_name', compare: 'scalar', forceNew: true },
    { name: 'instance_id', compare: 'scalar', forceNew: true },
    { name: 'volume_id', compare: 'scalar', forceNew: true },
  ],
  notCompared: { force_detach: 'a Terraform-side setting', skip_destroy: 'a Terraform-side setting', stop_instance_before_detaching: 'a Terraform-side setting' },
  revertUnsupported: 'every argument forces a new attachment',
  family: member(volumesFamily, {
    keys: (t) => {
      const volume = str(t.state.attributes.volume_id);
      return volume ? [volumeKey(volume)] : 'state records no volume_id for this attachment';
    },
    pick(t, rows, ctx) {
      const a = t.state.attributes;
      const volumeId = String(a.volume_id);
      const found = rows.lookup(volumeKey(volumeId));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const v = found.items.find((x) => x.VolumeId === volumeId);
      const attached = v?.Attachments?.find((x) => x.InstanceId === a.instance_id && x.Device === a.device_name && x.State !== 'detached');
      if (!attached) return missingEntry(ctx, t.id, `volume ${volumeId} is not attached to ${String(a.instance_id)} at ${String(a.device_name)}`);
      return foundEntry(t, 'aws_volume_attachment', ctx, { device_name: attached.Device, instance_id: attached.InstanceId, volume_id: volumeId });
    },
  }),
  idFromState: (a) => str(a.id),
  importId: (live) => `${String(live.attributes.device_name)}:${String(live.attributes.volume_id)}:${String(live.attributes.instance_id)}`,
  suggestName: (live) => String(live.attributes.volume_id ?? live.id).replace(/-/g, '_'),
  revert: async (request) => cannotRevert(request.attribute),
};
