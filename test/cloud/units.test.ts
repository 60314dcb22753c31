import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveAwsTarget, validateEndpoints } from '../../server/src/cloud/aws-env';
import { CallGate } from '../../server/src/cloud/call-gate';
import { AwsCallError } from '../../server/src/cloud/errors';
import { instanceAttributes } from '../../server/src/cloud/types/aws_instance';
import { securityGroupAttributes } from '../../server/src/cloud/types/aws_security_group';
import { ruleAttributes } from '../../server/src/cloud/types/sg-rule-resource';
import { attachmentSeverity } from '../../server/src/cloud/families/iam';
import { roleAttributes } from '../../server/src/cloud/types/aws_iam_role';
import { atomsFromBlocks, atomsFromPermissions } from '../../server/src/cloud/types/sg-rules';
import { canonicalForm } from '../../server/src/drift/compare';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';

test('environment follows the aws CLI: per-service endpoint beats the global one; the setting beats both', () => {
  const env = { AWS_ENDPOINT_URL: 'http://all:1', AWS_ENDPOINT_URL_S3: 'http://s3:2', AWS_PROFILE: 'p', AWS_DEFAULT_REGION: 'us-east-2' };
  const t = resolveAwsTarget({}, env, undefined);
  assert.equal(t.endpoints.s3, 'http://s3:2');
  assert.equal(t.endpoints.ec2, 'http://all:1');
  assert.equal(t.endpoints.tagging, 'http://all:1');
  assert.equal(t.profile, 'p');
  assert.equal(t.region, 'us-east-2');
  assert.equal(resolveAwsTarget({}, { ...env, AWS_REGION: 'eu-west-1' }, 'eu-central-1').region, 'eu-central-1');
  const s = resolveAwsTarget({ endpoint: 'http://set:3', region: 'ap-south-1' }, env, 'eu-central-1');
  assert.equal(s.endpoints.s3, 'http://set:3');
  assert.equal(s.region, 'ap-south-1');
  assert.deepEqual(resolveAwsTarget({}, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).endpoints, {});
  assert.match(validateEndpoints(resolveAwsTarget({ endpoint: 'ftp://x' }, {})) ?? '', /must be an http/);
});

const throttle = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

test('call gate retries throttling with backoff, counts every attempt, and gives up with the AWS code', async () => {
  const delays: number[] = [];
  const gate = new CallGate({ concurrency: 4, maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, sleep: async (ms) => { delays.push(ms); }, random: () => 0.5 });
  let n = 0;
  assert.equal(await gate.call('ec2:DescribeInstances', async () => (++n < 3 ? Promise.reject(throttle()) : 'ok')), 'ok');
  assert.deepEqual(delays, [50, 100]);
  await assert.rejects(gate.call('s3:GetBucketPolicy', () => Promise.reject(throttle())), (e: Error) => e instanceof AwsCallError && e.failure.code === 'ThrottlingException');
  assert.deepEqual(gate.stats(), { 'ec2:DescribeInstances': 3, 's3:GetBucketPolicy': 4 });
  assert.equal(gate.throttled, 6);
});

test('call gate: a credentials failure stops every later call without reaching AWS', async () => {
  const gate = new CallGate({ concurrency: 2, maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} });
  const expired = Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken', $metadata: { httpStatusCode: 403 } });
  await assert.rejects(gate.call('iam:GetRole', () => Promise.reject(expired)), /ExpiredToken/);
  let reached = false;
  await assert.rejects(gate.call('iam:GetRole', async () => { reached = true; }), /ExpiredToken/);
  assert.equal(reached, false);
  assert.equal(gate.totalCalls(), 1);
});

