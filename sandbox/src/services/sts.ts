// STS (query/XML): GetCallerIdentity and AssumeRole with the documented duration limits, role
// chaining rules, sticky SourceIdentity, session tags and trust-policy evaluation.
import { authorize, evaluatePolicy, type RequestContext } from '../auth/iam-eval';
import { cachedPolicy, accessDenied, policiesOf, principalRef } from '../auth/authorizer';
import { PolicyError, parsePolicy } from '../auth/policy';
import type { CallContext } from '../context';
import { ApiError, validation } from '../errors';
import { iamId, secretKey, sessionToken } from '../ids';
import type { QueryParams } from '../protocol/query-xml';
import { arns, type Session, type Tags } from '../world';
import { node, type XmlNode } from '../xml';

const SESSION_NAME = /^[\w+=,.@-]*$/;
const CHAINED_MAX_SECONDS = 3600;

function constraint(value: string, field: string, rule: string): ApiError {
  return validation(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${rule}`);
}

function checkName(value: string, field: string): void {
  if (value.length < 2) throw constraint(value, field, 'Member must have length greater than or equal to 2');
  if (value.length > 64) throw constraint(value, field, 'Member must have length less than or equal to 64');
  if (!SESSION_NAME.test(value)) throw constraint(value, field, 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
}

function getCallerIdentity(ctx: CallContext): XmlNode[] {
  // Always allowed: no policy can deny GetCallerIdentity.
  ctx.trail.requestParameters = null;
  return [node('UserId', ctx.principal.userId), node('Account', ctx.world.accountId), node('Arn', ctx.principal.arn)];
}

function purgeOldSessions(ctx: CallContext): void {
  const cutoff = ctx.now.getTime() - 24 * 3600 * 1000;
  for (const [id, s] of Object.entries(ctx.world.sessions)) if (Date.parse(s.expiration) < cutoff) delete ctx.world.sessions[id];
}

function assumeRole(ctx: CallContext, p: QueryParams): XmlNode[] {
  const roleArn = p.required('RoleArn');
  const sessionName = p.required('RoleSessionName');
  checkName(sessionName, 'roleSessionName');
  const requestedSourceIdentity = p.get('SourceIdentity');
  if (requestedSourceIdentity !== undefined) {
    checkName(requestedSourceIdentity, 'sourceIdentity');
    if (requestedSourceIdentity.toLowerCase().startsWith('aws:')) throw validation('SourceIdentity cannot start with the prefix "aws:".');
  }
  const requestTags: Tags = {};
  const tagStructs = p.structs('Tags.member');
  if (tagStructs.length > 50) throw constraint(`[${tagStructs.length} tags]`, 'tags', 'Member must have length less than or equal to 50');
  for (const t of tagStructs) {
    const key = t.required('Key');
    const value = t.get('Value') ?? '';
    if (key.length > 128) throw constraint(key, 'tags.member.key', 'Member must have length less than or equal to 128');
    if (value.length > 256) throw constraint(value, 'tags.member.value', 'Member must have length less than or equal to 256');
    if (Object.keys(requestTags).some((k) => k.toLowerCase() === key.toLowerCase())) throw validation(`Duplicate tag keys found. Please note that Tag keys are case insensitive.`);
    requestTags[key] = value;
  }
  const transitive = p.list('TransitiveTagKeys.member');
  for (const k of transitive) if (!Object.keys(requestTags).some((t) => t.toLowerCase() === k.toLowerCase())) throw validation(`The specified transitive tag key must be included in the requested tags.`);
  const durationParam = p.int('DurationSeconds');
  const sessionPolicies: string[] = [];
  const inlinePolicy = p.get('Policy');
  if (inlinePolicy !== undefined) {
    try {
      parsePolicy(inlinePolicy, 'identity');
    } catch (err) {
      throw new ApiError('MalformedPolicyDocument', (err as PolicyError).message, 400);
    }
    sessionPolicies.push(inlinePolicy);
  }
  for (const arn of p.structs('PolicyArns.member').map((s) => s.required('arn'))) {
    const mp = ctx.world.policies[arn];
    const doc = mp?.versions.find((v) => v.versionId === mp.defaultVersionId)?.document;
    if (!doc) throw new ApiError('InvalidParameterValue', `Policy ${arn} does not exist or is not attachable.`, 400);
    if (!sessionPolicies.includes(doc)) sessionPolicies.push(doc);
  }

  const caller = ctx.principal;
  const parent = caller.session;
  const chained = parent !== undefined;
  // SourceIdentity is sticky: a chained session keeps its caller's value and cannot change it.
  if (parent?.sourceIdentity !== undefined && requestedSourceIdentity !== undefined && requestedSourceIdentity !== parent.sourceIdentity) {
    throw new ApiError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:SetSourceIdentity on resource: ${roleArn}: the source identity of a role session cannot be changed`, 403);
  }
  const sourceIdentity = parent?.sourceIdentity ?? requestedSourceIdentity;
  // Transitive tags of the caller's session pass on to the chained session and cannot be overridden.
  const inherited: Tags = {};
  for (const k of parent?.transitiveTagKeys ?? []) if (parent!.tags[k] !== undefined) inherited[k] = parent!.tags[k]!;
  for (const [k, v] of Object.entries(inherited)) {
    const clash = Object.keys(requestTags).find((t) => t.toLowerCase() === k.toLowerCase());
    if (clash && requestTags[clash] !== v) throw new ApiError('InvalidParameterValue', `The session tag ${k} is a transitive tag of the calling session and cannot be overridden.`, 400);
  }
  const sessionTags: Tags = { ...inherited, ...requestTags };

  ctx.trail.requestParameters = {
    roleArn, roleSessionName: sessionName,
    ...(durationParam !== undefined ? { durationSeconds: durationParam } : {}),
    ...(requestedSourceIdentity !== undefined ? { sourceIdentity: requestedSourceIdentity } : {}),
    ...(Object.keys(requestTags).length ? { tags: Object.entries(requestTags).map(([key, value]) => ({ key, value })) } : {}),
    ...(transitive.length ? { transitiveTagKeys: transitive } : {}),
  };
  ctx.trail.resources.push({ type: 'AWS::IAM::Role', name: roleArn, arn: roleArn });

  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!m) throw validation(`${roleArn} is invalid`);
  const role = m[1] === ctx.world.accountId ? ctx.world.roles[m[2]!] : undefined;
  const denied = (action: string, explicit: boolean): ApiError => accessDenied('sts', caller, action, roleArn, explicit);
  if (!role || role.arn !== roleArn) throw denied('sts:AssumeRole', false);

  // Trust policy (resource side) and, unless the trust policy names the caller itself, the caller's
  // identity policies must both allow each action the request implies.
  const trust = cachedPolicy(role.trustPolicy, 'resource');
  const condition: RequestContext = { ...ctx.conditionContext, 'sts:rolesessionname': sessionName };
  if (sourceIdentity !== undefined) condition['sts:sourceidentity'] = sourceIdentity;
  if (p.get('ExternalId') !== undefined) condition['sts:externalid'] = p.get('ExternalId')!;
  for (const [k, v] of Object.entries(sessionTags)) condition[`aws:requesttag/${k.toLowerCase()}`] = v;
  if (Object.keys(sessionTags).length) condition['aws:tagkeys'] = Object.keys(sessionTags);
  if (transitive.length) condition['sts:transitivetagkeys'] = transitive;
  const actions = ['sts:AssumeRole'];
  if (Object.keys(sessionTags).length) actions.push('sts:TagSession');
  if (sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  const { identity, limits } = policiesOf(ctx.world, caller);
  const who = principalRef(ctx.world, caller);
  for (const action of actions) {
    const req = { action, resource: roleArn, context: condition };
    const t = trust ? evaluatePolicy(trust, req, who) : { deny: false, allow: false };
    const id = authorize({ identityPolicies: identity, limits }, req);
    if (t.deny || id === 'ExplicitDeny') throw denied(action, true);
    const allowed = t.allow && (t.allowVia !== 'account' || id === 'Allow');
    if (!allowed) throw denied(action, false);
  }

  const maxSeconds = chained ? CHAINED_MAX_SECONDS : role.maxSessionDuration;
  const duration = durationParam ?? Math.min(3600, maxSeconds);
  if (duration < 900) throw constraint(String(duration), 'durationSeconds', 'Member must have value greater than or equal to 900');
  if (duration > maxSeconds) {
    throw validation(chained && duration > CHAINED_MAX_SECONDS
      ? 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'
      : 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }

  purgeOldSessions(ctx);
  const accessKeyId = iamId('ASIA');
  const session: Session = {
    accessKeyId, secretAccessKey: secretKey(), sessionToken: sessionToken(), roleName: role.name, roleArn: role.arn, roleId: role.roleId,
    sessionName, issuedAt: ctx.now.toISOString(), expiration: new Date(ctx.now.getTime() + duration * 1000).toISOString(),
    sourceIdentity, tags: sessionTags, transitiveTagKeys: [...transitive, ...Object.keys(inherited)], issuedTo: caller.arn, chained, sessionPolicies,
  };
  ctx.world.sessions[accessKeyId] = session;
  const assumedArn = arns.assumedRole(ctx.world.accountId, role.name, sessionName);
  const packedBytes = JSON.stringify(sessionTags).length + (inlinePolicy?.length ?? 0);
  const packed = Math.max(1, Math.ceil((packedBytes * 100) / 2048));
  if (packed > 100) throw new ApiError('PackedPolicyTooLarge', `Packed policy consumes ${packed}% of allotted space, please use smaller policy for the session.`, 400);
  ctx.trail.responseElements = {
    credentials: { accessKeyId, expiration: session.expiration },
    assumedRoleUser: { assumedRoleId: `${role.roleId}:${sessionName}`, arn: assumedArn },
    ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
    ...(Object.keys(sessionTags).length || inlinePolicy ? { packedPolicySize: packed } : {}),
  };
  return [
    node('Credentials', [
      node('AccessKeyId', accessKeyId), node('SecretAccessKey', session.secretAccessKey),
      node('SessionToken', session.sessionToken), node('Expiration', session.expiration),
    ]),
    node('AssumedRoleUser', [node('AssumedRoleId', `${role.roleId}:${sessionName}`), node('Arn', assumedArn)]),
    ...(Object.keys(sessionTags).length || inlinePolicy ? [node('PackedPolicySize', packed)] : []),
    ...(sourceIdentity !== undefined ? [node('SourceIdentity', sourceIdentity)] : []),
  ];
}

export const stsOperations: Record<string, (ctx: CallContext, p: QueryParams) => XmlNode[]> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
};
