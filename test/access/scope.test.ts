// The pure scope logic: addresses resolved through state, statements per type, the packed limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { StateInstance } from '../../server/src/model';
import { packSessionPolicy, resolveScope, scopableTypes, ScopeError, scopeStatements, scopeWriteActions } from '../../server/src/access/scope';

const ARN = 'arn:aws:ec2:us-east-1:123456789012';
function inst(address: string, type: string, arn?: string, attributes: Record<string, unknown> = {}): StateInstance {
  const m = /^(?:(.*)\.)?([\w-]+)\.([\w-]+)(\[.*\])?$/.exec(address)!;
  return { address, resourceAddress: address.replace(/\[[^\]]*\]$/, ''), type, name: m[3]!, module: m[1] ?? '', attributes: arn ? { arn, ...attributes } : attributes };
}
const STATE = [
  inst('aws_instance.worker', 'aws_instance', `${ARN}:instance/i-2`),
  inst('aws_instance.web', 'aws_instance', `${ARN}:instance/i-1`),
  inst('module.net.aws_security_group.this["db"]', 'aws_security_group', `${ARN}:security-group/sg-1`),
  inst('aws_iam_role.app', 'aws_iam_role', 'arn:aws:iam::123456789012:role/app'),
  inst('aws_instance.pending', 'aws_instance'),
  inst('aws_instance.pool[0]', 'aws_instance', `${ARN}:instance/i-3`),
  inst('aws_nat_gateway.out', 'aws_nat_gateway', `${ARN}:natgateway/nat-1`),
  inst('aws_s3_bucket.logs', 'aws_s3_bucket', 'arn:aws:s3:::logs', { bucket: 'logs' }),
  inst('aws_s3_bucket_versioning.logs', 'aws_s3_bucket_versioning', undefined, { bucket: 'logs' }),
  inst('aws_s3_bucket_policy.logs', 'aws_s3_bucket_policy', undefined, { bucket: 'logs' }),
];

