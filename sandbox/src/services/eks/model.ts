// EKS's part of the world and what every EKS operation shares: clusters with their managed node
// groups, add-ons and access entries, their ARNs, EKS's error shapes (REST-JSON, `message` in the
// body), typed body readers that answer bad input with InvalidParameterException, and pagination.
//
// Simplification: AWS creates and updates asynchronously (CREATING → ACTIVE, an update InProgress →
// Successful over minutes); here every object is ACTIVE at once and every update is Successful when
// its call returns, so a read right after a write sees the result.
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import type { Tags } from '../../world';

export interface EksVpc {
  subnetIds: string[];
  securityGroupIds: string[];
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  publicAccessCidrs: string[];
  clusterSecurityGroupId: string;
  vpcId: string;
}

export interface EksNodegroup {
  name: string;
  arn: string;
  version: string;
  releaseVersion: string;
  createdAt: number;
  modifiedAt: number;
  capacityType: string;
  amiType: string;
  diskSize: number;
  instanceTypes: string[];
  subnets: string[];
  nodeRole: string;
  scaling: { minSize: number; maxSize: number; desiredSize: number };
  labels: Record<string, string>;
  taints: Array<{ key: string; value?: string; effect: string }>;
  updateConfig: { maxUnavailable?: number; maxUnavailablePercentage?: number };
  /** The EC2 launch template the nodes start from, its version resolved to a number as EKS stores it. */
  launchTemplate?: { id: string; name: string; version: string };
  tags: Tags;
}

export interface EksAddon {
  name: string;
  arn: string;
  version: string;
  serviceAccountRoleArn?: string;
  configurationValues?: string;
  createdAt: number;
  modifiedAt: number;
  tags: Tags;
}

export interface EksAccessEntry {
  principalArn: string;
  arn: string;
  kubernetesGroups: string[];
  username: string;
  type: string;
  createdAt: number;
  modifiedAt: number;
  tags: Tags;
}

export interface EksUpdate {
  id: string;
  type: string;
  params: Array<{ type: string; value: string }>;
  createdAt: number;
}

export interface EksCluster {
  name: string;
  region: string;
  arn: string;
  roleArn: string;
  version: string;
  platformVersion: string;
  createdAt: number;
  vpc: EksVpc;
  /** The control-plane log types turned on (api, audit, authenticator, controllerManager, scheduler). */
  logTypes: string[];
  authenticationMode: string;
  bootstrapClusterCreatorAdminPermissions: boolean;
  serviceIpv4Cidr: string;
  tags: Tags;
  nodegroups: Record<string, EksNodegroup>;
  addons: Record<string, EksAddon>;
  /** By principal ARN. */
  accessEntries: Record<string, EksAccessEntry>;
  updates: Record<string, EksUpdate>;
}

/** The part of the world EKS owns (absent in older saved worlds). */
export interface EksWorld {
  accountId: string;
  /** Clusters by `region/name`. */
  eksClusters?: Record<string, EksCluster>;
}

export const clustersOf = (w: EksWorld): Record<string, EksCluster> => (w.eksClusters ??= {});

export const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
/** The order EKS allows authentication modes to move in: never back. */
export const AUTHENTICATION_MODES = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'] as const;

// EKS's errors: the code in x-amzn-ErrorType, the body `{ "message": … }` plus the names it concerns.
export const invalidParameter = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);
export const invalidRequest = (message: string): ApiError => new ApiError('InvalidRequestException', message, 400);
export const inUse = (message: string): ApiError => new ApiError('ResourceInUseException', message, 409);
export const eksNotFound = (message: string): ApiError => new ApiError('ResourceNotFoundException', message, 404);

export function eksErrorBody(err: ApiError): Record<string, unknown> {
  return { message: err.message, ...err.extra };
}

const badBody = (field: string, expected: string): ApiError => new ApiError('BadRequestException', `Invalid ${field}: expected ${expected}`, 400);

