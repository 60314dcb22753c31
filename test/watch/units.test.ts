// Pure parts of the follower: the cursor (overlap bookkeeping, validation), drift transitions, and
// which addresses an event touches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { Drift, StateInstance } from '../../server/src/model';
import { advanceCursor, parseCursor, WatchStateError } from '../../server/src/watch/cursor';
import { ResourceIndex } from '../../server/src/watch/resource-map';
import { transitions } from '../../server/src/watch/transitions';

test('the cursor moves to the newest event and keeps only ids inside the overlap', () => {
  const start = { version: 1 as const, since: '2026-11-25T10:00:00.000Z', seen: { old: '2026-11-25T09:50:00.000Z', near: '2026-11-25T09:58:00.000Z' } };
  const next = advanceCursor(start, [{ eventId: 'e1', at: '2026-11-25T10:02:00.000Z' }, { eventId: 'e0', at: '2026-11-25T10:01:00.000Z' }], 5 * 60_000);
  assert.equal(next.since, '2026-11-25T10:02:00.000Z');
  assert.deepEqual(Object.keys(next.seen).sort(), ['e0', 'e1', 'near']);
  // An event delivered late (older than `since`) never moves the cursor back.
  const late = advanceCursor(next, [{ eventId: 'e-late', at: '2026-11-25T09:59:30.000Z' }], 5 * 60_000);
  assert.equal(late.since, '2026-11-25T10:02:00.000Z');
  assert.ok('e-late' in late.seen);
});

const bad: Array<[string, RegExp]> = [
  ['{', /w\.json: not valid JSON/],
  ['[]', /w\.json: \(root\): expected an object/],
  ['{"version":2,"since":"2026-11-25T10:00:00Z","seen":{}}', /w\.json: version: unsupported version 2/],
  ['{"version":1,"since":"later","seen":{}}', /w\.json: since: expected an ISO time/],
  ['{"version":1,"since":"2026-11-25T10:00:00Z","seen":{"e":1}}', /w\.json: seen: expected an object of event id → ISO time/],
  ['{"version":1,"since":"2026-11-25T10:00:00Z","seen":{},"pending":[{"eventId":"e"}]}', /w\.json: pending: expected a list of change events/],
];
for (const [text, message] of bad) {
  test(`a broken cursor file ${text} names the field`, () => {
    assert.throws(() => parseCursor('w.json', text), (e: unknown) => e instanceof WatchStateError && message.test(e.message));
  });
}

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const drift = (address: string, live: unknown, attribution?: Drift['attribution'], over: Partial<Drift> = {}): Drift => ({
  address, file: '/w/main.tf', attributePath: ['instance_type'], declared: 't3.micro', live, range, kind: 'changed', confidence: 'proven', attribution, ...over,
});
const carol = { class: 'no-grant' as const, actor: 'carol', summary: 'changed by carol' };
const unknown = { class: 'unknown' as const, summary: 'no event yet' };

test('transitions: appeared, attributed, changed again, resolved, and kept when unreadable', () => {
  const first = transitions(new Map(), { drifts: [drift('a', 't3.large', unknown), drift('b', 't3.large', carol), drift('c', 'x', carol, { suppressed: { source: 'comment' } })], unknownAddresses: new Set() });
  assert.deepEqual(first.events.map((e) => [e.kind, e.drift.address]), [['appeared', 'a'], ['appeared', 'b']]);
  const second = transitions(first.current, { drifts: [drift('a', 't3.large', carol), drift('b', 't3.xlarge', carol)], unknownAddresses: new Set() });
  assert.deepEqual(second.events.map((e) => [e.kind, e.drift.address]), [['attributed', 'a'], ['appeared', 'b']]);
  const third = transitions(second.current, { drifts: [], unknownAddresses: new Set(['a']) });
  assert.deepEqual(third.events.map((e) => [e.kind, e.drift.address]), [['resolved', 'b']]);
  assert.deepEqual([...third.current.values()].map((d) => d.address), ['a']);
});

test('an event touches every state instance known by one of its names', () => {
  const inst = (address: string, type: string, attributes: Record<string, unknown>): StateInstance => ({ address, resourceAddress: address, type, name: address.split('.')[1]!, module: '', attributes });
  const index = new ResourceIndex([
    inst('aws_security_group.web', 'aws_security_group', { id: 'sg-1', arn: 'arn:aws:ec2:us-east-1:1:security-group/sg-1' }),
    inst('aws_vpc_security_group_ingress_rule.r', 'aws_vpc_security_group_ingress_rule', { id: 'sgr-9', security_group_id: 'sg-1' }),
    inst('aws_s3_bucket.b', 'aws_s3_bucket', { id: 'bkt', bucket: 'bkt', arn: 'arn:aws:s3:::bkt' }),
    inst('aws_s3_bucket_versioning.b', 'aws_s3_bucket_versioning', { id: 'bkt', bucket: 'bkt' }),
    inst('aws_iam_role_policy.p', 'aws_iam_role_policy', { id: 'app:read', role: 'app', name: 'read' }),
  ], RESOURCE_TYPES);
  assert.deepEqual(index.addressesOf({ resources: ['sg-1'] }), ['aws_security_group.web', 'aws_vpc_security_group_ingress_rule.r']);
  assert.deepEqual(index.addressesOf({ resources: ['arn:aws:s3:::bkt'] }), ['aws_s3_bucket.b']);
  assert.deepEqual(index.addressesOf({ resources: ['bkt'] }), ['aws_s3_bucket.b', 'aws_s3_bucket_versioning.b']);
  assert.deepEqual(index.addressesOf({ resources: ['app'] }), ['aws_iam_role_policy.p']);
  assert.deepEqual(index.addressesOf({ resources: ['i-unmanaged'] }), []);
});
