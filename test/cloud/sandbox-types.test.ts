// Every resource type against the sandbox: a change made through the real SDK (as a console user
// would) shows as drift on the right attribute, and the type's revert writer puts the declared
// value back so that a fresh read finds no drift.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { IAMClient, PutRolePolicyCommand, UpdateRoleCommand } from '@aws-sdk/client-iam';
import {
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { Drift } from '../../server/src/model';
import { checkRoot } from '../support/root-check';
import { repoRoot } from '../support/lsp-client';
import { keyOf as scenarioKey } from '../sandbox/helpers';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const keysOf = (name: string) => scenarioKey(scenario, name);
const sg = (name: string) => scenario.securityGroups!.find((g) => g.name === name)!.id;
const instance = (name: string) => scenario.instances!.find((i) => i.tags?.Name === name)!.id;

let sandbox: SandboxHandle;
let dir: string;
let ec2: EC2Client;
let s3: S3Client;
let iam: IAMClient;

/** A fresh module over the workspace copy: parse, connect as carol (she may write), full read. */
const check = () => checkRoot(dir, sandbox, keysOf('carol'));

const key = (d: Drift) => `${d.address} ${d.attributePath.join('.')}`;

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  const credentials = keysOf('carol');
  const region = sandbox.region;
  ec2 = new EC2Client({ endpoint: sandbox.endpoint, region, credentials });
  s3 = new S3Client({ endpoint: sandbox.endpoint, region, credentials, forcePathStyle: true });
  iam = new IAMClient({ endpoint: sandbox.endpoint, region, credentials });
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-types-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the untouched sandbox matches examples/demo', async () => {
  const { drifts } = await check();
  assert.deepEqual(drifts.map(key), []);
});

test('a change to each resource type is drift on its attribute, and its writer reverts it', async () => {
  const assets = 'tidemark-demo-assets';
  const web = instance('tidemark-demo-web');
  await ec2.send(new StopInstancesCommand({ InstanceIds: [web] }));
  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: web, InstanceType: { Value: 't3.xlarge' } }));
  await ec2.send(new CreateTagsCommand({ Resources: [web], Tags: [{ Key: 'Team', Value: 'hotfix' }] }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg('tidemark-demo-web'), IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg('tidemark-demo-web'), IpPermissions: [{ IpProtocol: 'tcp', FromPort: 25, ToPort: 25, IpRanges: [{ CidrIp: '10.9.0.0/16' }] }] }));
  const rules = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [sg('tidemark-demo-db')] }] }));
  const fromWeb = rules.SecurityGroupRules!.find((r) => !r.IsEgress && r.FromPort === 5432)!.SecurityGroupRuleId!;
  await ec2.send(new CreateTagsCommand({ Resources: [fromWeb], Tags: [{ Key: 'Name', Value: 'renamed-by-hand' }] }));
  const vpc = scenario.vpcs![0].id;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc, EnableDnsHostnames: { Value: false } }));
  const publicA = scenario.subnets!.find((s) => s.tags?.Name?.endsWith('public-a'))!.id;
  await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: publicA, MapPublicIpOnLaunch: { Value: false } }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: assets, VersioningConfiguration: { Status: 'Suspended' } }));
  await s3.send(new PutBucketEncryptionCommand({ Bucket: assets, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }] } }));
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: assets, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true } }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: assets, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${assets}/*` }] }) }));
  await s3.send(new PutBucketTaggingCommand({ Bucket: assets, Tagging: { TagSet: [{ Key: 'Name', Value: assets }, { Key: 'Env', Value: 'prod' }] } }));
  await iam.send(new UpdateRoleCommand({ RoleName: 'app-role', MaxSessionDuration: 7200 }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'app-role', PolicyName: 'app-role-s3-read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }));

  const { module, drifts } = await check();
  const found = new Set(drifts.map(key));
  const expected = [
    'aws_instance.web instance_type',
    'aws_instance.web tags.Team',
    'aws_security_group.web ingress',
    'aws_security_group.web egress',
    'aws_vpc_security_group_ingress_rule.db_from_web tags.Name',
    'aws_vpc.main enable_dns_hostnames',
    'aws_subnet.public_a map_public_ip_on_launch',
    'aws_s3_bucket_versioning.assets versioning_configuration',
    'aws_s3_bucket_server_side_encryption_configuration.assets rule',
    'aws_s3_bucket_public_access_block.assets block_public_policy',
    'aws_s3_bucket_policy.assets policy',
    'aws_s3_bucket.assets tags.Team',
    'aws_s3_bucket.assets tags.Project',
    'aws_iam_role.app max_session_duration',
    'aws_iam_role_policy.app_s3_read policy',
  ];
  for (const e of expected) assert.ok(found.has(e), `expected drift ${e}; found:\n${[...found].join('\n')}`);

  const failed: string[] = [];
  for (const drift of drifts) {
    const outcome = await module.revert(drift);
    if (!outcome.ok) failed.push(`${key(drift)}: ${outcome.message}`);
  }
  assert.deepEqual(failed, []);
  const after = await check();
  assert.deepEqual(after.drifts.map(key), [], 'a fresh read after the reverts finds no drift');
});
