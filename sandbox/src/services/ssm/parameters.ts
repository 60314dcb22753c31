// SSM Parameter Store (JSON 1.1, X-Amz-Target AmazonSSM.*): parameters with their metadata, version
// and tags — what aws_ssm_parameter reads and writes. Values are stored but never leave the sandbox
// through DescribeParameters, and CloudTrail hides them as AWS does.
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { json } from '../../protocol/json11';
import type { Tags } from '../../world';

export interface SsmParameter {
  name: string;
  region: string;
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
  description: string;
  keyId?: string;
  allowedPattern?: string;
  tier: 'Standard' | 'Advanced';
  dataType: string;
  version: number;
  lastModified: string;
  lastModifiedUser: string;
  tags: Tags;
}

const validation = (message: string): ApiError => new ApiError('ValidationException', message, 400);
const notFound = (name: string): ApiError => new ApiError('ParameterNotFound', `Parameter ${name} not found.`, 400);

const params = (ctx: CallContext): Record<string, SsmParameter> => (ctx.world.ssmParameters ??= {});
const keyOf = (ctx: CallContext, name: string): string => `${ctx.region}/${name}`;
/** `/app/db` → `parameter/app/db`, `db` → `parameter/db`, as AWS forms the ARN. */
const arnOf = (ctx: CallContext, name: string): string => `arn:aws:ssm:${ctx.region}:${ctx.world.accountId}:parameter/${name.replace(/^\//, '')}`;
const seconds = (iso: string): number => new Date(iso).getTime() / 1000;

function nameOf(input: Record<string, unknown>, field = 'Name'): string {
  const name = json.str(input, field);
  if (!name) throw validation(`1 validation error detected: Value null at '${field.toLowerCase()}' failed to satisfy constraint: Member must not be null`);
  if (name.length > 2048 || !/^[a-zA-Z0-9_.\-/]+$/.test(name)) {
    throw validation(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore), / (forward slash).`);
  }
  if (/^\/?(aws|ssm)/i.test(name)) throw validation(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`);
  return name;
}

/** The parameter a call acts on, authorized on its ARN and named in the CloudTrail record. */
function existing(ctx: CallContext, name: string, action: string): SsmParameter {
  const arn = arnOf(ctx, name);
  // CloudTrail names a parameter by its name, the id Terraform records.
  ctx.trail.resources.push({ type: 'AWS::SSM::Parameter', name, arn });
  ctx.authorize(action, arn);
  const p = params(ctx)[keyOf(ctx, name)];
  if (!p) throw notFound(name);
  return p;
}

function tagList(input: Record<string, unknown>): Tags {
  const out: Tags = {};
  for (const t of json.list(input, 'Tags') ?? []) {
    const key = json.str(t, 'Key');
    const value = json.str(t, 'Value');
    if (!key || value === undefined) throw validation('Tags must have Key and Value');
    if (key.toLowerCase().startsWith('aws:')) throw new ApiError('InvalidParameters', 'Tag keys beginning with aws: are reserved.', 400);
    out[key] = value;
  }
  return out;
}

function describe(ctx: CallContext, p: SsmParameter): Record<string, unknown> {
  return {
    Name: p.name, ARN: arnOf(ctx, p.name), Type: p.type, ...(p.keyId ? { KeyId: p.keyId } : {}), LastModifiedDate: seconds(p.lastModified),
    LastModifiedUser: p.lastModifiedUser, ...(p.description ? { Description: p.description } : {}),
    ...(p.allowedPattern ? { AllowedPattern: p.allowedPattern } : {}), Version: p.version, Tier: p.tier, Policies: [], DataType: p.dataType,
  };
}

/** The tag calls name a parameter by `ResourceType: Parameter` and its name. */
function tagTarget(ctx: CallContext, input: Record<string, unknown>, action: string): SsmParameter {
  const kind = json.str(input, 'ResourceType');
  if (kind !== 'Parameter') throw new ApiError('InvalidResourceType', `The resource type ${kind ?? 'null'} is not valid (the sandbox has Parameter only).`, 400);
  const id = json.str(input, 'ResourceId') ?? '';
  try {
    return existing(ctx, id, action);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'ParameterNotFound') throw new ApiError('InvalidResourceId', 'The resource ID is not valid. Verify that you entered the correct ID and try again.', 400);
    throw err;
  }
}

type Filter = { key: string; option: string; values: string[] };

function filtersOf(input: Record<string, unknown>): Filter[] {
  return (json.list(input, 'ParameterFilters') ?? []).map((f) => {
    const key = json.str(f, 'Key') ?? '';
    const option = json.str(f, 'Option') ?? 'Equals';
    const values = json.strings(f, 'Values') ?? [];
    if (!['Name', 'Type', 'KeyId', 'Path', 'Tier', 'DataType'].includes(key)) throw new ApiError('InvalidFilterKey', `The filter key ${key} is not valid.`, 400);
    if (!['Equals', 'BeginsWith'].includes(option)) throw new ApiError('InvalidFilterOption', `The filter option ${option} is not valid for key ${key}.`, 400);
    if (values.length < 1 || values.length > 50) throw new ApiError('InvalidFilterValue', `The filter ${key} must have between 1 and 50 values.`, 400);
    return { key, option, values };
  });
}

