// --state persistence and the sandbox-only admin endpoints: the world (resources, sessions, event
// history) survives a restart; a corrupt state file is a clear error and is left untouched.
import { CreateTagsCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StateFileError, startSandbox } from '../../sandbox/src/index';
import { admin, clientsFor, demoScenario, keyOf, startDemo } from './helpers';

describe('state persistence', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-sandbox-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps changes, sessions and events across a restart', async () => {
    const statePath = path.join(dir, 'world.json');
    const scenario = demoScenario();
    const first = await startSandbox(scenario, { statePath });
    const carol = clientsFor(first, keyOf(scenario, 'carol'));
    await carol.ec2.send(new CreateTagsCommand({ Resources: ['i-0a1b2c3d4e5f60c01'], Tags: [{ Key: 'Env', Value: 'changed' }] }));
    const broker = clientsFor(first, keyOf(scenario, 'tidemark-broker'));
    const assumed = await broker.sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/prod-operator', RoleSessionName: 'persisted' }));
    await first.stop();

    const second = await startSandbox(scenario, { statePath });
    try {
      const reader = clientsFor(second, keyOf(scenario, 'drift-reader'));
      const out = await reader.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0a1b2c3d4e5f60c01'] }));
      assert.equal(out.Reservations![0]!.Instances![0]!.Tags!.find((t) => t.Key === 'Env')!.Value, 'changed');
      const session = clientsFor(second, { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! });
      assert.equal((await session.sts.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:sts::123456789012:assumed-role/prod-operator/persisted');
      const events = await reader.cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateTags' }] }));
      assert.equal(events.Events!.length, 1);
    } finally {
      await second.stop();
    }
  });

  it('refuses a corrupt state file with its name and line, and leaves it as it was', async () => {
    const statePath = path.join(dir, 'corrupt.json');
    const garbage = '{"format":"tidemark-sandbox-state",\n"version":1,\n"world": {"accountId": "123456789012",,}}';
    writeFileSync(statePath, garbage);
    await assert.rejects(startSandbox(demoScenario(), { statePath }), (err: Error) => {
      assert.ok(err instanceof StateFileError);
      assert.match(err.message, new RegExp(`${statePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: state file is corrupt`));
      return true;
    });
    assert.equal(readFileSync(statePath, 'utf8'), garbage);
  });

  it('refuses a file that is not a sandbox state file, or belongs to another account', async () => {
    const other = path.join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ hello: 'world' }));
    await assert.rejects(startSandbox(demoScenario(), { statePath: other }), /not a Tidemark sandbox state file/);
    const foreign = path.join(dir, 'foreign.json');
    const first = await startSandbox({ ...demoScenario(), account: '210987654321' }, { statePath: foreign });
    await first.stop();
    await assert.rejects(startSandbox(demoScenario(), { statePath: foreign }), /belongs to account 210987654321/);
  });
});

describe('admin endpoints', () => {
  it('reports and resets call statistics, and moves the clock', async () => {
    const { sandbox, scenario } = await startDemo();
    try {
      const reader = clientsFor(sandbox, keyOf(scenario, 'drift-reader'));
      await reader.ec2.send(new DescribeInstancesCommand({}));
      await reader.ec2.send(new DescribeInstancesCommand({}));
      await reader.sts.send(new GetCallerIdentityCommand({}));
      assert.deepEqual((await admin(sandbox, 'GET', 'stats')).json, { 'ec2:DescribeInstances': 2, 'sts:GetCallerIdentity': 1 });
      await admin(sandbox, 'POST', 'stats/reset');
      assert.deepEqual((await admin(sandbox, 'GET', 'stats')).json, {});
      const before = Date.parse(((await admin(sandbox, 'GET', 'clock')).json as { now: string }).now);
      const moved = (await admin(sandbox, 'POST', 'clock', { advanceSeconds: 3600 })).json as { now: string; offsetSeconds: number };
      assert.equal(moved.offsetSeconds, 3600);
      assert.ok(Date.parse(moved.now) - before >= 3600_000);
      assert.equal((await admin(sandbox, 'POST', 'clock', { advanceSeconds: 'soon' })).status, 400);
      assert.equal((await admin(sandbox, 'GET', 'nothing-here')).status, 404);
    } finally {
      await sandbox.stop();
    }
  });
});
