// The team watch's ledger tables (migration 4) on the embedded PGlite, same SQL as PostgreSQL: the
// shared cursor round-trips; an alert id is claimed once; what a dead leader claimed but never
// had delivered is listed for the next leader until it is marked delivered.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../server/src/access/ledger/database';
import { migrate } from '../../server/src/access/ledger/migrations';
import { openPglite } from '../../server/src/access/ledger/pglite-database';
import { WatchLedger } from '../../server/src/access/ledger/watch-ledger';

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
