// An identity proof is good for 60 s (X-Amz-Expires) plus 30 s of clock difference, as the README
// says: a proof just inside that window is accepted, one a second outside it, or one asking to live
// longer, is refused before STS is asked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOCK_SKEW_SECONDS, createIdentityProof, PROOF_LIFETIME_SECONDS } from '../../server/src/access/identity';
import { closeSharedLedger, harness, Harness, STS } from './helpers';

let h: Harness;
let key: { accessKeyId: string; secretAccessKey: string };

before(async () => {
  h = await harness();
  key = h.cloud.credentialsFor(h.alice.arn);
});

after(async () => {
  await h?.broker.stop();
  await closeSharedLedger();
});

const signedSecondsAgo = (seconds: number) =>
  createIdentityProof({ credentials: key, region: 'us-east-1', stsEndpoint: STS, audience: 'test-broker', now: new Date(h.clock.now().getTime() - seconds * 1000) });

test('the documented window: 60 s of life and 30 s of clock difference', () => {
  assert.equal(PROOF_LIFETIME_SECONDS, 60);
  assert.equal(CLOCK_SKEW_SECONDS, 30);
});

test('a proof signed 90 s ago is accepted; 91 s ago it has expired', async () => {
  assert.equal((await h.broker.authenticate(await signedSecondsAgo(90))).name, 'alice');
  await assert.rejects(h.broker.authenticate(await signedSecondsAgo(91)), /identity proof has expired/);
});

test('a proof dated 31 s in the future is refused; 30 s is clock difference', async () => {
  assert.equal((await h.broker.authenticate(await signedSecondsAgo(-30))).name, 'alice');
  await assert.rejects(h.broker.authenticate(await signedSecondsAgo(-31)), /dated in the future/);
});

test('a proof that asks to live longer than 60 s is refused, even when fresh', async () => {
  const proof = await signedSecondsAgo(0);
  const url = new URL(proof.url);
  url.searchParams.set('X-Amz-Expires', '900');
  await assert.rejects(h.broker.authenticate({ ...proof, url: url.toString() }), /lives too long \(X-Amz-Expires 900 s; at most 60 s\)/);
});
