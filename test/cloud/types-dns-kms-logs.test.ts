// CloudWatch Logs (and, as they land, KMS and Route 53) types against the sandbox with the real SDK:
// provider-shaped state matches the live objects; one live change per compared attribute is drift
// on it; the writer reverts it; a fresh read is clean; many groups are read by one listing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateKmsKeyCommand, CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand, PutRetentionPolicyCommand, TagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { createClients, AwsClients } from '../../server/src/cloud/clients';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { LiveReader } from '../../server/src/cloud/reader';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { DEMO_SCENARIO, demoScenario, keyOf } from '../sandbox/helpers';
import { driftsOf, revertAll } from './type-check-helpers';

let sandbox: SandboxHandle;
let logs: CloudWatchLogsClient;
let clients: AwsClients;

function inst(type: string, name: string, attributes: Record<string, unknown>): StateInstance {
  return { address: `${type}.${name}`, resourceAddress: `${type}.${name}`, type, name, module: '', attributes };
}

/** As the AWS provider v5 records a log group after apply (defaults and computed values present). */
const state = (): StateInstance[] => [
  inst('aws_cloudwatch_log_group', 'app', {
    id: '/tm/app', name: '/tm/app', name_prefix: '', arn: `arn:aws:logs:${sandbox.region}:${sandbox.accountId}:log-group:/tm/app`,
    retention_in_days: 30, kms_key_id: '', log_group_class: 'STANDARD', skip_destroy: false, tags: { Team: 'app' }, tags_all: { Team: 'app' },
  }),
  inst('aws_cloudwatch_log_group', 'audit', {
    id: '/tm/audit', name: '/tm/audit', name_prefix: '', arn: `arn:aws:logs:${sandbox.region}:${sandbox.accountId}:log-group:/tm/audit`,
    retention_in_days: 0, kms_key_id: '', log_group_class: 'STANDARD', skip_destroy: false, tags: {}, tags_all: {},
  }),
];

async function read(instances = state()) {
  const result = await new LiveReader(clients, RESOURCE_TYPES).read(instances);
  assert.deepEqual(result.failures, []);
  return result.snapshot;
}

before(async () => {
  sandbox = await startSandbox(DEMO_SCENARIO);
  const credentials = keyOf(demoScenario(), 'carol');
  logs = new CloudWatchLogsClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
  clients = await createClients(resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined), { credentials });
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/tm/app', tags: { Team: 'app' } }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/tm/app', retentionInDays: 30 }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/tm/audit' }));
  // A group whose name extends another's: a prefix query for /tm/app must not mistake it.
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/tm/app-old' }));
});

after(async () => {
  await sandbox?.stop();
});

test('provider-shaped state of aws_cloudwatch_log_group matches the live groups', async () => {
  const snapshot = await read();
  for (const i of state()) assert.equal(snapshot.get(i.address)?.status, 'found', i.address);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), snapshot), []);
});

const CHANGES: Array<{ drift: string; change: () => Promise<unknown> }> = [
  { drift: 'aws_cloudwatch_log_group.app retention_in_days', change: () => logs.send(new PutRetentionPolicyCommand({ logGroupName: '/tm/app', retentionInDays: 1 })) },
  { drift: 'aws_cloudwatch_log_group.app tags', change: () => logs.send(new TagResourceCommand({ resourceArn: `arn:aws:logs:${sandbox.region}:${sandbox.accountId}:log-group:/tm/app`, tags: { Team: 'hotfix' } })) },
  { drift: 'aws_cloudwatch_log_group.audit retention_in_days', change: () => logs.send(new PutRetentionPolicyCommand({ logGroupName: '/tm/audit', retentionInDays: 7 })) },
  { drift: 'aws_cloudwatch_log_group.audit kms_key_id', change: () => logs.send(new AssociateKmsKeyCommand({ logGroupName: '/tm/audit', kmsKeyId: `arn:aws:kms:${sandbox.region}:${sandbox.accountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab` })) },
];

test('a live change to each compared log group attribute is drift on it; the writer reverts it; a fresh read is clean', async () => {
  for (const c of CHANGES) await c.change();
  const snapshot = await read();
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), snapshot).sort(), CHANGES.map((c) => c.drift).sort());
  const outcomes = await revertAll(RESOURCE_TYPES, state(), snapshot, clients);
  assert.deepEqual(outcomes.filter((o) => !o.ok), []);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), await read()), []);
});

test('many log groups are read by one listing of ⌈groups/50⌉ DescribeLogGroups calls; a deleted one is missing', async () => {
  const instances: StateInstance[] = [];
  for (let i = 0; i < 60; i++) {
    const name = `/tm/bulk/${String(i).padStart(2, '0')}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    instances.push(inst('aws_cloudwatch_log_group', `b${i}`, { id: name, name, retention_in_days: 0 }));
  }
  await logs.send(new DeleteLogGroupCommand({ logGroupName: '/tm/bulk/59' }));
  sandbox.resetStats();
  const snapshot = await read(instances);
  const total = Object.keys(sandbox.world.logGroups ?? {}).length;
  assert.equal(sandbox.stats()['logs:DescribeLogGroups'], Math.ceil(total / 50));
  assert.equal(snapshot.get('aws_cloudwatch_log_group.b59')?.status, 'missing');
  assert.deepEqual(driftsOf(RESOURCE_TYPES, instances.slice(0, 59), snapshot), []);
});
