// The sandbox's world clock: credential expiry, token issue times, launch times and CloudTrail
// event times follow it. Tests inject `now`; other processes move it through POST /_sandbox/clock.
// Request signatures are checked for skew against the real clock instead (see auth/authenticate.ts),
// because clients sign with their own wall clock.

export class Clock {
  private offsetMs = 0;
  constructor(private readonly base: () => Date = () => new Date()) {}

  now(): Date {
    return new Date(this.base().getTime() + this.offsetMs);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }
}

/** ISO 8601 with milliseconds, as CloudTrail, STS and IAM print times. */
export function isoTime(d: Date): string {
  return d.toISOString();
}

/** ISO 8601 without milliseconds (`2024-01-01T00:00:00Z`), as CloudTrail event bodies print times. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
