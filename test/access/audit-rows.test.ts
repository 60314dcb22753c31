// The tables `log` and `grants` read are held against the chain: a grant row, a recorded command
// or a stored API event changed outside the broker makes verify fail and name the grant.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainVerdict } from '../../server/src/access/audit-chain';
import { closeSharedLedger, harness, Harness } from './helpers';

after(closeSharedLedger);

/** A grant that went through the whole lifecycle, with a command and an API event. */
async function busyGrant(h: Harness) {
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'fix checkout', ticket: 'OPS-9' });
  await h.broker.approve(h.bob, g.id, 'go ahead');
  await h.broker.recordCommands(h.alice, g.id, [{ cwd: '/srv', command: 'aws ec2 describe-instances', exitCode: 0, source: 'exec' }]);
  h.cloud.events = [{
    eventId: 'ev-1', at: '2026-11-25T09:05:00.000Z', eventSource: 'ec2.amazonaws.com', eventName: 'StopInstances', readOnly: false,
    principalArn: `arn:aws:sts::123456789012:assumed-role/prod-operator/tidemark-${g.id}`, sourceIdentity: 'alice', resources: ['i-1'], parameterNames: [],
  }];
  h.clock.advance(600);
  await h.broker.timeline(h.alice, g.id);
  await h.broker.release(h.alice, g.id);
  const other = await h.broker.request(h.carol, { role: 'prod-operator', durationSeconds: 3600, reason: 'other' });
  return { g, other };
}

function problem(v: ChainVerdict): string {
  return v.ok ? 'intact' : v.problem;
}

test('every grant write, command and API event is covered: an untouched ledger verifies', async () => {
  const h = await harness();
  await busyGrant(h);
  const v = await h.broker.auditVerify();
  assert.equal(v.ok, true, problem(v));
});

test('an UPDATE of a grant\'s reason or decisions is named by grant', async () => {
  const h = await harness();
  const { g, other } = await busyGrant(h);
  await h.ledger.db.query(`UPDATE grants SET reason = 'routine check' WHERE id = $1`, [g.id]);
  const v = await h.broker.auditVerify();
  assert.equal(v.ok, false);
  assert.match(problem(v), new RegExp(`^grant ${g.id} was altered outside the broker: its row does not match the digest chained in record #\\d+$`));
  assert.deepEqual(!v.ok && v.grants, [g.id]);
  await h.ledger.db.query(`UPDATE grants SET reason = 'fix checkout' WHERE id = $1`, [g.id]);
  assert.equal((await h.broker.auditVerify()).ok, true, 'restored: intact again');
  await h.ledger.db.query(`UPDATE grants SET decisions = jsonb_set(decisions, '{0,byName}', '"carol"') WHERE id = $1`, [g.id]);
  await h.ledger.db.query(`UPDATE grants SET ticket = 'OPS-10' WHERE id = $1`, [other.id]);
  const both = await h.broker.auditVerify();
  assert.deepEqual(!both.ok && both.grants?.sort(), [g.id, other.id].sort());
  assert.match(problem(both), /and 1 more grant\(s\)/);
});

