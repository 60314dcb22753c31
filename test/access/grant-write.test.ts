// A grant transition is one statement (tidemark_grant_write): the grant row, its notice, a credential
// issue and the audit appends commit together or not at all, and a write over a version the row no
// longer has changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sealParts, verifyChain } from '../../server/src/access/audit-chain';
import { canonicalJson } from '../../server/src/access/canonical-json';
import { GRANT_CHANNEL } from '../../server/src/access/ledger/database';
import { Ledger } from '../../server/src/access/ledger/ledger';
import { closeSharedLedger, harness } from './helpers';

test.after(closeSharedLedger);

/** Counts what reaches the database: statements outside transactions, and transactions. */
function countQueries(ledger: Ledger): { statements: number; transactions: number } {
  const counts = { statements: 0, transactions: 0 };
  const db = ledger.db as { query: Ledger['db']['query']; transaction: Ledger['db']['transaction'] };
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = ((sql: string, params?: unknown[]) => { counts.statements++; return query(sql, params); }) as Ledger['db']['query'];
  db.transaction = ((fn) => { counts.transactions++; return transaction(fn); }) as Ledger['db']['transaction'];
  return counts;
}

test('request, approve and activate each write in one statement, without a transaction round trip', async () => {
  const h = await harness();
  const counts = countQueries(h.ledger);
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'deploy' });
  assert.deepEqual(counts, { statements: 1, transactions: 0 }, 'request: the grant, its notice and its audit record in one statement');
  const active = await h.broker.approve(h.bob, g.id);
  assert.equal(active.state, 'active');
  // approve: the grant as it is, then its write; activation: one write (grant, issue row, two records).
  assert.deepEqual(counts, { statements: 4, transactions: 0 });
  await h.broker.stop();
  const records = await h.ledger.readAudit();
  assert.deepEqual(records.map((r) => r.kind), ['request', 'decision', 'activate', 'credentials']);
  assert.equal(verifyChain(records).ok, true);
  assert.equal((await h.ledger.db.query('SELECT * FROM credential_issues WHERE grant_id = $1', [g.id])).length, 1);
  assert.deepEqual(await h.ledger.getGrant(h.ledger.db, g.id), active, 'the grant as returned is the grant as stored');
});

test('a write over a version the grant no longer has changes nothing: no row, record, head move or notice', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'deploy' });
  const notices: string[] = [];
  const unlisten = await h.ledger.db.listen(GRANT_CHANNEL, (p) => notices.push(p));
  const head = await h.ledger.readAuditHead();
  const stale = { ...g, state: 'denied' as const, version: g.version + 1 };
  const written = await h.ledger.writeGrant({
    grant: stale, priorVersion: g.version - 1,
    issue: { grantId: g.id, issuedAt: h.clock.now().toISOString(), expiresAt: h.clock.now().toISOString(), keyFingerprint: 'f' },
    audits: [{ at: h.clock.now().toISOString(), kind: 'decision', actor: 'x', grantId: g.id, data: {} }],
  });
  assert.equal(written, undefined);
  // A notice, had one been sent, is delivered at commit: a later statement's notice arrives after it.
  await h.ledger.db.query('SELECT pg_notify($1, $2)', [GRANT_CHANNEL, 'marker']);
  await unlisten();
  assert.deepEqual(notices, ['marker']);
  assert.deepEqual(await h.ledger.readAuditHead(), head);
  assert.equal((await h.ledger.getGrant(h.ledger.db, g.id))?.state, 'pending');
  assert.equal((await h.ledger.db.query('SELECT * FROM credential_issues')).length, 0);
  await h.broker.stop();
});

test('a database that sees other bytes of an audit record than the broker hashed records nothing of the transition', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'deploy' });
  const head = await h.ledger.readAuditHead();
  const record = { at: h.clock.now().toISOString(), kind: 'decision' as const, actor: 'x', grantId: g.id, data: { note: 'é' } };
  const { before, after } = sealParts(record);
  // What a database in another encoding would see: the same record, other bytes than the broker hashed.
  const wrongHash = createHash('sha256').update(`${before}\n${after}`, 'latin1').digest('hex');
  const next = { ...g, state: 'denied', version: g.version + 1 };
  const grantJson = JSON.stringify({
    id: next.id, requester: next.requester, requester_name: next.requesterName, role: next.role, role_arn: next.roleArn, duration_seconds: next.durationSeconds,
    reason: next.reason, state: next.state, break_glass: next.breakGlass, decisions: next.decisions, requested_at: next.requestedAt, version: next.version,
  });
  await assert.rejects(
    h.ledger.db.query('SELECT * FROM tidemark_grant_write($1::jsonb, $2, $3, $4, NULL, $5::jsonb)', [
      grantJson, g.version, GRANT_CHANNEL, '{}', JSON.stringify([{ before, after, textHash: wrongHash, at: record.at, kind: record.kind, grantId: g.id, body: canonicalJson(record) }]),
    ]),
    /encodes audit text differently/,
  );
  assert.deepEqual(await h.ledger.readAuditHead(), head);
  assert.equal((await h.ledger.getGrant(h.ledger.db, g.id))?.state, 'pending', 'the grant row rolled back with the refused append');
  await h.broker.stop();
});
