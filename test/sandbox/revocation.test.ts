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

  async function session(name: string, sourceIdentity: string, tags: Record<string, string> = {}): Promise<Clients> {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    const out = await broker.sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: name, SourceIdentity: sourceIdentity, DurationSeconds: 3600, ...(Tags.length ? { Tags } : {}) }));
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

  it('a StringLike aws:userid deny cuts off one session of a person while their other session keeps working', async () => {
    const first = await session('tidemark-g-first', 'dave');
    const second = await session('tidemark-g-second', 'dave');
    const roleId = sandbox.world.roles['prod-operator']!.roleId;
    assert.equal((await first.sts.send(new GetCallerIdentityCommand({}))).UserId, `${roleId}:tidemark-g-first`, 'aws:userid of a role session is <role id>:<session name>');
    await broker.iam.send(new PutRolePolicyCommand({
      RoleName: 'prod-operator', PolicyName: 'tidemark-revoke-g-first',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:userid': '*:tidemark-g-first' } } }] }),
    }));
    assert.equal((await failure(first.ec2.send(new DescribeInstancesCommand({})))).name, 'UnauthorizedOperation');
    await second.ec2.send(new DescribeInstancesCommand({}));
    // The role id part must match as well: a deny naming another role's id leaves the session alone.
    await broker.iam.send(new PutRolePolicyCommand({
      RoleName: 'prod-operator', PolicyName: 'tidemark-revoke-g-second',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:userid': 'AROAOTHERROLE0000000:tidemark-g-second' } } }] }),
    }));
    await second.ec2.send(new DescribeInstancesCommand({}));
  });

  it('an aws:PrincipalTag deny on the session tag cuts off the tagged session only', async () => {
    const tagged = await session('eve-one', 'eve', { 'tidemark-grant': 'g-one' });
    const other = await session('eve-two', 'eve', { 'tidemark-grant': 'g-two' });
    await broker.iam.send(new PutRolePolicyCommand({
      RoleName: 'prod-operator', PolicyName: 'tidemark-revoke-g-one',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/tidemark-grant': 'g-one' } } }] }),
    }));
    assert.equal((await failure(tagged.s3.send(new ListBucketsCommand({})))).name, 'AccessDenied');
    await other.s3.send(new ListBucketsCommand({}));
  });
});
