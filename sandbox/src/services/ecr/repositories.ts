// ECR (JSON 1.1, X-Amz-Target AmazonEC2ContainerRegistry_V20150921.*): repositories with their tag
// mutability, scan-on-push setting, encryption, tags, repository policy and lifecycle policy — what
// aws_ecr_repository, aws_ecr_repository_policy and aws_ecr_lifecycle_policy read and write.
// No images: the sandbox stores repository settings only.
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { json } from '../../protocol/json11';
import type { Tags } from '../../world';

export interface EcrRepository {
  name: string;
  region: string;
  createdAt: string;
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  encryptionType: 'AES256' | 'KMS';
  kmsKey?: string;
  tags: Tags;
  /** The repository policy and lifecycle policy texts, as set (absent when none). */
  policy?: string;
  lifecyclePolicy?: string;
}

const invalid = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);
const repos = (ctx: CallContext): Record<string, EcrRepository> => (ctx.world.ecrRepositories ??= {});
const keyOf = (ctx: CallContext, name: string): string => `${ctx.region}/${name}`;
const arnOf = (ctx: CallContext, name: string): string => `arn:aws:ecr:${ctx.region}:${ctx.world.accountId}:repository/${name}`;
const notFound = (ctx: CallContext, name: string): ApiError =>
  new ApiError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${ctx.world.accountId}'`, 400);

function nameOf(input: Record<string, unknown>): string {
  const name = json.str(input, 'repositoryName');
  if (!name || name.length < 2 || name.length > 256 || !/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name)) {
    throw invalid(`Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`);
  }
  return name;
}

/** The repository a call acts on, authorized on its ARN and named in the CloudTrail record. */
function existing(ctx: CallContext, name: string, action: string): EcrRepository {
  const arn = arnOf(ctx, name);
  ctx.trail.resources.push({ type: 'AWS::ECR::Repository', name, arn });
  ctx.authorize(action, arn);
  const r = repos(ctx)[keyOf(ctx, name)];
  if (!r) throw notFound(ctx, name);
  return r;
}

