// Connects the evaluator to the world: which policies apply to a principal, which condition keys
// its requests carry, and how each service words a refusal.
import { ApiError } from '../errors';
import type { ServiceName } from '../faults';
import type { Principal } from '../context';
import type { WorldData } from '../world';
import { arns } from '../world';
import { authorize, type PrincipalRef, type RequestContext } from './iam-eval';
import { PolicyError, parsePolicy, type Policy } from './policy';

const parsed = new Map<string, Policy | null>();

/** Parses with a cache keyed by text: the same documents are evaluated on every request. */
export function cachedPolicy(text: string, kind: 'identity' | 'resource' = 'identity'): Policy | undefined {
  const key = kind + '\n' + text;
  let p = parsed.get(key);
  if (p === undefined) {
    try {
      p = parsePolicy(text, kind);
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      p = null;
    }
    if (parsed.size > 2000) parsed.clear();
    parsed.set(key, p);
  }
  return p ?? undefined;
}

/** Identity-based policies and limits (boundary, session policy) of a principal, read fresh each time. */
export function policiesOf(world: WorldData, principal: Principal): { identity: Policy[]; limits: Policy[] } {
  const identity: Policy[] = [];
  const limits: Policy[] = [];
  const holder = principal.kind === 'user' ? world.users[principal.user!.name] : world.roles[principal.session!.roleName];
  if (!holder) return { identity, limits };
  for (const text of Object.values(holder.inlinePolicies)) {
    const p = cachedPolicy(text);
    if (p) identity.push(p);
  }
  for (const arn of holder.attachedPolicies) {
    const mp = world.policies[arn];
    const version = mp?.versions.find((v) => v.versionId === mp.defaultVersionId);
    const p = version && cachedPolicy(version.document);
    if (p) identity.push(p);
  }
  if (holder.permissionsBoundary) {
    const mp = world.policies[holder.permissionsBoundary];
    const version = mp?.versions.find((v) => v.versionId === mp.defaultVersionId);
    const p = version && cachedPolicy(version.document);
    // A boundary that names a missing policy allows nothing, as on AWS.
    limits.push(p ?? { statements: [] });
  }
  for (const text of principal.session?.sessionPolicies ?? []) limits.push(cachedPolicy(text) ?? { statements: [] });
  return { identity, limits };
}

export function principalRef(world: WorldData, principal: Principal): PrincipalRef {
  if (principal.kind === 'user') return { account: world.accountId, arns: [principal.arn], specificArns: [principal.arn] };
  const role = world.roles[principal.session!.roleName];
  return { account: world.accountId, arns: [principal.arn, ...(role ? [role.arn] : [])], specificArns: [principal.arn] };
}

/** The global condition keys of a request (lower-cased), per the IAM condition key reference. */
export function requestContext(world: WorldData, principal: Principal, now: Date, region: string, sourceIp: string): RequestContext {
  const ctx: RequestContext = {
    'aws:currenttime': now.toISOString(),
    'aws:epochtime': String(Math.floor(now.getTime() / 1000)),
    'aws:securetransport': 'false',
    'aws:sourceip': sourceIp,
    'aws:requestedregion': region,
    'aws:principalaccount': world.accountId,
    'aws:userid': principal.userId,
    'aws:multifactorauthpresent': 'false',
  };
  if (principal.kind === 'user') {
    const user = principal.user!;
    ctx['aws:principalarn'] = user.arn;
    ctx['aws:principaltype'] = 'User';
    ctx['aws:username'] = user.name;
    for (const [k, v] of Object.entries(user.tags)) ctx[`aws:principaltag/${k.toLowerCase()}`] = v;
  } else {
    const s = principal.session!;
    const role = world.roles[s.roleName];
    ctx['aws:principalarn'] = role?.arn ?? arns.role(world.accountId, s.roleName);
    ctx['aws:principaltype'] = 'AssumedRole';
    ctx['aws:tokenissuetime'] = s.issuedAt;
    ctx['aws:rolesessionname'] = s.sessionName;
    if (s.sourceIdentity !== undefined) ctx['aws:sourceidentity'] = s.sourceIdentity;
    for (const [k, v] of Object.entries(role?.tags ?? {})) ctx[`aws:principaltag/${k.toLowerCase()}`] = v;
    for (const [k, v] of Object.entries(s.tags)) ctx[`aws:principaltag/${k.toLowerCase()}`] = v;
  }
  return ctx;
}

export function accessDenied(service: ServiceName, principal: Principal, action: string, resource: string, explicit: boolean): ApiError {
  const why = explicit ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
  const text = `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
  switch (service) {
    case 'ec2': return new ApiError('UnauthorizedOperation', `You are not authorized to perform this operation. ${text}`, 403);
    case 's3': return new ApiError('AccessDenied', text, 403);
    case 'tagging': case 'cloudtrail': return new ApiError('AccessDeniedException', text, 400);
    // The JSON-protocol services name it AccessDeniedException; the query and REST-XML ones AccessDenied.
    case 'lambda': case 'eks': case 'apigateway': return new ApiError('AccessDeniedException', text, 403);
    case 'logs': case 'kms': case 'ssm': case 'ecr': case 'ecs': case 'events': case 'application-autoscaling':
    case 'secretsmanager': case 'dynamodb': case 'wafv2': return new ApiError('AccessDeniedException', text, 400);
    default: return new ApiError('AccessDenied', text, 403);
  }
}

export interface AuthorizeArgs {
  world: WorldData;
  service: ServiceName;
  principal: Principal;
  context: RequestContext;
  action: string;
  resources: string[];
  resourcePolicy?: string;
}

export function authorizeOrThrow(a: AuthorizeArgs): void {
  const { identity, limits } = policiesOf(a.world, a.principal);
  const resourcePolicy = a.resourcePolicy === undefined ? undefined : cachedPolicy(a.resourcePolicy, 'resource');
  const who = principalRef(a.world, a.principal);
  for (const resource of a.resources) {
    const decision = authorize({ identityPolicies: identity, limits, resourcePolicy, principal: who }, { action: a.action, resource, context: a.context });
    if (decision !== 'Allow') throw accessDenied(a.service, a.principal, a.action, resource, decision === 'ExplicitDeny');
  }
}
