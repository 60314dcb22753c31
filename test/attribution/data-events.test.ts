// The attribution table for the data types' write calls: which attributes an RDS, DynamoDB or
// ElastiCache CloudTrail event can explain, narrowed by the request parameters it names — also
// where the API's parameter name is not the attribute's (`dBInstanceClass` → instance_class).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributesChangedBy, eventExplains } from '../../server/src/attribution/event-attributes';

test('ModifyDBInstance explains the settings its request names, under their API names too', () => {
  assert.ok(eventExplains({ eventName: 'ModifyDBInstance', parameterNames: ['dBInstanceIdentifier', 'dBInstanceClass', 'allocatedStorage', 'applyImmediately'] }, ['instance_class']));
  assert.ok(eventExplains({ eventName: 'ModifyDBInstance', parameterNames: ['dBInstanceIdentifier', 'dBInstanceClass', 'allocatedStorage'] }, ['allocated_storage']));
  assert.ok(!eventExplains({ eventName: 'ModifyDBInstance', parameterNames: ['dBInstanceIdentifier', 'dBInstanceClass', 'allocatedStorage'] }, ['backup_retention_period']));
  assert.ok(eventExplains({ eventName: 'ModifyDBInstance', parameterNames: ['dBInstanceIdentifier', 'preferredMaintenanceWindow'] }, ['maintenance_window']));
  assert.ok(eventExplains({ eventName: 'ModifyDBInstance', parameterNames: ['dBInstanceIdentifier', 'cloudwatchLogsExportConfiguration'] }, ['enabled_cloudwatch_logs_exports']));
  assert.ok(!eventExplains({ eventName: 'ModifyDBInstance' }, ['tags']));
  assert.ok(eventExplains({ eventName: 'AddTagsToResource' }, ['tags']));
  assert.ok(eventExplains({ eventName: 'DeleteDBInstance' }, []));
  assert.ok(!eventExplains({ eventName: 'DeleteDBInstance' }, ['instance_class']));
});

test('parameter group, subnet group, cluster, table and replication group writes map to their attributes', () => {
  assert.deepEqual(attributesChangedBy({ eventName: 'ModifyDBParameterGroup' }), ['parameter']);
  assert.deepEqual(attributesChangedBy({ eventName: 'ResetDBClusterParameterGroup' }), ['parameter']);
  assert.deepEqual(attributesChangedBy({ eventName: 'ModifyDBSubnetGroup', parameterNames: ['dBSubnetGroupName', 'dBSubnetGroupDescription', 'subnetIds'] }), ['description', 'subnet_ids']);
  assert.ok(eventExplains({ eventName: 'ModifyDBCluster', parameterNames: ['dBClusterIdentifier', 'deletionProtection'] }, ['deletion_protection']));
  assert.ok(!eventExplains({ eventName: 'ModifyDBCluster', parameterNames: ['dBClusterIdentifier', 'deletionProtection'] }, ['port']));
  assert.ok(eventExplains({ eventName: 'UpdateTable', parameterNames: ['tableName', 'provisionedThroughput'] }, ['read_capacity']));
  assert.ok(!eventExplains({ eventName: 'UpdateTable', parameterNames: ['tableName', 'provisionedThroughput'] }, ['stream_enabled']));
  assert.ok(eventExplains({ eventName: 'UpdateTimeToLive' }, ['ttl']));
  assert.ok(eventExplains({ eventName: 'UpdateContinuousBackups' }, ['point_in_time_recovery']));
  assert.ok(eventExplains({ eventName: 'ModifyReplicationGroup', parameterNames: ['replicationGroupId', 'cacheNodeType', 'applyImmediately'] }, ['node_type']));
  assert.ok(!eventExplains({ eventName: 'ModifyReplicationGroup', parameterNames: ['replicationGroupId', 'cacheNodeType'] }, ['snapshot_retention_limit']));
  assert.deepEqual(attributesChangedBy({ eventName: 'ModifyCacheParameterGroup' }), ['parameter']);
  assert.ok(eventExplains({ eventName: 'DeleteReplicationGroup' }, []));
});
