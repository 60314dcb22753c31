// Identity proofs against the sandbox's STS: the broker (HTTP, PGlite, AWS-SDK cloud) executes the
// client's presigned GetCallerIdentity and learns who signed it. Forged, replayed, expired and
// other-audience proofs get HTTP 401 and an auth-failure audit record (a reason repeated by the same
// source within a minute is counted in that minute's summary record); nothing else happens.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadScenarioFile, startSandbox, SandboxHandle, Scenario } from '../../sandbox/src/index';
import { awsCloud } from '../../server/src/access/aws-cloud';
import { Broker } from '../../server/src/access/broker';
import { IdentityProof } from '../../server/src/access/cloud';
import { loadConfig } from '../../server/src/access/config';
import { RunningHttpBroker, PROOF_HEADER, serveBroker } from '../../server/src/access/http-server';
import { createIdentityProof, NONCE_HEADER } from '../../server/src/access/identity';
import { Ledger } from '../../server/src/access/ledger/ledger';
import { openPglite } from '../../server/src/access/ledger/pglite-database';
import { compilePolicy } from '../../server/src/access/policy';
import { fixedPolicy } from '../../server/src/access/policy-source';
import { REPO } from './helpers';

const SCENARIO = path.join(REPO, 'sandbox/scenarios/demo.yaml');
const TIDEMARK = path.join(REPO, 'examples/demo/.tidemark');
const AUDIENCE = 'identity-sandbox-test';
const TOKEN = 'team-token-for-the-identity-test';

let scenario: Scenario;
let sandbox: SandboxHandle;
let ledger: Ledger;
let broker: Broker;
let http: RunningHttpBroker;

function keyOf(name: string) {
  const key = scenario.users?.find((u) => u.name === name)?.accessKeys?.[0];
  assert.ok(key, `scenario user ${name} has an access key`);
  return { accessKeyId: key.id, secretAccessKey: key.secret };
}

/** Signed with the broker's real clock (the sandbox checks signature skew against real time). */
function proofAs(name: string, o: { audience?: string; now?: Date } = {}): Promise<IdentityProof> {
  return createIdentityProof({ credentials: keyOf(name), region: scenario.region, stsEndpoint: sandbox.endpoint, audience: o.audience ?? AUDIENCE, now: o.now });
}

/** POST /v1/whoami the way the HTTP client does, with a proof we may have tampered with. */
async function whoami(proof: unknown, token: string | undefined = TOKEN): Promise<{ status: number; body: { result?: { name: string; arn: string }; error?: { code: string; message: string } } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', [PROOF_HEADER]: Buffer.from(JSON.stringify(proof)).toString('base64url') };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${http.url}/v1/whoami`, { method: 'POST', headers, body: '{}' });
  return { status: res.status, body: (await res.json()) as never };
}

async function failures(): Promise<string[]> {
  return (await broker.auditExport()).filter((r) => r.kind === 'auth-failure').map((r) => String(r.data.reason));
}

async function failureRecords() {
  return (await broker.auditExport()).filter((r) => r.kind === 'auth-failure');
}

/**
 * Asserts a 401 whose message matches, and that the refusal is audited. Per source and minute the
 * broker records the first refusal of each reason at once and counts repeats into one summary
 * record; a repeat's summary is written here (flushed) instead of at the minute's end, so either
 * way exactly one new record names this refusal's reason. Says which way it was audited.
 */
async function refused(proof: unknown, why: RegExp, token?: string): Promise<'at once' | 'counted'> {
  const before = (await failureRecords()).length;
  const { status, body } = await whoami(proof, token);
  assert.equal(status, 401, `expected 401, got ${status}: ${JSON.stringify(body)}`);
  assert.equal(body.error?.code, 'unauthenticated');
  assert.match(body.error!.message, why);
  assert.equal(body.result, undefined);
  const atOnce = (await failureRecords()).slice(before);
  if (atOnce.length === 1) {
    assert.match(String(atOnce[0].data.reason), why, 'the refusal is audited with its reason');
    return 'at once';
  }
  assert.equal(atOnce.length, 0, 'at most one record per refusal');
  await broker.flushRefusals(undefined, true);
  const counted = (await failureRecords()).slice(before);
  assert.equal(counted.length, 1, 'a repeated reason is audited in the summary record');
  assert.equal(counted[0].data.count, 1);
  const reasons = Object.entries(counted[0].data.reasons as Record<string, number>);
  assert.equal(reasons.length, 1);
  assert.match(reasons[0][0], why);
  assert.equal(reasons[0][1], 1);
  return 'counted';
}

function withQuery(proof: IdentityProof, key: string, change: (v: string) => string): IdentityProof {
  const url = new URL(proof.url);
  url.searchParams.set(key, change(url.searchParams.get(key) ?? ''));
  return { ...proof, url: url.toString() };
}

