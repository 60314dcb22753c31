// The real STS path: a broker on PGlite with the AWS-SDK cloud (as the tidemark-broker user) against
// the sandbox. Credentials it hands out are exercised with the SDK; expiry and revoke must end them
// while other people's sessions on the same role keep working. One ManualClock drives both the
// broker and the sandbox world, so "expiry" is the same instant for both.
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateTagsCommand, DescribeInstancesCommand, EC2Client, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient, TagRoleCommand } from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadScenarioFile, startSandbox, SandboxHandle, Scenario } from '../../sandbox/src/index';
import { awsCloud } from '../../server/src/access/aws-cloud';
import { Broker, Principal } from '../../server/src/access/broker';
import { AccessCredentials } from '../../server/src/access/cloud';
import { ManualClock } from '../../server/src/access/clock';
import { loadConfig } from '../../server/src/access/config';
import { Ledger } from '../../server/src/access/ledger/ledger';
import { openPglite } from '../../server/src/access/ledger/pglite-database';
import { compilePolicy } from '../../server/src/access/policy';
import { fixedPolicy } from '../../server/src/access/policy-source';
import { readFileSync } from 'node:fs';
import { REPO, resetLedger, user, WORKING_HOURS } from './helpers';

const SCENARIO = path.join(REPO, 'sandbox/scenarios/demo.yaml');
const TIDEMARK = path.join(REPO, 'examples/demo/.tidemark');
const INSTANCE = 'i-0a1b2c3d4e5f60c02';

let scenario: Scenario;
let sandbox: SandboxHandle;
let ledger: Ledger;
let clock: ManualClock;
let broker: Broker;
let alice: Principal;
let bob: Principal;
let carol: Principal;

function keyOf(name: string) {
  const key = scenario.users?.find((u) => u.name === name)?.accessKeys?.[0];
  assert.ok(key, `scenario user ${name} has an access key`);
  return { accessKeyId: key.id, secretAccessKey: key.secret };
}

/** SDK clients with a grant's credentials. No expiration is passed: the sandbox, not the SDK, decides. */
function clientsWith(c: AccessCredentials) {
  const common = { endpoint: sandbox.endpoint, region: scenario.region, maxAttempts: 1, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } };
  return { ec2: new EC2Client(common), s3: new S3Client({ ...common, forcePathStyle: true }), sts: new STSClient(common), iam: new IAMClient(common) };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    return (error as Error).name;
  }
  assert.fail('expected the call to be refused');
}

async function advance(seconds: number): Promise<void> {
  clock.advance(seconds);
  await broker.tick();
}

/** Requests as `who`, approves as bob, and returns the issued credentials. */
async function activeGrant(who: Principal, minutes: number) {
  const g = await broker.request(who, { role: 'prod-operator', durationSeconds: minutes * 60, reason: `sandbox test for ${who.name}` });
  const approved = await broker.approve(bob, g.id);
  assert.equal(approved.state, 'active');
  const creds = await broker.getCredentials(who, g.id);
  return { grant: approved, creds, clients: clientsWith(creds) };
}

before(async () => {
  scenario = loadScenarioFile(SCENARIO);
  clock = new ManualClock(WORKING_HOURS);
  sandbox = await startSandbox(SCENARIO, { now: () => clock.now() });
  const config = loadConfig(path.join(TIDEMARK, 'config.yaml'));
  const policy = compilePolicy(readFileSync(path.join(TIDEMARK, 'policy.cedar'), 'utf8'), 'policy.cedar');
  const cloud = awsCloud({ AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region }, async () => keyOf('tidemark-broker'));
  ledger = await Ledger.open(await openPglite());
  broker = new Broker({ ledger, policy: fixedPolicy({ config, policy }), cloud, audience: 'sandbox-sts-test', clock, scheduler: clock });
  await broker.start();
  [alice, bob, carol] = ['alice', 'bob', 'carol'].map((n) => user(config, n));
});

