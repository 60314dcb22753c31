// S3 bucket configurations created through the S3 API: a site bucket (versioned; website, CORS,
// access logging, EventBridge notifications and replication into the archive), a log bucket
// (object-writer ownership, the log-delivery-write ACL, a lifecycle rule) and an archive bucket
// (Object Lock with a default retention, versioned: the replication destination).
import {
  CreateBucketCommand, GetBucketAclCommand, PutBucketAclCommand, PutBucketCorsCommand, PutBucketLifecycleConfigurationCommand, PutBucketLoggingCommand,
  PutBucketNotificationConfigurationCommand, PutBucketOwnershipControlsCommand, PutBucketReplicationCommand, PutBucketTaggingCommand, PutBucketVersioningCommand,
  PutBucketWebsiteCommand, PutObjectLockConfigurationCommand, S3Client,
} from '@aws-sdk/client-s3';
import type { BucketCannedACL } from '@aws-sdk/client-s3';
import { clientFor, type SeededBlock, type Seeder, type SeedTarget } from './seeder';
import { awsName, block, label, q, tagSet } from './hcl-text';
import { tagList } from './block-text';

// S3 documents log-delivery-write as a bucket canned ACL; the SDK's BucketCannedACL enum omits it.
const LOG_DELIVERY_WRITE = 'log-delivery-write' as unknown as BucketCannedACL;
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

const CONFIG_TYPES = [
  'aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_logging', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_acl', 'aws_s3_bucket_cors_configuration',
  'aws_s3_bucket_notification', 'aws_s3_bucket_website_configuration', 'aws_s3_bucket_replication_configuration', 'aws_s3_bucket_object_lock_configuration',
] as const;

/** One Get per bucket and configuration: S3 has no batch read of bucket sub-resources. */
const READ_OPERATION: Record<(typeof CONFIG_TYPES)[number], string> = {
  aws_s3_bucket_lifecycle_configuration: 's3:GetBucketLifecycleConfiguration',
  aws_s3_bucket_logging: 's3:GetBucketLogging',
  aws_s3_bucket_ownership_controls: 's3:GetBucketOwnershipControls',
  aws_s3_bucket_acl: 's3:GetBucketAcl',
  aws_s3_bucket_cors_configuration: 's3:GetBucketCors',
  aws_s3_bucket_notification: 's3:GetBucketNotificationConfiguration',
  aws_s3_bucket_website_configuration: 's3:GetBucketWebsite',
  aws_s3_bucket_replication_configuration: 's3:GetBucketReplication',
  aws_s3_bucket_object_lock_configuration: 's3:GetObjectLockConfiguration',
};

const emptyLifecycleFilter = { and: [], object_size_greater_than: '', object_size_less_than: '', prefix: '', tag: [] };