function fieldOf(p: SsmParameter, key: string): string {
  switch (key) {
    case 'Name': return p.name;
    case 'Type': return p.type;
    case 'KeyId': return p.keyId ?? '';
    case 'Tier': return p.tier;
    case 'DataType': return p.dataType;
    default: return p.name.slice(0, p.name.lastIndexOf('/')) || '/';
  }
}

const matches = (p: SsmParameter, f: Filter): boolean =>
  f.values.some((v) => (f.option === 'BeginsWith' ? fieldOf(p, f.key).startsWith(v) : fieldOf(p, f.key) === v));

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const ssmParameterOperations: Record<string, Handler> = {
  PutParameter(ctx, input) {
    const name = nameOf(input);
    const value = json.str(input, 'Value');
    // CloudTrail records SSM's request in camelCase and never shows a parameter's value.
    ctx.trail.requestParameters = Object.fromEntries(Object.entries(input).filter(([k]) => k !== 'Value').map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]));
    const arn = arnOf(ctx, name);
    ctx.trail.resources.push({ type: 'AWS::SSM::Parameter', name, arn });
    ctx.authorize('ssm:PutParameter', arn);
    if (value === undefined) throw validation(`1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null`);
    const all = params(ctx);
    const had = all[keyOf(ctx, name)];
    const overwrite = input.Overwrite === true;
    if (had && !overwrite) throw new ApiError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.', 400);
    const tags = tagList(input);
    if (had && Object.keys(tags).length) throw validation('Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.');
    const type = (json.str(input, 'Type') ?? had?.type) as SsmParameter['type'] | undefined;
    if (!type || !['String', 'StringList', 'SecureString'].includes(type)) throw validation(`1 validation error detected: Value '${type ?? 'null'}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`);
    const pattern = json.str(input, 'AllowedPattern') ?? had?.allowedPattern;
    if (pattern && !new RegExp(pattern).test(value)) throw new ApiError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${pattern}`, 400);
    const tierIn = json.str(input, 'Tier');
    if (tierIn && !['Standard', 'Advanced', 'Intelligent-Tiering'].includes(tierIn)) throw validation(`Invalid tier ${tierIn}`);
    // Intelligent-Tiering: AWS picks Standard unless the parameter needs Advanced (a value over 4 KB).
    const tier = tierIn === 'Advanced' || had?.tier === 'Advanced' || Buffer.byteLength(value) > 4096 ? 'Advanced' : 'Standard';
    if (tier === 'Standard' && tierIn === 'Standard' && Buffer.byteLength(value) > 4096) throw validation('Standard tier parameters support a maximum parameter value of 4096 characters.');
    const p: SsmParameter = {
      name, region: ctx.region, type, value,
      description: json.str(input, 'Description') ?? had?.description ?? '',
      keyId: type === 'SecureString' ? json.str(input, 'KeyId') ?? had?.keyId ?? 'alias/aws/ssm' : undefined,
      allowedPattern: pattern, tier, dataType: json.str(input, 'DataType') ?? had?.dataType ?? 'text',
      version: (had?.version ?? 0) + 1, lastModified: ctx.now.toISOString(), lastModifiedUser: ctx.principal.arn, tags: had?.tags ?? tags,
    };
    all[keyOf(ctx, name)] = p;
    return { Version: p.version, Tier: p.tier };
  },
  DeleteParameter(ctx, input) {
    const name = nameOf(input);
    existing(ctx, name, 'ssm:DeleteParameter');
    delete params(ctx)[keyOf(ctx, name)];
    return {};
  },
  DescribeParameters(ctx, input) {
    ctx.authorize('ssm:DescribeParameters', '*');
    const max = json.int(input, 'MaxResults') ?? 10;
    if (max < 1 || max > 50) throw validation(`1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50`);
    const filters = filtersOf(input);
    const list = Object.values(params(ctx))
      .filter((p) => p.region === ctx.region && filters.every((f) => matches(p, f)))
      .sort((a, b) => a.name.localeCompare(b.name));
    const token = json.str(input, 'NextToken');
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw new ApiError('InvalidNextToken', 'The specified token is not valid.', 400);
    const slice = list.slice(start, start + max);
    const next = start + max < list.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
    return { Parameters: slice.map((p) => describe(ctx, p)), ...(next ? { NextToken: next } : {}) };
  },
  ListTagsForResource(ctx, input) {
    const p = tagTarget(ctx, input, 'ssm:ListTagsForResource');
    return { TagList: Object.entries(p.tags).map(([Key, Value]) => ({ Key, Value })) };
  },
  AddTagsToResource(ctx, input) {
    const p = tagTarget(ctx, input, 'ssm:AddTagsToResource');
    const tags = tagList(input);
    if (Object.keys({ ...p.tags, ...tags }).length > 50) throw new ApiError('TooManyTagsError', 'The Targets parameter includes too many tags.', 400);
    Object.assign(p.tags, tags);
    return {};
  },
  RemoveTagsFromResource(ctx, input) {
    const p = tagTarget(ctx, input, 'ssm:RemoveTagsFromResource');
    for (const k of json.strings(input, 'TagKeys') ?? []) delete p.tags[k];
    return {};
  },
};
