// Broker throughput: request → approve → activate cycles with 8 concurrent clients on PGlite and on
// PostgreSQL, and `audit verify` over 100,000 chained records. The cloud is the test suite's
// in-process AccessCloud, which issues credentials at once, so the figures are the broker's own
// (policy, lifecycle, ledger transactions, audit chain), not STS latency.
import { Broker } from '../server/src/access/broker';
import { ManualClock } from '../server/src/access/clock';
import { canonicalJson } from '../server/src/access/canonical-json';
import { seal, verifyStoredChain } from '../server/src/access/audit-chain';
import { Database } from '../server/src/access/ledger/database';
import { Ledger } from '../server/src/access/ledger/ledger';
import { openPglite } from '../server/src/access/ledger/pglite-database';
import { openPostgres } from '../server/src/access/ledger/postgres-database';
import { fixedPolicy } from '../server/src/access/policy-source';
import type { AuditRecord } from '../server/src/model';
import { examplePolicy, FakeCloud, user, WORKING_HOURS } from '../test/access/helpers';
import { postgresUnavailable, startPostgres } from '../test/access/postgres-server';
import { summarize, Summary } from './stats';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

type Log = (line: string) => void;

export interface CyclesResult {
  ledger: 'pglite' | 'postgresql';
  clients: number;
  cycles: number;
  cyclesPerSecond: number;
  /** Latency of one cycle as a client sees it. */
  cycleMs: Summary;
}

export interface AuditVerifyResult {
  ledger: 'pglite' | 'postgresql';
  records: number;
  /** broker.auditVerify(): read every record from the ledger and check the chain. */
  recordsPerSecond: Summary;
  /** verifyStoredChain alone over the stored rows already in memory (what auditVerify checks them with). */
  chainOnlyRecordsPerSecond: Summary;
}

export interface BrokerBenchResult {
  cycles: CyclesResult[];
  auditVerify: AuditVerifyResult[];
  postgresSkipped?: string;
}

async function runCycles(ledgerName: CyclesResult['ledger'], db: Database, clients: number, perClient: number, log: Log): Promise<{ result: CyclesResult; broker: Broker; ledger: Ledger }> {
  const ledger = await Ledger.open(db);
  const clock = new ManualClock(WORKING_HOURS);
  const state = examplePolicy();
  const broker = new Broker({ ledger, policy: fixedPolicy(state), cloud: new FakeCloud(clock), audience: 'bench-broker', clock, scheduler: clock });
  await broker.start();
  const alice = user(state.config, 'alice');
  const bob = user(state.config, 'bob');
  // Each request gives its own reason, as people do: the policy's answers to requests are not repeats.
  let cycles = 0;
  const cycle = async () => {
    const requested = await broker.request(alice, { role: 'prod-operator', durationSeconds: 3600, reason: `benchmark cycle ${++cycles}` });
    const decided = await broker.approve(bob, requested.id);
    if (decided.state !== 'active') throw new Error(`grant ${decided.id} is ${decided.state} after approval; expected active`);
  };
  await cycle(); // warm-up: policy evaluation, prepared paths
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) {
        const t = performance.now();
        await cycle();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const result: CyclesResult = { ledger: ledgerName, clients, cycles: clients * perClient, cyclesPerSecond: Math.round((clients * perClient * 10) / seconds) / 10, cycleMs: summarize(latencies) };
  log(`broker ${ledgerName}: ${result.cyclesPerSecond} cycles/s with ${clients} clients`);
  return { result, broker, ledger };
}

/**
 * Extends the chain to `total` records with copies of the broker's own records (re-sealed, so the
 * chain stays valid), inserted 1,000 rows per statement: setup, not what is measured.
 */
