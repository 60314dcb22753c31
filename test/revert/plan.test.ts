// Auto-revert decisions as tables: the `revert:` config, which step each change becomes, and what a
// planned step does against a fresh read. Pure: no cloud, no ledger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { LiveEntry } from '../../server/src/drift/snapshot';
import type { Drift } from '../../server/src/model';
import { parseRevertConfig, RevertConfig } from '../../server/src/revert/config';
import { actionFor, confirmStep, planRevert, recheckStep, ResourceNow, StepView } from '../../server/src/revert/plan';

const FILE = '.tidemark/config.yaml';
const NOW = new Date('2026-11-25T10:00:00Z');

test('revert config: defaults, rules, durations', () => {
  assert.deepEqual(parseRevertConfig('users: []\nroles: {}\n', FILE), { default: { kind: 'revert' }, rules: [], settleSeconds: 0 });
  const c = parseRevertConfig([
    'roles: {}',
    'revert:',
    '  default: alert-only',
    '  settle: 15m',
    '  rules:',
    '    - type: aws_instance',
    '      action: keep-if-adopted-within 2h',
    '    - tags: { Critical: "true" }',
    '      action: alert-only',
    '    - address: aws_security_group.web',
    '      tags: { Env: "*" }',
    '      action: revert',
  ].join('\n'), FILE);
  assert.deepEqual(c.default, { kind: 'alert-only' });
  assert.equal(c.settleSeconds, 900);
  assert.deepEqual(c.rules.map((r) => [r.type, r.address, r.tags, r.action, r.where]), [
    ['aws_instance', undefined, undefined, { kind: 'keep-if-adopted-within', seconds: 7200 }, `${FILE}:6:7`],
    [undefined, undefined, { Critical: 'true' }, { kind: 'alert-only' }, `${FILE}:8:7`],
    [undefined, 'aws_security_group.web', { Env: '*' }, { kind: 'revert' }, `${FILE}:10:7`],
  ]);
});

test('revert config: every mistake names file:line:column and the field', () => {
  const cases: Array<[string, RegExp]> = [
    ['revert: [1]', /config\.yaml:1:9: revert must be a mapping/],
    ['revert:\n  default: undo', /:2:12: revert\.default 'undo' must be revert, alert-only or keep-if-adopted-within <duration>/],
    ['revert:\n  rules:\n    - type: aws_vpc\n      action: keep-if-adopted-within soon', /:4:15: revert\.rules\[0\]\.action 'keep-if-adopted-within soon'/],
    ['revert:\n  rules:\n    - type: aws_vpc', /:3:7: revert\.rules\[0\] is missing 'action'/],
    ['revert:\n  rules:\n    - action: revert', /:3:7: revert\.rules\[0\] needs at least one of type, address, tags/],
    ['revert:\n  rules:\n    - type: aws_vpc\n      atcion: revert', /:4:7: revert\.rules\[0\]\.atcion is not a rule field/],
    ['revert:\n  rules: {}', /:2:10: revert\.rules must be a list/],
    ['revert:\n  rules:\n    - tags: [a]\n      action: revert', /:3:13: revert\.rules\[0\]\.tags must be a mapping/],
    ['revert:\n  settle: later', /:2:11: revert\.settle 'later' is not a duration/],
    ['revert:\n  defualt: revert', /:2:3: revert\.defualt is not a setting/],
    ['revert:\n  default: [', /config\.yaml:\d+:\d+: /],
  ];
  for (const [text, expected] of cases) assert.throws(() => parseRevertConfig(text, FILE), expected, text);
});

const CONFIG: RevertConfig = parseRevertConfig([
  'revert:',
  '  rules:',
  '    - type: aws_instance',
  '      action: keep-if-adopted-within 1h',
  '    - tags: { Critical: "yes" }',
  '      action: alert-only',
].join('\n'), FILE);

test('policy: first matching rule by type, address or tags, else the default', () => {
  const cases: Array<[{ type: string; address: string; tags: Record<string, string> }, string]> = [
    [{ type: 'aws_instance', address: 'aws_instance.web', tags: { Critical: 'yes' } }, 'keep-if-adopted-within'],
    [{ type: 'aws_security_group', address: 'aws_security_group.web', tags: { Critical: 'yes' } }, 'alert-only'],
    [{ type: 'aws_security_group', address: 'aws_security_group.web', tags: { Critical: 'no' } }, 'revert'],
    [{ type: 'aws_security_group', address: 'aws_security_group.web', tags: {} }, 'revert'],
  ];
  for (const [resource, kind] of cases) assert.equal(actionFor(CONFIG, resource).action.kind, kind, JSON.stringify(resource));
  const byAddress = parseRevertConfig('revert:\n  rules:\n    - address: aws_instance.web\n      action: alert-only', FILE);
  assert.equal(actionFor(byAddress, { type: 'aws_instance', address: 'aws_instance.web[1]', tags: {} }).action.kind, 'alert-only');
  assert.equal(actionFor(byAddress, { type: 'aws_instance', address: 'aws_instance.webserver', tags: {} }).action.kind, 'revert');
});

const RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
function drift(address: string, path: string[], declared: unknown, live: unknown, extra: Partial<Drift> = {}): Drift {
  return { address, file: '/ws/main.tf', attributePath: path, declared, live, range: RANGE, kind: 'changed', confidence: 'proven', resourceType: address.split('.')[0], ...extra };
}
const found = (type: string, tags: Record<string, string> = {}): ResourceNow => ({ type, status: 'found', liveId: `${type}-id`, tags });
const OPEN_22 = [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }];

test('plan: one step per changed attribute, policies applied, adopted/ignored/unreadable recorded', () => {
  const plan = planRevert({
    grantId: 'g-1',
    changed: [
      { address: 'aws_security_group.web', attributePaths: [['ingress']] },
      { address: 'aws_instance.web', attributePaths: [['instance_type'], ['monitoring']] },
      { address: 'aws_instance.worker', attributePaths: [['instance_type']] },
      { address: 'aws_s3_bucket.assets', attributePaths: [] },
      { address: 'aws_s3_bucket.logs', attributePaths: [['tags']] },
      { address: 'aws_vpc.main', attributePaths: [['enable_dns_hostnames']] },
      { address: 'aws_subnet.a', attributePaths: [['map_public_ip_on_launch']] },
      { address: 'aws_security_group.web', attributePaths: [['ingress']] },
    ],
    drifts: [
      drift('aws_security_group.web', ['ingress'], [], OPEN_22),
      drift('aws_security_group.web', ['tags', 'Owner'], 'team', 'carol'),
      drift('aws_instance.web', ['instance_type'], 't3.micro', 't3.large'),
      drift('aws_s3_bucket.assets', ['tags', 'Env'], 'prod', 'test'),
      drift('aws_s3_bucket.assets', ['tags', 'Critical'], 'yes', 'yes-really', { suppressed: { source: 'comment', reason: 'load test' } }),
      drift('aws_s3_bucket.logs', ['tags', 'Team'], 'a', 'b'),
      drift('aws_subnet.a', ['map_public_ip_on_launch'], true, false, { kind: 'missing-live' }),
    ],
    resources: new Map<string, ResourceNow>([
      ['aws_security_group.web', found('aws_security_group')],
      ['aws_instance.web', found('aws_instance')],
      ['aws_instance.worker', found('aws_instance')],
      ['aws_s3_bucket.assets', found('aws_s3_bucket')],
      ['aws_s3_bucket.logs', found('aws_s3_bucket', { Critical: 'yes' })],
      ['aws_vpc.main', { type: 'aws_vpc', status: 'unknown', tags: {}, reason: 'Throttling' }],
      ['aws_subnet.a', { type: 'aws_subnet', status: 'found', liveId: 'subnet-1', tags: {} }],
    ]),
    config: CONFIG,
    now: NOW,
  });
  const rows = plan.steps.map((s) => [s.address, s.attributePath.join('.'), s.state, s.status, s.dueAt ?? '', s.alert ? 'alert' : '']);
  assert.deepEqual(rows, [
    ['aws_instance.web', 'instance_type', 'planned', 'drifted', '2026-11-25T11:00:00.000Z', ''],
    ['aws_instance.worker', '', 'skipped', 'adopted', '', ''],
    ['aws_s3_bucket.assets', 'tags.Critical', 'skipped', 'ignored', '', ''],
    ['aws_s3_bucket.assets', 'tags.Env', 'planned', 'drifted', NOW.toISOString(), ''],
    ['aws_s3_bucket.logs', 'tags.Team', 'skipped', 'kept', '', 'alert'],
    ['aws_security_group.web', 'ingress', 'planned', 'drifted', NOW.toISOString(), ''],
    ['aws_subnet.a', 'map_public_ip_on_launch', 'failed', 'revert-failed', '', 'alert'],
  ]);
  assert.deepEqual(plan.unreadable, [{ address: 'aws_vpc.main', reason: 'Throttling' }]);
  const sg = plan.steps.find((s) => s.address === 'aws_security_group.web')!;
  assert.deepEqual([sg.expected, sg.target, sg.policy], [OPEN_22, [], 'revert (default)']);
  assert.match(plan.steps.find((s) => s.address === 'aws_instance.web')!.policy, /^keep-if-adopted-within 1h \(\.tidemark\/config\.yaml:3:7\)$/);
  assert.match(plan.steps.find((s) => s.address === 'aws_instance.worker')!.reason, /no drift left on what the grant changed \(instance_type\)/);
});

