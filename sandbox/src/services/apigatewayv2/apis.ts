// Amazon API Gateway v2 (REST-JSON under /v2/): HTTP and WebSocket APIs with their stages, routes
// and integrations, and tags on APIs and stages. Objects are kept in the wire's camelCase shape
// with AWS's defaults filled in at create (an HTTP API's route and API-key selection expressions,
// a stage's default route settings, an integration's connection type and timeout), so reads answer
// what a real API would. A stage with autoDeploy gets a new deployment whenever its API's routes or
// integrations change, as AWS deploys them. IAM actions are API Gateway's HTTP verbs on the
// object's ARN (`apigateway:PATCH` on `arn:aws:apigateway:<region>::/apis/<id>`).
import { randomBytes } from 'node:crypto';
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import type { Tags } from '../../world';

type Obj = Record<string, unknown>;

export interface HttpApi {
  region: string;
  /** The API's own fields in the wire's shape (apiId, name, protocolType, …). */
  fields: Obj;
  tags: Tags;
  stages: Record<string, { fields: Obj; tags: Tags }>;
  routes: Record<string, Obj>;
  integrations: Record<string, Obj>;
}

export interface ApiGatewayV2State {
  /** APIs by id. */
  apis: Record<string, HttpApi>;
}

const MAX_TAGS = 50;
const API_FIELDS = ['name', 'description', 'version', 'apiKeySelectionExpression', 'routeSelectionExpression', 'disableExecuteApiEndpoint', 'disableSchemaValidation', 'corsConfiguration', 'ipAddressType'];
const STAGE_FIELDS = ['description', 'deploymentId', 'autoDeploy', 'accessLogSettings', 'defaultRouteSettings', 'routeSettings', 'stageVariables', 'clientCertificateId'];
const ROUTE_FIELDS = [
  'routeKey', 'target', 'authorizationType', 'authorizerId', 'authorizationScopes', 'apiKeyRequired', 'modelSelectionExpression', 'operationName', 'requestModels',
  'requestParameters', 'routeResponseSelectionExpression',
];
const INTEGRATION_FIELDS = [
  'integrationType', 'integrationUri', 'integrationMethod', 'integrationSubtype', 'connectionType', 'connectionId', 'credentialsArn', 'description', 'payloadFormatVersion',
  'passthroughBehavior', 'contentHandlingStrategy', 'requestParameters', 'requestTemplates', 'responseParameters', 'templateSelectionExpression', 'timeoutInMillis', 'tlsConfig',
];
const INTEGRATION_TYPES = new Set(['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK']);
const AUTHORIZATION_TYPES = new Set(['NONE', 'AWS_IAM', 'CUSTOM', 'JWT']);

export const badRequest = (message: string): ApiError => new ApiError('BadRequestException', message, 400);
const notFound = (what: string): ApiError => new ApiError('NotFoundException', `Invalid ${what} identifier specified`, 404);
const conflict = (message: string): ApiError => new ApiError('ConflictException', message, 409);

const stateOf = (ctx: CallContext): ApiGatewayV2State => (ctx.world.apigatewayv2 ??= { apis: {} });
const newId = (): string => randomBytes(8).toString('base64').replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 10).padEnd(10, '0');
const apiArn = (region: string, apiId: string): string => `arn:aws:apigateway:${region}::/apis/${apiId}`;
const stageArn = (region: string, apiId: string, stage: string): string => `${apiArn(region, apiId)}/stages/${stage}`;

/** Copies the listed fields of a request body, checking each one's JSON type as the service model declares it. */
function pick(body: Obj, fields: readonly string[]): Obj {
  const out: Obj = {};
  for (const f of fields) {
    const v = body[f];
    if (v === undefined || v === null) continue;
    const want = typeOfField(f);
    const ok = want === 'array' ? Array.isArray(v) : want === 'object' ? typeof v === 'object' && !Array.isArray(v) : typeof v === want;
    if (!ok) throw badRequest(`Invalid value for ${f}: expected ${want}`);
    out[f] = structuredClone(v);
  }
  return out;
}

function typeOfField(f: string): 'string' | 'boolean' | 'number' | 'object' | 'array' {
  if (/^(disable|autoDeploy|apiKeyRequired)/.test(f)) return 'boolean';
  if (f === 'timeoutInMillis') return 'number';
  if (f === 'authorizationScopes') return 'array';
  if (/(Configuration|Settings|Variables|Models|Parameters|Templates|tlsConfig)$/.test(f)) return 'object';
  return 'string';
}

