// Auto-revert end to end against the sandbox: a real broker (the tidemark-broker user, AWS SDK
// cloud) on PGlite issues alice a grant; she changes production with the grant's credentials
// through the SDK; when the grant ends the broker plans and executes the revert with its own
// credentials on a copy of examples/demo. One ManualClock drives broker and sandbox.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AuthorizeSecurityGroupIngressCommand, DescribeInstancesCommand, DescribeSecurityGroupsCommand, DescribeVpcAttributeCommand, EC2Client, ModifyInstanceAttributeCommand,
  ModifyVpcAttributeCommand, StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, Scenario, startSandbox } from '../../sandbox/src/index';
import { awsCloud } from '../../server/src/access/aws-cloud';
import { Broker, Principal } from '../../server/src/access/broker';
import { AccessCredentials } from '../../server/src/access/cloud';
import { ManualClock } from '../../server/src/access/clock';
import { loadConfig } from '../../server/src/access/config';
import { Ledger } from '../../server/src/access/ledger/ledger';
import { compilePolicy } from '../../server/src/access/policy';
import { fixedPolicy } from '../../server/src/access/policy-source';
import { AutoRevert } from '../../server/src/revert/auto-revert';
import { loadRevertConfig } from '../../server/src/revert/config';
import { RevertStep, revertStatuses } from '../../server/src/revert/journal';
import { openWorkspaceTarget } from '../../server/src/app/revert-target';
import { closeSharedLedger, freshLedger, REPO, user, WORKING_HOURS } from '../access/helpers';

