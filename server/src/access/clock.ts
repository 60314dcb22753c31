// Time is injected so expiry can be tested at the exact second without waiting.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Calls `tick` when the earliest deadline the broker cares about arrives. */
export interface Scheduler {
  /** Arranges one call of `fn` at (or soon after) `at`; returns a cancel function. */
  at(when: Date, fn: () => void): () => void;
}

/** Real timers; long delays are chunked because setTimeout overflows past ~24.8 days. */
export function timerScheduler(clock: Clock = systemClock): Scheduler {
  return {
    at(when, fn) {
      let timer: NodeJS.Timeout | undefined;
      let cancelled = false;
      const arm = () => {
        if (cancelled) return;
        const delay = when.getTime() - clock.now().getTime();
        if (delay <= 0) { fn(); return; }
        timer = setTimeout(arm, Math.min(delay, 2 ** 30));
        timer.unref();
      };
      arm();
      return () => { cancelled = true; if (timer) clearTimeout(timer); };
    },
  };
}

/** A clock and scheduler the caller moves by hand (tests, the sandbox demo). */
export class ManualClock implements Clock, Scheduler {
  private current: number;
  private pending: Array<{ when: number; fn: () => void }> = [];

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  at(when: Date, fn: () => void): () => void {
    const entry = { when: when.getTime(), fn };
    this.pending.push(entry);
    return () => { this.pending = this.pending.filter((e) => e !== entry); };
  }

  /** Moves time forward and fires every deadline that passed, in order. */
  advance(seconds: number): void {
    this.current += seconds * 1000;
    const due = this.pending.filter((e) => e.when <= this.current).sort((a, b) => a.when - b.when);
    this.pending = this.pending.filter((e) => e.when > this.current);
    for (const e of due) e.fn();
  }
}
