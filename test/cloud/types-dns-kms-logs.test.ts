// CloudWatch Logs (and, as they land, KMS and Route 53) types against the sandbox with the real SDK:
// provider-shaped state matches the live objects; one live change per compared attribute is drift
// on it; the writer reverts it; a fresh read is clean; many groups are read by one listing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateKmsKeyCommand, CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand, PutRetentionPolicyCommand, TagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateAliasCommand, CreateKeyCommand, DisableKeyCommand, EnableKeyRotationCommand, KMSClient, PutKeyPolicyCommand, ScheduleKeyDeletionCommand,
  TagResourceCommand as TagKeyCommand, UpdateAliasCommand, UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import {
  ChangeResourceRecordSetsCommand, ChangeTagsForResourceCommand, CreateHostedZoneCommand, ResourceRecordSet, Route53Client, UpdateHostedZoneCommentCommand,
} from '@aws-sdk/client-route-53';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { createClients, AwsClients } from '../../server/src/cloud/clients';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { DEMO_SCENARIO, demoScenario, keyOf } from '../sandbox/helpers';
import { driftsOf, revertAll } from './type-check-helpers';
import { readLive } from '../support/type-suite';

let sandbox: SandboxHandle;
let logs: CloudWatchLogsClient;
let clients: AwsClients;
let kms: KMSClient;
let keyId: string;
let otherKeyId: string;
let r53: Route53Client;
let zoneId: string;

const upsert = (set: ResourceRecordSet) => r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: set }] } }));

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

function read(instances = state()) {
  return readLive(clients, instances, { declared: false });
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
  kms = new KMSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
  keyId = (await kms.send(new CreateKeyCommand({ Description: 'app data', Policy: keyPolicy('kms:*'), Tags: [{ TagKey: 'Team', TagValue: 'app' }] }))).KeyMetadata!.KeyId!;
  await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 180 }));
  otherKeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/tm-app', TargetKeyId: keyId }));
  r53 = new Route53Client({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials });
  zoneId = (await r53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'tm-1', HostedZoneConfig: { Comment: 'Managed by Terraform' } }))).HostedZone!.Id!.replace('/hostedzone/', '');
  await r53.send(new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: zoneId, AddTags: [{ Key: 'Team', Value: 'dns' }] }));
  await upsert({ Name: 'www.example.com', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '10.0.0.1' }, { Value: '10.0.0.2' }] });
  await upsert({ Name: 'example.com', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"v=spf1 -all"' }] });
  await upsert({ Name: 'api.example.com', Type: 'CNAME', TTL: 60, SetIdentifier: 'blue', Weight: 90, ResourceRecords: [{ Value: 'blue.example.net' }] });
  await upsert({ Name: 'cdn.example.com', Type: 'A', AliasTarget: { DNSName: 'd111.cloudfront.net.', HostedZoneId: 'Z2FDTNDATAQYW2', EvaluateTargetHealth: false } });
});

/** As the AWS provider v5 records a zone and its records after apply. */
const dnsState = (): StateInstance[] => [
  inst('aws_route53_zone', 'main', {
    id: zoneId, zone_id: zoneId, name: 'example.com', comment: 'Managed by Terraform', force_destroy: false, delegation_set_id: '',
    name_servers: [], primary_name_server: '', vpc: [], arn: `arn:aws:route53:::hostedzone/${zoneId}`, tags: { Team: 'dns' }, tags_all: { Team: 'dns' },
  }),
  inst('aws_route53_record', 'www', {
    id: `${zoneId}_www_A`, zone_id: zoneId, name: 'www', fqdn: 'www.example.com', type: 'A', ttl: 300, records: ['10.0.0.2', '10.0.0.1'],
    set_identifier: '', health_check_id: '', alias: [], weighted_routing_policy: [], allow_overwrite: null, multivalue_answer_routing_policy: false,
  }),
  inst('aws_route53_record', 'spf', {
    id: `${zoneId}__TXT`, zone_id: zoneId, name: 'example.com', fqdn: 'example.com', type: 'TXT', ttl: 60, records: ['v=spf1 -all'],
    set_identifier: '', health_check_id: '', alias: [], weighted_routing_policy: [],
  }),
  inst('aws_route53_record', 'api_blue', {
    id: `${zoneId}_api_CNAME_blue`, zone_id: zoneId, name: 'api.example.com', fqdn: 'api.example.com', type: 'CNAME', ttl: 60, records: ['blue.example.net'],
    set_identifier: 'blue', health_check_id: '', alias: [], weighted_routing_policy: [{ weight: 90 }],
  }),
  inst('aws_route53_record', 'cdn', {
    id: `${zoneId}_cdn_A`, zone_id: zoneId, name: 'cdn', fqdn: 'cdn.example.com', type: 'A', records: [],
    set_identifier: '', health_check_id: '', alias: [{ name: 'd111.cloudfront.net', zone_id: 'Z2FDTNDATAQYW2', evaluate_target_health: false }], weighted_routing_policy: [],
  }),
];