async function fillAudit(ledger: Ledger, total: number): Promise<void> {
  const existing = await ledger.readAudit();
  // Copies are about no grant: chained row digests and commands of real grants must not repeat.
  const templates = existing.map(({ seq: _s, prevHash: _p, hash: _h, grantId: _g, ...body }) => body);
  let prev = existing[existing.length - 1]?.hash ?? '0'.repeat(64);
  let seq = existing.length;
  const base = Date.parse(WORKING_HOURS);
  while (seq < total) {
    const rows: AuditRecord[] = [];
    for (let i = 0; i < 1000 && seq < total; i++) {
      const t = templates[seq % templates.length];
      const sealed = seal({ ...t, at: new Date(base + seq * 1000).toISOString() }, ++seq, prev);
      prev = sealed.hash;
      rows.push(sealed);
    }
    const params: unknown[] = [];
    const values = rows.map((r, i) => {
      const { seq: s, prevHash, hash, ...body } = r;
      params.push(s, r.at, r.kind, r.grantId ?? null, canonicalJson(body), prevHash, hash);
      return `(${Array.from({ length: 7 }, (_, k) => `$${i * 7 + k + 1}`).join(', ')})`;
    });
    await ledger.db.query(`INSERT INTO audit (seq, at, kind, grant_id, body, prev_hash, hash) VALUES ${values.join(', ')}`, params);
  }
  await ledger.db.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [seq, prev]);
}

async function startProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function runAuditVerify(ledgerName: AuditVerifyResult['ledger'], broker: Broker, ledger: Ledger, total: number, runs: number, log: Log): Promise<AuditVerifyResult> {
  await fillAudit(ledger, total);
  // TIDEMARK_BENCH_CPU_PROFILE=<file>: a CPU profile of the verify runs alone, in <file>.<ledger>.cpuprofile.
  const stopProfile = process.env.TIDEMARK_BENCH_CPU_PROFILE ? await startProfile(`${process.env.TIDEMARK_BENCH_CPU_PROFILE}.${ledgerName}.cpuprofile`) : undefined;
  const rates: number[] = [];
  // Per CPU-second of this process too (logged only): on a loaded machine wall time mostly measures the load.
  const cpuRates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const verdict = await broker.auditVerify();
    const s = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    if (!verdict.ok || verdict.count !== total) throw new Error(`audit verify on ${ledgerName}: ${JSON.stringify(verdict)}`);
    rates.push(Math.round(total / s));
    cpuRates.push(Math.round(total / ((used.user + used.system) / 1e6)));
  }
  await stopProfile?.();
  const rows = await ledger.readAuditRows();
  const chainOnly: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    verifyStoredChain(rows);
    chainOnly.push(Math.round(total / ((performance.now() - t) / 1000)));
  }
  const result = { ledger: ledgerName, records: total, recordsPerSecond: summarize(rates), chainOnlyRecordsPerSecond: summarize(chainOnly) };
  log(`audit verify ${ledgerName}: ${result.recordsPerSecond.median} records/s (${summarize(cpuRates).median} per CPU-second of this process; chain only ${result.chainOnlyRecordsPerSecond.median})`);
  return result;
}

export async function runBrokerBench(options: { smoke: boolean; log: Log }): Promise<BrokerBenchResult> {
  const clients = 8;
  // TIDEMARK_BENCH_BROKER_AUDIT_ONLY=1: one cycle per client (the chain's templates), for iterating on verify.
  const perClient = options.smoke || process.env.TIDEMARK_BENCH_BROKER_AUDIT_ONLY === '1' ? 1 : 25;
  const records = options.smoke ? 1_000 : 100_000;
  const runs = options.smoke ? 1 : 3;
  // TIDEMARK_BENCH_BROKER_CYCLES_ONLY=1: only the cycles (while iterating on them); the full bench runs both.
  const cyclesOnly = process.env.TIDEMARK_BENCH_BROKER_CYCLES_ONLY === '1';
  const out: BrokerBenchResult = { cycles: [], auditVerify: [] };

  const lite = await openPglite();
  try {
    const { result, broker, ledger } = await runCycles('pglite', lite, clients, perClient, options.log);
    out.cycles.push(result);
    if (!cyclesOnly) out.auditVerify.push(await runAuditVerify('pglite', broker, ledger, records, runs, options.log));
    await broker.stop();
  } finally {
    await lite.close();
  }

  const why = postgresUnavailable();
  if (why) {
    out.postgresSkipped = why;
    options.log(`broker postgresql: skipped (${why})`);
    return out;
  }
  const server = await startPostgres();
  try {
    const db = await openPostgres(server.url);
    try {
      const { result, broker, ledger } = await runCycles('postgresql', db, clients, perClient, options.log);
      out.cycles.push(result);
      if (!cyclesOnly) out.auditVerify.push(await runAuditVerify('postgresql', broker, ledger, records, runs, options.log));
      await broker.stop();
    } finally {
      await db.close();
    }
  } finally {
    await server.stop();
  }
  return out;
}
