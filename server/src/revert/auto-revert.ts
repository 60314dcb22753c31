// Auto-revert, as the broker's GrantEndHandler: when a grant ends the broker journals that a plan is
// owed (in the ending transaction); on its tick this plans the revert of every change made under the
// grant that is still drifted and not adopted, then executes the steps one at a time with the
// broker's own credentials. Each step is leased, re-read before writing and confirmed after, so a
// crash resumes where it stopped and a retry never writes twice over someone else's change.
import type { Clock } from '../access/clock';
import { systemClock } from '../access/clock';
import { backoffDelay, BackoffPolicy } from '../backoff';
import type { GrantEndContext, GrantEndHandler } from '../access/broker';
import type { SqlExecutor } from '../access/ledger/database';
import type { Ledger } from '../access/ledger/ledger';
import { redact } from '../access/redact';
import { grantChanges, ResourceRef } from '../attribution/changes';
import { writeEvents } from '../attribution/classify';
import type { Grant } from '../model';
import type { RevertConfig } from './config';
import { RevertJournal, RevertStep } from './journal';
import { ChangedResource, confirmStep, planRevert, PlannedStep, Recheck, recheckStep, ResourceNow, Settled } from './plan';
import type { RevertTarget } from './target';

export interface AutoRevertOptions {
  ledger: Ledger;
  /** Connects to the workspace with the broker's own credentials; opened at most once per run. */
  openTarget: () => Promise<RevertTarget>;
  /** The `revert:` policy, read anew for each plan; throws (file:line:column) when the file is broken. */
  config: () => RevertConfig;
  clock?: Clock;
  log?: (line: string) => void;
  /** Called after each executed step is recorded (the broker's event stream carries only alerts). */
  onStep?: (step: RevertStep) => void;
  /** How long a claimed step is reserved for this broker (another team broker takes over after). */
  leaseSeconds?: number;
  /** Transient failures (throttling beyond the call gate's retries, unreadable live state) before a step fails. */
  maxAttempts?: number;
  /**
   * Wall-clock time one run may take (default 10 s). The run shares the broker's tick with expiries
   * and revocations, so a long revert yields and continues on the next tick (a second later).
   */
  runBudgetMs?: number;
  /** Jitter source for retry delays (tests fix it). */
  random?: () => number;
}

/** 5 s doubling to 10 min: a revert waits out throttling without hammering the API. */
const REVERT_RETRY: BackoffPolicy = { baseMs: 5_000, capMs: 600_000 };

const TRANSIENT = new Set(['throttled', 'server', 'unreachable']);

export class AutoRevert implements GrantEndHandler {
  readonly journal: RevertJournal;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;

  constructor(private readonly o: AutoRevertOptions) {
    this.clock = o.clock ?? systemClock;
    this.log = o.log ?? (() => undefined);
    this.journal = new RevertJournal(o.ledger, () => this.clock.now());
  }

  async ended(tx: SqlExecutor, grant: Grant): Promise<void> {
    let settle = 0;
    try {
      settle = this.o.config().settleSeconds;
    } catch {
      // A broken file is reported when planning; the plan is owed either way.
    }
    const endedAt = grant.endedAt ?? this.clock.now().toISOString();
    await this.journal.owe(tx, grant.id, endedAt, new Date(Date.parse(endedAt) + settle * 1000));
  }

  nextDue(): Promise<Date | undefined> {
    return this.journal.nextDue();
  }

  async run(ctx: GrantEndContext): Promise<void> {
    let target: Promise<RevertTarget> | undefined;
    const open = () => (target ??= this.o.openTarget());
    const deadline = Date.now() + (this.o.runBudgetMs ?? 10_000);
    let done = 0;
    // Every run makes progress (one plan or step) before it may yield.
    const yieldNow = () => ctx.stopping() || (done > 0 && Date.now() > deadline);
    for (const plan of await this.journal.duePlans(this.clock.now())) {
      if (yieldNow()) return;
      await this.plan(plan.grantId, plan.attempts, ctx, open);
      done++;
    }
    for (;;) {
      if (yieldNow()) return;
      const now = this.clock.now();
      const step = await this.journal.claimNext(now, new Date(now.getTime() + (this.o.leaseSeconds ?? 120) * 1000));
      if (!step) return;
      await this.execute(step, ctx, open);
      done++;
    }
  }

