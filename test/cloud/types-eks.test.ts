// aws_eks_cluster, aws_eks_node_group, aws_eks_addon and aws_eks_access_entry against the sandbox
// with the real SDK (REST-JSON): the per-type contract (one live change per compared attribute
// class → drift on it → the writers revert it → clean); Optional+Computed arguments left undeclared
// are never drift, whatever AWS does to them; configuration values compare as JSON documents; an
// authentication mode or Kubernetes version moved forward by hand is drift that revert refuses (EKS
// never moves them back); gone objects are missing, read with one Describe each; the sandbox's EKS
// error codes, pagination, Tagging API coverage, CloudTrail records and the attribution of the writes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateAccessEntryCommand, CreateAddonCommand, CreateClusterCommand, CreateNodegroupCommand, DeleteAccessEntryCommand, DeleteAddonCommand, DeleteClusterCommand,
  DeleteNodegroupCommand, DescribeAccessEntryCommand, DescribeClusterCommand, EKSClient, ListClustersCommand, ListTagsForResourceCommand, TagResourceCommand,
  UntagResourceCommand, UpdateAccessEntryCommand, UpdateAddonCommand, UpdateClusterConfigCommand, UpdateClusterVersionCommand, UpdateNodegroupConfigCommand, UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { CreateLaunchTemplateCommand, CreateLaunchTemplateVersionCommand, EC2Client } from '@aws-sdk/client-ec2';
import { eventExplains } from '../../server/src/attribution/event-attributes';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { driftsOf, revertAll } from './type-check-helpers';
import { runCheck, writeStateFile } from '../support/check-cli';
import { assertClean, contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let eks: EKSClient;

const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
const SG = 'sg-0a1b2c3d4e5f60a01';
const CONFIG = '{"env":{"WARM_IP_TARGET":"2"},"enableNetworkPolicy":"true"}';
const live = { cluster: '', nodegroup: '', addon: '', entry: '', sgId: '', vpcId: '' };
const role = (name: string): string => `arn:aws:iam::${env.sandbox.accountId}:role/${name}`;

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_eks_cluster', 'main', {
    id: 'main', name: 'main', arn: live.cluster, role_arn: role('app-role'), version: '1.31', platform_version: 'eks.31', status: 'ACTIVE',
    vpc_config: [{
      subnet_ids: SUBNETS, security_group_ids: [SG], endpoint_private_access: false, endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'],
      cluster_security_group_id: live.sgId, vpc_id: live.vpcId,
    }],
    enabled_cluster_log_types: ['audit', 'api'],
    access_config: [{ authentication_mode: 'API_AND_CONFIG_MAP', bootstrap_cluster_creator_admin_permissions: true }],
    kubernetes_network_config: [{ service_ipv4_cidr: '172.20.0.0/16', ip_family: 'ipv4' }], encryption_config: [],
    tags: { Team: 'platform' }, tags_all: { Team: 'platform' },
  }),
  inst('aws_eks_node_group', 'workers', {
    id: 'main:workers', cluster_name: 'main', node_group_name: 'workers', node_group_name_prefix: '', arn: live.nodegroup, node_role_arn: role('app-role'),
    subnet_ids: SUBNETS, scaling_config: [{ desired_size: 3, min_size: 1, max_size: 5 }], instance_types: ['m6i.large', 'm5.large'],
    labels: { pool: 'general' }, taint: [{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }], update_config: [{ max_unavailable: 1, max_unavailable_percentage: 0 }],
    capacity_type: 'ON_DEMAND', ami_type: 'AL2023_x86_64_STANDARD', disk_size: 50, version: '1.31', release_version: '1.31.0-20241001', status: 'ACTIVE',
    launch_template: [], remote_access: [], tags: { Team: 'platform' }, tags_all: { Team: 'platform' },
  }),
  inst('aws_eks_addon', 'cni', {
    id: 'main:vpc-cni', cluster_name: 'main', addon_name: 'vpc-cni', arn: live.addon, addon_version: 'v1.18.5-eksbuild.1', configuration_values: CONFIG,
    service_account_role_arn: role('prod-operator'), resolve_conflicts_on_update: 'OVERWRITE', preserve: false, tags: {}, tags_all: {},
  }),
  inst('aws_eks_access_entry', 'operator', {
    id: `main:${role('prod-operator')}`, cluster_name: 'main', principal_arn: role('prod-operator'), access_entry_arn: live.entry, kubernetes_groups: ['ops', 'viewers'],
    type: 'STANDARD', user_name: 'operator', tags: { Team: 'platform' }, tags_all: { Team: 'platform' },
  }),
];

