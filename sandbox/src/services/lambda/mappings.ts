// Event source mappings: a queue or stream polled on a function's behalf (batch size and window,
// filters, partial batch responses, SQS scaling, stream retry settings). Listed 100 a page.
import type { CallContext } from '../../context';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import { uuid } from '../../ids';
import { body, bounded, conflict, constraint, findFunction, invalidParameter, lambdaNotFound, mappingsOf, qualifiedArn, type LambdaMapping } from './model';

/** ListEventSourceMappings answers at most 100 mappings a page. */
const LIST_PAGE = 100;
const SOURCE = /^arn:aws[a-zA-Z-]*:(sqs|kinesis|dynamodb|kafka|mq):([a-z0-9-]+):(\d{12}):(.+)$/;

function sourceKind(arn: string): string {
  const m = SOURCE.exec(arn);
  if (!m) throw invalidParameter(`Unrecognized event source, must be kinesis, dynamodb stream, sqs, msk or mq: ${arn}`);
  return m[1]!;
}

function view(m: LambdaMapping): Record<string, unknown> {
  return {
    UUID: m.uuid,
    ...(m.startingPosition ? { StartingPosition: m.startingPosition } : {}),
    BatchSize: m.batchSize,
    MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
    ...(m.parallelizationFactor !== undefined ? { ParallelizationFactor: m.parallelizationFactor } : {}),
    EventSourceArn: m.eventSourceArn,
    ...(m.filters.length ? { FilterCriteria: { Filters: m.filters.map((Pattern) => ({ Pattern })) } } : {}),
    FunctionArn: m.functionArn,
    LastModified: Date.parse(m.lastModified) / 1000,
    State: m.enabled ? 'Enabled' : 'Disabled',
    StateTransitionReason: 'USER_INITIATED',
    ...(m.maximumRecordAgeInSeconds !== undefined ? { MaximumRecordAgeInSeconds: m.maximumRecordAgeInSeconds } : {}),
    ...(m.bisectBatchOnFunctionError !== undefined ? { BisectBatchOnFunctionError: m.bisectBatchOnFunctionError } : {}),
    ...(m.maximumRetryAttempts !== undefined ? { MaximumRetryAttempts: m.maximumRetryAttempts } : {}),
    FunctionResponseTypes: m.functionResponseTypes,
    ...(m.maximumConcurrency !== undefined ? { ScalingConfig: { MaximumConcurrency: m.maximumConcurrency } } : {}),
  };
}

