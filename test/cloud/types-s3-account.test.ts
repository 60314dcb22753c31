// aws_s3_account_public_access_block against the sandbox through the real S3 Control SDK client
// (the per-type contract of test/support/type-suite): the account's block changed by hand is drift
// that PutPublicAccessBlock reverts; deleted, the resource reads as missing (the provider drops
// it from state). Then the wire: the account id reaches the sandbox in x-amz-account-id (a custom
// endpoint cannot carry it in the host name), another account is refused, the writes land in
// CloudTrail as s3.amazonaws.com account-level events that attribution maps to the flags, and
// the account's BlockPublicPolicy refuses a public bucket policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PutBucketPolicyCommand, PutPublicAccessBlockCommand as PutPublicAccessBlockBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DeletePublicAccessBlockCommand, GetPublicAccessBlockCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { awsCliCalls, callExplains } from '../../server/src/attribution/cli-command';
import { eventExplains } from '../../server/src/attribution/event-attributes';
import { validateScenario } from '../../sandbox/src/index';
import { assertDriftReverted, inst, readLive, typeSuite } from '../support/type-suite';

const BLOCK = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false };
let account = '';

const suite = typeSuite({
  async setup(env) {
    account = env.scenario.account;
    await env.clients.s3control.send(new PutPublicAccessBlockCommand({ AccountId: account, PublicAccessBlockConfiguration: BLOCK }));
  },
  // As the AWS provider v5 records it after apply: id and account_id are the account, every flag set.
  state: () => [inst('aws_s3_account_public_access_block', 'this', {
    id: account, account_id: account, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: false,
  })],
  changes: {
    'public policies allowed and public buckets restricted by hand': {
      drifts: ['aws_s3_account_public_access_block.this block_public_policy', 'aws_s3_account_public_access_block.this restrict_public_buckets'],
      change: () => suite.env().clients.s3control.send(new PutPublicAccessBlockCommand({
        AccountId: account, PublicAccessBlockConfiguration: { ...BLOCK, BlockPublicPolicy: false, RestrictPublicBuckets: true },
      })),
    },
  },
  removals: {
    'the account block deleted': {
      missing: 'aws_s3_account_public_access_block.this',
      change: () => suite.env().clients.s3control.send(new DeletePublicAccessBlockCommand({ AccountId: account })),
    },
  },
});

test('two blocks declaring the same account cost one GetPublicAccessBlock; flags the state leaves out are false', async () => {
  const env = suite.env();
  await env.clients.s3control.send(new PutPublicAccessBlockCommand({ AccountId: account, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
  env.sandbox.resetStats();
  const state = [
    inst('aws_s3_account_public_access_block', 'a', { id: account, block_public_acls: true }),
    inst('aws_s3_account_public_access_block', 'b', { id: account, account_id: account, block_public_acls: true, block_public_policy: false }),
  ];
  const snapshot = await readLive(env.clients, state);
  for (const i of state) {
    const entry = snapshot.get(i.address);
    assert.equal(entry?.status, 'found', JSON.stringify(entry));
    if (entry?.status === 'found') assert.deepEqual(entry.resource.attributes, { account_id: account, block_public_acls: true, block_public_policy: false, ignore_public_acls: false, restrict_public_buckets: false });
  }
  assert.equal(env.sandbox.stats()['s3:GetAccountPublicAccessBlock'], 1);
});

test('the sandbox reads the account from x-amz-account-id, refuses another account, records account-level CloudTrail events, and enforces the account block on bucket policies', async () => {
  const env = suite.env();
  await env.clients.s3control.send(new PutPublicAccessBlockCommand({ AccountId: account, PublicAccessBlockConfiguration: BLOCK }));
  const other = account === '210987654321' ? '123456789012' : '210987654321';
  await assert.rejects(env.clients.s3control.send(new GetPublicAccessBlockCommand({ AccountId: other })), { name: 'AccessDenied' });
  assert.deepEqual((await env.clients.s3control.send(new GetPublicAccessBlockCommand({ AccountId: account }))).PublicAccessBlockConfiguration, BLOCK);

  const s3 = env.sdk(S3Client);
  try {
    const bucket = env.scenario.buckets?.[0]?.name;
    assert.ok(bucket, 'the demo scenario has a bucket');
    const publicRead = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] });
    await assert.rejects(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicRead })), { name: 'AccessDenied' }, 'the account blocks public policies on every bucket');
  } finally {
    s3.destroy();
  }

  const events = env.sandbox.world.events.filter((e) => e.eventName === 'PutAccountPublicAccessBlock');
  assert.ok(events.length > 0);
  for (const e of events) {
    assert.equal(e.eventSource, 's3.amazonaws.com');
    assert.equal(e.readOnly, false);
    assert.ok(e.resources.some((r) => r.name === account), 'LookupEvents by the resource id (the account) finds the event');
  }
  assert.ok(!env.sandbox.world.events.some((e) => e.eventName === 'GetAccountPublicAccessBlock'), 'reads are not in event history');
  assert.ok(env.sandbox.world.events.some((e) => e.eventName === 'DeleteAccountPublicAccessBlock'));
  assert.ok(eventExplains({ eventName: 'PutAccountPublicAccessBlock' }, ['block_public_policy']));
  assert.ok(!eventExplains({ eventName: 'PutAccountPublicAccessBlock' }, ['tags']));
  const [call] = awsCliCalls(`aws s3control put-public-access-block --account-id ${account} --public-access-block-configuration BlockPublicPolicy=false`);
  assert.equal(callExplains(call!, { eventSource: 's3.amazonaws.com', eventName: 'PutAccountPublicAccessBlock' }), 'operation');
});

test('a scenario declares the account block; a bad flag is an error naming the field', () => {
  const s = validateScenario({ account: '123456789012', region: 'us-east-1', accountPublicAccessBlock: { blockPublicAcls: true, restrictPublicBuckets: true } });
  assert.deepEqual(s.accountPublicAccessBlock, { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: true });
  assert.throws(() => validateScenario({ account: '123456789012', region: 'us-east-1', accountPublicAccessBlock: { blockPublicAcl: true } }), /accountPublicAccessBlock\.blockPublicAcl: unknown field/);
});

test('two flags of a bucket\'s public access block changed by hand are both reverted (each write keeps the flags as they are now)', async () => {
  const env = suite.env();
  const bucket = env.scenario.buckets?.find((b) => b.publicAccessBlock)?.name;
  assert.ok(bucket, 'the demo scenario has a bucket with a public access block');
  const s3 = env.sdk(S3Client);
  try {
    await s3.send(new PutPublicAccessBlockBucketCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
    const state = [inst('aws_s3_bucket_public_access_block', 'assets', { id: bucket, bucket, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true })];
    await s3.send(new PutPublicAccessBlockBucketCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true } }));
    await assertDriftReverted(env.clients, state, ['aws_s3_bucket_public_access_block.assets block_public_acls', 'aws_s3_bucket_public_access_block.assets block_public_policy']);
  } finally {
    s3.destroy();
  }
});