before(async () => {
  env = await startTypeSandbox(['eks:*', 'ec2:CreateLaunchTemplate', 'ec2:CreateLaunchTemplateVersion', 'ec2:DescribeLaunchTemplates']);
  eks = env.sdk(EKSClient);
  const c = (await eks.send(new CreateClusterCommand({
    name: 'main', roleArn: role('app-role'), version: '1.31', resourcesVpcConfig: { subnetIds: SUBNETS, securityGroupIds: [SG] },
    logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] }, accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' }, tags: { Team: 'platform' },
  }))).cluster!;
  Object.assign(live, { cluster: c.arn!, sgId: c.resourcesVpcConfig!.clusterSecurityGroupId!, vpcId: c.resourcesVpcConfig!.vpcId! });
  live.nodegroup = (await eks.send(new CreateNodegroupCommand({
    clusterName: 'main', nodegroupName: 'workers', nodeRole: role('app-role'), subnets: SUBNETS, scalingConfig: { desiredSize: 3, minSize: 1, maxSize: 5 },
    instanceTypes: ['m6i.large', 'm5.large'], diskSize: 50, labels: { pool: 'general' }, taints: [{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }], tags: { Team: 'platform' },
  }))).nodegroup!.nodegroupArn!;
  live.addon = (await eks.send(new CreateAddonCommand({
    clusterName: 'main', addonName: 'vpc-cni', addonVersion: 'v1.18.5-eksbuild.1', configurationValues: CONFIG, serviceAccountRoleArn: role('prod-operator'),
  }))).addon!.addonArn!;
  live.entry = (await eks.send(new CreateAccessEntryCommand({
    clusterName: 'main', principalArn: role('prod-operator'), kubernetesGroups: ['viewers', 'ops'], username: 'operator', tags: { Team: 'platform' },
  }))).accessEntry!.accessEntryArn!;
});

after(async () => {
  eks?.destroy();
  await env?.sandbox.stop();
});

contractTests({
  title: 'the EKS types',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_eks_cluster.main vpc_config', change: () => eks.send(new UpdateClusterConfigCommand({ name: 'main', resourcesVpcConfig: { endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } })) },
    { drift: 'aws_eks_cluster.main enabled_cluster_log_types', change: () => eks.send(new UpdateClusterConfigCommand({ name: 'main', logging: { clusterLogging: [{ types: ['scheduler'], enabled: true }, { types: ['audit'], enabled: false }] } })) },
    { drift: 'aws_eks_cluster.main tags', change: () => eks.send(new TagResourceCommand({ resourceArn: live.cluster, tags: { Team: 'hotfix' } })) },
    {
      drift: ['aws_eks_node_group.workers scaling_config', 'aws_eks_node_group.workers labels', 'aws_eks_node_group.workers taint', 'aws_eks_node_group.workers update_config'],
      change: () => eks.send(new UpdateNodegroupConfigCommand({
        clusterName: 'main', nodegroupName: 'workers', scalingConfig: { desiredSize: 5, minSize: 2, maxSize: 5 }, labels: { addOrUpdateLabels: { spot: 'no' }, removeLabels: ['pool'] },
        taints: { addOrUpdateTaints: [{ key: 'gpu', value: 'true', effect: 'NO_EXECUTE' }] }, updateConfig: { maxUnavailablePercentage: 50 },
      })),
    },
    {
      drift: ['aws_eks_addon.cni addon_version', 'aws_eks_addon.cni configuration_values', 'aws_eks_addon.cni service_account_role_arn'],
      change: () => eks.send(new UpdateAddonCommand({ clusterName: 'main', addonName: 'vpc-cni', addonVersion: 'v1.19.0-eksbuild.1', configurationValues: '{}', serviceAccountRoleArn: '' })),
    },
    {
      drift: ['aws_eks_access_entry.operator kubernetes_groups', 'aws_eks_access_entry.operator user_name'],
      change: () => eks.send(new UpdateAccessEntryCommand({ clusterName: 'main', principalArn: role('prod-operator'), kubernetesGroups: ['admins'], username: 'root-ish' })),
    },
    { drift: 'aws_eks_access_entry.operator tags', change: () => eks.send(new TagResourceCommand({ resourceArn: live.entry, tags: { Extra: 'x' } })) },
  ],
});

