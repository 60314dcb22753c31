// aws_ssm_parameter against the sandbox with the real SDK: provider-shaped state matches the live
// parameters; one live change per compared attribute is drift on it; tags are written back, while
// metadata that SSM writes only together with the value is refused with the reason; a SecureString's
// value is never read; many parameters are read by ⌈names/50⌉ DescribeParameters calls.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AddTagsToResourceCommand, DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { createClients, AwsClients } from '../../server/src/cloud/clients';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { DEMO_SCENARIO, demoScenario, keyOf } from '../sandbox/helpers';
import { driftsOf, revertAll } from './type-check-helpers';
import { readLive } from '../support/type-suite';

let sandbox: SandboxHandle;
let ssm: SSMClient;
let clients: AwsClients;
const SECRET = 'hunter2-plaintext-never-read';

function inst(name: string, attributes: Record<string, unknown>): StateInstance {
  return { address: `aws_ssm_parameter.${name}`, resourceAddress: `aws_ssm_parameter.${name}`, type: 'aws_ssm_parameter', name, module: '', attributes };
}

/** As the AWS provider v5 records parameters after apply (computed values present, value sensitive). */
const state = (): StateInstance[] => [
  inst('db_url', {
    id: '/app/db_url', name: '/app/db_url', arn: `arn:aws:ssm:${sandbox.region}:${sandbox.accountId}:parameter/app/db_url`, type: 'String',
    value: 'postgres://db', insecure_value: null, description: 'database URL', allowed_pattern: '^postgres://.*', data_type: 'text',
    tier: 'Standard', key_id: '', version: 1, overwrite: null, tags: { Team: 'app' }, tags_all: { Team: 'app' },
  }),
  inst('db_password', {
    id: '/app/db_password', name: '/app/db_password', arn: `arn:aws:ssm:${sandbox.region}:${sandbox.accountId}:parameter/app/db_password`, type: 'SecureString',
    value: SECRET, insecure_value: null, description: '', allowed_pattern: '', data_type: 'text',
    tier: 'Standard', key_id: 'alias/aws/ssm', version: 1, overwrite: null, tags: {}, tags_all: {},
  }),
];

function read(instances = state()) {
  return readLive(clients, instances, { declared: false });
}

before(async () => {
  sandbox = await startSandbox(DEMO_SCENARIO);
  const credentials = keyOf(demoScenario(), 'carol');
  ssm = new SSMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials });
  clients = await createClients(resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined), { credentials });
  await ssm.send(new PutParameterCommand({
    Name: '/app/db_url', Type: 'String', Value: 'postgres://db', Description: 'database URL', AllowedPattern: '^postgres://.*', Tags: [{ Key: 'Team', Value: 'app' }],
  }));
  await ssm.send(new PutParameterCommand({ Name: '/app/db_password', Type: 'SecureString', Value: SECRET }));
});

after(async () => {
  await sandbox?.stop();
});

test('provider-shaped state of aws_ssm_parameter matches the live parameters, and no value is read', async () => {
  sandbox.resetStats();
  const snapshot = await read();
  for (const i of state()) assert.equal(snapshot.get(i.address)?.status, 'found', i.address);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), snapshot), []);
  assert.equal(JSON.stringify(snapshot).includes(SECRET), false, 'the SecureString value is nowhere in the snapshot');
  assert.equal(sandbox.stats()['ssm:GetParameter'] ?? 0, 0);
  assert.equal(sandbox.stats()['ssm:GetParameters'] ?? 0, 0);
});

