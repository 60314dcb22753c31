// Team mode against a real PostgreSQL server: the same broker logic, several brokers on one
// database, races across connections, LISTEN/NOTIFY, the HTTP token, durability.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Broker } from '../../server/src/access/broker';
import { ManualClock } from '../../server/src/access/clock';
import { AccessError } from '../../server/src/access/errors';
import { httpClient } from '../../server/src/access/http-client';
import { serveBroker } from '../../server/src/access/http-server';
import { createIdentityProof } from '../../server/src/access/identity';
import { Ledger } from '../../server/src/access/ledger/ledger';
import { migrate, migrations } from '../../server/src/access/ledger/migrations';
import { openPostgres } from '../../server/src/access/ledger/postgres-database';
import { fixedPolicy } from '../../server/src/access/policy-source';
import { examplePolicy, FakeCloud, STS, user, WORKING_HOURS } from './helpers';
import { createDatabase, postgresSkip, startPostgres, TestPostgres } from './postgres-server';
import { waitFor, within } from '../support/wait';

// Runs whenever PostgreSQL is installed; a skip warns on stderr; in CI a missing server fails.
const skip = postgresSkip();

let pg: TestPostgres;
let counter = 0;
const opened: Array<{ close(): Promise<void> }> = [];

before(async () => { if (!skip) pg = await startPostgres(); });
after(async () => {
  for (const o of opened.reverse()) await o.close().catch(() => undefined);
  await pg?.stop();
});

async function teamBroker(url: string, clock: ManualClock, cloud = new FakeCloud(clock)) {
  const db = await openPostgres(url);
  const ledger = await Ledger.open(db);
  const broker = new Broker({ ledger, policy: fixedPolicy(examplePolicy()), cloud, audience: 'team-test', clock, scheduler: clock });
  await broker.start();
  const handle = { broker, ledger, cloud, close: async () => { await broker.stop(); await ledger.close(); } };
  opened.push(handle);
  return handle;
}

async function freshDatabase(): Promise<string> {
  return createDatabase(pg.url, `tidemark_test_${process.pid}_${++counter}`);
}

const { config } = examplePolicy();
const alice = user(config, 'alice');
const bob = user(config, 'bob');
const carol = user(config, 'carol');

test('migrations are versioned and safe when brokers start at once', { skip }, async () => {
  const url = await freshDatabase();
  const [a, b] = await Promise.all([openPostgres(url), openPostgres(url)]);
  const applied = await Promise.all([migrate(a), migrate(b)]);
  // Each migration applied exactly once across the two brokers, whichever won the race.
  assert.deepEqual(applied.flat().sort((x, y) => x - y), migrations.map((m) => m.version));
  assert.deepEqual(await migrate(a), []);
  await a.close();
  await b.close();
});