test('Optional+Computed arguments left undeclared are not drift, whatever AWS holds; configuration values compare as JSON documents', async () => {
  const [cluster, group, addon, entry] = state();
  const drop = (i: StateInstance, ...names: string[]): StateInstance => ({ ...i, attributes: Object.fromEntries(Object.entries(i.attributes).filter(([k]) => !names.includes(k))) });
  // AWS moved what these blocks leave undeclared: the public CIDRs, the add-on's version, the entry's groups.
  await eks.send(new UpdateClusterConfigCommand({ name: 'main', resourcesVpcConfig: { publicAccessCidrs: ['198.51.100.0/24'] } }));
  await eks.send(new UpdateAddonCommand({ clusterName: 'main', addonName: 'vpc-cni', addonVersion: 'v1.19.0-eksbuild.1' }));
  try {
    const vpc = (cluster!.attributes.vpc_config as Array<Record<string, unknown>>)[0]!;
    const declared = [
      { ...drop(cluster!, 'version', 'access_config'), attributes: { ...drop(cluster!, 'version', 'access_config').attributes, vpc_config: [{ subnet_ids: [...SUBNETS].reverse(), security_group_ids: [SG], endpoint_private_access: vpc.endpoint_private_access }] } },
      drop(group!, 'instance_types', 'capacity_type', 'ami_type', 'disk_size', 'version', 'release_version', 'update_config'),
      { ...drop(addon!, 'addon_version'), attributes: { ...drop(addon!, 'addon_version').attributes, configuration_values: '{ "enableNetworkPolicy": "true", "env": { "WARM_IP_TARGET": "2" } }' } },
      drop(entry!, 'kubernetes_groups', 'user_name'),
    ];
    await assertClean(env.clients, declared, { declared: true });
    // Declared, the same values are drift.
    const snapshot = await readLive(env.clients, [cluster!, addon!]);
    assert.deepEqual(driftsOf(RESOURCE_TYPES, [cluster!, addon!], snapshot).sort(), ['aws_eks_addon.cni addon_version', 'aws_eks_cluster.main vpc_config']);
    for (const o of await revertAll(RESOURCE_TYPES, [cluster!, addon!], snapshot, env.clients)) assert.equal(o.ok, true, `${o.drift}: ${o.message}`);
    await assertClean(env.clients, state());
  } finally {
    await eks.send(new UpdateClusterConfigCommand({ name: 'main', resourcesVpcConfig: { publicAccessCidrs: ['0.0.0.0/0'] } })).catch(() => undefined);
    await eks.send(new UpdateAddonCommand({ clusterName: 'main', addonName: 'vpc-cni', addonVersion: 'v1.18.5-eksbuild.1' }));
  }
});

test('an authentication mode or Kubernetes version moved forward by hand is drift that revert refuses: EKS never moves either back', async () => {
  await eks.send(new CreateClusterCommand({ name: 'legacy', roleArn: role('app-role'), version: '1.30', resourcesVpcConfig: { subnetIds: SUBNETS } }));
  await eks.send(new UpdateClusterConfigCommand({ name: 'legacy', accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } }));
  await eks.send(new UpdateClusterVersionCommand({ name: 'legacy', version: '1.31' }));
  const declared = [inst('aws_eks_cluster', 'legacy', {
    name: 'legacy', role_arn: role('app-role'), version: '1.30', vpc_config: [{ subnet_ids: SUBNETS }], access_config: [{ authentication_mode: 'CONFIG_MAP' }],
  })];
  const snapshot = await readLive(env.clients, declared);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, declared, snapshot).sort(), ['aws_eks_cluster.legacy access_config', 'aws_eks_cluster.legacy version']);
  const outcomes = await revertAll(RESOURCE_TYPES, declared, snapshot, env.clients);
  assert.deepEqual(outcomes.map((o) => o.ok), [false, false]);
  assert.ok(outcomes.every((o) => /cannot be written back in place: EKS (moves the authentication mode only forward|never downgrades)/.test(o.message)), JSON.stringify(outcomes));
  await eks.send(new DeleteClusterCommand({ name: 'legacy' }));
});

