// AWS JSON 1.1 (Resource Groups Tagging API, CloudTrail): POST / with X-Amz-Target naming the
// operation, JSON in and out, errors as {"__type", "Message"} plus the x-amzn-ErrorType header.
import { ApiError } from '../errors';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** X-Amz-Target prefixes: the SDK v3 sends the short form, botocore the namespaced one for CloudTrail. */
export const TARGET_PREFIXES = {
  tagging: ['ResourceGroupsTaggingAPI_20170126'],
  cloudtrail: ['CloudTrail_20131101', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101'],
  logs: ['Logs_20140328'],
  kms: ['TrentService'],
  ssm: ['AmazonSSM'],
  events: ['AWSEvents'],
  ecr: ['AmazonEC2ContainerRegistry_V20150921'],
  ecs: ['AmazonEC2ContainerServiceV20141113'],
  'application-autoscaling': ['AnyScaleFrontendService'],
  secretsmanager: ['secretsmanager'],
  acm: ['CertificateManager'],
  wafv2: ['AWSWAF_20190729'],
} as const;

export function targetMatches(target: string, service: keyof typeof TARGET_PREFIXES): boolean {
  return TARGET_PREFIXES[service].some((p) => target.startsWith(p + '.'));
}

export function operationFromTarget(target: string | undefined, service: keyof typeof TARGET_PREFIXES): string {
  const prefix = target === undefined ? undefined : TARGET_PREFIXES[service].find((p) => target.startsWith(p + '.'));
  if (!target || !prefix) throw new ApiError('UnknownOperationException', `Unknown or missing X-Amz-Target: ${target ?? '(none)'}`, 400);
  return target.slice(prefix.length + 1);
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (!text) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ApiError('SerializationException', 'Request body is not valid JSON', 400);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ApiError('SerializationException', 'Request body must be a JSON object', 400);
  return v as Record<string, unknown>;
}

export function renderJsonError(err: ApiError): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify({ __type: err.code, Message: err.message }), headers: { 'x-amzn-ErrorType': err.code } };
}

/** Typed readers for JSON inputs: wrong types are the service's validation error. */
export const json = {
  str(input: Record<string, unknown>, name: string): string | undefined {
    const v = input[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new ApiError('ValidationException', `${name} must be a string`, 400);
    return v;
  },
  int(input: Record<string, unknown>, name: string): number | undefined {
    const v = input[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ApiError('ValidationException', `${name} must be an integer`, 400);
    return v;
  },
  strings(input: Record<string, unknown>, name: string): string[] | undefined {
    const v = input[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ApiError('ValidationException', `${name} must be a list of strings`, 400);
    return v as string[];
  },
  list(input: Record<string, unknown>, name: string): Record<string, unknown>[] | undefined {
    const v = input[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => !x || typeof x !== 'object')) throw new ApiError('ValidationException', `${name} must be a list of objects`, 400);
    return v as Record<string, unknown>[];
  },
  map(input: Record<string, unknown>, name: string): Record<string, string> | undefined {
    const v = input[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v) || Object.values(v as object).some((x) => typeof x !== 'string')) {
      throw new ApiError('ValidationException', `${name} must be a map of strings`, 400);
    }
    return v as Record<string, string>;
  },
  /** JSON 1.1 timestamps are epoch seconds (number); ISO strings are accepted too. */
  time(input: Record<string, unknown>, name: string): Date | undefined {
    const v = input[name];
    if (v === undefined || v === null) return undefined;
    const d = typeof v === 'number' ? new Date(v * 1000) : typeof v === 'string' ? new Date(v) : new Date(NaN);
    if (Number.isNaN(d.getTime())) throw new ApiError('ValidationException', `${name} must be a timestamp`, 400);
    return d;
  },
};
