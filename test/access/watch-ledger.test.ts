// The team watch's ledger tables (migration 4) on the embedded PGlite, same SQL as PostgreSQL: the
// shared cursor round-trips; an alert id is claimed once; what a dead leader claimed but never
// had delivered is listed for the next leader until it is marked delivered; each claim is numbered
// and announced (migration 5), what editors' streams resume from.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WATCH_ALERT_CHANNEL, type Database } from '../../server/src/access/ledger/database';
import { migrate } from '../../server/src/access/ledger/migrations';
import { openPglite } from '../../server/src/access/ledger/pglite-database';
import { alertsAfter, lastAlertSeq, WatchLedger } from '../../server/src/access/ledger/watch-ledger';
import { waitFor } from '../support/wait';

let db: Database;

before(async () => {
  db = await openPglite();
  await migrate(db);
});

after(async () => {
  await db?.close();
});

test('the cursor of a watch round-trips, per watch key', async () => {
  const a = new WatchLedger(db, 'watch:a');
  assert.equal(await a.loadCursor(), undefined);
  const cursor = { version: 1, since: '2026-11-30T10:00:00.000Z', seen: {}, queueSeen: { 'ev-1': '2026-11-30T10:00:00.000Z' } };
  await a.saveCursor(cursor);
  await a.saveCursor({ ...cursor, since: '2026-11-30T11:00:00.000Z' });
  assert.deepEqual(await a.loadCursor(), { ...cursor, since: '2026-11-30T11:00:00.000Z' });
  assert.equal(await new WatchLedger(db, 'watch:b').loadCursor(), undefined, 'another watch has its own cursor');
});

test('an alert is claimed once; undelivered ones wait for the next leader', async () => {
  const first = new WatchLedger(db, 'watch:alerts');
  const next = new WatchLedger(db, 'watch:alerts');
  const alert = { id: 'a1', kind: 'drift-appeared', message: 'aws_instance.web: tags.Team …' };
  assert.equal(await first.claimAlert('a1', alert), true);
  assert.equal(await next.claimAlert('a1', alert), false, 'the same alert from another process is not sent again');
  assert.equal(await new WatchLedger(db, 'watch:other').claimAlert('a1', alert), true, 'ids are per watch');
  // The first leader died before its webhook took the alert.
  assert.deepEqual(await next.undelivered(), [{ id: 'a1', alert }]);
  await next.markDelivered(['a1']);
  assert.deepEqual(await next.undelivered(), []);
  await next.prune(0);
  assert.equal(await next.claimAlert('a1', alert), true, 'pruned ids are forgotten');
});

test('each claimed alert gets the next sequence number and is announced once; readers resume after a number', async () => {
  const notices: string[] = [];
  const unlisten = await db.listen(WATCH_ALERT_CHANNEL, (payload) => notices.push(payload));
  try {
    const start = await lastAlertSeq(db);
    const ledger = new WatchLedger(db, 'watch:seq');
    const alert = (id: string) => ({ id, at: '2026-11-30T10:00:00.000Z', severity: 'error' as const, kind: 'drift-appeared' as const, message: `change ${id}` });
    assert.equal(await ledger.claimAlert('s1', alert('s1')), true);
    assert.equal(await ledger.claimAlert('s1', alert('s1')), false);
    assert.equal(await new WatchLedger(db, 'watch:seq-other').claimAlert('s2', alert('s2')), true);
    await waitFor('both claims announced', () => notices.length >= 2, { timeoutMs: 5_000 });
    // Numbers only grow (a refused claim may use one up: gaps are fine, order is what counts).
    const claimed = await alertsAfter(db, start, 10);
    assert.deepEqual(claimed.map((a) => a.alert.id), ['s1', 's2'], 'every watch, in order');
    assert.ok(claimed[0]!.seq < claimed[1]!.seq);
    assert.deepEqual(notices, claimed.map((a) => String(a.seq)), 'each claim announced with its number; a repeated claim announces nothing');
    assert.equal(await lastAlertSeq(db), claimed[1]!.seq);
    assert.deepEqual((await alertsAfter(db, claimed[0]!.seq, 10)).map((a) => a.alert.id), ['s2'], 'only what comes after the given number');
  } finally {
    await unlisten();
  }
});
