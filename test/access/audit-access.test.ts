// Every read goes through the policy: listing others' grants, reading their timelines, exporting
// and verifying the audit log. A principal whose proof verifies but who is not in config.yaml gets
// only 'whoami'. Calls go through the in-process client: proof → authenticate → dispatch.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { inProcessClient } from '../../server/src/access/client';
import { AccessError } from '../../server/src/access/errors';
import { BrokerEvent, Principal } from '../../server/src/access/broker';
import { closeSharedLedger, harness, Harness, user } from './helpers';

after(closeSharedLedger);

const MALLORY: Principal = { arn: 'arn:aws:iam::123456789012:user/mallory', name: 'mallory', groups: [] };
const refused = (pattern: RegExp) => (e: unknown) => e instanceof AccessError && e.code === 'forbidden' && pattern.test(e.message);

function as(h: Harness, p: Principal) {
  return inProcessClient(h.broker, () => h.proofFor(p));
}

async function twoGrants(h: Harness) {
  const alices = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'alice: fix checkout', ticket: 'OPS-1' });
  const carols = await h.broker.request(h.carol, { role: 'prod-operator', durationSeconds: 3600, reason: 'carol: rotate keys' });
  return { alices, carols };
}

test('grants: approvers and auditors list everyone\'s, engineers only their own', async () => {
  const h = await harness();
  const { alices, carols } = await twoGrants(h);
  const dave = user(h.config, 'dave');
  const ids = async (p: Principal, params: { all?: boolean; mine?: boolean } = {}) => (await as(h, p).call('grants', params)).map((g) => g.id).sort();
  assert.deepEqual(await ids(h.bob, { all: true }), [alices.id, carols.id].sort());
  assert.deepEqual(await ids(dave, { all: true }), [alices.id, carols.id].sort());
  assert.deepEqual(await ids(h.alice, { all: true }), [alices.id], 'carol\'s reason is not shown to alice');
  assert.deepEqual(await ids(h.alice), [alices.id]);
  assert.deepEqual(await ids(h.bob, { mine: true }), []);
  assert.equal((await as(h, h.alice).call('grant', { id: alices.id })).reason, 'alice: fix checkout');
  await assert.rejects(as(h, h.alice).call('grant', { id: carols.id }), refused(/grant .* belongs to carol; the policy does not let alice see grants of prod-operator \(listGrants\)/));
  assert.equal((await as(h, dave).call('grant', { id: carols.id })).reason, 'carol: rotate keys');
});

test('log: the requester and those the policy lets read timelines; nobody else', async () => {
  const h = await harness();
  const { alices, carols } = await twoGrants(h);
  const dave = user(h.config, 'dave');
  assert.equal((await as(h, h.alice).call('log', { id: alices.id })).grant.id, alices.id);
  assert.equal((await as(h, dave).call('log', { id: alices.id })).grant.id, alices.id, 'auditors read timelines');
  assert.equal((await as(h, h.carol).call('log', { id: alices.id })).grant.id, alices.id, 'carol is an approver');
  await assert.rejects(as(h, h.alice).call('log', { id: carols.id }), refused(/only carol and those the policy lets read timelines \(readTimeline\) of prod-operator may read grant/));
});

test('audit export goes to approvers and auditors only; verify to anyone configured', async () => {
  const h = await harness();
  await twoGrants(h);
  const dave = user(h.config, 'dave');
  assert.ok((await as(h, h.bob).call('auditExport', {})).length >= 2);
  assert.ok((await as(h, dave).call('auditExport', {})).some((r) => r.data.reason === 'carol: rotate keys'));
  await assert.rejects(as(h, h.alice).call('auditExport', {}), refused(/policy does not allow alice to export the audit log \(exportAudit\)/));
  assert.ok((await as(h, h.carol).call('auditExport', { since: '2026-01-01' })).length >= 2, 'carol is an approver');
  await assert.rejects(as(h, h.alice).call('auditExport', { since: '2026-01-01' }), refused(/exportAudit/));
  assert.equal((await as(h, h.alice).call('auditVerify', {})).ok, true);
});

test('a principal whose proof verifies but who is not in config.yaml gets only whoami', async () => {
  const h = await harness();
  const { alices } = await twoGrants(h);
  const mallory = as(h, MALLORY);
  assert.equal((await mallory.call('whoami', {})).arn, MALLORY.arn);
  const notConfigured = refused(/arn:aws:iam::123456789012:user\/mallory is not a user in \.tidemark\/config\.yaml; only 'whoami' answers it/);
  await assert.rejects(mallory.call('grants', { all: true }), notConfigured);
  await assert.rejects(mallory.call('grants', { mine: true }), notConfigured);
  await assert.rejects(mallory.call('grant', { id: alices.id }), notConfigured);
  await assert.rejects(mallory.call('log', { id: alices.id }), notConfigured);
  await assert.rejects(mallory.call('auditExport', {}), notConfigured);
  await assert.rejects(mallory.call('auditVerify', {}), notConfigured);
  await assert.rejects(mallory.call('request', { role: 'prod-operator', durationSeconds: 3600, reason: 'x' }), notConfigured);
  // The broker-level reads refuse too (nothing relies on the transport to check).
  await assert.rejects(h.broker.grantsFor(MALLORY, { all: true }), notConfigured);
  await assert.rejects(h.broker.auditExportFor(MALLORY), notConfigured);
  await assert.rejects(h.broker.timeline(MALLORY, alices.id), notConfigured);
});

test('pushed events follow the listing rule: no one else\'s grant reaches an engineer or a stranger', async () => {
  const h = await harness();
  const { alices, carols } = await twoGrants(h);
  const event = (g: typeof alices): BrokerEvent => ({ type: 'grant', grant: g });
  assert.equal(await h.broker.mayReceive(h.alice, event(alices)), true);
  assert.equal(await h.broker.mayReceive(h.alice, event(carols)), false);
  assert.equal(await h.broker.mayReceive(h.bob, event(carols)), true);
  assert.equal(await h.broker.mayReceive(h.alice, { type: 'alert', grantId: carols.id, message: 'carol broke glass' }), false);
  assert.equal(await h.broker.mayReceive(MALLORY, event(alices)), false);
});
