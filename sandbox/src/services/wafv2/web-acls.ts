// AWS WAFv2 (JSON 1.1, X-Amz-Target AWSWAF_20190729.*): web ACLs with their rules, default action,
// visibility and custom settings, optimistic locking by LockToken, associations with regional
// resources, and tags. CLOUDFRONT-scoped ACLs exist in us-east-1 only, as on AWS. Rules are kept
// as the caller sent them (after AWS's checks and its defaults: a body inspection's
// OversizeHandling is CONTINUE unless set), so GetWebACL answers what UpdateWebACL stored.
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { uuid } from '../../ids';
import { json } from '../../protocol/json11';
import type { Tags } from '../../world';

type Scope = 'REGIONAL' | 'CLOUDFRONT';
type Obj = Record<string, unknown>;

export interface WafWebAcl {
  arn: string;
  id: string;
  name: string;
  scope: Scope;
  region: string;
  /** Every updatable field as the API spells it (DefaultAction, Rules, VisibilityConfig, …). */
  config: Obj;
  lockToken: string;
  tags: Tags;
}

export interface WafState {
  /** Web ACLs by ARN. */
  webAcls: Record<string, WafWebAcl>;
  /** The web ACL ARN protecting each regional resource, by the resource's ARN. */
  associations: Record<string, string>;
}

