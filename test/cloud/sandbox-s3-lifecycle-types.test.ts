// aws_s3_bucket_lifecycle_configuration against the sandbox through the real SDK (the per-type
// contract of test/support/type-suite): provider-shaped rules (zeros, empty strings and empty
// blocks for what is not set, rules in another order) match; a rule changed by hand is drift on
// `rule`, written back; the configuration deleted by hand reads as missing.
import { DeleteBucketLifecycleCommand, PutBucketLifecycleConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { inst, typeSuite } from '../support/type-suite';

const LOGS = 'tidemark-demo-logs';
let s3: S3Client;

const emptyFilter = { and: [], object_size_greater_than: '', object_size_less_than: '', prefix: '', tag: [] };

typeSuite({
  async setup(env) {
    s3 = env.sdk(S3Client);
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: LOGS, LifecycleConfiguration: { Rules: [
      { ID: 'uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
      {
        ID: 'archive', Status: 'Enabled', Filter: { Prefix: 'logs/' },
        Transitions: [{ Days: 90, StorageClass: 'GLACIER' }, { Days: 30, StorageClass: 'STANDARD_IA' }], Expiration: { Days: 365 },
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      },
    ] } }));
  },
  state: () => [
    inst('aws_s3_bucket_lifecycle_configuration', 'logs', {
      bucket: LOGS, expected_bucket_owner: '', id: LOGS, transition_default_minimum_object_size: 'all_storage_classes_128K', timeouts: null,
      rule: [
        {
          abort_incomplete_multipart_upload: [], expiration: [{ date: '', days: 365, expired_object_delete_marker: false }], filter: [{ ...emptyFilter, prefix: 'logs/' }], id: 'archive',
          noncurrent_version_expiration: [{ newer_noncurrent_versions: '', noncurrent_days: 30 }], noncurrent_version_transition: [], prefix: '', status: 'Enabled',
          transition: [{ date: '', days: 30, storage_class: 'STANDARD_IA' }, { date: '', days: 90, storage_class: 'GLACIER' }],
        },
        {
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }], expiration: [], filter: [emptyFilter], id: 'uploads', noncurrent_version_expiration: [],
          noncurrent_version_transition: [], prefix: '', status: 'Enabled', transition: [],
        },
      ],
    }),
  ],
  changes: {
    'expiration shortened and a rule disabled by hand': {
      drifts: ['aws_s3_bucket_lifecycle_configuration.logs rule'],
      change: () => s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: LOGS, LifecycleConfiguration: { Rules: [
        { ID: 'uploads', Status: 'Disabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
        { ID: 'archive', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 90, StorageClass: 'GLACIER' }], Expiration: { Days: 7 }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
      ] } })),
    },
  },
  removals: {
    'the configuration deleted by hand': { missing: 'aws_s3_bucket_lifecycle_configuration.logs', change: () => s3.send(new DeleteBucketLifecycleCommand({ Bucket: LOGS })) },
  },
});
