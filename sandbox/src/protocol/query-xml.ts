// The AWS query protocol (EC2, IAM, STS, Auto Scaling, Elastic Load Balancing): form-encoded
// parameters in, XML out. EC2 flattens lists as `Name.N`, the others as `Name.member.N`; EC2's
// response and error envelopes differ too.
import { ApiError, validation } from '../errors';
import { node, toXml, type XmlNode } from '../xml';

export type QueryStyle = 'ec2' | 'iam' | 'sts' | 'autoscaling' | 'elasticloadbalancing' | 'sns' | 'rds' | 'elasticache';

export const NAMESPACES: Record<QueryStyle, string> = {
  ec2: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  autoscaling: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  elasticloadbalancing: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  rds: 'http://rds.amazonaws.com/doc/2014-10-31/',
  elasticache: 'http://elasticache.amazonaws.com/doc/2015-02-02/',
};

/** Form-urlencoded pairs (`+` is a space here, unlike in SigV4 query strings). */
export function parseForm(text: string): [string, string][] {
  if (!text) return [];
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      throw validation(`Malformed query parameter encoding: ${s.slice(0, 64)}`);
    }
  };
  return text.split('&').filter((p) => p !== '').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
  });
}

/** A view of flat query parameters under a prefix (`Filter.1.`), with typed getters. */
export class QueryParams {
  constructor(private readonly map: Map<string, string>, private readonly prefix = '') {}

  static from(pairs: [string, string][]): QueryParams {
    return new QueryParams(new Map(pairs));
  }

  get(name: string): string | undefined {
    return this.map.get(this.prefix + name);
  }

  has(name: string): boolean {
    return this.map.has(this.prefix + name);
  }

  required(name: string): string {
    const v = this.get(name);
    if (v === undefined || v === '') throw new ApiError('MissingParameter', `The request must contain the parameter ${name}`, 400);
    return v;
  }

  int(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new ApiError('InvalidParameterValue', `Value (${v}) for parameter ${name} is invalid. Expected an integer.`, 400);
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') throw new ApiError('InvalidParameterValue', `Value (${v}) for parameter ${name} is invalid. Expected a boolean.`, 400);
    return v === 'true';
  }

  /** `Name.1`, `Name.2`, … (EC2) — pass `Name.member` for IAM/STS lists. */
  list(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const v = this.get(`${name}.${i}`);
      if (v === undefined) return out;
      out.push(v);
    }
  }

  /** Structures under `Name.N.`: one scoped view per index, for lists of structures. */
  structs(name: string): QueryParams[] {
    const out: QueryParams[] = [];
    const base = `${this.prefix}${name}.`;
    for (let i = 1; ; i++) {
      const p = `${base}${i}.`;
      let found = false;
      for (const k of this.map.keys()) if (k.startsWith(p)) { found = true; break; }
      if (!found) return out;
      out.push(new QueryParams(this.map, p));
    }
  }

  scoped(name: string): QueryParams {
    return new QueryParams(this.map, `${this.prefix}${name}.`);
  }

  /** All parameters (unscoped), for CloudTrail's requestParameters. */
  entries(): [string, string][] {
    return [...this.map.entries()].filter(([k]) => k.startsWith(this.prefix)).map(([k, v]) => [k.slice(this.prefix.length), v]);
  }
}

export function renderQueryResult(style: QueryStyle, operation: string, result: XmlNode[], requestId: string): string {
  if (style === 'ec2') {
    return toXml(node(`${operation}Response`, [node('requestId', requestId), ...result], { xmlns: NAMESPACES.ec2 }));
  }
  return toXml(node(`${operation}Response`, [
    node(`${operation}Result`, result),
    node('ResponseMetadata', [node('RequestId', requestId)]),
  ], { xmlns: NAMESPACES[style] }));
}

export function renderQueryError(style: QueryStyle, err: ApiError, requestId: string): string {
  if (style === 'ec2') {
    return toXml(node('Response', [node('Errors', [node('Error', [node('Code', err.code), node('Message', err.message)])]), node('RequestID', requestId)]));
  }
  return toXml(node('ErrorResponse', [
    node('Error', [node('Type', err.status >= 500 ? 'Receiver' : 'Sender'), node('Code', err.code), node('Message', err.message)]),
    node('RequestId', requestId),
  ], { xmlns: NAMESPACES[style] }));
}

function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * CloudTrail's requestParameters for a query call: parameter names in lowerCamelCase, `.member.N`
 * and `.N` lists as arrays (Action and Version left out), numbers and booleans typed.
 */
export function trailParameters(params: QueryParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, raw] of params.entries()) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.').filter((p) => p !== 'member');
    let cur: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const isIndex = /^\d+$/.test(part);
      const slot: string | number = isIndex ? Number(part) - 1 : lowerCamel(part);
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      const container = cur as Record<string | number, unknown>;
      if (last) {
        container[slot] = /^-?\d+$/.test(raw) && raw.length < 12 && !/^0\d/.test(raw) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw;
      } else {
        container[slot] ??= nextIsIndex ? [] : {};
        cur = container[slot] as Record<string, unknown> | unknown[];
      }
    }
  }
  return root;
}
