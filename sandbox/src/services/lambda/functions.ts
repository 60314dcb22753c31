// Lambda functions (REST-JSON, API version 2015-03-31): create, read, list, update configuration
// and code, publish versions, delete, tags (2017-03-31) and reserved concurrency. Code is kept as
// its SHA-256 and size only; nothing runs.
import { createHash } from 'node:crypto';
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import type { WorldData } from '../../world';
import {
  body, bounded, checkRevision, conflict, constraint, findFunction, functionArn, functionsOf, invalidParameter, lambdaNotFound, lambdaTime,
  parseFunctionName, qualifiedArn, revisionId, type LambdaFunction, type LambdaSettings,
} from './model';

const RUNTIMES = new Set([
  'nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'java11', 'java17', 'java21',
  'dotnet8', 'ruby3.2', 'ruby3.3', 'provided.al2', 'provided.al2023',
]);
const ARCHITECTURES = new Set(['x86_64', 'arm64']);
const ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const LAYER_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+$/;
const MAX_TAGS = 50;
/** ListFunctions answers at most 50 functions a page, whatever MaxItems asks. */
const LIST_PAGE = 50;
/** The account's concurrency quota; AWS keeps 100 unreserved. */
const ACCOUNT_CONCURRENCY = 1000;

type World = WorldData;

function checkRole(ctx: CallContext, role: string | undefined): string {
  if (!role) throw constraint('role', role, 'Member must not be null');
  const m = ROLE_ARN.exec(role);
  if (!m) throw constraint('role', role, 'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+');
  if (m[1] === ctx.world.accountId && !Object.values(ctx.world.roles).some((r) => r.arn === role || r.name === m[2])) {
    throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
  }
  return role;
}

/** The code's SHA-256 (base64, as Lambda reports it) and size, from a zip, an S3 object or an image. */
function codeOf(ctx: CallContext, code: Record<string, unknown>): { sha: string; size: number; imageUri?: string } {
  const zip = body.str(code, 'ZipFile');
  const bucket = body.str(code, 'S3Bucket');
  const key = body.str(code, 'S3Key');
  const image = body.str(code, 'ImageUri');
  if (zip !== undefined) {
    const bytes = Buffer.from(zip, 'base64');
    if (bytes.length === 0) throw invalidParameter('Uploaded file must be a non-empty zip');
    return { sha: createHash('sha256').update(bytes).digest('base64'), size: bytes.length };
  }
  if (bucket !== undefined || key !== undefined) {
    const object = bucket && key ? ctx.world.buckets[bucket]?.objects[key] : undefined;
    if (!object) throw invalidParameter(`Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.`);
    const bytes = Buffer.from(object.body, 'base64');
    return { sha: createHash('sha256').update(bytes).digest('base64'), size: bytes.length };
  }
  if (image !== undefined) {
    if (!/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[\w./-]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/.test(image)) throw invalidParameter(`Source image ${image} is not valid.`);
    return { sha: createHash('sha256').update(image).digest('hex'), size: 0, imageUri: image };
  }
  throw invalidParameter('Please provide a source for function code.');
}

