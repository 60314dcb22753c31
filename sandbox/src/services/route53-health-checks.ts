// Route 53 health checks (REST-XML under /2013-04-01/healthcheck) with their tags, per the Route 53
// API reference: create, get, list, update (versioned, with ResetElements), delete; tag calls on
// `/tags/healthcheck/…` are answered here and hosted-zone tag calls passed on.
import { createHash } from 'node:crypto';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import type { HealthCheck } from '../world';
import { child, childText, childrenNamed, items, node, type XmlElement, type XmlNode } from '../xml';
import { body, changedTags, invalidInput, result, route53Operations, segment, tagSetXml, type Route53Request, type Route53Result } from './route53';

type Handler = (ctx: CallContext, req: Route53Request) => Route53Result;

const checksOf = (ctx: CallContext): Record<string, HealthCheck> => (ctx.world.healthChecks ??= {});
const checkArn = (id: string): string => `arn:aws:route53:::healthcheck/${id}`;
const TYPES = new Set(['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP', 'CALCULATED', 'CLOUDWATCH_METRIC', 'RECOVERY_CONTROL']);
const INTERVALS = new Set([10, 30]);

function checkFor(ctx: CallContext, id: string, action: string): HealthCheck {
  ctx.trail.resources.push({ type: 'AWS::Route53::HealthCheck', name: id, arn: checkArn(id) });
  ctx.authorize(action, checkArn(id));
  const c = checksOf(ctx)[id];
  if (!c) throw new ApiError('NoSuchHealthCheck', `A health check with id ${id} does not exist.`, 404);
  return c;
}

function configXml(c: HealthCheck['config']): XmlNode {
  return node('HealthCheckConfig', [
    node('IPAddress', c.ipAddress), node('Port', c.port), node('Type', c.type), node('ResourcePath', c.resourcePath), node('FullyQualifiedDomainName', c.fqdn),
    node('SearchString', c.searchString), node('RequestInterval', c.requestInterval), node('FailureThreshold', c.failureThreshold), node('MeasureLatency', c.measureLatency),
    node('Inverted', c.inverted), node('Disabled', c.disabled), node('HealthThreshold', c.healthThreshold),
    ...(c.childHealthChecks.length ? [node('ChildHealthChecks', items('ChildHealthCheck', c.childHealthChecks, (x) => x))] : []),
    node('EnableSNI', c.enableSni), ...(c.regions.length ? [node('Regions', items('Region', c.regions, (r) => r))] : []),
    ...(c.alarm ? [node('AlarmIdentifier', [node('Region', c.alarm.region), node('Name', c.alarm.name)])] : []),
    node('InsufficientDataHealthStatus', c.insufficientDataHealthStatus), node('RoutingControlArn', c.routingControlArn),
  ]);
}

function checkXml(c: HealthCheck): XmlNode {
  return node('HealthCheck', [
    node('Id', c.id), node('CallerReference', c.callerReference), configXml(c.config), node('HealthCheckVersion', c.version),
    ...(c.config.alarm ? [node('CloudWatchAlarmConfiguration', [node('EvaluationPeriods', 1), node('Threshold', 1), node('ComparisonOperator', 'GreaterThanOrEqualToThreshold'), node('Period', 60), node('MetricName', 'HealthCheckStatus'), node('Namespace', 'AWS/Route53'), node('Statistic', 'Minimum')])] : []),
  ]);
}