test('approvals racing on two brokers issue credentials once; the chain stays intact', { skip }, async () => {
  const url = await freshDatabase();
  const clock = new ManualClock(WORKING_HOURS);
  const cloud = new FakeCloud(clock);
  const one = await teamBroker(url, clock, cloud);
  const two = await teamBroker(url, clock, cloud);
  for (let round = 0; round < 6; round++) {
    const g = await one.broker.request(alice, { role: 'prod-operator', durationSeconds: 3600, reason: `race ${round}` });
    const results = await Promise.allSettled([one.broker.approve(bob, g.id), two.broker.approve(carol, g.id)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal((await two.broker.get(g.id)).state, 'active');
  }
  assert.equal(cloud.assumed.length, 6);
  const verdict = await one.broker.auditVerify();
  assert.equal(verdict.ok, true);
  const seqs = (await one.broker.auditExport()).map((r) => r.seq);
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'concurrent appends never fork or skip the chain');
});

test('a revoke on one broker beats an activation in flight on another', { skip }, async () => {
  const url = await freshDatabase();
  const clock = new ManualClock(WORKING_HOURS);
  const slow = new FakeCloud(clock);
  let release!: () => void;
  slow.gate = new Promise((r) => { release = r; });
  const one = await teamBroker(url, clock, slow);
  const two = await teamBroker(url, clock);
  const g = await one.broker.request(alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  const approving = one.broker.approve(bob, g.id);
  await waitFor('the activation to reach AssumeRole', () => slow.assumed.length > 0);
  await two.broker.revoke(carol, g.id, 'stop');
  release();
  await within('the activation in flight to finish', approving);
  assert.equal((await one.broker.get(g.id)).state, 'revoked');
  await assert.rejects(one.broker.getCredentials(alice, g.id), (e: unknown) => e instanceof AccessError && e.code === 'conflict');
});

test('LISTEN/NOTIFY pushes changes made by one broker to the clients of another', { skip }, async () => {
  const url = await freshDatabase();
  const clock = new ManualClock(WORKING_HOURS);
  const one = await teamBroker(url, clock);
  const two = await teamBroker(url, clock);
  const seen: string[] = [];
  const reported = (state: string) => new Promise<void>((resolve) => {
    two.broker.subscribe((e) => {
      if (e.type === 'grant' && e.grant.state === state) resolve();
    });
  });
  two.broker.subscribe((e) => { if (e.type === 'grant') seen.push(e.grant.state); });
  // The other broker reads the grant when a notice arrives, so a state that lasts less than that read
  // may be skipped (the stream never goes back): wait for each push before making the next change.
  const pending = reported('pending');
  const g = await one.broker.request(alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  await within('the other broker to report the request', pending);
  const active = reported('active');
  await one.broker.approve(bob, g.id);
  await within('the other broker to report the grant active', active);
  assert.deepEqual(seen.filter((s, i) => s !== seen[i - 1]).filter((s) => s === 'pending' || s === 'active'), ['pending', 'active'], seen.join(','));
});

test('a deadline set on one broker fires on another that only heard of it, after the first stops', { skip }, async () => {
  // Each broker keeps its next deadline in memory: a request made elsewhere must arm it through the notice.
  const url = await freshDatabase();
  const clock = new ManualClock(WORKING_HOURS);
  const one = await teamBroker(url, clock);
  const two = await teamBroker(url, clock);
  let heard!: () => void;
  const heardPending = new Promise<void>((resolve) => { heard = resolve; });
  two.broker.subscribe((e) => { if (e.type === 'grant' && e.grant.state === 'pending') heard(); });
  const g = await one.broker.request(alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'expires elsewhere' });
  await within('the other broker to hear of the request', heardPending);
  await one.close();
  clock.advance(3601); // past the example policy's one-hour pending timeout
  await waitFor('the other broker to expire the request', async () => (await two.broker.get(g.id)).state === 'expired');
  const expiries = (await two.broker.auditExport()).filter((r) => r.grantId === g.id && r.data.to === 'expired');
  assert.equal(expiries.length, 1);
});

test('team HTTP: no token or a wrong token is 401 and audited; with token and proof it works, events stream', { skip }, async () => {
  const url = await freshDatabase();
  const clock = new ManualClock(new Date());
  const { broker, cloud } = await teamBroker(url, clock);
  const token = 'team-token-0123456789abcdef';
  const http = await serveBroker(broker, { token });
  opened.push(http);
  const keys = new Map([[alice.arn, cloud.credentialsFor(alice.arn)], [bob.arn, cloud.credentialsFor(bob.arn)]]);
  const proofs = (arn: string) => (audience: string) => createIdentityProof({ credentials: keys.get(arn)!, region: 'us-east-1', stsEndpoint: STS, audience, now: clock.now() });
  const is401 = (e: unknown) => e instanceof AccessError && e.code === 'unauthenticated';
  await assert.rejects(httpClient(http.url, proofs(alice.arn)).call('grants', {}), is401);
  await assert.rejects(httpClient(http.url, proofs(alice.arn), 'wrong-token-wrong-token').call('grants', {}), is401);
  const raw = await fetch(`${http.url}/v1/grants`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' });
  assert.equal(raw.status, 401);
  const failures = (await broker.auditExport()).filter((r) => r.kind === 'auth-failure');
  assert.deepEqual(failures.map((r) => r.data.reason), ['missing or wrong broker token', 'missing identity proof']);

  const aliceClient = httpClient(http.url, proofs(alice.arn), token);
  const bobClient = httpClient(http.url, proofs(bob.arn), token);
  opened.push(aliceClient, bobClient);
  assert.equal((await aliceClient.call('whoami', {})).name, 'alice');
  const events: string[] = [];
  // The broker's listeners, to see when the client's event stream is connected (no fixed sleep).
  const listeners = (broker as unknown as { listeners: Set<unknown> }).listeners;
  const before = listeners.size;
  const activeSeen = new Promise<void>((resolve) => aliceClient.subscribe((e) => { if (e.type === 'grant') { events.push(e.grant.state); if (e.grant.state === 'active') resolve(); } }));
  await waitFor('alice\'s event stream to connect', () => listeners.size > before);
  // Working hours in Berlin are needed for the request policy; use a ticket so any hour works.
  const g = await aliceClient.call('request', { role: 'prod-operator', durationSeconds: 1800, reason: 'deploy', ticket: 'OPS-9' });
  await assert.rejects(aliceClient.call('approve', { id: g.id }), (e: unknown) => e instanceof AccessError && e.code === 'forbidden');
  await bobClient.call('approve', { id: g.id });
  await within('the event stream to report the grant active', activeSeen);
  const creds = await aliceClient.call('credentials', { id: g.id });
  assert.equal(creds.accessKeyId, cloud.issued[0].accessKeyId);
  await assert.rejects(bobClient.call('credentials', { id: g.id }), (e: unknown) => e instanceof AccessError && e.code === 'forbidden');
  // Notices can arrive after the grant moved on, so a state may be skipped, but never reordered.
  const order = ['pending', 'approved', 'active'];
  const ranks = events.map((state) => order.indexOf(state));
  assert.ok(ranks.every((r, i) => r >= 0 && (i === 0 || r > ranks[i - 1])), `states in order, each once: ${events.join(' → ')}`);
  assert.equal(events.at(-1), 'active');
});

test('durability: a broker dies mid-activation; on restart nothing is lost or duplicated and missed expiries apply', { skip }, async () => {
  const url = await freshDatabase();
  const clock = new ManualClock(WORKING_HOURS);
  const first = await teamBroker(url, clock);
  const short = await first.broker.request(alice, { role: 'prod-operator', durationSeconds: 900, reason: 'short' });
  await first.broker.approve(bob, short.id);
  const pending = await first.broker.request(carol, { role: 'prod-operator', durationSeconds: 3600, reason: 'waits' });
  first.cloud.gate = new Promise(() => undefined); // AssumeRole never returns: the broker "dies" inside it
  const g = await first.broker.request(alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'mid-activation' });
  void first.broker.approve(carol, g.id);
  await waitFor('the second activation to reach AssumeRole', () => first.cloud.assumed.length >= 2);
  await first.ledger.close(); // the process is gone: no stop(), no cleanup

  clock.advance(2 * 3600); // down for two hours
  const second = await teamBroker(url, new ManualClock(clock.now()));
  assert.equal((await second.broker.get(g.id)).state, 'active', 'the interrupted activation completes');
  assert.equal(second.cloud.assumed.filter((a) => a.sessionName === `tidemark-${g.id}`).length, 1);
  assert.equal((await second.broker.get(short.id)).state, 'expired');
  assert.equal((await second.broker.get(pending.id)).state, 'expired');
  const all = await second.broker.grants({ all: true });
  assert.deepEqual(all.map((x) => x.id).sort(), [short.id, pending.id, g.id].sort());
  const activations = (await second.broker.auditExport()).filter((r) => r.kind === 'activate' && r.grantId === g.id);
  assert.equal(activations.length, 1);
  assert.equal((await second.broker.auditVerify()).ok, true);
});
