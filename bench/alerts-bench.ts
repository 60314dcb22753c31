// Change → alert latency: carol makes unauthorized tag changes through the SDK against the sandbox;
// the time from the API call to the webhook receiving the alert that shows the new value.
//   1. Through the queue: `tidemark watch --queue` (the bundled CLI), fed by the sandbox's
//      EventBridge rule — p50/p95 over sequential changes.
//   2. Through LookupEvents: `tidemark watch` polling every 30 s (the default), each change made at
//      a random phase of the poll. The sandbox shows events at once; AWS's CloudTrail adds its own
//      delivery delay (minutes) on top, which this does not model.
//   3. Failover: two `tidemark broker` processes on PostgreSQL, both configured to watch the queue;
//      changes stream in round robin over three resources, the leader is killed (SIGKILL) half way;
//      counts lost and duplicate alerts, and the time until the other process leads.
import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { startSandbox, type SandboxHandle } from '../sandbox/src/index';
import type { Scenario } from '../sandbox/src/scenario';
import type { Alert } from '../server/src/alerts/alert';
import { createDatabase, postgresUnavailable, startPostgres } from '../test/access/postgres-server';
import { demoScenario, keyOf } from '../test/sandbox/helpers';
import { childEnv } from '../test/support/child-env';
import { carolTags, demoWorkspace, eventQueue, queueScenario, sqsFor, webInstance } from '../test/watch/queue-support';
import { summarize, type Summary } from './stats';

type Log = (line: string) => void;

export interface LatencyResult {
  changes: number;
  /** Changes whose alert did not arrive within the wait. */
  missed: number;
  latencyMs: Summary;
}

export interface FailoverResult {
  changes: number;
  /** Changes whose new value reached the webhook in an alert. */
  alerted: number;
  /** Changes overwritten on the same resource before anyone read them; a later alert shows the newer value. */
  superseded: number;
  /** Changes neither alerted nor superseded: lost. */
  lost: number;
  /** Alerts delivered more than once (same id), plus values announced as new drift twice. */
  duplicates: number;
  /** SIGKILL of the leader → the other process logs `watch: leading`. */
  takeoverMs: number;
  /** SIGKILL → the first alert the new leader delivers. */
  firstAlertAfterKillMs: number;
}