const int = (el: XmlElement, name: string): number | undefined => {
  const v = childText(el, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw invalidInput(`Invalid ${name}: ${v}`);
  return Number(v);
};
const flag = (el: XmlElement, name: string): boolean | undefined => (childText(el, name) === undefined ? undefined : childText(el, name) === 'true');
const list = (el: XmlElement, outer: string, inner: string): string[] | undefined => {
  const c = child(el, outer);
  return c ? childrenNamed(c, inner).map((x) => x.text) : undefined;
};

/** The fields an update may change (CreateHealthCheck's config or UpdateHealthCheck's request). */
function applyFields(c: HealthCheck['config'], el: XmlElement): void {
  const alarm = child(el, 'AlarmIdentifier');
  const set = <K extends keyof HealthCheck['config']>(key: K, value: HealthCheck['config'][K] | undefined) => { if (value !== undefined) c[key] = value; };
  set('ipAddress', childText(el, 'IPAddress'));
  set('port', int(el, 'Port'));
  set('resourcePath', childText(el, 'ResourcePath'));
  set('fqdn', childText(el, 'FullyQualifiedDomainName'));
  set('searchString', childText(el, 'SearchString'));
  set('failureThreshold', int(el, 'FailureThreshold'));
  set('inverted', flag(el, 'Inverted'));
  set('disabled', flag(el, 'Disabled'));
  set('healthThreshold', int(el, 'HealthThreshold'));
  set('childHealthChecks', list(el, 'ChildHealthChecks', 'ChildHealthCheck'));
  set('enableSni', flag(el, 'EnableSNI'));
  set('regions', list(el, 'Regions', 'Region'));
  if (alarm) c.alarm = { region: childText(alarm, 'Region') ?? '', name: childText(alarm, 'Name') ?? '' };
  set('insufficientDataHealthStatus', childText(el, 'InsufficientDataHealthStatus'));
  if (c.failureThreshold < 1 || c.failureThreshold > 10) throw invalidInput('FailureThreshold must be between 1 and 10.');
  if (c.regions.length && c.regions.length < 3) throw invalidInput('Regions must contain at least three regions.');
}

export const route53HealthCheckOperations: Record<string, Handler> = {
  CreateHealthCheck(ctx, req) {
    const root = body(req, 'CreateHealthCheckRequest');
    const ref = childText(root, 'CallerReference');
    const config = child(root, 'HealthCheckConfig');
    if (!ref || !config) throw invalidInput('CallerReference and HealthCheckConfig are required.');
    const id = createHash('sha256').update(`${ctx.world.accountId}/hc/${ref}`).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5');
    ctx.trail.resources.push({ type: 'AWS::Route53::HealthCheck', name: id, arn: checkArn(id) });
    ctx.authorize('route53:CreateHealthCheck', '*');
    const existing = Object.values(checksOf(ctx)).find((c) => c.callerReference === ref);
    if (existing) throw new ApiError('HealthCheckAlreadyExists', 'The health check you are trying to create already exists.', 409);
    const type = childText(config, 'Type') ?? '';
    if (!TYPES.has(type)) throw invalidInput(`Invalid Type: ${type}`);
    const interval = int(config, 'RequestInterval') ?? 30;
    if (!INTERVALS.has(interval)) throw invalidInput('RequestInterval must be 10 or 30.');
    const c: HealthCheck = {
      id, callerReference: ref, version: 1, tags: {},
      config: {
        type, requestInterval: interval, failureThreshold: 3, measureLatency: flag(config, 'MeasureLatency') ?? false, inverted: false, disabled: false,
        childHealthChecks: [], enableSni: type.startsWith('HTTPS'), regions: [], routingControlArn: childText(config, 'RoutingControlArn'),
      },
    };
    applyFields(c.config, config);
    if (!c.config.port && (type.startsWith('HTTP') || type === 'TCP')) c.config.port = type.startsWith('HTTPS') ? 443 : type === 'TCP' ? undefined : 80;
    if (type === 'TCP' && !c.config.port) throw invalidInput('Port is required for TCP health checks.');
    checksOf(ctx)[id] = c;
    return { status: 201, body: result('CreateHealthCheckResponse', [checkXml(c)]).body };
  },
  GetHealthCheck(ctx, req) {
    return result('GetHealthCheckResponse', [checkXml(checkFor(ctx, segment(req, 2), 'route53:GetHealthCheck'))]);
  },
  ListHealthChecks(ctx, req) {
    ctx.authorize('route53:ListHealthChecks', '*');
    const max = Math.min(1000, Number(req.query.get('maxitems') ?? '100') || 100);
    const all = Object.values(checksOf(ctx)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const marker = req.query.get('marker');
    const start = marker ? all.findIndex((c) => c.id === marker) : 0;
    if (start < 0) throw invalidInput(`Invalid marker ${marker}`);
    const page = all.slice(start, start + max);
    const next = all[start + max];
    return result('ListHealthChecksResponse', [
      node('HealthChecks', page.map(checkXml)), node('Marker', marker ?? ''), node('IsTruncated', next !== undefined), ...(next ? [node('NextMarker', next.id)] : []), node('MaxItems', max),
    ]);
  },
  UpdateHealthCheck(ctx, req) {
    const c = checkFor(ctx, segment(req, 2), 'route53:UpdateHealthCheck');
    const root = body(req, 'UpdateHealthCheckRequest');
    const version = int(root, 'HealthCheckVersion');
    if (version !== undefined && version !== c.version) throw new ApiError('HealthCheckVersionMismatch', `The value of HealthCheckVersion in the request (${version}) does not match the current version (${c.version}).`, 409);
    const next = structuredClone(c.config);
    for (const reset of list(root, 'ResetElements', 'ResettableElementName') ?? []) {
      if (reset === 'FullyQualifiedDomainName') next.fqdn = undefined;
      else if (reset === 'Regions') next.regions = [];
      else if (reset === 'ResourcePath') next.resourcePath = undefined;
      else if (reset === 'ChildHealthChecks') next.childHealthChecks = [];
      else throw invalidInput(`Invalid ResettableElementName: ${reset}`);
    }
    applyFields(next, root);
    c.config = next;
    c.version += 1;
    return result('UpdateHealthCheckResponse', [checkXml(c)]);
  },
  DeleteHealthCheck(ctx, req) {
    const c = checkFor(ctx, segment(req, 2), 'route53:DeleteHealthCheck');
    delete checksOf(ctx)[c.id];
    return result('DeleteHealthCheckResponse', []);
  },
  ListTagsForResource(ctx, req) {
    if (segment(req, 2) !== 'healthcheck') return route53Operations.ListTagsForResource!(ctx, req);
    const c = checkFor(ctx, segment(req, 3), 'route53:ListTagsForResource');
    return result('ListTagsForResourceResponse', [tagSetXml('healthcheck', c.id, c.tags)]);
  },
  ListTagsForResources(ctx, req) {
    const type = segment(req, 2);
    const ids = list(body(req, 'ListTagsForResourcesRequest'), 'ResourceIds', 'ResourceId') ?? [];
    if (!ids.length || ids.length > 10) throw invalidInput('ResourceIds must contain between 1 and 10 ids.');
    ctx.authorize('route53:ListTagsForResources', '*');
    const sets = ids.map((id) => {
      if (type === 'healthcheck') return tagSetXml(type, id, checkFor(ctx, id, 'route53:ListTagsForResource').tags);
      const z = ctx.world.hostedZones?.[id];
      if (!z) throw new ApiError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404);
      return tagSetXml(type, id, z.tags);
    });
    return result('ListTagsForResourcesResponse', [node('ResourceTagSets', sets)]);
  },
  ChangeTagsForResource(ctx, req) {
    if (segment(req, 2) !== 'healthcheck') return route53Operations.ChangeTagsForResource!(ctx, req);
    const c = checkFor(ctx, segment(req, 3), 'route53:ChangeTagsForResource');
    c.tags = changedTags(body(req, 'ChangeTagsForResourceRequest'), c.tags);
    return result('ChangeTagsForResourceResponse', []);
  },
};
