// Types shared by the request pipeline and the service handlers.
import type { RequestContext } from './auth/iam-eval';
import type { Clock } from './clock';
import type { ServiceName } from './faults';
import type { Session, User, WorldData } from './world';

/** The authenticated caller. */
export interface Principal {
  kind: 'user' | 'session';
  accessKeyId: string;
  /** User ARN, or the assumed-role session ARN. */
  arn: string;
  /** `AIDA…` for users, `AROA…:<session name>` for role sessions (aws:userid). */
  userId: string;
  user?: User;
  session?: Session;
}

export interface TrailResource {
  /** CloudTrail resource type, e.g. AWS::EC2::Instance. */
  type: string;
  /** The name LookupEvents shows (an id or a name). */
  name: string;
  arn?: string;
}

/** What a handler contributes to the CloudTrail record of its call. */
export interface TrailNotes {
  /** The eventName CloudTrail records, when it differs from the operation (Lambda's versioned names). */
  eventName?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  resources: TrailResource[];
}

export interface CallContext {
  world: WorldData;
  clock: Clock;
  now: Date;
  region: string;
  service: ServiceName;
  operation: string;
  principal: Principal;
  requestId: string;
  sourceIp: string;
  userAgent: string;
  /** Global condition keys of this request (aws:userid, aws:TokenIssueTime, aws:PrincipalTag/…). */
  conditionContext: RequestContext;
  /** Raises the service's access-denied error unless the caller may perform `action` on every resource. */
  authorize(action: string, resources: string | string[], extraContext?: RequestContext, resourcePolicy?: string): void;
  /** Checks CloudTrail's per-account LookupEvents rate limit. */
  lookupEventsRateExceeded(): boolean;
  trail: TrailNotes;
}
