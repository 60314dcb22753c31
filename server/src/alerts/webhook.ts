// Webhook delivery in the background: a bounded in-order queue, retried with the shared capped,
// jittered exponential backoff. `send` only enqueues, so a receiver that is slow or down never blocks the
// watch loop; when the queue is full the oldest waiting alert is dropped and the count logged.
import { backoffDelay } from '../backoff';
import type { Alert } from './alert';
import { SIGNATURE_HEADER, signature, webhookBody, WebhookFormat } from './format';
import type { AlertSink } from './sink';

export interface WebhookOptions {
  url: string;
  format: WebhookFormat;
  /** HMAC key for `X-Tidemark-Signature`; read from the environment by the caller, never logged. */
  secret?: string;
  /** Alerts waiting at most (default 200). */
  maxQueue?: number;
  /** Attempts per alert before it is given up (default 8). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** Operational messages (drops, give-ups); never alert bodies or the secret. */
  log?: (message: string) => void;
  random?: () => number;
}

interface Pending {
  alert: Alert;
  body: string;
  attempts: number;
}

export interface WebhookStats {
  delivered: number;
  dropped: number;
  failed: number;
  attempts: number;
  queued: number;
}

/** 408, 425, 429 and 5xx are worth retrying; any other 4xx will fail the same way again. */
function retryable(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export class WebhookSink implements AlertSink {
  readonly name = 'webhook';
  private readonly queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private closing = false;
  private wake: (() => void) | undefined;
  private readonly waiters: Array<() => void> = [];
  private droppedUnlogged = 0;
  private inFlight: Pending | undefined;
  readonly stats: WebhookStats = { delivered: 0, dropped: 0, failed: 0, attempts: 0, queued: 0 };

  constructor(private readonly o: WebhookOptions) {}

  send(alert: Alert): void {
    if (this.closing) return;
    const body = webhookBody(alert, this.o.format);
    this.queue.push({ alert, body, attempts: 0 });
    const max = this.o.maxQueue ?? 200;
    while (this.queue.length > max) {
      // The alert in flight cannot be taken back: the oldest one still waiting goes.
      this.queue.splice(this.queue[0] === this.inFlight ? 1 : 0, 1);
      this.stats.dropped++;
      // The first drop of a burst is logged at once; the rest are summed up when delivery resumes.
      if (this.droppedUnlogged++ === 0) this.log(`webhook queue full (${max}): dropping the oldest alerts until ${this.o.url} accepts again`);
    }
    this.stats.queued = this.queue.length;
    this.running ??= this.pump().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when nothing is queued or in flight (tests, and `close`). */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops retrying: what is queued gets one last attempt each, then the rest is counted as failed. */
  async close(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await this.running;
    this.flushDropLog();
  }

  private log(message: string): void {
    this.o.log?.(message);
  }

  private flushDropLog(): void {
    if (this.droppedUnlogged > 0) {
      this.log(`webhook: dropped ${this.droppedUnlogged} alert(s) while the queue was full (${this.stats.dropped} in total)`);
      this.droppedUnlogged = 0;
    }
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const item = this.queue[0]!;
      this.inFlight = item;
      const outcome = await this.attempt(item).finally(() => {
        this.inFlight = undefined;
      });
      if (outcome === 'ok') {
        this.remove(item);
        this.stats.delivered++;
        this.flushDropLog();
        continue;
      }
      const attempts = this.o.maxAttempts ?? 8;
      if (outcome === 'fatal' || item.attempts >= attempts || this.closing) {
        this.remove(item);
        this.stats.failed++;
        this.log(`webhook: gave up on alert ${item.alert.id} after ${item.attempts} attempt(s): ${this.lastError}`);
        continue;
      }
      // It stays at the head while waiting, so it is the oldest and the first to go when the queue fills.
      await this.backoff(item.attempts);
    }
    this.stats.queued = 0;
    for (const w of this.waiters.splice(0)) w();
  }

  private remove(item: Pending): void {
    const i = this.queue.indexOf(item);
    if (i >= 0) this.queue.splice(i, 1);
    this.stats.queued = this.queue.length;
  }

  private lastError = '';

  private async attempt(item: Pending): Promise<'ok' | 'retry' | 'fatal'> {
    item.attempts++;
    this.stats.attempts++;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'tidemark-alerts/1' };
    if (this.o.secret) headers[SIGNATURE_HEADER] = signature(item.body, this.o.secret);
    try {
      const response = await fetch(this.o.url, { method: 'POST', headers, body: item.body, redirect: 'error', signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000) });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return 'ok';
      this.lastError = `HTTP ${response.status}`;
      return retryable(response.status) ? 'retry' : 'fatal';
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      this.lastError = cause ?? (error as Error).message;
      return 'retry';
    }
  }

  /** The shared capped, jittered schedule (base·2^(n−1), never under half a step), cut short by close(). */
  private backoff(attempt: number): Promise<void> {
    const ms = backoffDelay(attempt, { baseMs: this.o.baseDelayMs ?? 500, capMs: this.o.maxDelayMs ?? 60_000 }, this.o.random);
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      // Waiting to retry must not keep a finished process alive.
      timer.unref?.();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
