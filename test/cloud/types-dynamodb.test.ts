// aws_dynamodb_table against the sandbox with the real SDK (JSON 1.0): the per-type contract;
// unset arguments with provider defaults are no drift; PITR and TTL are read only when declared;
// a deleted table is missing; DynamoDB's error codes and CloudTrail records.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DeleteTableCommand, DescribeContinuousBackupsCommand, DynamoDBClient, TagResourceCommand, UpdateContinuousBackupsCommand, UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { ApplicationAutoScalingClient, DeregisterScalableTargetCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import type { StateInstance } from '../../server/src/model';
import { LiveReader } from '../../server/src/cloud/reader';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import { diff } from '../drift/helpers';
import { contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let ddb: DynamoDBClient;
const tableArn = (name: string) => `arn:aws:dynamodb:${env.sandbox.region}:${env.sandbox.accountId}:table/${name}`;

/** As the AWS provider v5 records them after apply. */
const state = (): StateInstance[] => [
  inst('aws_dynamodb_table', 'orders', {
    id: 'orders', name: 'orders', arn: tableArn('orders'), billing_mode: 'PROVISIONED', read_capacity: 5, write_capacity: 5, hash_key: 'pk', range_key: 'sk',
    attribute: [{ name: 'pk', type: 'S' }, { name: 'sk', type: 'S' }, { name: 'gsi1pk', type: 'S' }],
    global_secondary_index: [{ name: 'by-gsi1', hash_key: 'gsi1pk', range_key: '', projection_type: 'ALL', non_key_attributes: [], read_capacity: 2, write_capacity: 2 }],
    local_secondary_index: [], stream_enabled: true, stream_view_type: 'NEW_AND_OLD_IMAGES', table_class: 'STANDARD', deletion_protection_enabled: false,
    point_in_time_recovery: [{ enabled: true, recovery_period_in_days: 35 }], ttl: [{ attribute_name: 'expires', enabled: true }],
    server_side_encryption: [], replica: [], tags: { Team: 'orders' }, tags_all: { Team: 'orders' },
  }),
  inst('aws_dynamodb_table', 'sessions', {
    id: 'sessions', name: 'sessions', arn: tableArn('sessions'), billing_mode: 'PAY_PER_REQUEST', read_capacity: 0, write_capacity: 0, hash_key: 'id', range_key: '',
    attribute: [{ name: 'id', type: 'S' }], global_secondary_index: [], local_secondary_index: [], stream_enabled: false, stream_view_type: '',
    table_class: 'STANDARD', deletion_protection_enabled: false, point_in_time_recovery: [{ enabled: false, recovery_period_in_days: 0 }],
    ttl: [{ attribute_name: '', enabled: false }], server_side_encryption: [], tags: {}, tags_all: {},
  }),
];

before(async () => {
  env = await startTypeSandbox(['dynamodb:*', 'application-autoscaling:*']);
  ddb = env.sdk(DynamoDBClient);
  // The calls the provider makes on apply for the state above.
  await ddb.send(new CreateTableCommand({
    TableName: 'orders', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'gsi1pk', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'by-gsi1', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }, TableClass: 'STANDARD', Tags: [{ Key: 'Team', Value: 'orders' }],
  }));
  await ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  await ddb.send(new UpdateTimeToLiveCommand({ TableName: 'orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
  await ddb.send(new CreateTableCommand({
    TableName: 'sessions', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  }));
});

after(async () => {
  await env?.sandbox.stop();
});

contractTests({
  title: 'aws_dynamodb_table',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_dynamodb_table.orders read_capacity', change: () => ddb.send(new UpdateTableCommand({ TableName: 'orders', ProvisionedThroughput: { ReadCapacityUnits: 50, WriteCapacityUnits: 5 } })) },
    { drift: 'aws_dynamodb_table.orders stream_view_type', change: async () => {
      await ddb.send(new UpdateTableCommand({ TableName: 'orders', StreamSpecification: { StreamEnabled: false } }));
      await ddb.send(new UpdateTableCommand({ TableName: 'orders', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    } },
    { drift: 'aws_dynamodb_table.orders point_in_time_recovery', change: () => ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } })) },
    { drift: 'aws_dynamodb_table.orders ttl', change: () => ddb.send(new UpdateTimeToLiveCommand({ TableName: 'orders', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } })) },
    { drift: 'aws_dynamodb_table.orders tags', change: () => ddb.send(new TagResourceCommand({ ResourceArn: tableArn('orders'), Tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
    // Provisioning an on-demand table gives it capacities too (the state records 0 for on-demand).
    { drift: ['aws_dynamodb_table.sessions billing_mode', 'aws_dynamodb_table.sessions read_capacity', 'aws_dynamodb_table.sessions write_capacity'], change: () => ddb.send(new UpdateTableCommand({ TableName: 'sessions', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })) },
    { drift: 'aws_dynamodb_table.sessions deletion_protection_enabled', change: () => ddb.send(new UpdateTableCommand({ TableName: 'sessions', DeletionProtectionEnabled: true })) },
    { drift: 'aws_dynamodb_table.sessions table_class', change: () => ddb.send(new UpdateTableCommand({ TableName: 'sessions', TableClass: 'STANDARD_INFREQUENT_ACCESS' })) },
  ],
});

const MINIMAL_HCL = `resource "aws_dynamodb_table" "sessions" {
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
`;

test('unset arguments take the provider defaults: no drift; an index added by hand is drift on global_secondary_index, which Revert does not rebuild', async () => {
  const instances = state().filter((i) => i.name === 'sessions');
  const live = async () => {
    const snapshot = await readLive(env.clients, instances, { declared: false });
    const entry = snapshot.get('aws_dynamodb_table.sessions');
    assert.equal(entry?.status, 'found');
    return entry?.status === 'found' ? [entry.resource] : [];
  };
  const clean = await diff({ files: { 'main.tf': MINIMAL_HCL }, state: instances, live: await live() });
  assert.deepEqual(clean.drifts.map((d) => d.attributePath.join('.')), []);
  assert.equal(clean.checked, 1);
  await ddb.send(new UpdateTableCommand({
    TableName: 'sessions', AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-email', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
  }));
  try {
    const changed = await diff({ files: { 'main.tf': MINIMAL_HCL }, state: instances, live: await live() });
    assert.deepEqual(changed.drifts.map((d) => d.attributePath[0]).sort(), ['attribute', 'global_secondary_index']);
    const gsi = changed.drifts.find((d) => d.attributePath[0] === 'global_secondary_index');
    assert.match(JSON.stringify(gsi?.difference), /by-email/);
    const type = RESOURCE_TYPES.get('aws_dynamodb_table')!;
    const entry = (await readLive(env.clients, instances, { declared: false })).get('aws_dynamodb_table.sessions');
    assert.ok(entry?.status === 'found');
    const outcome = await type.revert({ id: 'sessions', state: instances[0]!, live: entry.resource, attribute: 'global_secondary_index', declared: [] }, env.clients);
    assert.equal(outcome.ok, false);
    assert.match(outcome.message, /does not rebuild indexes/);
  } finally {
    await ddb.send(new UpdateTableCommand({ TableName: 'sessions', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-email' } }] }));
  }
});

test('one DescribeTable per table; DescribeContinuousBackups and DescribeTimeToLive only when the block declares them; a deleted table is missing', async () => {
  env.sandbox.resetStats();
  await readLive(env.clients, state(), { declared: false });
  let stats = env.sandbox.stats();
  assert.equal(stats['dynamodb:DescribeTable'], 2);
  assert.equal(stats['dynamodb:DescribeContinuousBackups'], 2);
  assert.equal(stats['tagging:GetResources'], 1, 'both tables\' tags in one Tagging API call');
  assert.equal(stats['dynamodb:ListTagsOfResource'], 1, 'only the untagged table: the Tagging API lists tagged objects only');
  env.sandbox.resetStats();
  const bare = state().map((i) => ({ ...i, attributes: { ...i.attributes, point_in_time_recovery: undefined, ttl: undefined } }));
  await new LiveReader(env.clients, RESOURCE_TYPES).read(bare, { needs: new Map(bare.map((i) => [i.address, new Set(['name', 'hash_key', 'attribute'])])) });
  stats = env.sandbox.stats();
  assert.equal(stats['dynamodb:DescribeTable'], 2);
  assert.equal(stats['dynamodb:DescribeContinuousBackups'], undefined);
  assert.equal(stats['dynamodb:DescribeTimeToLive'], undefined);

  await ddb.send(new CreateTableCommand({ TableName: 'gone', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }));
  await ddb.send(new DeleteTableCommand({ TableName: 'gone' }));
  const snapshot = await readLive(env.clients, [inst('aws_dynamodb_table', 'gone', { name: 'gone' })], { declared: false });
  assert.equal(snapshot.get('aws_dynamodb_table.gone')?.status, 'missing');
});

test('the sandbox answers DynamoDB with its error codes and records writes in CloudTrail with camelCase parameters', async () => {
  await assert.rejects(ddb.send(new UpdateTableCommand({ TableName: 'nope', TableClass: 'STANDARD' })), { name: 'ResourceNotFoundException' });
  await assert.rejects(ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'nope' })), { name: 'TableNotFoundException' });
  await assert.rejects(ddb.send(new CreateTableCommand({ TableName: 'orders', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })), { name: 'ResourceInUseException' });
  await assert.rejects(ddb.send(new CreateTableCommand({
    TableName: 'bad', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'unused', AttributeType: 'S' }],
  })), { name: 'ValidationException' });
  await assert.rejects(ddb.send(new UpdateTimeToLiveCommand({ TableName: 'orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })), { name: 'ValidationException' });
  const update = env.sandbox.world.events.find((e) => e.eventSource === 'dynamodb.amazonaws.com' && e.eventName === 'UpdateTable' && !JSON.parse(e.cloudTrailEvent).errorCode);
  assert.ok(update, 'UpdateTable is recorded');
  assert.ok(update.resources.some((r) => r.name === 'orders' || r.name === 'sessions'));
  assert.equal(typeof JSON.parse(update.cloudTrailEvent).requestParameters.tableName, 'string');
});

const CAPACITY_HCL = `resource "aws_dynamodb_table" "orders" {
  name           = "orders"
  hash_key       = "pk"
  range_key      = "sk"
  read_capacity  = 5
  write_capacity = 5
}
`;

test('capacity auto scaling moved is a hint naming the scalable target; a capacity nobody scales is drift', async () => {
  const scaling = env.sdk(ApplicationAutoScalingClient);
  const target = { ServiceNamespace: 'dynamodb' as const, ResourceId: 'table/orders', ScalableDimension: 'dynamodb:table:ReadCapacityUnits' as const };
  await scaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 5, MaxCapacity: 100 }));
  await ddb.send(new UpdateTableCommand({ TableName: 'orders', ProvisionedThroughput: { ReadCapacityUnits: 40, WriteCapacityUnits: 9 } }));
  try {
    const instances = state().filter((i) => i.name === 'orders');
    const entry = (await readLive(env.clients, instances, { declared: false })).get('aws_dynamodb_table.orders');
    assert.ok(entry?.status === 'found');
    const report = await diff({ files: { 'main.tf': CAPACITY_HCL }, state: instances, live: [entry.resource] });
    const byAttribute = new Map(report.drifts.map((d) => [d.attributePath[0], d]));
    assert.equal(byAttribute.get('read_capacity')?.suppressed?.source, 'aws');
    assert.match(byAttribute.get('read_capacity')?.suppressed?.reason ?? '', /scalable target table\/orders/);
    assert.equal(byAttribute.get('write_capacity')?.suppressed, undefined, 'no target scales the write capacity: drift');
    assert.notEqual(byAttribute.get('write_capacity')?.severity, 'hint');
  } finally {
    await scaling.send(new DeregisterScalableTargetCommand(target));
    await ddb.send(new UpdateTableCommand({ TableName: 'orders', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }));
  }
});