test('a launch template version moved by hand is drift on launch_template, written back with UpdateNodegroupVersion; an undeclared id is AWS\'s; $Latest is drift as in Terraform', async () => {
  const ec2 = env.sdk(EC2Client);
  await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'nodes', LaunchTemplateData: { InstanceType: 'm6i.large' } }));
  await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'nodes', LaunchTemplateData: { InstanceType: 'm6i.xlarge' } }));
  ec2.destroy();
  await eks.send(new CreateNodegroupCommand({
    clusterName: 'main', nodegroupName: 'templated', nodeRole: role('app-role'), subnets: SUBNETS, launchTemplate: { name: 'nodes', version: '1' },
  }));
  const declared = (version: string) => [inst('aws_eks_node_group', 'templated', {
    cluster_name: 'main', node_group_name: 'templated', node_role_arn: role('app-role'), subnet_ids: SUBNETS, scaling_config: [{ desired_size: 2, min_size: 1, max_size: 2 }],
    launch_template: [{ name: 'nodes', version }],
  })];
  try {
    await assertClean(env.clients, declared('1'), { declared: true });
    await eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'main', nodegroupName: 'templated', launchTemplate: { name: 'nodes', version: '2' } }));
    const snapshot = await readLive(env.clients, declared('1'));
    assert.deepEqual(driftsOf(RESOURCE_TYPES, declared('1'), snapshot), ['aws_eks_node_group.templated launch_template']);
    for (const o of await revertAll(RESOURCE_TYPES, declared('1'), snapshot, env.clients)) assert.equal(o.ok, true, `${o.drift}: ${o.message}`);
    await assertClean(env.clients, declared('1'), { declared: true });
    assert.deepEqual(driftsOf(RESOURCE_TYPES, declared('$Latest'), await readLive(env.clients, declared('$Latest'))), ['aws_eks_node_group.templated launch_template']);
  } finally {
    await eks.send(new DeleteNodegroupCommand({ clusterName: 'main', nodegroupName: 'templated' }));
  }
});

test('gone objects are missing, each read with one Describe call (EKS has no batch describe)', async () => {
  await eks.send(new CreateClusterCommand({ name: 'old', roleArn: role('app-role'), resourcesVpcConfig: { subnetIds: SUBNETS }, accessConfig: { authenticationMode: 'API' } }));
  await eks.send(new CreateNodegroupCommand({ clusterName: 'old', nodegroupName: 'gone', nodeRole: role('app-role'), subnets: SUBNETS }));
  await eks.send(new CreateAddonCommand({ clusterName: 'old', addonName: 'coredns' }));
  await eks.send(new CreateAccessEntryCommand({ clusterName: 'old', principalArn: role('prod-operator') }));
  await eks.send(new DeleteNodegroupCommand({ clusterName: 'old', nodegroupName: 'gone' }));
  await eks.send(new DeleteAddonCommand({ clusterName: 'old', addonName: 'coredns' }));
  await eks.send(new DeleteAccessEntryCommand({ clusterName: 'old', principalArn: role('prod-operator') }));
  await eks.send(new DeleteClusterCommand({ name: 'old' }));
  const gone = [
    inst('aws_eks_cluster', 'old', { id: 'old', name: 'old' }),
    inst('aws_eks_node_group', 'gone', { id: 'old:gone', cluster_name: 'old', node_group_name: 'gone' }),
    inst('aws_eks_addon', 'gone', { id: 'old:coredns', cluster_name: 'old', addon_name: 'coredns' }),
    inst('aws_eks_access_entry', 'gone', { id: `old:${role('prod-operator')}`, cluster_name: 'old', principal_arn: role('prod-operator') }),
  ];
  env.sandbox.resetStats();
  const snapshot = await readLive(env.clients, [...state(), ...gone], { declared: false });
  assert.deepEqual(gone.map((i) => snapshot.get(i.address)?.status), ['missing', 'missing', 'missing', 'missing']);
  const stats = env.sandbox.stats();
  assert.deepEqual(
    [stats['eks:DescribeCluster'], stats['eks:DescribeNodegroup'], stats['eks:DescribeAddon'], stats['eks:DescribeAccessEntry']], [2, 2, 2, 2],
    'one Describe per declared object and nothing else',
  );
  assert.deepEqual(Object.keys(stats).filter((k) => k.startsWith('eks:') && !k.startsWith('eks:Describe')), []);
});