  /** When to try again after `attempts` failures so far: the shared capped, jittered schedule. */
  private backoff(attempts: number): Date {
    return new Date(this.clock.now().getTime() + backoffDelay(attempts + 1, REVERT_RETRY, this.o.random));
  }

  // -- planning ---------------------------------------------------------------------------------

  private async plan(grantId: string, attempts: number, ctx: GrantEndContext, open: () => Promise<RevertTarget>): Promise<void> {
    const postpone = async (why: string) => {
      const give = attempts + 1 >= (this.o.maxAttempts ?? 8);
      if (attempts === 0 || give) ctx.alert(grantId, `grant ${grantId}: auto-revert ${give ? 'gave up planning' : 'cannot plan yet (will retry)'}: ${redact(why)}`);
      if (give) await this.journal.savePlan(grantId, [], { outcome: 'not planned', reason: redact(why) });
      else await this.journal.postponePlan(grantId, this.backoff(attempts), why);
      this.log(`grant ${grantId}: revert plan postponed: ${redact(why)}`);
    };
    const grant = await this.o.ledger.getGrant(this.o.ledger.db, grantId);
    if (!grant?.activatedAt) {
      await this.journal.savePlan(grantId, [], { outcome: 'nothing to revert', reason: 'the grant was never active' });
      return;
    }
    let config: RevertConfig;
    try {
      config = this.o.config();
    } catch (error) {
      return postpone((error as Error).message);
    }
    try {
      await ctx.syncApiEvents(grant);
    } catch (error) {
      return postpone(`CloudTrail events of the grant could not be read: ${(error as Error).message}`);
    }
    const events = await this.o.ledger.listApiEvents(grantId);
    const writes = writeEvents(events);
    if (writes.length === 0) {
      await this.journal.savePlan(grantId, [], { outcome: 'nothing to revert', reason: 'no write calls under the grant' });
      return;
    }
    let t: RevertTarget;
    try {
      t = await open();
    } catch (error) {
      return postpone(`cannot read the workspace's cloud: ${(error as Error).message}`);
    }
    const touchedNames = new Set(writes.flatMap((e) => e.resources));
    const touched = t.resources().filter((r) => r.names.some((n) => touchedNames.has(n)));
    if (touched.length === 0) {
      await this.journal.savePlan(grantId, [], { outcome: 'nothing to revert', reason: 'the grant wrote to no resource in Terraform state', writes: writes.length });
      return;
    }
    let read;
    try {
      read = await t.read(touched.map((r) => r.address));
    } catch (error) {
      return postpone(`live read failed: ${(error as Error).message}`);
    }
    const refs: ResourceRef[] = touched.map((r) => {
      const entry = read.entries.get(r.address);
      return { address: r.address, names: r.names, live: entry?.status === 'found' ? entry.resource.attributes : undefined };
    });
    const changes = grantChanges({ grant, events, commands: await this.o.ledger.listCommands(grantId), drifts: read.drifts, resources: refs });
    const changed: ChangedResource[] = changes.map((c) => ({ address: c.address, attributePaths: c.attributePath.length ? [c.attributePath] : [] }));
    const resources = new Map<string, ResourceNow>();
    for (const r of touched) {
      const entry = read.entries.get(r.address);
      resources.set(r.address, {
        type: r.type,
        status: entry?.status ?? 'unknown',
        liveId: entry?.status === 'found' ? entry.resource.id : undefined,
        tags: entry?.status === 'found' ? ((entry.resource.attributes.tags ?? {}) as Record<string, string>) : {},
        reason: entry?.status === 'found' ? undefined : entry?.reason,
      });
    }
    const plan = planRevert({ grantId, changed, drifts: read.drifts, resources, config, now: this.clock.now() });
    if (plan.unreadable.length && attempts + 1 < (this.o.maxAttempts ?? 8)) {
      return postpone(`live state unreadable: ${plan.unreadable.map((u) => `${u.address} (${u.reason})`).join('; ')}`);
    }
    const steps: PlannedStep[] = [
      ...plan.steps,
      ...plan.unreadable.map((u): PlannedStep => ({
        address: u.address, resourceType: resources.get(u.address)?.type ?? '', attributePath: [], expected: null, target: null, policy: '-',
        state: 'failed', status: 'revert-failed', reason: `live state could not be read: ${u.reason}`, alert: `grant ${grantId}: cannot revert ${u.address}: live state could not be read: ${u.reason}`,
      })),
    ];
    const saved = await this.journal.savePlan(grantId, steps, {
      changes: changes.length,
      toRevert: steps.filter((s) => s.state === 'planned').length,
    });
    if (!saved) return;
    for (const s of steps) if (s.alert) ctx.alert(grantId, redact(s.alert));
    this.log(`grant ${grantId}: revert planned: ${steps.map((s) => `${s.address} ${s.attributePath.join('.') || '-'} ${s.state}`).join('; ') || 'nothing to do'}`);
  }

