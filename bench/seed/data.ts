// DynamoDB: one unit is a table — provisioned with a global secondary index and a stream, or on
// demand — declaring point-in-time recovery, as production tables do.
import { CreateTableCommand, DynamoDBClient, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { clientFor, tagsFor, type Seeder } from './seeder';
import { pick, resourceBlock, slug, tagList, TEAMS, type Body } from './block-text';

export const dynamodbSeeder: Seeder = {
  family: 'dynamodb',
  types: ['aws_dynamodb_table'],
  readActions: ['dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups', 'dynamodb:DescribeTimeToLive', 'dynamodb:ListTagsOfResource'],

  async seedUnit(target, suffix, random) {
    const ddb = clientFor(DynamoDBClient, target);
    const s = slug(suffix);
    const team = pick(TEAMS, random);
    const tableName = `bench-${team}-${s}`;
    const name = `table_${suffix}`;
    const { tags, tagsAll } = tagsFor(tableName, { Team: team });
    const provisioned = random() < 0.5;
    const pitr = random() < 0.5;
    const capacity = 1 + Math.floor(random() * 10);
    let streamArn = '';
    if (provisioned) {
      const created = await ddb.send(new CreateTableCommand({
        TableName: tableName, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: capacity, WriteCapacityUnits: capacity },
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'gsi1pk', AttributeType: 'S' }],
        GlobalSecondaryIndexes: [{ IndexName: 'by-gsi1', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }, Tags: tagList(tagsAll),
      }));
      streamArn = created.TableDescription?.LatestStreamArn ?? '';
    } else {
      await ddb.send(new CreateTableCommand({
        TableName: tableName, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        Tags: tagList(tagsAll),
      }));
    }
    if (pitr) await ddb.send(new UpdateContinuousBackupsCommand({ TableName: tableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    const arn = `arn:aws:dynamodb:${target.region}:${target.account}:table/${tableName}`;
    const pitrBlock = { block: 'point_in_time_recovery', body: [['enabled', pitr]] as Body };
    const hcl = provisioned
      ? resourceBlock('aws_dynamodb_table', name, [
        ['name', tableName], ['billing_mode', 'PROVISIONED'], ['read_capacity', capacity], ['write_capacity', capacity], ['hash_key', 'pk'], ['range_key', 'sk'],
        ['stream_enabled', true], ['stream_view_type', 'NEW_AND_OLD_IMAGES'],
        { block: 'attribute', body: [['name', 'pk'], ['type', 'S']] }, { block: 'attribute', body: [['name', 'sk'], ['type', 'S']] },
        { block: 'attribute', body: [['name', 'gsi1pk'], ['type', 'S']] },
        { block: 'global_secondary_index', body: [['name', 'by-gsi1'], ['hash_key', 'gsi1pk'], ['projection_type', 'ALL'], ['read_capacity', 1], ['write_capacity', 1]] },
        pitrBlock, ['tags', tags],
      ])
      : resourceBlock('aws_dynamodb_table', name, [
        ['name', tableName], ['billing_mode', 'PAY_PER_REQUEST'], ['hash_key', 'id'], { block: 'attribute', body: [['name', 'id'], ['type', 'S']] }, pitrBlock, ['tags', tags],
      ]);
    const attributes = provisioned
      ? {
        id: tableName, name: tableName, arn, billing_mode: 'PROVISIONED', read_capacity: capacity, write_capacity: capacity, hash_key: 'pk', range_key: 'sk',
        attribute: [{ name: 'gsi1pk', type: 'S' }, { name: 'pk', type: 'S' }, { name: 'sk', type: 'S' }],
        global_secondary_index: [{ name: 'by-gsi1', hash_key: 'gsi1pk', range_key: '', projection_type: 'ALL', non_key_attributes: [], read_capacity: 1, write_capacity: 1 }],
        local_secondary_index: [], stream_enabled: true, stream_view_type: 'NEW_AND_OLD_IMAGES', stream_arn: streamArn, stream_label: streamArn.split('/stream/')[1] ?? '',
      }
      : {
        id: tableName, name: tableName, arn, billing_mode: 'PAY_PER_REQUEST', read_capacity: 0, write_capacity: 0, hash_key: 'id', range_key: '',
        attribute: [{ name: 'id', type: 'S' }], global_secondary_index: [], local_secondary_index: [], stream_enabled: false, stream_view_type: '', stream_arn: '', stream_label: '',
      };
    return [{
      type: 'aws_dynamodb_table', name, hcl,
      attributes: {
        ...attributes, table_class: 'STANDARD', deletion_protection_enabled: false,
        point_in_time_recovery: [{ enabled: pitr, recovery_period_in_days: pitr ? 35 : 0 }], ttl: [{ attribute_name: '', enabled: false }],
        server_side_encryption: [], replica: [], restore_date_time: null, restore_source_name: null, restore_to_latest_time: null, import_table: [], timeouts: null,
        tags, tags_all: tagsAll,
      },
    }];
  },

  lowerBound(byType) {
    const tables = byType.aws_dynamodb_table ?? 0;
    return {
      // DynamoDB has no call that describes many tables, nor a batch read of continuous backups
      // (every seeded table declares point_in_time_recovery): one call of each per table.
      'dynamodb:DescribeTable': tables,
      'dynamodb:DescribeContinuousBackups': tables,
    };
  },
};
