// A team broker's own watch: every broker process on the PostgreSQL ledger runs one of these, and
// the one holding the watch's advisory lock follows the configured queues (and the LookupEvents
// sweep behind them) exactly as `tidemark watch` does. Its cursor — processed event ids, pending
// events, the drifts reported — lives in the ledger, and each alert is claimed there by id before
// it is sent, so the process that takes over when the leader dies resumes without a gap and
// without repeating an alert. The others try for the lock every few seconds.
import path from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import type { Alert } from '../alerts/alert';
import { AlertBus, CallbackSink, type AlertSink } from '../alerts/sink';
import { WebhookSink } from '../alerts/webhook';
import type { GrantSource } from '../attribution/attributor';
import type { ClientOptions } from '../cloud/clients';
import { LeaderLock, advisoryKey } from '../access/ledger/leader-lock';
import type { SqlExecutor } from '../access/ledger/database';
import { WatchLedger } from '../access/ledger/watch-ledger';
import { parseCursor, type CursorStore } from '../watch/cursor';
import { toAlert } from '../watch/events';
import { grantEvidence } from '../watch/grants';
import { parseQueueUrl } from '../watch/queue-events';
import type { TeamWatchConfig, WatchRootConfig } from '../watch/team-config';
import { routeEvents, type EventOrigin, type RouteTarget } from '../watch/route-events';
import type { ChangeEvent } from '../model';
import { openQueue, QueueConsumer, QueueFatalError } from './queue-consumer';
import { ignoreCommentsOf, rootFilesOf, RootModule, withoutBrokenBlocks } from './root-module';
import { Follower, type PollReport } from './watch-follower';
import { WorkspaceIndex } from '../hcl/workspace-index';

export interface TeamWatchOptions {
  config: TeamWatchConfig;
  /** The broker's workspace folder: roots are named relative to it. */
  workspace: string;
  /** The ledger's postgres:// URL: the lock takes its own connection. */
  database: string;
  db: SqlExecutor;
  env: NodeJS.ProcessEnv;
  credentials?: ClientOptions['credentials'];
  /** Grants for attribution (the broker's own ledger). */
  grants?: GrantSource;
  log: (line: string) => void;
  /** Every alert this process sends (besides the webhooks): the broker's log. */
  onAlert?: (alert: Alert) => void;
  /** How often a standby process tries for the lock (default 2 s). */
  retryMs?: number;
  /** Queue long-poll wait (default 20 s; tests and benchmarks shorten it). */
  queueWaitSeconds?: number;
}

/** How long a leader waits for its webhooks to take a batch's alerts before deleting the messages. */
const DELIVERY_WAIT_MS = 30_000;

