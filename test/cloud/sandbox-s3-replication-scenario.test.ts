// Scenario files declare bucket replication: the declared rules are what GetBucketReplication
// answers, a provider-shaped aws_s3_bucket_replication_configuration reads clean against them,
// and a mistaken declaration (unversioned source or destination, undeclared destination, a
// duplicate rule id) is reported with its file, line and field.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GetBucketReplicationCommand, S3Client } from '@aws-sdk/client-s3';
import { resolveAwsTarget } from '../../server/src/cloud/aws-env';
import { createClients } from '../../server/src/cloud/clients';
import { parseScenario, ScenarioError, startSandbox } from '../../sandbox/src/index';
import { assertClean, inst } from '../support/type-suite';
import { DEMO_SCENARIO, keyOf } from '../sandbox/helpers';

const ROLE = 'arn:aws:iam::123456789012:role/s3-replication';

/** The demo scenario with a replica bucket and `replication` on the assets bucket. */
function scenarioText(replication: string, replica = '    versioning: Enabled\n'): string {
  const demo = readFileSync(DEMO_SCENARIO, 'utf8');
  const assets = '  - name: tidemark-demo-assets\n';
  assert.ok(demo.includes(assets));
  return demo.replace(assets, `  - name: tidemark-demo-replica\n${replica}${assets}${replication}`);
}

const REPLICATION = `    replication:
      role: ${ROLE}
      rules:
        - { id: docs, priority: 1, prefix: docs/, destination: tidemark-demo-replica, storageClass: STANDARD_IA }
`;

test('a replication configuration declared in the scenario is served and reads clean', async () => {
  const scenario = parseScenario(scenarioText(REPLICATION), 'demo-replication.yaml');
  const sandbox = await startSandbox(scenario, {});
  try {
    const credentials = keyOf(scenario, 'carol');
    const s3 = new S3Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials, forcePathStyle: true });
    const out = await s3.send(new GetBucketReplicationCommand({ Bucket: 'tidemark-demo-assets' }));
    assert.equal(out.ReplicationConfiguration?.Role, ROLE);
    assert.deepEqual(out.ReplicationConfiguration?.Rules?.map((r) => [r.ID, r.Priority, r.Filter?.Prefix, r.Status, r.DeleteMarkerReplication?.Status, r.Destination?.Bucket, r.Destination?.StorageClass]), [
      ['docs', 1, 'docs/', 'Enabled', 'Disabled', 'arn:aws:s3:::tidemark-demo-replica', 'STANDARD_IA'],
    ]);
    const clients = await createClients(resolveAwsTarget({ region: sandbox.region, endpoint: sandbox.endpoint }, {}, undefined), { credentials });
    await assertClean(clients, [inst('aws_s3_bucket_replication_configuration', 'assets', {
      bucket: 'tidemark-demo-assets', id: 'tidemark-demo-assets', role: ROLE, token: null,
      rule: [{
        id: 'docs', priority: 1, prefix: '', status: 'Enabled', filter: [{ and: [], prefix: 'docs/', tag: [] }], delete_marker_replication: [{ status: 'Disabled' }],
        existing_object_replication: [], source_selection_criteria: [],
        destination: [{ access_control_translation: [], account: '', bucket: 'arn:aws:s3:::tidemark-demo-replica', encryption_configuration: [], metrics: [], replication_time: [], storage_class: 'STANDARD_IA' }],
      }],
    })]);
  } finally {
    await sandbox.stop();
  }
});

test('a mistaken replication declaration is reported with its file, line and field', () => {
  const cases: Array<[string, RegExp]> = [
    [scenarioText(REPLICATION, ''), /^bad\.yaml:\d+: buckets\[1\]\.replication\.rules\[0\]\.destination: bucket 'tidemark-demo-replica' needs versioning: Enabled/],
    [scenarioText(REPLICATION.replace('tidemark-demo-replica', 'nowhere-bucket')), /buckets\[1\]\.replication\.rules\[0\]\.destination: bucket 'nowhere-bucket' is not declared under buckets/],
    [scenarioText(`${REPLICATION}        - { id: docs, destination: tidemark-demo-replica }\n`), /buckets\[1\]\.replication\.rules\[1\]\.id: /],
    [scenarioText(REPLICATION.replace(ROLE, 'not-a-role')), /buckets\[1\]\.replication\.role: /],
    [scenarioText(REPLICATION).replace('    creationDate: "2024-05-01T09:01:30Z"\n    versioning: Enabled\n', '    creationDate: "2024-05-01T09:01:30Z"\n'), /buckets\[1\]\.replication: replication needs versioning: Enabled on the bucket/],
  ];
  for (const [text, expected] of cases) {
    assert.throws(() => parseScenario(text, 'bad.yaml'), (e: unknown) => e instanceof ScenarioError && expected.test(e.message), expected.source);
  }
});
