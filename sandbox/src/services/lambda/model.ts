// Lambda's part of the world and what every Lambda operation shares: how a function is named
// (name, ARN, partial ARN, with or without a qualifier), its ARNs, AWS's error shapes and the
// input readers that answer bad input with Lambda's own error codes.
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { uuid } from '../../ids';

export interface LambdaVpc {
  subnetIds: string[];
  securityGroupIds: string[];
  ipv6AllowedForDualStack: boolean;
}

export interface LambdaLogging {
  LogFormat: string;
  LogGroup: string;
  ApplicationLogLevel?: string;
  SystemLogLevel?: string;
}

/** The settings UpdateFunctionConfiguration and UpdateFunctionCode write. */
export interface LambdaSettings {
  runtime?: string;
  role: string;
  handler?: string;
  description: string;
  timeout: number;
  memorySize: number;
  packageType: 'Zip' | 'Image';
  imageUri?: string;
  codeSha256: string;
  codeSize: number;
  architectures: string[];
  ephemeralStorage: number;
  tracingMode: 'Active' | 'PassThrough';
  /** Environment variables (AWS returns them to callers allowed GetFunctionConfiguration). */
  environment?: Record<string, string>;
  vpc?: LambdaVpc;
  deadLetterTarget?: string;
  kmsKeyArn?: string;
  layers: string[];
  logging: LambdaLogging;
}

export interface LambdaVersion {
  version: string;
  settings: LambdaSettings;
  lastModified: string;
  revisionId: string;
}

export interface LambdaAlias {
  name: string;
  functionVersion: string;
  description: string;
  /** Additional version → weight (0..1). */
  routing?: Record<string, number>;
  revisionId: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | Record<string, string>;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface LambdaUrlConfig {
  authType: string;
  invokeMode: string;
  cors?: Record<string, unknown>;
  urlId: string;
  creationTime: string;
  lastModifiedTime: string;
}

export interface LambdaInvokeConfig {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
  lastModified: string;
}

export interface LambdaFunction {
  name: string;
  region: string;
  settings: LambdaSettings;
  lastModified: string;
  revisionId: string;
  versions: LambdaVersion[];
  aliases: Record<string, LambdaAlias>;
  /** Resource-based policy statements by qualifier ('' = the unqualified function). */
  policies: Record<string, PolicyStatement[]>;
  urls: Record<string, LambdaUrlConfig>;
  invokeConfigs: Record<string, LambdaInvokeConfig>;
  reservedConcurrency?: number;
  tags: Record<string, string>;
}

export interface LambdaMapping {
  uuid: string;
  region: string;
  functionArn: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  enabled: boolean;
  startingPosition?: string;
  /** Filter patterns (JSON strings). */
  filters: string[];
  functionResponseTypes: string[];
  maximumConcurrency?: number;
  maximumRetryAttempts?: number;
  maximumRecordAgeInSeconds?: number;
  bisectBatchOnFunctionError?: boolean;
  parallelizationFactor?: number;
  lastModified: string;
}

/** The part of the world Lambda owns (absent in older saved worlds). */
export interface LambdaWorld {
  accountId: string;
  /** Functions by `region/name`. */
  lambdaFunctions?: Record<string, LambdaFunction>;
  /** Event source mappings by UUID. */
  lambdaMappings?: Record<string, LambdaMapping>;
}

export const functionsOf = (w: LambdaWorld): Record<string, LambdaFunction> => (w.lambdaFunctions ??= {});
export const mappingsOf = (w: LambdaWorld): Record<string, LambdaMapping> => (w.lambdaMappings ??= {});

export const functionArn = (w: LambdaWorld, region: string, name: string): string => `arn:aws:lambda:${region}:${w.accountId}:function:${name}`;
export const qualifiedArn = (base: string, qualifier: string | undefined): string => (qualifier ? `${base}:${qualifier}` : base);

// Lambda's errors: the code travels in x-amzn-ErrorType, the body carries Type and the message
// (spelt `Message` by some exceptions, `message` by others, as the service model declares).
export const invalidParameter = (message: string): ApiError => new ApiError('InvalidParameterValueException', message, 400);
export const conflict = (message: string): ApiError => new ApiError('ResourceConflictException', message, 409);
export const preconditionFailed = (message: string): ApiError => new ApiError('PreconditionFailedException', message, 412);
export const lambdaNotFound = (message: string): ApiError => new ApiError('ResourceNotFoundException', message, 404);
/** Constraint violations are answered by the service front end as ValidationException. */
export const constraint = (field: string, value: unknown, rule: string): ApiError =>
  new ApiError('ValidationException', `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${rule}`, 400);

const CAPITAL_MESSAGE = new Set(['ResourceNotFoundException', 'ResourceInUseException', 'ServiceException', 'AccessDeniedException']);

/** The JSON body of a Lambda error, as the service sends it. */
export function lambdaErrorBody(err: ApiError): Record<string, unknown> {
  const type = err.status >= 500 ? 'Service' : 'User';
  return CAPITAL_MESSAGE.has(err.code) ? { Type: type, Message: err.message } : { Type: type, message: err.message };
}

const NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9-_]+)$/;

