// Refused authentications per source: a fixed one-minute window each. Beyond the limit a source is
// turned away (HTTP 429) until its window ends, without asking STS or the ledger. Pure bookkeeping
// over an injected clock; the HTTP server does the I/O.
import { Clock } from './clock';

export const REFUSAL_WINDOW_SECONDS = 60;

export interface RefusalLimitOptions {
  /** Refusals a source may collect in one window before it is turned away (default 20). */
  perWindow?: number;
  /** Sources tracked at once; beyond this, new sources share one window (memory stays bounded). */
  maxSources?: number;
}

interface Window {
  start: number;
  count: number;
}

export class RefusalLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly perWindow: number;
  private readonly maxSources: number;

  constructor(private readonly clock: Clock, o: RefusalLimitOptions = {}) {
    this.perWindow = o.perWindow ?? 20;
    this.maxSources = o.maxSources ?? 10_000;
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= REFUSAL_WINDOW_SECONDS * 1000) this.windows.delete(k);
  }

  private key(source: string): string {
    return this.windows.has(source) || this.windows.size < this.maxSources ? source : '*';
  }

  private current(source: string, now: number): Window | undefined {
    const w = this.windows.get(this.key(source));
    if (w && now - w.start >= REFUSAL_WINDOW_SECONDS * 1000) {
      this.windows.delete(this.key(source));
      return undefined;
    }
    return w;
  }

  /** Whole seconds until `source` may try again; 0 when it may now. */
  retryAfter(source: string): number {
    const now = this.clock.now().getTime();
    const w = this.current(source, now);
    if (!w || w.count < this.perWindow) return 0;
    return Math.max(1, Math.ceil((w.start + REFUSAL_WINDOW_SECONDS * 1000 - now) / 1000));
  }

  /** Counts one refused authentication from `source`. */
  refused(source: string): void {
    const now = this.clock.now().getTime();
    if (this.windows.size >= this.maxSources) this.prune(now);
    const w = this.current(source, now);
    if (w) w.count++;
    else this.windows.set(this.key(source), { start: now, count: 1 });
  }
}
