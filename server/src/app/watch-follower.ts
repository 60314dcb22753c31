// The follower behind `tidemark watch`: each poll lists CloudTrail write events since its cursor,
// maps them to state addresses, re-reads only those resources (within the poll's API-call budget),
// diffs, attributes and checks guardrails, and reports what changed. A full sweep runs only on a
// slow interval (or when the budget could not list every new event). Throttling stretches the
// interval exponentially until a poll goes through cleanly.
import { backoffDelay } from '../backoff';
import type { GrantEvidence } from '../attribution/classify';
import { classifyDrift, driftKey } from '../attribution/classify';
import { AwsCallError } from '../cloud/errors';
import { RESOURCE_TYPES } from '../cloud/types';
import type { IgnoreComment } from '../drift/ignore';
import type { ParsedHclFile } from '../hcl/parse-file';
import type { Attribution, ChangeEvent, Drift, StateInstance } from '../model';
import { changesFromDrift } from '../guardrails/changes';
import { evaluateChanges, Guardrails } from '../guardrails/guardrails';
import type { RootModule } from './root-module';
import { advanceCursor, type CursorStore, fileCursorStore, freshCursor, rememberQueueEvents, WatchCursor } from '../watch/cursor';
import type { WatchEvent } from '../watch/events';
import { ResourceIndex } from '../watch/resource-map';
import { lookupWriteEventsIn } from '../watch/trail';
import { transitions } from '../watch/transitions';

export interface FollowerOptions {
  /** Connected root module (config, state, credentials, live cache). */
  module: RootModule;
  /** The declared files and their ignore comments, read anew each poll (the code may change). */
  load: () => Promise<{ files: ParsedHclFile[]; comments: ReadonlyMap<string, IgnoreComment[]> }>;
  /** `.tidemark/watch-state.json`; undefined keeps the cursor in memory only. */
  cursorFile?: string;
  /** Another place for the cursor (a team broker's ledger); wins over cursorFile. */
  cursorStore?: CursorStore;
  /**
   * Keep the reported drifts with the cursor and start from them: a process taking the watch over
   * announces only what changed since, not every drift again (team broker failover).
   */
  resume?: boolean;
  intervalMs: number;
  sweepMs: number;
  /** API calls one poll may make (CloudTrail pages + re-reads; a due sweep waits until it fits). */
  budget: number;
  /** Events are re-listed this far back, for CloudTrail's late delivery (default 5 min). */
  overlapMs?: number;
  /** Longest wait between polls when backing off (default 16 intervals). */
  maxBackoffMs?: number;
  /** Jitter source for backed-off waits (tests fix it). */
  random?: () => number;
  guardrails?: Guardrails;
  /** Grants to attribute to; undefined = no broker: unauthorized changes are still found. */
  grants?: () => Promise<GrantEvidence[] | undefined>;
  emit: (event: WatchEvent) => void;
  now?: () => Date;
}

export interface PollReport {
  calls: number;
  /** New write events listed this poll. */
  events: number;
  /** Addresses those events touched. */
  touched: string[];
  /** Addresses re-read this poll (all of them on a sweep). */
  reread: string[];
  /** Touched addresses left for the next poll (budget). */
  deferred: string[];
  sweep: boolean;
  /** Queue events skipped because their CloudTrail eventID was already processed (redeliveries). */
  duplicates: number;
  throttled: boolean;
  error?: string;
  emitted: WatchEvent[];
}

/** Events kept per address for attribution: enough for any realistic burst of changes. */
const EVENTS_PER_ADDRESS = 50;