const SCENARIO = path.join(REPO, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const WEB_SG = scenario.securityGroups!.find((g) => g.name === 'tidemark-demo-web')!.id;
const WEB = scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-web')!.id;
const VPC = scenario.vpcs![0].id;

function keysOf(name: string) {
  const key = scenario.users?.find((u) => u.name === name)?.accessKeys?.[0];
  assert.ok(key, `scenario user ${name} has an access key`);
  return { accessKeyId: key.id, secretAccessKey: key.secret };
}

interface Env {
  sandbox: SandboxHandle;
  clock: ManualClock;
  ledger: Ledger;
  dir: string;
  broker: Broker;
  alerts: string[];
  steps: RevertStep[];
  alice: Principal;
  bob: Principal;
  /** Starts a broker on the same ledger (a restart after a crash). */
  restart(onStep?: (s: RevertStep, b: Broker) => void): Promise<Broker>;
  close(): Promise<void>;
}

const open: Env[] = [];

/** A sandbox, a workspace copy with `revertYaml` appended to its config, and a broker with auto-revert. */
async function setUp(o: { revertYaml?: string; scenario?: Scenario; random?: () => number; onStep?: (s: RevertStep, b: Broker) => void; runBudgetMs?: number } = {}): Promise<Env> {
  const clock = new ManualClock(WORKING_HOURS);
  const sandbox = await startSandbox(o.scenario ?? SCENARIO, { now: () => clock.now(), random: o.random });
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-revert-'));
  cpSync(path.join(REPO, 'examples/demo'), dir, { recursive: true });
  const configFile = path.join(dir, '.tidemark/config.yaml');
  if (o.revertYaml) appendFileSync(configFile, `\n${o.revertYaml}\n`);
  const config = loadConfig(configFile);
  const policy = compilePolicy(readFileSync(path.join(dir, '.tidemark/policy.cedar'), 'utf8'), 'policy.cedar');
  const env0 = { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region };
  const ledger = await freshLedger();
  const alerts: string[] = [];
  const steps: RevertStep[] = [];
  const make = (onStep?: (s: RevertStep, b: Broker) => void): Broker => {
    let self: Broker | undefined;
    const revert = new AutoRevert({
      ledger,
      openTarget: () => openWorkspaceTarget({ root: dir, env: env0, credentials: keysOf('tidemark-broker') }),
      config: () => loadRevertConfig(configFile),
      clock,
      // Generous by default so a loaded machine does not split a run; one test sets 0 on purpose.
      runBudgetMs: o.runBudgetMs ?? 600_000,
      onStep: (s) => { steps.push(s); onStep?.(s, self!); },
    });
    self = new Broker({
      ledger, policy: fixedPolicy({ config, policy }), cloud: awsCloud(env0, async () => keysOf('tidemark-broker')),
      audience: 'revert-test', clock, scheduler: clock, onGrantEnd: revert,
    });
    self.subscribe((e) => { if (e.type === 'alert') alerts.push(e.message); });
    return self;
  };
  const env: Env = {
    sandbox, clock, ledger, dir, alerts, steps, broker: make(o.onStep), alice: user(config, 'alice'), bob: user(config, 'bob'),
    async restart(onStep) {
      env.broker = make(onStep);
      await env.broker.start();
      return env.broker;
    },
    async close() {
      if (open.indexOf(env) < 0) return;
      open.splice(open.indexOf(env), 1);
      await env.broker.stop();
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await env.broker.start();
  open.push(env);
  return env;
}

after(async () => {
  for (const e of open) await e.close().catch(() => undefined);
  await closeSharedLedger();
});

/** alice's active grant (approved by bob) and an EC2 client with its credentials. */
async function aliceGrant(e: Env, minutes = 30) {
  const g = await e.broker.request(e.alice, { role: 'prod-operator', durationSeconds: minutes * 60, reason: 'hotfix' });
  await e.broker.approve(e.bob, g.id);
  const c: AccessCredentials = await e.broker.getCredentials(e.alice, g.id);
  const ec2 = new EC2Client({ endpoint: e.sandbox.endpoint, region: e.sandbox.region, maxAttempts: 1, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } });
  return { grant: g, ec2 };
}

const asCarol = (e: Env) => new EC2Client({ endpoint: e.sandbox.endpoint, region: e.sandbox.region, credentials: keysOf('carol') });
const OPEN_SSH = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };

async function webIngressPorts(e: Env): Promise<number[]> {
  const out = await asCarol(e).send(new DescribeSecurityGroupsCommand({ GroupIds: [WEB_SG] }));
  return (out.SecurityGroups?.[0]?.IpPermissions ?? []).map((p) => p.FromPort ?? -1).sort((a, b) => a - b);
}

async function webInstanceType(e: Env): Promise<string | undefined> {
  const out = await asCarol(e).send(new DescribeInstancesCommand({ InstanceIds: [WEB] }));
  return out.Reservations?.[0]?.Instances?.[0]?.InstanceType;
}

/** Lets the clock run to `seconds` later and waits for the broker's tick (expiry, revert) to finish. */
async function advance(e: Env, seconds: number): Promise<void> {
  e.clock.advance(seconds);
  await e.broker.tick();
}

const statuses = async (e: Env, id: string) => (await revertStatuses(e.ledger.db, id)).map((s) => `${s.address} ${s.attributePath.join('.') || '-'} ${s.state} ${s.status}`);

test('grant expiry: the security-group change is reverted with the broker\'s credentials; the instance type adopted into code is kept', async () => {
  const e = await setUp();
  const { grant, ec2 } = await aliceGrant(e);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [OPEN_SSH] }));
  await ec2.send(new StopInstancesCommand({ InstanceIds: [WEB] }));
  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: WEB, InstanceType: { Value: 't3.large' } }));
  assert.deepEqual(await webIngressPorts(e), [22, 80, 443]);
  // alice adopts the new size into the code before her grant ends.
  appendFileSync(path.join(e.dir, 'terraform.tfvars'), 'web_instance_type = "t3.large"\n');

  await advance(e, 30 * 60);
  assert.equal((await e.broker.get(grant.id)).state, 'expired');
  assert.deepEqual(await webIngressPorts(e), [80, 443], 'port 22 is closed again');
  assert.equal(await webInstanceType(e), 't3.large', 'the adopted change stays');
  assert.deepEqual(await statuses(e, grant.id), [
    'aws_instance.web - skipped adopted',
    'aws_security_group.web ingress done reverted',
  ]);
  assert.deepEqual(e.alerts, []);

  // The revert was made by the broker's own identity, not with the grant's (expired) credentials.
  const trail = new CloudTrailClient({ endpoint: e.sandbox.endpoint, region: e.sandbox.region, credentials: keysOf('bob') });
  const found = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'RevokeSecurityGroupIngress' }] }));
  assert.deepEqual(found.Events?.map((x) => JSON.parse(x.CloudTrailEvent!).userIdentity.arn), [`arn:aws:iam::${scenario.account}:user/tidemark-broker`]);

  // Every step is in the audit chain, which still verifies.
  const audit = (await e.broker.auditExport()).filter((r) => r.kind === 'revert');
  assert.deepEqual(audit.map((r) => `${r.data.event} ${r.data.address ?? ''}`.trim()), [
    'planned aws_instance.web', 'planned aws_security_group.web', 'plan', 'done aws_security_group.web',
  ]);
  assert.ok(audit.every((r) => r.actor === 'tidemark' && r.grantId === grant.id));
  assert.equal((await e.broker.auditVerify()).ok, true);
  // A later tick has nothing left to do: no second write.
  const before = e.sandbox.stats()['ec2:RevokeSecurityGroupIngress'];
  await advance(e, 3600);
  assert.equal(e.sandbox.stats()['ec2:RevokeSecurityGroupIngress'], before);
  await e.close();
});