export interface FunctionRef {
  name: string;
  qualifier?: string;
}

/**
 * A FunctionName as Lambda accepts it: `name`, `name:qualifier`, `123456789012:function:name[:q]`
 * or the full ARN (of this account and region; another region's ARN is not found here).
 */
export function parseFunctionName(ctx: CallContext, given: string | undefined, field = 'functionName'): FunctionRef {
  if (!given) throw constraint(field, given, 'Member must not be null');
  let rest = given;
  const full = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:(.+)$/.exec(given);
  const partial = /^(\d{12}):function:(.+)$/.exec(given);
  let account = ctx.world.accountId;
  if (full) {
    if (full[1] !== ctx.region) throw lambdaNotFound(`Functions from '${full[1]}' are not reachable in this region ('${ctx.region}')`);
    account = full[2]!;
    rest = full[3]!;
  } else if (partial) {
    account = partial[1]!;
    rest = partial[2]!;
  }
  const [name, qualifier, extra] = rest.split(':');
  if (extra !== undefined || !NAME.test(name ?? '') || (qualifier !== undefined && !QUALIFIER.test(qualifier))) {
    throw constraint(field, given, 'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?');
  }
  if (account !== ctx.world.accountId) throw lambdaNotFound(`Function not found: arn:aws:lambda:${ctx.region}:${account}:function:${name}`);
  return { name: name!, qualifier };
}

/** The function a request names, which must exist; the qualifier from the name or `?Qualifier=` (they must agree). */
export function findFunction(ctx: CallContext, given: string | undefined, queryQualifier?: string): { fn: LambdaFunction; qualifier?: string; arn: string } {
  const ref = parseFunctionName(ctx, given);
  if (ref.qualifier && queryQualifier && ref.qualifier !== queryQualifier) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  const qualifier = ref.qualifier ?? queryQualifier;
  const fn = functionsOf(ctx.world)[`${ctx.region}/${ref.name}`];
  const arn = functionArn(ctx.world, ctx.region, ref.name);
  if (!fn) throw lambdaNotFound(`Function not found: ${qualifiedArn(arn, qualifier)}`);
  return { fn, qualifier, arn };
}

/** A qualifier must name $LATEST, a published version or an alias of the function. */
export function checkQualifier(fn: LambdaFunction, arn: string, qualifier: string | undefined): void {
  if (!qualifier || qualifier === '$LATEST') return;
  if (fn.aliases[qualifier] || fn.versions.some((v) => v.version === qualifier)) return;
  throw lambdaNotFound(`Function not found: ${qualifiedArn(arn, qualifier)}`);
}

/** Lambda's timestamps: `2024-05-01T10:00:00.000+0000`. */
export function lambdaTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

/** Typed readers for request bodies; a wrong type is Lambda's InvalidRequestContentException. */
const badContent = (field: string, expected: string): ApiError =>
  new ApiError('InvalidRequestContentException', `Could not parse request body into json: Could not deserialize ${field}: expected ${expected}`, 400);

export const body = {
  str(input: Record<string, unknown>, field: string): string | undefined {
    const v = input[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw badContent(field, 'a string');
    return v;
  },
  int(input: Record<string, unknown>, field: string): number | undefined {
    const v = input[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw badContent(field, 'an integer');
    return v;
  },
  bool(input: Record<string, unknown>, field: string): boolean | undefined {
    const v = input[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw badContent(field, 'a boolean');
    return v;
  },
  strings(input: Record<string, unknown>, field: string): string[] | undefined {
    const v = input[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badContent(field, 'a list of strings');
    return v as string[];
  },
  obj(input: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
    const v = input[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw badContent(field, 'an object');
    return v as Record<string, unknown>;
  },
  map(input: Record<string, unknown>, field: string): Record<string, string> | undefined {
    const v = body.obj(input, field);
    if (v && Object.values(v).some((x) => typeof x !== 'string')) throw badContent(field, 'a map of strings');
    return v as Record<string, string> | undefined;
  },
};

/** A numeric setting within AWS's bounds, or Lambda's constraint error naming the field. */
export function bounded(value: number | undefined, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (value < min) throw constraint(field, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraint(field, value, `Member must have value less than or equal to ${max}`);
  return value;
}

export function revisionId(): string {
  return uuid();
}

/** A request's RevisionId must match the current one when given. */
export function checkRevision(given: string | undefined, current: string): void {
  if (given !== undefined && given !== current) {
    throw preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
  }
}