  // -- execution --------------------------------------------------------------------------------

  private async execute(step: RevertStep, ctx: GrantEndContext, open: () => Promise<RevertTarget>): Promise<void> {
    try {
      const t = await open();
      const recheck = await this.recheck(t, step);
      if (recheck.do !== 'write') return await this.settle(step, recheck, ctx);
      const outcome = await t.write(recheck.drift);
      if (!outcome.ok) {
        if (outcome.failure && TRANSIENT.has(outcome.failure.kind)) return await this.settle(step, { do: 'retry', reason: outcome.message }, ctx);
        // Unsupported attribute, forceNew, AccessDenied: nothing a retry fixes; a person must act.
        return await this.settle(step, { do: 'finish', state: 'failed', status: 'revert-failed', reason: outcome.message, alert: `grant ${step.grantId}: cannot revert ${step.address} ${step.attributePath.join('.')}: ${outcome.message}` }, ctx);
      }
      const after = await t.read([step.address]);
      const confirmed = confirmStep(step, after.entries.get(step.address), after.drifts.find((d) => samePath(d.attributePath, step.attributePath)));
      await this.settle(step, confirmed, ctx, { wrote: true, note: recheck.note });
    } catch (error) {
      // Unexpected (workspace cannot be opened, ledger hiccup): the step stays planned and is tried again.
      await this.settle(step, { do: 'retry', reason: (error as Error).message }, ctx);
    }
  }

  private async recheck(t: RevertTarget, step: RevertStep): Promise<Recheck> {
    const now = await t.read([step.address]);
    return recheckStep(step, now.entries.get(step.address), now.drifts.find((d) => samePath(d.attributePath, step.attributePath)), t.types);
  }

  private async settle(step: RevertStep, r: Settled, ctx: GrantEndContext, extra: { wrote?: boolean; note?: string } = {}): Promise<void> {
    if (r.do === 'retry') {
      if (step.attempts + 1 >= (this.o.maxAttempts ?? 8)) {
        const reason = `gave up after ${step.attempts + 1} attempts: ${r.reason}`;
        await this.journal.finish(step, 'failed', 'revert-failed', reason, extra);
        ctx.alert(step.grantId, redact(`grant ${step.grantId}: cannot revert ${step.address} ${step.attributePath.join('.')}: ${reason}`));
      } else {
        await this.journal.retryLater(step, this.backoff(step.attempts), r.reason);
        this.log(`grant ${step.grantId}: revert step ${step.seq} (${step.address}) postponed: ${redact(r.reason)}`);
      }
    } else {
      await this.journal.finish(step, r.state, r.status, r.reason, { ...extra, expected: step.expected ?? null, target: step.target ?? null });
      if (r.alert) ctx.alert(step.grantId, redact(r.alert));
      this.log(`grant ${step.grantId}: revert step ${step.seq} ${step.address} ${step.attributePath.join('.')}: ${r.state}: ${redact(r.reason)}`);
    }
    this.o.onStep?.({ ...step, state: r.do === 'retry' ? 'planned' : r.state, status: r.do === 'retry' ? step.status : r.status, reason: r.reason });
  }
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