test('alert-only policy: an alert names the change, nothing is written', async () => {
  const e = await setUp({ revertYaml: 'revert:\n  rules:\n    - type: aws_security_group\n      action: alert-only' });
  const { grant, ec2 } = await aliceGrant(e);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [OPEN_SSH] }));
  await e.broker.release(e.alice, grant.id);
  await e.broker.tick();
  assert.deepEqual(await webIngressPorts(e), [22, 80, 443]);
  assert.equal(e.sandbox.stats()['ec2:RevokeSecurityGroupIngress'], undefined);
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress skipped kept']);
  assert.equal(e.alerts.length, 1);
  assert.match(e.alerts[0], new RegExp(`grant ${grant.id} ended; aws_security_group.web ingress is still changed and not in code; policy alert-only \\(.*config\\.yaml:\\d+:7\\): left as it is`));
  await e.close();
});

test('broker stopped after the first step: a new broker on the same ledger resumes, nothing is written twice', async () => {
  const e = await setUp({ onStep: (s, b) => { if (s.state === 'done') void b.stop(); } });
  const { grant, ec2 } = await aliceGrant(e);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [OPEN_SSH] }));
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: VPC, EnableDnsHostnames: { Value: false } }));
  await e.broker.revoke(e.bob, grant.id, 'incident over');
  await e.broker.tick();
  const first = await statuses(e, grant.id);
  assert.deepEqual(first.filter((s) => s.endsWith('done reverted')).length, 1, `one step done before the stop: ${first.join('; ')}`);
  assert.deepEqual(first.filter((s) => s.includes('planned drifted')).length, 1);

  await e.restart();
  await e.broker.tick();
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress done reverted', 'aws_vpc.main enable_dns_hostnames done reverted']);
  assert.deepEqual(await webIngressPorts(e), [80, 443]);
  assert.equal(await vpcDnsHostnames(e), true);
  const stats = e.sandbox.stats();
  assert.equal(stats['ec2:RevokeSecurityGroupIngress'], 1, 'the security group was written once');
  assert.equal(stats['ec2:ModifyVpcAttribute'], 2, 'alice\'s change and one revert');
  assert.equal((await e.broker.auditExport()).filter((r) => r.kind === 'revert' && r.data.event === 'plan').length, 1, 'planned once');
  await e.close();
});

