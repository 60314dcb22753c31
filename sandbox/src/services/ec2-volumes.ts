// EC2 EBS volumes (query/XML), per the EC2 API reference: every running instance's root volume
// (implied by the instance, created on first use with the instance's volume id), plus volumes
// created, attached, detached, modified and deleted through the API.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { ec2Id } from '../ids';
import type { QueryParams } from '../protocol/query-xml';
import { arns, type Volume } from '../world';
import { items, node, type XmlNode } from '../xml';
import { filtered, queryKey } from './ec2-calls';
import { paginate, tagFilterValues, tagSet, tagSpecifications, type FilterValues } from './ec2-shapes';

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

const TYPES = new Set(['standard', 'gp2', 'gp3', 'io1', 'io2', 'sc1', 'st1']);
const seconds = (iso: string): string => iso.replace(/\.\d{3}Z$/, '.000Z');

/** gp2 earns 3 IOPS per GiB (100 to 16,000); gp3 has a 3,000 IOPS / 125 MiB/s baseline. */
function defaultIops(type: string, size: number): number | undefined {
  if (type === 'gp2') return Math.min(16000, Math.max(100, size * 3));
  if (type === 'gp3') return 3000;
  return undefined;
}

export function volumesOf(ctx: CallContext): Record<string, Volume> {
  const volumes = (ctx.world.volumes ??= {});
  for (const i of Object.values(ctx.world.instances)) {
    if (i.state === 'terminated' || volumes[i.rootVolumeId]) continue;
    volumes[i.rootVolumeId] = {
      id: i.rootVolumeId, region: i.region, availabilityZone: i.availabilityZone, sizeGiB: 8, volumeType: 'gp3', iops: 3000, throughput: 125, encrypted: false,
      multiAttachEnabled: false, createTime: i.launchTime, tags: {},
      attachments: [{ instanceId: i.id, device: '/dev/xvda', attachTime: i.launchTime, deleteOnTermination: true }],
    };
  }
  return volumes;
}

