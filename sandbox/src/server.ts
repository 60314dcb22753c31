// The sandbox HTTP server: one loopback endpoint for every service. A request is routed by the
// service in its SigV4 credential scope, authenticated, checked against fault knobs, handled,
// recorded in CloudTrail when it mutates, and answered in the service's own wire format.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate, signatureMismatch } from './auth/authenticate';
import { authorizeOrThrow, requestContext } from './auth/authorizer';
import { ChunkFormatError, decodeAwsChunked } from './auth/chunked';
import { SignatureFormatError, chunkSignature, parseRawQuery, readClaim, signaturesEqual, type SignableRequest, type SignatureClaim } from './auth/sigv4';
import { Clock } from './clock';
import type { CallContext, Principal, TrailNotes } from './context';
import { ApiError } from './errors';
import { RateWindow, SERVICES, decideDelivery, decideFault, knobProblem, knobsFor, type FaultConfig, type ServiceName } from './faults';
import { requestId as newRequestId } from './ids';
import { JSON_CONTENT_TYPE, operationFromTarget, targetMatches, parseJsonBody, renderJsonError } from './protocol/json11';
import { QueryParams, parseForm, renderQueryError, renderQueryResult, trailParameters, type QueryStyle } from './protocol/query-xml';
import { renderS3Error, s3Operation, s3Target } from './protocol/rest-xml';
import { REST_JSON_CONTENT_TYPE, RestQuery, parseRestJsonBody, renderRestJsonError, type RestJsonRequest, type RestJsonRoute, type RestJsonRouter } from './protocol/rest-json';
import { lambdaErrorBody, invalidParameter as lambdaInvalidParameter } from './services/lambda/model';
import { lambdaRouter, lambdaTrailName, lambdaTrailParameters } from './services/lambda/routes';
import { eksErrorBody, invalidParameter as eksInvalidParameter } from './services/eks/model';
import { eksRouter, eksTrailParameters } from './services/eks/routes';
import { apigatewayv2ErrorBody, apigatewayv2InvalidBody, apigatewayv2Router, apigatewayv2TrailParameters } from './services/apigatewayv2/routes';
import type { XmlNode } from './xml';
import { malformedSignature, missingAuthentication, serverFault, throttled } from './protocol/service-errors';
import { cloudtrailOperations } from './services/cloudtrail';
import { ec2Call, ec2Operations } from './services/ec2';
import { iamOperations } from './services/iam';
import { S3_DATA_OPERATIONS, s3Operations as s3BucketOperations, type S3Request, type S3Result } from './services/s3';
import { s3ConfigOperations } from './services/s3-configs';
import { isS3ControlPath, s3ControlOperation, s3ControlOperations } from './services/s3-control';
import { stsOperations } from './services/sts';
import { taggingOperations } from './services/tagging';
import { logsOperations } from './services/logs';
import { kmsOperations } from './services/kms';
import { ssmParameterOperations } from './services/ssm/parameters';
import { routeCloudTrailRecord } from './services/sqs/events';
import { eventsOperations } from './services/events/rules';
import { SQS_CONTENT_TYPE, SQS_DATA_OPERATIONS, SQS_TARGET_PREFIX, renderSqsError, sqsOperations } from './services/sqs/sqs';
import { ecrRepositoryOperations } from './services/ecr/repositories';
import { ecsOperations } from './services/ecs/ecs';
import { appAutoscalingOperations } from './services/appautoscaling/targets';
import { secretsManagerOperations } from './services/secretsmanager/secrets';
import { snsOperations } from './services/sns/topics';
import { cloudwatchOperations } from './services/cloudwatch/cloudwatch';
import { acmOperations } from './services/acm/certificates';
import { wafv2Operations } from './services/wafv2/web-acls';
import { CLOUDWATCH_CONTENT_TYPE, CLOUDWATCH_TARGET_PREFIX, renderCloudWatchError } from './services/cloudwatch/errors';
import { DYNAMODB_CONTENT_TYPE, DYNAMODB_TARGET_PREFIX, dynamodbOperations, renderDynamoError } from './services/dynamodb/tables';
import { rdsOperations } from './services/rds/rds';
import { elasticacheOperations } from './services/elasticache/elasticache';
import { autoscalingOperations } from './services/autoscaling/groups';
import { elbOperations } from './services/elbv2/load-balancers';
import { renderRoute53Error, route53Operation, route53Operations as route53ZoneOperations, type Route53Request, type Route53Result } from './services/route53';
import { route53HealthCheckOperations } from './services/route53-health-checks';
import { renderCloudFrontError, trailName as cloudFrontTrailName, type CloudFrontRequest, type CloudFrontResult } from './services/cloudfront/common';
import { cloudFrontOperation, cloudFrontOperations, cloudFrontTrailParameters } from './services/cloudfront/routes';
import { isReadOnly, isRecorded, recordEvent } from './trail';
import type { WorldData } from './world';
import type { StateWriter } from './persist';