test('a step whose write landed but whose record was lost is confirmed on the next start, not written again', async () => {
  const e = await setUp();
  const { grant, ec2 } = await aliceGrant(e);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [OPEN_SSH] }));
  await e.broker.release(e.alice, grant.id);
  await e.broker.tick();
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress done reverted']);
  // The crash: the ledger never learnt that the write happened.
  await e.broker.stop();
  await e.ledger.db.query(`UPDATE revert_steps SET state = 'planned', status = 'drifted', finished_at = NULL WHERE grant_id = $1`, [grant.id]);
  await e.restart();
  await e.broker.tick();
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress done reverted']);
  assert.equal(e.sandbox.stats()['ec2:RevokeSecurityGroupIngress'], 1, 'written once');
  const done = (await e.broker.auditExport()).filter((r) => r.kind === 'revert' && r.data.event === 'done');
  assert.equal(done.length, 2);
  assert.match(String(done[1].data.reason), /is at the declared value/);
  assert.equal(done[1].data.wrote, undefined, 'the second pass only confirmed');
  await e.close();
});

test('a long revert yields the broker\'s tick after each unit of work and continues a second later', async () => {
  const e = await setUp({ runBudgetMs: 0 });
  const { grant, ec2 } = await aliceGrant(e);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [OPEN_SSH] }));
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: VPC, EnableDnsHostnames: { Value: false } }));
  // release() starts one tick (it plans, then yields); the next tick executes one step and yields.
  await e.broker.release(e.alice, grant.id);
  await e.broker.tick();
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress done reverted', 'aws_vpc.main enable_dns_hostnames planned drifted']);
  // The remaining work is a deadline one second later, like any other.
  await advance(e, 1);
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress done reverted', 'aws_vpc.main enable_dns_hostnames done reverted']);
  await e.close();
});

async function vpcDnsHostnames(e: Env): Promise<boolean | undefined> {
  const out = await asCarol(e).send(new DescribeVpcAttributeCommand({ VpcId: VPC, Attribute: 'enableDnsHostnames' }));
  return out.EnableDnsHostnames?.Value;
}

test('keep-if-adopted-within: what is adopted during the grace period stays, the rest is reverted when it ends', async () => {
  const e = await setUp({ revertYaml: 'revert:\n  default: keep-if-adopted-within 10m' });
  const { grant, ec2 } = await aliceGrant(e);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [OPEN_SSH] }));
  await ec2.send(new StopInstancesCommand({ InstanceIds: [WEB] }));
  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: WEB, InstanceType: { Value: 't3.large' } }));
  await e.broker.release(e.alice, grant.id);
  await e.broker.tick();
  assert.deepEqual(await statuses(e, grant.id), ['aws_instance.web instance_type planned drifted', 'aws_security_group.web ingress planned drifted']);
  // Five minutes later alice's pull request lands: the new size is in the code.
  await advance(e, 5 * 60);
  appendFileSync(path.join(e.dir, 'terraform.tfvars'), 'web_instance_type = "t3.large"\n');
  await advance(e, 5 * 60);
  assert.deepEqual(await statuses(e, grant.id), ['aws_instance.web instance_type skipped adopted', 'aws_security_group.web ingress done reverted']);
  assert.equal(await webInstanceType(e), 't3.large');
  assert.deepEqual(await webIngressPorts(e), [80, 443]);
  assert.equal(e.sandbox.stats()['ec2:ModifyInstanceAttribute'], 1, 'only alice\'s own change');
  assert.deepEqual(e.alerts, []);
  await e.close();
});