test('addresses resolve to their live ARNs; bad ones are refused with one line naming them', () => {
  assert.deepEqual(resolveScope(['aws_instance.worker', 'module.net.aws_security_group.this["db"]'], STATE), [
    { address: 'aws_instance.worker', type: 'aws_instance', arn: `${ARN}:instance/i-2` },
    { address: 'module.net.aws_security_group.this["db"]', type: 'aws_security_group', arn: `${ARN}:security-group/sg-1` },
  ]);
  const cases: [string, RegExp][] = [
    ['aws_instance.nope', /^aws_instance\.nope: not in state/],
    ['module.app.aws_instance.x', /^module\.app\.aws_instance\.x: module instance module\.app does not exist in state$/],
    ['module.net["a"].aws_vpc.x', /module instance module\.net\["a"\] does not exist/],
    ['aws_instance.pool', /has several instances; name one of aws_instance\.pool\[0\]/],
    ['aws_nat_gateway.out', /type aws_nat_gateway cannot be scoped yet/],
    ['aws_instance.pending', /^aws_instance\.pending: not created yet \(state records no ARN.*type-level actions/],
  ];
  for (const [address, message] of cases) {
    assert.throws(() => resolveScope([address], STATE), (e: Error) => e instanceof ScopeError && message.test(e.message) && !e.message.includes('\n'), address);
  }
});

test('one statement per type with its write actions on its ARNs, reads on *', () => {
  const statements = scopeStatements(resolveScope(['aws_instance.worker', 'aws_instance.web', 'module.net.aws_security_group.this["db"]'], STATE));
  assert.equal(statements.length, 3);
  assert.deepEqual(statements[0]!.Resource, [`${ARN}:instance/i-1`, `${ARN}:instance/i-2`]);
  assert.ok(statements[0]!.Action.includes('ec2:ModifyInstanceAttribute') && statements[0]!.Action.includes('ec2:StopInstances'));
  assert.ok(!statements[0]!.Action.some((a) => a.includes('*')), 'no wildcard write actions');
  assert.ok(statements[1]!.Action.includes('ec2:AuthorizeSecurityGroupIngress'));
  assert.deepEqual(statements[2], { Effect: 'Allow', Action: ['ec2:Describe*'], Resource: ['*'] });
});

test('packing: compact JSON within the budget, refused (not widened) beyond it', () => {
  const text = packSessionPolicy(scopeStatements(resolveScope(['aws_instance.worker'], STATE)));
  assert.ok(!/\s/.test(text), 'compact');
  assert.equal(JSON.parse(text).Version, '2012-10-17');
  const many = Array.from({ length: 200 }, (_, i) => ({ address: `aws_instance.w[${i}]`, type: 'aws_instance', arn: `${ARN}:instance/i-${i}` }));
  assert.throws(() => packSessionPolicy(scopeStatements(many)), /200 resources.*over the 2048/);
  assert.throws(() => packSessionPolicy(scopeStatements(many.slice(0, 2)), 100), ScopeError);
});

test('every type\'s revert writer calls only actions its scope allows (the writers and the scope table agree)', () => {
  const dir = path.resolve(__dirname, '../../../server/src/cloud/types');
  const checked: string[] = [];
  for (const type of scopableTypes()) {
    const file = path.join(dir, `${type}.ts`);
    const source = readFileSync(file, 'utf8');
    // Writes through the shared helpers: EC2 tags (common.ts), security-group rules, route tables, ACL entries.
    const calls = [...source.matchAll(/gate\.call\('([a-z0-9-]+:[A-Za-z]+)'/g)].map((m) => m[1]!).filter((a) => !/:(Get|List|Describe)/.test(a));
    const allowed = new Set(scopeWriteActions(type));
    // S3's API names differ from its IAM actions in two places (AWS's S3 action mapping).
    const iamName: Record<string, string> = { 's3:DeleteBucketTagging': 's3:PutBucketTagging', 's3:PutPublicAccessBlock': 's3:PutBucketPublicAccessBlock', 's3:PutBucketEncryption': 's3:PutEncryptionConfiguration', 's3:PutBucketCors': 's3:PutBucketCORS' };
    for (const call of calls) assert.ok(allowed.has(iamName[call] ?? call), `${type}: its writer calls ${call}, which its scope does not allow`);
    checked.push(type);
  }
  assert.ok(readdirSync(dir).length > checked.length && checked.length >= 20, `checked ${checked.length} types`);
});

test('S3 sub-resources act on their bucket: one statement per bucket ARN with every action they need, never on objects', () => {
  const scope = resolveScope(['aws_s3_bucket_versioning.logs', 'aws_s3_bucket_policy.logs'], STATE);
  assert.deepEqual(scope.map((r) => r.arn), ['arn:aws:s3:::logs', 'arn:aws:s3:::logs']);
  const statements = scopeStatements(scope);
  assert.equal(statements.length, 2);
  assert.deepEqual(statements[0]!.Resource, ['arn:aws:s3:::logs']);
  assert.ok(['s3:PutBucketVersioning', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'].every((a) => statements[0]!.Action.includes(a)));
  assert.ok(!statements.some((s) => s.Resource.some((r) => r.includes('/'))), 'no object ARNs');
  assert.deepEqual(statements[1], { Effect: 'Allow', Action: ['s3:ListAllMyBuckets'], Resource: ['*'] });
});

test('a tags-only scope allows only the type\'s tag actions; a type without tags cannot be tags-only', () => {
  const scope = resolveScope([{ address: 'aws_instance.worker', tagsOnly: true }, 'aws_instance.web'], STATE);
  const statements = scopeStatements(scope);
  assert.deepEqual(statements[0], { Effect: 'Allow', Action: ['ec2:CreateTags', 'ec2:DeleteTags'], Resource: [`${ARN}:instance/i-2`] });
  assert.ok(statements[1]!.Action.includes('ec2:ModifyInstanceAttribute') && statements[1]!.Resource.length === 1);
  assert.throws(() => resolveScope([{ address: 'aws_s3_bucket_versioning.logs', tagsOnly: true }], STATE), /has no tags/);
});

test('200 resources: packs when the policy fits (same actions share one statement), refused otherwise, never widened', () => {
  // 200 security groups' worth of ARNs cannot fit 2,048 characters without wildcards: refused.
  const many = Array.from({ length: 200 }, (_, i) => ({ address: `aws_security_group.g[${i}]`, type: 'aws_security_group', arn: `${ARN}:security-group/sg-${String(i).padStart(17, '0')}` }));
  assert.throws(() => packSessionPolicy(scopeStatements(many)), (e: Error) => e instanceof ScopeError && /^the scope \(200 resources\) needs a \d+-character session policy, over the 2048/.test(e.message));
  // 15 of them fit: every ARN appears exactly once, no ARN or write action is a wildcard.
  const text = packSessionPolicy(scopeStatements(many.slice(0, 15)));
  assert.ok(text.length <= 2048);
  const policy = JSON.parse(text) as { Statement: { Action: string[]; Resource: string[] }[] };
  assert.deepEqual(policy.Statement[0]!.Resource, many.slice(0, 15).map((r) => r.arn));
  assert.ok(policy.Statement.every((s) => s.Resource.every((r) => r === '*' ? s.Action.every((a) => a.startsWith('ec2:Describe')) : !r.includes('*'))));
});