const s3Operations = { ...s3BucketOperations, ...s3ConfigOperations, ...s3ControlOperations };
const route53Operations = { ...route53ZoneOperations, ...route53HealthCheckOperations };
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const QUERY_VERSIONS: Record<string, ServiceName> = {
  '2016-11-15': 'ec2', '2010-05-08': 'iam', '2011-06-15': 'sts', '2011-01-01': 'autoscaling', '2015-12-01': 'elasticloadbalancing',
  '2010-03-31': 'sns', '2014-10-31': 'rds', '2015-02-02': 'elasticache',
};

/** The query-protocol services with `.member.N` lists (all but EC2), with their operation tables. */
type MemberQueryService = Exclude<QueryStyle, 'ec2'>;
type QueryHandler = (ctx: CallContext, params: QueryParams) => XmlNode[];
const QUERY_TABLES: Record<MemberQueryService, Record<string, QueryHandler>> = {
  iam: iamOperations,
  sts: stsOperations,
  autoscaling: autoscalingOperations,
  elasticloadbalancing: elbOperations,
  sns: snsOperations,
  rds: rdsOperations,
  elasticache: elasticacheOperations,
};
const isMemberQueryService = (service: ServiceName): service is MemberQueryService => Object.hasOwn(QUERY_TABLES, service);

export interface SandboxRuntime {
  world: WorldData;
  clock: Clock;
  faults: FaultConfig;
  lookupEventsPerSecond: number;
  random: () => number;
  writer?: StateWriter;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: string | Buffer;
}

function headerMap(raw: string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const list = map.get(name);
    if (list) list.push(raw[i + 1]!);
    else map.set(name, [raw[i + 1]!]);
  }
  return map;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Which service a request is for: the credential scope first, then the request's own shape. */
function detectService(claim: SignatureClaim | undefined, headers: Map<string, string[]>, form: [string, string][], rawPath = ''): ServiceName | undefined {
  if (claim) return (SERVICES as readonly string[]).includes(claim.service) ? (claim.service as ServiceName) : undefined;
  const target = headers.get('x-amz-target')?.[0] ?? '';
  if (targetMatches(target, 'tagging')) return 'tagging';
  if (targetMatches(target, 'cloudtrail')) return 'cloudtrail';
  if (targetMatches(target, 'logs')) return 'logs';
  if (targetMatches(target, 'kms')) return 'kms';
  if (targetMatches(target, 'ssm')) return 'ssm';
  if (targetMatches(target, 'events')) return 'events';
  if (target.startsWith(`${SQS_TARGET_PREFIX}.`)) return 'sqs';
  if (targetMatches(target, 'ecr')) return 'ecr';
  if (targetMatches(target, 'ecs')) return 'ecs';
  if (targetMatches(target, 'application-autoscaling')) return 'application-autoscaling';
  if (targetMatches(target, 'secretsmanager')) return 'secretsmanager';
  if (targetMatches(target, 'acm')) return 'acm';
  if (targetMatches(target, 'wafv2')) return 'wafv2';
  if (target.startsWith(`${CLOUDWATCH_TARGET_PREFIX}.`)) return 'monitoring';
  if (target.startsWith(`${DYNAMODB_TARGET_PREFIX}.`)) return 'dynamodb';
  const version = form.find(([k]) => k === 'Version')?.[1];
  if (version && QUERY_VERSIONS[version]) return QUERY_VERSIONS[version];
  // Unsigned REST-JSON calls are known by their versioned paths.
  if (/^\/20\d\d-\d\d-\d\d\/(functions|event-source-mappings|tags)(\/|$)/.test(rawPath)) return 'lambda';
  if (/^\/2020-05-31\/(distribution|origin-access-control|function|tagging)(\/|$)/.test(rawPath)) return 'cloudfront';
  if (/^\/v2\/(apis|tags)(\/|$)/.test(rawPath)) return 'apigateway';
  return 's3';
}