test('the sandbox answers EKS with its error codes and pagination, lists EKS objects in the Tagging API and records writes in CloudTrail', async () => {
  await assert.rejects(eks.send(new DescribeClusterCommand({ name: 'nope' })), { name: 'ResourceNotFoundException' });
  await assert.rejects(eks.send(new CreateClusterCommand({ name: 'main', roleArn: role('app-role'), resourcesVpcConfig: { subnetIds: SUBNETS } })), { name: 'ResourceInUseException' });
  await assert.rejects(eks.send(new CreateClusterCommand({ name: 'one-subnet', roleArn: role('app-role'), resourcesVpcConfig: { subnetIds: [SUBNETS[0]!] } })), { name: 'InvalidParameterException' });
  await assert.rejects(eks.send(new UpdateClusterConfigCommand({ name: 'main', logging: { clusterLogging: [{ types: ['api'], enabled: true }] }, accessConfig: { authenticationMode: 'API' } })),
    { name: 'InvalidParameterException', message: 'Only one type of update can be allowed.' });
  await assert.rejects(eks.send(new UpdateNodegroupConfigCommand({ clusterName: 'main', nodegroupName: 'workers', scalingConfig: { desiredSize: 9, minSize: 1, maxSize: 5 } })), { name: 'InvalidParameterException' });
  await assert.rejects(eks.send(new UpdateNodegroupVersionCommand({ clusterName: 'main', nodegroupName: 'workers', version: '1.30' })), { name: 'InvalidParameterException' });
  await assert.rejects(eks.send(new UpdateAddonCommand({ clusterName: 'main', addonName: 'vpc-cni', configurationValues: '{not json' })), { name: 'InvalidParameterException' });
  await assert.rejects(eks.send(new CreateAccessEntryCommand({ clusterName: 'main', principalArn: role('no-such-role') })), { name: 'InvalidParameterException' });
  await assert.rejects(eks.send(new UpdateAccessEntryCommand({ clusterName: 'main', principalArn: role('prod-operator'), kubernetesGroups: ['system:masters'] })), { name: 'InvalidParameterException' });
  await assert.rejects(eks.send(new TagResourceCommand({ resourceArn: live.cluster, tags: { 'aws:x': 'y' } })), { name: 'BadRequestException' });
  await assert.rejects(eks.send(new ListTagsForResourceCommand({ resourceArn: live.cluster.replace('/main', '/nope') })), { name: 'NotFoundException' });
  const entry = (await eks.send(new DescribeAccessEntryCommand({ clusterName: 'main', principalArn: role('prod-operator') }))).accessEntry!;
  assert.equal(entry.principalArn, role('prod-operator'), 'a principal ARN travels percent-encoded in the path');

  for (const name of ['p1', 'p2', 'p3']) await eks.send(new CreateClusterCommand({ name, roleArn: role('app-role'), resourcesVpcConfig: { subnetIds: SUBNETS } }));
  const first = await eks.send(new ListClustersCommand({ maxResults: 2 }));
  assert.equal(first.clusters?.length, 2);
  const rest = await eks.send(new ListClustersCommand({ maxResults: 2, nextToken: first.nextToken }));
  assert.deepEqual([...first.clusters!, ...rest.clusters!].sort(), ['main', 'p1', 'p2', 'p3']);
  assert.equal(rest.nextToken, undefined);
  for (const name of ['p1', 'p2', 'p3']) await eks.send(new DeleteClusterCommand({ name }));

  // The Tagging API lists what carries tags: the add-on gets one.
  await eks.send(new TagResourceCommand({ resourceArn: live.addon, tags: { Owner: 'net' } }));
  const tagging = env.sdk(ResourceGroupsTaggingAPIClient);
  const listed = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['eks'] }));
  const arns = (listed.ResourceTagMappingList ?? []).map((m) => m.ResourceARN);
  for (const arn of [live.cluster, live.nodegroup, live.addon, live.entry]) assert.ok(arns.includes(arn), `${arn} is listed`);
  tagging.destroy();
  await eks.send(new UntagResourceCommand({ resourceArn: live.addon, tagKeys: ['Owner'] }));

  const events = env.sandbox.world.events.filter((e) => e.eventSource === 'eks.amazonaws.com');
  assert.ok(events.some((e) => e.eventName === 'UpdateNodegroupConfig' && e.resources.some((r) => r.name === 'main')), 'node group updates name their cluster');
  const record = JSON.parse(events.find((e) => e.eventName === 'UpdateClusterConfig')!.cloudTrailEvent) as { requestParameters: Record<string, unknown> };
  assert.equal(record.requestParameters.name, 'main');
  assert.ok(events.some((e) => e.eventName === 'CreateAccessEntry' && !e.readOnly));
  assert.ok(!events.some((e) => e.eventName.startsWith('Describe') || e.eventName.startsWith('List')), 'reads are not recorded');
  assert.ok(eventExplains({ eventName: 'UpdateNodegroupConfig' }, ['taint']) && !eventExplains({ eventName: 'UpdateNodegroupConfig' }, ['version']));
  assert.ok(eventExplains({ eventName: 'UpdateAddon' }, ['configuration_values']) && !eventExplains({ eventName: 'UpdateAddon' }, ['tags']));
  assert.ok(eventExplains({ eventName: 'UpdateAccessEntry' }, ['user_name']) && eventExplains({ eventName: 'UpdateClusterVersion' }, ['version']));
});