/** Applies the configuration fields a Create/UpdateFunctionConfiguration request carries. */
function applyConfiguration(ctx: CallContext, s: LambdaSettings, input: Record<string, unknown>, name: string): void {
  const runtime = body.str(input, 'Runtime');
  if (runtime !== undefined) {
    if (!RUNTIMES.has(runtime)) throw invalidParameter(`Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${[...RUNTIMES].join(', ')}] or be a valid ARN`);
    s.runtime = runtime;
  }
  if (input.Role !== undefined) s.role = checkRole(ctx, body.str(input, 'Role'));
  const handler = body.str(input, 'Handler');
  if (handler !== undefined) s.handler = handler;
  const description = body.str(input, 'Description');
  if (description !== undefined) s.description = description.length > 256 ? (() => { throw constraint('description', description, 'Member must have length less than or equal to 256'); })() : description;
  s.timeout = bounded(body.int(input, 'Timeout'), 'timeout', 1, 900) ?? s.timeout;
  s.memorySize = bounded(body.int(input, 'MemorySize'), 'memorySize', 128, 10240) ?? s.memorySize;
  const environment = body.obj(input, 'Environment');
  if (environment) {
    const vars = body.map(environment, 'Variables') ?? {};
    for (const k of Object.keys(vars)) {
      if (!/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(k)) throw constraint('environment.variables', k, 'Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+');
      if (['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].includes(k)) {
        throw invalidParameter(`Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${k}`);
      }
    }
    s.environment = Object.keys(vars).length ? vars : undefined;
  }
  const tracing = body.obj(input, 'TracingConfig');
  if (tracing) {
    const mode = body.str(tracing, 'Mode') ?? 'PassThrough';
    if (mode !== 'Active' && mode !== 'PassThrough') throw constraint('tracingConfig.mode', mode, 'Member must satisfy enum value set: [Active, PassThrough]');
    s.tracingMode = mode;
  }
  const vpc = body.obj(input, 'VpcConfig');
  if (vpc) {
    const subnetIds = body.strings(vpc, 'SubnetIds') ?? [];
    const securityGroupIds = body.strings(vpc, 'SecurityGroupIds') ?? [];
    if (subnetIds.length > 16) throw constraint('vpcConfig.subnetIds', subnetIds.length, 'Member must have length less than or equal to 16');
    for (const id of subnetIds) if (!ctx.world.subnets[id]) throw new ApiError('InvalidParameterValueException', `Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error Message: The subnet ID '${id}' does not exist`, 400);
    for (const id of securityGroupIds) if (!ctx.world.securityGroups[id]) throw invalidParameter(`Error occurred while DescribeSecurityGroups. EC2 Error Code: InvalidGroup.NotFound. EC2 Error Message: The security group '${id}' does not exist`);
    s.vpc = subnetIds.length || securityGroupIds.length
      ? { subnetIds, securityGroupIds, ipv6AllowedForDualStack: body.bool(vpc, 'Ipv6AllowedForDualStack') ?? false }
      : undefined;
  }
  const dlq = body.obj(input, 'DeadLetterConfig');
  if (dlq) {
    const target = body.str(dlq, 'TargetArn');
    if (target && !/^arn:aws[a-zA-Z-]*:(sqs|sns):/.test(target)) throw invalidParameter(`The provided target ARN ${target} is not a valid SQS queue or SNS topic ARN.`);
    s.deadLetterTarget = target || undefined;
  }
  const kms = body.str(input, 'KMSKeyArn');
  if (kms !== undefined) s.kmsKeyArn = kms || undefined;
  const layers = body.strings(input, 'Layers');
  if (layers) {
    if (layers.length > 5) throw constraint('layers', layers.length, 'Member must have length less than or equal to 5');
    for (const l of layers) if (!LAYER_ARN.test(l)) throw constraint('layers', l, 'Member must satisfy regular expression pattern: arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+');
    s.layers = layers;
  }
  const storage = body.obj(input, 'EphemeralStorage');
  if (storage) s.ephemeralStorage = bounded(body.int(storage, 'Size'), 'ephemeralStorage.size', 512, 10240) ?? s.ephemeralStorage;
  const logging = body.obj(input, 'LoggingConfig');
  if (logging) {
    const format = body.str(logging, 'LogFormat') ?? s.logging.LogFormat;
    if (format !== 'JSON' && format !== 'Text') throw constraint('loggingConfig.logFormat', format, 'Member must satisfy enum value set: [JSON, Text]');
    const app = body.str(logging, 'ApplicationLogLevel');
    const sys = body.str(logging, 'SystemLogLevel');
    if ((app || sys) && format !== 'JSON') throw invalidParameter('ApplicationLogLevel and SystemLogLevel can only be set when LogFormat is JSON.');
    s.logging = {
      LogFormat: format,
      LogGroup: body.str(logging, 'LogGroup') ?? s.logging.LogGroup ?? `/aws/lambda/${name}`,
      ...(format === 'JSON' ? { ApplicationLogLevel: app ?? s.logging.ApplicationLogLevel ?? 'INFO', SystemLogLevel: sys ?? s.logging.SystemLogLevel ?? 'INFO' } : {}),
    };
  }
}

function architecturesOf(input: Record<string, unknown>): string[] | undefined {
  const list = body.strings(input, 'Architectures');
  if (!list) return undefined;
  if (list.length !== 1) throw constraint('architectures', `[${list.join(', ')}]`, 'Member must have length less than or equal to 1');
  if (!ARCHITECTURES.has(list[0]!)) throw constraint('architectures', `[${list.join(', ')}]`, 'Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]');
  return list;
}

/** FunctionConfiguration as Lambda returns it, for $LATEST or a published version. */
export function configurationOf(w: World, fn: LambdaFunction, version?: string): Record<string, unknown> {
  const published = version && version !== '$LATEST' ? fn.versions.find((v) => v.version === version) : undefined;
  const s = published?.settings ?? fn.settings;
  const arn = functionArn(w, fn.region, fn.name);
  return {
    FunctionName: fn.name,
    FunctionArn: published ? `${arn}:${published.version}` : arn,
    ...(s.runtime ? { Runtime: s.runtime } : {}),
    Role: s.role,
    ...(s.handler ? { Handler: s.handler } : {}),
    CodeSize: s.codeSize,
    Description: s.description,
    Timeout: s.timeout,
    MemorySize: s.memorySize,
    LastModified: published?.lastModified ?? fn.lastModified,
    CodeSha256: s.codeSha256,
    Version: published?.version ?? '$LATEST',
    ...(s.vpc ? { VpcConfig: { SubnetIds: s.vpc.subnetIds, SecurityGroupIds: s.vpc.securityGroupIds, VpcId: vpcOf(w, s.vpc.subnetIds), Ipv6AllowedForDualStack: s.vpc.ipv6AllowedForDualStack } } : {}),
    ...(s.deadLetterTarget ? { DeadLetterConfig: { TargetArn: s.deadLetterTarget } } : {}),
    ...(s.environment ? { Environment: { Variables: s.environment } } : {}),
    ...(s.kmsKeyArn ? { KMSKeyArn: s.kmsKeyArn } : {}),
    TracingConfig: { Mode: s.tracingMode },
    RevisionId: published?.revisionId ?? fn.revisionId,
    ...(s.layers.length ? { Layers: s.layers.map((Arn) => ({ Arn, CodeSize: 0 })) } : {}),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: s.packageType,
    Architectures: s.architectures,
    EphemeralStorage: { Size: s.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: s.logging,
  };
}

function vpcOf(w: World, subnetIds: string[]): string {
  for (const id of subnetIds) {
    const subnet = w.subnets[id];
    if (subnet) return subnet.vpcId;
  }
  return '';
}

function touch(ctx: CallContext, fn: LambdaFunction): void {
  fn.lastModified = lambdaTime(ctx.now);
  fn.revisionId = revisionId();
}

function trailFunction(ctx: CallContext, arn: string): void {
  ctx.trail.resources.push({ type: 'AWS::Lambda::Function', name: arn.split(':')[6]!, arn });
}

function tagsOf(input: Record<string, unknown>): Record<string, string> {
  const tags = body.map(input, 'Tags') ?? {};
  for (const k of Object.keys(tags)) if (k.toLowerCase().startsWith('aws:')) throw invalidParameter(`Tag keys starting with 'aws:' are reserved: ${k}`);
  if (Object.keys(tags).length > MAX_TAGS) throw invalidParameter(`A resource can have at most ${MAX_TAGS} tags.`);
  return tags;
}

function createFunction(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const input = req.body;
  const ref = parseFunctionName(ctx, body.str(input, 'FunctionName'));
  if (ref.qualifier) throw invalidParameter('FunctionName must not contain a qualifier.');
  const arn = functionArn(ctx.world, ctx.region, ref.name);
  ctx.authorize('lambda:CreateFunction', arn);
  const key = `${ctx.region}/${ref.name}`;
  if (functionsOf(ctx.world)[key]) throw conflict(`Function already exist: ${ref.name}`);
  const packageType = body.str(input, 'PackageType') ?? 'Zip';
  if (packageType !== 'Zip' && packageType !== 'Image') throw constraint('packageType', packageType, 'Member must satisfy enum value set: [Zip, Image]');
  const code = codeOf(ctx, body.obj(input, 'Code') ?? {});
  if (packageType === 'Zip' && code.imageUri) throw invalidParameter('Please don\'t provide ImageUri when updating a function with packageType Zip.');
  if (packageType === 'Image' && !code.imageUri) throw invalidParameter('Please provide ImageUri when updating a function with packageType Image.');
  if (packageType === 'Zip' && (!input.Runtime || !input.Handler)) throw invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  const settings: LambdaSettings = {
    role: '', description: '', timeout: 3, memorySize: 128, packageType, codeSha256: code.sha, codeSize: code.size,
    ...(code.imageUri ? { imageUri: code.imageUri } : {}),
    architectures: architecturesOf(input) ?? ['x86_64'], ephemeralStorage: 512, tracingMode: 'PassThrough', layers: [],
    logging: { LogFormat: 'Text', LogGroup: `/aws/lambda/${ref.name}` },
  };
  applyConfiguration(ctx, settings, { ...input, Role: input.Role ?? null }, ref.name);
  const fn: LambdaFunction = {
    name: ref.name, region: ctx.region, settings, lastModified: lambdaTime(ctx.now), revisionId: revisionId(), versions: [], aliases: {}, policies: {}, urls: {},
    invokeConfigs: {}, tags: tagsOf(input),
  };
  functionsOf(ctx.world)[key] = fn;
  if (body.bool(input, 'Publish')) publish(ctx, fn, '');
  trailFunction(ctx, arn);
  return { body: configurationOf(ctx.world, fn) };
}

function publish(ctx: CallContext, fn: LambdaFunction, description: string): string {
  const last = fn.versions[fn.versions.length - 1];
  // Lambda publishes a new version only when code or configuration changed since the last one.
  const sameAs = (v: LambdaSettings) => canonical({ ...v, description: '' }) === canonical({ ...fn.settings, description: '' });
  if (last && sameAs(last.settings)) return last.version;
  const version = String(fn.versions.length + 1);
  fn.versions.push({ version, settings: { ...structuredClone(fn.settings), ...(description ? { description } : {}) }, lastModified: lambdaTime(ctx.now), revisionId: revisionId() });
  return version;
}

/** JSON with object keys sorted at every level: settings compare by content, not by the order fields were set. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function getFunction(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, qualifier, arn } = findFunction(ctx, req.path.FunctionName, req.query.get('Qualifier'));
  ctx.authorize('lambda:GetFunction', qualifiedArn(arn, qualifier));
  const version = resolveVersion(fn, arn, qualifier);
  return {
    body: {
      Configuration: configurationOf(ctx.world, fn, version),
      Code: fn.settings.imageUri ? { RepositoryType: 'ECR', ImageUri: fn.settings.imageUri } : { RepositoryType: 'S3', Location: `https://awslambda-${ctx.region}-tasks.s3.${ctx.region}.amazonaws.com/snapshots/${ctx.world.accountId}/${fn.name}` },
      ...(Object.keys(fn.tags).length ? { Tags: fn.tags } : {}),
      ...(fn.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } } : {}),
    },
  };
}

/** The version a qualifier selects ($LATEST, a version number, or an alias's version). */
function resolveVersion(fn: LambdaFunction, arn: string, qualifier: string | undefined): string | undefined {
  if (!qualifier || qualifier === '$LATEST') return undefined;
  const alias = fn.aliases[qualifier];
  if (alias) return alias.functionVersion;
  if (fn.versions.some((v) => v.version === qualifier)) return qualifier;
  throw lambdaNotFound(`Function not found: ${qualifiedArn(arn, qualifier)}`);
}

function getConfiguration(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, qualifier, arn } = findFunction(ctx, req.path.FunctionName, req.query.get('Qualifier'));
  ctx.authorize('lambda:GetFunctionConfiguration', qualifiedArn(arn, qualifier));
  return { body: configurationOf(ctx.world, fn, resolveVersion(fn, arn, qualifier)) };
}

function updateConfiguration(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, qualifier, arn } = findFunction(ctx, req.path.FunctionName);
  if (qualifier) throw invalidParameter('Only $LATEST can be configured: FunctionName must not carry a qualifier.');
  ctx.authorize('lambda:UpdateFunctionConfiguration', arn);
  checkRevision(body.str(req.body, 'RevisionId'), fn.revisionId);
  const next = structuredClone(fn.settings);
  applyConfiguration(ctx, next, req.body, fn.name);
  fn.settings = next;
  touch(ctx, fn);
  trailFunction(ctx, arn);
  return { body: configurationOf(ctx.world, fn) };
}

