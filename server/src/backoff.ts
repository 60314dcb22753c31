// One retry schedule for every loop that talks to something that may be down (the cloud, a webhook,
// CloudTrail): exponential, capped, jittered. Pure: attempt number in, delay out; the randomness is
// injected so tests can fix it.

export interface BackoffPolicy {
  /** Wait before the first retry. */
  baseMs: number;
  /** No wait is longer than this, however many attempts failed. */
  capMs: number;
}

/**
 * Delay before retry number `attempt` (1 = the first retry): base·2^(attempt−1), capped, with
 * "equal jitter" — half the step fixed, half random — so many processes retrying the same dead
 * endpoint spread out, yet none ever retries faster than half a step.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt) - 1), 40);
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(step / 2 + (step / 2) * r);
}
