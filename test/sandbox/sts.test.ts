// STS through the real SDK: GetCallerIdentity, AssumeRole limits, chaining, SourceIdentity, tags,
// trust-policy refusals and session expiry.
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxHandle, Scenario } from '../../sandbox/src/index';
import { admin, clientsFor, failure, keyOf, startDemo, type Credentials } from './helpers';

const ROLE = 'arn:aws:iam::123456789012:role/prod-operator';

describe('STS', () => {
  let sandbox: SandboxHandle;
  let scenario: Scenario;
  let broker: Credentials;

  before(async () => {
    ({ sandbox, scenario } = await startDemo({}, (s) => {
      // A second role the operator may chain into, for the chaining rules.
      s.roles!.push({
        name: 'chained-target', maxSessionDuration: 43200,
        trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/prod-operator' }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'] }] },
      });
      s.roles!.find((r) => r.name === 'prod-operator')!.policies!.chain = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };
    }));
    broker = keyOf(scenario, 'tidemark-broker');
  });
  after(() => sandbox.stop());

  const sts = (c: Credentials): STSClient => clientsFor(sandbox, c).sts;
  const sessionCreds = (out: { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } }): Credentials => ({
    accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken!,
  });

  it('GetCallerIdentity names the user', async () => {
    const out = await sts(keyOf(scenario, 'alice')).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, '123456789012');
    assert.equal(out.Arn, 'arn:aws:iam::123456789012:user/alice');
    assert.match(out.UserId!, /^AIDA[A-Z0-9]{17}$/);
  });

  it('AssumeRole issues ASIA credentials whose identity is the assumed-role session', async () => {
    const out = await sts(broker).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'tidemark-g1', SourceIdentity: 'alice', DurationSeconds: 900, Tags: [{ Key: 'tidemark-grant', Value: 'g1' }] }));
    assert.match(out.Credentials!.AccessKeyId!, /^ASIA[A-Z0-9]{16}$/);
    assert.equal(out.SourceIdentity, 'alice');
    assert.equal(out.AssumedRoleUser!.Arn, 'arn:aws:sts::123456789012:assumed-role/prod-operator/tidemark-g1');
    assert.ok(out.PackedPolicySize! > 0);
    const lifetime = out.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(lifetime > 800_000 && lifetime <= 900_000, `expiry ${lifetime} ms`);
    const who = await sts(sessionCreds(out)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, out.AssumedRoleUser!.Arn);
    assert.equal(who.UserId, out.AssumedRoleUser!.AssumedRoleId);
  });

  it('enforces DurationSeconds between 900 and the role maximum', async () => {
    const low = await failure(sts(broker).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 's', DurationSeconds: 899 })));
    assert.equal(low.name, 'ValidationError');
    const high = await failure(sts(broker).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'sess', DurationSeconds: 3601 })));
    assert.equal(high.name, 'ValidationError');
    assert.match(high.message, /MaxSessionDuration/);
  });

  it('caps chained sessions at one hour and keeps SourceIdentity sticky', async () => {
    const first = await sts(broker).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'first', SourceIdentity: 'alice', Tags: [{ Key: 'grant', Value: 'g7' }], TransitiveTagKeys: ['grant'] }));
    const operator = sts(sessionCreds(first));
    const target = 'arn:aws:iam::123456789012:role/chained-target';
    const tooLong = await failure(operator.send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: 'second', DurationSeconds: 7200 })));
    assert.equal(tooLong.name, 'ValidationError');
    assert.match(tooLong.message, /1 hour session limit/);
    const second = await operator.send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: 'second' }));
    assert.equal(second.SourceIdentity, 'alice', 'inherited without being passed');
    const changed = await failure(operator.send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: 'third', SourceIdentity: 'mallory' })));
    assert.equal(changed.name, 'AccessDenied');
    const session = sandbox.world.sessions[second.Credentials!.AccessKeyId!]!;
    assert.equal(session.tags.grant, 'g7', 'transitive tag passed on');
    assert.equal(session.chained, true);
  });

  it('refuses principals the trust policy does not name, and malformed session names', async () => {
    const denied = await failure(sts(keyOf(scenario, 'alice')).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'sneaky' })));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
    assert.match(denied.message, /user\/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/prod-operator/);
    const missing = await failure(sts(broker).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/no-such-role', RoleSessionName: 'x1' })));
    assert.equal(missing.name, 'AccessDenied');
    const badName = await failure(sts(broker).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'has space' })));
    assert.equal(badName.name, 'ValidationError');
  });

  it('requires sts:SetSourceIdentity and sts:TagSession in the trust policy when used', async () => {
    const { sandbox: strict, scenario: s } = await startDemo({}, (sc) => {
      const role = sc.roles!.find((r) => r.name === 'prod-operator')!;
      role.trustPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/tidemark-broker' }, Action: 'sts:AssumeRole' }] };
    });
    try {
      const client = clientsFor(strict, keyOf(s, 'tidemark-broker')).sts;
      await client.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'plain' }));
      const si = await failure(client.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'si', SourceIdentity: 'alice' })));
      assert.equal(si.name, 'AccessDenied');
      assert.match(si.message, /sts:SetSourceIdentity/);
      const tags = await failure(client.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'tg', Tags: [{ Key: 'a', Value: 'b' }] })));
      assert.match(tags.message, /sts:TagSession/);
    } finally {
      await strict.stop();
    }
  });

  it('expires session credentials with ExpiredToken when the world clock passes their expiry', async () => {
    const out = await sts(broker).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'short', DurationSeconds: 900 }));
    const creds = sessionCreds(out);
    await sts(creds).send(new GetCallerIdentityCommand({}));
    const moved = await admin(sandbox, 'POST', 'clock', { advanceSeconds: 901 });
    assert.equal(moved.status, 200);
    try {
      const expired = await failure(sts(creds).send(new GetCallerIdentityCommand({})));
      assert.equal(expired.name, 'ExpiredToken');
      assert.equal(expired.status, 403);
      const s3 = await failure(clientsFor(sandbox, creds).s3.send(new (await import('@aws-sdk/client-s3')).ListBucketsCommand({})));
      assert.equal(s3.name, 'ExpiredToken');
    } finally {
      sandbox.advanceClock(-901);
    }
  });

  it('rejects a session token that does not belong to the key', async () => {
    const out = await sts(broker).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'tok' }));
    const creds = { ...sessionCreds(out), sessionToken: 'forged' };
    const err = await failure(sts(creds).send(new GetCallerIdentityCommand({})));
    assert.equal(err.name, 'InvalidClientTokenId');
  });
});
