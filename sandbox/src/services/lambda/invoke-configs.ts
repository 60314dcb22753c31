// Asynchronous invocation settings (API version 2019-09-25): retries, maximum event age and the
// on-success / on-failure destinations, per function, version or alias. Put replaces the whole
// configuration; Update changes only the fields it names.
import type { CallContext } from '../../context';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import { body, bounded, checkQualifier, findFunction, invalidParameter, lambdaNotFound, lambdaTime, qualifiedArn, type LambdaFunction, type LambdaInvokeConfig } from './model';

const DESTINATION = /^arn:aws[a-zA-Z-]*:(sqs|sns|lambda|events|s3):/;

function destinationsOf(input: Record<string, unknown>): { onSuccess?: string | null; onFailure?: string | null } {
  const config = body.obj(input, 'DestinationConfig');
  if (!config) return {};
  const one = (field: 'OnSuccess' | 'OnFailure'): string | null | undefined => {
    const d = body.obj(config, field);
    if (d === undefined) return undefined;
    const arn = body.str(d, 'Destination');
    if (!arn) return null;
    if (!DESTINATION.test(arn)) throw invalidParameter(`The destination ARN ${arn} is invalid.`);
    return arn;
  };
  return { onSuccess: one('OnSuccess'), onFailure: one('OnFailure') };
}

function view(arn: string, qualifier: string, c: LambdaInvokeConfig): Record<string, unknown> {
  return {
    LastModified: Date.parse(c.lastModified.replace('+0000', 'Z')) / 1000,
    FunctionArn: qualifiedArn(arn, qualifier || undefined),
    ...(c.maximumRetryAttempts !== undefined ? { MaximumRetryAttempts: c.maximumRetryAttempts } : {}),
    ...(c.maximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: c.maximumEventAgeInSeconds } : {}),
    DestinationConfig: {
      OnSuccess: c.onSuccess ? { Destination: c.onSuccess } : {},
      OnFailure: c.onFailure ? { Destination: c.onFailure } : {},
    },
  };
}

function target(ctx: CallContext, req: RestJsonRequest, action: string): { fn: LambdaFunction; arn: string; qualifier: string } {
  const { fn, qualifier, arn } = findFunction(ctx, req.path.FunctionName, req.query.get('Qualifier'));
  checkQualifier(fn, arn, qualifier);
  ctx.authorize(action, qualifiedArn(arn, qualifier));
  ctx.trail.resources.push({ type: 'AWS::Lambda::Function', name: fn.name, arn });
  return { fn, arn, qualifier: qualifier && qualifier !== '$LATEST' ? qualifier : '' };
}

function write(ctx: CallContext, req: RestJsonRequest, replace: boolean): RestJsonResult {
  const { fn, arn, qualifier } = target(ctx, req, replace ? 'lambda:PutFunctionEventInvokeConfig' : 'lambda:UpdateFunctionEventInvokeConfig');
  const current = fn.invokeConfigs[qualifier];
  if (!replace && !current) throw lambdaNotFound(`The function ${qualifiedArn(arn, qualifier || undefined)} doesn't have an EventInvokeConfig`);
  const retries = bounded(body.int(req.body, 'MaximumRetryAttempts'), 'maximumRetryAttempts', 0, 2);
  const age = bounded(body.int(req.body, 'MaximumEventAgeInSeconds'), 'maximumEventAgeInSeconds', 60, 21600);
  const d = destinationsOf(req.body);
  const base: LambdaInvokeConfig = replace || !current ? { lastModified: '' } : { ...current };
  const next: LambdaInvokeConfig = {
    ...base,
    ...(retries !== undefined ? { maximumRetryAttempts: retries } : {}),
    ...(age !== undefined ? { maximumEventAgeInSeconds: age } : {}),
    lastModified: lambdaTime(ctx.now),
  };
  if (d.onSuccess !== undefined) next.onSuccess = d.onSuccess ?? undefined;
  if (d.onFailure !== undefined) next.onFailure = d.onFailure ?? undefined;
  fn.invokeConfigs[qualifier] = next;
  return { body: view(arn, qualifier, next) };
}

function getConfig(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn, qualifier } = target(ctx, req, 'lambda:GetFunctionEventInvokeConfig');
  const c = fn.invokeConfigs[qualifier];
  if (!c) throw lambdaNotFound(`The function ${qualifiedArn(arn, qualifier || undefined)} doesn't have an EventInvokeConfig`);
  return { body: view(arn, qualifier, c) };
}

function deleteConfig(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn, qualifier } = target(ctx, req, 'lambda:DeleteFunctionEventInvokeConfig');
  if (!fn.invokeConfigs[qualifier]) throw lambdaNotFound(`The function ${qualifiedArn(arn, qualifier || undefined)} doesn't have an EventInvokeConfig`);
  delete fn.invokeConfigs[qualifier];
  return {};
}

function listConfigs(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = findFunction(ctx, req.path.FunctionName);
  ctx.authorize('lambda:ListFunctionEventInvokeConfigs', arn);
  const configs = Object.entries(fn.invokeConfigs).sort(([a], [b]) => a.localeCompare(b)).map(([q, c]) => view(arn, q, c));
  return { body: { FunctionEventInvokeConfigs: configs } };
}

export const invokeConfigHandlers = {
  putConfig: (ctx: CallContext, req: RestJsonRequest) => write(ctx, req, true),
  updateConfig: (ctx: CallContext, req: RestJsonRequest) => write(ctx, req, false),
  getConfig, deleteConfig, listConfigs,
};