after(async () => {
  await broker?.stop();
  await ledger?.close();
  await sandbox?.stop();
});

test('credentials issued on activation work for allowed calls and carry the requester into CloudTrail', async () => {
  await resetLedger(ledger);
  const { grant, creds, clients } = await activeGrant(alice, 30);
  const me = await clients.sts.send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, `arn:aws:sts::${scenario.account}:assumed-role/prod-operator/tidemark-${grant.id}`);
  assert.equal(Date.parse(creds.expiration), Date.parse(grant.endsAt!), 'a 30 min grant gets 30 min credentials');
  const described = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [INSTANCE] }));
  assert.equal(described.Reservations?.[0]?.Instances?.[0]?.InstanceId, INSTANCE);
  assert.ok((await clients.s3.send(new ListBucketsCommand({}))).Buckets?.some((b) => b.Name === 'tidemark-demo-assets'));
  await clients.ec2.send(new CreateTagsCommand({ Resources: [INSTANCE], Tags: [{ Key: 'touched-by', Value: 'alice' }] }));

  // CloudTrail, read by an auditor (bob) with his own keys: the session name and SourceIdentity are there.
  const trail = new CloudTrailClient({ endpoint: sandbox.endpoint, region: scenario.region, credentials: keyOf('bob') });
  const found = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: `tidemark-${grant.id}` }] }));
  const tagEvent = found.Events?.find((e) => e.EventName === 'CreateTags');
  assert.ok(tagEvent, 'CreateTags under the grant is in CloudTrail');
  const detail = JSON.parse(tagEvent.CloudTrailEvent!);
  assert.equal(detail.userIdentity.sessionContext.sourceIdentity, 'alice');
  assert.match(detail.userIdentity.arn, new RegExp(`/tidemark-${grant.id}$`));
  const assumed = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] }));
  const issue = assumed.Events?.map((e) => JSON.parse(e.CloudTrailEvent!)).find((e) => e.requestParameters?.roleSessionName === `tidemark-${grant.id}`);
  assert.ok(issue, 'the AssumeRole call is in CloudTrail');
  assert.equal(issue.requestParameters.sourceIdentity, 'alice');

  // The broker's timeline pulls the same event and attributes it to the grant.
  const timeline = await broker.timeline(alice, grant.id);
  assert.deepEqual(timeline.warnings, []);
  const api = timeline.entries.filter((e) => e.kind === 'api');
  assert.ok(api.some((e) => e.kind === 'api' && e.event.eventName === 'CreateTags' && e.event.sourceIdentity === 'alice' && e.event.sessionName === `tidemark-${grant.id}`));
});

test('credentials stop working when the grant expires, not a second earlier', async () => {
  await resetLedger(ledger);
  const { grant, clients } = await activeGrant(alice, 20);
  await advance(20 * 60 - 1);
  assert.equal((await broker.get(grant.id)).state, 'active');
  await clients.ec2.send(new DescribeInstancesCommand({}));
  await advance(1);
  assert.equal((await broker.get(grant.id)).state, 'expired');
  assert.equal(await refusal(clients.ec2.send(new DescribeInstancesCommand({}))), 'RequestExpired');
  assert.equal(await refusal(clients.sts.send(new GetCallerIdentityCommand({}))), 'ExpiredToken');
});

