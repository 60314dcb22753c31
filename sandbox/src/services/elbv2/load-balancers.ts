// Elastic Load Balancing v2 (query protocol, Version 2015-12-01, `.member.N` lists): load balancers
// with their attributes, target groups with health checks, attributes and registered targets,
// listeners with default actions, listener rules, and tags — what aws_lb, aws_lb_target_group,
// aws_lb_target_group_attachment, aws_lb_listener and aws_lb_listener_rule read and write.
// No traffic flows: the sandbox stores configuration only.
import { createHash } from 'node:crypto';
import type { CallContext } from '../../context';
import { ApiError, validation } from '../../errors';
import type { QueryParams } from '../../protocol/query-xml';
import type { Tags } from '../../world';
import { items, node, type XmlNode } from '../../xml';

export interface ElbLoadBalancer {
  arn: string;
  name: string;
  region: string;
  type: 'application' | 'network' | 'gateway';
  scheme: 'internet-facing' | 'internal';
  ipAddressType: string;
  vpcId: string;
  subnets: Array<{ id: string; zone: string }>;
  securityGroups: string[];
  createdAt: string;
  attributes: Record<string, string>;
  tags: Tags;
}

export interface ElbAction {
  type: string;
  order?: number;
  targetGroupArn?: string;
  /** forward weights, redirect and fixed-response settings, as AWS names them. */
  config: Record<string, string>;
}

export interface ElbTargetGroup {
  arn: string;
  name: string;
  region: string;
  protocol?: string;
  port?: number;
  vpcId?: string;
  targetType: string;
  healthCheck: Record<string, string>;
  attributes: Record<string, string>;
  targets: Array<{ id: string; port?: number; zone?: string }>;
  tags: Tags;
}

export interface ElbListener {
  arn: string;
  loadBalancerArn: string;
  region: string;
  protocol: string;
  port: number;
  sslPolicy?: string;
  certificateArn?: string;
  defaultActions: ElbAction[];
  tags: Tags;
}

export interface ElbRule {
  arn: string;
  listenerArn: string;
  region: string;
  priority: string;
  conditions: Array<{ field: string; values: string[] }>;
  actions: ElbAction[];
  tags: Tags;
}

export interface ElbState {
  loadBalancers: Record<string, ElbLoadBalancer>;
  targetGroups: Record<string, ElbTargetGroup>;
  listeners: Record<string, ElbListener>;
  rules: Record<string, ElbRule>;
}

const LB_DEFAULTS: Record<'application' | 'network' | 'gateway', Record<string, string>> = {
  application: {
    'deletion_protection.enabled': 'false', 'idle_timeout.timeout_seconds': '60', 'routing.http2.enabled': 'true', 'access_logs.s3.enabled': 'false',
    'access_logs.s3.bucket': '', 'access_logs.s3.prefix': '', 'routing.http.drop_invalid_header_fields.enabled': 'false', 'load_balancing.cross_zone.enabled': 'true',
  },
  network: { 'deletion_protection.enabled': 'false', 'load_balancing.cross_zone.enabled': 'false', 'access_logs.s3.enabled': 'false', 'access_logs.s3.bucket': '', 'access_logs.s3.prefix': '' },
  gateway: { 'deletion_protection.enabled': 'false', 'load_balancing.cross_zone.enabled': 'false' },
};
const TG_DEFAULTS: Record<string, string> = { 'deregistration_delay.timeout_seconds': '300', 'stickiness.enabled': 'false', 'stickiness.type': 'lb_cookie', 'slow_start.duration_seconds': '0' };

const state = (ctx: CallContext): ElbState => (ctx.world.elb ??= { loadBalancers: {}, targetGroups: {}, listeners: {}, rules: {} });
const hex = (seed: string, n = 16): string => createHash('sha256').update(seed).digest('hex').slice(0, n);
const prefix = (ctx: CallContext): string => `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.world.accountId}`;

function checkName(name: string, what: string): void {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name) || name.startsWith('internal-')) {
    throw validation(`${what} name '${name}' must have at most 32 alphanumeric characters or hyphens, and must not begin or end with a hyphen`);
  }
}

const lbNotFound = (what: string): ApiError => new ApiError('LoadBalancerNotFound', `One or more load balancers not found${what ? `: ${what}` : ''}`, 400);
const tgNotFound = (what: string): ApiError => new ApiError('TargetGroupNotFound', `One or more target groups not found${what ? `: ${what}` : ''}`, 400);
const listenerNotFound = (what: string): ApiError => new ApiError('ListenerNotFound', `One or more listeners not found${what ? `: ${what}` : ''}`, 400);
const ruleNotFound = (what: string): ApiError => new ApiError('RuleNotFound', `One or more rules not found${what ? `: ${what}` : ''}`, 400);