export class Follower {
  private cursor: WatchCursor | undefined;
  private baseline = false;
  private drifts = new Map<string, Drift>();
  private readonly pending = new Set<string>();
  /** The events that made `pending` addresses pending, by id: saved with the cursor until re-read. */
  private readonly pendingEvents = new Map<string, ChangeEvent>();
  /** Cycles run one at a time: a queue batch and the sweep (or two batches) never interleave. */
  private running: Promise<unknown> = Promise.resolve();
  private readonly eventsByAddress = new Map<string, ChangeEvent[]>();
  /** Measured calls to re-read one batch of a type, and a full sweep: what the budget is checked against. */
  private readonly costByType = new Map<string, number>();
  private sweepCost = 0;
  private backoff = 0;
  private index: ResourceIndex | undefined;

  private readonly store: CursorStore | undefined;

  constructor(private readonly o: FollowerOptions) {
    this.store = o.cursorStore ?? (o.cursorFile ? fileCursorStore(o.cursorFile) : undefined);
  }

  private now(): Date {
    return (this.o.now ?? (() => new Date()))();
  }

  /** Wait before the next poll: the interval, or after throttled/failed polls in a row the shared jittered backoff from it. */
  nextDelayMs(): number {
    if (this.backoff === 0) return this.o.intervalMs;
    return backoffDelay(this.backoff + 1, { baseMs: this.o.intervalMs, capMs: this.o.maxBackoffMs ?? this.o.intervalMs * 16 }, this.o.random);
  }

  get backoffLevel(): number {
    return this.backoff;
  }

  /** Touched resources not re-read yet (the budget ran out): the queue consumer drives them without waiting for a message. */
  get pendingWork(): number {
    return this.pending.size;
  }

  private instances(): StateInstance[] {
    const m = this.o.module;
    return m.statePresent ? m.state.instances : m.inferred;
  }

  /** One LookupEvents poll (or, the first time, the full baseline reading). */
  poll(): Promise<PollReport> {
    return this.serially(() => this.cycle(undefined));
  }

  /**
   * One batch from an SQS queue (`watch --queue`): the events stand in for a LookupEvents listing.
   * Events whose id was processed before are skipped; the ids are remembered only once the batch
   * went through, so a failed batch is processed again when the queue redelivers it.
   */
  ingest(events: readonly ChangeEvent[]): Promise<PollReport> {
    return this.serially(() => this.cycle(events));
  }

