// The pure scope logic: addresses resolved through state, statements per type, the packed limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateInstance } from '../../server/src/model';
import { packSessionPolicy, resolveScope, ScopeError, scopeStatements } from '../../server/src/access/scope';

const ARN = 'arn:aws:ec2:us-east-1:123456789012';
function inst(address: string, type: string, arn?: string): StateInstance {
  const m = /^(?:(.*)\.)?([\w-]+)\.([\w-]+)(\[.*\])?$/.exec(address)!;
  return { address, resourceAddress: address.replace(/\[[^\]]*\]$/, ''), type, name: m[3]!, module: m[1] ?? '', attributes: arn ? { arn } : {} };
}
const STATE = [
  inst('aws_instance.worker', 'aws_instance', `${ARN}:instance/i-2`),
  inst('aws_instance.web', 'aws_instance', `${ARN}:instance/i-1`),
  inst('module.net.aws_security_group.this["db"]', 'aws_security_group', `${ARN}:security-group/sg-1`),
  inst('aws_iam_role.app', 'aws_iam_role', 'arn:aws:iam::123456789012:role/app'),
  inst('aws_instance.pending', 'aws_instance'),
  inst('aws_instance.pool[0]', 'aws_instance', `${ARN}:instance/i-3`),
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
    ['aws_iam_role.app', /type aws_iam_role cannot be scoped yet/],
    ['aws_instance.pending', /state records no ARN/],
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