test('aws_instance mapping', () => {
  const a = instanceAttributes({
    InstanceId: 'i-1', ImageId: 'ami-1', InstanceType: 't3.micro', SubnetId: 's-1', SecurityGroups: [{ GroupId: 'sg-2' }, { GroupId: 'sg-1' }],
    Monitoring: { State: 'disabled' }, SourceDestCheck: true, IamInstanceProfile: { Arn: 'arn:aws:iam::1:instance-profile/team/app' },
    Tags: [{ Key: 'Name', Value: 'web' }, { Key: 'aws:cloudformation:stack-name', Value: 'x' }],
  });
  assert.equal(a.iam_instance_profile, 'app');
  assert.equal(a.monitoring, false);
  assert.deepEqual(a.tags, { Name: 'web' });
  const rule = RESOURCE_TYPES.get('aws_instance')!.attributes.find((r) => r.name === 'vpc_security_group_ids')!;
  assert.equal(canonicalForm(rule, a.vpc_security_group_ids as string[], { selfId: 'i-1' }), canonicalForm(rule, ['sg-1', 'sg-2', 'sg-1'], { selfId: 'i-1' }));
});

test('security group rules: AWS grouping and Terraform grouping give the same atoms', () => {
  const live = securityGroupAttributes({
    GroupId: 'sg-1', GroupName: 'web', VpcId: 'vpc-1', Description: 'd',
    IpPermissions: [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: '0.0.0.0/0' }] },
      { IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: 'sg-1' }] },
    ],
  });
  const declared = [
    { protocol: 'all', from_port: 0, to_port: 0, self: true },
    { protocol: '6', from_port: '443', to_port: 443, cidr_blocks: ['0.0.0.0/0', '10.0.0.0/8'] },
  ];
  const rule = RESOURCE_TYPES.get('aws_security_group')!.attributes.find((r) => r.name === 'ingress')!;
  assert.equal(canonicalForm(rule, live.ingress as never, { selfId: 'sg-1' }), canonicalForm(rule, declared as never, { selfId: 'sg-1' }));
  assert.equal(atomsFromBlocks(declared as never, 'sg-1').length, atomsFromPermissions([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: 'a' }, { CidrIp: 'b' }] }, { IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: 'sg-1' }] }]).length);
  const withDescription = canonicalForm(rule, [{ ...declared[1], description: 'https' }] as never, { selfId: 'sg-1' });
  assert.notEqual(withDescription, canonicalForm(rule, [declared[1]] as never, { selfId: 'sg-1' }));
});

test('standalone rule mapping: all-traffic rules have no ports', () => {
  const a = ruleAttributes({ SecurityGroupRuleId: 'sgr-1', GroupId: 'sg-1', IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv4: '0.0.0.0/0' });
  assert.deepEqual([a.ip_protocol, a.from_port, a.to_port, a.cidr_ipv4, a.cidr_ipv6], ['-1', null, null, '0.0.0.0/0', null]);
});

test('IAM role mapping decodes URL-encoded policy documents', () => {
  const doc = encodeURIComponent('{"Version":"2012-10-17","Statement":[]}');
  const a = roleAttributes({ RoleName: 'app', Path: '/', Arn: 'arn', RoleId: 'r', CreateDate: new Date(), AssumeRolePolicyDocument: doc });
  assert.equal(a.assume_role_policy, '{"Version":"2012-10-17","Statement":[]}');
  assert.equal(a.max_session_duration, 3600);
  assert.equal(a.description, '');
});

test('every registered type declares a schema and a read family or its own reader', () => {
  assert.ok(RESOURCE_TYPES.size >= 13);
  for (const [name, t] of RESOURCE_TYPES) {
    assert.equal(t.type, name);
    assert.ok(t.family || typeof t.read === 'function', `${name} has no way to read`);
    assert.equal(typeof t.revert, 'function');
    assert.ok(t.attributes.length > 0, name);
  }
});

test('an unrequested attachment of an all-powerful AWS managed policy is an error, others a warning', () => {
  assert.equal(attachmentSeverity('arn:aws:iam::aws:policy/AdministratorAccess'), 'error');
  assert.equal(attachmentSeverity('arn:aws:iam::123456789012:policy/app'), 'warning');
});
