// The follower against the sandbox cloud, through the real SDK: a change made with carol's own keys
// (no grant) is an error alert on the next poll, only the touched resource is re-read, the call
// budget holds, throttling stretches the interval, the cursor survives a restart, and a guardrail
// with @onViolation("revert") puts the declared value back at once. Polls are driven explicitly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, CreateTagsCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { GrantEvidence } from '../../server/src/attribution/classify';
import type { Grant } from '../../server/src/model';
import { CallGate } from '../../server/src/cloud/call-gate';
import { loadGuardrails } from '../../server/src/guardrails/guardrails';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import { cursorFile, loadCursor } from '../../server/src/watch/cursor';
import { toAlert, WatchEvent } from '../../server/src/watch/events';
import { Follower } from '../../server/src/app/watch-follower';
import { ignoreCommentsOf, rootFilesOf, RootModule, withoutBrokenBlocks } from '../../server/src/app/root-module';
import { repoRoot } from '../support/lsp-client';
import { keyOf as scenarioKey } from '../sandbox/helpers';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const keysOf = (name: string) => scenarioKey(scenario, name);
const sgId = (name: string) => scenario.securityGroups!.find((g) => g.name === name)!.id;
const instanceId = (name: string) => scenario.instances!.find((i) => i.tags?.Name === name)!.id;

interface World {
  sandbox: SandboxHandle;
  dir: string;
  module: RootModule;
  carol: EC2Client;
  events: WatchEvent[];
  follower(o?: { budget?: number; guardrails?: boolean; existingDrift?: boolean; grants?: GrantEvidence[] }): Promise<Follower>;
  close(): Promise<void>;
}

/** A fresh sandbox (LookupEvents unthrottled unless a test says so) and a copy of examples/demo. */
async function world(watcher: 'drift-reader' | 'carol' = 'drift-reader'): Promise<World> {
  const sandbox = await startSandbox({ ...scenario, limits: { lookupEventsPerSecond: 0 } });
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-watch-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  const load = async () => {
    const files = withoutBrokenBlocks(rootFilesOf(dir, await new WorkspaceIndex().addFolder(dir))).files;
    return { files, comments: await ignoreCommentsOf(files) };
  };
  const module = new RootModule({ root: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region }, credentials: keysOf(watcher) });
  await module.loadConfig();
  await module.connect((await load()).files);
  const events: WatchEvent[] = [];
  const carol = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: keysOf('carol') });
  return {
    sandbox, dir, module, carol, events,
    async follower(o = {}) {
      const f = new Follower({
        module, load, cursorFile: cursorFile(dir), random: () => 1, intervalMs: 30_000, sweepMs: 3_600_000, budget: o.budget ?? 20,
        guardrails: o.guardrails ? await loadGuardrails(dir) : undefined,
        grants: o.grants ? async () => o.grants : undefined,
        emit: (e) => events.push(e),
      });
      const baseline = await f.poll();
      assert.equal(baseline.error, undefined);
      assert.equal(baseline.sweep, true);
      if (!o.existingDrift) assert.deepEqual(baseline.emitted, [], 'the untouched sandbox matches examples/demo');
      return f;
    },
    async close() {
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const openPort = (port: number, cidr: string) => new AuthorizeSecurityGroupIngressCommand({
  GroupId: sgId('tidemark-demo-web'), IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr }] }],
});