function volume(ctx: CallContext, id: string): Volume {
  if (!/^vol-[0-9a-f]{8,17}$/.test(id)) throw new ApiError('InvalidVolumeID.Malformed', `Invalid id: "${id}"`, 400);
  const v = volumesOf(ctx)[id];
  if (!v || v.region !== ctx.region) throw new ApiError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`, 400);
  return v;
}

function mutate(ctx: CallContext, action: string, id?: string): void {
  const arn = arns.ec2(ctx.region, ctx.world.accountId, 'volume', id ?? '*');
  if (id) ctx.trail.resources.push({ type: 'AWS::EC2::Volume', name: id, arn });
  ctx.authorize(action, [arn]);
}

const attachmentXml = (v: Volume, a: Volume['attachments'][number]): XmlNode[] => [
  node('volumeId', v.id), node('instanceId', a.instanceId), node('device', a.device), node('status', 'attached'),
  node('attachTime', seconds(a.attachTime)), node('deleteOnTermination', a.deleteOnTermination),
];

function volumeXml(v: Volume): XmlNode[] {
  return [
    node('volumeId', v.id), node('size', v.sizeGiB), node('snapshotId', v.snapshotId ?? ''), node('availabilityZone', v.availabilityZone),
    node('status', v.attachments.length ? 'in-use' : 'available'), node('createTime', seconds(v.createTime)),
    node('attachmentSet', items('item', v.attachments, (a) => attachmentXml(v, a))),
    node('volumeType', v.volumeType), node('iops', v.iops), node('throughput', v.throughput), node('encrypted', v.encrypted), node('kmsKeyId', v.kmsKeyId),
    node('multiAttachEnabled', v.multiAttachEnabled), tagSet(v.tags),
  ];
}

const volumeFilter: FilterValues<Volume> = (v, name) => {
  switch (name) {
    case 'volume-id': return [v.id];
    case 'attachment.instance-id': return v.attachments.map((a) => a.instanceId);
    case 'attachment.device': return v.attachments.map((a) => a.device);
    case 'attachment.delete-on-termination': return v.attachments.map((a) => String(a.deleteOnTermination));
    case 'availability-zone': return [v.availabilityZone];
    case 'status': return [v.attachments.length ? 'in-use' : 'available'];
    case 'volume-type': return [v.volumeType];
    case 'size': return [String(v.sizeGiB)];
    case 'encrypted': return [String(v.encrypted)];
    case 'snapshot-id': return v.snapshotId ? [v.snapshotId] : [];
    default: return tagFilterValues(v.tags, name);
  }
};

function checkSpec(type: string, size: number | undefined, iops: number | undefined, throughput: number | undefined): void {
  if (!TYPES.has(type)) throw new ApiError('InvalidParameterValue', `Value (${type}) for parameter volumeType is invalid.`, 400);
  if (size !== undefined && (size < 1 || size > 16384)) throw new ApiError('InvalidParameterValue', `Volume of ${size}GiB is outside the supported range 1-16384.`, 400);
  if (iops !== undefined && !['gp3', 'io1', 'io2'].includes(type)) throw new ApiError('InvalidParameterCombination', `The parameter iops is not supported for ${type} volumes.`, 400);
  if (throughput !== undefined && type !== 'gp3') throw new ApiError('InvalidParameterCombination', `The parameter throughput is not supported for ${type} volumes.`, 400);
}

export const ec2VolumeOperations: Record<string, Handler> = {
  DescribeVolumes(ctx, p) {
    ctx.authorize('ec2:DescribeVolumes', '*');
    const ids = p.list('VolumeId');
    const base = ids.length ? ids.map((id) => volume(ctx, id)) : Object.values(volumesOf(ctx)).filter((v) => v.region === ctx.region);
    const list = filtered(base, p, volumeFilter);
    const { page, nextToken } = paginate(list, p, queryKey(p), { min: 5, max: 500 });
    return [node('volumeSet', items('item', page, volumeXml)), node('nextToken', nextToken)];
  },
  CreateVolume(ctx, p) {
    mutate(ctx, 'ec2:CreateVolume');
    const az = p.required('AvailabilityZone');
    if (!az.startsWith(ctx.region)) throw new ApiError('InvalidParameterValue', `Invalid availability zone: [${az}]`, 400);
    const type = p.get('VolumeType') ?? 'gp2';
    const size = p.int('Size');
    const snapshotId = p.get('SnapshotId');
    if (size === undefined && !snapshotId) throw new ApiError('MissingParameter', 'The request must contain the parameter size or snapshotId', 400);
    checkSpec(type, size, p.int('Iops'), p.int('Throughput'));
    const sizeGiB = size ?? 8;
    const v: Volume = {
      id: ec2Id('vol'), region: ctx.region, availabilityZone: az, sizeGiB, volumeType: type, iops: p.int('Iops') ?? defaultIops(type, sizeGiB),
      throughput: type === 'gp3' ? (p.int('Throughput') ?? 125) : undefined, encrypted: p.bool('Encrypted') ?? false, kmsKeyId: p.get('KmsKeyId'),
      snapshotId, multiAttachEnabled: p.bool('MultiAttachEnabled') ?? false, createTime: ctx.now.toISOString(), attachments: [], tags: tagSpecifications(p, 'volume'),
    };
    volumesOf(ctx)[v.id] = v;
    ctx.trail.resources.push({ type: 'AWS::EC2::Volume', name: v.id });
    ctx.trail.responseElements = { volumeId: v.id };
    return volumeXml(v);
  },
  AttachVolume(ctx, p) {
    const id = p.required('VolumeId');
    mutate(ctx, 'ec2:AttachVolume', id);
    const v = volume(ctx, id);
    const instanceId = p.required('InstanceId');
    const device = p.required('Device');
    const i = ctx.world.instances[instanceId];
    if (!i || i.region !== ctx.region || i.state === 'terminated') throw new ApiError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`, 400);
    if (i.availabilityZone !== v.availabilityZone) throw new ApiError('InvalidVolume.ZoneMismatch', `The volume '${id}' is not in the same availability zone as instance '${instanceId}'`, 400);
    if (v.attachments.length && !v.multiAttachEnabled) throw new ApiError('VolumeInUse', `vol ${id} is already attached to an instance`, 400);
    if (Object.values(volumesOf(ctx)).some((x) => x.attachments.some((a) => a.instanceId === instanceId && a.device === device))) {
      throw new ApiError('InvalidParameterValue', `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`, 400);
    }
    const a = { instanceId, device, attachTime: ctx.now.toISOString(), deleteOnTermination: false };
    v.attachments.push(a);
    return attachmentXml(v, a).map((n) => (n.name === 'status' ? node('status', 'attaching') : n));
  },
  DetachVolume(ctx, p) {
    const id = p.required('VolumeId');
    mutate(ctx, 'ec2:DetachVolume', id);
    const v = volume(ctx, id);
    const instanceId = p.get('InstanceId');
    const index = v.attachments.findIndex((a) => !instanceId || a.instanceId === instanceId);
    if (index < 0) throw new ApiError('IncorrectState', `Volume '${id}' is in the 'available' state.`, 400);
    const [a] = v.attachments.splice(index, 1);
    return attachmentXml(v, a!).map((n) => (n.name === 'status' ? node('status', 'detaching') : n));
  },
  ModifyVolume(ctx, p) {
    const id = p.required('VolumeId');
    mutate(ctx, 'ec2:ModifyVolume', id);
    const v = volume(ctx, id);
    const type = p.get('VolumeType') ?? v.volumeType;
    const size = p.int('Size') ?? v.sizeGiB;
    if (size < v.sizeGiB) throw new ApiError('InvalidParameterValue', `New size cannot be smaller than existing size`, 400);
    checkSpec(type, size, p.int('Iops'), p.int('Throughput'));
    const before = { size: v.sizeGiB, type: v.volumeType, iops: v.iops, throughput: v.throughput };
    v.sizeGiB = size;
    if (type !== v.volumeType) {
      v.iops = defaultIops(type, size);
      v.throughput = type === 'gp3' ? 125 : undefined;
    }
    v.volumeType = type;
    v.iops = p.int('Iops') ?? (type === 'gp2' ? defaultIops(type, size) : v.iops);
    if (type === 'gp3') v.throughput = p.int('Throughput') ?? v.throughput ?? 125;
    const when = seconds(ctx.now.toISOString());
    return [node('volumeModification', [
      node('volumeId', v.id), node('modificationState', 'completed'), node('targetSize', v.sizeGiB), node('targetVolumeType', v.volumeType), node('targetIops', v.iops),
      node('targetThroughput', v.throughput), node('originalSize', before.size), node('originalVolumeType', before.type), node('originalIops', before.iops),
      node('originalThroughput', before.throughput), node('progress', 100), node('startTime', when), node('endTime', when),
    ])];
  },
  DeleteVolume(ctx, p) {
    const id = p.required('VolumeId');
    mutate(ctx, 'ec2:DeleteVolume', id);
    const v = volume(ctx, id);
    if (v.attachments.length) throw new ApiError('VolumeInUse', `Volume ${id} is currently attached to ${v.attachments[0]!.instanceId}`, 400);
    delete volumesOf(ctx)[id];
    return [node('return', true)];
  },
};
