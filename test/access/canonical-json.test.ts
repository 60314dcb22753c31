// The audit chain's hashes must never change with a faster encoder: records sealed by an older
// Tidemark must still verify. The golden values below were produced by the previous implementation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GENESIS_HASH, recordHash, seal, verifyChain } from '../../server/src/access/audit-chain';
import { canonicalJson, canonicalJsonWithout } from '../../server/src/access/canonical-json';
import type { AuditKind } from '../../server/src/model';

const tricky = {
  zeta: 1,
  Alpha: [1, undefined, 'é\u2028"x"', { b: null, a: true, c: undefined }],
  'ä': -0.5e-7,
  '\ud83d\ude00k': { nested: [[], {}] },
  ab: false,
  a: 'x',
};

test('canonical JSON keeps the exact text of earlier versions (key order by UTF-16 code units, undefined dropped)', () => {
  assert.equal(canonicalJson(tricky), '{"Alpha":[1,null,"é\u2028\\"x\\"",{"a":true,"b":null}],"a":"x","ab":false,"zeta":1,"ä":-5e-8,"\ud83d\ude00k":{"nested":[[],{}]}}');
  assert.throws(() => canonicalJson({ x: Number.POSITIVE_INFINITY }), /cannot encode Infinity/);
  assert.throws(() => canonicalJson({ x: () => 1 }), /cannot encode a function/);
});

test('canonicalJsonWithout leaves out the named keys and nothing else', () => {
  assert.equal(canonicalJsonWithout({ b: 1, hash: 'h', a: { hash: 'kept' } }, new Set(['hash'])), '{"a":{"hash":"kept"},"b":1}');
});

test('a record sealed by the previous implementation keeps its hash, and verify ignores no member but the hash', () => {
  const record = seal({ at: '2026-11-25T09:00:00.000Z', kind: 'request' as AuditKind, actor: 'arn:aws:iam::1:user/alice', grantId: 'g-1', data: tricky }, 1, GENESIS_HASH);
  assert.equal(record.hash, '12c81d4f7a5d51beb622b887abb8b4f5756fbef5ad3061b467ec6732060e4d81');
  assert.equal(recordHash(record), record.hash);
  assert.equal(verifyChain([record]).ok, true);
  const altered = { ...record, data: { ...record.data, ab: true } };
  assert.equal(verifyChain([altered]).ok, false);
  const relinked = { ...record, prevHash: '1'.repeat(64) };
  assert.notEqual(recordHash(relinked), record.hash); // the link is part of the hash
});
