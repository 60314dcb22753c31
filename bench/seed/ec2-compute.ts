// EC2 compute seeder: a key pair, a launch template using it, an instance (in a VPC and subnet of
// the unit, the VPC's default security group) with an EBS volume attached by aws_volume_attachment,
// and a customer managed prefix list.
import {
  AttachVolumeCommand, CreateLaunchTemplateCommand, CreateManagedPrefixListCommand, CreateVolumeCommand, EC2Client, ImportKeyPairCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { seedSubnet, seedVpc, tagSpec } from './ec2-gateways';
import { arnOf, clientFor, hclTags, tagsFor, type SeededBlock, type Seeder } from './seeder';

const TYPES = ['aws_vpc', 'aws_subnet', 'aws_key_pair', 'aws_launch_template', 'aws_instance', 'aws_ebs_volume', 'aws_volume_attachment', 'aws_ec2_managed_prefix_list'] as const;
const AMIS = ['ami-0c7217cdde317cfec', 'ami-0fc5d935ebf8bc3bc', 'ami-053b0d53c279acc90'];
const INSTANCE_TYPES = ['t3.micro', 't3.small', 'm5.large'] as const;
/** An ed25519 public key (a fixed, made-up one: the sandbox fingerprints whatever it is given). */
const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk0c2lkZW1hcmstdGVzdC1rZXktbWF0ZXJpYWwtMDEyMw bench@example';

const label = (name: string) => `bench-${name.replace(/_/g, '-')}`;

export const ec2ComputeSeeder: Seeder = {
  family: 'ec2_compute',
  types: TYPES,
  async seedUnit(target, suffix, random) {
    const ec2 = clientFor(EC2Client, target);
    const n = (base: string) => `${base}_${suffix}`;
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const vpc = await seedVpc(ec2, target, n('cmp_vpc'), random);
    const vpcRef = `aws_vpc.${vpc.block.name}`;
    const blocks: SeededBlock[] = [vpc.block];

    const az = `${target.region}a`;
    const seededSubnet = await seedSubnet(ec2, target, { vpcId: vpc.vpcId, ref: vpcRef }, n('cmp_subnet'), vpc.cidr.replace(/\.0\/24$/, '.0/26'));
    const subnet = seededSubnet.subnetId;
    const subnetRef = seededSubnet.ref;
    blocks.push(seededSubnet.block);

    const keyName = n('deployer');
    const keyTags = tagsFor(label(keyName));
    const awsKeyName = label(keyName);
    const key = await ec2.send(new ImportKeyPairCommand({ KeyName: awsKeyName, PublicKeyMaterial: Buffer.from(PUBLIC_KEY), TagSpecifications: tagSpec('key-pair', keyTags.tagsAll) }));
    const keyRef = `aws_key_pair.${keyName}`;
    blocks.push({
      type: 'aws_key_pair', name: keyName,
      hcl: `resource "aws_key_pair" "${keyName}" {\n  key_name   = "${awsKeyName}"\n  public_key = "${PUBLIC_KEY}"\n\n${hclTags(keyTags.tags)}}\n`,
      attributes: {
        id: awsKeyName, arn: arnOf(target, 'ec2', `key-pair/${awsKeyName}`), fingerprint: key.KeyFingerprint, key_name: awsKeyName, key_name_prefix: '', key_pair_id: key.KeyPairId,
        key_type: 'ed25519', public_key: PUBLIC_KEY, tags: keyTags.tags, tags_all: keyTags.tagsAll,
      },
    });

    const ami = pick(AMIS);
    const instanceType = pick(INSTANCE_TYPES);
    const ltName = n('web');
    const ltAwsName = label(ltName);
    const ltTags = tagsFor(ltAwsName);
    const lt = (await ec2.send(new CreateLaunchTemplateCommand({
      LaunchTemplateName: ltAwsName, VersionDescription: 'web servers',
      LaunchTemplateData: { ImageId: ami, InstanceType: instanceType, KeyName: awsKeyName, EbsOptimized: true },
      TagSpecifications: tagSpec('launch-template', ltTags.tagsAll),
    }))).LaunchTemplate!.LaunchTemplateId!;
    blocks.push({
      type: 'aws_launch_template', name: ltName,
      hcl: `resource "aws_launch_template" "${ltName}" {\n  name          = "${ltAwsName}"\n  description   = "web servers"\n  image_id      = "${ami}"\n  instance_type = "${instanceType}"\n  key_name      = ${keyRef}.key_name\n  ebs_optimized = true\n\n${hclTags(ltTags.tags)}}\n`,
      attributes: {
        arn: arnOf(target, 'ec2', `launch-template/${lt}`), block_device_mappings: [], capacity_reservation_specification: [], cpu_options: [], credit_specification: [],
        default_version: 1, description: 'web servers', disable_api_stop: false, disable_api_termination: false, ebs_optimized: 'true', elastic_gpu_specifications: [],
        elastic_inference_accelerator: [], enclave_options: [], hibernation_options: [], iam_instance_profile: [], id: lt, image_id: ami,
        instance_initiated_shutdown_behavior: '', instance_market_options: [], instance_requirements: [], instance_type: instanceType, kernel_id: '', key_name: awsKeyName,
        latest_version: 1, license_specification: [], maintenance_options: [], metadata_options: [], monitoring: [], name: ltAwsName, name_prefix: '', network_interfaces: [],
        placement: [], private_dns_name_options: [], ram_disk_id: '', security_group_names: [], tag_specifications: [], tags: ltTags.tags, tags_all: ltTags.tagsAll,
        update_default_version: null, user_data: '', vpc_security_group_ids: [],
      },
      dependencies: [keyRef],
    });

    // The instance takes the VPC's default security group (not declared: computed by AWS).
    const instanceName = n('app');
    const instanceTags = tagsFor(label(instanceName));
    const instance = (await ec2.send(new RunInstancesCommand({
      ImageId: ami, InstanceType: instanceType, SubnetId: subnet, KeyName: awsKeyName, MinCount: 1, MaxCount: 1, TagSpecifications: tagSpec('instance', instanceTags.tagsAll),
    }))).Instances![0]!;
    const instanceId = instance.InstanceId!;
    const instanceRef = `aws_instance.${instanceName}`;
    blocks.push({
      type: 'aws_instance', name: instanceName,
      hcl: `resource "aws_instance" "${instanceName}" {\n  ami           = "${ami}"\n  instance_type = "${instanceType}"\n  subnet_id     = ${subnetRef}.id\n  key_name      = ${keyRef}.key_name\n\n${hclTags(instanceTags.tags)}}\n`,
      attributes: {
        id: instanceId, arn: arnOf(target, 'ec2', `instance/${instanceId}`), ami, instance_type: instanceType, subnet_id: subnet, key_name: awsKeyName,
        vpc_security_group_ids: (instance.SecurityGroups ?? []).map((g) => g.GroupId!), private_ip: instance.PrivateIpAddress ?? '', availability_zone: instance.Placement?.AvailabilityZone ?? az,
        instance_state: 'running', monitoring: false, source_dest_check: true, ebs_optimized: instance.EbsOptimized ?? false, iam_instance_profile: '', tags: instanceTags.tags, tags_all: instanceTags.tagsAll,
      },
      dependencies: [keyRef, subnetRef],
    });

    const volumeName = n('data');
    const volumeTags = tagsFor(label(volumeName));
    const size = 10 + Math.floor(random() * 5) * 10;
    const volume = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: instance.Placement?.AvailabilityZone ?? az, Size: size, VolumeType: 'gp3', TagSpecifications: tagSpec('volume', volumeTags.tagsAll) }))).VolumeId!;
    await ec2.send(new AttachVolumeCommand({ VolumeId: volume, InstanceId: instanceId, Device: '/dev/sdf' }));
    const volumeRef = `aws_ebs_volume.${volumeName}`;
    blocks.push({
      type: 'aws_ebs_volume', name: volumeName,
      hcl: `resource "aws_ebs_volume" "${volumeName}" {\n  availability_zone = ${instanceRef}.availability_zone\n  size              = ${size}\n  type              = "gp3"\n\n${hclTags(volumeTags.tags)}}\n`,
      attributes: {
        arn: arnOf(target, 'ec2', `volume/${volume}`), availability_zone: instance.Placement?.AvailabilityZone ?? az, encrypted: false, final_snapshot: false, id: volume, iops: 3000, kms_key_id: '',
        multi_attach_enabled: false, outpost_arn: '', size, snapshot_id: '', tags: volumeTags.tags, tags_all: volumeTags.tagsAll, throughput: 125, timeouts: null, type: 'gp3',
      },
      dependencies: [instanceRef],
    }, {
      type: 'aws_volume_attachment', name: volumeName,
      hcl: `resource "aws_volume_attachment" "${volumeName}" {\n  device_name = "/dev/sdf"\n  volume_id   = ${volumeRef}.id\n  instance_id = ${instanceRef}.id\n}\n`,
      attributes: {
        device_name: '/dev/sdf', force_detach: null, id: `vai-${hashOf(`/dev/sdf-${instanceId}-${volume}`)}`, instance_id: instanceId, skip_destroy: null, stop_instance_before_detaching: null,
        timeouts: null, volume_id: volume,
      },
      dependencies: [instanceRef, volumeRef],
    });

    const plName = n('offices');
    const plAwsName = label(plName);
    const plTags = tagsFor(plAwsName);
    const office = `203.0.113.${Math.floor(random() * 32) * 8}/29`;
    const pl = (await ec2.send(new CreateManagedPrefixListCommand({
      PrefixListName: plAwsName, AddressFamily: 'IPv4', MaxEntries: 5, Entries: [{ Cidr: office, Description: 'HQ' }, { Cidr: '198.51.100.0/24' }],
      TagSpecifications: tagSpec('prefix-list', plTags.tagsAll),
    }))).PrefixList!.PrefixListId!;
    blocks.push({
      type: 'aws_ec2_managed_prefix_list', name: plName,
      hcl: `resource "aws_ec2_managed_prefix_list" "${plName}" {\n  name           = "${plAwsName}"\n  address_family = "IPv4"\n  max_entries    = 5\n\n  entry {\n    cidr        = "${office}"\n    description = "HQ"\n  }\n\n  entry {\n    cidr = "198.51.100.0/24"\n  }\n\n${hclTags(plTags.tags)}}\n`,
      attributes: {
        address_family: 'IPv4', arn: arnOf(target, 'ec2', `prefix-list/${pl}`), entry: [{ cidr: '198.51.100.0/24', description: '' }, { cidr: office, description: 'HQ' }], id: pl,
        max_entries: 5, name: plAwsName, owner_id: target.account, tags: plTags.tags, tags_all: plTags.tagsAll, version: 1,
      },
    });
    return blocks;
  },
  lowerBound(t) {
    const pages = (type: string, size: number) => Math.ceil((t[type] ?? 0) / size);
    return {
      'ec2:DescribeKeyPairs': (t.aws_key_pair ?? 0) > 0 ? 1 : 0, // no pagination: one call returns every key pair
      'ec2:DescribeLaunchTemplates': pages('aws_launch_template', 200),
      // Without a template id, DescribeLaunchTemplateVersions with $Default returns the default
      // version of every template in the account, 200 a page: a batch read exists.
      'ec2:DescribeLaunchTemplateVersions': pages('aws_launch_template', 200),
      // Volumes and their attachments: one family read, 500 a page.
      'ec2:DescribeVolumes': Math.max(pages('aws_ebs_volume', 500), pages('aws_volume_attachment', 500)),
      'ec2:DescribeManagedPrefixLists': pages('aws_ec2_managed_prefix_list', 100),
      // A list's entries: one GetManagedPrefixListEntries per list (no batch read).
      'ec2:GetManagedPrefixListEntries': t.aws_ec2_managed_prefix_list ?? 0,
    };
  },
  readActions: ['ec2:Describe*', 'ec2:GetManagedPrefixListEntries'],
};

function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
