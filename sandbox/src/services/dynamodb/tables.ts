// Amazon DynamoDB control plane (JSON 1.0, X-Amz-Target DynamoDB_20120810.*): tables with their key
// schema, billing mode and throughput, global and local secondary indexes, streams, table class,
// deletion protection, server-side encryption, point-in-time recovery, time to live and tags — what
// aws_dynamodb_table reads and writes. No items: the sandbox keeps configuration only, and every
// table is ACTIVE at once.
import { randomUUID } from 'node:crypto';
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import { json } from '../../protocol/json11';
import type { Tags } from '../../world';

interface KeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

interface Projection {
  ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
}

interface Throughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}

export interface DynamoIndex {
  IndexName: string;
  KeySchema: KeyElement[];
  Projection: Projection;
  /** Global indexes of provisioned tables only. */
  throughput?: Throughput;
}

export interface DynamoTable {
  name: string;
  region: string;
  tableId: string;
  attributes: Array<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  keySchema: KeyElement[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  throughput: Throughput;
  gsis: DynamoIndex[];
  lsis: DynamoIndex[];
  stream?: { viewType: string; label: string };
  tableClass: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
  deletionProtection: boolean;
  /** A customer or AWS managed KMS key; absent: encrypted with an AWS owned key. */
  sseKmsKey?: string;
  pitr: boolean;
  pitrDays?: number;
  ttl?: { attribute: string; enabled: boolean };
  createdAt: number;
  tags: Tags;
}

interface DynamoWorld {
  accountId: string;
  dynamodbTables?: Record<string, DynamoTable>;
}

type Handler = (ctx: CallContext, input: Record<string, unknown>) => unknown;

export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810';
export const DYNAMODB_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** DynamoDB's errors name their shape in its namespace (`com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`). */
export function renderDynamoError(err: ApiError): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${err.code}`, message: err.message }), headers: {} };
}

const invalid = (message: string): ApiError => new ApiError('ValidationException', message, 400);
const tablesOf = (w: DynamoWorld): Record<string, DynamoTable> => (w.dynamodbTables ??= {});
export const tableArn = (w: DynamoWorld, region: string, name: string): string => `arn:aws:dynamodb:${region}:${w.accountId}:table/${name}`;
const VIEW_TYPES = new Set(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']);

function tableFor(ctx: CallContext, name: string | undefined, action: string, record = true, code = 'ResourceNotFoundException'): DynamoTable {
  if (!name) throw invalid('1 validation error detected: Value null at \'tableName\' failed to satisfy constraint: Member must not be null');
  const tableName = name.startsWith('arn:') ? name.replace(/^arn:aws:dynamodb:[^:]+:\d{12}:table\//, '') : name;
  const arn = tableArn(ctx.world, ctx.region, tableName);
  if (record) ctx.trail.resources.push({ type: 'AWS::DynamoDB::Table', name: tableName, arn });
  ctx.authorize(action, arn);
  const t = tablesOf(ctx.world)[`${ctx.region}/${tableName}`];
  if (!t) throw new ApiError(code, code === 'TableNotFoundException' ? `Table not found: ${tableName}` : `Requested resource not found: Table: ${tableName} not found`, 400);
  return t;
}

function keySchema(value: unknown, what: string): KeyElement[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 2) throw invalid(`${what}: the key schema must have one HASH key and at most one RANGE key`);
  const keys = value.map((k) => {
    const e = k as Record<string, unknown>;
    if (typeof e.AttributeName !== 'string' || (e.KeyType !== 'HASH' && e.KeyType !== 'RANGE')) throw invalid(`${what}: invalid KeySchema element`);
    return { AttributeName: e.AttributeName, KeyType: e.KeyType } as KeyElement;
  });
  if (keys[0]!.KeyType !== 'HASH' || (keys[1] && keys[1].KeyType !== 'RANGE')) throw invalid(`Invalid KeySchema: The first KeySchemaElement is not a HASH key type`);
  return keys;
}

function throughputOf(value: unknown, what: string): Throughput {
  const t = (value ?? {}) as Record<string, unknown>;
  const r = t.ReadCapacityUnits;
  const w = t.WriteCapacityUnits;
  if (typeof r !== 'number' || typeof w !== 'number' || r < 1 || w < 1 || !Number.isInteger(r) || !Number.isInteger(w)) {
    throw invalid(`One or more parameter values were invalid: ${what}: ReadCapacityUnits and WriteCapacityUnits must both be integers of at least 1`);
  }
  return { ReadCapacityUnits: r, WriteCapacityUnits: w };
}

function projectionOf(value: unknown): Projection {
  const p = (value ?? {}) as Record<string, unknown>;
  if (p.ProjectionType !== 'ALL' && p.ProjectionType !== 'KEYS_ONLY' && p.ProjectionType !== 'INCLUDE') throw invalid('Projection: ProjectionType must be ALL, KEYS_ONLY or INCLUDE');
  const nonKey = p.NonKeyAttributes;
  if (p.ProjectionType === 'INCLUDE' && (!Array.isArray(nonKey) || nonKey.length === 0)) throw invalid('Projection: NonKeyAttributes must be given for INCLUDE');
  if (p.ProjectionType !== 'INCLUDE' && nonKey !== undefined) throw invalid('One or more parameter values were invalid: ProjectionType is ' + p.ProjectionType + ', but NonKeyAttributes is specified');
  return p.ProjectionType === 'INCLUDE' ? { ProjectionType: 'INCLUDE', NonKeyAttributes: (nonKey as string[]).map(String) } : { ProjectionType: p.ProjectionType };
}

function gsiOf(value: Record<string, unknown>, billing: DynamoTable['billingMode']): DynamoIndex {
  const name = json.str(value, 'IndexName');
  if (!name || !/^[A-Za-z0-9_.-]{3,255}$/.test(name)) throw invalid(`Invalid index name: ${name ?? '(none)'}`);
  const index: DynamoIndex = { IndexName: name, KeySchema: keySchema(value.KeySchema, name), Projection: projectionOf(value.Projection) };
  if (billing === 'PROVISIONED') index.throughput = throughputOf(value.ProvisionedThroughput, `index ${name}`);
  else if (value.ProvisionedThroughput !== undefined) throw invalid('One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: ' + name + ' when BillingMode is PAY_PER_REQUEST');
  return index;
}

/** Every attribute defined must be a key of the table or an index, and every key attribute defined. */
function checkAttributes(t: Pick<DynamoTable, 'attributes' | 'keySchema' | 'gsis' | 'lsis'>): void {
  const used = new Set([...t.keySchema, ...t.gsis.flatMap((g) => g.KeySchema), ...t.lsis.flatMap((l) => l.KeySchema)].map((k) => k.AttributeName));
  const defined = new Set(t.attributes.map((a) => a.AttributeName));
  const missing = [...used].filter((a) => !defined.has(a));
  if (missing.length) throw invalid(`One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], AttributeDefinitions: [${[...defined].join(', ')}]`);
  const unused = [...defined].filter((a) => !used.has(a));
  if (unused.length) throw invalid('One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
}

function attributeDefinitions(value: unknown): DynamoTable['attributes'] {
  if (!Array.isArray(value) || value.length === 0) throw invalid('1 validation error detected: Value null at \'attributeDefinitions\' failed to satisfy constraint: Member must not be null');
  return value.map((a) => {
    const e = a as Record<string, unknown>;
    if (typeof e.AttributeName !== 'string' || !['S', 'N', 'B'].includes(String(e.AttributeType))) throw invalid('AttributeDefinitions: each needs an AttributeName and an AttributeType of S, N or B');
    return { AttributeName: e.AttributeName, AttributeType: e.AttributeType as 'S' | 'N' | 'B' };
  });
}

function tagList(value: unknown): Tags {
  if (value === undefined) return {};
  if (!Array.isArray(value)) throw invalid('Tags must be a list');
  const out: Tags = {};
  for (const t of value) {
    const e = t as Record<string, unknown>;
    if (typeof e.Key !== 'string' || typeof e.Value !== 'string') throw invalid('Each tag needs a Key and a Value');
    if (e.Key.startsWith('aws:')) throw invalid(`Tag keys starting with 'aws:' are reserved: ${e.Key}`);
    out[e.Key] = e.Value;
  }
  return out;
}

function streamOf(value: unknown, current: DynamoTable['stream']): DynamoTable['stream'] | 'unchanged' {
  if (value === undefined) return 'unchanged';
  const s = value as Record<string, unknown>;
  if (s.StreamEnabled === true) {
    if (!VIEW_TYPES.has(String(s.StreamViewType))) throw invalid('One or more parameter values were invalid: StreamViewType must be KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES');
    if (current) throw invalid('Table already has an enabled stream');
    return { viewType: String(s.StreamViewType), label: new Date().toISOString().replace(/Z$/, '') };
  }
  if (s.StreamEnabled === false) {
    if (s.StreamViewType !== undefined) throw invalid('One or more parameter values were invalid: StreamViewType cannot be specified when StreamEnabled is false');
    if (!current) throw invalid('Table already has a disabled stream');
    return undefined;
  }
  throw invalid('StreamSpecification: StreamEnabled must be given');
}

function sseKey(ctx: CallContext, value: unknown): string | undefined {
  const s = (value ?? {}) as Record<string, unknown>;
  if (s.Enabled !== true) return undefined;
  const key = typeof s.KMSMasterKeyId === 'string' ? s.KMSMasterKeyId : 'alias/aws/dynamodb';
  return key.startsWith('arn:') ? key : `arn:aws:kms:${ctx.region}:${ctx.world.accountId}:key/${key.replace(/^alias\//, 'alias-')}`;
}

function description(ctx: CallContext, t: DynamoTable): Record<string, unknown> {
  const arn = tableArn(ctx.world, t.region, t.name);
  const throughput = (p: Throughput | undefined) => ({ NumberOfDecreasesToday: 0, ReadCapacityUnits: p?.ReadCapacityUnits ?? 0, WriteCapacityUnits: p?.WriteCapacityUnits ?? 0 });
  return {
    AttributeDefinitions: t.attributes, TableName: t.name, KeySchema: t.keySchema, TableStatus: 'ACTIVE', CreationDateTime: t.createdAt,
    ProvisionedThroughput: throughput(t.billingMode === 'PROVISIONED' ? t.throughput : undefined), TableSizeBytes: 0, ItemCount: 0, TableArn: arn, TableId: t.tableId,
    BillingModeSummary: { BillingMode: t.billingMode },
    ...(t.lsis.length ? { LocalSecondaryIndexes: t.lsis.map((l) => ({ IndexName: l.IndexName, KeySchema: l.KeySchema, Projection: l.Projection, IndexSizeBytes: 0, ItemCount: 0, IndexArn: `${arn}/index/${l.IndexName}` })) } : {}),
    ...(t.gsis.length ? {
      GlobalSecondaryIndexes: t.gsis.map((g) => ({
        IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection, IndexStatus: 'ACTIVE', ProvisionedThroughput: throughput(g.throughput),
        IndexSizeBytes: 0, ItemCount: 0, IndexArn: `${arn}/index/${g.IndexName}`,
      })),
    } : {}),
    ...(t.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: t.stream.viewType }, LatestStreamLabel: t.stream.label, LatestStreamArn: `${arn}/stream/${t.stream.label}` } : {}),
    ...(t.sseKmsKey ? { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: t.sseKmsKey } } : {}),
    TableClassSummary: { TableClass: t.tableClass },
    DeletionProtectionEnabled: t.deletionProtection,
  };
}