function updateCode(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, qualifier, arn } = findFunction(ctx, req.path.FunctionName);
  if (qualifier) throw invalidParameter('Only $LATEST can be updated: FunctionName must not carry a qualifier.');
  ctx.authorize('lambda:UpdateFunctionCode', arn);
  checkRevision(body.str(req.body, 'RevisionId'), fn.revisionId);
  const code = codeOf(ctx, req.body);
  if (fn.settings.packageType === 'Zip' && code.imageUri) throw invalidParameter('Please don\'t provide ImageUri when updating a function with packageType Zip.');
  if (fn.settings.packageType === 'Image' && !code.imageUri) throw invalidParameter('Please provide ImageUri when updating a function with packageType Image.');
  fn.settings = { ...fn.settings, codeSha256: code.sha, codeSize: code.size, ...(code.imageUri ? { imageUri: code.imageUri } : {}), architectures: architecturesOf(req.body) ?? fn.settings.architectures };
  touch(ctx, fn);
  const version = body.bool(req.body, 'Publish') ? publish(ctx, fn, '') : undefined;
  trailFunction(ctx, arn);
  return { body: configurationOf(ctx.world, fn, version) };
}

function deleteFunction(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, qualifier, arn } = findFunction(ctx, req.path.FunctionName, req.query.get('Qualifier'));
  ctx.authorize('lambda:DeleteFunction', qualifiedArn(arn, qualifier));
  trailFunction(ctx, arn);
  if (qualifier && qualifier !== '$LATEST') {
    if (!fn.versions.some((v) => v.version === qualifier)) throw lambdaNotFound(`Function not found: ${qualifiedArn(arn, qualifier)}`);
    const usedBy = Object.values(fn.aliases).find((a) => a.functionVersion === qualifier || a.routing?.[qualifier] !== undefined);
    if (usedBy) throw conflict(`Unable to delete version because the following aliases reference it: [${usedBy.name}]`);
    fn.versions = fn.versions.filter((v) => v.version !== qualifier);
    return {};
  }
  if (qualifier === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  delete functionsOf(ctx.world)[`${ctx.region}/${fn.name}`];
  for (const [id, m] of Object.entries(ctx.world.lambdaMappings ?? {})) if (m.functionArn.startsWith(arn) && m.region === ctx.region) delete ctx.world.lambdaMappings![id];
  return {};
}

