// CloudWatch Logs (JSON 1.1, X-Amz-Target Logs_20140328.*): log groups with retention, KMS key,
// class and tags — what aws_cloudwatch_log_group reads and writes; their metric and subscription
// filters are in logs-filters.ts.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { json } from '../protocol/json11';
import type { LogGroup, Tags } from '../world';
import { logFilterOperations } from './logs-filters';

/** The retention values PutRetentionPolicy accepts (days). */
const RETENTION_DAYS = new Set([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]);
const NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const CLASSES = new Set(['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY']);

const invalid = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);
const notFound = (): ApiError => new ApiError('ResourceNotFoundException', 'The specified log group does not exist.', 400);

function groups(ctx: CallContext): Record<string, LogGroup> {
  return (ctx.world.logGroups ??= {});
}

const keyOf = (region: string, name: string): string => `${region}/${name}`;
export const logGroupArn = (ctx: CallContext, name: string): string => `arn:aws:logs:${ctx.region}:${ctx.world.accountId}:log-group:${name}`;

function nameOf(input: Record<string, unknown>): string {
  const name = json.str(input, 'logGroupName');
  if (name === undefined) throw invalid('1 validation error detected: Value null at \'logGroupName\' failed to satisfy constraint: Member must not be null');
  if (!NAME.test(name)) throw invalid(`1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`);
  return name;
}

/** The group a write or read names, authorized on its ARN and recorded for CloudTrail. */
function groupFor(ctx: CallContext, input: Record<string, unknown>, action: string): LogGroup {
  const name = nameOf(input);
  const arn = logGroupArn(ctx, name);
  ctx.trail.resources.push({ type: 'AWS::Logs::LogGroup', name, arn });
  ctx.authorize(action, arn);
  const g = groups(ctx)[keyOf(ctx.region, name)];
  if (!g) throw notFound();
  return g;
}

/** Tag APIs name the group by ARN (with or without the trailing `:*`). */
function groupByArn(ctx: CallContext, input: Record<string, unknown>, action: string): LogGroup {
  const arn = json.str(input, 'resourceArn');
  const m = arn === undefined ? null : /^arn:aws:logs:([^:]+):(\d{12}):log-group:(.+?)(?::\*)?$/.exec(arn);
  if (!arn || !m) throw invalid(`Invalid resource ARN: ${arn ?? '(none)'}`);
  ctx.trail.resources.push({ type: 'AWS::Logs::LogGroup', name: m[3]!, arn });
  ctx.authorize(action, arn);
  const g = m[1] === ctx.region && m[2] === ctx.world.accountId ? groups(ctx)[keyOf(ctx.region, m[3]!)] : undefined;
  if (!g) throw notFound();
  return g;
}

function checkTags(tags: Tags): Tags {
  if (Object.keys(tags).length > 50) throw invalid('A resource can have no more than 50 tags.');
  for (const k of Object.keys(tags)) if (k.toLowerCase().startsWith('aws:')) throw invalid('Tag keys beginning with aws: are reserved.');
  return tags;
}