const NAME = /^[\w-]{1,128}$/;
const MAX_TAGS = 50;
const MAX_CAPACITY = 5000;
/** The fields UpdateWebACL replaces (an absent one is cleared). */
const CONFIG_FIELDS = ['DefaultAction', 'Description', 'Rules', 'VisibilityConfig', 'DataProtectionConfig', 'CustomResponseBodies', 'CaptchaConfig', 'ChallengeConfig', 'TokenDomains', 'AssociationConfig'];
/** Statement types and the capacity units each costs (AWS's WCU table, simplified to a flat cost per type). */
const STATEMENT_COST: Record<string, number> = {
  ByteMatchStatement: 1, SqliMatchStatement: 20, XssMatchStatement: 40, SizeConstraintStatement: 1, GeoMatchStatement: 1, RuleGroupReferenceStatement: 100,
  IPSetReferenceStatement: 1, RegexPatternSetReferenceStatement: 25, RateBasedStatement: 2, AndStatement: 1, OrStatement: 1, NotStatement: 1,
  ManagedRuleGroupStatement: 100, LabelMatchStatement: 1, RegexMatchStatement: 3, AsnMatchStatement: 1,
};
/** Which regional resources a web ACL protects, by the resource ARN's service. */
const RESOURCE_TYPES: Array<[RegExp, string]> = [
  [/^arn:aws[\w-]*:elasticloadbalancing:[^:]+:\d{12}:loadbalancer\/app\//, 'APPLICATION_LOAD_BALANCER'],
  [/^arn:aws[\w-]*:apigateway:[^:]+::\/restapis\/[^/]+\/stages\/[^/]+$/, 'API_GATEWAY'],
  [/^arn:aws[\w-]*:appsync:[^:]+:\d{12}:apis\//, 'APPSYNC'],
  [/^arn:aws[\w-]*:cognito-idp:[^:]+:\d{12}:userpool\//, 'COGNITO_USER_POOL'],
  [/^arn:aws[\w-]*:apprunner:[^:]+:\d{12}:service\//, 'APP_RUNNER_SERVICE'],
  [/^arn:aws[\w-]*:ec2:[^:]+:\d{12}:verified-access-instance\//, 'VERIFIED_ACCESS_INSTANCE'],
  [/^arn:aws[\w-]*:amplify:[^:]+:\d{12}:apps\//, 'AMPLIFY'],
];

const invalid = (field: string, message: string): ApiError => new ApiError('WAFInvalidParameterException', `Error reason: ${message}, field: ${field}`, 400);
const nonexistent = (): ApiError => new ApiError('WAFNonexistentItemException', 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.', 400);

const stateOf = (ctx: CallContext): WafState => (ctx.world.wafv2 ??= { webAcls: {}, associations: {} });

function scopeOf(ctx: CallContext, input: Obj): Scope {
  const scope = json.str(input, 'Scope');
  if (scope !== 'REGIONAL' && scope !== 'CLOUDFRONT') throw invalid('SCOPE_VALUE', `Scope must be REGIONAL or CLOUDFRONT, not ${scope ?? 'null'}`);
  if (scope === 'CLOUDFRONT' && ctx.region !== 'us-east-1') throw invalid('SCOPE_VALUE', 'CLOUDFRONT scope is only valid in us-east-1');
  return scope;
}

const aclArn = (ctx: CallContext, scope: Scope, name: string, id: string): string =>
  `arn:aws:wafv2:${ctx.region}:${ctx.world.accountId}:${scope === 'CLOUDFRONT' ? 'global' : 'regional'}/webacl/${name}/${id}`;

function object(input: Obj, name: string, field: string, required: boolean): Obj | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (required) throw invalid(field, `${name} must not be null`);
    return undefined;
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid(field, `${name} must be an object`);
  return v as Obj;
}

/** Exactly one of the listed keys set (a union in the API model). */
function oneOf(value: Obj, keys: readonly string[], field: string): string {
  const set = keys.filter((k) => value[k] !== undefined && value[k] !== null);
  if (set.length !== 1) throw invalid(field, `exactly one of ${keys.join(', ')} must be set`);
  return set[0]!;
}

function visibility(value: Obj | undefined, field: string): void {
  if (!value) throw invalid(field, 'VisibilityConfig must not be null');
  if (typeof value.SampledRequestsEnabled !== 'boolean' || typeof value.CloudWatchMetricsEnabled !== 'boolean') throw invalid(field, 'the enabled flags must be booleans');
  const metric = value.MetricName;
  if (typeof metric !== 'string' || !/^[\w#:.-]{1,128}$/.test(metric)) throw invalid('METRIC_NAME', `${String(metric)} is not a valid metric name`);
}

/** Walks a statement: checks its one type, fills AWS's defaults, and returns its capacity units. */
function statement(value: unknown, field: string): number {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'Statement must be an object');
  const s = value as Obj;
  const type = oneOf(s, Object.keys(STATEMENT_COST), 'STATEMENT');
  const body = s[type] as Obj;
  if (!body || typeof body !== 'object') throw invalid('STATEMENT', `${type} must be an object`);
  let cost = STATEMENT_COST[type]!;
  if (type === 'AndStatement' || type === 'OrStatement') {
    const list = body.Statements;
    if (!Array.isArray(list) || list.length < 2) throw invalid('STATEMENT', `${type} needs at least two Statements`);
    cost += list.reduce((sum: number, x) => sum + statement(x, field), 0);
  }
  if (type === 'NotStatement') cost += statement(body.Statement, field);
  if ((type === 'RateBasedStatement' || type === 'ManagedRuleGroupStatement') && body.ScopeDownStatement !== undefined) cost += statement(body.ScopeDownStatement, field);
  if (type === 'RateBasedStatement') {
    const limit = body.Limit;
    if (typeof limit !== 'number' || limit < 10 || limit > 2_000_000_000) throw invalid('RATE_BASED_LIMIT', `Limit ${String(limit)} is out of range`);
  }
  if (type === 'ByteMatchStatement' && typeof body.SearchString !== 'string') throw invalid('BYTE_MATCH_STATEMENT', 'SearchString must be set');
  const field2match = body.FieldToMatch as Obj | undefined;
  for (const k of ['Body', 'JsonBody'] as const) {
    const part = field2match?.[k] as Obj | undefined;
    if (part && part.OversizeHandling === undefined) part.OversizeHandling = 'CONTINUE';
  }
  const transformations = body.TextTransformations;
  if (Array.isArray(transformations)) cost += 10 * transformations.filter((t) => (t as Obj)?.Type !== 'NONE').length;
  return cost;
}

/** Checks the rules as AWS does (unique names and priorities, one action kind, a statement) and returns the ACL's capacity. */
function checkRules(rules: Obj[] | undefined): number {
  const names = new Set<string>();
  const priorities = new Set<number>();
  let capacity = 0;
  for (const r of rules ?? []) {
    const name = json.str(r, 'Name');
    if (!name || name.length > 128) throw invalid('RULE', 'each rule needs a Name of 1 to 128 characters');
    if (names.has(name)) throw new ApiError('WAFDuplicateItemException', `AWS WAF couldn’t perform the operation because some resource in your request is a duplicate of an existing one: rule ${name}`, 400);
    names.add(name);
    const priority = r.Priority;
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0) throw invalid('RULE', `rule ${name}: Priority must be a non-negative integer`);
    if (priorities.has(priority)) throw invalid('RULE', `rule ${name}: another rule has priority ${priority}`);
    priorities.add(priority);
    const hasAction = r.Action !== undefined && r.Action !== null;
    const hasOverride = r.OverrideAction !== undefined && r.OverrideAction !== null;
    const kind = r.Statement && typeof r.Statement === 'object' ? Object.keys(r.Statement as Obj)[0] : undefined;
    const group = kind === 'RuleGroupReferenceStatement' || kind === 'ManagedRuleGroupStatement';
    if (group ? !hasOverride || hasAction : !hasAction || hasOverride) {
      throw invalid('RULE_ACTION', `rule ${name}: ${group ? 'a rule group reference takes OverrideAction, not Action' : 'a rule takes Action, not OverrideAction'}`);
    }
    if (hasAction) oneOf(r.Action as Obj, ['Block', 'Allow', 'Count', 'Captcha', 'Challenge'], 'RULE_ACTION');
    if (hasOverride) oneOf(r.OverrideAction as Obj, ['Count', 'None'], 'OVERRIDE_ACTION');
    capacity += statement(r.Statement, 'STATEMENT');
    visibility(object(r, 'VisibilityConfig', 'RULE', true), 'RULE');
  }
  if (capacity > MAX_CAPACITY) throw new ApiError('WAFLimitsExceededException', `the web ACL needs ${capacity} capacity units, over the limit of ${MAX_CAPACITY}`, 400);
  return capacity;
}

/** The updatable configuration from a Create/Update request, checked. */
function configOf(input: Obj): { config: Obj } {
  const defaultAction = object(input, 'DefaultAction', 'DEFAULT_ACTION', true)!;
  oneOf(defaultAction, ['Block', 'Allow'], 'DEFAULT_ACTION');
  visibility(object(input, 'VisibilityConfig', 'VISIBILITY_CONFIG', true), 'VISIBILITY_CONFIG');
  const description = json.str(input, 'Description');
  if (description !== undefined && (description.length < 1 || description.length > 256)) throw invalid('DESCRIPTION', 'Description must be 1 to 256 characters');
  const rules = json.list(input, 'Rules');
  checkRules(rules);
  json.strings(input, 'TokenDomains');
  const config: Obj = {};
  for (const f of CONFIG_FIELDS) if (input[f] !== undefined && input[f] !== null) config[f] = structuredClone(input[f]);
  return { config };
}

function tagsIn(raw: Obj[] | undefined): Tags {
  const tags: Tags = {};
  for (const t of raw ?? []) {
    const key = json.str(t, 'Key');
    const value = json.str(t, 'Value');
    if (!key || value === undefined) throw invalid('TAGS', 'each tag needs a Key and a Value');
    if (key.startsWith('aws:')) throw new ApiError('WAFTagOperationException', 'Tag keys beginning with aws: are reserved.', 400);
    tags[key] = value;
  }
  return tags;
}

function withTags(current: Tags, add: Tags): Tags {
  const next = { ...current, ...add };
  if (Object.keys(next).length > MAX_TAGS) throw new ApiError('WAFLimitsExceededException', `A resource can have at most ${MAX_TAGS} tags.`, 400);
  return next;
}

function note(ctx: CallContext, acl: WafWebAcl): void {
  ctx.trail.resources.push({ type: 'AWS::WAFv2::WebACL', name: acl.name, arn: acl.arn });
}

/** The ACL a request names by Name+Scope+Id (or by ARN where the operation takes one), authorized and noted for CloudTrail. */
function aclFor(ctx: CallContext, input: Obj, action: string): WafWebAcl {
  const arn = json.str(input, 'ARN') ?? json.str(input, 'WebACLArn');
  let acl: WafWebAcl | undefined;
  if (arn !== undefined) {
    acl = stateOf(ctx).webAcls[arn];
  } else {
    const scope = scopeOf(ctx, input);
    const name = json.str(input, 'Name');
    const id = json.str(input, 'Id');
    if (!name || !id) throw invalid('NAME', 'Name and Id must be set');
    acl = stateOf(ctx).webAcls[aclArn(ctx, scope, name, id)];
  }
  ctx.authorize(action, acl?.arn ?? arn ?? '*');
  if (!acl || acl.region !== ctx.region) throw nonexistent();
  note(ctx, acl);
  return acl;
}

function summary(a: WafWebAcl): Obj {
  return { Name: a.name, Id: a.id, ARN: a.arn, LockToken: a.lockToken, ...(a.config.Description !== undefined ? { Description: a.config.Description } : {}) };
}

function describe(a: WafWebAcl): Obj {
  return {
    Name: a.name, Id: a.id, ARN: a.arn, ...a.config, Capacity: checkRules(a.config.Rules as Obj[] | undefined),
    ManagedByFirewallManager: false, RetrofittedByFirewallManager: false, LabelNamespace: `awswaf:${a.arn.split(':')[4]}:webacl:${a.name}:`,
  };
}

function resourceType(arn: string): string | undefined {
  return RESOURCE_TYPES.find(([pattern]) => pattern.test(arn))?.[1];
}

function taggedAcl(ctx: CallContext, input: Obj, action: string): WafWebAcl {
  const arn = json.str(input, 'ResourceARN');
  if (!arn) throw invalid('RESOURCE_ARN', 'ResourceARN must be set');
  ctx.authorize(action, arn);
  const acl = stateOf(ctx).webAcls[arn];
  if (!acl || acl.region !== ctx.region) throw nonexistent();
  note(ctx, acl);
  return acl;
}

type Handler = (ctx: CallContext, input: Obj) => Obj;

export const wafv2Operations: Record<string, Handler> = {
  CreateWebACL(ctx, input) {
    const scope = scopeOf(ctx, input);
    const name = json.str(input, 'Name');
    if (!name || !NAME.test(name)) throw invalid('NAME', `${name ?? 'null'} is not a valid name`);
    const { config } = configOf(input);
    const tags = tagsIn(json.list(input, 'Tags'));
    ctx.authorize('wafv2:CreateWebACL', aclArn(ctx, scope, name, '*'));
    const state = stateOf(ctx);
    if (Object.values(state.webAcls).some((a) => a.region === ctx.region && a.scope === scope && a.name === name)) {
      throw new ApiError('WAFDuplicateItemException', 'AWS WAF couldn’t perform the operation because some resource in your request is a duplicate of an existing one.', 400);
    }
    const id = uuid();
    const acl: WafWebAcl = { arn: aclArn(ctx, scope, name, id), id, name, scope, region: ctx.region, config, lockToken: uuid(), tags: withTags({}, tags) };
    state.webAcls[acl.arn] = acl;
    note(ctx, acl);
    return { Summary: summary(acl) };
  },
  GetWebACL(ctx, input) {
    const acl = aclFor(ctx, input, 'wafv2:GetWebACL');
    return { WebACL: describe(acl), LockToken: acl.lockToken };
  },
  ListWebACLs(ctx, input) {
    const scope = scopeOf(ctx, input);
    ctx.authorize('wafv2:ListWebACLs', '*');
    const limit = json.int(input, 'Limit') ?? 100;
    if (limit < 1 || limit > 100) throw invalid('LIMIT', 'Limit must be 1 to 100');
    const all = Object.values(stateOf(ctx).webAcls).filter((a) => a.region === ctx.region && a.scope === scope).sort((a, b) => a.name.localeCompare(b.name));
    const marker = json.str(input, 'NextMarker');
    const start = marker === undefined ? 0 : Number(Buffer.from(marker, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > all.length) throw invalid('NEXT_MARKER', 'NextMarker is not valid');
    const page = all.slice(start, start + limit);
    return { WebACLs: page.map(summary), ...(start + limit < all.length ? { NextMarker: Buffer.from(String(start + limit)).toString('base64url') } : {}) };
  },
  UpdateWebACL(ctx, input) {
    const acl = aclFor(ctx, input, 'wafv2:UpdateWebACL');
    const token = json.str(input, 'LockToken');
    if (!token) throw invalid('LOCK_TOKEN', 'LockToken must be set');
    const { config } = configOf(input);
    if (token !== acl.lockToken) throw new ApiError('WAFOptimisticLockException', 'AWS WAF couldn’t save your changes because you tried to update or delete a resource that has changed since you last retrieved it. Get the resource again, make any changes you need to make to the new copy, and retry your operation.', 400);
    acl.config = config;
    acl.lockToken = uuid();
    return { NextLockToken: acl.lockToken };
  },
  DeleteWebACL(ctx, input) {
    const acl = aclFor(ctx, input, 'wafv2:DeleteWebACL');
    if (json.str(input, 'LockToken') !== acl.lockToken) throw new ApiError('WAFOptimisticLockException', 'AWS WAF couldn’t delete the web ACL because it has changed since you last retrieved it.', 400);
    const state = stateOf(ctx);
    if (Object.values(state.associations).includes(acl.arn)) throw new ApiError('WAFAssociatedItemException', 'AWS WAF couldn’t perform the operation because your resource is being used by another resource or it’s associated with another resource.', 400);
    delete state.webAcls[acl.arn];
    return {};
  },
  AssociateWebACL(ctx, input) {
    const resource = json.str(input, 'ResourceArn');
    if (!resource || !resourceType(resource)) throw invalid('RESOURCE_ARN', `${resource ?? 'null'} is not a resource a web ACL can protect`);
    const acl = aclFor(ctx, input, 'wafv2:AssociateWebACL');
    ctx.authorize('wafv2:AssociateWebACL', resource);
    if (acl.scope === 'CLOUDFRONT') throw invalid('RESOURCE_ARN', 'a CLOUDFRONT web ACL is associated through the distribution\'s configuration');
    if (resource.split(':')[3] !== ctx.region) throw invalid('RESOURCE_ARN', 'the resource is in another region');
    // Load balancers are the one kind of protected resource the sandbox holds: one must exist to be protected.
    if (resourceType(resource) === 'APPLICATION_LOAD_BALANCER' && !ctx.world.elb?.loadBalancers[resource]) throw nonexistent();
    stateOf(ctx).associations[resource] = acl.arn;
    return {};
  },
  DisassociateWebACL(ctx, input) {
    const resource = json.str(input, 'ResourceArn');
    if (!resource || !resourceType(resource)) throw invalid('RESOURCE_ARN', `${resource ?? 'null'} is not a resource a web ACL can protect`);
    ctx.authorize('wafv2:DisassociateWebACL', resource);
    ctx.trail.resources.push({ type: 'AWS::WAFv2::WebACLAssociation', name: resource, arn: resource });
    delete stateOf(ctx).associations[resource];
    return {};
  },
  GetWebACLForResource(ctx, input) {
    const resource = json.str(input, 'ResourceArn');
    if (!resource || !resourceType(resource)) throw invalid('RESOURCE_ARN', `${resource ?? 'null'} is not a resource a web ACL can protect`);
    ctx.authorize('wafv2:GetWebACLForResource', resource);
    const arn = stateOf(ctx).associations[resource];
    const acl = arn ? stateOf(ctx).webAcls[arn] : undefined;
    return acl ? { WebACL: describe(acl) } : {};
  },
  ListResourcesForWebACL(ctx, input) {
    const acl = aclFor(ctx, input, 'wafv2:ListResourcesForWebACL');
    const type = json.str(input, 'ResourceType') ?? 'APPLICATION_LOAD_BALANCER';
    if (!RESOURCE_TYPES.some(([, t]) => t === type)) throw invalid('RESOURCE_TYPE', `${type} is not a resource type`);
    const arns = Object.entries(stateOf(ctx).associations).filter(([r, a]) => a === acl.arn && resourceType(r) === type).map(([r]) => r).sort();
    return { ResourceArns: arns };
  },
  ListTagsForResource(ctx, input) {
    const acl = taggedAcl(ctx, input, 'wafv2:ListTagsForResource');
    return { TagInfoForResource: { ResourceARN: acl.arn, TagList: Object.entries(acl.tags).map(([Key, Value]) => ({ Key, Value })) } };
  },
  TagResource(ctx, input) {
    const acl = taggedAcl(ctx, input, 'wafv2:TagResource');
    const tags = tagsIn(json.list(input, 'Tags'));
    if (!Object.keys(tags).length) throw invalid('TAGS', 'Tags must not be empty');
    acl.tags = withTags(acl.tags, tags);
    return {};
  },
  UntagResource(ctx, input) {
    const acl = taggedAcl(ctx, input, 'wafv2:UntagResource');
    for (const k of json.strings(input, 'TagKeys') ?? []) delete acl.tags[k];
    return {};
  },
};
