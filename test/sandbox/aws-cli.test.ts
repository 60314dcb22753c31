// The same core calls through the real `aws` CLI (botocore's own serializers and signer), run with
// a throw-away HOME and config so nothing on the machine leaks in. CI installs Debian's awscli;
// without any aws binary these tests fail, on purpose, with a message saying so.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxHandle, Scenario } from '../../sandbox/src/index';
import { keyOf, startDemo, type Credentials } from './helpers';
import { childEnv } from '../support/child-env';

/** Debian's /usr/bin/aws first (a pyenv shim earlier on PATH may be v1), else whatever PATH has. */
function awsBinary(): string | undefined {
  if (existsSync('/usr/bin/aws')) return '/usr/bin/aws';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'aws');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

describe('aws CLI against the sandbox', () => {
  let sandbox: SandboxHandle;
  let scenario: Scenario;
  const home = mkdtempSync(path.join(tmpdir(), 'tidemark-awscli-'));

  before(async () => {
    ({ sandbox, scenario } = await startDemo({}, (s) => { s.limits = { lookupEventsPerSecond: 0 }; }));
    writeFileSync(path.join(home, 'config'), '[default]\nregion = us-east-1\noutput = json\ns3 =\n    addressing_style = path\n');
    writeFileSync(path.join(home, 'credentials'), '');
  });
  after(async () => {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  });

  function aws(creds: Credentials, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const bin = awsBinary();
    if (!bin) throw new Error('no `aws` CLI found (looked for /usr/bin/aws and aws on PATH): install it with `apt-get install awscli`');
    // childEnv passes TZ and preload variables on (a run under libfaketime signs with the shifted clock).
    const env = childEnv({
      HOME: home, AWS_CONFIG_FILE: path.join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
      AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_PAGER: '',
      AWS_SESSION_TOKEN: creds.sessionToken,
    });
    return new Promise((resolve) => {
      execFile(bin, ['--endpoint-url', sandbox.endpoint, '--region', 'us-east-1', '--output', 'json', ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  async function json(creds: Credentials, ...args: string[]): Promise<Record<string, unknown>> {
    const r = await aws(creds, ...args);
    assert.equal(r.code, 0, `aws ${args.join(' ')} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  it('ec2 describe-instances', async () => {
    const out = await json(keyOf(scenario, 'drift-reader'), 'ec2', 'describe-instances', '--filters', 'Name=tag:Env,Values=prod');
    const ids = (out.Reservations as { Instances: { InstanceId: string; InstanceType: string }[] }[]).flatMap((r) => r.Instances.map((i) => `${i.InstanceId}/${i.InstanceType}`)).sort();
    assert.deepEqual(ids, ['i-0a1b2c3d4e5f60c01/t3.micro', 'i-0a1b2c3d4e5f60c02/t3.small']);
  });

  it('s3api get-bucket-tagging and put-bucket-tagging (with the CLI’s checksum headers)', async () => {
    const out = await json(keyOf(scenario, 'drift-reader'), 's3api', 'get-bucket-tagging', '--bucket', 'tidemark-demo-assets');
    assert.deepEqual((out.TagSet as { Key: string; Value: string }[]).find((t) => t.Key === 'Env'), { Key: 'Env', Value: 'prod' });
    const put = await aws(keyOf(scenario, 'carol'), 's3api', 'put-bucket-tagging', '--bucket', 'tidemark-demo-logs', '--tagging', 'TagSet=[{Key=Env,Value=prod},{Key=Owner,Value=carol}]');
    assert.equal(put.code, 0, put.stderr);
    assert.deepEqual(sandbox.world.buckets['tidemark-demo-logs']!.tags, { Env: 'prod', Owner: 'carol' });
    const missing = await aws(keyOf(scenario, 'drift-reader'), 's3api', 'get-bucket-tagging', '--bucket', 'no-such-bucket-here');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NoSuchBucket/);
  });

  it('sts assume-role --source-identity, then acts with the session', async () => {
    const out = await json(keyOf(scenario, 'tidemark-broker'), 'sts', 'assume-role', '--role-arn', 'arn:aws:iam::123456789012:role/prod-operator',
      '--role-session-name', 'tidemark-cli', '--source-identity', 'alice', '--duration-seconds', '900', '--tags', 'Key=tidemark-grant,Value=g-cli');
    assert.equal(out.SourceIdentity, 'alice');
    const c = out.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const who = await json({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken }, 'sts', 'get-caller-identity');
    assert.equal(who.Arn, 'arn:aws:sts::123456789012:assumed-role/prod-operator/tidemark-cli');
    const denied = await aws(keyOf(scenario, 'alice'), 'sts', 'assume-role', '--role-arn', 'arn:aws:iam::123456789012:role/prod-operator', '--role-session-name', 'nope');
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /AccessDenied/);
  });

  it('resourcegroupstaggingapi get-resources', async () => {
    const out = await json(keyOf(scenario, 'drift-reader'), 'resourcegroupstaggingapi', 'get-resources', '--resource-type-filters', 'ec2:instance', 's3');
    const arns = (out.ResourceTagMappingList as { ResourceARN: string }[]).map((r) => r.ResourceARN).sort();
    assert.deepEqual(arns, [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60c01', 'arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60c02',
      'arn:aws:s3:::tidemark-demo-assets', 'arn:aws:s3:::tidemark-demo-logs',
    ]);
  });

  it('cloudtrail lookup-events', async () => {
    const tag = await aws(keyOf(scenario, 'carol'), 'ec2', 'create-tags', '--resources', 'i-0a1b2c3d4e5f60c02', '--tags', 'Key=Team,Value=ops');
    assert.equal(tag.code, 0, tag.stderr);
    const out = await json(keyOf(scenario, 'drift-reader'), 'cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=CreateTags');
    const events = out.Events as { Username: string; CloudTrailEvent: string }[];
    assert.equal(events.length, 1);
    assert.equal(events[0]!.Username, 'carol');
    assert.equal((JSON.parse(events[0]!.CloudTrailEvent) as { userIdentity: { arn: string } }).userIdentity.arn, 'arn:aws:iam::123456789012:user/carol');
  });

  it('reports a wrong secret as SignatureDoesNotMatch', async () => {
    const r = await aws({ ...keyOf(scenario, 'alice'), secretAccessKey: 'wrong-secret-0000000000000000000000000000' }, 'ec2', 'describe-vpcs');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /SignatureDoesNotMatch/);
  });
});