/** Tag calls name the repository by ARN. */
function byArn(ctx: CallContext, input: Record<string, unknown>, action: string): EcrRepository {
  const arn = json.str(input, 'resourceArn') ?? '';
  const m = /^arn:aws:ecr:([^:]+):(\d{12}):repository\/(.+)$/.exec(arn);
  if (!m || m[1] !== ctx.region || m[2] !== ctx.world.accountId) throw invalid(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'`);
  return existing(ctx, m[3]!, action);
}

function tagsFrom(input: Record<string, unknown>): Tags {
  const out: Tags = {};
  for (const t of json.list(input, 'tags') ?? []) {
    const key = json.str(t, 'Key');
    const value = json.str(t, 'Value');
    if (!key || value === undefined) throw new ApiError('InvalidTagParameterException', 'Tags must have Key and Value', 400);
    if (key.toLowerCase().startsWith('aws:')) throw new ApiError('InvalidTagParameterException', 'Tag keys beginning with aws: are reserved', 400);
    out[key] = value;
  }
  return out;
}

function mutability(input: Record<string, unknown>): EcrRepository['imageTagMutability'] | undefined {
  const v = json.str(input, 'imageTagMutability');
  if (v !== undefined && v !== 'MUTABLE' && v !== 'IMMUTABLE') throw invalid(`Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE]'`);
  return v;
}

function scanOnPush(input: Record<string, unknown>): boolean | undefined {
  const c = input.imageScanningConfiguration;
  if (c === undefined || c === null) return undefined;
  if (typeof c !== 'object') throw invalid('imageScanningConfiguration must be an object');
  const v = (c as Record<string, unknown>).scanOnPush;
  return v === true;
}

function shape(ctx: CallContext, r: EcrRepository): Record<string, unknown> {
  return {
    repositoryArn: arnOf(ctx, r.name), registryId: ctx.world.accountId, repositoryName: r.name,
    repositoryUri: `${ctx.world.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${r.name}`, createdAt: new Date(r.createdAt).getTime() / 1000,
    imageTagMutability: r.imageTagMutability, imageScanningConfiguration: { scanOnPush: r.scanOnPush },
    encryptionConfiguration: { encryptionType: r.encryptionType, ...(r.kmsKey ? { kmsKey: r.kmsKey } : {}) },
  };
}

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const ecrRepositoryOperations: Record<string, Handler> = {
  CreateRepository(ctx, input) {
    const name = nameOf(input);
    const arn = arnOf(ctx, name);
    ctx.trail.resources.push({ type: 'AWS::ECR::Repository', name, arn });
    ctx.authorize('ecr:CreateRepository', arn);
    if (repos(ctx)[keyOf(ctx, name)]) {
      throw new ApiError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${ctx.world.accountId}'`, 400);
    }
    const enc = (input.encryptionConfiguration ?? {}) as Record<string, unknown>;
    const encryptionType = enc.encryptionType === 'KMS' ? 'KMS' : 'AES256';
    const r: EcrRepository = {
      name, region: ctx.region, createdAt: ctx.now.toISOString(), imageTagMutability: mutability(input) ?? 'MUTABLE', scanOnPush: scanOnPush(input) ?? false,
      encryptionType, kmsKey: encryptionType === 'KMS' ? (typeof enc.kmsKey === 'string' ? enc.kmsKey : `arn:aws:kms:${ctx.region}:${ctx.world.accountId}:alias/aws/ecr`) : undefined,
      tags: tagsFrom(input),
    };
    repos(ctx)[keyOf(ctx, name)] = r;
    return { repository: shape(ctx, r) };
  },
  DeleteRepository(ctx, input) {
    const name = nameOf(input);
    const r = existing(ctx, name, 'ecr:DeleteRepository');
    delete repos(ctx)[keyOf(ctx, name)];
    return { repository: shape(ctx, r) };
  },
  DescribeRepositories(ctx, input) {
    ctx.authorize('ecr:DescribeRepositories', '*');
    const names = json.strings(input, 'repositoryNames');
    const max = json.int(input, 'maxResults');
    if (names && max !== undefined) throw invalid('maxResults and repositoryNames cannot be used together');
    if (max !== undefined && (max < 1 || max > 1000)) throw invalid(`Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 1000'`);
    if (names) {
      if (names.length > 100) throw invalid('repositoryNames must have at most 100 members');
      // Like AWS: one unknown name fails the whole call.
      return { repositories: names.map((n) => { const r = repos(ctx)[keyOf(ctx, n)]; if (!r) throw notFound(ctx, n); return shape(ctx, r); }) };
    }
    const list = Object.values(repos(ctx)).filter((r) => r.region === ctx.region).sort((a, b) => a.name.localeCompare(b.name));
    const token = json.str(input, 'nextToken');
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw invalid('Invalid parameter at \'nextToken\'');
    const n = max ?? 100;
    const next = start + n < list.length ? Buffer.from(String(start + n)).toString('base64url') : undefined;
    return { repositories: list.slice(start, start + n).map((r) => shape(ctx, r)), ...(next ? { nextToken: next } : {}) };
  },
  PutImageTagMutability(ctx, input) {
    const r = existing(ctx, nameOf(input), 'ecr:PutImageTagMutability');
    const m = mutability(input);
    if (!m) throw invalid('imageTagMutability is required');
    r.imageTagMutability = m;
    return { registryId: ctx.world.accountId, repositoryName: r.name, imageTagMutability: m };
  },
  PutImageScanningConfiguration(ctx, input) {
    const r = existing(ctx, nameOf(input), 'ecr:PutImageScanningConfiguration');
    const s = scanOnPush(input);
    if (s === undefined) throw invalid('imageScanningConfiguration is required');
    r.scanOnPush = s;
    return { registryId: ctx.world.accountId, repositoryName: r.name, imageScanningConfiguration: { scanOnPush: s } };
  },
  ListTagsForResource(ctx, input) {
    const r = byArn(ctx, input, 'ecr:ListTagsForResource');
    return { tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })) };
  },
  TagResource(ctx, input) {
    const r = byArn(ctx, input, 'ecr:TagResource');
    Object.assign(r.tags, tagsFrom(input));
    return {};
  },
  UntagResource(ctx, input) {
    const r = byArn(ctx, input, 'ecr:UntagResource');
    for (const k of json.strings(input, 'tagKeys') ?? []) delete r.tags[k];
    return {};
  },
  SetRepositoryPolicy(ctx, input) {
    const r = existing(ctx, nameOf(input), 'ecr:SetRepositoryPolicy');
    r.policy = policyText(input, 'policyText');
    return { registryId: ctx.world.accountId, repositoryName: r.name, policyText: r.policy };
  },
  GetRepositoryPolicy(ctx, input) {
    const r = existing(ctx, nameOf(input), 'ecr:GetRepositoryPolicy');
    if (r.policy === undefined) throw policyNotFound(ctx, r.name);
    return { registryId: ctx.world.accountId, repositoryName: r.name, policyText: r.policy };
  },
  DeleteRepositoryPolicy(ctx, input) {
    const r = existing(ctx, nameOf(input), 'ecr:DeleteRepositoryPolicy');
    if (r.policy === undefined) throw policyNotFound(ctx, r.name);
    const policy = r.policy;
    r.policy = undefined;
    return { registryId: ctx.world.accountId, repositoryName: r.name, policyText: policy };
  },
  PutLifecyclePolicy(ctx, input) {
    const r = existing(ctx, nameOf(input), 'ecr:PutLifecyclePolicy');
    const text = policyText(input, 'lifecyclePolicyText');
    const rules = (JSON.parse(text) as { rules?: unknown }).rules;
    if (!Array.isArray(rules) || !rules.length || rules.some((x) => !x || typeof x !== 'object' || typeof (x as Record<string, unknown>).rulePriority !== 'number' || !(x as Record<string, unknown>).selection || !(x as Record<string, unknown>).action)) {
      throw new ApiError('InvalidParameterException', 'Invalid parameter at \'LifecyclePolicyText\' failed to satisfy constraint: \'Lifecycle policy validation failure: each rule needs rulePriority, selection and action\'', 400);
    }
    r.lifecyclePolicy = text;
    return { registryId: ctx.world.accountId, repositoryName: r.name, lifecyclePolicyText: text };
  },
  GetLifecyclePolicy(ctx, input) {
    const r = existing(ctx, nameOf(input), 'ecr:GetLifecyclePolicy');
    if (r.lifecyclePolicy === undefined) throw lifecycleNotFound(ctx, r.name);
    return { registryId: ctx.world.accountId, repositoryName: r.name, lifecyclePolicyText: r.lifecyclePolicy, lastEvaluatedAt: new Date(r.createdAt).getTime() / 1000 };
  },
  DeleteLifecyclePolicy(ctx, input) {
    const r = existing(ctx, nameOf(input), 'ecr:DeleteLifecyclePolicy');
    if (r.lifecyclePolicy === undefined) throw lifecycleNotFound(ctx, r.name);
    const text = r.lifecyclePolicy;
    r.lifecyclePolicy = undefined;
    return { registryId: ctx.world.accountId, repositoryName: r.name, lifecyclePolicyText: text };
  },
};

function policyText(input: Record<string, unknown>, field: string): string {
  const text = json.str(input, field);
  if (!text) throw invalid(`Invalid parameter at '${field}' failed to satisfy constraint: 'Member must not be null'`);
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
  } catch {
    throw invalid(`Invalid parameter at '${field}' failed to satisfy constraint: 'Invalid JSON'`);
  }
  return text;
}

const policyNotFound = (ctx: CallContext, name: string): ApiError =>
  new ApiError('RepositoryPolicyNotFoundException', `Repository policy does not exist for the repository with name '${name}' in the registry with id '${ctx.world.accountId}'`, 400);
const lifecycleNotFound = (ctx: CallContext, name: string): ApiError =>
  new ApiError('LifecyclePolicyNotFoundException', `Lifecycle policy does not exist for the repository with name '${name}' in the registry with id '${ctx.world.accountId}'`, 400);
