// aws_secretsmanager_secret and aws_secretsmanager_secret_policy against the sandbox with the real
// SDK: the per-type contract; one ListSecrets listing serves every secret and no call ever asks for
// a secret's value; a secret scheduled for deletion is missing, and so is its policy; the sandbox's
// Secrets Manager error codes, Tagging API coverage and CloudTrail records.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateSecretCommand, DeleteSecretCommand, PutResourcePolicyCommand, SecretsManagerClient, TagResourceCommand, UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { StateInstance } from '../../server/src/model';
import { contractTests, inst, readLive, startTypeSandbox, type SuiteEnv } from '../support/type-suite';

let env: SuiteEnv;
let sm: SecretsManagerClient;
const ids = { db: '', gone: '' };

const readPolicy = (principal: string) => JSON.stringify({
  Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
});
const role = () => `arn:aws:iam::${env.sandbox.accountId}:role/app`;

/** As the AWS provider v5 records them after apply (the value lives in aws_secretsmanager_secret_version, never read). */
const state = (): StateInstance[] => [
  inst('aws_secretsmanager_secret', 'db', {
    id: ids.db, arn: ids.db, name: 'prod/db', description: 'database credentials', kms_key_id: '', recovery_window_in_days: 30, policy: '',
    force_overwrite_replica_secret: false, replica: [], tags: { Team: 'data' }, tags_all: { Team: 'data' },
  }),
  inst('aws_secretsmanager_secret_policy', 'db', { id: ids.db, secret_arn: ids.db, policy: readPolicy(role()), block_public_policy: true }),
];

before(async () => {
  env = await startTypeSandbox(['secretsmanager:*']);
  sm = new SecretsManagerClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  ids.db = (await sm.send(new CreateSecretCommand({ Name: 'prod/db', Description: 'database credentials', SecretString: 'hunter2', Tags: [{ Key: 'Team', Value: 'data' }] }))).ARN!;
  await sm.send(new PutResourcePolicyCommand({ SecretId: ids.db, ResourcePolicy: readPolicy(role()), BlockPublicPolicy: true }));
  ids.gone = (await sm.send(new CreateSecretCommand({ Name: 'old/api-key' }))).ARN!;
  await sm.send(new PutResourcePolicyCommand({ SecretId: ids.gone, ResourcePolicy: readPolicy(role()) }));
});

after(async () => {
  await env?.sandbox.stop();
});

contractTests({
  title: 'the Secrets Manager types',
  env: () => env,
  state,
  changes: [
    { drift: 'aws_secretsmanager_secret.db description', change: () => sm.send(new UpdateSecretCommand({ SecretId: ids.db, Description: 'edited by hand' })) },
    { drift: 'aws_secretsmanager_secret.db tags', change: () => sm.send(new TagResourceCommand({ SecretId: ids.db, Tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
    { drift: 'aws_secretsmanager_secret_policy.db policy', change: () => sm.send(new PutResourcePolicyCommand({ SecretId: ids.db, ResourcePolicy: readPolicy(`arn:aws:iam::${env.sandbox.accountId}:root`) })) },
  ],
});

test('one ListSecrets listing serves every secret, no value is ever asked for; a secret scheduled for deletion and its policy are missing', async () => {
  await sm.send(new DeleteSecretCommand({ SecretId: ids.gone, RecoveryWindowInDays: 7 }));
  env.sandbox.resetStats();
  const snapshot = await readLive(env.clients, [
    ...state(),
    inst('aws_secretsmanager_secret', 'gone', { id: ids.gone, arn: ids.gone, name: 'old/api-key' }),
    inst('aws_secretsmanager_secret_policy', 'gone', { id: ids.gone, secret_arn: ids.gone }),
  ], { declared: false });
  const stats = env.sandbox.stats();
  assert.equal(stats['secretsmanager:ListSecrets'], 1);
  assert.equal(stats['secretsmanager:GetSecretValue'], undefined);
  assert.equal(snapshot.get('aws_secretsmanager_secret.gone')?.status, 'missing');
  assert.equal(snapshot.get('aws_secretsmanager_secret_policy.gone')?.status, 'missing');
  const entry = snapshot.get('aws_secretsmanager_secret.db');
  assert.ok(entry?.status === 'found' && !JSON.stringify(entry.resource).includes('hunter2'), 'the secret value never reaches the snapshot');
});

test('the sandbox answers Secrets Manager with AWS\'s error codes, lists secrets in the Tagging API and records writes in CloudTrail', async () => {
  await assert.rejects(sm.send(new CreateSecretCommand({ Name: 'prod/db' })), { name: 'ResourceExistsException' });
  await assert.rejects(sm.send(new UpdateSecretCommand({ SecretId: 'nope', Description: 'x' })), { name: 'ResourceNotFoundException' });
  await assert.rejects(sm.send(new PutResourcePolicyCommand({ SecretId: ids.db, ResourcePolicy: readPolicy('*'), BlockPublicPolicy: true })), { name: 'PublicPolicyException' });
  await assert.rejects(sm.send(new PutResourcePolicyCommand({ SecretId: ids.db, ResourcePolicy: 'not json' })), { name: 'MalformedPolicyDocumentException' });
  const tagging = new ResourceGroupsTaggingAPIClient({ endpoint: env.sandbox.endpoint, region: env.sandbox.region, credentials: env.credentials });
  const listed = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['secretsmanager:secret'] }));
  assert.ok((listed.ResourceTagMappingList ?? []).some((m) => m.ResourceARN === ids.db));
  const events = env.sandbox.world.events.filter((e) => e.eventSource === 'secretsmanager.amazonaws.com' && e.eventName === 'UpdateSecret');
  assert.ok(events.some((e) => e.resources.some((r) => r.name === 'prod/db')), 'UpdateSecret names the secret');
  assert.ok(!JSON.stringify(env.sandbox.world.events).includes('hunter2'), 'no CloudTrail record carries the secret value');
});