function apiFor(ctx: CallContext, request: RestJsonRequest, verb: string, suffix = ''): HttpApi {
  const id = request.path.ApiId ?? '';
  ctx.authorize(`apigateway:${verb}`, `${apiArn(ctx.region, id)}${suffix}`);
  const api = stateOf(ctx).apis[id];
  if (!api || api.region !== ctx.region) throw notFound('API');
  ctx.trail.resources.push({ type: 'AWS::ApiGatewayV2::Api', name: id });
  return api;
}

function tagsIn(value: unknown): Tags {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) throw badRequest('tags must be a map of strings');
  const tags = { ...(value as Tags) };
  if (Object.keys(tags).some((k) => k.startsWith('aws:'))) throw badRequest('Tag keys beginning with aws: are reserved');
  if (Object.keys(tags).length > MAX_TAGS) throw badRequest(`A resource can have at most ${MAX_TAGS} tags`);
  return tags;
}

/** Pages of a list: `maxResults` (a string on the wire) and an opaque `nextToken`. */
function page<T>(request: RestJsonRequest, all: T[]): { items: T[]; nextToken?: string } {
  const raw = request.query.get('maxResults');
  const max = raw === undefined ? 100 : Number(raw);
  if (!Number.isInteger(max) || max < 1 || max > 500) throw badRequest(`Invalid maxResults: ${raw}`);
  const token = request.query.get('nextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0 || start > all.length) throw badRequest('Invalid nextToken');
  const items = all.slice(start, start + max);
  return { items, ...(start + max < all.length ? { nextToken: Buffer.from(String(start + max)).toString('base64url') } : {}) };
}

const now = (ctx: CallContext): string => ctx.now.toISOString();
const isHttp = (api: HttpApi): boolean => api.fields.protocolType === 'HTTP';

function apiView(api: HttpApi): Obj {
  return { ...api.fields, tags: { ...api.tags } };
}

function stageView(stage: HttpApi['stages'][string]): Obj {
  return { ...stage.fields, tags: { ...stage.tags } };
}

/** AWS deploys an autoDeploy stage whenever its API's routes or integrations change. */
function autoDeploy(ctx: CallContext, api: HttpApi): void {
  for (const s of Object.values(api.stages)) {
    if (s.fields.autoDeploy !== true) continue;
    s.fields.deploymentId = newId().slice(0, 6);
    s.fields.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${String(s.fields.deploymentId)}'`;
    s.fields.lastUpdatedDate = now(ctx);
  }
}

function checkCors(api: Obj, fields: Obj): void {
  if (fields.corsConfiguration !== undefined && api.protocolType !== 'HTTP') throw badRequest('CORS configuration is supported only for HTTP APIs');
}

function checkRoute(api: HttpApi, fields: Obj, selfId?: string): void {
  const key = fields.routeKey;
  if (typeof key !== 'string' || !key) throw badRequest('routeKey is required');
  if (isHttp(api) && !/^(\$default|(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/\S*)$/.test(key)) throw badRequest(`Invalid routeKey ${key}`);
  if (Object.entries(api.routes).some(([id, r]) => id !== selfId && r.routeKey === key)) throw conflict(`Route with key ${key} already exists for this API`);
  const target = fields.target;
  if (target !== undefined) {
    const m = /^integrations\/(\w+)$/.exec(String(target));
    if (!m || !api.integrations[m[1]!]) throw badRequest(`Invalid target ${String(target)}: it must name an integration of this API`);
  }
  if (fields.authorizationType !== undefined && !AUTHORIZATION_TYPES.has(String(fields.authorizationType))) throw badRequest(`Invalid authorizationType ${String(fields.authorizationType)}`);
}

function checkIntegration(api: HttpApi, fields: Obj): void {
  const type = String(fields.integrationType ?? '');
  if (!INTEGRATION_TYPES.has(type)) throw badRequest(`Invalid integrationType ${type}`);
  if (isHttp(api) && (type === 'AWS' || type === 'HTTP')) throw badRequest(`Integration type ${type} is not supported for HTTP APIs`);
  if (type === 'HTTP_PROXY' && !fields.integrationMethod) throw badRequest('integrationMethod is required for HTTP_PROXY integrations');
  if (type !== 'MOCK' && !fields.integrationUri && !fields.integrationSubtype) throw badRequest('integrationUri is required');
  const timeout = fields.timeoutInMillis;
  if (timeout !== undefined && (typeof timeout !== 'number' || timeout < 50 || timeout > (isHttp(api) ? 30000 : 29000))) throw badRequest(`Invalid timeoutInMillis ${String(timeout)}`);
  const version = fields.payloadFormatVersion;
  if (version !== undefined && version !== '1.0' && version !== '2.0') throw badRequest(`Invalid payloadFormatVersion ${String(version)}`);
}

type Handler = (ctx: CallContext, request: RestJsonRequest) => RestJsonResult;

export const apiHandlers: Record<string, Handler> = {
  createApi(ctx, { body }) {
    const fields = pick(body, [...API_FIELDS, 'protocolType']);
    if (typeof fields.name !== 'string' || !fields.name) throw badRequest('name is required');
    if (fields.protocolType !== 'HTTP' && fields.protocolType !== 'WEBSOCKET') throw badRequest(`Invalid protocolType ${String(fields.protocolType)}`);
    if (fields.protocolType === 'WEBSOCKET' && !fields.routeSelectionExpression) throw badRequest('routeSelectionExpression is required for WebSocket APIs');
    checkCors(fields, fields);
    const tags = tagsIn(body.tags);
    const apiId = newId();
    ctx.authorize('apigateway:POST', `arn:aws:apigateway:${ctx.region}::/apis`);
    const scheme = fields.protocolType === 'HTTP' ? 'https' : 'wss';
    const api: HttpApi = {
      region: ctx.region, tags, stages: {}, routes: {}, integrations: {},
      fields: {
        apiKeySelectionExpression: '$request.header.x-api-key', routeSelectionExpression: '$request.method $request.path', disableExecuteApiEndpoint: false,
        ipAddressType: 'ipv4', ...fields, apiId, apiEndpoint: `${scheme}://${apiId}.execute-api.${ctx.region}.amazonaws.com`, apiGatewayManaged: false, createdDate: now(ctx),
      },
    };
    stateOf(ctx).apis[apiId] = api;
    ctx.trail.resources.push({ type: 'AWS::ApiGatewayV2::Api', name: apiId });
    return { body: apiView(api) };
  },
  getApis(ctx, request) {
    ctx.authorize('apigateway:GET', `arn:aws:apigateway:${ctx.region}::/apis`);
    const all = Object.values(stateOf(ctx).apis).filter((a) => a.region === ctx.region).sort((a, b) => String(a.fields.apiId).localeCompare(String(b.fields.apiId)));
    const p = page(request, all);
    return { body: { items: p.items.map(apiView), ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
  },
  getApi(ctx, request) {
    return { body: apiView(apiFor(ctx, request, 'GET')) };
  },
  updateApi(ctx, request) {
    const api = apiFor(ctx, request, 'PATCH');
    const fields = pick(request.body, API_FIELDS);
    checkCors(api.fields, fields);
    Object.assign(api.fields, fields);
    return { body: apiView(api) };
  },
  deleteApi(ctx, request) {
    const api = apiFor(ctx, request, 'DELETE');
    delete stateOf(ctx).apis[String(api.fields.apiId)];
    return {};
  },
  deleteCorsConfiguration(ctx, request) {
    const api = apiFor(ctx, request, 'DELETE', '/cors');
    delete api.fields.corsConfiguration;
    return {};
  },

  createStage(ctx, request) {
    const api = apiFor(ctx, request, 'POST', '/stages');
    const fields = pick(request.body, [...STAGE_FIELDS, 'stageName']);
    const name = fields.stageName;
    if (typeof name !== 'string' || !/^(\$default|[A-Za-z0-9_-]{1,128})$/.test(name)) throw badRequest(`Invalid stageName ${String(name)}`);
    if (api.stages[name]) throw conflict(`Stage already exists: ${name}`);
    if (fields.autoDeploy !== undefined && !isHttp(api)) throw badRequest('autoDeploy is supported only for HTTP APIs');
    const log = fields.accessLogSettings as Obj | undefined;
    if (log && (!log.destinationArn || !log.format)) throw badRequest('accessLogSettings needs both destinationArn and format');
    const tags = tagsIn(request.body.tags);
    api.stages[name] = {
      tags,
      fields: {
        defaultRouteSettings: isHttp(api) ? { detailedMetricsEnabled: false } : { dataTraceEnabled: false, detailedMetricsEnabled: false, loggingLevel: 'OFF' },
        routeSettings: {}, stageVariables: {}, ...fields, apiGatewayManaged: false, createdDate: now(ctx), lastUpdatedDate: now(ctx),
      },
    };
    if (fields.autoDeploy === true) autoDeploy(ctx, api);
    return { body: stageView(api.stages[name]!) };
  },
  getStages(ctx, request) {
    const api = apiFor(ctx, request, 'GET', '/stages');
    const all = Object.values(api.stages).sort((a, b) => String(a.fields.stageName).localeCompare(String(b.fields.stageName)));
    const p = page(request, all);
    return { body: { items: p.items.map(stageView), ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
  },
  getStage(ctx, request) {
    const api = apiFor(ctx, request, 'GET', `/stages/${request.path.StageName}`);
    const stage = api.stages[request.path.StageName ?? ''];
    if (!stage) throw notFound('stage');
    return { body: stageView(stage) };
  },
  updateStage(ctx, request) {
    const api = apiFor(ctx, request, 'PATCH', `/stages/${request.path.StageName}`);
    const stage = api.stages[request.path.StageName ?? ''];
    if (!stage) throw notFound('stage');
    const fields = pick(request.body, STAGE_FIELDS);
    if (fields.autoDeploy !== undefined && !isHttp(api)) throw badRequest('autoDeploy is supported only for HTTP APIs');
    Object.assign(stage.fields, fields, { lastUpdatedDate: now(ctx) });
    return { body: stageView(stage) };
  },
  deleteStage(ctx, request) {
    const api = apiFor(ctx, request, 'DELETE', `/stages/${request.path.StageName}`);
    if (!api.stages[request.path.StageName ?? '']) throw notFound('stage');
    delete api.stages[request.path.StageName ?? ''];
    return {};
  },

  createRoute(ctx, request) {
    const api = apiFor(ctx, request, 'POST', '/routes');
    const fields = pick(request.body, ROUTE_FIELDS);
    checkRoute(api, fields);
    const routeId = newId().slice(0, 7);
    api.routes[routeId] = { apiKeyRequired: false, authorizationType: 'NONE', ...fields, routeId, apiGatewayManaged: false };
    autoDeploy(ctx, api);
    return { body: { ...api.routes[routeId] } };
  },
  getRoutes(ctx, request) {
    const api = apiFor(ctx, request, 'GET', '/routes');
    const p = page(request, Object.values(api.routes).sort((a, b) => String(a.routeId).localeCompare(String(b.routeId))));
    return { body: { items: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
  },
  getRoute(ctx, request) {
    const route = apiFor(ctx, request, 'GET', `/routes/${request.path.RouteId}`).routes[request.path.RouteId ?? ''];
    if (!route) throw notFound('route');
    return { body: { ...route } };
  },
  updateRoute(ctx, request) {
    const api = apiFor(ctx, request, 'PATCH', `/routes/${request.path.RouteId}`);
    const route = api.routes[request.path.RouteId ?? ''];
    if (!route) throw notFound('route');
    const next = { ...route, ...pick(request.body, ROUTE_FIELDS) };
    checkRoute(api, next, String(route.routeId));
    api.routes[String(route.routeId)] = next;
    autoDeploy(ctx, api);
    return { body: { ...next } };
  },
  deleteRoute(ctx, request) {
    const api = apiFor(ctx, request, 'DELETE', `/routes/${request.path.RouteId}`);
    if (!api.routes[request.path.RouteId ?? '']) throw notFound('route');
    delete api.routes[request.path.RouteId ?? ''];
    autoDeploy(ctx, api);
    return {};
  },

  createIntegration(ctx, request) {
    const api = apiFor(ctx, request, 'POST', '/integrations');
    const fields = pick(request.body, INTEGRATION_FIELDS);
    checkIntegration(api, fields);
    const integrationId = newId().slice(0, 7);
    const websocketResponse = !isHttp(api) && (fields.integrationType === 'AWS' || fields.integrationType === 'HTTP') ? { integrationResponseSelectionExpression: '${integration.response.statuscode}' } : {};
    api.integrations[integrationId] = {
      connectionType: 'INTERNET', timeoutInMillis: isHttp(api) ? 30000 : 29000, ...(isHttp(api) ? {} : { passthroughBehavior: 'WHEN_NO_MATCH' }),
      ...(isHttp(api) && fields.integrationType === 'AWS_PROXY' ? { payloadFormatVersion: '1.0' } : {}),
      ...websocketResponse, ...fields, integrationId, apiGatewayManaged: false,
    };
    autoDeploy(ctx, api);
    return { body: { ...api.integrations[integrationId] } };
  },
  getIntegrations(ctx, request) {
    const api = apiFor(ctx, request, 'GET', '/integrations');
    const p = page(request, Object.values(api.integrations).sort((a, b) => String(a.integrationId).localeCompare(String(b.integrationId))));
    return { body: { items: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
  },
  getIntegration(ctx, request) {
    const integration = apiFor(ctx, request, 'GET', `/integrations/${request.path.IntegrationId}`).integrations[request.path.IntegrationId ?? ''];
    if (!integration) throw notFound('integration');
    return { body: { ...integration } };
  },
  updateIntegration(ctx, request) {
    const api = apiFor(ctx, request, 'PATCH', `/integrations/${request.path.IntegrationId}`);
    const integration = api.integrations[request.path.IntegrationId ?? ''];
    if (!integration) throw notFound('integration');
    const fields = pick(request.body, INTEGRATION_FIELDS);
    if (fields.integrationSubtype !== undefined && fields.integrationSubtype !== integration.integrationSubtype) throw badRequest('integrationSubtype cannot be changed');
    const next = { ...integration, ...fields };
    checkIntegration(api, next);
    api.integrations[String(integration.integrationId)] = next;
    autoDeploy(ctx, api);
    return { body: { ...next } };
  },
  deleteIntegration(ctx, request) {
    const api = apiFor(ctx, request, 'DELETE', `/integrations/${request.path.IntegrationId}`);
    const id = request.path.IntegrationId ?? '';
    if (!api.integrations[id]) throw notFound('integration');
    if (Object.values(api.routes).some((r) => r.target === `integrations/${id}`)) throw conflict('Cannot delete an integration that routes target');
    delete api.integrations[id];
    return {};
  },

  getTags(ctx, request) {
    return { body: { tags: { ...taggable(ctx, request, 'GET').tags } } };
  },
  tagResource(ctx, request) {
    const t = taggable(ctx, request, 'POST');
    t.write({ ...t.tags, ...tagsIn(request.body.tags) });
    return {};
  },
  untagResource(ctx, request) {
    const t = taggable(ctx, request, 'DELETE');
    const keys = request.query.all('tagKeys');
    if (!keys.length) throw badRequest('tagKeys is required');
    t.write(Object.fromEntries(Object.entries(t.tags).filter(([k]) => !keys.includes(k))));
    return {};
  },
};

/** The API or stage a tag call's ARN names. */
function taggable(ctx: CallContext, request: RestJsonRequest, verb: string): { tags: Tags; write(tags: Tags): void } {
  const arn = request.path.ResourceArn ?? '';
  const m = /^arn:aws[\w-]*:apigateway:([a-z0-9-]+)::\/apis\/(\w+)(?:\/stages\/([^/]+))?$/.exec(arn);
  if (!m) throw badRequest(`Invalid resource ARN ${arn}`);
  ctx.authorize(`apigateway:${verb}`, arn);
  const api = m[1] === ctx.region ? stateOf(ctx).apis[m[2]!] : undefined;
  if (!api) throw notFound('API');
  ctx.trail.resources.push({ type: m[3] ? 'AWS::ApiGatewayV2::Stage' : 'AWS::ApiGatewayV2::Api', name: m[3] ? `${m[2]}/${m[3]}` : m[2]! });
  if (!m[3]) return { tags: api.tags, write: (tags) => { api.tags = tagsIn(tags); } };
  const stage = api.stages[m[3]];
  if (!stage) throw notFound('stage');
  return { tags: stage.tags, write: (tags) => { stage.tags = tagsIn(tags); } };
}

export { apiArn, stageArn };
