// Pure: which of a team watch's roots each queue event belongs to. An event carries the account
// and region it happened in (the EventBridge envelope's `account` and `region`); a root takes the
// events of its account in its regions. Global services (IAM, Route 53, CloudFront,
// Organizations) record their calls in us-east-1 whatever region a root reads, so those go by
// account alone. An event no root takes is counted, not an error: a shared queue or organization
// trail also carries accounts and regions nobody here manages.
import type { ChangeEvent } from '../model';

/** Where a queue event came from (undefined: the envelope did not say). */
export interface EventOrigin {
  account?: string;
  region?: string;
}

/** A root as routing sees it: undefined account or regions match any. */
export interface RouteTarget {
  account?: string;
  regions?: readonly string[];
}

const GLOBAL_SOURCES = new Set(['iam.amazonaws.com', 'route53.amazonaws.com', 'cloudfront.amazonaws.com', 'organizations.amazonaws.com']);
const GLOBAL_REGION = 'us-east-1';

export interface Routed {
  /** Per target (same order), the events it takes. */
  byTarget: ChangeEvent[][];
  /** Events no target takes, counted by `account/region`. */
  ignored: Map<string, number>;
}

export function takes(target: RouteTarget, event: ChangeEvent, origin: EventOrigin): boolean {
  if (target.account !== undefined && origin.account !== undefined && origin.account !== target.account) return false;
  if (!target.regions?.length || origin.region === undefined) return true;
  if (target.regions.includes(origin.region)) return true;
  return origin.region === GLOBAL_REGION && GLOBAL_SOURCES.has(event.eventSource);
}

export function routeEvents(targets: readonly RouteTarget[], events: readonly ChangeEvent[], originOf: (e: ChangeEvent) => EventOrigin): Routed {
  const byTarget = targets.map((): ChangeEvent[] => []);
  const ignored = new Map<string, number>();
  for (const e of events) {
    const origin = originOf(e);
    let taken = false;
    targets.forEach((t, i) => {
      if (takes(t, e, origin)) {
        byTarget[i]!.push(e);
        taken = true;
      }
    });
    if (!taken) {
      const key = `${origin.account ?? 'unknown'}/${origin.region ?? 'unknown'}`;
      ignored.set(key, (ignored.get(key) ?? 0) + 1);
    }
  }
  return { byTarget, ignored };
}