/** The lock (and ledger) key of a watch: the same config on every broker names the same watch. */
export function watchKey(config: TeamWatchConfig, workspace: string): string {
  const rel = (root: string) => path.relative(workspace, root) || '.';
  const queues = [...config.queues].sort();
  const text = config.routed
    ? JSON.stringify({ roots: config.roots.map((r) => ({ root: rel(r.root), account: r.account ?? null, regions: r.regions ?? null })), queues })
    : JSON.stringify({ root: rel(config.root), region: config.region ?? null, queues });
  return `watch:${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

/** One root the leader follows, and which queue events are its own. */
interface FollowedRoot {
  /** Relative to the workspace ('.' for the workspace itself). */
  rel: string;
  config: WatchRootConfig;
  module: RootModule;
  follower: Follower;
  target: RouteTarget;
}

/** An alert's id within one root of several: the same change in two roots is two alerts. */
function rootAlertId(rel: string, id: string): string {
  return createHash('sha256').update(`${rel}\u0000${id}`).digest('hex').slice(0, 16);
}

/** The roots' reports of one cycle as one (what the queue consumer and the log look at). */
function mergeReports(reports: readonly PollReport[]): PollReport {
  const errors = reports.flatMap((r) => (r.error ? [r.error] : []));
  return {
    calls: reports.reduce((n, r) => n + r.calls, 0),
    events: reports.reduce((n, r) => n + r.events, 0),
    touched: reports.flatMap((r) => r.touched),
    reread: reports.flatMap((r) => r.reread),
    deferred: reports.flatMap((r) => r.deferred),
    sweep: reports.some((r) => r.sweep),
    duplicates: reports.reduce((n, r) => n + r.duplicates, 0),
    throttled: reports.some((r) => r.throttled),
    emitted: reports.flatMap((r) => r.emitted),
    ...(errors.length ? { error: errors.join('; ') } : {}),
  };
}

export class TeamWatch {
  private readonly lock: LeaderLock;
  private readonly ledger: WatchLedger;
  private stopped = false;
  private loop: Promise<void> | undefined;
  /** Aborts the leader's session (lock lost or stop()). */
  private session: AbortController | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly o: TeamWatchOptions, readonly key: string) {
    this.lock = new LeaderLock(o.database, advisoryKey(key));
    this.ledger = new WatchLedger(o.db, key);
    this.lock.onLost((why) => {
      o.log(`watch: lost the lead (${why}); another broker takes over`);
      this.session?.abort();
      this.wake?.();
    });
  }

  get leading(): boolean {
    return this.lock.isHeld;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.session?.abort();
    this.wake?.();
    await this.loop;
    await this.lock.release();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let acquired = false;
      try {
        acquired = await this.lock.tryAcquire();
      } catch (error) {
        this.o.log(`watch: cannot reach the ledger for the lock: ${(error as Error).message}`);
      }
      if (acquired && !this.stopped) {
        this.o.log(`watch: leading ${this.describe()}`);
        try {
          await this.lead();
        } catch (error) {
          this.o.log(`watch: stopped leading: ${(error as Error).message}`);
        }
        // Whatever ended the session, the lock goes, so another process (or this one) starts clean.
        await this.lock.release();
      }
      if (!this.stopped) await this.pause(this.o.retryMs ?? 2_000);
    }
  }

  private describe(): string {
    const c = this.o.config;
    const roots = c.routed ? `${c.roots.length} root${c.roots.length > 1 ? 's' : ''} (${c.roots.map((r) => path.relative(this.o.workspace, r.root) || '.').join(', ')})` : c.root;
    return `${roots}${c.queues.length ? `: queue${c.queues.length > 1 ? 's' : ''} ${c.queues.join(', ')}` : ''}, a LookupEvents ${c.queues.length ? 'sweep' : 'poll'} every ${(c.queues.length ? c.sweepMs : c.intervalMs) / 1000}s`;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private cursorStore(ledger: WatchLedger): CursorStore {
    return {
      load: async () => {
        const stored = await ledger.loadCursor();
        return stored === undefined ? undefined : parseCursor(`ledger watch_cursors[${ledger.key}]`, JSON.stringify(stored));
      },
      save: (cursor) => ledger.saveCursor(cursor),
    };
  }

  /** One leadership: follow until the lock is lost, the watch stops, or a fatal error. */
  private async lead(): Promise<void> {
    const session = (this.session = new AbortController());
    const { config, env, log } = this.o;
    const hooks = config.webhooks.map((h) => new WebhookSink({ url: h.url, format: h.format, secret: h.secretEnv ? env[h.secretEnv] || undefined : undefined, log }));
    const sinks: AlertSink[] = [...hooks, new CallbackSink('broker-log', (a) => this.o.onAlert?.(a))];
    const secrets = config.webhooks.flatMap((h) => (h.secretEnv && env[h.secretEnv] ? [env[h.secretEnv]!] : []));
    const bus = new AlertBus(sinks, () => secrets);
    const queues: SQSClient[] = [];
    let claims: Promise<void> = Promise.resolve();
    let claimed: string[] = [];
    const deliver = async (): Promise<void> => {
      // Claimed alerts are in the sinks once the webhooks are idle (delivered or given up).
      await claims;
      const ids = claimed;
      claimed = [];
      let timer: NodeJS.Timeout | undefined;
      const idle = await Promise.race([
        Promise.all(hooks.map((h) => h.idle())).then(() => true),
        new Promise<false>((r) => (timer = setTimeout(() => r(false), DELIVERY_WAIT_MS))),
      ]);
      clearTimeout(timer);
      // A webhook still retrying keeps its alerts unmarked: if this process dies, the next leader sends them.
      if (idle) await this.ledger.markDelivered(ids);
      else claimed.unshift(...ids);
    };
    try {
      // Alert ids only need remembering while a redelivery can still come (SQS: hours, not days).
      await this.ledger.prune(7);
      // Alerts an earlier leader claimed but died before delivering.
      for (const { id, alert } of await this.ledger.undelivered()) {
        bus.emit(alert as Alert);
        claimed.push(id);
      }
      await deliver();

      const roots: FollowedRoot[] = [];
      for (const rootConfig of config.roots) {
        const rel = path.relative(this.o.workspace, rootConfig.root) || '.';
        const module = new RootModule({ root: rootConfig.root, env, credentials: this.o.credentials, aws: { region: rootConfig.region } });
        const load = async () => {
          const files = withoutBrokenBlocks(rootFilesOf(rootConfig.root, await new WorkspaceIndex().addFolder(rootConfig.root))).files;
          return { files, comments: await ignoreCommentsOf(files) };
        };
        try {
          await module.loadConfig();
          await module.connect((await load()).files);
        } catch (error) {
          // Which of several roots could not be followed (credentials, state): the operator's to fix.
          if (config.routed) throw new Error(`root ${rel}: ${(error as Error).message}`);
          throw error;
        }
        // A single-root watch keeps the cursor key it always had; several roots have one each.
        const cursorLedger = config.routed ? new WatchLedger(this.o.db, `${this.key}:${rel}`) : this.ledger;
        const follower = new Follower({
          module, load, intervalMs: config.intervalMs, sweepMs: config.sweepMs, budget: config.budget,
          cursorStore: this.cursorStore(cursorLedger), resume: true,
          grants: this.o.grants ? grantEvidence(this.o.grants) : undefined,
          emit: (event) => {
            // Files are named from the workspace when there are several roots (staging/main.tf, not main.tf).
            const raised = toAlert(event, { root: config.routed ? this.o.workspace : rootConfig.root, at: new Date() });
            // With several roots the alert names its root, and its id differs per root (receivers drop repeats by id).
            const alert: Alert = config.routed ? { ...raised, id: rootAlertId(rel, raised.id), root: rel } : raised;
            claims = claims.then(async () => {
              if (await this.ledger.claimAlert(alert.id, alert)) {
                bus.emit(alert);
                claimed.push(alert.id);
              }
            });
          },
        });
        roots.push({ rel, config: rootConfig, module, follower, target: {} });
      }

      const first = mergeReports(await Promise.all(roots.map((r) => r.follower.poll())));
      await deliver();
      if (first.error) log(`watch: first reading failed: ${first.error}`);
      if (config.routed) {
        // Account and regions: as declared, else what the root's credentials and providers say.
        for (const r of roots) {
          const derived = r.module.identity?.account;
          if (r.config.account && derived && r.config.account !== derived) log(`watch: root ${r.rel} is declared for account ${r.config.account}, but its credentials are for ${derived}; routing by the declared one`);
          r.target = { account: r.config.account ?? derived, regions: r.config.regions ?? r.module.trailClients().map((c) => c.region) };
        }
      }
      await this.ledger.saveRoots(roots.map((r) => ({ root: r.rel, account: r.target.account, regions: [...(r.target.regions ?? [])], state: r.module.stateLooked })));
      const ignoredSeen = new Set<string>();
      // The queue's events go to the roots of their account and region; the follower's cycle is
      // done only once its alerts are claimed and handed over: then the queue messages may go.
      const settled = {
        ingest: async (events: readonly ChangeEvent[], origins: ReadonlyMap<string, EventOrigin>) => {
          const routed = routeEvents(roots.map((r) => r.target), events, (e) => origins.get(e.eventId) ?? {});
          const reports: PollReport[] = [];
          for (const [i, r] of roots.entries()) {
            const mine = routed.byTarget[i]!;
            if (!mine.length && !r.follower.pendingWork) continue;
            reports.push(await r.follower.ingest(mine));
            await this.ledger.countRouted(r.rel, mine.length);
          }
          if (routed.ignored.size) {
            await this.ledger.countIgnored(routed.ignored);
            for (const key of routed.ignored.keys()) {
              if (ignoredSeen.has(key)) continue;
              ignoredSeen.add(key);
              log(`watch: events from ${key} (account/region) belong to no root of this watch; counted and ignored (see watchStatus)`);
            }
          }
          await deliver();
          return mergeReports(reports);
        },
        get pendingWork() { return roots.reduce((n, r) => n + r.follower.pendingWork, 0); },
      };
      const pollAll = async (): Promise<PollReport> => mergeReports(await Promise.all(roots.map((r) => r.follower.poll())));
      const nextPollMs = (): number => Math.min(...roots.map((r) => r.follower.nextDelayMs()));

      const consumers: QueueConsumer[] = [];
      for (const url of config.queues) {
        const address = parseQueueUrl(url);
        if (typeof address === 'string') throw new Error(address);
        const sqs = await openQueue(roots[0]!.module.clients!, address, url);
        queues.push(sqs);
        consumers.push(new QueueConsumer({ sqs, queueUrl: url, follower: settled, waitSeconds: this.o.queueWaitSeconds, report: log, signal: session.signal }));
      }
      let lastSweep = Date.now();
      while (!session.signal.aborted && !this.stopped) {
        if (!consumers.length) {
          // No queue: LookupEvents polls, as `tidemark watch` without --queue.
          await this.pause(nextPollMs());
          if (session.signal.aborted || this.stopped) break;
          const report = await pollAll();
          await deliver();
          if (report.error) log(`watch: poll failed: ${report.error}`);
          continue;
        }
        let wait = Infinity;
        for (const consumer of consumers) {
          const round = await consumer.round();
          if (session.signal.aborted) break;
          if (round.error) log(`watch: queue ${round.error}; backing off, the messages stay in the queue`);
          wait = Math.min(wait, consumer.nextDelayMs());
        }
        if (session.signal.aborted) break;
        // The slow sweep behind the queues finds what a lost delivery missed.
        if (Date.now() - lastSweep >= config.sweepMs) {
          lastSweep = Date.now();
          const report = await pollAll();
          await deliver();
          if (report.error) log(`watch: sweep failed: ${report.error}`);
        }
        if (wait > 0) await this.pause(wait);
      }
    } catch (error) {
      if (error instanceof QueueFatalError) throw new Error(error.message);
      throw error;
    } finally {
      await claims.catch(() => undefined);
      await bus.close();
      for (const q of queues) q.destroy();
      this.session = undefined;
    }
  }
}