function describe(ctx: CallContext, g: LogGroup): Record<string, unknown> {
  const arn = logGroupArn(ctx, g.name);
  return {
    logGroupName: g.name, creationTime: g.creationTime, ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    metricFilterCount: Object.keys(g.metricFilters ?? {}).length, arn: `${arn}:*`, storedBytes: 0, ...(g.kmsKeyId ? { kmsKeyId: g.kmsKeyId } : {}),
    logGroupClass: g.logGroupClass, logGroupArn: arn,
  };
}

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const logsOperations: Record<string, Handler> = {
  CreateLogGroup(ctx, input) {
    const name = nameOf(input);
    const arn = logGroupArn(ctx, name);
    ctx.trail.resources.push({ type: 'AWS::Logs::LogGroup', name, arn });
    ctx.authorize('logs:CreateLogGroup', arn);
    const all = groups(ctx);
    if (all[keyOf(ctx.region, name)]) throw new ApiError('ResourceAlreadyExistsException', 'The specified log group already exists', 400);
    const cls = json.str(input, 'logGroupClass') ?? 'STANDARD';
    if (!CLASSES.has(cls)) throw invalid(`1 validation error detected: Value '${cls}' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]`);
    all[keyOf(ctx.region, name)] = {
      name, region: ctx.region, creationTime: ctx.now.getTime(), kmsKeyId: json.str(input, 'kmsKeyId'),
      logGroupClass: cls as LogGroup['logGroupClass'], tags: checkTags({ ...(json.map(input, 'tags') ?? {}) }),
    };
    return {};
  },
  DeleteLogGroup(ctx, input) {
    const g = groupFor(ctx, input, 'logs:DeleteLogGroup');
    delete groups(ctx)[keyOf(g.region, g.name)];
    return {};
  },
  DescribeLogGroups(ctx, input) {
    ctx.authorize('logs:DescribeLogGroups', `arn:aws:logs:${ctx.region}:${ctx.world.accountId}:log-group:*`);
    const prefix = json.str(input, 'logGroupNamePrefix');
    const pattern = json.str(input, 'logGroupNamePattern');
    if (prefix !== undefined && pattern !== undefined) throw invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    const limit = json.int(input, 'limit') ?? 50;
    if (limit < 1 || limit > 50) throw invalid(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50`);
    const token = json.str(input, 'nextToken');
    const after = token === undefined ? '' : Buffer.from(token, 'base64url').toString('utf8');
    const list = Object.values(groups(ctx))
      .filter((g) => g.region === ctx.region && (prefix === undefined || g.name.startsWith(prefix)) && (pattern === undefined || g.name.includes(pattern)) && g.name > after)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const page = list.slice(0, limit);
    const more = list.length > limit;
    return { logGroups: page.map((g) => describe(ctx, g)), ...(more ? { nextToken: Buffer.from(page[page.length - 1]!.name).toString('base64url') } : {}) };
  },
  PutRetentionPolicy(ctx, input) {
    const g = groupFor(ctx, input, 'logs:PutRetentionPolicy');
    const days = json.int(input, 'retentionInDays');
    if (days === undefined || !RETENTION_DAYS.has(days)) throw invalid(`1 validation error detected: Value '${days ?? 'null'}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${[...RETENTION_DAYS].join(', ')}]`);
    g.retentionInDays = days;
    return {};
  },
  DeleteRetentionPolicy(ctx, input) {
    const g = groupFor(ctx, input, 'logs:DeleteRetentionPolicy');
    g.retentionInDays = undefined;
    return {};
  },
  AssociateKmsKey(ctx, input) {
    const g = groupFor(ctx, input, 'logs:AssociateKmsKey');
    const key = json.str(input, 'kmsKeyId');
    if (!key || !/^arn:aws:kms:/.test(key)) throw invalid('Specified KMS key ARN is not valid.');
    g.kmsKeyId = key;
    return {};
  },
  DisassociateKmsKey(ctx, input) {
    const g = groupFor(ctx, input, 'logs:DisassociateKmsKey');
    g.kmsKeyId = undefined;
    return {};
  },
  ListTagsForResource(ctx, input) {
    return { tags: { ...groupByArn(ctx, input, 'logs:ListTagsForResource').tags } };
  },
  TagResource(ctx, input) {
    const g = groupByArn(ctx, input, 'logs:TagResource');
    g.tags = checkTags({ ...g.tags, ...(json.map(input, 'tags') ?? {}) });
    return {};
  },
  UntagResource(ctx, input) {
    const g = groupByArn(ctx, input, 'logs:UntagResource');
    for (const k of json.strings(input, 'tagKeys') ?? []) delete g.tags[k];
    return {};
  },
  ...logFilterOperations(groupFor, (ctx) => Object.values(groups(ctx)).filter((g) => g.region === ctx.region)),
};
