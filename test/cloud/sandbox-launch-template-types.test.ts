// aws_launch_template against the sandbox through the real SDK (the per-type contract of
// test/support/type-suite): data read from the latest version, a version made by hand is drift,
// Revert writes a version copying the one Terraform wrote.
import {
  CreateLaunchTemplateCommand, CreateLaunchTemplateVersionCommand, CreateTagsCommand, DeleteLaunchTemplateCommand, EC2Client, ModifyLaunchTemplateCommand,
} from '@aws-sdk/client-ec2';
import { inst, typeSuite } from '../support/type-suite';

let ec2: EC2Client;
const ids = { lt: '', sg: '' };
const USER_DATA = Buffer.from('#!/bin/sh\necho hello\n').toString('base64');

typeSuite({
  async setup(env) {
    ec2 = env.sdk(EC2Client);
    ids.sg = env.scenario.securityGroups![1]!.id;
    ids.lt = (await ec2.send(new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'web', VersionDescription: 'web servers',
      LaunchTemplateData: { ImageId: 'ami-0c7217cdde317cfec', InstanceType: 't3.small', KeyName: 'deployer', UserData: USER_DATA, SecurityGroupIds: [ids.sg], EbsOptimized: true },
      TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'Name', Value: 'web' }] }],
    }))).LaunchTemplate!.LaunchTemplateId!;
  },
  state: () => [
    inst('aws_launch_template', 'web', {
      arn: `arn:aws:ec2:us-east-1:123456789012:launch-template/${ids.lt}`, block_device_mappings: [], capacity_reservation_specification: [], cpu_options: [], credit_specification: [],
      default_version: 1, description: 'web servers', disable_api_stop: false, disable_api_termination: false, ebs_optimized: 'true', elastic_gpu_specifications: [],
      elastic_inference_accelerator: [], enclave_options: [], hibernation_options: [], iam_instance_profile: [], id: ids.lt, image_id: 'ami-0c7217cdde317cfec',
      instance_initiated_shutdown_behavior: '', instance_market_options: [], instance_requirements: [], instance_type: 't3.small', kernel_id: '', key_name: 'deployer',
      latest_version: 1, license_specification: [], maintenance_options: [], metadata_options: [], monitoring: [], name: 'web', name_prefix: '', network_interfaces: [],
      placement: [], private_dns_name_options: [], ram_disk_id: '', security_group_names: [], tag_specifications: [], tags: { Name: 'web' }, tags_all: { Name: 'web' },
      update_default_version: null, user_data: USER_DATA, vpc_security_group_ids: [ids.sg],
    }),
  ],
  changes: {
    'a new version with another instance type and image, made the default by hand': {
      drifts: ['aws_launch_template.web default_version', 'aws_launch_template.web image_id', 'aws_launch_template.web instance_type'],
      async change() {
        const v = await ec2.send(new CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: ids.lt, SourceVersion: '$Latest', VersionDescription: 'web servers', LaunchTemplateData: { InstanceType: 'm5.large', ImageId: 'ami-053b0d53c279acc90' },
        }));
        await ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: ids.lt, DefaultVersion: String(v.LaunchTemplateVersion!.VersionNumber) }));
      },
    },
    'tags renamed': {
      drifts: ['aws_launch_template.web tags'],
      change: () => ec2.send(new CreateTagsCommand({ Resources: [ids.lt], Tags: [{ Key: 'Name', Value: 'renamed' }] })),
    },
  },
  removals: {
    'the template deleted': { missing: 'aws_launch_template.web', change: () => ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: ids.lt })) },
  },
});
