// S3 sub-resource types against the sandbox with the real SDK: provider-shaped state matches the
// live configuration; a live change is drift on its attribute; the writer reverts it; a fresh read
// is clean; a configuration removed by hand reads as the resource missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteBucketCorsCommand, DeleteBucketOwnershipControlsCommand, DeleteBucketWebsiteCommand, PutBucketCorsCommand, PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand, PutBucketWebsiteCommand, S3Client,
} from '@aws-sdk/client-s3';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { createClients, AwsClients } from '../../server/src/cloud/clients';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { LiveReader } from '../../server/src/cloud/reader';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import type { StateInstance } from '../../server/src/model';
import { DEMO_SCENARIO, demoScenario, keyOf } from '../sandbox/helpers';
import { driftsOf, revertAll } from './type-check-helpers';

const ASSETS = 'tidemark-demo-assets';
const LOGS = 'tidemark-demo-logs';

let sandbox: SandboxHandle;
let s3: S3Client;
let clients: AwsClients;

function inst(type: string, name: string, attributes: Record<string, unknown>): StateInstance {
  return { address: `${type}.${name}`, resourceAddress: `${type}.${name}`, type, name, module: '', attributes };
}

/** As the AWS provider v5 records these resources after apply. */
const state = (): StateInstance[] => [
  inst('aws_s3_bucket_ownership_controls', 'assets', { id: ASSETS, bucket: ASSETS, rule: [{ object_ownership: 'BucketOwnerEnforced' }] }),
  inst('aws_s3_bucket_logging', 'assets', {
    id: ASSETS, bucket: ASSETS, expected_bucket_owner: '', target_bucket: LOGS, target_prefix: 'assets/', target_grant: [], target_object_key_format: [],
  }),
  // Rules and the values inside them in another order than S3 returns them: sets.
  inst('aws_s3_bucket_cors_configuration', 'assets', {
    id: ASSETS, bucket: ASSETS, expected_bucket_owner: '',
    cors_rule: [
      { id: 'read', allowed_headers: [], allowed_methods: ['HEAD', 'GET'], allowed_origins: ['https://b.example', 'https://a.example'], expose_headers: ['ETag'], max_age_seconds: 3000 },
      { id: '', allowed_headers: ['*'], allowed_methods: ['PUT'], allowed_origins: ['https://a.example'], expose_headers: [], max_age_seconds: null },
    ],
  }),
  inst('aws_s3_bucket_website_configuration', 'assets', {
    id: ASSETS, bucket: ASSETS, expected_bucket_owner: '', index_document: [{ suffix: 'index.html' }], error_document: [{ key: 'error.html' }],
    redirect_all_requests_to: [], routing_rule: [], routing_rules: '', website_domain: 's3-website-us-east-1.amazonaws.com', website_endpoint: `${ASSETS}.s3-website-us-east-1.amazonaws.com`,
  }),
];

async function read() {
  const result = await new LiveReader(clients, RESOURCE_TYPES).read(state());
  assert.deepEqual(result.failures, []);
  return result.snapshot;
}

before(async () => {
  sandbox = await startSandbox(DEMO_SCENARIO);
  const credentials = keyOf(demoScenario(), 'carol');
  s3 = new S3Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials, forcePathStyle: true });
  clients = await createClients(resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined), { credentials });
  await s3.send(new PutBucketLoggingCommand({ Bucket: ASSETS, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: LOGS, TargetPrefix: 'assets/' } } }));
  await s3.send(new PutBucketCorsCommand({ Bucket: ASSETS, CORSConfiguration: { CORSRules: [
    { AllowedHeaders: ['*'], AllowedMethods: ['PUT'], AllowedOrigins: ['https://a.example'] },
    { ID: 'read', AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['https://a.example', 'https://b.example'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 },
  ] } }));
  await s3.send(new PutBucketWebsiteCommand({ Bucket: ASSETS, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } } }));
});

after(async () => {
  await sandbox?.stop();
});

test('provider-shaped state of the S3 sub-resource types matches the live configuration', async () => {
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), await read()), []);
});

const CHANGES: Array<{ drift: string; change: () => Promise<unknown> }> = [
  { drift: 'aws_s3_bucket_ownership_controls.assets rule', change: () => s3.send(new PutBucketOwnershipControlsCommand({ Bucket: ASSETS, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } })) },
  { drift: 'aws_s3_bucket_cors_configuration.assets cors_rule', change: () => s3.send(new PutBucketCorsCommand({ Bucket: ASSETS, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] } })) },
  { drift: 'aws_s3_bucket_website_configuration.assets error_document', change: () => s3.send(new PutBucketWebsiteCommand({ Bucket: ASSETS, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: '404.html' } } })) },
  { drift: 'aws_s3_bucket_logging.assets target_prefix', change: () => s3.send(new PutBucketLoggingCommand({ Bucket: ASSETS, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: LOGS, TargetPrefix: 'elsewhere/' } } })) },
];

test('a live change to each S3 sub-resource is drift on it; the writer reverts it; a fresh read is clean', async () => {
  for (const c of CHANGES) await c.change();
  const snapshot = await read();
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), snapshot).sort(), CHANGES.map((c) => c.drift).sort());
  const outcomes = await revertAll(RESOURCE_TYPES, state(), snapshot, clients);
  assert.deepEqual(outcomes.filter((o) => !o.ok), []);
  assert.deepEqual(driftsOf(RESOURCE_TYPES, state(), await read()), []);
});

test('ownership controls, CORS and website deleted and logging turned off by hand read as the resources missing', async () => {
  await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: ASSETS }));
  await s3.send(new PutBucketLoggingCommand({ Bucket: ASSETS, BucketLoggingStatus: {} }));
  await s3.send(new DeleteBucketCorsCommand({ Bucket: ASSETS }));
  await s3.send(new DeleteBucketWebsiteCommand({ Bucket: ASSETS }));
  const snapshot = await read();
  assert.equal(snapshot.get('aws_s3_bucket_cors_configuration.assets')?.status, 'missing');
  assert.equal(snapshot.get('aws_s3_bucket_website_configuration.assets')?.status, 'missing');
  assert.equal(snapshot.get('aws_s3_bucket_ownership_controls.assets')?.status, 'missing');
  assert.equal(snapshot.get('aws_s3_bucket_logging.assets')?.status, 'missing');
});