test('a change made with carol\'s own keys is an error alert on the next poll; only that resource is re-read', async () => {
  const w = await world();
  try {
    const follower = await w.follower();
    await w.carol.send(openPort(8080, '203.0.113.0/24'));
    w.sandbox.resetStats();

    const report = await follower.poll();
    assert.equal(report.error, undefined);
    assert.equal(report.sweep, false);
    assert.deepEqual(report.touched, ['aws_security_group.web']);
    assert.deepEqual(report.reread, ['aws_security_group.web']);
    const appeared = report.emitted.filter((e) => e.kind === 'appeared');
    assert.equal(appeared.length, 1);
    const alert = toAlert(appeared[0]!, { root: w.dir, at: new Date() });
    assert.equal(alert.kind, 'drift-appeared');
    assert.equal(alert.severity, 'error');
    assert.equal(alert.resource, 'aws_security_group.web');
    assert.equal(alert.attribute, 'ingress');
    assert.equal(alert.attribution?.class, 'no-grant');
    assert.equal(alert.attribution?.actor, 'carol');
    assert.equal(alert.attribution?.eventName, 'ec2:AuthorizeSecurityGroupIngress');
    assert.match(alert.message, /^unauthorized change: /);
    assert.equal(alert.file, 'network.tf');

    // The sandbox saw one event listing and reads of the security group only.
    const stats = w.sandbox.stats();
    assert.equal(stats['cloudtrail:LookupEvents'], 1);
    const reads = Object.keys(stats).filter((k) => k !== 'cloudtrail:LookupEvents');
    assert.ok(reads.length > 0 && reads.every((k) => k.startsWith('ec2:DescribeSecurityGroup')), `only the security group is re-read: ${JSON.stringify(stats)}`);

    // Nothing new: no alert, one call.
    w.sandbox.resetStats();
    const quiet = await follower.poll();
    assert.deepEqual(quiet.emitted, []);
    assert.deepEqual(w.sandbox.stats(), { 'cloudtrail:LookupEvents': 1 });
  } finally {
    await w.close();
  }
});

test('the cursor in .tidemark/watch-state.json survives a restart: old events are not reported again', async () => {
  const w = await world();
  try {
    const first = await w.follower();
    await w.carol.send(new CreateTagsCommand({ Resources: [instanceId('tidemark-demo-web')], Tags: [{ Key: 'Team', Value: 'hotfix' }] }));
    const seen = await first.poll();
    assert.equal(seen.events, 1);
    const saved = await loadCursor(cursorFile(w.dir));
    assert.ok(saved && Object.keys(saved.seen).length === 1, 'the event id is remembered');
    assert.doesNotMatch(JSON.stringify(saved), /AKIA|sandbox\+/, 'no key material in the cursor');

    // A restarted follower announces the drift that exists (its first reading is a full one) ...
    const restarted = await w.follower({ existingDrift: true });
    assert.deepEqual(w.events.slice(-1).map((e) => e.kind === 'appeared' && e.drift.address), ['aws_instance.web']);
    // ... but does not report the old event again.
    const again = await restarted.poll();
    assert.equal(again.events, 0);
    assert.deepEqual(again.touched, []);
  } finally {
    await w.close();
  }
});

test('the API-call budget holds: what does not fit is re-read on the next poll', async () => {
  const w = await world();
  try {
    // 3: one CloudTrail page plus a security group's re-read (its groups and its rules families).
    const follower = await w.follower({ budget: 3 });
    await w.carol.send(openPort(8443, '198.51.100.0/24'));
    await w.carol.send(new CreateTagsCommand({ Resources: [instanceId('tidemark-demo-web')], Tags: [{ Key: 'Team', Value: 'hotfix' }] }));
    w.sandbox.resetStats();

    const one = await follower.poll();
    assert.ok(one.calls <= 3, `first poll made ${one.calls} calls`);
    assert.equal(one.touched.length, 2);
    assert.equal(one.reread.length, 1);
    assert.equal(one.deferred.length, 1);
    const firstSandboxCalls = Object.values(w.sandbox.stats()).reduce((a, b) => a + b, 0);
    assert.ok(firstSandboxCalls <= 3, `the sandbox counted ${firstSandboxCalls} calls`);

    w.sandbox.resetStats();
    const two = await follower.poll();
    assert.ok(two.calls <= 3, `second poll made ${two.calls} calls`);
    assert.deepEqual(two.reread, one.deferred);
    const appeared = [...one.emitted, ...two.emitted].filter((e) => e.kind === 'appeared').map((e) => (e as { drift: { address: string } }).drift.address).sort();
    assert.deepEqual(appeared, ['aws_instance.web', 'aws_security_group.web']);
  } finally {
    await w.close();
  }
});

