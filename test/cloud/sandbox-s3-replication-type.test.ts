// aws_s3_bucket_replication_configuration against the sandbox through the real SDK (the per-type
// contract of test/support/type-suite): provider-shaped rules (empty strings, zeros and empty
// blocks for what is not set, rules in another order, a V1 rule with the id S3 assigned) match; a
// rule or the role changed by hand is drift on exactly that attribute and is written back (both at
// once too: each writer keeps the other half); the configuration deleted by hand reads as missing.
// Then the sandbox's protocol: S3's error codes for what S3 refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateBucketCommand, DeleteBucketReplicationCommand, GetBucketReplicationCommand, PutBucketReplicationCommand, PutBucketVersioningCommand,
  ReplicationRule, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { eventExplains } from '../../server/src/attribution/event-attributes';
import { inst, typeSuite } from '../support/type-suite';

const ASSETS = 'tidemark-demo-assets';
const LOGS = 'tidemark-demo-logs';
const REPLICA = 'tidemark-demo-replica';
const LEGACY = 'tidemark-demo-legacy';
const ROLE = 'arn:aws:iam::123456789012:role/s3-replication';
let s3: S3Client;
let legacyId = '';

const RULES: ReplicationRule[] = [
  {
    ID: 'docs', Priority: 1, Status: 'Enabled', Filter: { Prefix: 'docs/' }, DeleteMarkerReplication: { Status: 'Disabled' },
    Destination: { Bucket: `arn:aws:s3:::${REPLICA}`, StorageClass: 'STANDARD_IA' },
  },
  {
    ID: 'everything', Priority: 2, Status: 'Enabled', Filter: { Prefix: '' }, DeleteMarkerReplication: { Status: 'Enabled' },
    SourceSelectionCriteria: { ReplicaModifications: { Status: 'Enabled' } },
    Destination: {
      Bucket: `arn:aws:s3:::${REPLICA}`, ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
      Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
    },
  },
];

const versioned = async (bucket: string): Promise<void> => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
};
const put = (bucket: string, Rules: ReplicationRule[], Role = ROLE) => s3.send(new PutBucketReplicationCommand({ Bucket: bucket, ReplicationConfiguration: { Role, Rules } }));

/** A destination block as the provider records one with only the bucket set. */
const destination = (extra: Record<string, unknown> = {}) => ({
  access_control_translation: [], account: '', bucket: `arn:aws:s3:::${REPLICA}`, encryption_configuration: [], metrics: [], replication_time: [], storage_class: '', ...extra,
});
const noFilter = { and: [], prefix: '', tag: [] };

const suite = typeSuite({
  async setup(env) {
    s3 = env.sdk(S3Client);
    await versioned(REPLICA);
    await versioned(LEGACY);
    await put(ASSETS, RULES);
    // A V1 rule (rule-level prefix) sent without an id: S3 assigns one, the provider records it.
    await put(LEGACY, [{ Status: 'Enabled', Prefix: 'old/', Destination: { Bucket: `arn:aws:s3:::${REPLICA}` } }]);
    const read = await s3.send(new GetBucketReplicationCommand({ Bucket: LEGACY }));
    legacyId = read.ReplicationConfiguration?.Rules?.[0]?.ID ?? '';
    assert.ok(legacyId, 'S3 assigns an id to a rule sent without one');
  },
  state: () => [
    inst('aws_s3_bucket_replication_configuration', 'assets', {
      bucket: ASSETS, id: ASSETS, role: ROLE, token: null,
      rule: [
        {
          id: 'everything', priority: 2, prefix: '', status: 'Enabled', filter: [{ ...noFilter }],
          delete_marker_replication: [{ status: 'Enabled' }], existing_object_replication: [],
          source_selection_criteria: [{ replica_modifications: [{ status: 'Enabled' }], sse_kms_encrypted_objects: [] }],
          destination: [destination({ replication_time: [{ status: 'Enabled', time: [{ minutes: 15 }] }], metrics: [{ status: 'Enabled', event_threshold: [{ minutes: 15 }] }] })],
        },
        {
          id: 'docs', priority: 1, prefix: '', status: 'Enabled', filter: [{ ...noFilter, prefix: 'docs/' }],
          delete_marker_replication: [{ status: 'Disabled' }], existing_object_replication: [], source_selection_criteria: [],
          destination: [destination({ storage_class: 'STANDARD_IA' })],
        },
      ],
    }),
    inst('aws_s3_bucket_replication_configuration', 'legacy', {
      bucket: LEGACY, id: LEGACY, role: ROLE, token: null,
      rule: [{
        id: legacyId, priority: 0, prefix: 'old/', status: 'Enabled', filter: [], delete_marker_replication: [], existing_object_replication: [],
        source_selection_criteria: [], destination: [destination()],
      }],
    }),
  ],
  changes: {
    'a rule disabled and its storage class changed by hand': {
      drifts: ['aws_s3_bucket_replication_configuration.assets rule'],
      change: () => put(ASSETS, [{ ...RULES[0]!, Status: 'Disabled', Destination: { Bucket: `arn:aws:s3:::${REPLICA}`, StorageClass: 'GLACIER' } }, RULES[1]!]),
    },
    'the role replaced by hand': {
      drifts: ['aws_s3_bucket_replication_configuration.assets role'],
      change: () => put(ASSETS, RULES, 'arn:aws:iam::123456789012:role/someone-else'),
    },
    'the role and a rule of the V1 configuration changed at once': {
      drifts: ['aws_s3_bucket_replication_configuration.legacy role', 'aws_s3_bucket_replication_configuration.legacy rule'],
      change: () => put(LEGACY, [{ ID: legacyId, Status: 'Enabled', Prefix: 'new/', Destination: { Bucket: `arn:aws:s3:::${REPLICA}` } }], 'arn:aws:iam::123456789012:role/someone-else'),
    },
  },
  removals: {
    'the configuration deleted by hand': { missing: 'aws_s3_bucket_replication_configuration.assets', change: () => s3.send(new DeleteBucketReplicationCommand({ Bucket: ASSETS })) },
  },
});

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof S3ServiceException, String(error));
    return `${error.$metadata.httpStatusCode} ${error.name}: ${error.message}`;
  }
  return 'no error';
}