/** The services spoken in JSON 1.1 (X-Amz-Target), with their operation tables. */
type JsonService = 'tagging' | 'cloudtrail' | 'logs' | 'kms' | 'ssm' | 'events' | 'ecr' | 'ecs' | 'application-autoscaling' | 'secretsmanager' | 'acm' | 'wafv2';
type JsonHandler = (ctx: CallContext, input: Record<string, unknown>) => unknown;
const JSON_TABLES: Record<JsonService, Record<string, JsonHandler>> = {
  tagging: taggingOperations as Record<string, JsonHandler>,
  cloudtrail: cloudtrailOperations as Record<string, JsonHandler>,
  logs: logsOperations,
  kms: kmsOperations,
  ssm: ssmParameterOperations,
  events: eventsOperations,
  ecr: ecrRepositoryOperations,
  ecs: ecsOperations,
  'application-autoscaling': appAutoscalingOperations,
  secretsmanager: secretsManagerOperations,
  acm: acmOperations,
  wafv2: wafv2Operations,
};
const isJsonService = (service: ServiceName): service is JsonService => Object.hasOwn(JSON_TABLES, service);

/** The services spoken in AWS JSON 1.0 (one X-Amz-Target prefix each), with their own error shape. */
type Json10Service = 'monitoring' | 'dynamodb';
const JSON10_SERVICES: Record<Json10Service, { prefix: string; contentType: string; operations: Record<string, JsonHandler>; renderError: (err: ApiError) => { body: string; headers: Record<string, string> } }> = {
  monitoring: { prefix: CLOUDWATCH_TARGET_PREFIX, contentType: CLOUDWATCH_CONTENT_TYPE, operations: cloudwatchOperations, renderError: renderCloudWatchError },
  dynamodb: { prefix: DYNAMODB_TARGET_PREFIX, contentType: DYNAMODB_CONTENT_TYPE, operations: dynamodbOperations, renderError: renderDynamoError },
};
const isJson10Service = (service: ServiceName): service is Json10Service => Object.hasOwn(JSON10_SERVICES, service);

/** The services spoken in REST-JSON: a route table each, with their own error body and CloudTrail names. */
type RestJsonService = 'lambda' | 'eks' | 'apigateway';
interface RestJsonSpoken {
  router: RestJsonRouter<CallContext>;
  /** The service's error for a body that is not a JSON object. */
  invalidBody: (message: string) => ApiError;
  errorBody: (err: ApiError) => Record<string, unknown>;
  /** CloudTrail's eventName for an operation. */
  trailName: (operation: string) => string;
  trailParameters: (path: Record<string, string>, query: [string, string][], input: Record<string, unknown>) => Record<string, unknown>;
}
const REST_JSON_SERVICES: Record<RestJsonService, RestJsonSpoken> = {
  lambda: { router: lambdaRouter, invalidBody: lambdaInvalidParameter, errorBody: lambdaErrorBody, trailName: lambdaTrailName, trailParameters: lambdaTrailParameters },
  eks: { router: eksRouter, invalidBody: eksInvalidParameter, errorBody: eksErrorBody, trailName: (operation) => operation, trailParameters: eksTrailParameters },
  apigateway: { router: apigatewayv2Router, invalidBody: apigatewayv2InvalidBody, errorBody: apigatewayv2ErrorBody, trailName: (operation) => operation, trailParameters: apigatewayv2TrailParameters },
};
const isRestJsonService = (service: ServiceName): service is RestJsonService => Object.hasOwn(REST_JSON_SERVICES, service);

type Parsed =
  | { protocol: 'query'; style: QueryStyle; operation: string; params: QueryParams }
  | { protocol: 'json'; operation: string; input: () => Record<string, unknown> }
  | { protocol: 'json10'; operation: string; input: () => Record<string, unknown> }
  | { protocol: 'sqs'; operation: string; input: () => Record<string, unknown> }
  | { protocol: 's3'; operation: string; request: S3Request }
  | { protocol: 'route53'; operation: string; request: Route53Request }
  | { protocol: 'cloudfront'; operation: string; request: CloudFrontRequest }
  | { protocol: 'rest-json'; operation: string; route: RestJsonRoute<CallContext>; request: RestJsonRequest; queryPairs: [string, string][] };

