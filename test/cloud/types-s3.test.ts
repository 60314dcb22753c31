// S3 sub-resource types against the sandbox with the real SDK (the per-type contract of
// test/support/type-suite): provider-shaped state matches the live configuration; a live change is
// drift on its attribute; the writer reverts it; a fresh read is clean; a configuration removed by
// hand reads as the resource missing.
import {
  DeleteBucketCorsCommand, DeleteBucketOwnershipControlsCommand, DeleteBucketWebsiteCommand, PutBucketCorsCommand, PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand, PutBucketWebsiteCommand, S3Client,
} from '@aws-sdk/client-s3';
import type { StateInstance } from '../../server/src/model';
import { inst, typeSuite } from '../support/type-suite';

const ASSETS = 'tidemark-demo-assets';
const LOGS = 'tidemark-demo-logs';

let s3: S3Client;

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

const CHANGES: Array<{ drift: string; change: () => Promise<unknown> }> = [
  { drift: 'aws_s3_bucket_ownership_controls.assets rule', change: () => s3.send(new PutBucketOwnershipControlsCommand({ Bucket: ASSETS, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } })) },
  { drift: 'aws_s3_bucket_cors_configuration.assets cors_rule', change: () => s3.send(new PutBucketCorsCommand({ Bucket: ASSETS, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] } })) },
  { drift: 'aws_s3_bucket_website_configuration.assets error_document', change: () => s3.send(new PutBucketWebsiteCommand({ Bucket: ASSETS, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: '404.html' } } })) },
  { drift: 'aws_s3_bucket_logging.assets target_prefix', change: () => s3.send(new PutBucketLoggingCommand({ Bucket: ASSETS, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: LOGS, TargetPrefix: 'elsewhere/' } } })) },
];

typeSuite({
  async setup(env) {
    s3 = env.sdk(S3Client);
    await s3.send(new PutBucketLoggingCommand({ Bucket: ASSETS, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: LOGS, TargetPrefix: 'assets/' } } }));
    await s3.send(new PutBucketCorsCommand({ Bucket: ASSETS, CORSConfiguration: { CORSRules: [
      { AllowedHeaders: ['*'], AllowedMethods: ['PUT'], AllowedOrigins: ['https://a.example'] },
      { ID: 'read', AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['https://a.example', 'https://b.example'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 },
    ] } }));
    await s3.send(new PutBucketWebsiteCommand({ Bucket: ASSETS, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } } }));
  },
  state,
  changes: {
    'a live change to each S3 sub-resource': { drifts: CHANGES.map((c) => c.drift), change: async () => { for (const c of CHANGES) await c.change(); } },
  },
  removals: {
    'ownership controls deleted': { missing: 'aws_s3_bucket_ownership_controls.assets', change: () => s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: ASSETS })) },
    'logging turned off': { missing: 'aws_s3_bucket_logging.assets', change: () => s3.send(new PutBucketLoggingCommand({ Bucket: ASSETS, BucketLoggingStatus: {} })) },
    'CORS deleted': { missing: 'aws_s3_bucket_cors_configuration.assets', change: () => s3.send(new DeleteBucketCorsCommand({ Bucket: ASSETS })) },
    'website deleted': { missing: 'aws_s3_bucket_website_configuration.assets', change: () => s3.send(new DeleteBucketWebsiteCommand({ Bucket: ASSETS })) },
  },
});