before(async () => {
  scenario = loadScenarioFile(SCENARIO);
  sandbox = await startSandbox(SCENARIO);
  const config = loadConfig(path.join(TIDEMARK, 'config.yaml'));
  const policy = compilePolicy(readFileSync(path.join(TIDEMARK, 'policy.cedar'), 'utf8'), 'policy.cedar');
  ledger = await Ledger.open(await openPglite());
  const cloud = awsCloud({ AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region }, async () => keyOf('tidemark-broker'));
  broker = new Broker({ ledger, policy: fixedPolicy({ config, policy }), cloud, audience: AUDIENCE });
  await broker.start();
  http = await serveBroker(broker, { token: TOKEN });
});

after(async () => {
  await http?.close();
  await broker?.stop();
  await ledger?.close();
  await sandbox?.stop();
});

test('a valid presigned GetCallerIdentity proves who the caller is; the sandbox STS says so, not the client', async () => {
  const alice = await whoami(await proofAs('alice'));
  assert.equal(alice.status, 200, JSON.stringify(alice.body));
  assert.deepEqual({ name: alice.body.result!.name, arn: alice.body.result!.arn }, { name: 'alice', arn: `arn:aws:iam::${scenario.account}:user/alice` });
  const bob = await whoami(await proofAs('bob'));
  assert.equal(bob.body.result!.name, 'bob');
  assert.ok(sandbox.stats()['sts:GetCallerIdentity'] >= 2, 'the broker asked STS');
  assert.deepEqual(await failures(), []);
});

test('a forged signature is refused by STS', async () => {
  const proof = await proofAs('alice');
  await refused(withQuery(proof, 'X-Amz-Signature', (s) => (s[0] === 'a' ? 'b' : 'a') + s.slice(1)), /STS rejected the identity proof \(SignatureDoesNotMatch\)/);
});

test('a tampered request body is refused: another key id, or a swapped signed nonce', async () => {
  // Claiming bob's key with alice's signature.
  const claimBob = withQuery(await proofAs('alice'), 'X-Amz-Credential', (c) => c.replace(keyOf('alice').accessKeyId, keyOf('bob').accessKeyId));
  // The proofs are made first, so the two refusals below follow each other within the minute.
  const proof = await proofAs('alice');
  // The nonce header is signed: a fresh nonce makes the signature wrong.
  const swapped = { ...proof, headers: { ...proof.headers, [NONCE_HEADER]: 'f'.repeat(32) } };
  await broker.flushRefusals(undefined, true); // a fresh minute for this source
  assert.equal(await refused(claimBob, /STS rejected the identity proof \(SignatureDoesNotMatch\)/), 'at once');
  assert.equal(await refused(swapped, /STS rejected the identity proof \(SignatureDoesNotMatch\)/), 'counted', 'the same reason again in the minute is counted, not a record of its own');
  // A different action in the same signed URL.
  await refused(withQuery(await proofAs('alice'), 'Action', () => 'AssumeRole'), /must be an STS GetCallerIdentity request/);
});

test('a replayed proof is refused the second time', async () => {
  const proof = await proofAs('carol');
  assert.equal((await whoami(proof)).status, 200);
  await refused(proof, /already used \(replay\)/);
});

test('an expired proof is refused before it reaches STS', async () => {
  const calls = sandbox.stats()['sts:GetCallerIdentity'] ?? 0;
  // Past its 60 s lifetime and the 30 s clock-difference allowance.
  await refused(await proofAs('alice', { now: new Date(Date.now() - 7 * 60_000) }), /identity proof has expired/);
  assert.equal(sandbox.stats()['sts:GetCallerIdentity'] ?? 0, calls, 'STS was not asked');
});

test('a proof made for another broker is refused, also when relabelled for this one', async () => {
  await refused(await proofAs('alice', { audience: 'someone-elses-broker' }), /made for another broker/);
  const other = await proofAs('alice', { audience: 'someone-elses-broker' });
  const relabelled = { ...other, headers: { ...other.headers, 'x-tidemark-broker': AUDIENCE } };
  await refused(relabelled, /STS rejected the identity proof \(SignatureDoesNotMatch\)/);
});

test('a proof signed for another STS endpoint is never sent anywhere', async () => {
  const elsewhere = await createIdentityProof({ credentials: keyOf('alice'), region: scenario.region, stsEndpoint: 'https://sts.us-east-1.amazonaws.com', audience: AUDIENCE });
  await refused(elsewhere, /signed for https:\/\/sts\.us-east-1\.amazonaws\.com\//);
});

test('the team token is checked first: a valid proof without it is refused and audited', async () => {
  await refused(await proofAs('alice'), /missing or wrong broker token/, 'wrong-token-of-sufficient-length');
  const none = await whoami(await proofAs('alice'), '');
  assert.equal(none.status, 401);
  assert.equal((await broker.auditVerify()).ok, true, 'refusals keep the audit chain intact');
});
