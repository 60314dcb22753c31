// CloudTrail recording: every mutating call (allowed or refused) and every AssumeRole becomes an
// event in the real record shape, with the caller's full userIdentity.
import { isoSeconds } from './clock';
import type { Principal, TrailNotes } from './context';
import type { ApiError } from './errors';
import type { ServiceName } from './faults';
import { uuid } from './ids';
import { arns, type TrailEvent, type WorldData } from './world';

/** Event history keeps 90 days; the sandbox also caps the count so memory stays bounded. */
const MAX_EVENTS = 100_000;
const RETENTION_MS = 90 * 24 * 3600 * 1000;

export const EVENT_SOURCES: Record<ServiceName, string> = {
  ec2: 'ec2.amazonaws.com', s3: 's3.amazonaws.com', iam: 'iam.amazonaws.com', sts: 'sts.amazonaws.com',
  tagging: 'tagging.amazonaws.com', cloudtrail: 'cloudtrail.amazonaws.com', logs: 'logs.amazonaws.com', kms: 'kms.amazonaws.com', route53: 'route53.amazonaws.com',
  ssm: 'ssm.amazonaws.com',
  sqs: 'sqs.amazonaws.com', events: 'events.amazonaws.com',
  ecr: 'ecr.amazonaws.com',
  autoscaling: 'autoscaling.amazonaws.com', elasticloadbalancing: 'elasticloadbalancing.amazonaws.com',
  ecs: 'ecs.amazonaws.com', 'application-autoscaling': 'application-autoscaling.amazonaws.com', secretsmanager: 'secretsmanager.amazonaws.com',
  sns: 'sns.amazonaws.com',
  monitoring: 'monitoring.amazonaws.com',
  rds: 'rds.amazonaws.com', elasticache: 'elasticache.amazonaws.com', dynamodb: 'dynamodb.amazonaws.com',
  lambda: 'lambda.amazonaws.com',
  acm: 'acm.amazonaws.com',
  cloudfront: 'cloudfront.amazonaws.com',
  wafv2: 'wafv2.amazonaws.com',
  eks: 'eks.amazonaws.com',
  apigateway: 'apigateway.amazonaws.com',
};

/** Calls CloudTrail marks read-only: they change nothing. */
export function isReadOnly(operation: string): boolean {
  return /^(Describe|Get|List|Head|Lookup)/.test(operation) || operation === 'AssumeRole';
}

/** Whether a call lands in event history: management events that write, plus AssumeRole. */
export function isRecorded(operation: string): boolean {
  return !isReadOnly(operation) || operation === 'AssumeRole';
}

export function userIdentity(world: WorldData, p: Principal): Record<string, unknown> {
  if (p.kind === 'user') {
    return { type: 'IAMUser', principalId: p.userId, arn: p.arn, accountId: world.accountId, accessKeyId: p.accessKeyId, userName: p.user!.name };
  }
  const s = p.session!;
  return {
    type: 'AssumedRole', principalId: p.userId, arn: p.arn, accountId: world.accountId, accessKeyId: p.accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: s.roleId, arn: world.roles[s.roleName]?.arn ?? arns.role(world.accountId, s.roleName), accountId: world.accountId, userName: s.roleName },
      attributes: { creationDate: isoSeconds(new Date(s.issuedAt)), mfaAuthenticated: 'false' },
      ...(s.sourceIdentity !== undefined ? { sourceIdentity: s.sourceIdentity } : {}),
    },
  };
}

export interface RecordInput {
  world: WorldData;
  principal: Principal;
  service: ServiceName;
  operation: string;
  region: string;
  now: Date;
  requestId: string;
  sourceIp: string;
  userAgent: string;
  notes: TrailNotes;
  error?: ApiError;
}

/** EC2 prefixes error codes in CloudTrail with the fault side (`Client.UnauthorizedOperation`). */
function trailErrorCode(service: ServiceName, err: ApiError): string {
  if (service !== 'ec2') return err.code;
  return `${err.status >= 500 ? 'Server' : 'Client'}.${err.code}`;
}

export function recordEvent(input: RecordInput): TrailEvent {
  const { world, principal, notes } = input;
  const eventId = uuid();
  // IAM, STS's global endpoint and CloudFront (a global service) record in us-east-1.
  const region = input.service === 'iam' || input.service === 'cloudfront' ? 'us-east-1' : input.region;
  const readOnly = isReadOnly(input.operation);
  const record: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: userIdentity(world, principal),
    eventTime: isoSeconds(input.now),
    eventSource: EVENT_SOURCES[input.service],
    eventName: notes.eventName ?? input.operation,
    awsRegion: region,
    sourceIPAddress: input.sourceIp,
    userAgent: input.userAgent,
    ...(input.error ? { errorCode: trailErrorCode(input.service, input.error), errorMessage: input.error.message } : {}),
    requestParameters: notes.requestParameters ?? null,
    responseElements: input.error ? null : (notes.responseElements ?? null),
    requestID: input.requestId,
    eventID: eventId,
    readOnly,
    ...(notes.resources.length ? { resources: notes.resources.map((r) => ({ accountId: world.accountId, type: r.type, ARN: r.arn ?? r.name })) } : {}),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: world.accountId,
    eventCategory: 'Management',
  };
  const event: TrailEvent = {
    seq: world.nextEventSeq++,
    eventId, eventTime: input.now.toISOString(), eventName: notes.eventName ?? input.operation, eventSource: EVENT_SOURCES[input.service], region, readOnly,
    accessKeyId: principal.accessKeyId,
    username: principal.kind === 'user' ? principal.user!.name : principal.session!.sessionName,
    resources: notes.resources.map((r) => ({ type: r.type, name: r.name })),
    cloudTrailEvent: JSON.stringify(record),
  };
  world.events.push(event);
  trimEvents(world, input.now);
  return event;
}

function trimEvents(world: WorldData, now: Date): void {
  const cutoff = now.getTime() - RETENTION_MS;
  let drop = Math.max(0, world.events.length - MAX_EVENTS);
  while (drop < world.events.length && Date.parse(world.events[drop]!.eventTime) < cutoff) drop++;
  if (drop > 0) world.events.splice(0, drop);
}