/** Typed readers for request bodies; a wrong type is a BadRequestException naming the field. */
export const body = {
  str(input: Record<string, unknown>, field: string): string | undefined {
    const v = input[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw badBody(field, 'a string');
    return v;
  },
  int(input: Record<string, unknown>, field: string): number | undefined {
    const v = input[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw badBody(field, 'an integer');
    return v;
  },
  bool(input: Record<string, unknown>, field: string): boolean | undefined {
    const v = input[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw badBody(field, 'a boolean');
    return v;
  },
  strings(input: Record<string, unknown>, field: string): string[] | undefined {
    const v = input[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badBody(field, 'a list of strings');
    return v as string[];
  },
  obj(input: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
    const v = input[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw badBody(field, 'an object');
    return v as Record<string, unknown>;
  },
  map(input: Record<string, unknown>, field: string): Record<string, string> | undefined {
    const v = body.obj(input, field);
    if (v && Object.values(v).some((x) => typeof x !== 'string')) throw badBody(field, 'a map of strings');
    return v as Record<string, string> | undefined;
  },
  list(input: Record<string, unknown>, field: string): Record<string, unknown>[] | undefined {
    const v = input[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => !x || typeof x !== 'object' || Array.isArray(x))) throw badBody(field, 'a list of objects');
    return v as Record<string, unknown>[];
  },
};

const NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

/** A cluster, node group or add-on name as EKS validates it (1–100 characters, letter or digit first). */
export function checkName(name: string | undefined, field: string): string {
  if (!name) throw invalidParameter(`${field} must not be empty`);
  if (name.length > 100 || !NAME.test(name)) throw invalidParameter(`${field} '${name}' must satisfy regular expression pattern: ^[0-9A-Za-z][A-Za-z0-9\\-_]*`);
  return name;
}

/** The cluster a request names, authorized with `action` on its ARN and recorded for CloudTrail. */
export function findCluster(ctx: CallContext, name: string | undefined, action: string): EksCluster {
  const clusterName = checkName(name, 'clusterName');
  const arn = `arn:aws:eks:${ctx.region}:${ctx.world.accountId}:cluster/${clusterName}`;
  ctx.trail.resources.push({ type: 'AWS::EKS::Cluster', name: clusterName, arn });
  ctx.authorize(action, arn);
  const cluster = clustersOf(ctx.world)[`${ctx.region}/${clusterName}`];
  if (!cluster) throw new ApiError('ResourceNotFoundException', `No cluster found for name: ${clusterName}.`, 404, { clusterName });
  return cluster;
}

/** EKS timestamps travel as epoch seconds (REST-JSON's default). */
export const epochSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);

const MAX_PAGE = 100;

/** One page of a sorted listing: `maxResults` 1–100 (default 100), `nextToken` an opaque offset. */
export function page<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined): { items: T[]; nextToken?: string } {
  const size = maxResults ?? MAX_PAGE;
  if (size < 1 || size > MAX_PAGE) throw invalidParameter(`maxResults must be between 1 and ${MAX_PAGE}`);
  let start = 0;
  if (nextToken) {
    const decoded = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > items.length) throw invalidParameter('The nextToken is invalid.');
    start = decoded;
  }
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}) };
}

/** Tags as EKS validates them: at most 50, keys 1–128 characters, none under `aws:`. */
export function checkTags(tags: Record<string, string>): Record<string, string> {
  const keys = Object.keys(tags);
  if (keys.length > 50) throw new ApiError('BadRequestException', 'Too many tags: a resource can have at most 50 tags', 400);
  for (const k of keys) {
    if (!k || k.length > 128) throw new ApiError('BadRequestException', `Invalid tag key '${k}': it must be 1 to 128 characters`, 400);
    if (k.toLowerCase().startsWith('aws:')) throw new ApiError('BadRequestException', `Invalid tag key '${k}': the aws: prefix is reserved`, 400);
    if ((tags[k] ?? '').length > 256) throw new ApiError('BadRequestException', `Invalid tag value for key '${k}': at most 256 characters`, 400);
  }
  return tags;
}