export interface AlertsBenchResult {
  queue: LatencyResult;
  lookupEvents: LatencyResult & { intervalSeconds: number };
  failover: FailoverResult | { skipped: string };
}

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Webhook receiver: every alert with its arrival time. */
class Receiver {
  readonly alerts: Array<{ alert: Alert; at: number; raw: string }> = [];
  private server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const alert = (JSON.parse(body) as { alert: Alert }).alert;
      this.alerts.push({ alert, at: performance.now(), raw: JSON.stringify(alert) });
      res.writeHead(204).end();
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/alerts`;
  }
  /** The first drift alert on `resource` that shows `value`, arriving after index `from`. */
  find(resource: string, value: string, from = 0): { at: number } | undefined {
    return this.alerts.slice(from).find((a) => a.alert.resource === resource && a.alert.kind.startsWith('drift-') && a.raw.includes(value));
  }
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (condition()) return true;
    await sleep(10);
  }
  return condition();
}

interface Proc { child: ChildProcess; log: () => string; lines: Array<{ at: number; text: string }> }

function startCli(args: string[], cwd: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const lines: Proc['lines'] = [];
  const take = (d: Buffer) => {
    const text = d.toString('utf8');
    log += text;
    for (const l of text.split('\n')) if (l) lines.push({ at: performance.now(), text: l });
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return { child, log: () => log, lines };
}

async function stopProc(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Sequential changes to the web instance's Team tag; latency to the alert showing each value. */
async function latency(o: { sandbox: SandboxHandle; scenario: Scenario; receiver: Receiver; changes: number; label: string; phaseMs: number; timeoutMs: number; log: Log }): Promise<LatencyResult> {
  const samples: number[] = [];
  let missed = 0;
  for (let i = 0; i < o.changes; i++) {
    if (o.phaseMs) await sleep(Math.random() * o.phaseMs);
    const value = `${o.label}-${i}-${Date.now().toString(36)}`;
    const from = o.receiver.alerts.length;
    const t0 = performance.now();
    await carolTags(o.sandbox, o.scenario, [webInstance(o.scenario)], value);
    if (await until(() => o.receiver.find('aws_instance.web', value, from) !== undefined, o.timeoutMs)) {
      samples.push(o.receiver.find('aws_instance.web', value, from)!.at - t0);
    } else {
      missed++;
      o.log(`  ${o.label} change ${i}: no alert within ${o.timeoutMs / 1000} s`);
    }
    if ((i + 1) % 10 === 0) o.log(`  ${o.label}: ${i + 1}/${o.changes}`);
  }
  return { changes: o.changes, missed, latencyMs: summarize(samples.length ? samples : [NaN]) };
}

async function watchLatency(o: { smoke: boolean; log: Log; queue: boolean }): Promise<LatencyResult> {
  const dirs: string[] = [];
  const scenario = withQueues(demoScenario());
  const sandbox = await startSandbox(scenario);
  const sqs = sqsFor(sandbox, scenario);
  const receiver = new Receiver();
  let proc: Proc | undefined;
  try {
    const hook = await receiver.start();
    const dir = demoWorkspace(dirs, 'tidemark-bench-alerts-');
    const reader = keyOf(scenario, 'drift-reader');
    const env = { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region, AWS_ACCESS_KEY_ID: reader.accessKeyId, AWS_SECRET_ACCESS_KEY: reader.secretAccessKey };
    const interval = o.smoke ? 2 : 30;
    const args = ['watch', '.', '--webhook', hook, '--json'];
    if (o.queue) args.push('--queue', await eventQueue(sandbox, scenario, sqs, 'bench'));
    else args.push('--interval', `${interval}s`);
    proc = startCli(args, dir, env);
    // Ready once the first (full) reading is done: a probe change comes through.
    if (!(await until(() => proc!.log().includes('watching ') || proc!.child.exitCode !== null, 180_000)) || proc.child.exitCode !== null) {
      throw new Error(`watch did not start (exit ${proc.child.exitCode ?? 'none yet'}): ${proc.log()}`);
    }
    const probe = await latency({ sandbox, scenario, receiver, changes: 1, label: 'probe', phaseMs: 0, timeoutMs: 120_000, log: o.log });
    if (probe.missed) throw new Error(`watch never alerted the probe change: ${proc.log()}`);
    const changes = o.queue ? (o.smoke ? 3 : 100) : o.smoke ? 1 : 10;
    return await latency({ sandbox, scenario, receiver, changes, label: o.queue ? 'queue' : 'lookup', phaseMs: o.queue ? 0 : interval * 1000, timeoutMs: o.queue ? 30_000 : (interval + 30) * 1000, log: o.log });
  } finally {
    if (proc) await stopProc(proc);
    sqs.destroy();
    await receiver.stop();
    await sandbox.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

function withQueues(s: Scenario): Scenario {
  queueScenario(s);
  s.limits = { lookupEventsPerSecond: 2 };
  return s;
}

async function failover(o: { smoke: boolean; log: Log }): Promise<FailoverResult | { skipped: string }> {
  const why = postgresUnavailable();
  if (why) return { skipped: why };
  const pg = await startPostgres();
  const dirs: string[] = [];
  const scenario = withQueues(demoScenario());
  const sandbox = await startSandbox(scenario);
  const sqs = sqsFor(sandbox, scenario);
  const receiver = new Receiver();
  const procs: Proc[] = [];
  try {
    const database = await createDatabase(pg.url, 'bench_alerts');
    const hook = await receiver.start();
    const dir = demoWorkspace(dirs, 'tidemark-bench-failover-');
    const url = await eventQueue(sandbox, scenario, sqs, 'failover', { VisibilityTimeout: '10' });
    appendFileSync(path.join(dir, '.tidemark/config.yaml'), `\nwatch:\n  queues: [${url}]\n  sweep: 1h\n  webhooks:\n    - url: ${hook}\n      format: json\n`);
    const reader = keyOf(scenario, 'drift-reader');
    const env = { TIDEMARK_BROKER_TOKEN: 'bench-alerts-token-0123456789', AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region, AWS_ACCESS_KEY_ID: reader.accessKeyId, AWS_SECRET_ACCESS_KEY: reader.secretAccessKey };
    const broker = () => startCli(['broker', '--database', database, '--workspace', dir, '--listen', '127.0.0.1:0'], dir, env);
    const leads = (p: Proc) => p.lines.find((l) => l.text.includes('watch: leading'));
    procs.push(broker(), broker());
    if (!(await until(() => procs.some((p) => leads(p)) && procs.every((p) => p.log().includes('tidemark broker listening')), 120_000))) {
      throw new Error(`no broker leads the watch: ${procs.map((p) => p.log()).join('\n---\n')}`);
    }
    const leader = procs.find((p) => leads(p))!;
    const other = procs.find((p) => p !== leader)!;

    const resources: Array<{ address: string; id: string }> = [
      { address: 'aws_instance.web', id: webInstance(scenario) },
      { address: 'aws_instance.worker', id: scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-worker')!.id },
      { address: 'aws_vpc.main', id: scenario.vpcs![0]!.id },
    ];
    const total = o.smoke ? 6 : 60;
    const made: Array<{ address: string; value: string }> = [];
    let killedAt = 0;
    for (let i = 0; i < total; i++) {
      const r = resources[i % resources.length]!;
      const value = `fo-${i}-${Date.now().toString(36)}`;
      await carolTags(sandbox, scenario, [r.id], value);
      made.push({ address: r.address, value });
      if (i === Math.floor(total / 2)) {
        leader.child.kill('SIGKILL');
        killedAt = performance.now();
        o.log(`  failover: leader killed after change ${i}`);
      }
      await sleep(500);
    }
    // Wait until the last change of each resource is alerted (or a minute: lost ones never are).
    const lastOf = resources.map((r) => [...made].reverse().find((m) => m.address === r.address)!);
    await until(() => lastOf.every((m) => receiver.find(m.address, m.value)), 60_000);
    let alerted = 0;
    let superseded = 0;
    let lost = 0;
    made.forEach((m, i) => {
      if (receiver.find(m.address, m.value)) alerted++;
      else if (made.slice(i + 1).some((later) => later.address === m.address && receiver.find(later.address, later.value))) superseded++;
      else lost++;
    });
    const ids = receiver.alerts.map((a) => a.alert.id);
    const announced = receiver.alerts.filter((a) => a.alert.kind === 'drift-appeared').map((a) => `${a.alert.resource} ${made.find((m) => m.address === a.alert.resource && a.raw.includes(m.value))?.value ?? a.alert.id}`);
    const duplicates = ids.length - new Set(ids).size + (announced.length - new Set(announced).size);
    const took = leads(other);
    const firstAfter = receiver.alerts.find((a) => a.at > killedAt);
    return {
      changes: total, alerted, superseded, lost, duplicates,
      takeoverMs: took ? Math.round(took.at - killedAt) : NaN,
      firstAlertAfterKillMs: firstAfter ? Math.round(firstAfter.at - killedAt) : NaN,
    };
  } finally {
    for (const p of procs) await stopProc(p);
    sqs.destroy();
    await receiver.stop();
    await sandbox.stop();
    await pg.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

export async function runAlertsBench(o: { smoke: boolean; log: Log }): Promise<AlertsBenchResult> {
  o.log('  through the queue');
  const queue = await watchLatency({ ...o, queue: true });
  o.log('  through LookupEvents polls');
  const lookupEvents = { ...(await watchLatency({ ...o, queue: false })), intervalSeconds: o.smoke ? 2 : 30 };
  o.log('  failover of the team broker watch');
  const fo = await failover(o);
  return { queue, lookupEvents, failover: fo };
}
