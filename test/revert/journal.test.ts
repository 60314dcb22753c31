// The revert journal's SQL on both ledgers: embedded PGlite, and PostgreSQL (team mode) when a
// server can be started. Leases keep two brokers off the same step; a plan is saved once.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Grant } from '../../server/src/model';
import type { Database } from '../../server/src/access/ledger/database';
import { Ledger } from '../../server/src/access/ledger/ledger';
import { openPglite } from '../../server/src/access/ledger/pglite-database';
import { openPostgres } from '../../server/src/access/ledger/postgres-database';
import { RevertJournal, revertRecords, revertStatuses } from '../../server/src/revert/journal';
import type { PlannedStep } from '../../server/src/revert/plan';
import { createDatabase, postgresSkip, startPostgres, TestPostgres } from '../access/postgres-server';

// Runs whenever PostgreSQL is installed; a skip warns on stderr; in CI a missing server fails.
const skipPostgres = postgresSkip();
let pg: TestPostgres | undefined;
after(async () => { await pg?.stop(); });

const T0 = new Date('2026-11-25T10:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

const grant: Grant = {
  id: 'g-journal1', requester: 'arn:aws:iam::123456789012:user/alice', requesterName: 'alice', role: 'prod-operator',
  roleArn: 'arn:aws:iam::123456789012:role/prod-operator', durationSeconds: 600, reason: 'test', state: 'expired', breakGlass: false,
  decisions: [], requestedAt: T0.toISOString(), activatedAt: T0.toISOString(), endsAt: at(600).toISOString(), endedAt: at(600).toISOString(), version: 3,
};

const step = (address: string, extra: Partial<PlannedStep> = {}): PlannedStep => ({
  address, resourceType: 'aws_security_group', attributePath: ['ingress'], liveId: 'sg-1', expected: [{ from_port: 22 }], target: [],
  policy: 'revert (default)', state: 'planned', status: 'drifted', reason: 'policy revert (default)', dueAt: at(600).toISOString(), ...extra,
});

async function exercise(db: Database): Promise<void> {
  const ledger = await Ledger.open(db);
  let now = at(600);
  const journal = new RevertJournal(ledger, () => now);
  await ledger.transaction(async (tx) => {
    await ledger.insertGrant(tx, grant);
    await journal.owe(tx, grant.id, grant.endedAt!, at(600));
    await journal.owe(tx, grant.id, grant.endedAt!, at(600)); // idempotent
  });
  assert.deepEqual(await journal.duePlans(at(599)), []);
  assert.deepEqual(await journal.duePlans(now), [{ grantId: grant.id, attempts: 0 }]);
  await journal.postponePlan(grant.id, at(605), 'CloudTrail unreachable');
  assert.equal((await journal.nextDue())?.toISOString(), at(605).toISOString());
  now = at(605);
  const steps = [step('aws_security_group.web'), step('aws_vpc.main', { resourceType: 'aws_vpc', attributePath: ['enable_dns_hostnames'], expected: false, target: true, dueAt: at(1200).toISOString() }),
    step('aws_instance.web', { resourceType: 'aws_instance', attributePath: [], state: 'skipped', status: 'adopted', dueAt: undefined })];
  assert.equal(await journal.savePlan(grant.id, steps, { changes: 3 }), true);
  assert.equal(await journal.savePlan(grant.id, steps, { changes: 3 }), false, 'a second planner writes nothing');

  // Two brokers: the first claims the due step, the second finds nothing until the lease ends.
  const a = await journal.claimNext(now, at(665));
  assert.equal(a?.address, 'aws_security_group.web');
  assert.deepEqual(a?.expected, [{ from_port: 22 }]);
  assert.equal(await journal.claimNext(now, at(665)), undefined);
  assert.equal((await journal.claimNext(at(666), at(700)))?.seq, a!.seq, 'an expired lease is taken over');
  await journal.retryLater(a!, at(700), 'Throttling');
  assert.equal(await journal.claimNext(at(699), at(760)), undefined);
  const again = await journal.claimNext(at(700), at(760));
  assert.equal(again?.attempts, 1);
  now = at(701);
  await journal.finish(again!, 'done', 'reverted', 'written back and confirmed');
  assert.equal((await journal.nextDue())?.toISOString(), at(1200).toISOString(), 'the grace-period step is next');

  assert.deepEqual((await revertStatuses(db, grant.id)).map((s) => [s.address, s.attributePath.join('.'), s.state, s.status]), [
    ['aws_security_group.web', 'ingress', 'done', 'reverted'],
    ['aws_vpc.main', 'enable_dns_hostnames', 'planned', 'drifted'],
    ['aws_instance.web', '', 'skipped', 'adopted'],
  ]);
  assert.deepEqual(await revertRecords(db, grant.id), [
    { address: 'aws_security_group.web', attributePath: ['ingress'], at: at(701).toISOString(), ok: true, message: 'written back and confirmed' },
  ]);
  const audit = (await ledger.readAudit()).filter((r) => r.kind === 'revert').map((r) => r.data.event);
  assert.deepEqual(audit, ['planned', 'planned', 'planned', 'plan', 'retry', 'done']);
}

test('journal on PGlite', async () => {
  const db = await openPglite();
  try {
    await exercise(db);
  } finally {
    await db.close();
  }
});

test('journal on PostgreSQL', { skip: skipPostgres }, async () => {
  pg = await startPostgres();
  const db = await openPostgres(await createDatabase(pg.url, `tidemark_revert_${process.pid}`));
  try {
    await exercise(db);
  } finally {
    await db.close();
  }
});
