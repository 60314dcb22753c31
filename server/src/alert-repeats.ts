// A failure that repeats (the cloud is down, every retry fails the same way) is raised once, then
// summarised at most once per period, instead of one alert per retry. Pure state machine: time is
// passed in, nothing is emitted here; the caller sends what `note`/`resolve` return.

interface Open {
  /** When the alert or its last summary was raised (ms). */
  raisedAt: number;
  /** Repeats since then that were not raised. */
  quiet: number;
  firstAt: number;
}

export class AlertRepeats {
  private readonly open = new Map<string, Open>();

  constructor(private readonly summaryEveryMs: number) {}

  /** A failure for `key`: returns the text to raise now (the first time, or a due summary), else undefined. */
  note(key: string, message: string, now: number): string | undefined {
    const o = this.open.get(key);
    if (!o) {
      this.open.set(key, { raisedAt: now, quiet: 0, firstAt: now });
      return message;
    }
    o.quiet++;
    if (now - o.raisedAt < this.summaryEveryMs) return undefined;
    const text = `${message} (still failing: ${o.quiet} more time(s) since ${new Date(o.raisedAt).toISOString()}, first at ${new Date(o.firstAt).toISOString()})`;
    o.raisedAt = now;
    o.quiet = 0;
    return text;
  }

  /** The failure for `key` is over: returns a closing note if an alert had been raised for it. */
  resolve(key: string, message: string, now: number): string | undefined {
    const o = this.open.get(key);
    if (!o) return undefined;
    this.open.delete(key);
    return `${message} (after failing since ${new Date(o.firstAt).toISOString()}, ${Math.round((now - o.firstAt) / 1000)} s)`;
  }

  isOpen(key: string): boolean {
    return this.open.has(key);
  }
}
