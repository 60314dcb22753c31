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
import type { TeamWatchConfig } from '../watch/team-config';
import { openQueue, QueueConsumer, QueueFatalError } from './queue-consumer';
import { ignoreCommentsOf, rootFilesOf, RootModule, withoutBrokenBlocks } from './root-module';
import { Follower } from './watch-follower';
import { WorkspaceIndex } from '../hcl/workspace-index';

export interface TeamWatchOptions {
  config: TeamWatchConfig;
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
  const root = path.relative(workspace, config.root) || '.';
  const text = JSON.stringify({ root, region: config.region ?? null, queues: [...config.queues].sort() });
  return `watch:${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
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
    return `${c.root}${c.queues.length ? `: queue${c.queues.length > 1 ? 's' : ''} ${c.queues.join(', ')}` : ''}, a LookupEvents ${c.queues.length ? 'sweep' : 'poll'} every ${(c.queues.length ? c.sweepMs : c.intervalMs) / 1000}s`;
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

  private cursorStore(): CursorStore {
    return {
      load: async () => {
        const stored = await this.ledger.loadCursor();
        return stored === undefined ? undefined : parseCursor(`ledger watch_cursors[${this.key}]`, JSON.stringify(stored));
      },
      save: (cursor) => this.ledger.saveCursor(cursor),
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

      const root = config.root;
      const load = async () => {
        const files = withoutBrokenBlocks(rootFilesOf(root, await new WorkspaceIndex().addFolder(root))).files;
        return { files, comments: await ignoreCommentsOf(files) };
      };
      const module = new RootModule({ root, env, credentials: this.o.credentials, aws: { region: config.region } });
      await module.loadConfig();
      await module.connect((await load()).files);
      const follower = new Follower({
        module, load, intervalMs: config.intervalMs, sweepMs: config.sweepMs, budget: config.budget,
        cursorStore: this.cursorStore(), resume: true,
        grants: this.o.grants ? grantEvidence(this.o.grants) : undefined,
        emit: (event) => {
          const alert = toAlert(event, { root, at: new Date() });
          claims = claims.then(async () => {
            if (await this.ledger.claimAlert(alert.id, alert)) {
              bus.emit(alert);
              claimed.push(alert.id);
            }
          });
        },
      });
      // The follower's cycle is done only once its alerts are claimed and handed over: then the
      // queue messages may go.
      const settled = { ingest: async (events: Parameters<Follower['ingest']>[0]) => {
        const report = await follower.ingest(events);
        await deliver();
        return report;
      }, get pendingWork() { return follower.pendingWork; } };

      const first = await follower.poll();
      await deliver();
      if (first.error) log(`watch: first reading failed: ${first.error}`);
      const consumers: QueueConsumer[] = [];
      for (const url of config.queues) {
        const address = parseQueueUrl(url);
        if (typeof address === 'string') throw new Error(address);
        const sqs = await openQueue(module.clients!, address, url);
        queues.push(sqs);
        consumers.push(new QueueConsumer({ sqs, queueUrl: url, follower: settled, waitSeconds: this.o.queueWaitSeconds, report: log, signal: session.signal }));
      }
      let lastSweep = Date.now();
      while (!session.signal.aborted && !this.stopped) {
        if (!consumers.length) {
          // No queue: LookupEvents polls, as `tidemark watch` without --queue.
          await this.pause(follower.nextDelayMs());
          if (session.signal.aborted || this.stopped) break;
          const report = await follower.poll();
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
          const report = await follower.poll();
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