const CHANGES: Array<{ drift: string; writable: boolean; change: () => Promise<unknown> }> = [
  { drift: 'aws_ssm_parameter.db_url description', writable: false, change: () => ssm.send(new PutParameterCommand({ Name: '/app/db_url', Value: 'postgres://db', Description: 'edited', Overwrite: true })) },
  { drift: 'aws_ssm_parameter.db_url tags', writable: true, change: () => ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db_url', Tags: [{ Key: 'Team', Value: 'hotfix' }] })) },
  { drift: 'aws_ssm_parameter.db_password type', writable: false, change: () => ssm.send(new PutParameterCommand({ Name: '/app/db_password', Type: 'String', Value: 'x', Overwrite: true })) },
  { drift: 'aws_ssm_parameter.db_password allowed_pattern', writable: false, change: () => ssm.send(new PutParameterCommand({ Name: '/app/db_password', Value: 'x', AllowedPattern: '^x$', Overwrite: true })) },
];

test('a live change to each compared attribute is drift on it; tags are reverted, value-bound metadata is refused with the reason', async () => {
  for (const c of CHANGES) await c.change();
  const snapshot = await read();
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), snapshot).sort(), CHANGES.map((c) => c.drift).sort());
  const outcomes = await revertAll(RESOURCE_TYPES, state(), snapshot, clients);
  for (const c of CHANGES) {
    const o = outcomes.find((x) => x.drift === c.drift);
    assert.equal(o?.ok, c.writable, `${c.drift}: ${o?.message}`);
    if (!c.writable) assert.match(o!.message, /never reads or writes parameter values/);
  }
  // What remains is exactly the drift the writer may not touch; tags are clean.
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), await read()).sort(), CHANGES.filter((c) => !c.writable).map((c) => c.drift).sort());
  // Terraform's writer restores the rest (value included); then a fresh read is clean.
  await ssm.send(new PutParameterCommand({ Name: '/app/db_url', Value: 'postgres://db', Description: 'database URL', Overwrite: true }));
  await ssm.send(new DeleteParameterCommand({ Name: '/app/db_password' }));
  await ssm.send(new PutParameterCommand({ Name: '/app/db_password', Type: 'SecureString', Value: SECRET }));
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), await read()), []);
});

test('the version and modification time AWS raises on a value rewrite are not drift', async () => {
  await ssm.send(new PutParameterCommand({ Name: '/app/db_url', Value: 'postgres://db2', Overwrite: true }));
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), await read()), []);
});

test('many parameters are read by ⌈names/50⌉ DescribeParameters calls; a deleted one is missing', async () => {
  const instances: StateInstance[] = [];
  for (let i = 0; i < 60; i++) {
    const name = `/bulk/p${String(i).padStart(2, '0')}`;
    await ssm.send(new PutParameterCommand({ Name: name, Type: 'String', Value: String(i) }));
    instances.push(inst(`b${i}`, { id: name, name, type: 'String', description: '', allowed_pattern: '', data_type: 'text' }));
  }
  await ssm.send(new DeleteParameterCommand({ Name: '/bulk/p59' }));
  sandbox.resetStats();
  const snapshot = await read(instances);
  assert.equal(sandbox.stats()['ssm:DescribeParameters'], 2);
  assert.equal(snapshot.get('aws_ssm_parameter.b59')?.status, 'missing');
  assert.deepEqual(driftsOf(RESOURCE_TYPES, instances.slice(0, 59), snapshot), []);
});

test('the sandbox answers SSM with AWS\'s error codes and records writes in CloudTrail without the value', async () => {
  await assert.rejects(ssm.send(new PutParameterCommand({ Name: '/app/db_url', Type: 'String', Value: 'again' })), { name: 'ParameterAlreadyExists' });
  await assert.rejects(ssm.send(new DeleteParameterCommand({ Name: '/nope' })), { name: 'ParameterNotFound' });
  await assert.rejects(ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/nope', Tags: [{ Key: 'a', Value: 'b' }] })), { name: 'InvalidResourceId' });
  await assert.rejects(ssm.send(new PutParameterCommand({ Name: '/app/pat', Type: 'String', Value: 'no', AllowedPattern: '^yes$' })), { name: 'ParameterPatternMismatchException' });
  const puts = sandbox.world.events.filter((e) => e.eventSource === 'ssm.amazonaws.com' && e.eventName === 'PutParameter');
  assert.ok(puts.length > 0);
  assert.equal(JSON.stringify(puts).includes(SECRET), false, 'CloudTrail records carry no parameter value');
  // Named by the parameter's name (Terraform's id), the request in CloudTrail's camelCase.
  const described = puts.find((e) => e.resources.some((r) => r.name === '/app/db_url') && JSON.parse(e.cloudTrailEvent).requestParameters?.description === 'database URL');
  assert.ok(described, 'a PutParameter record names /app/db_url with its description');
  assert.equal(JSON.parse(described.cloudTrailEvent).requestParameters.value, undefined);
});
