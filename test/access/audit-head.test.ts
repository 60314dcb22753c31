// The end of the chain: records removed from the end are caught by the ledger's stored head; a
// stored head rewound with them is caught by a head kept outside the ledger, signed by the broker.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatHead, parseHead, seal, verifyChain, GENESIS_HASH } from '../../server/src/access/audit-chain';
import { headSignatureProblem, loadHeadKey, publicKeyText, signHead } from '../../server/src/access/audit-head';
import { Broker } from '../../server/src/access/broker';
import { inProcessClient } from '../../server/src/access/client';
import { fixedPolicy } from '../../server/src/access/policy-source';
import { AuditRecord } from '../../server/src/model';
import { closeSharedLedger, examplePolicy, harness, Harness } from './helpers';

after(closeSharedLedger);

function chain(n: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const r = seal({ at: `2026-11-25T09:00:0${i}.000Z`, kind: 'request', actor: 'a', data: { i } }, i, prev);
    out.push(r);
    prev = r.hash;
  }
  return out;
}

test('records cut from the end are reported against the stored head', () => {
  const full = chain(5);
  const stored = { count: 5, hash: full[4].hash };
  assert.deepEqual(verifyChain(full, { stored }), { ok: true, count: 5, head: full[4].hash, anchors: ['the ledger\'s head #5'] });
  const cut = verifyChain(full.slice(0, 3), { stored });
  assert.equal(cut.ok, false);
  assert.equal(!cut.ok && cut.problem, 'the chain was truncated after record #3: the ledger\'s head says 5 records');
  assert.equal(!cut.ok && cut.brokenAt, 4);
  const extra = verifyChain(full, { stored: { count: 3, hash: full[2].hash } });
  assert.match(!extra.ok ? extra.problem : '', /records #4\.\.#5 are past the ledger's head \(#3\)/);
  const wrongHash = verifyChain(full, { stored: { count: 5, hash: full[3].hash } });
  assert.match(!wrongHash.ok ? wrongHash.problem : '', /record #5 is not the record the ledger's head names/);
});

test('a rewound head is caught by the head kept outside the ledger', () => {
  const full = chain(5);
  const kept = { count: 5, hash: full[4].hash };
  // Records 4 and 5 removed and the stored head moved back with them: consistent in itself.
  const rewound = full.slice(0, 3);
  assert.equal(verifyChain(rewound, { stored: { count: 3, hash: full[2].hash } }).ok, true, 'without an outside anchor this cannot be seen');
  const v = verifyChain(rewound, { stored: { count: 3, hash: full[2].hash }, expected: kept });
  assert.equal(!v.ok && v.problem, 'the chain was truncated after record #3: the expected head is #5 (the head was rewound)');
  // A chain rewritten from record 2 on (re-sealed, so every link holds) does not have the kept hash.
  const rewritten = [...full];
  let prev = full[0].hash;
  for (let i = 1; i < 5; i++) { rewritten[i] = seal({ at: rewritten[i].at, kind: 'request', actor: 'eve', data: { i } }, i + 1, prev); prev = rewritten[i].hash; }
  assert.equal(verifyChain(rewritten).ok, true);
  const w = verifyChain(rewritten, { expected: kept });
  assert.match(!w.ok ? w.problem : '', /record #5 does not have the expected head's hash .*: the chain was rewritten up to there/);
  // An older kept head still matches a longer, honest chain.
  assert.equal(verifyChain(full, { expected: { count: 2, hash: full[1].hash } }).ok, true);
  assert.deepEqual(parseHead(formatHead(kept)), kept);
  assert.equal(parseHead('5:xyz'), undefined);
});

test('a signed head verifies with the broker\'s key only, and not once its content changes', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519').privateKey;
  const head = signHead({ count: 7, hash: 'a'.repeat(64) }, new Date('2026-11-25T09:00:00Z'), 'test-broker', privateKey);
  assert.equal(headSignatureProblem(head, publicKeyText(privateKey)), undefined);
  assert.equal(headSignatureProblem({ ...head, count: 6 }, publicKeyText(privateKey)), 'the head\'s signature does not match its content');
  assert.equal(headSignatureProblem(head, publicKeyText(other)), 'the head was signed with another key than this broker\'s');
  const forged = signHead({ count: 6, hash: 'b'.repeat(64) }, new Date('2026-11-25T09:00:00Z'), 'test-broker', other);
  assert.equal(headSignatureProblem(forged, publicKeyText(privateKey)), 'the head was signed with another key than this broker\'s');
  assert.equal(headSignatureProblem({ ...forged, publicKey: publicKeyText(privateKey) }, publicKeyText(privateKey)), 'the head\'s signature does not match its content');
  assert.equal(headSignatureProblem(signHead({ count: 1, hash: 'c'.repeat(64) }, new Date(), 'x', undefined), publicKeyText(privateKey)), 'the head is not signed');
});

test('the signing key file is created once, private to its owner, and must be Ed25519', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-audit-key-'));
  try {
    const file = path.join(dir, 'audit-key.pem');
    const key = loadHeadKey(file, true);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(publicKeyText(loadHeadKey(file, false)), publicKeyText(key), 'the same key on the next start');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const rsaFile = path.join(dir, 'rsa.pem');
    writeFileSync(rsaFile, rsa);
    assert.throws(() => loadHeadKey(rsaFile, false), /rsa\.pem: the audit signing key must be Ed25519, not rsa/);
    assert.ok(readFileSync(file, 'utf8').startsWith('-----BEGIN PRIVATE KEY-----'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function someRecords(h: Harness): Promise<void> {
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  await h.broker.approve(h.bob, g.id);
  await h.broker.release(h.alice, g.id);
  // The last records are about no grant, so removing them leaves every grant row consistent.
  for (const reason of ['first', 'second']) {
    await h.ledger.transaction((tx) => h.ledger.appendAudit(tx, { at: h.clock.now().toISOString(), kind: 'auth-failure', actor: 'anonymous', data: { reason } }));
  }
}

test('broker: deleting the last records is reported as truncation; rewinding the head too needs the kept head', async () => {
  const h = await harness();
  const { privateKey } = generateKeyPairSync('ed25519');
  const broker = new Broker({ ledger: h.ledger, policy: fixedPolicy(examplePolicy()), cloud: h.cloud, audience: 'test-broker', clock: h.clock, scheduler: h.clock, auditKey: privateKey });
  await someRecords(h);
  const bob = inProcessClient(broker, () => h.proofFor(h.bob));
  const kept = await bob.call('auditHead', {});
  assert.equal(headSignatureProblem(kept, publicKeyText(privateKey)), undefined);
  const intact = await bob.call('auditVerify', { expectHead: formatHead(kept) });
  assert.equal(intact.ok, true);
  assert.deepEqual(intact.ok && intact.anchors, [`the ledger's head #${kept.count}`, `the expected head #${kept.count}`]);

  await h.ledger.db.query('DELETE FROM audit WHERE seq > $1', [kept.count - 2]);
  const truncated = await broker.auditVerify();
  assert.equal(!truncated.ok && truncated.problem, `the chain was truncated after record #${kept.count - 2}: the ledger's head says ${kept.count} records`);

  const [last] = await h.ledger.db.query<{ hash: string }>('SELECT hash FROM audit WHERE seq = $1', [kept.count - 2]);
  await h.ledger.db.query('UPDATE audit_head SET seq = $1, hash = $2', [kept.count - 2, last.hash]);
  assert.equal((await broker.auditVerify()).ok, true, 'a rewound head is consistent with the table');
  const caught = await bob.call('auditVerify', { expectHead: formatHead(kept) });
  assert.equal(!caught.ok && caught.problem, `the chain was truncated after record #${kept.count - 2}: the expected head is #${kept.count} (the head was rewound)`);
  await assert.rejects(bob.call('auditVerify', { expectHead: 'latest' }), /'expectHead' must be <count>:<64 hex digits>, not 'latest'/);
  await assert.rejects(inProcessClient(broker, () => h.proofFor({ arn: 'arn:aws:iam::123456789012:user/mallory', name: 'mallory', groups: [] })).call('auditHead', {}), /not a user in/);
});
