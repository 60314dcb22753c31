// The pure parts of --scope-from-diff and --scope-from-plan: diff hunks → changed lines, lines →
// resource blocks (tags-only when every changed line is in `tags`), blocks → module instances, plans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateInstance } from '../../server/src/model';
import { parseHclFile } from '../../server/src/hcl/parse-file';
import { changedLines, instancesOfBlock, modulePath, scopeFromPlan, touchedResourceBlocks } from '../../server/src/access/scope-diff';
import { ScopeError } from '../../server/src/access/scope';

test('changed lines of the new side, a pure deletion marks the line it follows, deleted files are skipped', () => {
  const diff = [
    'diff --git a/main.tf b/main.tf', '--- a/main.tf', '+++ b/main.tf',
    '@@ -3 +3 @@', '-a', '+b',
    '@@ -10,2 +9,0 @@', '-x', '-y',
    '@@ -20,0 +21,3 @@', '+p', '+q', '+r',
    'diff --git a/old.tf b/old.tf', '--- a/old.tf', '+++ /dev/null', '@@ -1,3 +0,0 @@', '-gone',
  ].join('\n');
  assert.deepEqual([...changedLines(diff)], [['main.tf', [3, 9, 21, 22, 23]]]);
});

test('blocks touched by changed lines; tags-only when every changed line is inside tags', async () => {
  const text = [
    'resource "aws_instance" "web" {', '  instance_type = "t3.micro"', '  tags = {', '    Team = "web"', '  }', '}',
    'variable "x" {', '  default = 1', '}',
    'resource "aws_security_group" "db" {', '  name = "db"', '}',
  ].join('\n');
  const { blocks } = await parseHclFile('/w/main.tf', text);
  const tagsOnly = touchedResourceBlocks(blocks, [4]);
  assert.deepEqual(tagsOnly.map((t) => [t.block.address, t.startLine, t.endLine, t.tagsOnly]), [['aws_instance.web', 4, 4, true]]);
  const both = touchedResourceBlocks(blocks, [2, 4, 8, 11]);
  assert.deepEqual(both.map((t) => [t.block.address, t.startLine, t.endLine, t.tagsOnly]), [['aws_instance.web', 2, 4, false], ['aws_security_group.db', 11, 11, false]]);
});

test('a block in a module directory is every instance of that module in state; a block not in state is not created yet', async () => {
  const inst = (address: string, module: string): StateInstance => ({ address, resourceAddress: address.replace(/\[[^\]]*\]$/, ''), type: 'aws_security_group', name: 'this', module, attributes: { arn: `arn:aws:ec2:us-east-1:1:security-group/${address}` } });
  const state = [inst('module.net["a"].aws_security_group.this["db"]', 'module.net["a"]'), inst('module.net["b"].aws_security_group.this["db"]', 'module.net["b"]'), inst('aws_security_group.this', '')];
  assert.equal(modulePath('module.net["a"].module.db[0]'), 'module.net.module.db');
  const { blocks } = await parseHclFile('/w/modules/net/main.tf', 'resource "aws_security_group" "this" {\n  name = "x"\n}\n');
  assert.deepEqual(instancesOfBlock(blocks[0]!, ['module.net'], state).map((i) => i.address), ['module.net["a"].aws_security_group.this["db"]', 'module.net["b"].aws_security_group.this["db"]']);
  assert.throws(() => instancesOfBlock(blocks[0]!, ['module.other'], state), (e: Error) => e instanceof ScopeError && /^module\.other\.aws_security_group\.this: not created yet/.test(e.message));
});

test('a plan: in-place updates (tags-only when only tags change), no-ops and reads skipped; creates, destroys, other workspaces refused', () => {
  const state: StateInstance[] = [
    { address: 'aws_instance.web', resourceAddress: 'aws_instance.web', type: 'aws_instance', name: 'web', module: '', attributes: { id: 'i-1', arn: 'arn:aws:ec2:us-east-1:1:instance/i-1' } },
  ];
  const plan = (change: object) => JSON.stringify({ format_version: '1.2', resource_changes: [{ address: 'aws_instance.web', mode: 'managed', type: 'aws_instance', change }] });
  assert.deepEqual(scopeFromPlan(plan({ actions: ['update'], before: { id: 'i-1', tags: { a: '1' } }, after: { id: 'i-1', tags: { a: '2' } }, after_unknown: { tags_all: true } }), 'p.json', state, 'the state'),
    [{ address: 'aws_instance.web', tagsOnly: true, origin: { kind: 'plan', actions: ['update'] } }]);
  assert.equal(scopeFromPlan(plan({ actions: ['update'], before: { id: 'i-1', instance_type: 'a' }, after: { id: 'i-1', instance_type: 'b' } }), 'p.json', state, 'the state')[0]!.tagsOnly, false);
  const refusals: Array<[string, RegExp]> = [
    [plan({ actions: ['no-op'], before: { id: 'i-1' }, after: { id: 'i-1' } }), /^p\.json: the plan changes no existing resource in place/],
    [plan({ actions: ['delete', 'create'], before: { id: 'i-1' }, after: {} }), /^aws_instance\.web: the plan replaces it/],
    [plan({ actions: ['delete'], before: { id: 'i-1' }, after: null }), /^aws_instance\.web: the plan destroys it/],
    [plan({ actions: ['update'], before: { id: 'i-9' }, after: { id: 'i-9' } }), /^p\.json: the plan changes aws_instance\.web \(i-9\), which the state records as i-1/],
    ['{"format_version": "1.2"', /^p\.json: not a JSON plan/],
    ['{"version": 4, "resources": []}', /^p\.json: not a `terraform show -json` plan/],
  ];
  for (const [text, message] of refusals) assert.throws(() => scopeFromPlan(text, 'p.json', state, 'the state'), (e: Error) => e instanceof ScopeError && message.test(e.message) && !e.message.includes('\n'), String(message));
});
