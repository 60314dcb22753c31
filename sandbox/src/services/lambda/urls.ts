// Function URLs (API version 2021-10-31): one per function or alias, with its auth type, CORS
// settings and invoke mode.
import { createHash } from 'node:crypto';
import type { CallContext } from '../../context';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import { body, constraint, conflict, findFunction, invalidParameter, lambdaNotFound, lambdaTime, qualifiedArn, type LambdaFunction, type LambdaUrlConfig } from './model';

const AUTH_TYPES = new Set(['NONE', 'AWS_IAM']);
const INVOKE_MODES = new Set(['BUFFERED', 'RESPONSE_STREAM']);
const CORS_LISTS = ['AllowHeaders', 'AllowMethods', 'AllowOrigins', 'ExposeHeaders'] as const;

function corsOf(input: Record<string, unknown>): Record<string, unknown> | undefined {
  const cors = body.obj(input, 'Cors');
  if (!cors) return undefined;
  const out: Record<string, unknown> = {};
  const credentials = body.bool(cors, 'AllowCredentials');
  if (credentials !== undefined) out.AllowCredentials = credentials;
  for (const k of CORS_LISTS) {
    const list = body.strings(cors, k);
    if (list !== undefined) out[k] = list;
  }
  for (const m of (out.AllowMethods as string[] | undefined) ?? []) {
    if (!/^(\*|GET|PUT|HEAD|POST|PATCH|DELETE|OPTIONS)$/.test(m)) throw constraint('cors.allowMethods', m, 'Member must satisfy regular expression pattern: .*');
  }
  const maxAge = body.int(cors, 'MaxAge');
  if (maxAge !== undefined) {
    if (maxAge < 0 || maxAge > 86400) throw constraint('cors.maxAge', maxAge, 'Member must have value between 0 and 86400');
    out.MaxAge = maxAge;
  }
  return out;
}

function urlView(ctx: CallContext, fn: LambdaFunction, arn: string, qualifier: string, u: LambdaUrlConfig): Record<string, unknown> {
  return {
    FunctionUrl: `https://${u.urlId}.lambda-url.${ctx.region}.on.aws/`, FunctionArn: qualifiedArn(arn, qualifier || undefined), AuthType: u.authType,
    ...(u.cors ? { Cors: u.cors } : {}), CreationTime: u.creationTime, LastModifiedTime: u.lastModifiedTime, InvokeMode: u.invokeMode,
  };
}

/** URLs exist for the function itself or an alias, not for a version or $LATEST. */
function target(ctx: CallContext, req: RestJsonRequest, action: string): { fn: LambdaFunction; arn: string; qualifier: string } {
  const { fn, qualifier, arn } = findFunction(ctx, req.path.FunctionName, req.query.get('Qualifier'));
  if (qualifier && !fn.aliases[qualifier]) {
    if (qualifier === '$LATEST' || /^\d+$/.test(qualifier)) throw invalidParameter('Function URLs can only be created for the unqualified function or an alias.');
    throw lambdaNotFound(`Function not found: ${qualifiedArn(arn, qualifier)}`);
  }
  ctx.authorize(action, qualifiedArn(arn, qualifier));
  return { fn, arn, qualifier: qualifier ?? '' };
}

function createUrl(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn, qualifier } = target(ctx, req, 'lambda:CreateFunctionUrlConfig');
  if (fn.urls[qualifier]) throw conflict(`Failed to create function url config for [functionArn = ${qualifiedArn(arn, qualifier || undefined)}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
  const auth = body.str(req.body, 'AuthType');
  if (!auth || !AUTH_TYPES.has(auth)) throw constraint('authType', auth, 'Member must satisfy enum value set: [NONE, AWS_IAM]');
  const mode = body.str(req.body, 'InvokeMode') ?? 'BUFFERED';
  if (!INVOKE_MODES.has(mode)) throw constraint('invokeMode', mode, 'Member must satisfy enum value set: [BUFFERED, RESPONSE_STREAM]');
  const now = lambdaTime(ctx.now);
  const urlId = createHash('sha256').update(`${arn}:${qualifier}`).digest('hex').slice(0, 32);
  const u: LambdaUrlConfig = { authType: auth, invokeMode: mode, cors: corsOf(req.body), urlId, creationTime: now, lastModifiedTime: now };
  fn.urls[qualifier] = u;
  ctx.trail.resources.push({ type: 'AWS::Lambda::Function', name: fn.name, arn });
  const view = urlView(ctx, fn, arn, qualifier, u);
  delete view.LastModifiedTime;
  return { body: view };
}

function getUrl(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn, qualifier } = target(ctx, req, 'lambda:GetFunctionUrlConfig');
  const u = fn.urls[qualifier];
  if (!u) throw lambdaNotFound('The resource you requested does not exist.');
  return { body: urlView(ctx, fn, arn, qualifier, u) };
}

function updateUrl(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn, qualifier } = target(ctx, req, 'lambda:UpdateFunctionUrlConfig');
  const u = fn.urls[qualifier];
  if (!u) throw lambdaNotFound('The resource you requested does not exist.');
  const auth = body.str(req.body, 'AuthType');
  if (auth !== undefined && !AUTH_TYPES.has(auth)) throw constraint('authType', auth, 'Member must satisfy enum value set: [NONE, AWS_IAM]');
  const mode = body.str(req.body, 'InvokeMode');
  if (mode !== undefined && !INVOKE_MODES.has(mode)) throw constraint('invokeMode', mode, 'Member must satisfy enum value set: [BUFFERED, RESPONSE_STREAM]');
  if (auth) u.authType = auth;
  if (mode) u.invokeMode = mode;
  if (req.body.Cors !== undefined) u.cors = corsOf(req.body);
  u.lastModifiedTime = lambdaTime(ctx.now);
  ctx.trail.resources.push({ type: 'AWS::Lambda::Function', name: fn.name, arn });
  return { body: urlView(ctx, fn, arn, qualifier, u) };
}

function deleteUrl(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn, qualifier } = target(ctx, req, 'lambda:DeleteFunctionUrlConfig');
  if (!fn.urls[qualifier]) throw lambdaNotFound('The resource you requested does not exist.');
  delete fn.urls[qualifier];
  ctx.trail.resources.push({ type: 'AWS::Lambda::Function', name: fn.name, arn });
  return {};
}

function listUrls(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = findFunction(ctx, req.path.FunctionName);
  ctx.authorize('lambda:ListFunctionUrlConfigs', arn);
  const configs = Object.entries(fn.urls).sort(([a], [b]) => a.localeCompare(b)).map(([q, u]) => urlView(ctx, fn, arn, q, u));
  return { body: { FunctionUrlConfigs: configs } };
}

export const urlHandlers = { createUrl, getUrl, updateUrl, deleteUrl, listUrls };
