// Verify streams the chain from the ledger a page at a time (PGlite: a page's columns joined into one
// text each, split back here). Whatever is stored, the paged verdict always equals a fresh analysis
// of every row read at once, at any page size and across page boundaries.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { storedChainVerifier, verifyStoredChain } from '../../server/src/access/audit-chain';
import { Ledger } from '../../server/src/access/ledger/ledger';
import { closeSharedLedger, harness } from './helpers';

after(closeSharedLedger);

const PAGE_SIZES = [1, 2, 3, 5000];

/** A ledger of 13 records from real broker transitions. */
async function busyLedger(): Promise<Ledger> {
  const h = await harness();
  for (let i = 0; i < 3; i++) {
    const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: `cycle ${i}` });
    await h.broker.approve(h.bob, g.id);
    await h.broker.release(h.alice, g.id);
  }
  await h.broker.request(h.carol, { role: 'prod-operator', durationSeconds: 3600, reason: 'pending' });
  const [{ n }] = await h.ledger.db.query<{ n: string | number }>('SELECT count(*) AS n FROM audit');
  assert.ok(Number(n) > 6, `expected a chain longer than two pages of 3, got ${n} records`);
  return h.ledger;
}

/** The verdict (or the error) of verifying the rows a page at a time, and how many pages were read. */
async function paged(ledger: Ledger, pageSize: number): Promise<{ outcome: unknown; pages: number }> {
  const chain = storedChainVerifier();
  let pages = 0;
  try {
    const { head } = await ledger.readAuditSnapshot((rows) => { pages++; return chain.addAll(rows); }, pageSize);
    return { outcome: chain.verdict(head), pages };
  } catch (error) {
    return { outcome: `error: ${(error as Error).message}`, pages };
  }
}

/** The fresh analysis: every row read at once, then checked. */
async function whole(ledger: Ledger): Promise<unknown> {
  try {
    return verifyStoredChain(await ledger.readAuditRows(), { stored: await ledger.readAuditHead() });
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

async function assertPagedEqualsWhole(ledger: Ledger, what: string): Promise<unknown> {
  const fresh = await whole(ledger);
  for (const size of PAGE_SIZES) {
    const { outcome } = await paged(ledger, size);
    assert.deepEqual(outcome, fresh, `${what}: pages of ${size}`);
  }
  return fresh;
}

test('an untouched chain verifies page by page as it does whole', async () => {
  const ledger = await busyLedger();
  const v = await assertPagedEqualsWhole(ledger, 'untouched');
  assert.equal((v as { ok: boolean }).ok, true);
  assert.equal((await paged(ledger, 2)).pages, Math.ceil((v as { count: number }).count / 2), 'every page is read once');
});

test('a separator character stored inside a hash or a body cannot shift the rows of a joined page', async () => {
  // Joined on chr(30): an extra one would hand record #4's neighbour's value to #4 if the page were split blindly.
  for (const [column, tamper] of [['hash', `hash || chr(30) || 'x'`], ['body', `body || chr(30) || '{}'`], ['prev_hash', `chr(30) || prev_hash`]]) {
    const ledger = await busyLedger();
    await ledger.db.query(`UPDATE audit SET ${column} = ${tamper} WHERE seq = 4`);
    const v = await assertPagedEqualsWhole(ledger, `${column} with a separator`);
    assert.equal((v as { brokenAt?: number }).brokenAt, 4, `${column}: ${JSON.stringify(v)}`);
  }
});

test('removed, re-linked and re-numbered records are found at page boundaries as in the whole chain', async () => {
  const removed = await busyLedger();
  await removed.db.query('DELETE FROM audit WHERE seq = 3');
  assert.match(String((await assertPagedEqualsWhole(removed, 'removed #3') as { problem: string }).problem), /expected record #3, found #4/);

  const relinked = await busyLedger();
  await relinked.db.query(`UPDATE audit SET prev_hash = (SELECT prev_hash FROM audit WHERE seq = 3) WHERE seq = 4`);
  assert.match(String((await assertPagedEqualsWhole(relinked, 'relinked #4') as { problem: string }).problem), /record #4 does not link/);

  const renumbered = await busyLedger();
  await renumbered.db.query('UPDATE audit SET seq = seq + 100 WHERE seq >= 5');
  assert.equal((await assertPagedEqualsWhole(renumbered, 'renumbered from #5') as { brokenAt: number }).brokenAt, 105);

  const cut = await busyLedger();
  await cut.db.query('DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)');
  assert.match(String((await assertPagedEqualsWhole(cut, 'last removed') as { problem: string }).problem), /truncated/);
});

test('a NULL stored beside a separator (NOT NULL dropped) cannot balance a joined page\'s count', async () => {
  const ledger = await busyLedger();
  await ledger.db.query('ALTER TABLE audit ALTER COLUMN body DROP NOT NULL');
  try {
    await ledger.db.query('UPDATE audit SET body = NULL WHERE seq = 2');
    await ledger.db.query(`UPDATE audit SET body = body || chr(30) || '{}' WHERE seq = 5`);
    await assertPagedEqualsWhole(ledger, 'a NULL body and a separator');
  } finally {
    await ledger.db.query('DELETE FROM audit WHERE body IS NULL');
    await ledger.db.query('ALTER TABLE audit ALTER COLUMN body SET NOT NULL');
  }
});
