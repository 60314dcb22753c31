// Guardrail rules as tables: which change breaks which rule of examples/demo's guardrails, how
// drifts and declared code become changes, and how a broken rule file is reported (file:line:column).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PolicyError } from '../../server/src/access/policy';
import { changesFromDrift, GuardrailChange, NetRule } from '../../server/src/guardrails/changes';
import { codeFindings } from '../../server/src/guardrails/code-check';
import { compileGuardrails, evaluateChange } from '../../server/src/guardrails/guardrails';
import { GUARDRAIL_SCHEMA } from '../../server/src/guardrails/schema';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import type { Drift } from '../../server/src/model';
import { rootFilesOf } from '../../server/src/app/root-module';
import { repoRoot } from '../support/lsp-client';

const DEMO = path.join(repoRoot, 'examples/demo');
const FILE = path.join(DEMO, '.tidemark/guardrails.cedar');
const guardrails = compileGuardrails(readFileSync(FILE, 'utf8'), 'guardrails.cedar');

const grant = { id: 'g-42', requester: 'alice', role: 'prod-operator' };
const rule = (over: Partial<NetRule>): NetRule => ({ direction: 'ingress', protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'], ipv6CidrBlocks: [], ...over });
const change = (over: Partial<GuardrailChange>): GuardrailChange => ({
  source: 'live', eventName: 'unknown', resourceType: 'aws_security_group', address: 'aws_security_group.web',
  attribute: 'ingress', path: 'ingress', value: {}, removed: false, actor: 'alice', ...over,
});

test('the schema shipped in examples/demo is the one the engine validates against', () => {
  assert.equal(readFileSync(path.join(DEMO, '.tidemark/guardrails.cedarschema'), 'utf8'), GUARDRAIL_SCHEMA);
});

const table: Array<[string, GuardrailChange, string[]]> = [
  ['ssh from anywhere, even under an approved grant', change({ rule: rule({}), grant, eventName: 'ec2:AuthorizeSecurityGroupIngress' }), ['no-world-ssh']],
  ['ssh from the office range', change({ rule: rule({ cidrBlocks: ['10.0.0.0/8'] }) }), []],
  ['a port range that includes 22', change({ rule: rule({ fromPort: 20, toPort: 25 }) }), ['no-world-ssh']],
  ['all traffic from anywhere', change({ rule: rule({ protocol: '-1', fromPort: 0, toPort: 65535 }) }), ['no-world-ssh']],
  ['udp 22 from anywhere', change({ rule: rule({ protocol: 'udp' }) }), []],
  ['ssh from anywhere over IPv6', change({ rule: rule({ cidrBlocks: [], ipv6CidrBlocks: ['::/0'] }) }), ['no-world-ssh']],
  ['egress to anywhere on 22', change({ attribute: 'egress', rule: rule({ direction: 'egress' }) }), []],
  ['https from anywhere', change({ rule: rule({ fromPort: 443, toPort: 443 }) }), []],
  ['public access block switched off', change({ resourceType: 'aws_s3_bucket_public_access_block', address: 'aws_s3_bucket_public_access_block.assets', attribute: 'block_public_acls', path: 'block_public_acls', value: false }), ['keep-public-access-block']],
  ['public access block on', change({ resourceType: 'aws_s3_bucket_public_access_block', address: 'aws_s3_bucket_public_access_block.assets', attribute: 'block_public_acls', path: 'block_public_acls', value: true }), []],
  ['DeletePublicAccessBlock', change({ resourceType: 'aws_s3_bucket_public_access_block', eventName: 's3:DeletePublicAccessBlock', attribute: '', path: '', value: null, removed: true }), ['keep-public-access-block']],
  ['DeleteBucketEncryption', change({ resourceType: 'aws_s3_bucket_server_side_encryption_configuration', eventName: 's3:DeleteBucketEncryption', attribute: 'rule', path: 'rule', value: null, removed: true }), ['keep-bucket-encryption']],
  ['encryption configuration gone', change({ resourceType: 'aws_s3_bucket_server_side_encryption_configuration', attribute: '', path: '', value: null, removed: true }), ['keep-bucket-encryption']],
  ['encryption switched to KMS', change({ resourceType: 'aws_s3_bucket_server_side_encryption_configuration', attribute: 'rule', path: 'rule', value: [{ sse_algorithm: 'aws:kms' }] }), []],
  ['an instance resized', change({ resourceType: 'aws_instance', address: 'aws_instance.web', attribute: 'instance_type', path: 'instance_type', value: 't3.xlarge' }), []],
];

for (const [name, c, rules] of table) {
  test(`guardrails: ${name} → ${rules.join(', ') || 'allowed'}`, () => {
    const r = evaluateChange(guardrails, c);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.violations.map((v) => v.rule), rules);
  });
}

test('a violation says which rule, what changed and under which grant; @onViolation is carried', () => {
  const [v] = evaluateChange(guardrails, change({ rule: rule({}), grant })).violations;
  assert.equal(v?.message, 'guardrail no-world-ssh: SSH (port 22) must not be open to 0.0.0.0/0 or ::/0: aws_security_group.web: ingress tcp 22 from 0.0.0.0/0 (under grant g-42 by alice)');
  assert.equal(v?.onViolation, 'revert');
  const [enc] = evaluateChange(guardrails, change({ resourceType: 'aws_s3_bucket_server_side_encryption_configuration', removed: true, attribute: '', path: '' })).violations;
  assert.equal(enc?.onViolation, 'alert');
});

const range = { start: { line: 109, character: 2 }, end: { line: 109, character: 9 } };
const sgDrift = (live: unknown[]): Drift => ({
  address: 'aws_security_group.web', file: path.join(DEMO, 'network.tf'), attributePath: ['ingress'], kind: 'changed', confidence: 'proven',
  resourceType: 'aws_security_group', range,
  declared: [{ protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: ['0.0.0.0/0'] }, { protocol: 'tcp', from_port: 80, to_port: 80, cidr_blocks: ['0.0.0.0/0'] }],
  live,
  attribution: { class: 'active-grant', grantId: 'g-42', actor: 'alice', eventName: 'ec2:AuthorizeSecurityGroupIngress', summary: 'changed by alice under grant g-42' },
});

test('a rule-set drift asks only about the rules live has and the code does not', () => {
  const live = [
    { protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: [] },
    { protocol: 'tcp', from_port: 80, to_port: 80, cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: [] },
    { protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: [] },
  ];
  const changes = changesFromDrift(sgDrift(live), { grantRole: () => 'prod-operator' });
  assert.equal(changes.length, 1);
  assert.deepEqual(changes[0]!.rule, rule({}));
  assert.deepEqual(changes[0]!.grant, grant);
  assert.equal(changes[0]!.eventName, 'ec2:AuthorizeSecurityGroupIngress');
  assert.deepEqual(changesFromDrift(sgDrift(live.slice(0, 2))), []);
});

test('the demo code keeps every guardrail', async () => {
  const files = rootFilesOf(DEMO, await new WorkspaceIndex().addFolder(DEMO));
  const { findings, errors } = codeFindings(guardrails, files);
  assert.deepEqual(errors, []);
  assert.deepEqual(findings, []);
});

const broken: Array<[string, string, RegExp]> = [
  ['a missing semicolon', 'forbid (principal, action, resource)\nwhen { context.removed }\n\nforbid (principal, action, resource);', /^g\.cedar:4:8: .*unexpected token/],
  ['an attribute the schema does not have', '// rules\nforbid (principal, action, resource)\nwhen { context.port == 22 };', /^g\.cedar:3:8: .*attribute `port`/],
  ['an optional attribute used without `has`', 'forbid (principal, action, resource)\nwhen { context.grant.role == "admin" };', /^g\.cedar:2:8: .*grant/],
  ['an unknown @onViolation', '@id("x")\nforbid (principal, action, resource) when { context.removed };\n\n@onViolation("explode")\nforbid (principal, action, resource) when { context.removed };', /^g\.cedar:4:1: @onViolation must be "revert" or "alert", not "explode"$/],
];

for (const [name, text, expected] of broken) {
  test(`a guardrail file with ${name} is an error at file:line:column`, () => {
    assert.throws(() => compileGuardrails(text, 'g.cedar'), (error: unknown) => {
      assert.ok(error instanceof PolicyError);
      assert.match(error.message, expected);
      return true;
    });
  });
}
