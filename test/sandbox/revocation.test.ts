// Revocation: credentials from AssumeRole stop working the moment the broker attaches a deny on
// aws:TokenIssueTime (or aws:SourceIdentity) to the role, while sessions issued later still work.
import { DescribeInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxHandle, Scenario } from '../../sandbox/src/index';
import { clientsFor, failure, keyOf, startDemo, type Clients } from './helpers';

const ROLE = 'arn:aws:iam::123456789012:role/prod-operator';

describe('session revocation', () => {
  let sandbox: SandboxHandle;
  let scenario: Scenario;
  let broker: Clients;

  before(async () => {
    ({ sandbox, scenario } = await startDemo());
    broker = clientsFor(sandbox, keyOf(scenario, 'tidemark-broker'));
  });
  after(() => sandbox.stop());

  async function session(name: string, sourceIdentity: string): Promise<Clients> {
    const out = await broker.sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: name, SourceIdentity: sourceIdentity, DurationSeconds: 3600 }));
    return clientsFor(sandbox, { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! });
  }

  it('a DateLessThan aws:TokenIssueTime deny cuts off earlier sessions at once', async () => {
    const before = await session('before-revoke', 'alice');
    await before.ec2.send(new DescribeInstancesCommand({}));
    await before.s3.send(new ListBucketsCommand({}));
    sandbox.advanceClock(1);
    const cutoff = new Date(sandbox.world.sessions[Object.keys(sandbox.world.sessions).pop()!]!.issuedAt).getTime() + 500;
    await broker.iam.send(new PutRolePolicyCommand({
      RoleName: 'prod-operator', PolicyName: 'tidemark-revoke',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': new Date(cutoff).toISOString() } } }] }),
    }));
    const ec2 = await failure(before.ec2.send(new DescribeInstancesCommand({})));
    assert.equal(ec2.name, 'UnauthorizedOperation');
    assert.match(ec2.message, /explicit deny/);
    const s3 = await failure(before.s3.send(new ListBucketsCommand({})));
    assert.equal(s3.name, 'AccessDenied');
    // GetCallerIdentity needs no permission, so it still answers: the credentials are valid, just powerless.
    await before.sts.send(new GetCallerIdentityCommand({}));
    const later = await session('after-revoke', 'alice');
    await later.ec2.send(new DescribeInstancesCommand({}));
  });

  it('a StringEquals aws:SourceIdentity deny cuts off one person’s sessions only', async () => {
    const bobs = await session('bob-session', 'bob');
    const carols = await session('carol-session', 'carol');
    await broker.iam.send(new PutRolePolicyCommand({
      RoleName: 'prod-operator', PolicyName: 'tidemark-revoke-bob',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceIdentity': 'bob' } } }] }),
    }));
    assert.equal((await failure(bobs.ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0a1b2c3d4e5f60c02'] })))).name, 'UnauthorizedOperation');
    await carols.ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0a1b2c3d4e5f60c02'] }));
    assert.equal(sandbox.world.instances['i-0a1b2c3d4e5f60c02']!.state, 'stopped');
  });
});
