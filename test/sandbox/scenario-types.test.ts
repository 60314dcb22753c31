// Scenario files declare IAM groups, log groups, KMS keys (with aliases) and Route 53 zones (with
// records); the sandbox serves them through the real SDK, and a mistake names the file, line and field.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetGroupCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { loadScenarioFile, ScenarioError, startSandbox, type SandboxHandle } from '../../sandbox/src/index';
import { fakeKeyId } from '../support/fake-keys';

const ADMIN = { id: fakeKeyId('AKIA'), secret: 'admin-secret-0000000000000000' };
const SCENARIO = `account: "123456789012"
region: us-east-1
users:
  - name: admin
    accessKeys: [ { id: ${ADMIN.id}, secret: ${ADMIN.secret} } ]
    policies:
      all: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "*", Resource: "*" } ] }
groups:
  - name: devs
    members: [ admin ]
    policies:
      read: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "logs:Get*", Resource: "*" } ] }
logGroups:
  - name: /app/web
    retentionInDays: 30
    tags: { Team: web }
kmsKeys:
  - id: 1234abcd-12ab-34cd-56ef-1234567890ab
    description: app data
    rotation: true
    aliases: [ alias/app ]
hostedZones:
  - id: ZSANDBOX1
    name: example.com
    comment: Managed by Terraform
    records:
      - { name: www, type: A, ttl: 60, values: [ 10.0.0.1 ] }
`;

describe('scenario: groups, log groups, KMS keys and hosted zones', () => {
  let dir: string;
  let sandbox: SandboxHandle;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tidemark-scenario-types-'));
    writeFileSync(path.join(dir, 'world.yaml'), SCENARIO);
    sandbox = await startSandbox(path.join(dir, 'world.yaml'));
  });
  after(async () => {
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves what the scenario declares through the real SDK', async () => {
    const common = { endpoint: sandbox.endpoint, region: 'us-east-1', credentials: { accessKeyId: ADMIN.id, secretAccessKey: ADMIN.secret } };
    const group = await new IAMClient(common).send(new GetGroupCommand({ GroupName: 'devs' }));
    assert.deepEqual(group.Users?.map((u) => u.UserName), ['admin']);
    const logs = await new CloudWatchLogsClient(common).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app' }));
    assert.deepEqual(logs.logGroups?.map((g) => [g.logGroupName, g.retentionInDays]), [['/app/web', 30]]);
    const kms = new KMSClient(common);
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app' }))).KeyMetadata?.Description, 'app data');
    assert.deepEqual((await kms.send(new ListAliasesCommand({}))).Aliases?.map((a) => [a.AliasName, a.TargetKeyId]), [['alias/app', '1234abcd-12ab-34cd-56ef-1234567890ab']]);
    const records = await new Route53Client(common).send(new ListResourceRecordSetsCommand({ HostedZoneId: 'ZSANDBOX1' }));
    assert.deepEqual(records.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`).sort(), ['example.com. NS', 'example.com. SOA', 'www.example.com. A']);
  });

  it('names the file, line and field of a retention Logs does not accept, and of a member that is no user', () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, SCENARIO.replace('retentionInDays: 30', 'retentionInDays: 31'));
    assert.throws(() => loadScenarioFile(bad), (err: Error) => err instanceof ScenarioError && /bad\.yaml:\d+: logGroups\[0\]\.retentionInDays: 31 is not a retention/.test(err.message));
    writeFileSync(bad, SCENARIO.replace('members: [ admin ]', 'members: [ nobody ]'));
    assert.throws(() => loadScenarioFile(bad), (err: Error) => err instanceof ScenarioError && /bad\.yaml:\d+: groups\[0\]\.members\[0\]: no user named 'nobody'/.test(err.message));
  });
});
