import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateSource, Scope } from '../../server/src/drift/expr-eval';
import { normalizePolicy, policiesEqual } from '../../server/src/drift/policy';
import { renderHcl } from '../../server/src/drift/render-hcl';
import { parseExpression } from '../../server/src/drift/expr-parse';
import { isUnknown, Unknown, Value } from '../../server/src/drift/values';
import { isExpired, parseIgnoreComments } from '../../server/src/drift/ignore';
import { ConfigError, parseDriftConfig } from '../../server/src/drift/config';
import { importBlock } from '../../server/src/drift/import-block';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';

const scope: Scope = {
  variable: (n) => ({ env: 'prod', port: 443, tags: { Team: 'core' }, list: ['a', 'b'] } as Record<string, Value>)[n] ?? new Unknown(`var.${n}`),
  local: (n) => (n === 'name' ? 'web' : new Unknown(`local.${n}`)),
  resource: (t, n) => (t === 'aws_vpc' && n === 'main' ? { id: 'vpc-1' } : new Unknown(`${t}.${n}`)),
};

test('expression evaluation table', () => {
  const known: Array<[string, unknown]> = [
    ['"web-${var.env}"', 'web-prod'],
    ['var.port + 1', 444],
    ['aws_vpc.main.id', 'vpc-1'],
    ['merge(var.tags, { Name = local.name })', { Team: 'core', Name: 'web' }],
    ['jsonencode({ a = [1, true, null] })', '{"a":[1,true,null]}'],
    ['var.env == "prod" ? "big" : "small"', 'big'],
    ['"$${literal}"', '${literal}'],
    ['<<-EOT\n    hello ${var.env}\n    EOT', 'hello prod\n'],
    ['upper(format("%s-%d", var.env, 3))', 'PROD-3'],
    ['var.list[1]', 'b'],
    ['join(",", concat(var.list, ["c"]))', 'a,b,c'],
    ['{ "a.b" = 1, c: 2 }', { 'a.b': 1, c: 2 }],
    ['length(toset(["x", "x", "y"]))', 2],
  ];
  for (const [src, want] of known) assert.deepEqual(evaluateSource(src, scope), want, src);
  const unknown = ['var.missing', 'data.aws_ami.x.id', '[for x in var.list : x]', 'templatefile("a.tpl", {})', '"${var.missing}-x"', 'aws_vpc.other.id', 'var.list[*]', '"%{ if true }x%{ endif }"', 'merge(var.missing, {})', '(('];
  for (const src of unknown) assert.ok(isUnknown(evaluateSource(src, scope)), src);
});

test('parseExpression rejects trailing garbage', () => {
  assert.throws(() => parseExpression('"a" "b"'));
});

test('policy normalisation: order, single values, principals, account ids', () => {
  const a = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Principal: { AWS: '123456789012' }, Resource: ['arn:aws:s3:::b/*'] } };
  const b = JSON.stringify({ Statement: [{ Resource: 'arn:aws:s3:::b/*', Principal: { AWS: ['arn:aws:iam::123456789012:root'] }, Action: ['s3:GetObject'], Effect: 'Allow' }], Version: '2012-10-17' });
  assert.ok(policiesEqual(JSON.stringify(a), b));
  assert.ok(!policiesEqual(JSON.stringify(a), b.replace('GetObject', 'PutObject')));
  assert.deepEqual(normalizePolicy('{"Statement":{"Principal":"*","Effect":"Deny","Action":"*"}}'), { Statement: [{ Action: ['*'], Effect: 'Deny', Principal: { AWS: ['*'] } }] });
  assert.equal(normalizePolicy('not json'), undefined);
});

test('renderHcl renders nested values and escapes interpolation', () => {
  assert.equal(renderHcl({ Name: 'a', 'x-y': ['1', 2], 'has space': { z: true } }, 0), '{\n  Name        = "a"\n  x-y         = ["1", 2]\n  "has space" = {\n    z = true\n  }\n}');
  assert.equal(renderHcl('${danger} %{x} "q"\n'), '"$${danger} %%{x} \\"q\\"\\n"');
  assert.equal(renderHcl([]), '[]');
  assert.equal(renderHcl(null), 'null');
});

test('ignore comments: trailing, own line, reason, until, malformed', () => {
  const text = [
    'resource "aws_instance" "a" { # tidemark:ignore reason="legacy box"',
    '  # tidemark:ignore until=2026-12-31',
    '  ami = "x" # not an ignore',
    '  tags = { Note = "# tidemark:ignore inside a string" }',
    '  // tidemark:ignore until=tomorrow',
  ].join('\n');
  const c = parseIgnoreComments(text);
  assert.equal(c.length, 3);
  assert.deepEqual([c[0].line, c[0].ownLine, c[0].reason], [0, false, 'legacy box']);
  assert.deepEqual([c[1].line, c[1].ownLine, c[1].until], [1, true, '2026-12-31']);
  assert.equal(c[2].badUntil, 'tomorrow');
  assert.equal(isExpired('2026-12-31', new Date('2026-12-31T23:00:00Z')), false);
  assert.equal(isExpired('2026-12-31', new Date('2027-01-01T00:00:01Z')), true);
});

test('config: parses rules, rejects bad input naming the field', () => {
  const cfg = parseDriftConfig('.tidemark/config.yaml', 'users: []\ndrift:\n  ignore:\n    - type: aws_instance\n      tag: LastScan\n      until: 2026-12-31\n  severity:\n    - attribute: tags\n      level: hint\n  unmanaged:\n    tags: { Project: demo }\n');
  assert.deepEqual(cfg.ignore[0], { type: 'aws_instance', address: undefined, attribute: 'tags.LastScan', reason: undefined, until: '2026-12-31' });
  assert.deepEqual(cfg.unmanagedTags, { Project: 'demo' });
  assert.throws(() => parseDriftConfig('c.yaml', 'drift:\n  ignore:\n    - reason: x\n'), (e: Error) => e instanceof ConfigError && /drift\.ignore\[0\]/.test(e.message));
  assert.throws(() => parseDriftConfig('c.yaml', 'drift:\n  severity:\n    - level: loud\n'), /drift\.severity\[0\]\.level/);
  assert.throws(() => parseDriftConfig('c.yaml', 'drift: [\n'), /c\.yaml:\d+: yaml/);
});

test('import block for an unmanaged security group', () => {
  const sg = RESOURCE_TYPES.get('aws_security_group')!;
  const text = importBlock({ type: 'aws_security_group', address: '', id: 'sg-9', readAt: '', attributes: { name: 'rogue', description: 'x', tags: { Name: 'rogue sg' }, ingress: [{ protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'] }] } }, sg);
  assert.match(text, /^import \{\n  to = aws_security_group\.rogue_sg\n  id = "sg-9"\n\}/);
  assert.match(text, /  ingress \{\n    protocol +?= "tcp"/);
  assert.match(text, /tags = \{\n    Name = "rogue sg"\n  \}/);
});