export class SandboxServer {
  private readonly server: Server;
  private readonly stats = new Map<string, number>();
  /** The same counts per region the request was signed for (AWS serves each region separately). */
  private readonly regionStats = new Map<string, Map<string, number>>();
  private readonly faultWindow = new RateWindow();
  private readonly lookupWindow = new RateWindow();

  constructor(private readonly rt: SandboxRuntime) {
    this.server = createServer({ keepAlive: true }, (req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        process.stderr.write(`tidemark sandbox: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal sandbox error');
      });
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  statsSnapshot(): Record<string, number> {
    return Object.fromEntries([...this.stats.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  statsByRegion(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [region, m] of [...this.regionStats.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      out[region] = Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
    }
    return out;
  }

  resetStats(): void {
    this.stats.clear();
    this.regionStats.clear();
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      res.writeHead(err.status, { 'content-type': 'text/plain' }).end(err.message);
      return;
    }
    if (rawPath.startsWith('/_sandbox/')) {
      this.send(res, req.method ?? 'GET', this.admin(req, rawPath, body));
      return;
    }
    const reply = await this.api(req, res, rawPath, rawQuery, body);
    this.send(res, req.method ?? 'GET', reply);
  }

  private send(res: ServerResponse, method: string, reply: Reply): void {
    const body = method === 'HEAD' || reply.body === undefined ? undefined : reply.body;
    const headers = { ...reply.headers };
    if (body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(body));
    if (body === undefined && method !== 'HEAD') headers['content-length'] = '0';
    res.writeHead(reply.status, headers);
    res.end(body);
  }

  /** Unsigned loopback endpoints for tests and demos; they do not exist on AWS. */
  private admin(req: IncomingMessage, path: string, body: Buffer): Reply {
    const jsonReply = (status: number, value: unknown): Reply => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
    if (!isLoopback(req.socket.remoteAddress)) return jsonReply(403, { error: 'sandbox admin endpoints answer loopback callers only' });
    let input: Record<string, unknown> = {};
    if (body.length) {
      try {
        const v: unknown = JSON.parse(body.toString('utf8'));
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
        input = v as Record<string, unknown>;
      } catch {
        return jsonReply(400, { error: 'body must be a JSON object' });
      }
    }
    const route = `${req.method} ${path.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /_sandbox/health':
        return jsonReply(200, { ok: true, account: this.rt.world.accountId, regions: this.rt.world.regions, now: this.rt.clock.now().toISOString() });
      case 'GET /_sandbox/clock':
        return jsonReply(200, { now: this.rt.clock.now().toISOString(), offsetSeconds: this.rt.clock.offsetSeconds });
      case 'POST /_sandbox/clock': {
        const n = input.advanceSeconds;
        if (typeof n !== 'number' || !Number.isFinite(n)) return jsonReply(400, { error: 'advanceSeconds must be a number' });
        this.rt.clock.advance(n);
        return jsonReply(200, { now: this.rt.clock.now().toISOString(), offsetSeconds: this.rt.clock.offsetSeconds });
      }
      case 'GET /_sandbox/stats':
        return jsonReply(200, this.statsSnapshot());
      case 'GET /_sandbox/stats/regions':
        return jsonReply(200, this.statsByRegion());
      case 'POST /_sandbox/stats/reset':
        this.resetStats();
        return jsonReply(200, {});
      case 'GET /_sandbox/faults':
        return jsonReply(200, this.rt.faults);
      case 'POST /_sandbox/faults': {
        for (const [scope, knobs] of Object.entries(input)) {
          if (scope !== 'default' && !(SERVICES as readonly string[]).includes(scope)) return jsonReply(400, { error: `unknown fault scope '${scope}'` });
          if (!knobs || typeof knobs !== 'object') return jsonReply(400, { error: `${scope} must be an object of knobs` });
          for (const [k, v] of Object.entries(knobs as Record<string, unknown>)) {
            const problem = knobProblem(k, v);
            if (problem) return jsonReply(400, { error: `${scope}.${problem}` });
          }
        }
        for (const key of Object.keys(this.rt.faults)) delete (this.rt.faults as Record<string, unknown>)[key];
        Object.assign(this.rt.faults, input);
        this.faultWindow.reset();
        return jsonReply(200, this.rt.faults);
      }
      default:
        return jsonReply(404, { error: `no sandbox admin route ${route}` });
    }
  }

  private async api(req: IncomingMessage, res: ServerResponse, rawPath: string, rawQuery: string, rawBody: Buffer): Promise<Reply> {
    const { world, clock } = this.rt;
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = headerMap(req.rawHeaders);
    const queryPairs = parseRawQuery(rawQuery);
    const query = new Map(queryPairs);
    const signable: SignableRequest = { method, rawPath, rawQuery, headers };
    const requestId = newRequestId();
    let claim: SignatureClaim | undefined;
    let claimError: SignatureFormatError | undefined;
    try {
      claim = readClaim(signable, query);
    } catch (err) {
      if (!(err instanceof SignatureFormatError)) throw err;
      claimError = err;
    }
    const contentType = headers.get('content-type')?.[0] ?? '';
    const isForm = method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded');
    let form: [string, string][] = [];
    try {
      form = isForm ? parseForm(rawBody.toString('utf8')) : [];
    } catch {
      form = [];
    }
    const service = detectService(claim, headers, form.length ? form : queryPairs, rawPath);
    if (!service) {
      return { status: 400, headers: { 'content-type': 'text/xml' }, body: renderQueryError('iam', new ApiError('UnrecognizedService', `The sandbox does not simulate the service '${claim?.service}'.`, 400), requestId) };
    }

    let parsed: Parsed;
    try {
      parsed = this.parse(service, method, rawPath, query, headers, form, queryPairs, rawBody);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return this.errorReply(service, err, requestId);
    }
    const statKey = `${service}:${parsed.operation}`;
    this.stats.set(statKey, (this.stats.get(statKey) ?? 0) + 1);
    if (claim) {
      const perRegion = this.regionStats.get(claim.region) ?? new Map<string, number>();
      perRegion.set(statKey, (perRegion.get(statKey) ?? 0) + 1);
      this.regionStats.set(claim.region, perRegion);
    }

    const knobs = knobsFor(this.rt.faults, service);
    if (knobs.latencyMs) await new Promise((r) => setTimeout(r, knobs.latencyMs));
    const fault = decideFault(knobs, this.rt.random, this.faultWindow, service);
    if (fault.kind === 'throttle') return this.errorReply(service, throttled(service), requestId);
    if (fault.kind === 'error') return this.errorReply(service, serverFault(service), requestId);

    if (claimError) return this.errorReply(service, malformedSignature(service, claimError.message, headers.has('authorization') ? 'header' : 'query'), requestId);
    if (!claim) return this.errorReply(service, missingAuthentication(service), requestId);

    const worldNow = clock.now();
    let principal: Principal;
    try {
      const auth = authenticate({ world, service, claim, request: signable, body: rawBody, worldNow, wallNow: new Date() });
      principal = auth.principal;
      if (parsed.protocol === 's3') parsed.request.body = this.s3Payload(service, headers, rawBody, claim, auth.secret);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return this.errorReply(service, err, requestId);
    }

    const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const conditionContext = requestContext(world, principal, worldNow, claim.region, sourceIp);
    const notes: TrailNotes = { resources: [] };
    const ctx: CallContext = {
      world, clock, now: worldNow, region: claim.region, service, operation: parsed.operation, principal, requestId, sourceIp,
      userAgent: headers.get('user-agent')?.[0] ?? '', conditionContext, trail: notes,
      authorize: (action, resources, extra, resourcePolicy) => authorizeOrThrow({
        world, service, principal, action, resources: Array.isArray(resources) ? resources : [resources],
        context: extra ? { ...conditionContext, ...extra } : conditionContext, resourcePolicy,
      }),
      lookupEventsRateExceeded: () => this.rt.lookupEventsPerSecond > 0 && this.lookupWindow.exceeds(world.accountId, this.rt.lookupEventsPerSecond),
    };

    let reply: Reply;
    let failure: ApiError | undefined;
    try {
      reply = parsed.protocol === 'sqs' ? await this.dispatchSqs(ctx, parsed, requestId, req, res) : this.dispatch(ctx, parsed, requestId);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      failure = err;
      reply = this.errorReply(service, err, requestId);
    }
    const recorded = isRecorded(parsed.operation) && !(service === 's3' && S3_DATA_OPERATIONS.has(parsed.operation))
      && !(service === 'sqs' && SQS_DATA_OPERATIONS.has(parsed.operation)) && !parsed.operation.startsWith('Unsupported');
    if (recorded) {
      if (notes.requestParameters === undefined && parsed.protocol === 'query') notes.requestParameters = trailParameters(parsed.params);
      if (notes.requestParameters === undefined && (parsed.protocol === 'json' || parsed.protocol === 'json10' || parsed.protocol === 'sqs')) notes.requestParameters = parsed.input();
      if (parsed.protocol === 'cloudfront') {
        notes.eventName ??= cloudFrontTrailName(parsed.operation);
        notes.requestParameters ??= cloudFrontTrailParameters(parsed.request.path, parsed.request.query);
      }
      if (parsed.protocol === 'rest-json') {
        const spoken = REST_JSON_SERVICES[service as RestJsonService];
        notes.eventName ??= spoken.trailName(parsed.operation);
        notes.requestParameters ??= spoken.trailParameters(parsed.request.path, parsed.queryPairs, parsed.request.body);
      }
      const event = recordEvent({ world, principal, service, operation: parsed.operation, region: claim.region, now: worldNow, requestId, sourceIp, userAgent: ctx.userAgent, notes, error: failure });
      routeCloudTrailRecord(world, event.cloudTrailEvent, clock.now().getTime(), () => decideDelivery(knobsFor(this.rt.faults, 'events'), this.rt.random));
    }
    if (recorded || (!failure && !isReadOnly(parsed.operation))) this.rt.writer?.schedule();
    return reply;
  }

  /** S3 bodies may arrive aws-chunked; decode them and verify each chunk's signature. */
  private s3Payload(service: ServiceName, headers: Map<string, string[]>, raw: Buffer, claim: SignatureClaim, secret: string): Buffer {
    const mode = headers.get('x-amz-content-sha256')?.[0] ?? '';
    if (!mode.startsWith('STREAMING-')) return raw;
    let decoded;
    try {
      decoded = decodeAwsChunked(raw);
    } catch (err) {
      if (err instanceof ChunkFormatError) throw new ApiError('IncompleteBody', err.message, 400);
      throw err;
    }
    if (mode.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')) {
      let previous = claim.signature;
      decoded.chunks.forEach((chunk, i) => {
        const expected = chunkSignature(secret, claim, previous, chunk);
        const sent = decoded.signatures[i];
        if (!sent || !signaturesEqual(sent, expected)) throw signatureMismatch(service);
        previous = expected;
      });
    }
    const declared = headers.get('x-amz-decoded-content-length')?.[0];
    if (declared !== undefined && Number(declared) !== decoded.body.length) throw new ApiError('IncompleteBody', 'You did not provide the number of bytes specified by the x-amz-decoded-content-length header.', 400);
    for (const [name, value] of decoded.trailers) if (name.startsWith('x-amz-checksum-')) headers.set(name, [value]);
    return decoded.body;
  }

  private parse(service: ServiceName, method: string, rawPath: string, query: Map<string, string>, headers: Map<string, string[]>, form: [string, string][], queryPairs: [string, string][], body: Buffer): Parsed {
    if (service === 'ec2' || isMemberQueryService(service)) {
      const pairs = [...queryPairs.filter(([k]) => !k.startsWith('X-Amz-')), ...form];
      const params = QueryParams.from(pairs);
      const operation = params.get('Action');
      if (!operation) throw new ApiError('MissingAction', 'The request must contain the parameter Action', 400);
      const table: Record<string, unknown> = service === 'ec2' ? ec2Operations : QUERY_TABLES[service];
      if (!Object.hasOwn(table, operation)) {
        throw new ApiError('InvalidAction', `The action ${operation} is not valid for this web service (the sandbox does not simulate it).`, 400);
      }
      return { protocol: 'query', style: service, operation, params };
    }
    if (isJsonService(service)) {
      const operation = operationFromTarget(headers.get('x-amz-target')?.[0], service);
      const table = JSON_TABLES[service];
      if (!Object.hasOwn(table, operation)) throw new ApiError('UnknownOperationException', `The sandbox does not simulate ${operation}.`, 400);
      let cached: Record<string, unknown> | undefined;
      return { protocol: 'json', operation, input: () => (cached ??= parseJsonBody(body)) };
    }
    if (isJson10Service(service)) {
      const { prefix, operations } = JSON10_SERVICES[service];
      const target = headers.get('x-amz-target')?.[0] ?? '';
      const operation = target.startsWith(`${prefix}.`) ? target.slice(prefix.length + 1) : '';
      if (!Object.hasOwn(operations, operation)) throw new ApiError('UnknownOperationException', `The sandbox does not simulate ${operation || `(X-Amz-Target ${target || 'missing'})`}.`, 400);
      let cached: Record<string, unknown> | undefined;
      return { protocol: 'json10', operation, input: () => (cached ??= parseJsonBody(body)) };
    }
    if (service === 'sqs') {
      const operation = (headers.get('x-amz-target')?.[0] ?? '').slice(SQS_TARGET_PREFIX.length + 1);
      if (!Object.hasOwn(sqsOperations, operation)) throw new ApiError('UnsupportedOperation', `The sandbox does not simulate ${operation || '(no X-Amz-Target)'}.`, 400);
      let cached: Record<string, unknown> | undefined;
      return { protocol: 'sqs', operation, input: () => (cached ??= parseJsonBody(body)) };
    }
    if (isRestJsonService(service)) {
      // REST-JSON: the route table picks the operation; the body is parsed before signing is checked, as AWS's front end does.
      const spoken = REST_JSON_SERVICES[service];
      const notAllowed = (message: string): ApiError => new ApiError('UnknownOperationException', message, 404);
      const match = spoken.router.match(method, rawPath, notAllowed);
      if (!match) throw new ApiError('UnknownOperationException', `The sandbox does not simulate ${method} ${rawPath}.`, 404);
      const request: RestJsonRequest = { method, path: match.path, query: new RestQuery(queryPairs), body: parseRestJsonBody(body, spoken.invalidBody) };
      return { protocol: 'rest-json', operation: match.route.operation, route: match.route, request, queryPairs: queryPairs.filter(([k]) => !k.startsWith('X-Amz-')) };
    }
    if (service === 'cloudfront') {
      const { operation, path } = cloudFrontOperation(method, rawPath, query);
      if (!Object.hasOwn(cloudFrontOperations, operation)) throw new ApiError('InvalidArgument', `The sandbox does not simulate ${method} ${rawPath}.`, 400);
      return { protocol: 'cloudfront', operation, request: { method, path, query, headers, body } };
    }
    if (service === 'route53') {
      const { operation, path } = route53Operation(method, rawPath);
      if (!Object.hasOwn(route53Operations, operation)) throw new ApiError('InvalidInput', `The sandbox does not simulate ${method} ${rawPath}.`, 400);
      return { protocol: 'route53', operation, request: { method, path, query, body } };
    }
    // S3 Control signs as `s3` too; its paths start with the API version.
    if (isS3ControlPath(rawPath)) return { protocol: 's3', operation: s3ControlOperation(method, rawPath), request: { method, target: {}, query, headers, body } };
    const target = s3Target(rawPath, query);
    const operation = s3Operation(method, target, query);
    if (!Object.hasOwn(s3Operations, operation)) {
      throw new ApiError('NotImplemented', `A header or query you provided implies functionality that is not implemented (${operation}).`, 501);
    }
    return { protocol: 's3', operation, request: { method, target, query, headers, body } };
  }

  private dispatch(ctx: CallContext, parsed: Parsed, requestId: string): Reply {
    if (parsed.protocol === 'query') {
      const op = parsed.operation;
      const nodes = parsed.style === 'ec2'
        ? ec2Call(ec2Operations[op]!, ctx, parsed.params)
        : QUERY_TABLES[parsed.style][op]!(ctx, parsed.params);
      return { status: 200, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId }, body: renderQueryResult(parsed.style, op, nodes, requestId) };
    }
    if (parsed.protocol === 'json') {
      const table = JSON_TABLES[ctx.service as JsonService];
      const out = table[parsed.operation]!(ctx, parsed.input());
      return { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body: JSON.stringify(out) };
    }
    if (parsed.protocol === 'json10') {
      const spoken = JSON10_SERVICES[ctx.service as Json10Service];
      const out = spoken.operations[parsed.operation]!(ctx, parsed.input());
      return { status: 200, headers: { 'content-type': spoken.contentType, 'x-amzn-requestid': requestId }, body: JSON.stringify(out) };
    }
    if (parsed.protocol === 'sqs') throw new Error('SQS calls go through dispatchSqs');
    if (parsed.protocol === 'rest-json') {
      const out = parsed.route.handler(ctx, parsed.request);
      const status = out.status ?? parsed.route.status;
      const headers = { ...out.headers, 'x-amzn-requestid': requestId, ...(out.body !== undefined ? { 'content-type': REST_JSON_CONTENT_TYPE } : {}) };
      return { status, headers, body: out.body === undefined ? undefined : JSON.stringify(out.body) };
    }
    if (parsed.protocol === 'cloudfront') {
      const out: CloudFrontResult = cloudFrontOperations[parsed.operation]!(ctx, parsed.request);
      return { status: out.status ?? 200, headers: { ...out.headers, 'x-amzn-requestid': requestId }, body: out.body };
    }
    if (parsed.protocol === 'route53') {
      const out: Route53Result = route53Operations[parsed.operation]!(ctx, parsed.request);
      return { status: out.status ?? 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: out.body };
    }
    const result: S3Result = s3Operations[parsed.operation]!(ctx, parsed.request);
    return { status: result.status ?? 200, headers: { ...this.s3Headers(requestId), ...result.headers }, body: result.body };
  }

  /** SQS may hold the reply open (long polling) until the caller goes away. */
  private async dispatchSqs(ctx: CallContext, parsed: Extract<Parsed, { protocol: 'sqs' }>, requestId: string, req: IncomingMessage, res: ServerResponse): Promise<Reply> {
    const gone = new AbortController();
    const onClose = (): void => gone.abort();
    res.once('close', onClose);
    try {
      const host = req.headers.host ?? '127.0.0.1';
      const out = await sqsOperations[parsed.operation]!(ctx, parsed.input(), { baseUrl: `http://${host}`, signal: gone.signal });
      return { status: 200, headers: { 'content-type': SQS_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body: JSON.stringify(out) };
    } finally {
      res.off('close', onClose);
    }
  }

  private s3Headers(requestId: string): Record<string, string> {
    return { 'x-amz-request-id': requestId.replace(/-/g, '').slice(0, 16).toUpperCase(), 'x-amz-id-2': Buffer.from(requestId).toString('base64'), server: 'AmazonS3' };
  }

  private errorReply(service: ServiceName, err: ApiError, requestId: string): Reply {
    if (service === 's3') {
      const headers = this.s3Headers(requestId);
      return { status: err.status, headers: { ...headers, 'content-type': 'application/xml' }, body: renderS3Error(err, headers['x-amz-request-id']!, headers['x-amz-id-2']!) };
    }
    if (isRestJsonService(service)) {
      const rendered = renderRestJsonError(err, REST_JSON_SERVICES[service].errorBody(err));
      return { status: rendered.status, headers: { ...rendered.headers, 'x-amzn-requestid': requestId }, body: rendered.body };
    }
    if (service === 'route53') {
      return { status: err.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: renderRoute53Error(err, requestId) };
    }
    if (service === 'cloudfront') {
      return { status: err.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: renderCloudFrontError(err, requestId) };
    }
    if (service === 'sqs') {
      const queryCode = `${err.code};${err.status >= 500 ? 'Receiver' : 'Sender'}`;
      return { status: err.status, headers: { 'content-type': SQS_CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-query-error': queryCode }, body: renderSqsError(err) };
    }
    if (isJson10Service(service)) {
      const spoken = JSON10_SERVICES[service];
      const { body, headers } = spoken.renderError(err);
      return { status: err.status, headers: { ...headers, 'content-type': spoken.contentType, 'x-amzn-requestid': requestId }, body };
    }
    if (isJsonService(service)) {
      const { body, headers } = renderJsonError(err);
      return { status: err.status, headers: { ...headers, 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body };
    }
    const style: QueryStyle = service === 'ec2' || isMemberQueryService(service) ? service : 'iam';
    return { status: err.status, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId }, body: renderQueryError(style, err, requestId) };
  }
}