test('throttled CloudTrail: the poll reports it and the interval doubles until a clean poll', async () => {
  const w = await world();
  try {
    const follower = await w.follower();
    // The gate retries twice without waiting, so the test does not sleep.
    w.module.clients!.gate = new CallGate({ concurrency: 4, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined });
    w.sandbox.faults.cloudtrail = { throttleRate: 1 };
    const a = await follower.poll();
    assert.equal(a.throttled, true);
    assert.match(a.error ?? '', /Throttling|Rate exceeded/);
    assert.ok(a.emitted.some((e) => e.kind === 'error'));
    assert.equal(follower.nextDelayMs(), 60_000);
    const b = await follower.poll();
    assert.equal(b.throttled, true);
    assert.equal(follower.nextDelayMs(), 120_000);

    delete w.sandbox.faults.cloudtrail;
    await w.carol.send(openPort(9090, '192.0.2.0/24'));
    const c = await follower.poll();
    assert.equal(c.error, undefined);
    assert.equal(c.throttled, false);
    assert.equal(follower.nextDelayMs(), 30_000);
    assert.ok(c.emitted.some((e) => e.kind === 'appeared'), 'the change made while throttled is still found');
  } finally {
    await w.close();
  }
});

test('a guardrail violation is a critical alert and, with @onViolation("revert"), is reverted at once', async () => {
  const w = await world('carol');
  try {
    const follower = await w.follower({ guardrails: true });
    await w.carol.send(openPort(22, '0.0.0.0/0'));
    const report = await follower.poll();
    assert.equal(report.error, undefined);
    const kinds = report.emitted.map((e) => e.kind);
    assert.deepEqual(kinds, ['appeared', 'guardrail', 'reverted']);
    const guard = toAlert(report.emitted[1]!, { root: w.dir, at: new Date() });
    assert.equal(guard.severity, 'critical');
    assert.equal(guard.rule, 'no-world-ssh');
    assert.match(guard.message, /port 22/);

    const live = await w.carol.send(new DescribeSecurityGroupsCommand({ GroupIds: [sgId('tidemark-demo-web')] }));
    const ssh = live.SecurityGroups![0]!.IpPermissions!.filter((p) => p.FromPort === 22);
    assert.deepEqual(ssh, [], 'port 22 is closed again');

    // The revert's own event is followed, re-read, and found clean: no new alert.
    const after = await follower.poll();
    assert.equal(after.error, undefined);
    assert.deepEqual(after.emitted.filter((e) => e.kind !== 'resolved'), []);
  } finally {
    await w.close();
  }
});