test('the sandbox refuses what S3 refuses and answers "not configured" as S3 does', async () => {
  suite.env();
  assert.match(await codeOf(s3.send(new GetBucketReplicationCommand({ Bucket: LOGS }))), /^404 ReplicationConfigurationNotFoundError/);
  // The logs bucket was never versioned.
  assert.match(await codeOf(put(LOGS, RULES)), /^400 InvalidRequest: Versioning must be 'Enabled' on the bucket/);
  assert.match(await codeOf(put(LEGACY, [{ ...RULES[0]!, Destination: { Bucket: `arn:aws:s3:::${LOGS}` } }])), /^400 InvalidRequest: Destination bucket must have versioning enabled/);
  assert.match(await codeOf(put(LEGACY, [{ ...RULES[0]!, Destination: { Bucket: 'arn:aws:s3:::no-such-bucket-here' } }])), /^400 InvalidRequest: Destination bucket must exist/);
  assert.match(await codeOf(put(LEGACY, [{ ...RULES[0]!, DeleteMarkerReplication: undefined }])), /^400 InvalidRequest: DeleteMarkerReplication must be specified/);
  assert.match(await codeOf(put(LEGACY, [RULES[0]!, { ...RULES[1]!, Priority: 1 }])), /^400 InvalidRequest: Found two rules with same priority/);
  assert.match(await codeOf(put(LEGACY, [RULES[0]!, { ...RULES[1]!, ID: 'docs' }])), /^400 InvalidArgument: Rule Id must be unique/);
  // Versioning cannot be suspended under a replication configuration.
  assert.match(await codeOf(s3.send(new PutBucketVersioningCommand({ Bucket: LEGACY, VersioningConfiguration: { Status: 'Suspended' } }))), /^409 InvalidBucketState/);
  // The refused writes left the configuration as it was.
  const read = await s3.send(new GetBucketReplicationCommand({ Bucket: LEGACY }));
  assert.deepEqual(read.ReplicationConfiguration?.Rules?.map((r) => [r.ID, r.Prefix]), [[legacyId, 'old/']]);
});

test('a hand-made replication change is in CloudTrail and explains role and rule drift, not tag drift', async () => {
  const trail = suite.env().sdk(CloudTrailClient);
  const out = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: LEGACY }] }));
  const names = (out.Events ?? []).map((e) => e.EventName);
  assert.ok(names.includes('PutBucketReplication'), names.join(', '));
  assert.ok(eventExplains({ eventName: 'PutBucketReplication' }, ['rule']));
  assert.ok(eventExplains({ eventName: 'PutBucketReplication' }, ['role']));
  assert.equal(eventExplains({ eventName: 'PutBucketReplication' }, ['tags']), false);
  assert.equal(eventExplains({ eventName: 'DeleteBucketReplication' }, []), true);
});