const keyPolicy = (action: string) => JSON.stringify({
  Version: '2012-10-17', Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${sandbox.accountId}:root` }, Action: action, Resource: '*' }],
});

/** As the AWS provider v5 records a key and its alias after apply. */
const kmsState = (): StateInstance[] => [
  inst('aws_kms_key', 'app', {
    id: keyId, key_id: keyId, arn: `arn:aws:kms:${sandbox.region}:${sandbox.accountId}:key/${keyId}`, description: 'app data',
    key_usage: 'ENCRYPT_DECRYPT', customer_master_key_spec: 'SYMMETRIC_DEFAULT', policy: keyPolicy('kms:*'), enable_key_rotation: true,
    rotation_period_in_days: 180, is_enabled: true, multi_region: false, deletion_window_in_days: 30, bypass_policy_lockout_safety_check: false,
    custom_key_store_id: '', xks_key_id: '', tags: { Team: 'app' }, tags_all: { Team: 'app' },
  }),
  // Declared by ARN: the same key as the id AWS reports.
  inst('aws_kms_alias', 'app', {
    id: 'alias/tm-app', name: 'alias/tm-app', name_prefix: '', arn: `arn:aws:kms:${sandbox.region}:${sandbox.accountId}:alias/tm-app`,
    target_key_id: `arn:aws:kms:${sandbox.region}:${sandbox.accountId}:key/${keyId}`, target_key_arn: `arn:aws:kms:${sandbox.region}:${sandbox.accountId}:key/${keyId}`,
  }),
];

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

test('provider-shaped state of aws_kms_key and aws_kms_alias matches the live key and alias', async () => {
  const snapshot = await read(kmsState());
  for (const i of kmsState()) assert.equal(snapshot.get(i.address)?.status, 'found', i.address);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, kmsState(), snapshot), []);
});

const KMS_CHANGES: Array<{ drift: string; change: () => Promise<unknown> }> = [
  { drift: 'aws_kms_key.app description', change: () => kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'changed by hand' })) },
  { drift: 'aws_kms_key.app policy', change: () => kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: keyPolicy('kms:Decrypt') })) },
  { drift: 'aws_kms_key.app rotation_period_in_days', change: () => kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 })) },
  { drift: 'aws_kms_key.app is_enabled', change: () => kms.send(new DisableKeyCommand({ KeyId: keyId })) },
  { drift: 'aws_kms_key.app tags', change: () => kms.send(new TagKeyCommand({ KeyId: keyId, Tags: [{ TagKey: 'Extra', TagValue: 'x' }] })) },
  { drift: 'aws_kms_alias.app target_key_id', change: () => kms.send(new UpdateAliasCommand({ AliasName: 'alias/tm-app', TargetKeyId: otherKeyId })) },
];

test('a live change to each compared KMS attribute is drift on it; the writer reverts it; a fresh read is clean', async () => {
  for (const c of KMS_CHANGES) await c.change();
  const snapshot = await read(kmsState());
  assert.deepEqual(driftsOf(RESOURCE_TYPES, kmsState(), snapshot).sort(), KMS_CHANGES.map((c) => c.drift).sort());
  const outcomes = await revertAll(RESOURCE_TYPES, kmsState(), snapshot, clients);
  assert.deepEqual(outcomes.filter((o) => !o.ok), []);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, kmsState(), await read(kmsState())), []);
});

test('a key scheduled for deletion reads as missing', async () => {
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: otherKeyId, PendingWindowInDays: 7 }));
  const snapshot = await read([inst('aws_kms_key', 'other', { id: otherKeyId, key_id: otherKeyId })]);
  assert.equal(snapshot.get('aws_kms_key.other')?.status, 'missing');
});

test('provider-shaped state of aws_route53_zone and aws_route53_record matches the live zone and records', async () => {
  sandbox.resetStats();
  const snapshot = await read(dnsState());
  for (const i of dnsState()) assert.equal(snapshot.get(i.address)?.status, 'found', i.address);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, dnsState(), snapshot), []);
  // Every record of the zone came from one listing.
  assert.equal(sandbox.stats()['route53:ListResourceRecordSets'], 1);
});

const DNS_CHANGES: Array<{ drift: string; change: () => Promise<unknown> }> = [
  { drift: 'aws_route53_zone.main comment', change: () => r53.send(new UpdateHostedZoneCommentCommand({ Id: zoneId, Comment: 'changed by hand' })) },
  { drift: 'aws_route53_zone.main tags', change: () => r53.send(new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: zoneId, AddTags: [{ Key: 'Team', Value: 'other' }] })) },
  { drift: 'aws_route53_record.www records', change: () => upsert({ Name: 'www.example.com', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '10.0.0.1' }, { Value: '10.6.6.6' }] }) },
  { drift: 'aws_route53_record.spf ttl', change: () => upsert({ Name: 'example.com', Type: 'TXT', TTL: 3600, ResourceRecords: [{ Value: '"v=spf1 -all"' }] }) },
  { drift: 'aws_route53_record.api_blue weighted_routing_policy', change: () => upsert({ Name: 'api.example.com', Type: 'CNAME', TTL: 60, SetIdentifier: 'blue', Weight: 10, ResourceRecords: [{ Value: 'blue.example.net' }] }) },
  { drift: 'aws_route53_record.cdn alias', change: () => upsert({ Name: 'cdn.example.com', Type: 'A', AliasTarget: { DNSName: 'evil.example.net', HostedZoneId: 'Z2FDTNDATAQYW2', EvaluateTargetHealth: false } }) },
];

test('a live change to each compared Route 53 attribute is drift on it; the writer reverts it; a fresh read is clean', async () => {
  for (const c of DNS_CHANGES) await c.change();
  const snapshot = await read(dnsState());
  assert.deepEqual(driftsOf(RESOURCE_TYPES, dnsState(), snapshot).sort(), DNS_CHANGES.map((c) => c.drift).sort());
  const outcomes = await revertAll(RESOURCE_TYPES, dnsState(), snapshot, clients);
  assert.deepEqual(outcomes.filter((o) => !o.ok), []);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, dnsState(), await read(dnsState())), []);
});

test('a record deleted by hand reads as missing; a record in a zone that is gone too', async () => {
  await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: { Name: 'www.example.com', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '10.0.0.2' }, { Value: '10.0.0.1' }] } }] } }));
  const snapshot = await read([...dnsState(), inst('aws_route53_record', 'gone', { id: 'ZNOSUCHZONE_a_A', zone_id: 'ZNOSUCHZONE', name: 'a', type: 'A' })]);
  assert.equal(snapshot.get('aws_route53_record.www')?.status, 'missing');
  assert.equal(snapshot.get('aws_route53_record.gone')?.status, 'missing');
});

test('KMS keys, log groups and hosted zones take their tags from the Tagging API and zones from ListHostedZones: no per-object tag call, no GetHostedZone', async () => {
  const instances: StateInstance[] = [];
  for (let i = 0; i < 3; i++) {
    const id = (await kms.send(new CreateKeyCommand({ Description: `bulk ${i}`, Tags: [{ TagKey: 'Fleet', TagValue: `k${i}` }] }))).KeyMetadata!.KeyId!;
    instances.push(inst('aws_kms_key', `k${i}`, { id, key_id: id, arn: `arn:aws:kms:${sandbox.region}:${sandbox.accountId}:key/${id}`, description: `bulk ${i}`, tags: { Fleet: `k${i}` } }));
    const name = `/tm/tagged/${i}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: { Fleet: `g${i}` } }));
    instances.push(inst('aws_cloudwatch_log_group', `g${i}`, { id: name, name, arn: `arn:aws:logs:${sandbox.region}:${sandbox.accountId}:log-group:${name}`, tags: { Fleet: `g${i}` } }));
  }
  // More zones than a per-zone read is worth: one listing serves them all.
  for (let i = 0; i < 12; i++) {
    const id = (await r53.send(new CreateHostedZoneCommand({ Name: `z${i}.example`, CallerReference: `bulk-${i}`, HostedZoneConfig: { Comment: `zone ${i}` } }))).HostedZone!.Id!.replace('/hostedzone/', '');
    await r53.send(new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: id, AddTags: [{ Key: 'Fleet', Value: `z${i}` }] }));
    instances.push(inst('aws_route53_zone', `z${i}`, { id, zone_id: id, name: `z${i}.example`, comment: `zone ${i}`, arn: `arn:aws:route53:::hostedzone/${id}`, tags: { Fleet: `z${i}` } }));
  }
  // An untagged key is not listed by the Tagging API: its tags cost its own call.
  const bare = (await kms.send(new CreateKeyCommand({ Description: 'bare' }))).KeyMetadata!.KeyId!;
  instances.push(inst('aws_kms_key', 'bare', { id: bare, key_id: bare, arn: `arn:aws:kms:${sandbox.region}:${sandbox.accountId}:key/${bare}`, description: 'bare', tags: {} }));
  sandbox.resetStats();
  const snapshot = await read(instances);
  for (const i of instances) assert.equal(snapshot.get(i.address)?.status, 'found', i.address);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, instances, snapshot), []);
  const stats = sandbox.stats();
  assert.equal(stats['kms:ListResourceTags'] ?? 0, 1);
  assert.equal(stats['logs:ListTagsForResource'] ?? 0, 0);
  assert.equal(stats['route53:ListTagsForResource'] ?? 0, 0);
  assert.equal(stats['route53:GetHostedZone'] ?? 0, 0);
  assert.equal(stats['route53:ListHostedZones'], Math.ceil(Object.keys(sandbox.world.hostedZones ?? {}).length / 100));
  assert.equal(stats['tagging:GetResources'], 1);
  // A live tag change on one of many zones is still drift on its tags.
  await r53.send(new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: String(instances.find((i) => i.name === 'z7')!.attributes.zone_id), AddTags: [{ Key: 'Fleet', Value: 'moved' }] }));
  await kms.send(new TagKeyCommand({ KeyId: String(instances.find((i) => i.name === 'k1')!.attributes.key_id), Tags: [{ TagKey: 'Fleet', TagValue: 'moved' }] }));
  assert.deepEqual(driftsOf(RESOURCE_TYPES, instances, await read(instances)).sort(), ['aws_kms_key.k1 tags', 'aws_route53_zone.z7 tags']);
});