test('grace period: a value changed again by someone else after the plan is not overwritten, and an alert is raised', async () => {
  const e = await setUp({ revertYaml: 'revert:\n  default: keep-if-adopted-within 10m' });
  const { grant, ec2 } = await aliceGrant(e);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [OPEN_SSH] }));
  await e.broker.release(e.alice, grant.id);
  await e.broker.tick();
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress planned drifted']);
  // carol widens the group again before the grace period ends.
  await asCarol(e).send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }));
  await advance(e, 9 * 60);
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress planned drifted'], 'still within the grace period');
  await advance(e, 60);
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress superseded revert-failed']);
  assert.deepEqual(await webIngressPorts(e), [22, 80, 443, 8080], 'nothing overwritten');
  assert.equal(e.sandbox.stats()['ec2:RevokeSecurityGroupIngress'], undefined);
  assert.equal(e.alerts.length, 1);
  assert.match(e.alerts[0], /revert of aws_security_group\.web ingress changed again since the plan .*not overwritten; review it by hand/);
  await e.close();
});

test('throttling during the revert: the call gate backs off and the revert completes', async () => {
  // The first two attempts of every EC2 operation during the revert are throttled (the sandbox
  // counts a request just before it decides its fault, so the counter names the operation).
  let seen: Record<string, number> = {};
  let e: Env | undefined;
  const random = () => {
    const now = e!.sandbox.stats();
    const op = Object.keys(now).find((k) => k.startsWith('ec2:') && now[k] !== seen[k]);
    seen = now;
    return op && now[op]! <= 2 ? 0 : 0.99;
  };
  e = await setUp({ random });
  const { grant, ec2 } = await aliceGrant(e);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [OPEN_SSH] }));
  e.sandbox.resetStats();
  seen = {};
  e.sandbox.faults.ec2 = { throttleRate: 0.5 };
  await e.broker.release(e.alice, grant.id);
  await e.broker.tick();
  e.sandbox.faults.ec2 = {};
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress done reverted']);
  assert.deepEqual(await webIngressPorts(e), [80, 443]);
  assert.equal(e.sandbox.stats()['ec2:RevokeSecurityGroupIngress'], 3, 'two throttled attempts, one write');
  assert.deepEqual(e.alerts, []);
  await e.close();
});

test('throttling beyond the gate\'s retries: the step waits with backoff and completes on a later tick', async () => {
  const e = await setUp();
  const { grant, ec2 } = await aliceGrant(e);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [OPEN_SSH] }));
  await e.broker.release(e.alice, grant.id);
  e.sandbox.faults.ec2 = { throttleRate: 1 };
  await e.broker.tick();
  assert.deepEqual(await statuses(e, grant.id), [], 'the plan waits: live state could not be read');
  assert.equal(e.alerts.length, 1);
  assert.match(e.alerts[0], /cannot plan yet \(will retry\): live state unreadable: aws_security_group\.web/);
  e.sandbox.faults.ec2 = {};
  await advance(e, 10);
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress done reverted']);
  assert.deepEqual(await webIngressPorts(e), [80, 443]);
  await e.close();
});

test('AccessDenied on the write: the step fails with an alert naming the error, never silently', async () => {
  const denied: Scenario = structuredClone(scenario);
  const broker = denied.users!.find((u) => u.name === 'tidemark-broker')!;
  broker.policies = { ...broker.policies, 'no-sg-writes': { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['ec2:RevokeSecurityGroupIngress'], Resource: '*' }] } };
  const e = await setUp({ scenario: denied });
  const { grant, ec2 } = await aliceGrant(e);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [OPEN_SSH] }));
  await e.broker.release(e.alice, grant.id);
  await e.broker.tick();
  assert.deepEqual(await statuses(e, grant.id), ['aws_security_group.web ingress failed revert-failed']);
  assert.deepEqual(await webIngressPorts(e), [22, 80, 443]);
  assert.equal(e.alerts.length, 1);
  assert.match(e.alerts[0], new RegExp(`grant ${grant.id}: cannot revert aws_security_group\\.web ingress: .*UnauthorizedOperation`));
  await e.close();
});