function listFunctions(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  ctx.authorize('lambda:ListFunctions', '*');
  const max = bounded(req.query.int('MaxItems', invalidParameter), 'maxItems', 1, 10000) ?? LIST_PAGE;
  const page = Math.min(max, LIST_PAGE);
  const all = Object.values(functionsOf(ctx.world)).filter((f) => f.region === ctx.region).sort((a, b) => a.name.localeCompare(b.name));
  const marker = req.query.get('Marker');
  const start = marker ? all.findIndex((f) => f.name > decodeMarker(marker)) : 0;
  const from = start < 0 ? all.length : start;
  const slice = all.slice(from, from + page);
  const more = from + page < all.length;
  return {
    body: {
      Functions: slice.map((f) => configurationOf(ctx.world, f)),
      ...(more ? { NextMarker: Buffer.from(slice[slice.length - 1]!.name).toString('base64') } : {}),
    },
  };
}

function decodeMarker(marker: string): string {
  const name = Buffer.from(marker, 'base64').toString('utf8');
  if (!/^[a-zA-Z0-9-_]{1,64}$/.test(name)) throw invalidParameter(`Invalid marker: ${marker}`);
  return name;
}

function publishVersion(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = findFunction(ctx, req.path.FunctionName);
  ctx.authorize('lambda:PublishVersion', arn);
  checkRevision(body.str(req.body, 'RevisionId'), fn.revisionId);
  const version = publish(ctx, fn, body.str(req.body, 'Description') ?? '');
  trailFunction(ctx, arn);
  return { body: configurationOf(ctx.world, fn, version) };
}