test('plan: a resource deleted under the grant is an alert, never silence', () => {
  const plan = planRevert({
    grantId: 'g-2', changed: [{ address: 'aws_instance.web', attributePaths: [] }], drifts: [],
    resources: new Map([['aws_instance.web', { type: 'aws_instance', status: 'missing' as const, tags: {}, reason: 'instance i-1 is terminated' }]]),
    config: CONFIG, now: NOW,
  });
  assert.deepEqual(plan.steps.map((s) => [s.state, s.status]), [['failed', 'revert-failed']]);
  assert.match(plan.steps[0].alert!, /g-2: cannot revert: aws_instance.web no longer exists live \(instance i-1 is terminated\)/);
});

const STEP: StepView = { grantId: 'g-1', address: 'aws_security_group.web', resourceType: 'aws_security_group', attributePath: ['ingress'], liveId: 'sg-1', expected: OPEN_22, target: [] };
const entry = (attributes: Record<string, unknown>): LiveEntry => ({ status: 'found', resource: { type: 'aws_security_group', address: STEP.address, id: 'sg-1', attributes, readAt: '' } });

test('recheck: write only while live still equals the planned value; a retry after the write is done', () => {
  const reordered = [...OPEN_22, { from_port: 80, to_port: 80, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'] }];
  const cases: Array<[string, LiveEntry | undefined, Drift | undefined, string]> = [
    ['live unchanged since the plan', entry({ ingress: OPEN_22 }), drift(STEP.address, ['ingress'], [], OPEN_22), 'write'],
    ['changed again by someone else', entry({ ingress: reordered }), drift(STEP.address, ['ingress'], [], reordered), 'finish superseded revert-failed alert'],
    ['already at the declared value (crash after the write)', entry({ ingress: [] }), undefined, 'finish done reverted'],
    ['adopted into code before the step ran', entry({ ingress: OPEN_22 }), undefined, 'finish skipped adopted'],
    ['ignored since', entry({ ingress: OPEN_22 }), drift(STEP.address, ['ingress'], [], OPEN_22, { suppressed: { source: 'config' } }), 'finish skipped ignored'],
    ['unreadable', { status: 'unknown', reason: 'Throttling', readAt: '' }, undefined, 'retry'],
    ['not read at all', undefined, undefined, 'retry'],
    ['deleted', { status: 'missing', id: 'sg-1', reason: 'gone', readAt: '' }, undefined, 'finish failed revert-failed alert'],
  ];
  for (const [name, e, d, expected] of cases) {
    const r = recheckStep(STEP, e, d, RESOURCE_TYPES);
    const got = r.do === 'finish' ? `finish ${r.state} ${r.status}${r.alert ? ' alert' : ''}` : r.do;
    assert.equal(got, expected, name);
  }
  // Sets compare as sets: the same rules in another order are not "changed again".
  const flipped = [...reordered].reverse();
  const planned = { ...STEP, expected: reordered };
  assert.equal(recheckStep(planned, entry({ ingress: flipped }), drift(STEP.address, ['ingress'], [], flipped), RESOURCE_TYPES).do, 'write');
});

test('confirm: done only when a fresh read shows the declared value', () => {
  assert.deepEqual(confirmStep(STEP, entry({ ingress: [] }), undefined).do, 'finish');
  const still = confirmStep(STEP, entry({ ingress: OPEN_22 }), drift(STEP.address, ['ingress'], [], OPEN_22));
  assert.ok(still.do === 'finish' && still.state === 'failed' && still.alert);
  assert.equal(confirmStep(STEP, undefined, undefined).do, 'retry');
});

test('the revert: example documented in examples/demo/.tidemark/config.yaml parses as documented', () => {
  const text = readFileSync(path.resolve(__dirname, '../../../examples/demo/.tidemark/config.yaml'), 'utf8');
  const start = text.split('\n').findIndex((l) => l.startsWith('# revert:'));
  assert.ok(start > 0, 'the file documents a revert: section');
  const block = text.split('\n').slice(start).filter((l) => l.startsWith('#')).map((l) => l.slice(2)).join('\n');
  const c = parseRevertConfig(block, FILE);
  assert.deepEqual(c.rules.map((r) => [r.type ?? r.address ?? Object.keys(r.tags ?? {}).join(), r.action.kind]), [
    ['aws_instance', 'keep-if-adopted-within'], ['Critical', 'alert-only'], ['aws_security_group.web', 'revert'],
  ]);
  assert.equal(c.settleSeconds, 0);
});
