// AWS Secrets Manager (JSON 1.1, X-Amz-Target secretsmanager.*): secrets with their description,
// KMS key, tags, resource policy and scheduled deletion — what aws_secretsmanager_secret and
// aws_secretsmanager_secret_policy read and write. A secret's value is accepted but not kept: no
// metadata call returns it on AWS either, and Tidemark never asks for it.
import { randomBytes } from 'node:crypto';
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { json } from '../../protocol/json11';
import type { Tags } from '../../world';

export interface Secret {
  name: string;
  region: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  createdAt: string;
  changedAt: string;
  deletedAt?: string;
  policy?: string;
  tags: Tags;
  /** Only its presence matters here; it is never returned by a metadata call. */
  hasValue: boolean;
}

const invalid = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);
const notFound = (): ApiError => new ApiError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.', 400);
const secrets = (ctx: CallContext): Record<string, Secret> => (ctx.world.secrets ??= {});

/** A secret named by name or ARN (AWS accepts both, and ARNs with or without the random suffix). */
function find(ctx: CallContext, ref: string): Secret | undefined {
  return Object.values(secrets(ctx)).find((s) => s.region === ctx.region && (s.name === ref || s.arn === ref || s.arn.slice(0, -7) === ref));
}

function existing(ctx: CallContext, input: Record<string, unknown>, action: string, allowDeleted = false): Secret {
  const ref = json.str(input, 'SecretId');
  if (!ref) throw invalid('SecretId is required.');
  const s = find(ctx, ref);
  ctx.trail.resources.push({ type: 'AWS::SecretsManager::Secret', name: s?.name ?? ref, arn: s?.arn });
  ctx.authorize(action, s?.arn ?? '*');
  if (!s) throw notFound();
  if (s.deletedAt && !allowDeleted) throw new ApiError('InvalidRequestException', `You can't perform this operation on the secret because it was marked for deletion.`, 400);
  return s;
}

function tagsFrom(input: Record<string, unknown>): Tags {
  const out: Tags = {};
  for (const t of json.list(input, 'Tags') ?? []) {
    const key = json.str(t, 'Key');
    if (!key) throw invalid('Tag keys must not be empty.');
    if (key.toLowerCase().startsWith('aws:')) throw invalid('Tag keys beginning with aws: are reserved.');
    out[key] = json.str(t, 'Value') ?? '';
  }
  return out;
}

function checkPolicy(text: string | undefined): string {
  if (!text) throw invalid('ResourcePolicy is required.');
  try {
    const doc = JSON.parse(text) as { Statement?: unknown };
    if (!doc || typeof doc !== 'object' || !doc.Statement) throw new Error('no statement');
  } catch {
    throw new ApiError('MalformedPolicyDocumentException', 'This resource policy contains an unsupported or malformed JSON document.', 400);
  }
  return text;
}

const epoch = (iso: string | undefined): number | undefined => (iso ? new Date(iso).getTime() / 1000 : undefined);

function metadata(s: Secret): Record<string, unknown> {
  return {
    ARN: s.arn, Name: s.name, ...(s.description !== undefined ? { Description: s.description } : {}), ...(s.kmsKeyId ? { KmsKeyId: s.kmsKeyId } : {}),
    RotationEnabled: false, CreatedDate: epoch(s.createdAt), LastChangedDate: epoch(s.changedAt), ...(s.deletedAt ? { DeletedDate: epoch(s.deletedAt) } : {}),
    Tags: Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value })),
  };
}

