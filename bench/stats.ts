export interface Summary {
  runs: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (n: number) => Math.round(n * 100) / 100;
  // The true median: with an even number of runs, the mean of the two middle ones.
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { runs: sorted.length, median: round(median), p95: round(at(0.95)), min: round(sorted[0]), max: round(sorted[sorted.length - 1]) };
}

/** Runs fn `runs` times (after one unmeasured warm-up) and summarizes wall times in ms. */
export async function measure(runs: number, fn: () => Promise<unknown>): Promise<Summary> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}