const operations: Record<string, Handler> = {
  CreateTable(ctx, input) {
    const name = json.str(input, 'TableName');
    if (!name || !/^[A-Za-z0-9_.-]{3,255}$/.test(name)) throw invalid(`TableName must be 3 to 255 characters of [a-zA-Z0-9_.-]: ${name ?? '(none)'}`);
    const arn = tableArn(ctx.world, ctx.region, name);
    ctx.trail.resources.push({ type: 'AWS::DynamoDB::Table', name, arn });
    ctx.authorize('dynamodb:CreateTable', arn);
    const tables = tablesOf(ctx.world);
    if (tables[`${ctx.region}/${name}`]) throw new ApiError('ResourceInUseException', `Table already exists: ${name}`, 400);
    const billingMode = (json.str(input, 'BillingMode') ?? 'PROVISIONED') as DynamoTable['billingMode'];
    if (billingMode !== 'PROVISIONED' && billingMode !== 'PAY_PER_REQUEST') throw invalid(`Invalid BillingMode: ${billingMode}`);
    if (billingMode === 'PAY_PER_REQUEST' && input.ProvisionedThroughput !== undefined) {
      throw invalid('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
    const keys = keySchema(input.KeySchema, 'KeySchema');
    const t: DynamoTable = {
      name, region: ctx.region, tableId: randomUUID(), attributes: attributeDefinitions(input.AttributeDefinitions), keySchema: keys, billingMode,
      throughput: billingMode === 'PROVISIONED' ? throughputOf(input.ProvisionedThroughput, 'table') : { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      gsis: (json.list(input, 'GlobalSecondaryIndexes') ?? []).map((g) => gsiOf(g, billingMode)),
      lsis: (json.list(input, 'LocalSecondaryIndexes') ?? []).map((l) => {
        const ks = keySchema(l.KeySchema, String(l.IndexName));
        if (ks[0]!.AttributeName !== keys[0]!.AttributeName || ks.length !== 2) throw invalid('One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema');
        return { IndexName: String(l.IndexName), KeySchema: ks, Projection: projectionOf(l.Projection) };
      }),
      tableClass: (json.str(input, 'TableClass') ?? 'STANDARD') as DynamoTable['tableClass'],
      deletionProtection: input.DeletionProtectionEnabled === true, sseKmsKey: sseKey(ctx, input.SSESpecification), pitr: false,
      createdAt: Math.floor(ctx.now.getTime() / 1000), tags: tagList(input.Tags),
    };
    if (t.lsis.length && keys.length < 2) throw invalid('One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
    if (!['STANDARD', 'STANDARD_INFREQUENT_ACCESS'].includes(t.tableClass)) throw invalid(`Invalid TableClass: ${t.tableClass}`);
    checkAttributes(t);
    const stream = streamOf(input.StreamSpecification, undefined);
    if (stream !== 'unchanged') t.stream = stream;
    tables[`${ctx.region}/${name}`] = t;
    return { TableDescription: description(ctx, t) };
  },
  DescribeTable(ctx, input) {
    return { Table: description(ctx, tableFor(ctx, json.str(input, 'TableName'), 'dynamodb:DescribeTable', false)) };
  },
  ListTables(ctx, input) {
    ctx.authorize('dynamodb:ListTables', '*');
    const limit = json.int(input, 'Limit') ?? 100;
    if (limit < 1 || limit > 100) throw invalid('1 validation error detected: Value at \'limit\' failed to satisfy constraint: Member must have value less than or equal to 100');
    const start = json.str(input, 'ExclusiveStartTableName');
    const names = Object.values(tablesOf(ctx.world)).filter((t) => t.region === ctx.region).map((t) => t.name).sort().filter((n) => start === undefined || n > start);
    const page = names.slice(0, limit);
    return { TableNames: page, ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}) };
  },
  UpdateTable(ctx, input) {
    const t = tableFor(ctx, json.str(input, 'TableName'), 'dynamodb:UpdateTable');
    const billingMode = (json.str(input, 'BillingMode') ?? t.billingMode) as DynamoTable['billingMode'];
    if (billingMode !== 'PROVISIONED' && billingMode !== 'PAY_PER_REQUEST') throw invalid(`Invalid BillingMode: ${billingMode}`);
    const next: DynamoTable = structuredClone(t);
    if (billingMode === 'PAY_PER_REQUEST') {
      if (input.ProvisionedThroughput !== undefined) throw invalid('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
      next.throughput = { ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
      for (const g of next.gsis) delete g.throughput;
    } else if (input.ProvisionedThroughput !== undefined) {
      next.throughput = throughputOf(input.ProvisionedThroughput, 'table');
    } else if (t.billingMode === 'PAY_PER_REQUEST') {
      throw invalid('One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
    }
    next.billingMode = billingMode;
    if (input.AttributeDefinitions !== undefined) {
      const merged = new Map(next.attributes.map((a) => [a.AttributeName, a]));
      for (const a of attributeDefinitions(input.AttributeDefinitions)) merged.set(a.AttributeName, a);
      next.attributes = [...merged.values()];
    }
    const updates = json.list(input, 'GlobalSecondaryIndexUpdates') ?? [];
    if (updates.filter((u) => u.Create || u.Delete).length > 1) throw new ApiError('LimitExceededException', 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table', 400);
    for (const u of updates) {
      if (u.Create) {
        const g = gsiOf(u.Create as Record<string, unknown>, billingMode);
        if (next.gsis.some((x) => x.IndexName === g.IndexName)) throw invalid(`One or more parameter values were invalid: Index ${g.IndexName} already exists`);
        next.gsis.push(g);
      } else if (u.Delete) {
        const name = String((u.Delete as Record<string, unknown>).IndexName);
        if (!next.gsis.some((x) => x.IndexName === name)) throw new ApiError('ResourceNotFoundException', `Requested resource not found: Index: ${name} not found`, 400);
        next.gsis = next.gsis.filter((x) => x.IndexName !== name);
      } else if (u.Update) {
        const upd = u.Update as Record<string, unknown>;
        const g = next.gsis.find((x) => x.IndexName === upd.IndexName);
        if (!g) throw new ApiError('ResourceNotFoundException', `Requested resource not found: Index: ${String(upd.IndexName)} not found`, 400);
        if (billingMode !== 'PROVISIONED') throw invalid('One or more parameter values were invalid: ProvisionedThroughput cannot be specified for index when BillingMode is PAY_PER_REQUEST');
        g.throughput = throughputOf(upd.ProvisionedThroughput, `index ${g.IndexName}`);
      }
    }
    if (billingMode === 'PROVISIONED') for (const g of next.gsis) if (!g.throughput) throw invalid(`One or more parameter values were invalid: ProvisionedThroughput must be specified for index: ${g.IndexName}`);
    // Attribute definitions only the removed indexes used are dropped, as DynamoDB does.
    const used = new Set([...next.keySchema, ...next.gsis.flatMap((g) => g.KeySchema), ...next.lsis.flatMap((l) => l.KeySchema)].map((k) => k.AttributeName));
    next.attributes = next.attributes.filter((a) => used.has(a.AttributeName));
    checkAttributes(next);
    const stream = streamOf(input.StreamSpecification, t.stream);
    if (stream !== 'unchanged') next.stream = stream;
    const tableClass = json.str(input, 'TableClass');
    if (tableClass !== undefined) {
      if (!['STANDARD', 'STANDARD_INFREQUENT_ACCESS'].includes(tableClass)) throw invalid(`Invalid TableClass: ${tableClass}`);
      next.tableClass = tableClass as DynamoTable['tableClass'];
    }
    if (input.DeletionProtectionEnabled !== undefined) {
      if (typeof input.DeletionProtectionEnabled !== 'boolean') throw invalid('DeletionProtectionEnabled must be a boolean');
      next.deletionProtection = input.DeletionProtectionEnabled;
    }
    if (input.SSESpecification !== undefined) next.sseKmsKey = sseKey(ctx, input.SSESpecification);
    Object.assign(t, next);
    return { TableDescription: description(ctx, t) };
  },
  DeleteTable(ctx, input) {
    const t = tableFor(ctx, json.str(input, 'TableName'), 'dynamodb:DeleteTable');
    if (t.deletionProtection) throw invalid(`Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`);
    delete tablesOf(ctx.world)[`${t.region}/${t.name}`];
    return { TableDescription: { ...description(ctx, t), TableStatus: 'DELETING' } };
  },
  DescribeContinuousBackups(ctx, input) {
    const t = tableFor(ctx, json.str(input, 'TableName'), 'dynamodb:DescribeContinuousBackups', false, 'TableNotFoundException');
    return { ContinuousBackupsDescription: continuousBackups(t) };
  },
  UpdateContinuousBackups(ctx, input) {
    const t = tableFor(ctx, json.str(input, 'TableName'), 'dynamodb:UpdateContinuousBackups', true, 'TableNotFoundException');
    const spec = (input.PointInTimeRecoverySpecification ?? {}) as Record<string, unknown>;
    if (typeof spec.PointInTimeRecoveryEnabled !== 'boolean') throw invalid('PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled must be given');
    const days = spec.RecoveryPeriodInDays;
    if (days !== undefined && (typeof days !== 'number' || days < 1 || days > 35)) throw invalid('RecoveryPeriodInDays must be between 1 and 35');
    t.pitr = spec.PointInTimeRecoveryEnabled;
    t.pitrDays = t.pitr ? (days as number | undefined) ?? 35 : undefined;
    return { ContinuousBackupsDescription: continuousBackups(t) };
  },
  DescribeTimeToLive(ctx, input) {
    const t = tableFor(ctx, json.str(input, 'TableName'), 'dynamodb:DescribeTimeToLive', false);
    return { TimeToLiveDescription: t.ttl?.enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: t.ttl.attribute } : { TimeToLiveStatus: 'DISABLED' } };
  },
  UpdateTimeToLive(ctx, input) {
    const t = tableFor(ctx, json.str(input, 'TableName'), 'dynamodb:UpdateTimeToLive');
    const spec = (input.TimeToLiveSpecification ?? {}) as Record<string, unknown>;
    if (typeof spec.Enabled !== 'boolean' || typeof spec.AttributeName !== 'string' || !spec.AttributeName) throw invalid('TimeToLiveSpecification needs Enabled and AttributeName');
    if (spec.Enabled && t.ttl?.enabled) throw invalid('TimeToLive is already enabled');
    if (!spec.Enabled && !t.ttl?.enabled) throw invalid('TimeToLive is already disabled');
    if (!spec.Enabled && t.ttl && t.ttl.attribute !== spec.AttributeName) throw invalid(`TimeToLive is enabled on attribute ${t.ttl.attribute}, not ${spec.AttributeName}`);
    t.ttl = { attribute: spec.AttributeName, enabled: spec.Enabled };
    return { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } };
  },
  TagResource(ctx, input) {
    const t = tableFor(ctx, json.str(input, 'ResourceArn'), 'dynamodb:TagResource');
    const tags = { ...t.tags, ...tagList(input.Tags) };
    if (Object.keys(tags).length > 50) throw new ApiError('LimitExceededException', 'Too many tags: at most 50 per resource', 400);
    t.tags = tags;
    return {};
  },
  UntagResource(ctx, input) {
    const t = tableFor(ctx, json.str(input, 'ResourceArn'), 'dynamodb:UntagResource');
    const keys = json.strings(input, 'TagKeys') ?? [];
    t.tags = Object.fromEntries(Object.entries(t.tags).filter(([k]) => !keys.includes(k)));
    return {};
  },
  ListTagsOfResource(ctx, input) {
    const t = tableFor(ctx, json.str(input, 'ResourceArn'), 'dynamodb:ListTagsOfResource', false);
    return { Tags: Object.entries(t.tags).map(([Key, Value]) => ({ Key, Value })) };
  },
};

function continuousBackups(t: DynamoTable): Record<string, unknown> {
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: t.pitr
      ? { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: t.pitrDays ?? 35, EarliestRestorableDateTime: t.createdAt, LatestRestorableDateTime: t.createdAt }
      : { PointInTimeRecoveryStatus: 'DISABLED' },
  };
}

/** CloudTrail records DynamoDB's request parameters with lowerCamelCase names (`tableName`, `billingMode`). */
function recorded(handler: Handler): Handler {
  return (ctx, input) => {
    ctx.trail.requestParameters = Object.fromEntries(Object.entries(input).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]));
    return handler(ctx, input);
  };
}

export const dynamodbOperations: Record<string, Handler> = Object.fromEntries(Object.entries(operations).map(([name, h]) => [name, recorded(h)]));
