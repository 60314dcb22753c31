import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseState, StateError, StateIndex } from '../../server/src/state/parse-state';
import { findS3Backend, stateKey } from '../../server/src/state/s3-backend';
import { parseHclFile } from '../../server/src/hcl/parse-file';

const V4 = JSON.stringify({
  version: 4, terraform_version: '1.9.0', serial: 3, lineage: 'l',
  resources: [
    { mode: 'managed', type: 'aws_instance', name: 'web', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [
      { index_key: 0, attributes: { id: 'i-0', arn: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0' } },
      { index_key: 1, attributes: { id: 'i-1' } },
    ] },
    { mode: 'managed', type: 'aws_subnet', name: 's', each: 'map', instances: [{ index_key: 'a', attributes: { id: 'subnet-a' } }] },
    { mode: 'data', type: 'aws_ami', name: 'x', instances: [{ attributes: { id: 'ami-1' } }] },
    { module: 'module.net', mode: 'managed', type: 'aws_vpc', name: 'main', instances: [{ attributes: { id: 'vpc-1', owner_id: '222222222222' } }, { deposed: 'abc', attributes: { id: 'vpc-old' } }] },
  ],
});

test('state v4: instance addresses for count, for_each, modules; data sources and deposed objects skipped', () => {
  const s = parseState('terraform.tfstate', V4);
  assert.deepEqual(s.instances.map((i) => i.address), ['aws_instance.web[0]', 'aws_instance.web[1]', 'aws_subnet.s["a"]', 'module.net.aws_vpc.main']);
  const idx = new StateIndex(s.instances);
  assert.equal(idx.instancesOf('aws_instance.web').length, 2);
  assert.equal(idx.get('aws_subnet.s["a"]')?.attributes.id, 'subnet-a');
  assert.deepEqual([...idx.accounts()].sort(), ['111111111111', '222222222222']);
});

test('state: v3, garbage and malformed resources give one clear error naming the source', () => {
  assert.throws(() => parseState('old.tfstate', JSON.stringify({ version: 3, modules: [] })), (e: Error) => e instanceof StateError && /old\.tfstate: state format version 3 is not supported/.test(e.message));
  assert.throws(() => parseState('x.tfstate', 'not json {'), /x\.tfstate: not a Terraform state file \(invalid JSON/);
  assert.throws(() => parseState('x.tfstate', '[]'), /expected a JSON object/);
  assert.throws(() => parseState('x.tfstate', JSON.stringify({ version: 4, resources: [{ type: 'aws_vpc', name: 'a', instances: [{}] }] })), /resources\[0\] \(aws_vpc\.a\): instance has no "attributes"/);
});

test('S3 backend block: literal values, workspace keys, clear errors', async () => {
  const f = await parseHclFile('/ws/backend.tf', 'terraform {\n  backend "s3" {\n    bucket = "tf-state"\n    key    = "demo/terraform.tfstate"\n    region = "eu-west-1"\n  }\n}\n');
  const b = findS3Backend([f])!;
  assert.deepEqual([b.bucket, b.key, b.region, b.workspaceKeyPrefix], ['tf-state', 'demo/terraform.tfstate', 'eu-west-1', 'env:']);
  assert.equal(stateKey(b, 'default'), 'demo/terraform.tfstate');
  assert.equal(stateKey(b, 'staging'), 'env:/staging/demo/terraform.tfstate');
  const partial = await parseHclFile('/ws/b.tf', 'terraform {\n  backend "s3" {}\n}\n');
  assert.throws(() => findS3Backend([partial]), /\/ws\/b\.tf:2: backend "s3" needs bucket and key/);
});