async function seedUnit(target: SeedTarget, suffix: string): Promise<SeededBlock[]> {
  const s3 = clientFor(S3Client, target);
  const n = (prefix: string) => label(prefix, suffix);
  const region = target.region;
  const names = { site: awsName('bench-site', suffix), logs: awsName('bench-logs', suffix), archive: awsName('bench-archive', suffix) };
  const role = `arn:aws:iam::${target.account}:role/bench-s3-replication`;
  const location = region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } };
  const bucketBlocks: SeededBlock[] = [];
  for (const [kind, bucket] of Object.entries(names)) {
    const tags = tagSet(bucket);
    const lock = kind === 'archive';
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ...location, ...(lock ? { ObjectLockEnabledForBucket: true } : {}) }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tagList(tags.live) } }));
    bucketBlocks.push({
      type: 'aws_s3_bucket', name: n(kind),
      hcl: block('aws_s3_bucket', n(kind), [`  bucket = ${q(bucket)}`, ...(lock ? ['  object_lock_enabled = true'] : []), '', tags.hcl]),
      attributes: { id: bucket, bucket, arn: `arn:aws:s3:::${bucket}`, region, force_destroy: false, object_lock_enabled: lock, ...tags.state },
    });
  }
  for (const bucket of [names.site, names.archive]) await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: names.logs, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
  await s3.send(new PutBucketAclCommand({ Bucket: names.logs, ACL: LOG_DELIVERY_WRITE }));
  const owner = (await s3.send(new GetBucketAclCommand({ Bucket: names.logs }))).Owner!;
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: names.logs, LifecycleConfiguration: { Rules: [
    { ID: 'expire', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 90 } },
  ] } }));
  await s3.send(new PutBucketLoggingCommand({ Bucket: names.site, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: names.logs, TargetPrefix: 'site/' } } }));
  await s3.send(new PutBucketCorsCommand({ Bucket: names.site, CORSConfiguration: { CORSRules: [
    { ID: 'read', AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['https://www.example.com'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 },
  ] } }));
  await s3.send(new PutBucketWebsiteCommand({ Bucket: names.site, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } } }));
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: names.site, NotificationConfiguration: { EventBridgeConfiguration: {} } }));
  await s3.send(new PutObjectLockConfigurationCommand({ Bucket: names.archive, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } } }));
  await s3.send(new PutBucketReplicationCommand({ Bucket: names.site, ReplicationConfiguration: { Role: role, Rules: [{
    ID: 'archive', Priority: 1, Status: 'Enabled', Filter: { Prefix: '' }, DeleteMarkerReplication: { Status: 'Disabled' },
    Destination: { Bucket: `arn:aws:s3:::${names.archive}`, StorageClass: 'STANDARD_IA' },
  }] } }));

  const ref = (kind: keyof typeof names) => `aws_s3_bucket.${n(kind)}`;
  const on = (kind: keyof typeof names) => `  bucket = ${ref(kind)}.id`;
  const grant = (type: string, who: { id?: string; uri?: string }, permission: string) => ({
    grantee: [{ display_name: type === 'CanonicalUser' ? owner.DisplayName ?? '' : '', email_address: '', id: who.id ?? '', type, uri: who.uri ?? '' }], permission,
  });
  return [
    ...bucketBlocks,
    ...(['site', 'archive'] as const).map((kind): SeededBlock => ({
      type: 'aws_s3_bucket_versioning', name: n(kind),
      hcl: block('aws_s3_bucket_versioning', n(kind), [on(kind), '', '  versioning_configuration {', '    status = "Enabled"', '  }']),
      attributes: { id: names[kind], bucket: names[kind], expected_bucket_owner: '', mfa: null, versioning_configuration: [{ mfa_delete: '', status: 'Enabled' }] },
      dependencies: [ref(kind)],
    })),
    {
      type: 'aws_s3_bucket_ownership_controls', name: n('logs'),
      hcl: block('aws_s3_bucket_ownership_controls', n('logs'), [on('logs'), '', '  rule {', '    object_ownership = "ObjectWriter"', '  }']),
      attributes: { id: names.logs, bucket: names.logs, rule: [{ object_ownership: 'ObjectWriter' }] },
      dependencies: [ref('logs')],
    },
    {
      type: 'aws_s3_bucket_acl', name: n('logs'),
      hcl: block('aws_s3_bucket_acl', n('logs'), [on('logs'), '  acl    = "log-delivery-write"', '', `  depends_on = [aws_s3_bucket_ownership_controls.${n('logs')}]`]),
      attributes: {
        access_control_policy: [{
          grant: [grant('CanonicalUser', { id: owner.ID }, 'FULL_CONTROL'), grant('Group', { uri: LOG_DELIVERY }, 'READ_ACP'), grant('Group', { uri: LOG_DELIVERY }, 'WRITE')],
          owner: [{ display_name: owner.DisplayName ?? '', id: owner.ID! }],
        }],
        acl: 'log-delivery-write', bucket: names.logs, expected_bucket_owner: '', id: `${names.logs},log-delivery-write`,
      },
      dependencies: [ref('logs'), `aws_s3_bucket_ownership_controls.${n('logs')}`],
    },
    {
      type: 'aws_s3_bucket_lifecycle_configuration', name: n('logs'),
      hcl: block('aws_s3_bucket_lifecycle_configuration', n('logs'), [
        on('logs'), '', '  rule {', '    id     = "expire"', '    status = "Enabled"', '', '    filter {', '      prefix = "logs/"', '    }', '', '    expiration {', '      days = 90', '    }', '  }',
      ]),
      attributes: {
        bucket: names.logs, expected_bucket_owner: '', id: names.logs, transition_default_minimum_object_size: 'all_storage_classes_128K', timeouts: null,
        rule: [{
          abort_incomplete_multipart_upload: [], expiration: [{ date: '', days: 90, expired_object_delete_marker: false }], filter: [{ ...emptyLifecycleFilter, prefix: 'logs/' }],
          id: 'expire', noncurrent_version_expiration: [], noncurrent_version_transition: [], prefix: '', status: 'Enabled', transition: [],
        }],
      },
      dependencies: [ref('logs')],
    },
    {
      type: 'aws_s3_bucket_logging', name: n('site'),
      hcl: block('aws_s3_bucket_logging', n('site'), [on('site'), '', `  target_bucket = ${ref('logs')}.id`, '  target_prefix = "site/"']),
      attributes: { id: names.site, bucket: names.site, expected_bucket_owner: '', target_bucket: names.logs, target_prefix: 'site/', target_grant: [], target_object_key_format: [] },
      dependencies: [ref('logs'), ref('site')],
    },
    {
      type: 'aws_s3_bucket_cors_configuration', name: n('site'),
      hcl: block('aws_s3_bucket_cors_configuration', n('site'), [
        on('site'), '', '  cors_rule {', '    id              = "read"', '    allowed_methods = ["GET", "HEAD"]', '    allowed_origins = ["https://www.example.com"]',
        '    expose_headers  = ["ETag"]', '    max_age_seconds = 3000', '  }',
      ]),
      attributes: {
        id: names.site, bucket: names.site, expected_bucket_owner: '',
        cors_rule: [{ id: 'read', allowed_headers: [], allowed_methods: ['GET', 'HEAD'], allowed_origins: ['https://www.example.com'], expose_headers: ['ETag'], max_age_seconds: 3000 }],
      },
      dependencies: [ref('site')],
    },
    {
      type: 'aws_s3_bucket_website_configuration', name: n('site'),
      hcl: block('aws_s3_bucket_website_configuration', n('site'), [
        on('site'), '', '  index_document {', '    suffix = "index.html"', '  }', '', '  error_document {', '    key = "error.html"', '  }',
      ]),
      attributes: {
        id: names.site, bucket: names.site, expected_bucket_owner: '', index_document: [{ suffix: 'index.html' }], error_document: [{ key: 'error.html' }],
        redirect_all_requests_to: [], routing_rule: [], routing_rules: '', website_domain: `s3-website-${region}.amazonaws.com`, website_endpoint: `${names.site}.s3-website-${region}.amazonaws.com`,
      },
      dependencies: [ref('site')],
    },
    {
      type: 'aws_s3_bucket_notification', name: n('site'),
      hcl: block('aws_s3_bucket_notification', n('site'), [on('site'), '  eventbridge = true']),
      attributes: { id: names.site, bucket: names.site, eventbridge: true, lambda_function: [], queue: [], topic: [] },
      dependencies: [ref('site')],
    },
    {
      type: 'aws_s3_bucket_object_lock_configuration', name: n('archive'),
      hcl: block('aws_s3_bucket_object_lock_configuration', n('archive'), [
        on('archive'), '', '  rule {', '    default_retention {', '      mode = "GOVERNANCE"', '      days = 30', '    }', '  }',
      ]),
      attributes: {
        bucket: names.archive, expected_bucket_owner: '', id: names.archive, object_lock_enabled: 'Enabled', rule: [{ default_retention: [{ days: 30, mode: 'GOVERNANCE', years: 0 }] }], token: null,
      },
      dependencies: [ref('archive')],
    },
    {
      type: 'aws_s3_bucket_replication_configuration', name: n('site'),
      hcl: block('aws_s3_bucket_replication_configuration', n('site'), [
        on('site'), `  role   = ${q(role)}`, '', '  rule {', '    id       = "archive"', '    priority = 1', '    status   = "Enabled"', '', '    filter {}', '',
        '    delete_marker_replication {', '      status = "Disabled"', '    }', '', '    destination {', `      bucket        = ${ref('archive')}.arn`, '      storage_class = "STANDARD_IA"', '    }', '  }',
        '', `  depends_on = [aws_s3_bucket_versioning.${n('site')}]`,
      ]),
      attributes: {
        bucket: names.site, id: names.site, role, token: null,
        rule: [{
          id: 'archive', priority: 1, prefix: '', status: 'Enabled', filter: [{ and: [], prefix: '', tag: [] }], delete_marker_replication: [{ status: 'Disabled' }],
          existing_object_replication: [], source_selection_criteria: [],
          destination: [{ access_control_translation: [], account: '', bucket: `arn:aws:s3:::${names.archive}`, encryption_configuration: [], metrics: [], replication_time: [], storage_class: 'STANDARD_IA' }],
        }],
      },
      dependencies: [ref('archive'), ref('site'), `aws_s3_bucket_versioning.${n('site')}`],
    },
  ];
}

export const s3Seeder: Seeder = {
  family: 's3',
  types: ['aws_s3_bucket', 'aws_s3_bucket_versioning', ...CONFIG_TYPES],
  seedUnit,
  lowerBound(byType) {
    // Buckets (Tagging API) and versioning (one GetBucketVersioning each) are in the generator's bound.
    const out: Record<string, number> = {};
    for (const type of CONFIG_TYPES) if (byType[type]) out[READ_OPERATION[type]] = byType[type]!;
    return out;
  },
  readActions: [
    's3:GetLifecycleConfiguration', 's3:GetBucketLogging', 's3:GetBucketOwnershipControls', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:GetBucketNotification',
    's3:GetBucketWebsite', 's3:GetReplicationConfiguration', 's3:GetBucketObjectLockConfiguration', 's3:GetBucketVersioning', 's3:GetBucketTagging', 's3:ListAllMyBuckets',
  ],
};
