// Authentication and authorization at the edge: unknown keys, bad signatures, unsigned and stale
// requests, presigned GetCallerIdentity (identity proofs), explicit deny, and fault injection
// surfacing as the SDK's retryable throttling and server errors.
import { Sha256 } from '@aws-crypto/sha256-js';
import { DescribeInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxHandle, Scenario } from '../../sandbox/src/index';
import { admin, clientsFor, failure, keyOf, startDemo, type Credentials } from './helpers';
import { fakeKeyId } from '../support/fake-keys';

const DENIED_KEY = fakeKeyId('AKIA');

function presignedIdentityRequest(endpoint: string, creds: Credentials, expiresIn: number, signingDate?: Date): Promise<URL> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: creds, sha256: Sha256 });
  return signer.presign({
    method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: url.host },
  }, { expiresIn, signingDate }).then((signed) => {
    const out = new URL(endpoint);
    for (const [k, v] of Object.entries(signed.query ?? {})) out.searchParams.set(k, String(v));
    return out;
  });
}

describe('authentication and authorization', () => {
  let sandbox: SandboxHandle;
  let scenario: Scenario;

  before(async () => {
    ({ sandbox, scenario } = await startDemo({}, (s) => {
      s.users!.push({
        name: 'denied-stopper', accessKeys: [{ id: DENIED_KEY, secret: 'denied-stopper-secret-0000000' }],
        policies: {
          all: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
          noStop: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:Stop*', Resource: 'arn:aws:ec2:*:*:instance/i-0a1b2c3d4e5f60c0?' }] },
        },
      });
    }));
  });
  after(() => sandbox.stop());

  it('rejects an unknown access key with each service’s code', async () => {
    const ghost = { accessKeyId: fakeKeyId('AKIA'), secretAccessKey: 'x'.repeat(40) };
    const c = clientsFor(sandbox, ghost);
    const sts = await failure(c.sts.send(new GetCallerIdentityCommand({})));
    assert.deepEqual([sts.name, sts.status], ['InvalidClientTokenId', 403]);
    const ec2 = await failure(c.ec2.send(new DescribeInstancesCommand({})));
    assert.deepEqual([ec2.name, ec2.status], ['AuthFailure', 401]);
    const s3 = await failure(c.s3.send(new ListBucketsCommand({})));
    assert.deepEqual([s3.name, s3.status], ['InvalidAccessKeyId', 403]);
  });

  it('rejects a wrong secret with SignatureDoesNotMatch', async () => {
    const wrong = { ...keyOf(scenario, 'alice'), secretAccessKey: 'not-the-secret-at-all-0000000000000000000' };
    const c = clientsFor(sandbox, wrong);
    const calls = [() => c.sts.send(new GetCallerIdentityCommand({})), () => c.ec2.send(new DescribeInstancesCommand({})), () => c.s3.send(new ListBucketsCommand({})), () => c.tagging.send(new GetResourcesCommand({}))];
    for (const call of calls) {
      const err = await failure(call());
      assert.equal(err.name, 'SignatureDoesNotMatch');
      assert.equal(err.status, 403);
    }
  });

  it('rejects unsigned requests', async () => {
    const res = await fetch(sandbox.endpoint + '/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<Code>MissingAuthenticationToken<\/Code>/);
  });

  it('executes a presigned GetCallerIdentity (identity proof) and refuses it once tampered or expired', async () => {
    const alice = keyOf(scenario, 'alice');
    const url = await presignedIdentityRequest(sandbox.endpoint, alice, 60);
    const ok = await fetch(url);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /<Arn>arn:aws:iam::123456789012:user\/alice<\/Arn>/);
    const tampered = new URL(url);
    tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    assert.equal((await fetch(tampered)).status, 403);
    sandbox.advanceClock(61);
    try {
      const expired = await fetch(url);
      assert.equal(expired.status, 403);
      assert.match(await expired.text(), /Signature expired/);
    } finally {
      sandbox.advanceClock(-61);
    }
  });

  it('refuses a header-signed request whose X-Amz-Date is more than 15 minutes old', async () => {
    const url = new URL(sandbox.endpoint);
    const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: keyOf(scenario, 'alice'), sha256: Sha256 });
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {},
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' }, body,
    }, { signingDate: new Date(Date.now() - 20 * 60 * 1000) });
    const res = await fetch(sandbox.endpoint + '/', { method: 'POST', headers: signed.headers, body });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Signature expired/);
  });

  it('lets an explicit Deny override an Allow', async () => {
    const c = clientsFor(sandbox, keyOf(scenario, 'denied-stopper'));
    await c.ec2.send(new DescribeInstancesCommand({}));
    const err = await failure(c.ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0a1b2c3d4e5f60c01'] })));
    assert.equal(err.name, 'UnauthorizedOperation');
    assert.match(err.message, /explicit deny/);
  });
});

describe('fault injection', () => {
  let sandbox: SandboxHandle;
  let scenario: Scenario;

  before(async () => {
    ({ sandbox, scenario } = await startDemo({ faults: { ec2: { throttleRate: 1 }, s3: { errorRate: 1 }, tagging: { requestsPerSecond: 1 } } }));
  });
  after(() => sandbox.stop());

  it('throttles EC2 with RequestLimitExceeded, which the SDK retries', async () => {
    const c = clientsFor(sandbox, keyOf(scenario, 'drift-reader'), 2);
    sandbox.resetStats();
    const err = await failure(c.ec2.send(new DescribeInstancesCommand({})));
    assert.equal(err.name, 'RequestLimitExceeded');
    assert.equal(err.status, 503);
    assert.equal(sandbox.stats()['ec2:DescribeInstances'], 2, 'the SDK classified it as retryable and tried again');
  });

  it('answers S3 with 500 InternalError, which the SDK retries', async () => {
    const c = clientsFor(sandbox, keyOf(scenario, 'drift-reader'), 2);
    sandbox.resetStats();
    const err = await failure(c.s3.send(new ListBucketsCommand({})));
    assert.deepEqual([err.name, err.status], ['InternalError', 500]);
    assert.equal(sandbox.stats()['s3:ListBuckets'], 2);
  });

  it('throttles the Tagging API above its request rate with ThrottledException', async () => {
    const c = clientsFor(sandbox, keyOf(scenario, 'drift-reader'), 1);
    await c.tagging.send(new GetResourcesCommand({}));
    const err = await failure(c.tagging.send(new GetResourcesCommand({})));
    assert.equal(err.name, 'ThrottledException');
  });

  it('changes knobs at run time through POST /_sandbox/faults', async () => {
    const bad = await admin(sandbox, 'POST', 'faults', { ec2: { throttleRate: 2 } });
    assert.equal(bad.status, 400);
    const set = await admin(sandbox, 'POST', 'faults', { default: { latencyMs: 0 } });
    assert.equal(set.status, 200);
    const c = clientsFor(sandbox, keyOf(scenario, 'drift-reader'));
    const out = await c.ec2.send(new DescribeInstancesCommand({}));
    assert.equal(out.Reservations!.length, 2);
  });
});
