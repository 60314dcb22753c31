// aws_ecr_repository against the sandbox with the real SDK: provider-shaped state matches the live
// repositories; one live change per compared attribute is drift on it; the writer reverts it; a fresh
// read is clean; one DescribeRepositories listing serves every repository, a deleted one is missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateRepositoryCommand, DeleteRepositoryCommand, ECRClient, PutImageScanningConfigurationCommand, PutImageTagMutabilityCommand, TagResourceCommand,
} from '@aws-sdk/client-ecr';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { createClients, AwsClients } from '../../server/src/cloud/clients';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { DEMO_SCENARIO, demoScenario, keyOf } from '../sandbox/helpers';
import { driftsOf, revertAll } from './type-check-helpers';
import { readLive } from '../support/type-suite';

let sandbox: SandboxHandle;
let ecr: ECRClient;
let clients: AwsClients;

function inst(name: string, attributes: Record<string, unknown>): StateInstance {
  return { address: `aws_ecr_repository.${name}`, resourceAddress: `aws_ecr_repository.${name}`, type: 'aws_ecr_repository', name, module: '', attributes };
}

const arn = (name: string) => `arn:aws:ecr:${sandbox.region}:${sandbox.accountId}:repository/${name}`;

/** As the AWS provider v5 records repositories after apply. */
const state = (): StateInstance[] => [
  inst('api', {
    id: 'team/api', name: 'team/api', arn: arn('team/api'), registry_id: sandbox.accountId, repository_url: `${sandbox.accountId}.dkr.ecr.${sandbox.region}.amazonaws.com/team/api`,
    image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: [{ scan_on_push: true }], encryption_configuration: [{ encryption_type: 'AES256', kms_key: '' }],
    force_delete: null, tags: { Team: 'api' }, tags_all: { Team: 'api' },
  }),
  inst('worker', {
    id: 'worker', name: 'worker', arn: arn('worker'), registry_id: sandbox.accountId, image_tag_mutability: 'MUTABLE',
    image_scanning_configuration: [{ scan_on_push: false }], encryption_configuration: [{ encryption_type: 'AES256', kms_key: '' }], tags: {}, tags_all: {},
  }),
];

function read(instances = state()) {
  return readLive(clients, instances, { declared: false });
}

before(async () => {
  sandbox = await startSandbox(DEMO_SCENARIO);
  const credentials = keyOf(demoScenario(), 'carol');
  ecr = new ECRClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
  clients = await createClients(resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined), { credentials });
  await ecr.send(new CreateRepositoryCommand({
    repositoryName: 'team/api', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true }, tags: [{ Key: 'Team', Value: 'api' }],
  }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'worker' }));
});

after(async () => {
  await sandbox?.stop();
});

test('provider-shaped state of aws_ecr_repository matches the live repositories', async () => {
  const snapshot = await read();
  for (const i of state()) assert.equal(snapshot.get(i.address)?.status, 'found', i.address);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), snapshot), []);
});

const CHANGES: Array<{ drift: string; change: () => Promise<unknown> }> = [
  { drift: 'aws_ecr_repository.api image_tag_mutability', change: () => ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'team/api', imageTagMutability: 'MUTABLE' })) },
  { drift: 'aws_ecr_repository.api image_scanning_configuration', change: () => ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'team/api', imageScanningConfiguration: { scanOnPush: false } })) },
  { drift: 'aws_ecr_repository.api tags', change: () => ecr.send(new TagResourceCommand({ resourceArn: arn('team/api'), tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
  { drift: 'aws_ecr_repository.worker image_scanning_configuration', change: () => ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'worker', imageScanningConfiguration: { scanOnPush: true } })) },
];

test('a live change to each compared ECR attribute is drift on it; the writer reverts it; a fresh read is clean', async () => {
  for (const c of CHANGES) await c.change();
  const snapshot = await read();
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), snapshot).sort(), CHANGES.map((c) => c.drift).sort());
  const outcomes = await revertAll(RESOURCE_TYPES, state(), snapshot, clients);
  assert.deepEqual(outcomes.filter((o) => !o.ok), []);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), await read()), []);
});

test('one DescribeRepositories listing serves every repository; a deleted one is missing', async () => {
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'gone' }));
  await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'gone' }));
  sandbox.resetStats();
  const snapshot = await read([...state(), inst('gone', { id: 'gone', name: 'gone' })]);
  assert.equal(sandbox.stats()['ecr:DescribeRepositories'], 1);
  assert.equal(snapshot.get('aws_ecr_repository.gone')?.status, 'missing');
});

test('the sandbox answers ECR with AWS\'s error codes and records writes in CloudTrail', async () => {
  await assert.rejects(ecr.send(new CreateRepositoryCommand({ repositoryName: 'worker' })), { name: 'RepositoryAlreadyExistsException' });
  await assert.rejects(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'nope' })), { name: 'RepositoryNotFoundException' });
  await assert.rejects(ecr.send(new CreateRepositoryCommand({ repositoryName: 'Bad_Name' })), { name: 'InvalidParameterException' });
  const puts = sandbox.world.events.filter((e) => e.eventSource === 'ecr.amazonaws.com' && e.eventName === 'PutImageTagMutability');
  assert.ok(puts.some((e) => e.resources.some((r) => r.name === 'team/api')), 'PutImageTagMutability names the repository');
});