test('a grant shorter than the 15 min STS minimum still ends on time: expiry attaches the scoped deny', async () => {
  await resetLedger(ledger);
  const { grant, creds, clients } = await activeGrant(alice, 10);
  assert.equal(Date.parse(creds.expiration) - Date.parse(grant.endsAt!), 5 * 60 * 1000, 'STS issued 15 min for a 10 min grant');
  await advance(10 * 60);
  assert.equal((await broker.get(grant.id)).state, 'expired');
  assert.equal(await refusal(clients.ec2.send(new DescribeInstancesCommand({}))), 'UnauthorizedOperation');
  const deny = JSON.parse(sandbox.world.roles['prod-operator']!.inlinePolicies[`tidemark-revoke-${grant.id}`]!);
  assert.deepEqual(deny.Statement[0].Condition.StringLike, { 'aws:userid': `*:tidemark-${grant.id}` });
  // Once the last token issued before the cutoff has expired, the deny is removed again.
  await advance(6 * 60);
  const audit = (await broker.auditExport()).filter((r) => r.kind === 'revoke-policy').map((r) => r.data.action);
  assert.deepEqual(audit, ['attached', 'removed']);
  assert.equal(sandbox.world.roles['prod-operator']!.inlinePolicies[`tidemark-revoke-${grant.id}`], undefined);
});

