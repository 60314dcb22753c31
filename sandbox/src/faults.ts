// Fault injection: added latency, throttling and 5xx errors, globally or per service, set from the
// scenario, command-line flags or POST /_sandbox/faults; and for EventBridge's deliveries of
// CloudTrail events to SQS, dropped, delayed and duplicated messages (the at-least-once, sometimes
// late, occasionally lost delivery a queue consumer must survive). Randomness is injectable for tests.

export const SERVICES = ['ec2', 's3', 'iam', 'sts', 'tagging', 'cloudtrail', 'logs', 'kms', 'route53', 'ssm', 'sqs', 'events', 'ecr', 'autoscaling', 'elasticloadbalancing', 'ecs', 'application-autoscaling', 'secretsmanager', 'sns', 'monitoring', 'rds', 'elasticache', 'dynamodb', 'lambda', 'acm', 'cloudfront', 'wafv2', 'eks', 'apigateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface FaultKnobs {
  /** Milliseconds added before each response. */
  latencyMs?: number;
  /** Probability (0..1) that a request is answered with the service's throttling error. */
  throttleRate?: number;
  /** Probability (0..1) that a request is answered with a 5xx error. */
  errorRate?: number;
  /** Requests per second per account above which the service throttles (sliding one-second window). */
  requestsPerSecond?: number;
  /** Probability (0..1) that an EventBridge delivery to a queue is lost (set under `events` or `default`). */
  deliveryDropRate?: number;
  /** Milliseconds before a delivered message becomes visible in its queue. */
  deliveryDelayMs?: number;
  /** Probability (0..1) that a delivery arrives twice (two messages, one event). */
  deliveryDuplicateRate?: number;
}

/** `default` applies to every service; a service's own knobs override it field by field. */
export type FaultConfig = { default?: FaultKnobs } & { [S in ServiceName]?: FaultKnobs };

export const FAULT_KNOBS = ['latencyMs', 'throttleRate', 'errorRate', 'requestsPerSecond', 'deliveryDropRate', 'deliveryDelayMs', 'deliveryDuplicateRate'] as const;
const RATE_KNOBS = new Set<string>(['throttleRate', 'errorRate', 'deliveryDropRate', 'deliveryDuplicateRate']);

export function knobsFor(config: FaultConfig, service: ServiceName): FaultKnobs {
  return { ...config.default, ...config[service] };
}

/**
 * Largest accepted value per knob. Bounded so that a typo cannot pass as something else: Node's
 * timers treat a delay over 2^31-1 ms as 1 ms, so `latencyMs: 1e300` would silently mean none.
 */
export const KNOB_LIMITS: Readonly<Record<(typeof FAULT_KNOBS)[number], number>> = {
  latencyMs: 600_000,
  throttleRate: 1,
  errorRate: 1,
  requestsPerSecond: 1_000_000,
  deliveryDropRate: 1,
  deliveryDelayMs: 900_000,
  deliveryDuplicateRate: 1,
};

/** Checks one knob value; returns an error message naming the knob, or undefined. */
export function knobProblem(knob: string, value: unknown): string | undefined {
  if (!(FAULT_KNOBS as readonly string[]).includes(knob)) return `unknown fault knob '${knob}' (expected one of ${FAULT_KNOBS.join(', ')})`;
  const limit = KNOB_LIMITS[knob as keyof typeof KNOB_LIMITS];
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${knob} must be a finite number (got ${typeof value === 'number' ? String(value) : JSON.stringify(value)})`;
  if (value < 0) return `${knob} must not be negative (got ${value})`;
  if (RATE_KNOBS.has(knob)) {
    if (value > limit) return `${knob} is a probability between 0 and 1 (got ${value})`;
  } else if (value > limit) {
    return `${knob} must be at most ${limit}${knob === 'latencyMs' ? ' (10 minutes)' : knob === 'deliveryDelayMs' ? " (15 minutes, SQS's longest delay)" : ''} (got ${value})`;
  }
  return undefined;
}

/** Parses `--fault [service.]knob=value` into the config (mutates and returns it). */
export function applyFaultFlag(config: FaultConfig, flag: string): FaultConfig {
  const eq = flag.indexOf('=');
  if (eq < 0) throw new Error(`--fault expects [service.]knob=value, got '${flag}'`);
  const target = flag.slice(0, eq);
  const text = flag.slice(eq + 1).trim();
  // Number('') is 0: an empty value must not silently switch a fault off.
  const value = text === '' ? NaN : Number(text);
  const dot = target.indexOf('.');
  const scope = dot < 0 ? 'default' : target.slice(0, dot);
  const knob = dot < 0 ? target : target.slice(dot + 1);
  if (scope !== 'default' && !(SERVICES as readonly string[]).includes(scope)) throw new Error(`--fault: unknown service '${scope}' (expected ${SERVICES.join(', ')})`);
  const problem = knobProblem(knob, value);
  if (problem) throw new Error(`--fault ${flag}: ${problem}`);
  const knobs = ((config as Record<string, FaultKnobs | undefined>)[scope] ??= {});
  (knobs as Record<string, number>)[knob] = value;
  return config;
}

/** Per-account sliding one-second windows, on the real monotonic clock. */
export class RateWindow {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly clockMs: () => number = () => performance.now()) {}

  /** Records a request and says whether it exceeds `limit` requests in the last second. */
  exceeds(key: string, limit: number): boolean {
    const now = this.clockMs();
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < 1000);
    const over = list.length >= limit;
    if (!over) list.push(now);
    this.hits.set(key, list);
    return over;
  }

  reset(): void {
    this.hits.clear();
  }
}

export type FaultVerdict = { kind: 'throttle' } | { kind: 'error' } | { kind: 'none' };

export function decideFault(knobs: FaultKnobs, random: () => number, window: RateWindow, windowKey: string): FaultVerdict {
  if (knobs.requestsPerSecond !== undefined && knobs.requestsPerSecond > 0 && window.exceeds(windowKey, knobs.requestsPerSecond)) return { kind: 'throttle' };
  if (knobs.throttleRate && random() < knobs.throttleRate) return { kind: 'throttle' };
  if (knobs.errorRate && random() < knobs.errorRate) return { kind: 'error' };
  return { kind: 'none' };
}

/** How many copies of one EventBridge delivery reach the queue (0: lost, 2: duplicated), and after how long. */
export function decideDelivery(knobs: FaultKnobs, random: () => number): { copies: number; delayMs: number } {
  if (knobs.deliveryDropRate && random() < knobs.deliveryDropRate) return { copies: 0, delayMs: 0 };
  const copies = knobs.deliveryDuplicateRate && random() < knobs.deliveryDuplicateRate ? 2 : 1;
  return { copies, delayMs: knobs.deliveryDelayMs ?? 0 };
}