test('a change under an active grant is information, but a guardrail still forbids it and reverts it', async () => {
  const w = await world('carol');
  try {
    // The broker's way in: a prod-operator session named after the grant, SourceIdentity alice.
    const sts = new STSClient({ endpoint: w.sandbox.endpoint, region: w.sandbox.region, credentials: keysOf('tidemark-broker') });
    const session = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/prod-operator', RoleSessionName: 'tidemark-g-watch01', SourceIdentity: 'alice', DurationSeconds: 900 }));
    const c = session.Credentials!;
    const asAlice = new EC2Client({ endpoint: w.sandbox.endpoint, region: w.sandbox.region, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
    const now = Date.now();
    const grant: Grant = {
      id: 'g-watch01', requester: 'arn:aws:iam::123456789012:user/alice', requesterName: 'alice', role: 'prod-operator',
      roleArn: 'arn:aws:iam::123456789012:role/prod-operator', durationSeconds: 900, reason: 'incident', state: 'active', breakGlass: false,
      decisions: [], requestedAt: new Date(now - 120_000).toISOString(), activatedAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 840_000).toISOString(), version: 3,
    };
    const follower = await w.follower({ guardrails: true, grants: [{ grant, commands: [] }] });

    await asAlice.send(openPort(8081, '203.0.113.0/24'));
    const allowed = await follower.poll();
    assert.deepEqual(allowed.emitted.map((e) => e.kind), ['appeared']);
    const info = toAlert(allowed.emitted[0]!, { root: w.dir, at: new Date() });
    assert.equal(info.severity, 'info');
    assert.equal(info.attribution?.class, 'active-grant');
    assert.equal(info.attribution?.grantId, 'g-watch01');

    await asAlice.send(openPort(22, '0.0.0.0/0'));
    const forbidden = await follower.poll();
    assert.deepEqual(forbidden.emitted.map((e) => e.kind), ['appeared', 'guardrail', 'reverted']);
    const guard = toAlert(forbidden.emitted[1]!, { root: w.dir, at: new Date() });
    assert.equal(guard.severity, 'critical');
    assert.match(guard.message, /under grant g-watch01 by alice/);
    const live = await w.carol.send(new DescribeSecurityGroupsCommand({ GroupIds: [sgId('tidemark-demo-web')] }));
    const ports = live.SecurityGroups![0]!.IpPermissions!.map((p) => p.FromPort).sort((a, b) => a! - b!);
    // The revert writes the declared rule set back: the grant's other change goes with it.
    assert.deepEqual(ports, [80, 443]);
  } finally {
    await w.close();
  }
});

test('a change in a second region (a resource on provider aws.west) is found: CloudTrail is polled in every region read', async () => {
  const WEST = 'us-west-2';
  const vpcId = 'vpc-0f0e0d0c0b0a0ee01';
  const multi = { ...scenario, regions: [scenario.region, WEST], limits: { lookupEventsPerSecond: 0 } };
  multi.vpcs = [...(scenario.vpcs ?? []), { id: vpcId, cidrBlock: '10.30.0.0/16', region: WEST, enableDnsSupport: true, enableDnsHostnames: false, tags: { Name: 'west' } }];
  const sandbox = await startSandbox(multi);
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-watch-west-'));
  try {
    cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'west.tf'), 'provider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n\nresource "aws_vpc" "west" {\n  provider             = aws.west\n  cidr_block           = "10.30.0.0/16"\n  enable_dns_support   = true\n  enable_dns_hostnames = false\n  tags = { Name = "west" }\n}\n');
    const statePath = path.join(dir, 'terraform.tfstate');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { resources: unknown[] };
    const arn = `arn:aws:ec2:${WEST}:${scenario.account}:vpc/${vpcId}`;
    state.resources.push({
      mode: 'managed', type: 'aws_vpc', name: 'west', provider: 'provider["registry.terraform.io/hashicorp/aws"].west',
      instances: [{ schema_version: 1, attributes: { arn, id: vpcId, cidr_block: '10.30.0.0/16', enable_dns_support: true, enable_dns_hostnames: false, instance_tenancy: 'default', owner_id: scenario.account, tags: { Name: 'west' }, tags_all: { Name: 'west' } } }],
    });
    writeFileSync(statePath, JSON.stringify(state, null, 2));
    const load = async () => {
      const files = withoutBrokenBlocks(rootFilesOf(dir, await new WorkspaceIndex().addFolder(dir))).files;
      return { files, comments: await ignoreCommentsOf(files) };
    };
    const module = new RootModule({ root: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region }, credentials: keysOf('drift-reader') });
    await module.loadConfig();
    await module.connect((await load()).files);
    const events: WatchEvent[] = [];
    const follower = new Follower({ module, load, cursorFile: cursorFile(dir), random: () => 1, intervalMs: 30_000, sweepMs: 3_600_000, budget: 20, emit: (e) => events.push(e) });
    const baseline = await follower.poll();
    assert.equal(baseline.error, undefined);
    assert.deepEqual(baseline.emitted, [], 'the untouched sandbox matches the workspace');

    const west = new EC2Client({ endpoint: sandbox.endpoint, region: WEST, credentials: keysOf('carol') });
    await west.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'Name', Value: 'renamed-by-hand' }] }));
    sandbox.resetStats();
    const report = await follower.poll();
    assert.equal(report.error, undefined);
    assert.deepEqual(report.touched, ['aws_vpc.west']);
    const appeared = report.emitted.filter((e) => e.kind === 'appeared');
    assert.equal(appeared.length, 1, JSON.stringify(report.emitted));
    const alert = toAlert(appeared[0]!, { root: dir, at: new Date() });
    assert.equal(alert.resource, 'aws_vpc.west');
    assert.equal(alert.attribution?.actor, 'carol');
    const byRegion = sandbox.statsByRegion();
    assert.equal(byRegion[WEST]?.['cloudtrail:LookupEvents'], 1, JSON.stringify(byRegion));
    assert.equal(byRegion[scenario.region]?.['cloudtrail:LookupEvents'], 1, JSON.stringify(byRegion));
    assert.equal(report.calls, Object.values(byRegion).reduce((n, ops) => n + Object.values(ops).reduce((a, b) => a + b, 0), 0), 'every region\'s calls count against the budget');
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
