// KMS (JSON 1.1, X-Amz-Target TrentService.*): keys with their policy, rotation, state and tags,
// and aliases — what aws_kms_key and aws_kms_alias read and write. No cryptography: keys hold no
// material here.
import { randomUUID } from 'node:crypto';
import { PolicyError, parsePolicy } from '../auth/policy';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { json } from '../protocol/json11';
import type { KmsAlias, KmsKey, Tags } from '../world';

const notFound = (what: string): ApiError => new ApiError('NotFoundException', `${what} is not found.`, 400);
const validation = (message: string): ApiError => new ApiError('ValidationException', message, 400);

const keys = (ctx: CallContext): Record<string, KmsKey> => (ctx.world.kmsKeys ??= {});
const aliases = (ctx: CallContext): Record<string, KmsAlias> => (ctx.world.kmsAliases ??= {});
const keyArn = (ctx: CallContext, id: string): string => `arn:aws:kms:${ctx.region}:${ctx.world.accountId}:key/${id}`;
const aliasArn = (ctx: CallContext, name: string): string => `arn:aws:kms:${ctx.region}:${ctx.world.accountId}:${name}`;
const seconds = (iso: string): number => Math.floor(new Date(iso).getTime() / 1000);

function defaultPolicy(account: string): string {
  return JSON.stringify({
    Version: '2012-10-17', Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  });
}

function checkPolicy(text: string): string {
  try {
    parsePolicy(text, 'resource');
  } catch (err) {
    if (err instanceof PolicyError) throw new ApiError('MalformedPolicyDocumentException', err.message, 400);
    throw err;
  }
  return text;
}

/** A key named by id, key ARN, alias name or alias ARN (in this region and account). */
function resolveKey(ctx: CallContext, ref: string | undefined): KmsKey {
  if (!ref) throw validation('1 validation error detected: Value null at \'keyId\' failed to satisfy constraint: Member must not be null');
  let id = ref;
  const arn = /^arn:aws:kms:([^:]+):(\d{12}):(key\/.+|alias\/.+)$/.exec(ref);
  if (arn) {
    if (arn[1] !== ctx.region || arn[2] !== ctx.world.accountId) throw notFound(`Key '${ref}'`);
    id = arn[3]!.startsWith('key/') ? arn[3]!.slice(4) : arn[3]!;
  }
  if (id.startsWith('alias/')) {
    const alias = aliases(ctx)[`${ctx.region}/${id}`];
    if (!alias) throw notFound(`Alias '${aliasArn(ctx, id)}'`);
    id = alias.targetKeyId;
  }
  const key = keys(ctx)[id];
  if (!key || key.region !== ctx.region) throw notFound(`Key '${keyArn(ctx, id)}'`);
  return key;
}

/** The key a call acts on, authorized on its ARN and recorded for CloudTrail. */
function keyFor(ctx: CallContext, input: Record<string, unknown>, action: string): KmsKey {
  const ref = json.str(input, 'KeyId');
  let key: KmsKey | undefined;
  let failure: ApiError | undefined;
  try {
    key = resolveKey(ctx, ref);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    failure = err;
  }
  const arn = key ? keyArn(ctx, key.keyId) : ref ?? '*';
  ctx.trail.resources.push({ type: 'AWS::KMS::Key', name: arn, arn });
  ctx.authorize(action, arn);
  if (failure || !key) throw failure ?? notFound(`Key '${ref}'`);
  return key;
}

function metadata(ctx: CallContext, k: KmsKey): Record<string, unknown> {
  return {
    AWSAccountId: ctx.world.accountId, KeyId: k.keyId, Arn: keyArn(ctx, k.keyId), CreationDate: seconds(k.creationDate),
    Enabled: k.enabled, Description: k.description, KeyUsage: k.keyUsage, KeyState: k.pendingDeletion ? 'PendingDeletion' : k.enabled ? 'Enabled' : 'Disabled',
    ...(k.pendingDeletion ? { DeletionDate: seconds(k.pendingDeletion) } : {}),
    Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', CustomerMasterKeySpec: k.keySpec, KeySpec: k.keySpec,
    EncryptionAlgorithms: k.keySpec === 'SYMMETRIC_DEFAULT' ? ['SYMMETRIC_DEFAULT'] : [], MultiRegion: k.multiRegion,
  };
}

function tagsFrom(input: Record<string, unknown>): Tags {
  const out: Tags = {};
  for (const t of json.list(input, 'Tags') ?? []) {
    const key = json.str(t, 'TagKey');
    const value = json.str(t, 'TagValue');
    if (key === undefined || value === undefined) throw validation('Tags must have TagKey and TagValue');
    if (key.toLowerCase().startsWith('aws:')) throw new ApiError('TagException', 'Tag keys beginning with aws: are reserved', 400);
    out[key] = value;
  }
  return out;
}