test('recorded commands and API events changed, deleted or added outside the broker are named', async () => {
  const h = await harness();
  const { g } = await busyGrant(h);
  await h.ledger.db.query(`UPDATE session_commands SET command = 'ls' WHERE grant_id = $1`, [g.id]);
  assert.match(problem(await h.broker.auditVerify()), new RegExp(`^grant ${g.id}: the session log holds a command the chain does not \\(ls\\)`));
  await h.ledger.db.query(`DELETE FROM session_commands WHERE grant_id = $1`, [g.id]);
  assert.match(problem(await h.broker.auditVerify()), new RegExp(`^grant ${g.id}: a chained command is missing from the session log \\(aws ec2 describe-instances\\)`));
  await h.ledger.db.query(`INSERT INTO session_commands (grant_id, at, username, cwd, command, exit_code, source) VALUES ($1, '2026-11-25T09:01:00Z', 'alice', '/srv', 'aws ec2 describe-instances', 0, 'exec')`, [g.id]);
  assert.match(problem(await h.broker.auditVerify()), /session log holds a command the chain does not/, 'a different time is a different command');
  await h.ledger.db.query(`DELETE FROM session_commands WHERE grant_id = $1`, [g.id]);
  await h.ledger.db.query(`INSERT INTO session_commands (grant_id, at, username, cwd, command, exit_code, source) SELECT grant_id, (data->>'at')::timestamptz, 'alice', data->>'cwd', data->>'command', (data->>'exitCode')::int, data->>'source' FROM (SELECT grant_id, body::jsonb->'data' AS data FROM audit WHERE kind = 'command') c`);
  assert.equal((await h.broker.auditVerify()).ok, true, problem(await h.broker.auditVerify()));
  await h.ledger.db.query(`UPDATE api_events SET body = replace(body, 'StopInstances', 'DescribeInstances') WHERE grant_id = $1`, [g.id]);
  assert.match(problem(await h.broker.auditVerify()), new RegExp(`^grant ${g.id}: API event ev-1 was altered outside the broker \\(record #\\d+\\)$`));
  await h.ledger.db.query(`DELETE FROM api_events WHERE grant_id = $1`, [g.id]);
  assert.match(problem(await h.broker.auditVerify()), new RegExp(`^grant ${g.id}: API event ev-1 \\(record #\\d+\\) is missing from the stored events`));
});

test('a grant row inserted outside the broker is named', async () => {
  const h = await harness();
  await busyGrant(h);
  await h.ledger.db.query(`INSERT INTO grants (id, requester, requester_name, role, role_arn, duration_seconds, reason, state, requested_at)
    VALUES ('g-forged', 'arn:aws:iam::123456789012:user/alice', 'alice', 'prod-operator', 'arn:aws:iam::123456789012:role/prod-operator', 3600, 'x', 'expired', '2026-11-25T08:00:00Z')`);
  assert.equal(problem(await h.broker.auditVerify()), 'grant g-forged is in the grants table but no audit record mentions it (inserted outside the broker)');
});

test('records stored in another but equal form verify as before, and are still held against the grant rows', async () => {
  // Verify hashes the stored canonical text directly; any other text of the same record takes the long way.
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'roll back later' });
  const [requested] = await h.ledger.db.query<Record<string, unknown>>('SELECT state, decisions, pending_expires_at, activated_at, ends_at, version FROM grants WHERE id = $1', [g.id]);
  const [{ seq: requestSeq }] = await h.ledger.db.query<{ seq: string }>(`SELECT max(seq) AS seq FROM audit WHERE grant_id = $1`, [g.id]);
  await h.broker.approve(h.bob, g.id);
  await h.ledger.db.query(`UPDATE audit SET body = ' ' || body WHERE seq = 1`);
  assert.equal((await h.broker.auditVerify()).ok, true, 'leading whitespace does not change the record');
  // The grant row put back to its requested state, and the records that say otherwise spelled with an
  // escaped key: the same records (the chain holds), which must still be compared with the row.
  await h.ledger.db.query('UPDATE grants SET state = $2, decisions = $3, pending_expires_at = $4, activated_at = $5, ends_at = $6, version = $7 WHERE id = $1',
    [g.id, requested.state, JSON.stringify(requested.decisions), requested.pending_expires_at, requested.activated_at, requested.ends_at, requested.version]);
  await h.ledger.db.query(`UPDATE audit SET body = replace(body, '"grantId":', '"grant\\u0049d":') WHERE grant_id = $1 AND seq > $2`, [g.id, Number(requestSeq)]);
  const v = await h.broker.auditVerify();
  assert.match(problem(v), new RegExp(`^grant ${g.id} was altered outside the broker: its row does not match the digest chained in record #\\d+`));
});