function lbOf(ctx: CallContext, arn: string, action: string): ElbLoadBalancer {
  ctx.trail.resources.push({ type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', name: arn, arn });
  ctx.authorize(action, arn);
  const lb = state(ctx).loadBalancers[arn];
  if (!lb || lb.region !== ctx.region) throw lbNotFound(arn);
  return lb;
}

function tgOf(ctx: CallContext, arn: string, action: string): ElbTargetGroup {
  ctx.trail.resources.push({ type: 'AWS::ElasticLoadBalancingV2::TargetGroup', name: arn, arn });
  ctx.authorize(action, arn);
  const tg = state(ctx).targetGroups[arn];
  if (!tg || tg.region !== ctx.region) throw tgNotFound(arn);
  return tg;
}

function listenerOf(ctx: CallContext, arn: string, action: string): ElbListener {
  ctx.trail.resources.push({ type: 'AWS::ElasticLoadBalancingV2::Listener', name: arn, arn });
  ctx.authorize(action, arn);
  const l = state(ctx).listeners[arn];
  if (!l || l.region !== ctx.region) throw listenerNotFound(arn);
  return l;
}

function ruleOf(ctx: CallContext, arn: string, action: string): ElbRule {
  ctx.trail.resources.push({ type: 'AWS::ElasticLoadBalancingV2::ListenerRule', name: arn, arn });
  ctx.authorize(action, arn);
  const r = state(ctx).rules[arn];
  if (!r || r.region !== ctx.region) throw ruleNotFound(arn);
  return r;
}

function tagsFrom(p: QueryParams): Tags {
  const out: Tags = {};
  for (const t of p.structs('Tags.member')) {
    const key = t.required('Key');
    if (key.toLowerCase().startsWith('aws:')) throw validation('Tag keys starting with aws: are reserved');
    out[key] = t.get('Value') ?? '';
  }
  return out;
}

const ACTION_TYPES = ['forward', 'redirect', 'fixed-response', 'authenticate-oidc', 'authenticate-cognito'];

/** `DefaultActions.member.N` / `Actions.member.N`: the type, its target group or its configuration. */
function actionsFrom(ctx: CallContext, p: QueryParams, field: string): ElbAction[] {
  const out = p.structs(`${field}.member`).map((a): ElbAction => {
    const type = a.required('Type');
    if (!ACTION_TYPES.includes(type)) throw validation(`Action type '${type}' must be one of [${ACTION_TYPES.join(', ')}]`);
    const config: Record<string, string> = {};
    for (const [k, v] of a.entries()) if (k !== 'Type' && k !== 'Order' && k !== 'TargetGroupArn') config[k] = v;
    const tg = a.get('TargetGroupArn');
    if (tg && !state(ctx).targetGroups[tg]) throw tgNotFound(tg);
    if (type === 'forward' && !tg && !a.has('ForwardConfig.TargetGroups.member.1.TargetGroupArn')) throw validation('A target group ARN must be specified for a forward action');
    if (type === 'fixed-response' && !a.has('FixedResponseConfig.StatusCode')) throw validation('A status code must be specified for a fixed-response action');
    if (type === 'redirect' && !a.has('RedirectConfig.StatusCode')) throw validation('A status code must be specified for a redirect action');
    return { type, order: a.int('Order'), targetGroupArn: tg, config };
  });
  if (!out.length) throw validation(`${field} must contain at least one action`);
  return out;
}

function actionXml(a: ElbAction): XmlNode[] {
  // Configuration keys are flat (`RedirectConfig.StatusCode`): rebuild the nesting for the reply.
  const groups = new Map<string, XmlNode[]>();
  for (const [k, v] of Object.entries(a.config)) {
    const [head, ...rest] = k.split('.');
    if (!head || !rest.length || head === 'ForwardConfig') continue;
    const list = groups.get(head) ?? [];
    list.push(node(rest.join('.'), v));
    groups.set(head, list);
  }
  return [
    node('Type', a.type), node('Order', a.order), node('TargetGroupArn', a.targetGroupArn),
    ...[...groups.entries()].map(([name, children]) => node(name, children)),
  ];
}

function conditionsFrom(p: QueryParams): ElbRule['conditions'] {
  const out = p.structs('Conditions.member').map((c) => {
    const field = c.required('Field');
    const nested: Record<string, string> = { 'path-pattern': 'PathPatternConfig', 'host-header': 'HostHeaderConfig', 'http-request-method': 'HttpRequestMethodConfig', 'source-ip': 'SourceIpConfig' };
    const config = nested[field];
    const values = c.list('Values.member').length ? c.list('Values.member') : config ? c.list(`${config}.Values.member`) : [];
    if (!values.length) throw validation(`A condition on '${field}' must have at least one value`);
    return { field, values };
  });
  if (!out.length) throw validation('A rule must have at least one condition');
  return out;
}

/** Marker pagination over a sorted list (PageSize up to 400). */
function page<T>(list: T[], p: QueryParams): { slice: T[]; next?: string } {
  const n = p.int('PageSize') ?? 400;
  if (n < 1 || n > 400) throw validation(`1 validation error detected: Value '${n}' at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to 400`);
  const marker = p.get('Marker');
  const start = marker === undefined ? 0 : Number(Buffer.from(marker, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0 || start > list.length) throw validation('Invalid Marker');
  const next = start + n < list.length ? Buffer.from(String(start + n)).toString('base64url') : undefined;
  return { slice: list.slice(start, start + n), next };
}

const members = (name: string, list: readonly string[]): XmlNode => node(name, items('member', list, (v) => v));
const attributesXml = (attrs: Record<string, string>): XmlNode => node('Attributes', items('member', Object.entries(attrs).sort(([a], [b]) => a.localeCompare(b)), ([k, v]) => [node('Key', k), node('Value', v)]));

function lbXml(lb: ElbLoadBalancer): XmlNode[] {
  return [
    node('LoadBalancerArn', lb.arn), node('DNSName', `${lb.name}-${hex(lb.arn, 10)}.${lb.region}.elb.amazonaws.com`), node('CanonicalHostedZoneId', 'Z35SXDOTRQ7X7K'),
    node('CreatedTime', lb.createdAt), node('LoadBalancerName', lb.name), node('Scheme', lb.scheme), node('VpcId', lb.vpcId), node('State', [node('Code', 'active')]),
    node('Type', lb.type), node('AvailabilityZones', items('member', lb.subnets, (s) => [node('ZoneName', s.zone), node('SubnetId', s.id)])),
    lb.type === 'application' ? members('SecurityGroups', lb.securityGroups) : node('SecurityGroups', lb.securityGroups.length ? items('member', lb.securityGroups, (v) => v) : undefined),
    node('IpAddressType', lb.ipAddressType),
  ];
}

function tgXml(ctx: CallContext, tg: ElbTargetGroup): XmlNode[] {
  const hc = tg.healthCheck;
  const lbs = Object.values(state(ctx).listeners).filter((l) => [...l.defaultActions, ...Object.values(state(ctx).rules).filter((r) => r.listenerArn === l.arn).flatMap((r) => r.actions)]
    .some((a) => a.targetGroupArn === tg.arn)).map((l) => l.loadBalancerArn);
  return [
    node('TargetGroupArn', tg.arn), node('TargetGroupName', tg.name), node('Protocol', tg.protocol), node('Port', tg.port), node('VpcId', tg.vpcId),
    node('HealthCheckProtocol', hc.HealthCheckProtocol), node('HealthCheckPort', hc.HealthCheckPort), node('HealthCheckEnabled', hc.HealthCheckEnabled),
    node('HealthCheckIntervalSeconds', hc.HealthCheckIntervalSeconds), node('HealthCheckTimeoutSeconds', hc.HealthCheckTimeoutSeconds),
    node('HealthyThresholdCount', hc.HealthyThresholdCount), node('UnhealthyThresholdCount', hc.UnhealthyThresholdCount), node('HealthCheckPath', hc.HealthCheckPath),
    hc['Matcher.HttpCode'] !== undefined ? node('Matcher', [node('HttpCode', hc['Matcher.HttpCode'])]) : undefined,
    members('LoadBalancerArns', [...new Set(lbs)]), node('TargetType', tg.targetType), node('IpAddressType', 'ipv4'),
  ].filter((n): n is XmlNode => n !== undefined);
}

function listenerXml(l: ElbListener): XmlNode[] {
  return [
    node('ListenerArn', l.arn), node('LoadBalancerArn', l.loadBalancerArn), node('Port', l.port), node('Protocol', l.protocol), node('SslPolicy', l.sslPolicy),
    l.certificateArn ? node('Certificates', items('member', [l.certificateArn], (c) => [node('CertificateArn', c)])) : undefined,
    node('DefaultActions', items('member', l.defaultActions, actionXml)),
  ].filter((n): n is XmlNode => n !== undefined);
}

function ruleXml(r: ElbRule): XmlNode[] {
  return [
    node('RuleArn', r.arn), node('Priority', r.priority),
    node('Conditions', items('member', r.conditions, (c) => [node('Field', c.field), members('Values', c.values)])),
    node('Actions', items('member', r.actions, actionXml)), node('IsDefault', r.priority === 'default'),
  ];
}

/** Health check settings: AWS's defaults by protocol, then the request's values. */
function healthCheck(p: QueryParams, protocol: string | undefined, targetType: string, base?: Record<string, string>): Record<string, string> {
  const http = protocol === 'HTTP' || protocol === 'HTTPS';
  const hc: Record<string, string> = base ? { ...base } : {
    HealthCheckProtocol: http ? protocol! : 'TCP', HealthCheckPort: 'traffic-port', HealthCheckEnabled: 'true',
    HealthCheckIntervalSeconds: '30', HealthCheckTimeoutSeconds: http ? '5' : '10', HealthyThresholdCount: '5', UnhealthyThresholdCount: http ? '2' : '2',
    ...(http ? { HealthCheckPath: '/', 'Matcher.HttpCode': '200' } : {}),
  };
  if (targetType === 'lambda') hc.HealthCheckEnabled = 'false';
  for (const k of ['HealthCheckProtocol', 'HealthCheckPort', 'HealthCheckEnabled', 'HealthCheckIntervalSeconds', 'HealthCheckTimeoutSeconds', 'HealthyThresholdCount', 'UnhealthyThresholdCount', 'HealthCheckPath', 'Matcher.HttpCode']) {
    const v = p.get(k);
    if (v !== undefined) hc[k] = v;
  }
  const interval = Number(hc.HealthCheckIntervalSeconds);
  if (interval < 5 || interval > 300) throw validation('Health check interval must be between 5 and 300 seconds');
  return hc;
}

function modifyAttributes(p: QueryParams, attrs: Record<string, string>, allowed: Record<string, string>): XmlNode[] {
  for (const a of p.structs('Attributes.member')) {
    const key = a.required('Key');
    if (!(key in allowed) && !key.startsWith('stickiness.') && !key.startsWith('access_logs.')) throw validation(`Attribute key '${key}' not recognized`);
    attrs[key] = a.get('Value') ?? '';
  }
  return [attributesXml(attrs)];
}

type Handler = (ctx: CallContext, p: QueryParams) => XmlNode[];

export const elbOperations: Record<string, Handler> = {
  CreateLoadBalancer(ctx, p) {
    const name = p.required('Name');
    checkName(name, 'Load balancer');
    const type = (p.get('Type') ?? 'application') as ElbLoadBalancer['type'];
    if (!['application', 'network', 'gateway'].includes(type)) throw validation(`Load balancer type '${type}' is not valid`);
    const arn = `${prefix(ctx)}:loadbalancer/${type === 'application' ? 'app' : type === 'network' ? 'net' : 'gwy'}/${name}/${hex(`${ctx.region}/${name}/${ctx.now.toISOString()}`)}`;
    ctx.trail.resources.push({ type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', name, arn });
    ctx.authorize('elasticloadbalancing:CreateLoadBalancer', arn);
    if (Object.values(state(ctx).loadBalancers).some((x) => x.region === ctx.region && x.name === name)) throw new ApiError('DuplicateLoadBalancerName', `A load balancer with the same name '${name}' exists, but with different settings`, 400);
    const subnets = p.list('Subnets.member').map((id) => {
      const s = ctx.world.subnets[id];
      if (!s || s.region !== ctx.region) throw new ApiError('SubnetNotFound', `The subnet ID '${id}' is not valid`, 400);
      return { id, zone: s.availabilityZone, vpc: s.vpcId };
    });
    if (type === 'application' && new Set(subnets.map((s) => s.zone)).size < 2) throw validation('At least two subnets in two different Availability Zones must be specified');
    if (!subnets.length) throw validation('At least one subnet must be specified');
    const groups = p.list('SecurityGroups.member');
    for (const g of groups) if (!ctx.world.securityGroups[g]) throw new ApiError('InvalidSecurityGroup', `Security group '${g}' does not exist`, 400);
    const lb: ElbLoadBalancer = {
      arn, name, region: ctx.region, type, scheme: p.get('Scheme') === 'internal' ? 'internal' : 'internet-facing', ipAddressType: p.get('IpAddressType') ?? 'ipv4',
      vpcId: subnets[0]!.vpc, subnets: subnets.map(({ id, zone }) => ({ id, zone })), securityGroups: groups, createdAt: ctx.now.toISOString(),
      attributes: { ...LB_DEFAULTS[type] }, tags: tagsFrom(p),
    };
    state(ctx).loadBalancers[arn] = lb;
    return [node('LoadBalancers', items('member', [lb], lbXml))];
  },
  DescribeLoadBalancers(ctx, p) {
    ctx.authorize('elasticloadbalancing:DescribeLoadBalancers', '*');
    const arns = p.list('LoadBalancerArns.member');
    const names = p.list('Names.member');
    if (arns.length > 20) throw validation('LoadBalancerArns must have at most 20 members');
    const all = Object.values(state(ctx).loadBalancers).filter((x) => x.region === ctx.region);
    // Like AWS: one unknown ARN or name fails the whole call.
    for (const a of arns) if (!all.some((x) => x.arn === a)) throw lbNotFound(a);
    for (const n of names) if (!all.some((x) => x.name === n)) throw lbNotFound(`'${n}'`);
    const list = all.filter((x) => (!arns.length || arns.includes(x.arn)) && (!names.length || names.includes(x.name))).sort((a, b) => a.name.localeCompare(b.name));
    const { slice, next } = page(list, p);
    return [node('LoadBalancers', items('member', slice, lbXml)), node('NextMarker', next)];
  },
  DeleteLoadBalancer(ctx, p) {
    const lb = lbOf(ctx, p.required('LoadBalancerArn'), 'elasticloadbalancing:DeleteLoadBalancer');
    if (lb.attributes['deletion_protection.enabled'] === 'true') throw new ApiError('OperationNotPermitted', `Load balancer '${lb.arn}' cannot be deleted because deletion protection is enabled`, 400);
    for (const l of Object.values(state(ctx).listeners).filter((x) => x.loadBalancerArn === lb.arn)) {
      for (const r of Object.values(state(ctx).rules)) if (r.listenerArn === l.arn) delete state(ctx).rules[r.arn];
      delete state(ctx).listeners[l.arn];
    }
    delete state(ctx).loadBalancers[lb.arn];
    return [];
  },
  DescribeLoadBalancerAttributes(ctx, p) {
    const arn = p.required('LoadBalancerArn');
    ctx.authorize('elasticloadbalancing:DescribeLoadBalancerAttributes', '*');
    const lb = state(ctx).loadBalancers[arn];
    if (!lb || lb.region !== ctx.region) throw lbNotFound(arn);
    return [attributesXml(lb.attributes)];
  },
  ModifyLoadBalancerAttributes(ctx, p) {
    const lb = lbOf(ctx, p.required('LoadBalancerArn'), 'elasticloadbalancing:ModifyLoadBalancerAttributes');
    return modifyAttributes(p, lb.attributes, LB_DEFAULTS[lb.type]);
  },
  SetSecurityGroups(ctx, p) {
    const lb = lbOf(ctx, p.required('LoadBalancerArn'), 'elasticloadbalancing:SetSecurityGroups');
    const groups = p.list('SecurityGroups.member');
    for (const g of groups) if (!ctx.world.securityGroups[g]) throw new ApiError('InvalidSecurityGroup', `Security group '${g}' does not exist`, 400);
    lb.securityGroups = groups;
    return [members('SecurityGroupIds', groups)];
  },
  SetSubnets(ctx, p) {
    const lb = lbOf(ctx, p.required('LoadBalancerArn'), 'elasticloadbalancing:SetSubnets');
    lb.subnets = p.list('Subnets.member').map((id) => {
      const s = ctx.world.subnets[id];
      if (!s || s.region !== ctx.region) throw new ApiError('SubnetNotFound', `The subnet ID '${id}' is not valid`, 400);
      return { id, zone: s.availabilityZone };
    });
    return [node('AvailabilityZones', items('member', lb.subnets, (s) => [node('ZoneName', s.zone), node('SubnetId', s.id)]))];
  },
  SetIpAddressType(ctx, p) {
    const lb = lbOf(ctx, p.required('LoadBalancerArn'), 'elasticloadbalancing:SetIpAddressType');
    const t = p.required('IpAddressType');
    if (!['ipv4', 'dualstack', 'dualstack-without-public-ipv4'].includes(t)) throw validation(`IP address type '${t}' is not valid`);
    lb.ipAddressType = t;
    return [node('IpAddressType', t)];
  },
  CreateTargetGroup(ctx, p) {
    const name = p.required('Name');
    checkName(name, 'Target group');
    const arn = `${prefix(ctx)}:targetgroup/${name}/${hex(`${ctx.region}/tg/${name}/${ctx.now.toISOString()}`)}`;
    ctx.trail.resources.push({ type: 'AWS::ElasticLoadBalancingV2::TargetGroup', name, arn });
    ctx.authorize('elasticloadbalancing:CreateTargetGroup', arn);
    if (Object.values(state(ctx).targetGroups).some((x) => x.region === ctx.region && x.name === name)) throw new ApiError('DuplicateTargetGroupName', `A target group with the same name '${name}' exists, but with different settings`, 400);
    const targetType = p.get('TargetType') ?? 'instance';
    const protocol = p.get('Protocol');
    const port = p.int('Port');
    if (targetType !== 'lambda' && (!protocol || port === undefined || !p.get('VpcId'))) throw validation('A protocol, port and VPC ID must be specified for target groups whose target type is not lambda');
    const tg: ElbTargetGroup = {
      arn, name, region: ctx.region, protocol, port, vpcId: p.get('VpcId'), targetType, healthCheck: healthCheck(p, protocol, targetType),
      attributes: { ...TG_DEFAULTS }, targets: [], tags: tagsFrom(p),
    };
    state(ctx).targetGroups[arn] = tg;
    return [node('TargetGroups', items('member', [tg], (x) => tgXml(ctx, x)))];
  },
  DescribeTargetGroups(ctx, p) {
    ctx.authorize('elasticloadbalancing:DescribeTargetGroups', '*');
    const arns = p.list('TargetGroupArns.member');
    const names = p.list('Names.member');
    const lb = p.get('LoadBalancerArn');
    const all = Object.values(state(ctx).targetGroups).filter((x) => x.region === ctx.region);
    for (const a of arns) if (!all.some((x) => x.arn === a)) throw tgNotFound(a);
    for (const n of names) if (!all.some((x) => x.name === n)) throw tgNotFound(`'${n}'`);
    if (lb && !state(ctx).loadBalancers[lb]) throw lbNotFound(lb);
    let list = all.filter((x) => (!arns.length || arns.includes(x.arn)) && (!names.length || names.includes(x.name)));
    if (lb) list = list.filter((x) => tgXml(ctx, x).some((n) => n.name === 'LoadBalancerArns' && Array.isArray(n.value) && n.value.some((m) => m.value === lb)));
    const { slice, next } = page(list.sort((a, b) => a.name.localeCompare(b.name)), p);
    return [node('TargetGroups', items('member', slice, (x) => tgXml(ctx, x))), node('NextMarker', next)];
  },
  ModifyTargetGroup(ctx, p) {
    const tg = tgOf(ctx, p.required('TargetGroupArn'), 'elasticloadbalancing:ModifyTargetGroup');
    tg.healthCheck = healthCheck(p, tg.protocol, tg.targetType, tg.healthCheck);
    return [node('TargetGroups', items('member', [tg], (x) => tgXml(ctx, x)))];
  },
  DeleteTargetGroup(ctx, p) {
    const tg = tgOf(ctx, p.required('TargetGroupArn'), 'elasticloadbalancing:DeleteTargetGroup');
    const used = Object.values(state(ctx).listeners).some((l) => l.defaultActions.some((a) => a.targetGroupArn === tg.arn))
      || Object.values(state(ctx).rules).some((r) => r.actions.some((a) => a.targetGroupArn === tg.arn));
    if (used) throw new ApiError('ResourceInUse', `Target group '${tg.arn}' is currently in use by a listener or a rule`, 400);
    delete state(ctx).targetGroups[tg.arn];
    return [];
  },
  DescribeTargetGroupAttributes(ctx, p) {
    const arn = p.required('TargetGroupArn');
    ctx.authorize('elasticloadbalancing:DescribeTargetGroupAttributes', '*');
    const tg = state(ctx).targetGroups[arn];
    if (!tg || tg.region !== ctx.region) throw tgNotFound(arn);
    return [attributesXml(tg.attributes)];
  },
  ModifyTargetGroupAttributes(ctx, p) {
    const tg = tgOf(ctx, p.required('TargetGroupArn'), 'elasticloadbalancing:ModifyTargetGroupAttributes');
    return modifyAttributes(p, tg.attributes, TG_DEFAULTS);
  },
  RegisterTargets(ctx, p) {
    const tg = tgOf(ctx, p.required('TargetGroupArn'), 'elasticloadbalancing:RegisterTargets');
    for (const t of p.structs('Targets.member')) {
      const id = t.required('Id');
      if (tg.targetType === 'instance' && !ctx.world.instances[id]) throw new ApiError('InvalidTarget', `The following targets are not valid instances: '${id}'`, 400);
      const port = t.int('Port') ?? tg.port;
      if (!tg.targets.some((x) => x.id === id && x.port === port)) tg.targets.push({ id, port, zone: t.get('AvailabilityZone') });
    }
    return [];
  },
  DeregisterTargets(ctx, p) {
    const tg = tgOf(ctx, p.required('TargetGroupArn'), 'elasticloadbalancing:DeregisterTargets');
    for (const t of p.structs('Targets.member')) {
      const id = t.required('Id');
      const port = t.int('Port') ?? tg.port;
      tg.targets = tg.targets.filter((x) => !(x.id === id && x.port === port));
    }
    return [];
  },
  DescribeTargetHealth(ctx, p) {
    const arn = p.required('TargetGroupArn');
    ctx.authorize('elasticloadbalancing:DescribeTargetHealth', '*');
    const tg = state(ctx).targetGroups[arn];
    if (!tg || tg.region !== ctx.region) throw tgNotFound(arn);
    return [node('TargetHealthDescriptions', items('member', tg.targets, (t) => [
      node('Target', [node('Id', t.id), node('Port', t.port), node('AvailabilityZone', t.zone)]), node('HealthCheckPort', String(t.port ?? '')),
      node('TargetHealth', [node('State', 'healthy')]),
    ]))];
  },
  CreateListener(ctx, p) {
    const lb = lbOf(ctx, p.required('LoadBalancerArn'), 'elasticloadbalancing:CreateListener');
    const port = p.int('Port');
    const protocol = p.get('Protocol') ?? (lb.type === 'application' ? 'HTTP' : 'TCP');
    if (port === undefined && lb.type !== 'gateway') throw validation('A listener port must be specified');
    const listeners = state(ctx).listeners;
    if (Object.values(listeners).some((l) => l.loadBalancerArn === lb.arn && l.port === port)) throw new ApiError('DuplicateListener', 'A listener already exists on this port for this load balancer', 400);
    const certificate = p.get('Certificates.member.1.CertificateArn');
    if ((protocol === 'HTTPS' || protocol === 'TLS') && !certificate) throw new ApiError('CertificateNotFound', 'A certificate must be specified for HTTPS listeners', 400);
    const arn = `${prefix(ctx)}:listener/${lb.arn.split(':loadbalancer/')[1]}/${hex(`${lb.arn}/${port}/${ctx.now.toISOString()}`)}`;
    const l: ElbListener = {
      arn, loadBalancerArn: lb.arn, region: ctx.region, protocol, port: port ?? 0,
      sslPolicy: p.get('SslPolicy') ?? (protocol === 'HTTPS' || protocol === 'TLS' ? 'ELBSecurityPolicy-2016-08' : undefined), certificateArn: certificate,
      defaultActions: actionsFrom(ctx, p, 'DefaultActions'), tags: tagsFrom(p),
    };
    listeners[arn] = l;
    return [node('Listeners', items('member', [l], listenerXml))];
  },
  DescribeListeners(ctx, p) {
    ctx.authorize('elasticloadbalancing:DescribeListeners', '*');
    const lb = p.get('LoadBalancerArn');
    const arns = p.list('ListenerArns.member');
    if (!lb && !arns.length) throw validation('You must specify either listener ARNs or a load balancer ARN');
    if (lb && !state(ctx).loadBalancers[lb]) throw lbNotFound(lb);
    const all = Object.values(state(ctx).listeners).filter((x) => x.region === ctx.region);
    for (const a of arns) if (!all.some((x) => x.arn === a)) throw listenerNotFound(a);
    const list = all.filter((x) => (!lb || x.loadBalancerArn === lb) && (!arns.length || arns.includes(x.arn))).sort((a, b) => a.port - b.port);
    const { slice, next } = page(list, p);
    return [node('Listeners', items('member', slice, listenerXml)), node('NextMarker', next)];
  },
  ModifyListener(ctx, p) {
    const l = listenerOf(ctx, p.required('ListenerArn'), 'elasticloadbalancing:ModifyListener');
    const port = p.int('Port');
    if (port !== undefined) l.port = port;
    if (p.has('Protocol')) l.protocol = p.get('Protocol')!;
    if (p.has('SslPolicy')) l.sslPolicy = p.get('SslPolicy');
    if (p.has('Certificates.member.1.CertificateArn')) l.certificateArn = p.get('Certificates.member.1.CertificateArn');
    if (p.has('DefaultActions.member.1.Type')) l.defaultActions = actionsFrom(ctx, p, 'DefaultActions');
    return [node('Listeners', items('member', [l], listenerXml))];
  },
  DeleteListener(ctx, p) {
    const l = listenerOf(ctx, p.required('ListenerArn'), 'elasticloadbalancing:DeleteListener');
    for (const r of Object.values(state(ctx).rules)) if (r.listenerArn === l.arn) delete state(ctx).rules[r.arn];
    delete state(ctx).listeners[l.arn];
    return [];
  },
  CreateRule(ctx, p) {
    const l = listenerOf(ctx, p.required('ListenerArn'), 'elasticloadbalancing:CreateRule');
    const priority = p.int('Priority');
    if (priority === undefined || priority < 1 || priority > 50000) throw validation('Priority must be between 1 and 50000');
    if (Object.values(state(ctx).rules).some((r) => r.listenerArn === l.arn && r.priority === String(priority))) throw new ApiError('PriorityInUse', `Priority '${priority}' is currently in use`, 400);
    const arn = `${prefix(ctx)}:listener-rule/${l.arn.split(':listener/')[1]}/${hex(`${l.arn}/${priority}/${ctx.now.toISOString()}`)}`;
    const r: ElbRule = { arn, listenerArn: l.arn, region: ctx.region, priority: String(priority), conditions: conditionsFrom(p), actions: actionsFrom(ctx, p, 'Actions'), tags: tagsFrom(p) };
    state(ctx).rules[arn] = r;
    return [node('Rules', items('member', [r], ruleXml))];
  },
  DescribeRules(ctx, p) {
    ctx.authorize('elasticloadbalancing:DescribeRules', '*');
    const listener = p.get('ListenerArn');
    const arns = p.list('RuleArns.member');
    if (!listener && !arns.length) throw validation('You must specify either rule ARNs or a listener ARN');
    if (listener && !state(ctx).listeners[listener]) throw listenerNotFound(listener);
    const all = Object.values(state(ctx).rules).filter((x) => x.region === ctx.region);
    for (const a of arns) if (!all.some((x) => x.arn === a)) throw ruleNotFound(a);
    const list = all.filter((x) => (!listener || x.listenerArn === listener) && (!arns.length || arns.includes(x.arn))).sort((a, b) => Number(a.priority) - Number(b.priority));
    const { slice, next } = page(list, p);
    return [node('Rules', items('member', slice, ruleXml)), node('NextMarker', next)];
  },
  ModifyRule(ctx, p) {
    const r = ruleOf(ctx, p.required('RuleArn'), 'elasticloadbalancing:ModifyRule');
    if (p.has('Conditions.member.1.Field')) r.conditions = conditionsFrom(p);
    if (p.has('Actions.member.1.Type')) r.actions = actionsFrom(ctx, p, 'Actions');
    return [node('Rules', items('member', [r], ruleXml))];
  },
  SetRulePriorities(ctx, p) {
    const changed = p.structs('RulePriorities.member').map((x) => {
      const r = ruleOf(ctx, x.required('RuleArn'), 'elasticloadbalancing:SetRulePriorities');
      const priority = x.int('Priority');
      if (priority === undefined || priority < 1 || priority > 50000) throw validation('Priority must be between 1 and 50000');
      if (Object.values(state(ctx).rules).some((o) => o.arn !== r.arn && o.listenerArn === r.listenerArn && o.priority === String(priority))) throw new ApiError('PriorityInUse', `Priority '${priority}' is currently in use`, 400);
      r.priority = String(priority);
      return r;
    });
    return [node('Rules', items('member', changed, ruleXml))];
  },
  DeleteRule(ctx, p) {
    const r = ruleOf(ctx, p.required('RuleArn'), 'elasticloadbalancing:DeleteRule');
    delete state(ctx).rules[r.arn];
    return [];
  },
  DescribeTags(ctx, p) {
    ctx.authorize('elasticloadbalancing:DescribeTags', '*');
    const arns = p.list('ResourceArns.member');
    if (!arns.length || arns.length > 20) throw validation('ResourceArns must have between 1 and 20 members');
    return [node('TagDescriptions', items('member', arns, (arn) => [
      node('ResourceArn', arn),
      node('Tags', items('member', Object.entries(taggable(ctx, arn).tags), ([k, v]) => [node('Key', k), node('Value', v)])),
    ]))];
  },
  AddTags(ctx, p) {
    const tags = tagsFrom(p);
    for (const arn of p.list('ResourceArns.member')) {
      ctx.trail.resources.push({ type: 'AWS::ElasticLoadBalancingV2::Resource', name: arn, arn });
      ctx.authorize('elasticloadbalancing:AddTags', arn);
      const holder = taggable(ctx, arn);
      holder.tags = { ...holder.tags, ...tags };
      if (Object.keys(holder.tags).length > 50) throw new ApiError('TooManyTags', 'A resource can have at most 50 tags', 400);
    }
    return [];
  },
  RemoveTags(ctx, p) {
    const keys = p.list('TagKeys.member');
    for (const arn of p.list('ResourceArns.member')) {
      ctx.trail.resources.push({ type: 'AWS::ElasticLoadBalancingV2::Resource', name: arn, arn });
      ctx.authorize('elasticloadbalancing:RemoveTags', arn);
      const holder = taggable(ctx, arn);
      holder.tags = Object.fromEntries(Object.entries(holder.tags).filter(([k]) => !keys.includes(k)));
    }
    return [];
  },
};

/** The object an ARN names, for the tag calls: any of the four kinds. */
function taggable(ctx: CallContext, arn: string): { tags: Tags } {
  const s = state(ctx);
  const found = s.loadBalancers[arn] ?? s.targetGroups[arn] ?? s.listeners[arn] ?? s.rules[arn];
  if (!found) {
    if (arn.includes(':targetgroup/')) throw tgNotFound(arn);
    if (arn.includes(':listener-rule/')) throw ruleNotFound(arn);
    if (arn.includes(':listener/')) throw listenerNotFound(arn);
    throw lbNotFound(arn);
  }
  return found;
}