test('tidemark check reads the four types from .tf and state (blocks, jsonencode, references): clean; a desired size moved under ignore_changes is a hint, a label added by hand is drift on labels', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-eks-'));
  try {
    writeFileSync(path.join(dir, 'main.tf'), `provider "aws" {
  region = "${env.sandbox.region}"
}

resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "${role('app-role')}"
  version  = "1.31"

  vpc_config {
    subnet_ids         = ${JSON.stringify(SUBNETS)}
    security_group_ids = ["${SG}"]
  }

  enabled_cluster_log_types = ["api", "audit"]

  access_config {
    authentication_mode = "API_AND_CONFIG_MAP"
  }

  tags = {
    Team = "platform"
  }
}

resource "aws_eks_node_group" "workers" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "workers"
  node_role_arn   = "${role('app-role')}"
  subnet_ids      = ${JSON.stringify(SUBNETS)}
  instance_types  = ["m6i.large", "m5.large"]
  disk_size       = 50

  scaling_config {
    desired_size = 3
    min_size     = 1
    max_size     = 5
  }

  labels = {
    pool = "general"
  }

  taint {
    key    = "dedicated"
    value  = "batch"
    effect = "NO_SCHEDULE"
  }

  tags = {
    Team = "platform"
  }

  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }
}

resource "aws_eks_addon" "cni" {
  cluster_name             = aws_eks_cluster.main.name
  addon_name               = "vpc-cni"
  addon_version            = "v1.18.5-eksbuild.1"
  service_account_role_arn = "${role('prod-operator')}"
  configuration_values = jsonencode({
    enableNetworkPolicy = "true"
    env = {
      WARM_IP_TARGET = "2"
    }
  })
}

resource "aws_eks_access_entry" "operator" {
  cluster_name      = aws_eks_cluster.main.name
  principal_arn     = "${role('prod-operator')}"
  kubernetes_groups = ["viewers", "ops"]
  user_name         = "operator"

  tags = {
    Team = "platform"
  }
}
`);
    writeStateFile(dir, state());
    const clean = await runCheck(env.sandbox, env.credentials, dir, ['--no-attribution']);
    assert.equal(clean.code, 0, clean.out + clean.err);
    await eks.send(new UpdateNodegroupConfigCommand({ clusterName: 'main', nodegroupName: 'workers', scalingConfig: { desiredSize: 5 }, labels: { addOrUpdateLabels: { debug: 'on' } } }));
    const drifted = await runCheck(env.sandbox, env.credentials, dir, ['--no-attribution', '--json']);
    assert.equal(drifted.code, 2, drifted.out + drifted.err);
    const report = JSON.parse(drifted.out) as { drifts: Array<{ address: string; attributePath: string[]; suppressed?: { source: string } }> };
    assert.deepEqual(
      report.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}${d.suppressed ? ` (${d.suppressed.source})` : ''}`).sort(),
      ['aws_eks_node_group.workers labels', 'aws_eks_node_group.workers scaling_config (lifecycle)'], drifted.out,
    );
  } finally {
    await eks.send(new UpdateNodegroupConfigCommand({ clusterName: 'main', nodegroupName: 'workers', scalingConfig: { desiredSize: 3 }, labels: { removeLabels: ['debug'] } }));
    rmSync(dir, { recursive: true, force: true });
  }
});
