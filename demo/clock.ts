// The broker's time in the demo: real time plus an offset the story moves forward ("two minutes
// later"). Only the broker jumps: the cloud and the people keep real time, as a broker whose clock
// runs ahead would see them (proofs and CloudTrail times stay within the usual clock skew).
import { Clock, Scheduler, timerScheduler } from '../server/src/access/clock';

export class FastForwardClock implements Clock, Scheduler {
  private offsetMs = 0;
  private readonly timers = timerScheduler(this);

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  at(when: Date, fn: () => void): () => void {
    return this.timers.at(when, fn);
  }

  /** Moves time forward; deadlines already armed fire late, so callers run the broker's tick after. */
  forward(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}