function listVersions(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = findFunction(ctx, req.path.FunctionName);
  ctx.authorize('lambda:ListVersionsByFunction', arn);
  return { body: { Versions: [configurationOf(ctx.world, fn), ...fn.versions.map((v) => configurationOf(ctx.world, fn, v.version))] } };
}

/** The function a tagging ARN names (tags live on the unqualified function). */
function taggedFunction(ctx: CallContext, resource: string | undefined): { fn: LambdaFunction; arn: string } {
  const m = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)$/.exec(resource ?? '');
  if (!m) throw invalidParameter(`${resource ?? '(none)'} is not a valid function ARN for tagging.`);
  const { fn, arn } = findFunction(ctx, resource);
  return { fn, arn };
}

function listTags(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = taggedFunction(ctx, req.path.Resource);
  ctx.authorize('lambda:ListTags', arn);
  return { body: { Tags: fn.tags } };
}

function tagResource(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = taggedFunction(ctx, req.path.Resource);
  ctx.authorize('lambda:TagResource', arn);
  const next = { ...fn.tags, ...tagsOf(req.body) };
  if (Object.keys(next).length > MAX_TAGS) throw invalidParameter(`A resource can have at most ${MAX_TAGS} tags.`);
  fn.tags = next;
  trailFunction(ctx, arn);
  return {};
}

