// AWS REST-JSON (Lambda, API Gateway v2, EKS…): the operation is chosen by HTTP method + path
// template (`GET /2015-03-31/functions/{FunctionName}/configuration`), inputs come from path
// labels, query parameters and a JSON body, outputs are JSON with a per-operation success status,
// and errors carry their code in the `x-amzn-ErrorType` header with a JSON body holding `message`
// (the SDK reads the header first, then `code`/`__type` in the body).
import { ApiError } from '../errors';

export const REST_JSON_CONTENT_TYPE = 'application/json';

/** What a handler receives: decoded path labels, query parameters (repeatable) and the JSON body. */
export interface RestJsonRequest {
  method: string;
  path: Record<string, string>;
  query: RestQuery;
  /** The parsed JSON body ({} when there is none). */
  body: Record<string, unknown>;
}

/** What a handler returns: the JSON body (undefined for none) and, rarely, a status other than the route's. */
export interface RestJsonResult {
  body?: unknown;
  status?: number;
  headers?: Record<string, string>;
}

export type RestJsonHandler<Ctx> = (ctx: Ctx, request: RestJsonRequest) => RestJsonResult;

export interface RestJsonRoute<Ctx> {
  method: string;
  /** Path template with `{Label}` segments, as in the service model's http trait. */
  path: string;
  /** The operation name (stats, authorization, CloudTrail). */
  operation: string;
  /** The status AWS answers a success with (200, 201, 202, 204). */
  status: number;
  handler: RestJsonHandler<Ctx>;
}

/** Query parameters in request order; a name may repeat (`tagKeys=a&tagKeys=b`). */
export class RestQuery {
  constructor(private readonly pairs: readonly [string, string][]) {}
  get(name: string): string | undefined {
    return this.pairs.find(([k]) => k === name)?.[1];
  }
  all(name: string): string[] {
    return this.pairs.filter(([k]) => k === name).map(([, v]) => v);
  }
  /** An integer parameter; a malformed value is the service's validation error. */
  int(name: string, invalid: (message: string) => ApiError): number | undefined {
    const v = this.get(name);
    if (v === undefined || v === '') return undefined;
    if (!/^-?\d+$/.test(v)) throw invalid(`Invalid value for parameter ${name}: '${v}' is not an integer`);
    return Number(v);
  }
}

interface CompiledRoute<Ctx> {
  route: RestJsonRoute<Ctx>;
  pattern: RegExp;
  labels: string[];
  /** Literal characters: the most specific template wins when two match. */
  specificity: number;
}

/** The route that matched and its decoded labels. */
export interface RestJsonMatch<Ctx> {
  route: RestJsonRoute<Ctx>;
  path: Record<string, string>;
}

/**
 * A service's route table. Labels match one path segment (`[^/]+`), as the Smithy http trait's
 * non-greedy labels do; a trailing slash is optional (the SDK omits it, some clients send it).
 */
export class RestJsonRouter<Ctx> {
  private readonly compiled: CompiledRoute<Ctx>[];

  constructor(routes: readonly RestJsonRoute<Ctx>[]) {
    this.compiled = routes.map((route) => {
      const labels: string[] = [];
      const source = route.path.replace(/\/+$/, '').split('/').map((segment) => {
        const m = /^\{(\w+)\}$/.exec(segment);
        if (m) {
          labels.push(m[1]!);
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }).join('/');
      return { route, labels, pattern: new RegExp(`^${source}/?$`), specificity: route.path.replace(/\{\w+\}/g, '').length };
    }).sort((a, b) => b.specificity - a.specificity);
  }

  /**
   * The route for a request, or undefined when no template matches the path at all. A path that
   * matches only under another method is the service's `notAllowed` error.
   */
  match(method: string, rawPath: string, notAllowed: (message: string) => ApiError): RestJsonMatch<Ctx> | undefined {
    let pathMatched = false;
    for (const c of this.compiled) {
      const m = c.pattern.exec(rawPath);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      const path: Record<string, string> = {};
      c.labels.forEach((label, i) => {
        path[label] = decodeLabel(m[i + 1]!, notAllowed);
      });
      return { route: c.route, path };
    }
    if (pathMatched) throw notAllowed(`The method ${method} is not allowed on ${rawPath}.`);
    return undefined;
  }

  get routes(): readonly RestJsonRoute<Ctx>[] {
    return this.compiled.map((c) => c.route);
  }
}

function decodeLabel(raw: string, invalid: (message: string) => ApiError): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalid(`The path segment '${raw}' is not valid percent-encoding.`);
  }
}

/** The JSON body of a request; an empty body is `{}`. Invalid JSON is the service's own error. */
export function parseRestJsonBody(body: Buffer, invalid: (message: string) => ApiError): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (!text) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalid('Could not parse request body into json: the body is not valid JSON.');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid('Could not parse request body into json: the body must be a JSON object.');
  return v as Record<string, unknown>;
}

/**
 * An error in REST-JSON: the code in `x-amzn-ErrorType`, the body as the service shapes it (Lambda
 * adds `Type: User|Service`; some exceptions spell the message `Message`).
 */
export function renderRestJsonError(err: ApiError, body: Record<string, unknown>): { status: number; headers: Record<string, string>; body: string } {
  return { status: err.status, headers: { 'x-amzn-ErrorType': err.code, 'content-type': REST_JSON_CONTENT_TYPE }, body: JSON.stringify(body) };
}
