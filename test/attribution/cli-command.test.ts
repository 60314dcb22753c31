// Tables: which AWS API call a recorded `aws …` command line (or CloudTrail's userAgent) names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { awsCliCalls, callClient, callExplains, commandRank } from '../../server/src/attribution/cli-command';

const EC2 = 'ec2.amazonaws.com';
const CLI_UA = (command: string) => `aws-cli/2.9.19 Python/3.11.2 Linux/6.1.0 source/x86_64.debian.12 prompt/off command/${command}`;

test('aws command lines: service and command after global options, prefixes and assignments', () => {
  const cases: Array<[string, Array<{ service: string; command?: string }>]> = [
    ['aws ec2 modify-instance-attribute --instance-id i-1 --instance-type t3.large', [{ service: 'ec2', command: 'modify-instance-attribute' }]],
    ['aws --endpoint-url http://127.0.0.1:4510 --region us-east-1 ec2 start-instances --instance-ids i-1', [{ service: 'ec2', command: 'start-instances' }]],
    ['aws --endpoint-url=http://x --debug --no-verify-ssl s3api put-bucket-tagging --bucket b', [{ service: 's3api', command: 'put-bucket-tagging' }]],
    ['AWS_PROFILE=prod sudo /usr/bin/aws --output text iam get-role --role-name r', [{ service: 'iam', command: 'get-role' }]],
    ['aws sts get-caller-identity && aws ec2 stop-instances --instance-ids i-1 | jq .', [{ service: 'sts', command: 'get-caller-identity' }, { service: 'ec2', command: 'stop-instances' }]],
    ['aws s3 cp ./a s3://bucket/a', [{ service: 's3', command: 'cp' }]],
    ['aws ec2', [{ service: 'ec2', command: undefined }]],
    ['aws --version', []],
    ['./fix.sh i-1', []],
    ['echo "aws ec2 start-instances"', []],
  ];
  for (const [line, want] of cases) assert.deepEqual(awsCliCalls(line), want, line);
});

test('a CLI command explains the API call of the same service and operation (PascalCase ↔ kebab-case, CLI service names)', () => {
  const cases: Array<[{ service: string; command?: string }, string, string, 'operation' | 'service' | 'no']> = [
    [{ service: 'ec2', command: 'modify-instance-attribute' }, EC2, 'ModifyInstanceAttribute', 'operation'],
    [{ service: 'ec2', command: 'start-instances' }, EC2, 'ModifyInstanceAttribute', 'no'],
    [{ service: 'rds', command: 'describe-db-instances' }, 'rds.amazonaws.com', 'DescribeDBInstances', 'operation'],
    [{ service: 's3api', command: 'put-bucket-tagging' }, 's3.amazonaws.com', 'PutBucketTagging', 'operation'],
    [{ service: 's3', command: 'cp' }, 's3.amazonaws.com', 'PutObject', 'service'],
    [{ service: 's3', command: 'cp' }, EC2, 'RunInstances', 'no'],
    [{ service: 'elbv2', command: 'modify-listener' }, 'elasticloadbalancing.amazonaws.com', 'ModifyListener', 'operation'],
    [{ service: 'iam', command: 'modify-instance-attribute' }, EC2, 'ModifyInstanceAttribute', 'no'],
    [{ service: 'cloudformation', command: 'deploy' }, 'cloudformation.amazonaws.com', 'ExecuteChangeSet', 'operation'],
    [{ service: 'ec2' }, EC2, 'StartInstances', 'no'],
  ];
  for (const [call, source, name, want] of cases) assert.equal(callExplains(call, { eventSource: source, eventName: name }), want, `${call.service} ${call.command} vs ${name}`);
});

test('CloudTrail userAgents: the aws CLI v2 names its command; Terraform and SDKs are other clients', () => {
  assert.deepEqual(callClient(CLI_UA('ec2.modify-instance-attribute')), { kind: 'aws-cli', call: { service: 'ec2', command: 'modify-instance-attribute' } });
  assert.deepEqual(callClient(`[${CLI_UA('s3.cp')}]`), { kind: 'aws-cli', call: { service: 's3', command: 'cp' } });
  assert.deepEqual(callClient('aws-cli/1.45.0 Python/3.12 Linux/6 botocore/1.37'), { kind: 'aws-cli', call: undefined });
  assert.deepEqual(callClient('APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0 aws-sdk-go-v2/1.32'), { kind: 'terraform' });
  assert.deepEqual(callClient('aws-sdk-js/3.700.0 ua/2.1 os/linux lang/js md/nodejs#20'), { kind: 'other' });
  assert.equal(callClient(''), undefined);
  assert.equal(callClient(undefined), undefined);
});

test('command ranks: the userAgent\'s command, then the operation, then the service, then any script; aws calls of other operations never', () => {
  const modify = { eventSource: EC2, eventName: 'ModifyInstanceAttribute' };
  const cases: Array<[string, { eventSource: string; eventName: string; userAgent?: string }, number | undefined]> = [
    ['aws ec2 modify-instance-attribute --instance-id i-1 --instance-type t3.large', modify, 1],
    ['aws ec2 start-instances --instance-ids i-1', modify, undefined],
    ['aws ec2 modify-instance-attribute --instance-id i-1', { ...modify, userAgent: CLI_UA('ec2.modify-instance-attribute') }, 0],
    // The userAgent names another command: this one did not make the call, though its operation fits.
    ['aws ec2 modify-instance-attribute --instance-id i-1', { ...modify, userAgent: CLI_UA('ec2.start-instances') }, undefined],
    ['aws s3 cp a s3://b/a', { eventSource: 's3.amazonaws.com', eventName: 'PutObject' }, 2],
    ['aws s3 cp a s3://b/a', { eventSource: 's3.amazonaws.com', eventName: 'PutObject', userAgent: CLI_UA('s3.cp') }, 0],
    ['./resize.sh i-1', modify, 3],
    ['aws sts get-caller-identity && ./resize.sh', modify, 3],
    // An SDK made the call: no `aws` command did, a script still may have.
    ['aws ec2 modify-instance-attribute --instance-id i-1', { ...modify, userAgent: 'aws-sdk-js/3.700.0' }, undefined],
    ['node resize.js', { ...modify, userAgent: 'aws-sdk-js/3.700.0' }, 3],
    ['terraform apply -auto-approve', { ...modify, userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 terraform-provider-aws/5.80.0' }, 1],
    ['aws ec2 modify-instance-attribute --instance-id i-1', { ...modify, userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.8' }, undefined],
  ];
  for (const [line, event, want] of cases) assert.equal(commandRank(line, event), want, `${line} (${event.userAgent ?? 'no userAgent'})`);
});