function untagResource(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = taggedFunction(ctx, req.path.Resource);
  ctx.authorize('lambda:UntagResource', arn);
  const keys = req.query.all('tagKeys');
  if (keys.length === 0) throw constraint('tagKeys', null, 'Member must not be null');
  for (const k of keys) delete fn.tags[k];
  trailFunction(ctx, arn);
  return {};
}

function putConcurrency(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = findFunction(ctx, req.path.FunctionName);
  ctx.authorize('lambda:PutFunctionConcurrency', arn);
  const n = body.int(req.body, 'ReservedConcurrentExecutions');
  if (n === undefined) throw constraint('reservedConcurrentExecutions', null, 'Member must not be null');
  bounded(n, 'reservedConcurrentExecutions', 0, ACCOUNT_CONCURRENCY);
  const others = Object.values(functionsOf(ctx.world)).filter((f) => f !== fn && f.region === ctx.region).reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0);
  if (others + n > ACCOUNT_CONCURRENCY - 100) {
    throw invalidParameter(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].`);
  }
  fn.reservedConcurrency = n;
  trailFunction(ctx, arn);
  return { body: { ReservedConcurrentExecutions: n } };
}

function getConcurrency(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = findFunction(ctx, req.path.FunctionName);
  ctx.authorize('lambda:GetFunctionConcurrency', arn);
  return { body: fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency } };
}

function deleteConcurrency(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const { fn, arn } = findFunction(ctx, req.path.FunctionName);
  ctx.authorize('lambda:DeleteFunctionConcurrency', arn);
  delete fn.reservedConcurrency;
  trailFunction(ctx, arn);
  return {};
}

export const functionHandlers = {
  createFunction, getFunction, getConfiguration, updateConfiguration, updateCode, deleteFunction, listFunctions, publishVersion, listVersions,
  listTags, tagResource, untagResource, putConcurrency, getConcurrency, deleteConcurrency,
};
