// Every AWS call goes through one gate: counts calls per "service:Operation", caps concurrency,
// retries throttling and transient failures with full-jitter exponential backoff, and halves its
// concurrency on throttling (growing back slowly on success). A credentials failure stops the
// whole scan at once: retrying cannot fix it and every further call would fail the same way.
import { AwsCallError, AwsFailure, describeError } from './errors';

export interface GateOptions {
  concurrency: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_GATE: GateOptions = { concurrency: 16, maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 5_000 };

const RETRYABLE = new Set(['throttled', 'server', 'unreachable']);

export class CallGate {
  private readonly counts = new Map<string, number>();
  private active = 0;
  private limit: number;
  private readonly waiting: Array<() => void> = [];
  /** Set by the first credentials failure; every later call fails with it without reaching AWS. */
  fatal?: AwsCallError;
  throttled = 0;

  constructor(private readonly options: GateOptions = DEFAULT_GATE) {
    this.limit = options.concurrency;
  }

  /** Calls made, keyed by "service:Operation" (attempts included). */
  stats(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort());
  }

  totalCalls(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  private async acquire(): Promise<void> {
    while (this.active >= Math.max(1, Math.floor(this.limit))) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  private delay(attempt: number): number {
    const cap = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempt);
    return Math.floor((this.options.random ?? Math.random)() * cap);
  }

  async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    let last: AwsFailure | undefined;
    for (let attempt = 0; attempt < this.options.maxAttempts; attempt++) {
      if (this.fatal) throw this.fatal;
      await this.acquire();
      let failure: AwsFailure;
      try {
        this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
        const result = await fn();
        this.limit = Math.min(this.options.concurrency, this.limit + 1 / Math.max(1, this.limit));
        return result;
      } catch (error) {
        failure = describeError(error);
      } finally {
        this.release();
      }
      last = failure;
      if (failure.kind === 'credentials') {
        this.fatal = new AwsCallError(operation, failure);
        throw this.fatal;
      }
      if (!RETRYABLE.has(failure.kind)) throw new AwsCallError(operation, failure);
      if (failure.kind === 'throttled') {
        this.throttled++;
        this.limit = Math.max(1, this.limit / 2);
      }
      if (attempt + 1 < this.options.maxAttempts) await (this.options.sleep ?? sleep)(this.delay(attempt));
    }
    throw new AwsCallError(operation, last ?? { kind: 'other', code: 'Error', message: 'no attempt made' });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