test('revoke ends one person\'s session at once while another person\'s on the same role keeps working, both ways', async () => {
  await resetLedger(ledger);
  const a = await activeGrant(alice, 60);
  const c = await activeGrant(carol, 60);
  await a.clients.ec2.send(new DescribeInstancesCommand({}));
  await c.clients.ec2.send(new DescribeInstancesCommand({}));

  await broker.revoke(bob, a.grant.id, 'done early');
  assert.equal((await broker.get(a.grant.id)).state, 'revoked');
  assert.equal(await refusal(a.clients.ec2.send(new DescribeInstancesCommand({}))), 'UnauthorizedOperation');
  assert.equal(await refusal(a.clients.s3.send(new ListBucketsCommand({}))), 'AccessDenied');
  await c.clients.ec2.send(new DescribeInstancesCommand({}));
  await c.clients.s3.send(new ListBucketsCommand({}));

  // The deny is scoped to tokens issued before the revoke: alice's next grant works, and revoking
  // carol's grant now cuts carol off but not alice's new session.
  await advance(2);
  const a2 = await activeGrant(alice, 60);
  await a2.clients.ec2.send(new DescribeInstancesCommand({}));
  await broker.revoke(alice, c.grant.id).then(() => assert.fail('alice is no approver'), (e: Error) => assert.match(e.message, /does not allow alice to revoke carol's grant/));
  await broker.revoke(bob, c.grant.id, 'incident over');
  assert.equal(await refusal(c.clients.ec2.send(new DescribeInstancesCommand({}))), 'UnauthorizedOperation');
  await a2.clients.ec2.send(new CreateTagsCommand({ Resources: [INSTANCE], Tags: [{ Key: 'still', Value: 'working' }] }));
  // The old alice credentials stay dead.
  assert.equal(await refusal(a.clients.ec2.send(new DescribeInstancesCommand({}))), 'UnauthorizedOperation');
  const attached = (await broker.auditExport()).filter((r) => r.kind === 'revoke-policy' && r.data.action === 'attached');
  assert.deepEqual(attached.map((r) => [r.grantId, r.data.sessionName]), [[a.grant.id, `tidemark-${a.grant.id}`], [c.grant.id, `tidemark-${c.grant.id}`]]);
});

/** alice's grant `base` plus an extension of it, both active, with working credentials. */
async function extended(baseMinutes: number, extensionMinutes: number) {
  const a = await activeGrant(alice, baseMinutes);
  const requested = await broker.request(alice, { role: 'prod-operator', durationSeconds: extensionMinutes * 60, reason: 'needs longer', extends: a.grant.id });
  assert.equal((await broker.approve(bob, requested.id)).state, 'active');
  const creds = await broker.getCredentials(alice, requested.id);
  const b = { grant: await broker.get(requested.id), creds, clients: clientsWith(creds) };
  await a.clients.ec2.send(new DescribeInstancesCommand({}));
  await b.clients.ec2.send(new DescribeInstancesCommand({}));
  return { a, b };
}

test('one grant\'s expiry leaves the same person\'s extension working for the rest of its life', async () => {
  await resetLedger(ledger);
  await advance(2);
  // A: 10 min, so its 15 min credentials outlive it and expiry attaches the deny; B extends A for 20 min.
  const { a, b } = await extended(10, 20);
  await advance(10 * 60);
  assert.equal((await broker.get(a.grant.id)).state, 'expired');
  assert.ok(sandbox.world.roles['prod-operator']!.inlinePolicies[`tidemark-revoke-${a.grant.id}`], 'A got its deny');
  assert.equal(await refusal(a.clients.ec2.send(new DescribeInstancesCommand({}))), 'UnauthorizedOperation');
  await b.clients.ec2.send(new DescribeInstancesCommand({}));
  await b.clients.s3.send(new ListBucketsCommand({}));
  await advance(20 * 60 - 10 * 60 - 1);
  assert.equal((await broker.get(b.grant.id)).state, 'active');
  await b.clients.ec2.send(new CreateTagsCommand({ Resources: [INSTANCE], Tags: [{ Key: 'extension', Value: 'works' }] }));
});

test('revoking the first of a person\'s two concurrent grants leaves the second working', async () => {
  await resetLedger(ledger);
  await advance(2);
  const { a, b } = await extended(60, 60);
  await broker.revoke(bob, a.grant.id, 'first one done');
  assert.equal(await refusal(a.clients.ec2.send(new DescribeInstancesCommand({}))), 'UnauthorizedOperation');
  await b.clients.ec2.send(new DescribeInstancesCommand({}));
  await advance(30 * 60);
  await b.clients.ec2.send(new DescribeInstancesCommand({}));
  assert.equal(await refusal(a.clients.ec2.send(new DescribeInstancesCommand({}))), 'UnauthorizedOperation');
});

test('ending the second of a person\'s two concurrent grants leaves the first working', async () => {
  await resetLedger(ledger);
  await advance(2);
  const { a, b } = await extended(60, 60);
  assert.equal((await broker.release(alice, b.grant.id)).state, 'ended-early');
  assert.equal(await refusal(b.clients.ec2.send(new DescribeInstancesCommand({}))), 'UnauthorizedOperation');
  await a.clients.ec2.send(new DescribeInstancesCommand({}));
  await advance(10 * 60);
  await a.clients.s3.send(new ListBucketsCommand({}));
  // And then the first one is revoked too: both stay dead, independently.
  await broker.revoke(bob, a.grant.id);
  assert.equal(await refusal(a.clients.ec2.send(new DescribeInstancesCommand({}))), 'UnauthorizedOperation');
  assert.equal(await refusal(b.clients.ec2.send(new DescribeInstancesCommand({}))), 'UnauthorizedOperation');
});

test('a grant longer than the role\'s 1 h session limit is refreshed with new credentials until it ends', async () => {
  await resetLedger(ledger);
  await advance(2);
  // Over 2 h the example policy wants a scope: the worker (the reads stay allowed on everything).
  const scope = [{ address: 'aws_instance.worker', type: 'aws_instance', arn: `arn:aws:ec2:${scenario.region}:${scenario.account}:instance/${INSTANCE}` }];
  const g = await broker.request(alice, { role: 'prod-operator', durationSeconds: 150 * 60, reason: 'long migration', scope });
  await broker.approve(bob, g.id);
  const active = await broker.approve(carol, g.id);
  assert.equal(active.state, 'active', 'over 2 h needs two approvers');
  const first = await broker.getCredentials(alice, g.id);
  assert.equal(Date.parse(first.expiration) - Date.parse(active.activatedAt!), 3600_000, 'capped at the role maximum');
  await advance(50 * 60);
  assert.equal((await broker.getCredentials(alice, g.id)).accessKeyId, first.accessKeyId, 'still fresh enough: no new session');
  await advance(6 * 60);
  const second = await broker.getCredentials(alice, g.id);
  assert.notEqual(second.accessKeyId, first.accessKeyId);
  await clientsWith(second).ec2.send(new DescribeInstancesCommand({}));
  await advance(4 * 60);
  assert.equal(await refusal(clientsWith(first).ec2.send(new DescribeInstancesCommand({}))), 'RequestExpired');
  await clientsWith(second).ec2.send(new DescribeInstancesCommand({}));
  // The second session (issued at 56 min, 94 min left) was capped at 1 h; the third, issued when
  // it runs out at 1 h 56 min, covers exactly the remaining 34 min.
  await advance(56 * 60);
  const third = await broker.getCredentials(alice, g.id);
  assert.equal(Date.parse(third.expiration), Date.parse(active.endsAt!), 'the last session ends with the grant');
  await advance(34 * 60);
  assert.equal((await broker.get(g.id)).state, 'expired');
  assert.equal(await refusal(clientsWith(third).ec2.send(new DescribeInstancesCommand({}))), 'RequestExpired');
  const issued = (await broker.auditExport()).filter((r) => r.kind === 'credentials' && r.data.outcome === 'issued');
  assert.equal(issued.length, 3);
});

test('when STS fails at activation the grant stays approved, the requester is told why, and the next request for credentials activates it', async () => {
  await resetLedger(ledger);
  const alerts: string[] = [];
  const unsubscribe = broker.subscribe((e) => { if (e.type === 'alert') alerts.push(e.message); });
  sandbox.faults.sts = { errorRate: 1 };
  try {
    const g = await broker.request(alice, { role: 'prod-operator', durationSeconds: 1800, reason: 'sts is flaky' });
    assert.equal((await broker.approve(bob, g.id)).state, 'approved');
    await assert.rejects(broker.getCredentials(alice, g.id), (e: Error) => e.message.startsWith(`grant ${g.id} is approved, but the broker cannot issue its credentials: AssumeRole ${g.roleArn}: `));
    assert.ok(alerts.some((m) => m.startsWith(`grant ${g.id} is approved but the broker cannot issue its credentials`)), alerts.join('\n'));
    sandbox.faults.sts = {};
    const creds = await broker.getCredentials(alice, g.id);
    assert.equal((await broker.get(g.id)).state, 'active');
    await clientsWith(creds).ec2.send(new DescribeInstancesCommand({}));
    const activations = (await broker.auditExport()).filter((r) => r.kind === 'activate').map((r) => r.data.outcome ?? r.data.to);
    assert.deepEqual(activations.slice(-1), ['active']);
    assert.ok(activations.includes('failed'));
  } finally {
    sandbox.faults.sts = {};
    unsubscribe();
  }
});

test('releasing a grant early ends its credentials the same way', async () => {
  await resetLedger(ledger);
  // The previous test revoked carol's grant this second; tokens issued before its cutoff stay denied.
  await advance(2);
  const { grant, clients } = await activeGrant(carol, 30);
  await clients.ec2.send(new DescribeInstancesCommand({}));
  const released = await broker.release(carol, grant.id);
  assert.equal(released.state, 'ended-early');
  assert.equal(await refusal(clients.ec2.send(new DescribeInstancesCommand({}))), 'UnauthorizedOperation');
});

test('a scoped grant can change the scoped instance only: AWS refuses another instance and IAM, and CloudTrail records the refusals', async () => {
  await resetLedger(ledger);
  const other = 'i-0a1b2c3d4e5f60c01';
  const scope = [{ address: 'aws_instance.worker', type: 'aws_instance', arn: `arn:aws:ec2:${scenario.region}:${scenario.account}:instance/${INSTANCE}` }];
  const g = await broker.request(alice, { role: 'prod-operator', durationSeconds: 30 * 60, reason: 'resize the worker', scope });
  assert.deepEqual(g.scope, scope);
  const policy = JSON.parse(g.sessionPolicy!);
  assert.deepEqual(policy.Statement.map((s: { Resource: string[] }) => s.Resource), [[scope[0]!.arn], ['*']]);
  assert.equal((await broker.approve(bob, g.id)).state, 'active');
  const stored = await ledger.getGrant(ledger.db, g.id);
  assert.equal(stored?.sessionPolicy, g.sessionPolicy, 'the ledger keeps the exact session policy');
  const clients = clientsWith(await broker.getCredentials(alice, g.id));

  await clients.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: INSTANCE, DisableApiTermination: { Value: true } }));
  await clients.ec2.send(new CreateTagsCommand({ Resources: [INSTANCE], Tags: [{ Key: 'scoped', Value: 'yes' }] }));
  await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [other] }));
  assert.equal(await refusal(clients.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: other, DisableApiTermination: { Value: true } }))), 'UnauthorizedOperation');
  assert.equal(await refusal(clients.ec2.send(new CreateTagsCommand({ Resources: [other], Tags: [{ Key: 'scoped', Value: 'no' }] }))), 'UnauthorizedOperation');
  assert.equal(await refusal(clients.iam.send(new GetRoleCommand({ RoleName: 'prod-operator' }))), 'AccessDenied', 'the role may read IAM; the scope may not');
  assert.equal(await refusal(clients.s3.send(new ListBucketsCommand({}))), 'AccessDenied');
  assert.equal(await refusal(clients.iam.send(new TagRoleCommand({ RoleName: 'prod-operator', Tags: [{ Key: 'k', Value: 'v' }] }))), 'AccessDenied', 'an IAM change outside the scope');
  assert.equal(sandbox.world.instances[other]?.disableApiTermination, false);

  const trail = new CloudTrailClient({ endpoint: sandbox.endpoint, region: scenario.region, credentials: keyOf('bob') });
  const found = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: `tidemark-${g.id}` }] }));
  const refused = (found.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!)).filter((e) => e.errorCode);
  assert.ok(refused.some((e) => e.eventName === 'ModifyInstanceAttribute' && /UnauthorizedOperation|AccessDenied/.test(e.errorCode)), 'the refused change is in CloudTrail with its error code');

  // The grant's timeline marks the refusals as the scope's, and each raises one alert.
  const alerts: string[] = [];
  const stop = broker.subscribe((e) => { if (e.type === 'alert' && e.grantId === g.id) alerts.push(e.message); });
  try {
    const timeline = await broker.timeline(bob, g.id);
    const api = timeline.entries.flatMap((e) => (e.kind === 'api' ? [e] : []));
    const denied = api.filter((e) => e.denied);
    assert.ok(denied.every((e) => e.denied === "denied: outside the grant's scope" && e.event.errorCode), JSON.stringify(denied));
    // The broker follows a grant's writes (CloudTrail's read-only calls are not on its timeline).
    assert.deepEqual([...new Set(denied.map((e) => e.event.eventName))].sort(), ['CreateTags', 'ModifyInstanceAttribute', 'TagRole']);
    assert.ok(api.some((e) => e.event.eventName === 'ModifyInstanceAttribute' && !e.event.errorCode && !e.denied), 'the change inside the scope is an expected one');
    assert.equal(alerts.length, denied.length);
    assert.ok(alerts.some((m) => /ModifyInstanceAttribute .*denied: outside the grant's scope \((Client\.)?UnauthorizedOperation\)/.test(m)), alerts.join('\n'));
    await broker.timeline(bob, g.id);
    assert.equal(alerts.length, denied.length, 'raised once per refused call');
  } finally {
    stop();
  }
});

test('a scope too large for the session policy is refused, never widened', async () => {
  await resetLedger(ledger);
  const scope = Array.from({ length: 200 }, (_, i) => ({ address: `aws_instance.w[${i}]`, type: 'aws_instance', arn: `arn:aws:ec2:${scenario.region}:${scenario.account}:instance/i-${String(i).padStart(17, '0')}` }));
  await assert.rejects(broker.request(alice, { role: 'prod-operator', durationSeconds: 30 * 60, reason: 'too wide', scope }), /200 resources.*over the \d+ AWS allows/);
  assert.deepEqual(await ledger.listGrants(), [], 'nothing was requested');
});