/** Applies the settable fields of a Create/Update request, with AWS's per-source rules. */
function applySettings(m: LambdaMapping, input: Record<string, unknown>, kind: string): void {
  const sqs = kind === 'sqs';
  const batch = bounded(body.int(input, 'BatchSize'), 'batchSize', 1, sqs ? 10000 : 10000);
  if (batch !== undefined) m.batchSize = batch;
  const window = bounded(body.int(input, 'MaximumBatchingWindowInSeconds'), 'maximumBatchingWindowInSeconds', 0, 300);
  if (window !== undefined) m.maximumBatchingWindowInSeconds = window;
  if (sqs && m.batchSize > 10 && m.maximumBatchingWindowInSeconds < 1) {
    throw invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
  }
  const enabled = body.bool(input, 'Enabled');
  if (enabled !== undefined) m.enabled = enabled;
  const criteria = body.obj(input, 'FilterCriteria');
  if (criteria) {
    const filters = (criteria.Filters ?? []) as unknown;
    if (!Array.isArray(filters)) throw invalidParameter('FilterCriteria.Filters must be a list.');
    m.filters = filters.map((f: unknown) => {
      const pattern = f && typeof f === 'object' ? (f as Record<string, unknown>).Pattern : undefined;
      if (typeof pattern !== 'string') throw invalidParameter('Each filter needs a Pattern.');
      try {
        JSON.parse(pattern);
      } catch {
        throw invalidParameter(`Invalid filter pattern definition: ${pattern}`);
      }
      return pattern;
    });
  }
  const types = body.strings(input, 'FunctionResponseTypes');
  if (types) {
    for (const t of types) if (t !== 'ReportBatchItemFailures') throw constraint('functionResponseTypes', t, 'Member must satisfy enum value set: [ReportBatchItemFailures]');
    m.functionResponseTypes = types;
  }
  const scaling = body.obj(input, 'ScalingConfig');
  if (scaling) {
    if (!sqs) throw invalidParameter('ScalingConfig is only supported for Amazon SQS event sources.');
    m.maximumConcurrency = bounded(body.int(scaling, 'MaximumConcurrency'), 'scalingConfig.maximumConcurrency', 2, 1000);
  }
  const streamOnly = (field: string): void => {
    if (sqs && input[field] !== undefined) throw invalidParameter(`Unsupported MaximumRetryAttempts/MaximumRecordAgeInSeconds/BisectBatchOnFunctionError/ParallelizationFactor for SQS: ${field}`);
  };
  for (const f of ['MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'BisectBatchOnFunctionError', 'ParallelizationFactor']) streamOnly(f);
  const retries = bounded(body.int(input, 'MaximumRetryAttempts'), 'maximumRetryAttempts', -1, 10000);
  if (retries !== undefined) m.maximumRetryAttempts = retries;
  const age = body.int(input, 'MaximumRecordAgeInSeconds');
  if (age !== undefined) m.maximumRecordAgeInSeconds = age === -1 ? -1 : bounded(age, 'maximumRecordAgeInSeconds', 60, 604800);
  const bisect = body.bool(input, 'BisectBatchOnFunctionError');
  if (bisect !== undefined) m.bisectBatchOnFunctionError = bisect;
  const parallel = bounded(body.int(input, 'ParallelizationFactor'), 'parallelizationFactor', 1, 10);
  if (parallel !== undefined) m.parallelizationFactor = parallel;
}

function trail(ctx: CallContext, m: LambdaMapping): void {
  ctx.trail.resources.push({ type: 'AWS::Lambda::EventSourceMapping', name: m.uuid });
}

function createMapping(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const sourceArn = body.str(req.body, 'EventSourceArn');
  if (!sourceArn) throw invalidParameter('EventSourceArn is required for this event source.');
  const kind = sourceKind(sourceArn);
  const { qualifier, arn } = findFunction(ctx, body.str(req.body, 'FunctionName'));
  const functionArn = qualifiedArn(arn, qualifier);
  ctx.authorize('lambda:CreateEventSourceMapping', '*');
  if (kind === 'sqs') {
    const [, , , region, account, name] = sourceArn.split(':');
    if (account === ctx.world.accountId && !ctx.world.sqsQueues?.[`${region}/${name}`]) {
      throw invalidParameter('Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.');
    }
  }
  const starting = body.str(req.body, 'StartingPosition');
  if (kind === 'sqs' && starting) throw invalidParameter('StartingPosition is not valid for SQS event sources.');
  if ((kind === 'kinesis' || kind === 'dynamodb') && !starting) throw invalidParameter('1 validation error detected: Value null at \'startingPosition\' failed to satisfy constraint: Member must not be null');
  if (starting && !['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'].includes(starting)) throw constraint('startingPosition', starting, 'Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_TIMESTAMP]');
  const existing = Object.values(mappingsOf(ctx.world)).find((m) => m.region === ctx.region && m.eventSourceArn === sourceArn && m.functionArn === functionArn);
  if (existing) throw conflict(`The event source arn (" ${sourceArn} ") and function (" ${functionArn.split(':')[6]} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`);
  const m: LambdaMapping = {
    uuid: uuid(), region: ctx.region, functionArn, eventSourceArn: sourceArn, batchSize: kind === 'sqs' ? 10 : 100, maximumBatchingWindowInSeconds: 0,
    enabled: true, ...(starting ? { startingPosition: starting } : {}), filters: [], functionResponseTypes: [], lastModified: ctx.now.toISOString(),
  };
  applySettings(m, req.body, kind);
  mappingsOf(ctx.world)[m.uuid] = m;
  trail(ctx, m);
  return { body: { ...view(m), State: m.enabled ? 'Creating' : 'Disabled' } };
}

function mappingOf(ctx: CallContext, req: RestJsonRequest, action: string): LambdaMapping {
  const id = req.path.UUID!;
  ctx.authorize(action, `arn:aws:lambda:${ctx.region}:${ctx.world.accountId}:event-source-mapping:${id}`);
  const m = mappingsOf(ctx.world)[id];
  if (!m || m.region !== ctx.region) throw lambdaNotFound(`The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: ${ctx.requestId})`);
  return m;
}

function getMapping(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  return { body: view(mappingOf(ctx, req, 'lambda:GetEventSourceMapping')) };
}

function updateMapping(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const m = mappingOf(ctx, req, 'lambda:UpdateEventSourceMapping');
  const next: LambdaMapping = structuredClone(m);
  const fnName = body.str(req.body, 'FunctionName');
  if (fnName) {
    const { qualifier, arn } = findFunction(ctx, fnName);
    next.functionArn = qualifiedArn(arn, qualifier);
  }
  applySettings(next, req.body, sourceKind(m.eventSourceArn));
  next.lastModified = ctx.now.toISOString();
  Object.assign(m, next);
  trail(ctx, m);
  return { body: { ...view(m), State: m.enabled ? 'Updating' : 'Disabled' } };
}

function deleteMapping(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const m = mappingOf(ctx, req, 'lambda:DeleteEventSourceMapping');
  delete mappingsOf(ctx.world)[m.uuid];
  trail(ctx, m);
  return { body: { ...view(m), State: 'Deleting' } };
}

function listMappings(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  ctx.authorize('lambda:ListEventSourceMappings', '*');
  const max = bounded(req.query.int('MaxItems', invalidParameter), 'maxItems', 1, 10000) ?? LIST_PAGE;
  const page = Math.min(max, LIST_PAGE);
  const source = req.query.get('EventSourceArn');
  const fnName = req.query.get('FunctionName');
  let functionFilter: string | undefined;
  if (fnName) {
    const { qualifier, arn } = findFunction(ctx, fnName);
    functionFilter = qualifiedArn(arn, qualifier);
  }
  const all = Object.values(mappingsOf(ctx.world))
    .filter((m) => m.region === ctx.region && (!source || m.eventSourceArn === source) && (!functionFilter || m.functionArn === functionFilter))
    .sort((a, b) => a.uuid.localeCompare(b.uuid));
  const marker = req.query.get('Marker');
  let from = 0;
  if (marker) {
    if (!/^[0-9a-f-]{36}$/.test(marker)) throw invalidParameter(`Invalid marker: ${marker}`);
    from = all.findIndex((m) => m.uuid > marker);
    if (from < 0) from = all.length;
  }
  const slice = all.slice(from, from + page);
  const more = from + page < all.length;
  return { body: { EventSourceMappings: slice.map(view), ...(more ? { NextMarker: slice[slice.length - 1]!.uuid } : {}) } };
}

export const mappingHandlers = { createMapping, getMapping, updateMapping, deleteMapping, listMappings };
