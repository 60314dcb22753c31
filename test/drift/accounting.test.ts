// Nothing skipped silently: each state instance is checked, unknown, or listed with one reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountForState, ModuleCall, withBlockReason } from '../../server/src/drift/accounting';
import type { StateInstance } from '../../server/src/model';
import type { NotChecked } from '../../server/src/drift/snapshot';

function inst(address: string): StateInstance {
  const m = /^((?:module\.[\w-]+(?:\[[^\]]+\])?\.)*)([\w-]+)\.([\w-]+)(\[[^\]]+\])?$/.exec(address)!;
  const module = m[1].replace(/\.$/, '');
  const resourceAddress = `${m[1]}${m[2]}.${m[3]}`;
  const key = m[4] ? JSON.parse(m[4].slice(1, -1)) as string | number : undefined;
  return { address, resourceAddress, type: m[2], name: m[3], module, indexKey: key, attributes: {} };
}

const calls = (...list: ModuleCall[]) => new Map(list.map((c) => [c.name, c]));

const cases: Array<{ name: string; instance: string; notChecked?: NotChecked[]; declared?: string[]; calls?: Map<string, ModuleCall>; reason: RegExp }> = [
  { name: 'a local module that exists', instance: 'module.worker.aws_instance.this[0]', calls: calls({ name: 'worker', source: './modules/worker', installed: true }), reason: /^in state, but not in the configuration of module `worker` \(\.\/modules\/worker\) \(terraform apply would destroy it\)$/ },
  { name: 'a registry module not installed', instance: 'module.vpc.aws_vpc.this[0]', calls: calls({ name: 'vpc', source: 'terraform-aws-modules/vpc/aws', installed: false }), reason: /^module `vpc` is not installed: run `terraform init`$/ },
  { name: 'a local module whose folder is gone', instance: 'module.net.aws_subnet.a', calls: calls({ name: 'net', source: './net', installed: false }), reason: /^module `net`: source \.\/net does not exist$/ },
  { name: 'a nested module instance, by its root call', instance: 'module.app["blue"].module.inner.aws_iam_role.this', calls: calls({ name: 'app', source: './app', installed: true }), reason: /^in state, but not in the configuration of module `app` \(\.\/app\)/ },
  { name: 'a module call removed from the configuration', instance: 'module.old.aws_instance.this', reason: /^module `old` is no longer in the configuration/ },
  { name: 'a root resource removed from the configuration', instance: 'aws_instance.gone', reason: /^in state but not in the configuration/ },
  { name: 'a block-level reason spelled out per instance', instance: 'aws_foo.x[1]', declared: ['aws_foo.x'], notChecked: [{ address: 'aws_foo.x', type: 'aws_foo', reason: 'resource type aws_foo is not supported by Tidemark' }], reason: /^resource type aws_foo is not supported/ },
];

for (const c of cases) {
  test(`accounting: ${c.name}`, () => {
    const { notChecked, account } = accountForState({
      instances: [inst(c.instance), inst('aws_vpc.main')],
      checked: new Set(['aws_vpc.main']),
      unknown: new Set(),
      notChecked: c.notChecked ?? [],
      declared: new Set(['aws_vpc.main', ...(c.declared ?? [])]),
      moduleCalls: c.calls ?? new Map(),
    });
    assert.deepEqual(notChecked.map((n) => n.address), [c.instance]);
    assert.match(notChecked[0].reason, c.reason);
    assert.deepEqual(account, { inState: 2, checked: 1, unknown: 0, notChecked: 1 });
  });
}

test('accounting: the counts add up; unknown reads are counted once; configuration-only entries stay', () => {
  const instances = ['aws_vpc.main', 'aws_subnet.a["x"]', 'aws_subnet.a["y"]', 'aws_s3_bucket.logs'].map(inst);
  const { notChecked, account } = accountForState({
    instances,
    checked: new Set(['aws_vpc.main', 'aws_subnet.a["x"]']),
    unknown: new Set(['aws_s3_bucket.logs']),
    notChecked: [
      { address: 'aws_subnet.a["y"]', type: 'aws_subnet', reason: 'in state but no longer declared by count/for_each (terraform apply would destroy it)' },
      { address: 'aws_subnet.a["y"]', type: 'aws_subnet', reason: 'duplicate from the reader' },
      { address: 'aws_instance.new', type: 'aws_instance', reason: 'not in Terraform state (not applied yet?)' },
    ],
    declared: new Set(['aws_vpc.main', 'aws_subnet.a', 'aws_s3_bucket.logs', 'aws_instance.new']),
    moduleCalls: new Map(),
  });
  assert.deepEqual(account, { inState: 4, checked: 2, unknown: 1, notChecked: 1 });
  assert.equal(account.checked + account.unknown + account.notChecked, account.inState);
  assert.deepEqual(notChecked.map((n) => `${n.address}: ${n.reason}`), [
    'aws_instance.new: not in Terraform state (not applied yet?)',
    'aws_subnet.a["y"]: in state but no longer declared by count/for_each (terraform apply would destroy it)',
  ]);
});

test('a block with a syntax error: its instances carry that reason, no other', () => {
  const before: NotChecked[] = [{ address: 'aws_instance.web[0]', type: 'aws_instance', reason: 'in state but not in the configuration (terraform apply would destroy it)' }];
  assert.deepEqual(withBlockReason(before, 'aws_instance.web', 'aws_instance', 'syntax error in main.tf').map((n) => `${n.address}: ${n.reason}`), ['aws_instance.web[0]: syntax error in main.tf']);
  assert.deepEqual(withBlockReason([], 'aws_instance.web', 'aws_instance', 'syntax error in main.tf').map((n) => n.address), ['aws_instance.web']);
});