/** CloudTrail records the call without the secret's value, as AWS does. */
function withoutValue(ctx: CallContext, input: Record<string, unknown>): void {
  const { SecretString: _s, SecretBinary: _b, ...rest } = input;
  ctx.trail.requestParameters = rest;
}

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const secretsManagerOperations: Record<string, Handler> = {
  CreateSecret(ctx, input) {
    withoutValue(ctx, input);
    const name = json.str(input, 'Name');
    if (!name || !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) throw invalid('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
    const arn = `arn:aws:secretsmanager:${ctx.region}:${ctx.world.accountId}:secret:${name}-${randomBytes(3).toString('base64url').slice(0, 6)}`;
    ctx.trail.resources.push({ type: 'AWS::SecretsManager::Secret', name, arn });
    ctx.authorize('secretsmanager:CreateSecret', arn);
    const old = find(ctx, name);
    if (old?.deletedAt) throw new ApiError('InvalidRequestException', `You can't create this secret because a secret with this name is already scheduled for deletion.`, 400);
    if (old) throw new ApiError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`, 400);
    const now = ctx.now.toISOString();
    const s: Secret = {
      name, region: ctx.region, arn, description: json.str(input, 'Description'), kmsKeyId: json.str(input, 'KmsKeyId'), createdAt: now, changedAt: now, tags: tagsFrom(input),
      hasValue: json.str(input, 'SecretString') !== undefined || json.str(input, 'SecretBinary') !== undefined,
    };
    secrets(ctx)[arn] = s;
    return { ARN: arn, Name: name };
  },
  DescribeSecret(ctx, input) {
    return metadata(existing(ctx, input, 'secretsmanager:DescribeSecret', true));
  },
  ListSecrets(ctx, input) {
    ctx.authorize('secretsmanager:ListSecrets', '*');
    const max = json.int(input, 'MaxResults') ?? 100;
    if (max < 1 || max > 100) throw invalid('MaxResults must be between 1 and 100.');
    const includeDeleted = input.IncludePlannedDeletion === true;
    const names = (json.list(input, 'Filters') ?? []).filter((f) => json.str(f, 'Key') === 'name').flatMap((f) => json.strings(f, 'Values') ?? []);
    const list = Object.values(secrets(ctx))
      .filter((s) => s.region === ctx.region && (includeDeleted || !s.deletedAt) && (!names.length || names.some((n) => s.name.startsWith(n))))
      .sort((a, b) => a.name.localeCompare(b.name));
    const token = json.str(input, 'NextToken');
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > list.length) throw new ApiError('InvalidNextTokenException', 'The NextToken value is invalid.', 400);
    const next = start + max < list.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
    return { SecretList: list.slice(start, start + max).map(metadata), ...(next ? { NextToken: next } : {}) };
  },
  UpdateSecret(ctx, input) {
    withoutValue(ctx, input);
    const s = existing(ctx, input, 'secretsmanager:UpdateSecret');
    if (input.Description !== undefined) s.description = json.str(input, 'Description');
    if (input.KmsKeyId !== undefined) s.kmsKeyId = json.str(input, 'KmsKeyId');
    if (json.str(input, 'SecretString') !== undefined) s.hasValue = true;
    s.changedAt = ctx.now.toISOString();
    return { ARN: s.arn, Name: s.name };
  },
  DeleteSecret(ctx, input) {
    const s = existing(ctx, input, 'secretsmanager:DeleteSecret', true);
    const force = input.ForceDeleteWithoutRecovery === true;
    const days = json.int(input, 'RecoveryWindowInDays');
    if (force && days !== undefined) throw invalid('You can\'t use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.');
    if (days !== undefined && (days < 7 || days > 30)) throw invalid('The recovery window must be between 7 and 30 days.');
    if (force) delete secrets(ctx)[s.arn];
    else s.deletedAt = ctx.now.toISOString();
    return { ARN: s.arn, Name: s.name, DeletionDate: (ctx.now.getTime() + (force ? 0 : (days ?? 30) * 86_400_000)) / 1000 };
  },
  RestoreSecret(ctx, input) {
    const s = existing(ctx, input, 'secretsmanager:RestoreSecret', true);
    s.deletedAt = undefined;
    return { ARN: s.arn, Name: s.name };
  },
  TagResource(ctx, input) {
    const s = existing(ctx, input, 'secretsmanager:TagResource');
    s.tags = { ...s.tags, ...tagsFrom(input) };
    return {};
  },
  UntagResource(ctx, input) {
    const s = existing(ctx, input, 'secretsmanager:UntagResource');
    const keys = json.strings(input, 'TagKeys') ?? [];
    s.tags = Object.fromEntries(Object.entries(s.tags).filter(([k]) => !keys.includes(k)));
    return {};
  },
  PutResourcePolicy(ctx, input) {
    const s = existing(ctx, input, 'secretsmanager:PutResourcePolicy');
    const text = checkPolicy(json.str(input, 'ResourcePolicy'));
    if (input.BlockPublicPolicy === true && /"Principal"\s*:\s*(?:"\*"|\{\s*"AWS"\s*:\s*"\*"\s*\})/.test(text)) {
      throw new ApiError('PublicPolicyException', 'The BlockPublicPolicy parameter is set to true, and the resource policy that you submitted grants public access to your secret.', 400);
    }
    s.policy = text;
    return { ARN: s.arn, Name: s.name };
  },
  GetResourcePolicy(ctx, input) {
    const s = existing(ctx, input, 'secretsmanager:GetResourcePolicy');
    return { ARN: s.arn, Name: s.name, ...(s.policy ? { ResourcePolicy: s.policy } : {}) };
  },
  DeleteResourcePolicy(ctx, input) {
    const s = existing(ctx, input, 'secretsmanager:DeleteResourcePolicy');
    s.policy = undefined;
    return { ARN: s.arn, Name: s.name };
  },
};
