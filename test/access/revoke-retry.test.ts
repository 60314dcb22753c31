// An unreachable cloud must not make the broker spin: after a revoke, with the sandbox stopped, the
// broker retries DeleteRolePolicy with capped exponential backoff (not once per tick), never
// schedules its own wake-up in the past, and raises the alert once, then summaries. One ManualClock
// drives the broker for a simulated hour; the broker talks to the real sandbox over the AWS SDK.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { loadScenarioFile, startSandbox, SandboxHandle, Scenario } from '../../sandbox/src/index';
import { awsCloud } from '../../server/src/access/aws-cloud';
import { Broker, BrokerEvent } from '../../server/src/access/broker';
import { AccessCloud } from '../../server/src/access/cloud';
import { ManualClock, Scheduler } from '../../server/src/access/clock';
import { loadConfig } from '../../server/src/access/config';
import { Ledger } from '../../server/src/access/ledger/ledger';
import { openPglite } from '../../server/src/access/ledger/pglite-database';
import { compilePolicy } from '../../server/src/access/policy';
import { fixedPolicy } from '../../server/src/access/policy-source';
import { REPO, user, WORKING_HOURS } from './helpers';

const SCENARIO = path.join(REPO, 'sandbox/scenarios/demo.yaml');
const TIDEMARK = path.join(REPO, 'examples/demo/.tidemark');

let scenario: Scenario;
let sandbox: SandboxHandle | undefined;
let ledger: Ledger | undefined;
let broker: Broker | undefined;

before(async () => {
  scenario = loadScenarioFile(SCENARIO);
});

after(async () => {
  await broker?.stop();
  await ledger?.close();
  await sandbox?.stop();
});

test('with the cloud gone after a revoke, removing the deny backs off: a bounded number of attempts per hour, one alert then summaries', async () => {
  const clock = new ManualClock(WORKING_HOURS);
  sandbox = await startSandbox(SCENARIO, { now: () => clock.now() });
  const key = scenario.users?.find((u) => u.name === 'tidemark-broker')?.accessKeys?.[0];
  assert.ok(key, 'the scenario has broker keys');
  const real = awsCloud({ AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region }, async () => ({ accessKeyId: key.id, secretAccessKey: key.secret }));
  let deletes = 0;
  const cloud: AccessCloud = { ...real, deleteRolePolicy: (role, name) => { deletes++; return real.deleteRolePolicy(role, name); } };
  // Every wake-up the broker asks for, with the time it asked: none may be in the past (that is the spin).
  const wakeups: Array<{ asked: number; when: number }> = [];
  const scheduler: Scheduler = { at: (when, fn) => { wakeups.push({ asked: clock.now().getTime(), when: when.getTime() }); return clock.at(when, fn); } };
  const config = loadConfig(path.join(TIDEMARK, 'config.yaml'));
  const policy = compilePolicy(readFileSync(path.join(TIDEMARK, 'policy.cedar'), 'utf8'), 'policy.cedar');
  ledger = await Ledger.open(await openPglite());
  broker = new Broker({ ledger, policy: fixedPolicy({ config, policy }), cloud, audience: 'revoke-retry-test', clock, scheduler, random: () => 0.5 });
  await broker.start();
  const alerts: string[] = [];
  broker.subscribe((e: BrokerEvent) => { if (e.type === 'alert') alerts.push(e.message); });
  const [alice, bob] = ['alice', 'bob'].map((n) => user(config, n));

  const g = await broker.request(alice, { role: 'prod-operator', durationSeconds: 1800, reason: 'retry test' });
  await broker.approve(bob, g.id);
  await broker.getCredentials(alice, g.id);
  await broker.revoke(bob, g.id, 'done');
  assert.ok(sandbox.world.roles['prod-operator']!.inlinePolicies[`tidemark-revoke-${g.id}`], 'the deny is attached while the cloud is up');
  await sandbox.stop();
  sandbox = undefined;

  // The 30 min credentials expire; a minute later the deny may go, but the cloud is gone. Then one hour
  // passes in 5 s steps, each with a tick of its own (as a busy broker would have).
  clock.advance(31 * 60 + 5);
  wakeups.length = 0;
  const start = clock.now().getTime();
  for (let t = 0; t < 3600; t += 5) {
    clock.advance(5);
    await broker.tick();
  }
  const mine = alerts.filter((m) => m.includes(`tidemark-revoke-${g.id}`));
  assert.ok(deletes >= 10 && deletes <= 30, `DeleteRolePolicy attempts in an hour: ${deletes} (expected a backed-off handful, not one per tick)`);
  assert.ok(mine.length >= 2 && mine.length <= 6, `alerts about the deny in an hour: ${mine.length}\n${mine.join('\n')}`);
  assert.match(mine[0]!, new RegExp(`^grant ${g.id}: revoke policy tidemark-revoke-${g.id} not removed yet: DeleteRolePolicy`));
  for (const m of mine.slice(1)) assert.match(m, /\(still failing: \d+ more time\(s\) since /);
  const past = wakeups.filter((w) => w.when <= w.asked);
  assert.deepEqual(past, [], 'the broker never schedules a wake-up at or before the time it asks');
  assert.ok(clock.now().getTime() - start >= 3600_000);
  assert.equal((await broker.get(g.id)).state, 'revoked');
});