/** Marker pagination: the marker is the index to resume at. */
function paged<T>(list: T[], input: Record<string, unknown>, max: number): { slice: T[]; next?: string } {
  const limit = json.int(input, 'Limit') ?? max;
  if (limit < 1 || limit > 1000) throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000`);
  const marker = json.str(input, 'Marker');
  const start = marker === undefined ? 0 : Number(Buffer.from(marker, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw new ApiError('InvalidMarkerException', 'The marker is not valid.', 400);
  const n = Math.min(limit, max);
  const slice = list.slice(start, start + n);
  return { slice, next: start + n < list.length ? Buffer.from(String(start + n)).toString('base64url') : undefined };
}

const pageOut = (next: string | undefined): Record<string, unknown> => ({ Truncated: next !== undefined, ...(next ? { NextMarker: next } : {}) });

function aliasName(input: Record<string, unknown>): string {
  const name = json.str(input, 'AliasName');
  if (!name || !/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(name)) throw validation(`1 validation error detected: Value '${name ?? 'null'}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$`);
  if (name.startsWith('alias/aws/')) throw new ApiError('NotAuthorizedException', 'The alias prefix alias/aws/ is reserved for AWS managed keys.', 400);
  return name;
}

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const kmsOperations: Record<string, Handler> = {
  CreateKey(ctx, input) {
    ctx.authorize('kms:CreateKey', '*');
    const usage = json.str(input, 'KeyUsage') ?? 'ENCRYPT_DECRYPT';
    if (!['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'].includes(usage)) throw validation(`Invalid KeyUsage ${usage}`);
    const spec = json.str(input, 'KeySpec') ?? json.str(input, 'CustomerMasterKeySpec') ?? 'SYMMETRIC_DEFAULT';
    const id = randomUUID();
    const key: KmsKey = {
      keyId: id, region: ctx.region, creationDate: ctx.now.toISOString(), description: json.str(input, 'Description') ?? '',
      keyUsage: usage, keySpec: spec, enabled: true, multiRegion: input.MultiRegion === true,
      policy: checkPolicy(json.str(input, 'Policy') ?? defaultPolicy(ctx.world.accountId)), rotation: false, rotationPeriodInDays: 365,
      tags: tagsFrom(input),
    };
    keys(ctx)[id] = key;
    ctx.trail.resources.push({ type: 'AWS::KMS::Key', name: keyArn(ctx, id), arn: keyArn(ctx, id) });
    return { KeyMetadata: metadata(ctx, key) };
  },
  DescribeKey(ctx, input) {
    return { KeyMetadata: metadata(ctx, keyFor(ctx, input, 'kms:DescribeKey')) };
  },
  ListKeys(ctx, input) {
    ctx.authorize('kms:ListKeys', '*');
    const { slice, next } = paged(Object.values(keys(ctx)).filter((k) => k.region === ctx.region), input, 1000);
    return { Keys: slice.map((k) => ({ KeyId: k.keyId, KeyArn: keyArn(ctx, k.keyId) })), ...pageOut(next) };
  },
  UpdateKeyDescription(ctx, input) {
    keyFor(ctx, input, 'kms:UpdateKeyDescription').description = json.str(input, 'Description') ?? '';
    return {};
  },
  EnableKey(ctx, input) {
    keyFor(ctx, input, 'kms:EnableKey').enabled = true;
    return {};
  },
  DisableKey(ctx, input) {
    keyFor(ctx, input, 'kms:DisableKey').enabled = false;
    return {};
  },
  ScheduleKeyDeletion(ctx, input) {
    const key = keyFor(ctx, input, 'kms:ScheduleKeyDeletion');
    const days = json.int(input, 'PendingWindowInDays') ?? 30;
    if (days < 7 || days > 30) throw validation(`1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`);
    if (key.pendingDeletion) throw new ApiError('KMSInvalidStateException', `${keyArn(ctx, key.keyId)} is pending deletion.`, 400);
    key.pendingDeletion = new Date(ctx.now.getTime() + days * 86_400_000).toISOString();
    key.enabled = false;
    return { KeyId: keyArn(ctx, key.keyId), DeletionDate: seconds(key.pendingDeletion), KeyState: 'PendingDeletion', PendingWindowInDays: days };
  },
  CancelKeyDeletion(ctx, input) {
    const key = keyFor(ctx, input, 'kms:CancelKeyDeletion');
    if (!key.pendingDeletion) throw new ApiError('KMSInvalidStateException', `${keyArn(ctx, key.keyId)} is not pending deletion.`, 400);
    key.pendingDeletion = undefined;
    return { KeyId: keyArn(ctx, key.keyId) };
  },
  GetKeyPolicy(ctx, input) {
    const key = keyFor(ctx, input, 'kms:GetKeyPolicy');
    const name = json.str(input, 'PolicyName') ?? 'default';
    if (name !== 'default') throw notFound(`Policy '${name}'`);
    return { Policy: key.policy, PolicyName: 'default' };
  },
  PutKeyPolicy(ctx, input) {
    const key = keyFor(ctx, input, 'kms:PutKeyPolicy');
    const policy = json.str(input, 'Policy');
    if (!policy) throw validation('1 validation error detected: Value null at \'policy\' failed to satisfy constraint: Member must not be null');
    key.policy = checkPolicy(policy);
    return {};
  },
  GetKeyRotationStatus(ctx, input) {
    const key = keyFor(ctx, input, 'kms:GetKeyRotationStatus');
    return { KeyId: keyArn(ctx, key.keyId), KeyRotationEnabled: key.rotation, ...(key.rotation ? { RotationPeriodInDays: key.rotationPeriodInDays } : {}) };
  },
  EnableKeyRotation(ctx, input) {
    const key = keyFor(ctx, input, 'kms:EnableKeyRotation');
    if (!key.enabled) throw new ApiError('KMSInvalidStateException', `${keyArn(ctx, key.keyId)} is ${key.pendingDeletion ? 'pending deletion' : 'disabled'}.`, 400);
    if (key.keySpec !== 'SYMMETRIC_DEFAULT') throw new ApiError('UnsupportedOperationException', `${keyArn(ctx, key.keyId)} origin is AWS_KMS which is not valid for this operation.`, 400);
    const days = json.int(input, 'RotationPeriodInDays') ?? 365;
    if (days < 90 || days > 2560) throw validation(`1 validation error detected: Value '${days}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between 90 and 2560`);
    key.rotation = true;
    key.rotationPeriodInDays = days;
    return {};
  },
  DisableKeyRotation(ctx, input) {
    const key = keyFor(ctx, input, 'kms:DisableKeyRotation');
    if (!key.enabled) throw new ApiError('KMSInvalidStateException', `${keyArn(ctx, key.keyId)} is ${key.pendingDeletion ? 'pending deletion' : 'disabled'}.`, 400);
    key.rotation = false;
    return {};
  },
  ListResourceTags(ctx, input) {
    const key = keyFor(ctx, input, 'kms:ListResourceTags');
    const { slice, next } = paged(Object.entries(key.tags), input, 50);
    return { Tags: slice.map(([TagKey, TagValue]) => ({ TagKey, TagValue })), ...pageOut(next) };
  },
  TagResource(ctx, input) {
    const key = keyFor(ctx, input, 'kms:TagResource');
    const tags = { ...key.tags, ...tagsFrom(input) };
    if (Object.keys(tags).length > 50) throw new ApiError('TagException', 'A key can have at most 50 tags.', 400);
    key.tags = tags;
    return {};
  },
  UntagResource(ctx, input) {
    const key = keyFor(ctx, input, 'kms:UntagResource');
    for (const k of json.strings(input, 'TagKeys') ?? []) delete key.tags[k];
    return {};
  },
  CreateAlias(ctx, input) {
    const name = aliasName(input);
    ctx.authorize('kms:CreateAlias', aliasArn(ctx, name));
    const key = resolveKey(ctx, json.str(input, 'TargetKeyId'));
    ctx.authorize('kms:CreateAlias', keyArn(ctx, key.keyId));
    if (aliases(ctx)[`${ctx.region}/${name}`]) throw new ApiError('AlreadyExistsException', `An alias with the name ${aliasArn(ctx, name)} already exists`, 400);
    aliases(ctx)[`${ctx.region}/${name}`] = { name, region: ctx.region, targetKeyId: key.keyId, creationDate: ctx.now.toISOString() };
    return {};
  },
  UpdateAlias(ctx, input) {
    const name = aliasName(input);
    ctx.authorize('kms:UpdateAlias', aliasArn(ctx, name));
    const alias = aliases(ctx)[`${ctx.region}/${name}`];
    if (!alias) throw notFound(`Alias '${aliasArn(ctx, name)}'`);
    alias.targetKeyId = resolveKey(ctx, json.str(input, 'TargetKeyId')).keyId;
    return {};
  },
  DeleteAlias(ctx, input) {
    const name = aliasName(input);
    ctx.authorize('kms:DeleteAlias', aliasArn(ctx, name));
    if (!aliases(ctx)[`${ctx.region}/${name}`]) throw notFound(`Alias '${aliasArn(ctx, name)}'`);
    delete aliases(ctx)[`${ctx.region}/${name}`];
    return {};
  },
  ListAliases(ctx, input) {
    ctx.authorize('kms:ListAliases', '*');
    const keyRef = json.str(input, 'KeyId');
    const target = keyRef === undefined ? undefined : resolveKey(ctx, keyRef).keyId;
    const list = Object.values(aliases(ctx)).filter((a) => a.region === ctx.region && (target === undefined || a.targetKeyId === target));
    const { slice, next } = paged(list, input, 100);
    return {
      Aliases: slice.map((a) => ({ AliasName: a.name, AliasArn: aliasArn(ctx, a.name), TargetKeyId: a.targetKeyId, CreationDate: seconds(a.creationDate), LastUpdatedDate: seconds(a.creationDate) })),
      ...pageOut(next),
    };
  },
};