  /**
   * A redelivery that arrives while the first delivery is still being processed (its visibility
   * timeout expired mid-way) waits for it, and then finds its event id remembered: one alert.
   */
  private serially(work: () => Promise<PollReport>): Promise<PollReport> {
    const next = this.running.then(work, work);
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Notes new events on the addresses they touched; a successful write makes its addresses pending. */
  private note(fresh: readonly ChangeEvent[], report: PollReport): void {
    this.index ??= new ResourceIndex(this.instances(), RESOURCE_TYPES);
    const touched = new Set<string>(report.touched);
    for (const e of fresh) {
      for (const address of this.index.addressesOf(e)) {
        touched.add(address);
        const list = [...(this.eventsByAddress.get(address) ?? []), e];
        this.eventsByAddress.set(address, list.slice(-EVENTS_PER_ADDRESS));
        if (!e.errorCode) {
          this.pending.add(address);
          this.pendingEvents.set(e.eventId, e);
        }
      }
    }
    report.events += fresh.length;
    report.touched = [...touched];
  }

  private async cycle(queued: readonly ChangeEvent[] | undefined): Promise<PollReport> {
    const module = this.o.module;
    // Calls and throttling are counted across every region's client set, not the default one only.
    const calls0 = module.totalCalls();
    const throttled0 = module.throttledCalls();
    const now = this.now();
    const report: PollReport = { calls: 0, events: 0, touched: [], reread: [], deferred: [], sweep: false, duplicates: 0, throttled: false, emitted: [] };
    const emit = (e: WatchEvent) => {
      report.emitted.push(e);
      this.o.emit(e);
    };
    try {
      if (!this.cursor) {
        this.cursor = (await this.store?.load()) ?? freshCursor(now);
        if (this.o.resume) for (const d of this.cursor.drifts ?? []) this.drifts.set(driftKey(d), d);
        // Events a previous run took (and deleted from the queue) but had not re-read yet.
        this.note(this.cursor.pending ?? [], { ...report, touched: [] });
      }
      const used = () => module.totalCalls() - calls0;
      let unknown = new Set<string>();
      let fromQueue: ChangeEvent[] = [];
      if (queued) {
        const cursor = this.cursor;
        const once = new Map<string, ChangeEvent>();
        for (const e of queued) if (cursor.queueSeen?.[e.eventId] === undefined && cursor.seen[e.eventId] === undefined) once.set(e.eventId, e);
        fromQueue = [...once.values()].sort((a, b) => a.at.localeCompare(b.at));
        report.duplicates = queued.length - fromQueue.length;
        this.note(fromQueue, report);
      }
      if (!this.baseline) {
        // The first reading is a full one: it is what later polls are compared with.
        const read = await module.refreshAll();
        this.sweepCost = used();
        this.baseline = true;
        this.pending.clear();
        this.pendingEvents.clear();
        this.cursor = { ...this.cursor, lastSweep: now.toISOString() };
        report.sweep = true;
        report.reread = module.cache!.snapshot.addresses();
        unknown = new Set(read.snapshot.unknown().map((u) => u.address));
      } else if (queued) {
        unknown = await this.rereadPending(report, used);
      } else {
        // 1. What changed: write events since the cursor (minus the late-delivery overlap).
        const overlap = this.o.overlapMs ?? 5 * 60_000;
        const listBudget = this.o.budget >= 2 ? this.o.budget - 1 : 1;
        const page = await lookupWriteEventsIn(module.trailClients(), new Date(Date.parse(this.cursor.since) - overlap), listBudget);
        // Events the queue already delivered are known; the listing is then only a backstop.
        const fresh = page.events.filter((e) => this.cursor!.seen[e.eventId] === undefined && this.cursor!.queueSeen?.[e.eventId] === undefined).reverse();
        this.note(fresh, report);
        this.cursor = advanceCursor(this.cursor, fresh, overlap);

        // 2. Re-read: a sweep when due (and affordable), else only what the events touched.
        const sweepDue = now.getTime() - Date.parse(this.cursor.lastSweep ?? this.cursor.since) >= this.o.sweepMs || !page.complete;
        if (sweepDue && used() + this.sweepCost <= this.o.budget) {
          const before = used();
          const read = await module.refreshAll();
          this.sweepCost = used() - before;
          this.pending.clear();
          this.pendingEvents.clear();
          this.cursor = { ...this.cursor, lastSweep: now.toISOString() };
          report.sweep = true;
          report.reread = module.cache!.snapshot.addresses();
          unknown = new Set(read.snapshot.unknown().map((u) => u.address));
        } else {
          unknown = await this.rereadPending(report, used);
        }
      }

      // 3. Diff, attribute, report, and enforce guardrails on new changes.
      const { files, comments } = await this.o.load();
      module.setFiles(files);
      const analysis = module.analyze(files, comments, now);
      const grants = this.o.grants ? await this.o.grants().catch(() => undefined) : undefined;
      const drifts = analysis.drifts.map((d) => this.attribute(d, grants, now));
      for (const u of analysis.unknown) if (u.attributePath.length === 0) unknown.add(u.address);
      const { events, current } = transitions(this.drifts, { drifts, unknownAddresses: unknown });
      this.drifts = current;
      for (const t of events) {
        emit(t);
        if (t.kind === 'appeared') await this.enforce(t.drift, grants, emit);
      }
      if (fromQueue.length) this.cursor = rememberQueueEvents(this.cursor, fromQueue);
      this.cursor = this.withPending(this.cursor);
      if (this.o.resume) this.cursor = { ...this.cursor, drifts: [...this.drifts.values()] };
      if (this.store) await this.store.save(this.cursor);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report.error = message;
      report.throttled = error instanceof AwsCallError && error.failure.kind === 'throttled';
      emit({ kind: 'error', message: `watch poll failed: ${message}` });
    }
    report.throttled ||= module.throttledCalls() > throttled0;
    this.backoff = report.throttled || report.error ? Math.min(this.backoff + 1, 10) : 0;
    report.calls = module.totalCalls() - calls0;
    return report;
  }

  /** The cursor with the events whose resources are still pending (none once all were re-read). */
  private withPending(cursor: WatchCursor): WatchCursor {
    const index = this.index;
    for (const [id, e] of this.pendingEvents) {
      if (!index || !index.addressesOf(e).some((a) => this.pending.has(a))) this.pendingEvents.delete(id);
    }
    const { pending: _, ...rest } = cursor;
    return this.pendingEvents.size ? { ...rest, pending: [...this.pendingEvents.values()] } : rest;
  }

  /** Re-reads pending addresses one type at a time while the measured cost fits the budget. */
  private async rereadPending(report: PollReport, used: () => number): Promise<Set<string>> {
    const unknown = new Set<string>();
    const byType = new Map<string, string[]>();
    for (const inst of this.instances()) if (this.pending.has(inst.address)) byType.set(inst.type, [...(byType.get(inst.type) ?? []), inst.address]);
    for (const [type, addresses] of byType) {
      const estimate = this.costByType.get(type) ?? firstReadCost(type);
      // The first read of a cycle always goes ahead, so a type dearer than the whole budget is not
      // deferred for ever (a queue batch makes no other call before it).
      if (used() + estimate > this.o.budget && used() > 0) {
        report.deferred.push(...addresses);
        continue;
      }
      const before = used();
      const read = await this.o.module.refreshResources(addresses);
      this.costByType.set(type, Math.max(1, used() - before));
      report.reread.push(...addresses);
      for (const a of addresses) {
        if (read.snapshot.get(a)?.status === 'unknown') unknown.add(a);
        else this.pending.delete(a);
      }
    }
    return unknown;
  }

  /** Attribution from the events this follower saw on the resource; a known one is never lost. */
  private attribute(d: Drift, grants: GrantEvidence[] | undefined, now: Date): Drift {
    const events = this.eventsByAddress.get(d.address) ?? [];
    const previous = this.drifts.get(driftKey(d))?.attribution;
    let attribution: Attribution = classifyDrift({ drift: d, events, grants, now });
    if (attribution.class === 'unknown' && previous && previous.class !== 'unknown') attribution = previous;
    return { ...d, attribution };
  }

  /** Guardrails on a new change: a critical alert at once, and a revert where the rule asks for one. */
  private async enforce(d: Drift, grants: GrantEvidence[] | undefined, emit: (e: WatchEvent) => void): Promise<void> {
    if (!this.o.guardrails) return;
    const entry = this.o.module.cache?.snapshot.get(d.address);
    const changes = changesFromDrift(d, {
      grantRole: (id) => grants?.find((g) => g.grant.id === id)?.grant.role,
      liveAttributes: entry?.status === 'found' ? entry.resource.attributes : undefined,
    });
    const { violations, errors } = evaluateChanges(this.o.guardrails, changes);
    for (const e of errors) emit({ kind: 'error', message: e });
    for (const v of violations) emit({ kind: 'guardrail', drift: d, violation: v });
    if (!violations.some((v) => v.onViolation === 'revert')) return;
    const outcome = await this.o.module.revert(d);
    if (outcome.ok) {
      this.drifts.delete(driftKey(d));
      emit({ kind: 'reverted', drift: d, message: outcome.message });
    } else {
      emit({ kind: 'revert-failed', drift: d, message: outcome.message });
    }
  }
}

/**
 * Calls to re-read one batch of a type before any was measured: its own read (or its family's) plus
 * one for a container's member family (a security group's rules), so a first re-read cannot overrun.
 */
function firstReadCost(type: string): number {
  return 1 + (RESOURCE_TYPES.get(type)?.members ? 1 : 0);
}
