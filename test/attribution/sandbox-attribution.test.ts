// Attribution end to end against the sandbox: a broker (PGlite, the broker's own keys) grants alice
// prod-operator; she opens SSH on the web security group with the grant's credentials; carol
// resizes the worker with her own keys. Drift is read as a read-only user, events come from
// CloudTrail through the real SDK, grants and session logs through the broker's operations.
import { EC2Client, ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenarioFile, startSandbox, SandboxHandle, Scenario } from '../../sandbox/src/index';
import { awsCloud } from '../../server/src/access/aws-cloud';
import { Broker, Principal } from '../../server/src/access/broker';
import { loadConfig } from '../../server/src/access/config';
import { Ledger } from '../../server/src/access/ledger/ledger';
import { openPglite } from '../../server/src/access/ledger/pglite-database';
import { dispatch } from '../../server/src/access/operations';
import { compilePolicy } from '../../server/src/access/policy';
import { fixedPolicy } from '../../server/src/access/policy-source';
import { Attributor, brokerGrantSource, timelineEvents } from '../../server/src/attribution/attributor';
import { grantChanges } from '../../server/src/attribution/changes';
import { attributedSeverity, withAttribution } from '../../server/src/attribution/classify';
import { resourceNames } from '../../server/src/attribution/names';
import { ResourceEventReader } from '../../server/src/attribution/resource-events';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import type { Drift } from '../../server/src/model';
import { ignoreCommentsOf, rootFilesOf, RootModule } from '../../server/src/app/root-module';
import { workspaceResources } from '../../server/src/app/attribution-service';
import { serveBroker, RunningHttpBroker } from '../../server/src/access/http-server';
import { run as check } from '../../server/src/cli/check';
import { run as log } from '../../server/src/cli/access-log';
import type { CliIO } from '../../server/src/cli/io';
import { REPO, user } from '../access/helpers';
import { keyOf as scenarioKey } from '../sandbox/helpers';
import { CliCredentials, runAwsCli } from './aws-cli';

const SCENARIO = path.join(REPO, 'sandbox/scenarios/demo.yaml');
const TIDEMARK = path.join(REPO, 'examples/demo/.tidemark');

let scenario: Scenario;
let sandbox: SandboxHandle;
let ledger: Ledger;
let broker: Broker;
let alice: Principal;
let bob: Principal;
let dir: string;
let module: RootModule;
let http: RunningHttpBroker;
let grantId: string;

const keyOf = (name: string) => scenarioKey(scenario, name);

before(async () => {
  scenario = loadScenarioFile(SCENARIO);
  sandbox = await startSandbox(SCENARIO);
  const config = loadConfig(path.join(TIDEMARK, 'config.yaml'));
  // `tidemark check` below runs as drift-reader: reading everyone's grants goes through the policy, so
  // it is a configured auditor here (an unmapped principal gets whoami only).
  config.users.push({ arn: `arn:aws:iam::${scenario.account}:user/drift-reader`, name: 'drift-reader', groups: ['auditors'] });
  const policy = compilePolicy(readFileSync(path.join(TIDEMARK, 'policy.cedar'), 'utf8'), 'policy.cedar');
  const cloud = awsCloud({ AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region }, async () => keyOf('tidemark-broker'));
  ledger = await Ledger.open(await openPglite());
  broker = new Broker({ ledger, policy: fixedPolicy({ config, policy }), cloud, audience: 'attribution-test' });
  await broker.start();
  [alice, bob] = ['alice', 'bob'].map((n) => user(config, n));
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-attribution-'));
  cpSync(path.join(REPO, 'examples/demo'), dir, { recursive: true });
  // Drift is read as the read-only drift-reader: attribution needs only cloudtrail:LookupEvents.
  module = new RootModule({ root: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region }, credentials: keyOf('drift-reader') });
});

after(async () => {
  await http?.close();
  await broker?.stop();
  await ledger?.close();
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function drifts(): Promise<Drift[]> {
  const index = new WorkspaceIndex();
  const files = rootFilesOf(dir, await index.addFolder(dir));
  if (!module.clients) {
    await module.loadConfig();
    await module.connect(files);
  }
  await module.refreshAll();
  return module.analyze(files, await ignoreCommentsOf(files)).drifts;
}

const web = () => scenario.securityGroups!.find((g) => g.name === 'tidemark-demo-web')!;
const worker = () => scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-worker')!;

test('alice\'s change under her grant is hers (active, then ended after revoke); carol\'s own change is unauthorized', async () => {
  // A ticket keeps the request within policy at any hour (after-hours rule: ≤ 60 min with a ticket).
  const requested = await broker.request(alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'open ssh for the incident', ticket: 'INC-7' });
  const grant = await broker.approve(bob, requested.id);
  grantId = grant.id;
  assert.equal(grant.state, 'active');
  const creds = await broker.getCredentials(alice, grant.id);
  const command = `aws ec2 authorize-security-group-ingress --group-id ${web().id} --protocol tcp --port 22 --cidr 0.0.0.0/0`;
  await broker.recordCommands(alice, grant.id, [{ at: new Date().toISOString(), cwd: '/ops', command, exitCode: 0, source: 'shell' }]);
  // The real aws CLI, as in a grant terminal: its userAgent names the command (an SDK's would rule the command out).
  await awsCli(creds, command.split(' ').slice(1));

  const asCarol = new EC2Client({ endpoint: sandbox.endpoint, region: scenario.region, credentials: keyOf('carol') });
  await asCarol.send(new StopInstancesCommand({ InstanceIds: [worker().id] }));
  await asCarol.send(new ModifyInstanceAttributeCommand({ InstanceId: worker().id, InstanceType: { Value: 't3.large' } }));
  await asCarol.send(new StartInstancesCommand({ InstanceIds: [worker().id] }));

  const found = await drifts();
  const ingress = found.find((d) => d.address === 'aws_security_group.web' && d.attributePath[0] === 'ingress');
  const type = found.find((d) => d.address === 'aws_instance.worker' && d.attributePath[0] === 'instance_type');
  assert.ok(ingress && type, `both changes drift; got ${found.map((d) => `${d.address}.${d.attributePath.join('.')}`).join(', ')}`);

  const reader = new ResourceEventReader(module.clients!);
  const attributor = new Attributor(reader);
  const grants = brokerGrantSource((op, params) => dispatch(broker, alice, op, params));
  const snapshot = module.cache!.snapshot;
  const lookups = () => module.clients!.gate.stats()['cloudtrail:LookupEvents'] ?? 0;
  // One instant for both passes, so the second is served from the per-resource cache whatever the load.
  const now = new Date();
  const first = await attributor.attribute({ drifts: found, namesOf: (d) => resourceNames(d, snapshot), grants, now });
  const resources = new Set(found.filter((d) => d.liveId).map((d) => resourceNames(d, snapshot).join(' ')));
  assert.ok(lookups() >= resources.size, 'one lookup per drifted resource at least');
  const afterFirst = lookups();
  assert.deepEqual(first.failures, []);
  assert.ok(first.brokered);
  const [sg, instance] = [ingress, type].map((d) => withAttribution([d], first.attributions)[0]!);
  assert.equal(sg!.attribution?.class, 'active-grant');
  assert.equal(sg!.attribution?.grantId, grant.id);
  assert.equal(sg!.attribution?.actor, 'alice');
  assert.equal(sg!.attribution?.command, command);
  assert.equal(sg!.attribution?.eventName, 'ec2:AuthorizeSecurityGroupIngress');
  assert.equal(sg!.severity, 'info');
  assert.match(sg!.attribution!.summary, new RegExp(`^changed by alice under grant ${grant.id}, \\d\\d:\\d\\d UTC, \`aws ec2 authorize-security-group-ingress`));
  assert.equal(instance!.attribution?.class, 'no-grant');
  assert.equal(instance!.attribution?.actor, 'carol');
  assert.equal(instance!.attribution?.principalArn, `arn:aws:iam::${scenario.account}:user/carol`);
  assert.equal(instance!.attribution?.eventName, 'ec2:ModifyInstanceAttribute', 'the resize, not the later start, explains instance_type');
  assert.equal(instance!.severity, 'error');

  // The grant's changes, as `tidemark log` and the Access view show them.
  const timeline = await broker.timeline(alice, grant.id);
  const changes = grantChanges({ grant: timeline.grant, events: timelineEvents(timeline), commands: timeline.entries.flatMap((e) => (e.kind === 'command' ? [e.command] : [])), drifts: withAttribution(found, first.attributions), resources: workspaceResources(module) });
  const change = changes.find((c) => c.address === 'aws_security_group.web' && c.attributePath[0] === 'ingress');
  assert.equal(change?.status, 'drifted');
  assert.equal(change?.command, command);
  assert.deepEqual(change?.after, ingress.live);

  // Bob revokes: the same change is now a leftover of an ended grant.
  await broker.revoke(bob, grant.id, 'incident over');
  const second = await attributor.attribute({ drifts: found, namesOf: (d) => resourceNames(d, snapshot), grants, now });
  assert.equal(lookups(), afterFirst, 'events just read are cached per resource: no second lookup');
  const ended = second.attributions.get(`aws_security_group.web\u0000ingress`);
  assert.equal(ended?.class, 'ended-grant');
  assert.match(ended!.summary, new RegExp(`under grant ${grant.id} \\(revoked \\d\\d:\\d\\d UTC\\)`));
  assert.equal(attributedSeverity({ severity: 'info', attribution: ended }), 'warning');

  // Without a broker, carol's change is still found to be unauthorized from CloudTrail alone.
  const alone = await new Attributor(new ResourceEventReader(module.clients!)).attribute({ drifts: found, namesOf: (d) => resourceNames(d, snapshot) });
  assert.equal(alone.brokered, false);
  assert.equal(alone.attributions.get('aws_instance.worker\u0000instance_type')?.class, 'no-grant');
  assert.equal(alone.attributions.get('aws_security_group.web\u0000ingress')?.class, 'unknown');
  assert.equal(alone.attributions.get('aws_security_group.web\u0000ingress')?.grantId, grant.id);
});

function cli(env: NodeJS.ProcessEnv): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd: dir, env, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTTY: false, stdout, stderr };
}

test('tidemark check prints who changed what in text, --json and SARIF; tidemark log lists the grant\'s changes', async (t) => {
  assert.ok(grantId, 'runs after the grant test');
  const readerKeys = keyOf('drift-reader');
  const base = { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region, AWS_PROFILE: '', AWS_SESSION_TOKEN: '' };
  const token = 'attribution-test-token';
  http = await serveBroker(broker, { token });
  const env = { ...base, AWS_ACCESS_KEY_ID: readerKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: readerKeys.secretAccessKey };
  // The SDK's credential chain reads process.env (as the real CLI process does): the drift reader's keys.
  const saved = { ...process.env };
  Object.assign(process.env, env);
  t.after(() => {
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  // Without a broker: carol's change is an error from CloudTrail alone, and fails even --fail-on error.
  const alone = cli(env);
  assert.equal(await check(['--fail-on', 'error'], alone), 2, alone.stderr.join('\n'));
  const text = alone.stdout.join('\n');
  assert.match(text, /instance_type is "t3\.large" live but "t3\.small".*\n\s+NO GRANT: changed by carol \(arn:aws:iam::\d+:user\/carol\) outside any Tidemark grant/);
  assert.match(text, new RegExp(`who: unknown: changed by alice in session tidemark-${grantId}.*no access broker reachable`));

  // With the broker: alice's change is under her (now revoked) grant, a warning.
  const brokered = { ...env, TIDEMARK_BROKER_URL: http.url, TIDEMARK_BROKER_TOKEN: token };
  const json = cli(brokered);
  await check(['--json'], json);
  const report = JSON.parse(json.stdout.join('\n')) as { drifts: Array<{ address: string; attributePath: string[]; severity: string; attribution?: { class: string; grantId?: string; actor?: string } }> };
  const ingress = report.drifts.find((d) => d.address === 'aws_security_group.web' && d.attributePath[0] === 'ingress');
  assert.deepEqual([ingress?.attribution?.class, ingress?.attribution?.grantId, ingress?.attribution?.actor, ingress?.severity], ['ended-grant', grantId, 'alice', 'warning']);
  const sarifIo = cli(brokered);
  await check(['--sarif'], sarifIo);
  const sarif = JSON.parse(sarifIo.stdout.join('\n')) as { runs: Array<{ results: Array<{ level: string; message: { text: string }; properties: { address: string; attributePath: string[]; attribution?: { class: string } } }> }> };
  const levels = new Map(sarif.runs[0]!.results.map((r) => [`${r.properties.address} ${r.properties.attributePath.join('.')}`, r]));
  assert.equal(levels.get('aws_instance.worker instance_type')?.level, 'error');
  assert.equal(levels.get('aws_security_group.web ingress')?.level, 'warning');
  assert.match(levels.get('aws_security_group.web ingress')!.message.text, new RegExp(`changed by alice under grant ${grantId} \\(revoked`));
  assert.equal(levels.get('aws_security_group.web ingress')?.properties.attribution?.class, 'ended-grant');

  // tidemark log <grant>, as alice: the timeline, then the changes with before → after and the command.
  const aliceKeys = keyOf('alice');
  const asAlice = cli({ ...base, AWS_ACCESS_KEY_ID: aliceKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: aliceKeys.secretAccessKey, TIDEMARK_BROKER_URL: http.url, TIDEMARK_BROKER_TOKEN: token });
  assert.equal(await log([grantId], asAlice), 0, asAlice.stderr.join('\n'));
  const out = asAlice.stdout.join('\n');
  assert.match(out, /\nChanges\n/);
  assert.match(out, new RegExp(`aws_security_group\\.web ingress\\s+drifted\\s+\\[.*→ \\[.*\\$ aws ec2 authorize-security-group-ingress --group-id ${web().id}`));
  const asJson = cli(asAlice.env);
  await log([grantId, '--json'], asJson);
  const logged = JSON.parse(asJson.stdout.join('\n')) as { changes: Array<{ address: string; status: string; command?: string }> };
  assert.ok(logged.changes.some((c) => c.address === 'aws_security_group.web' && c.status === 'drifted' && c.command?.startsWith('aws ec2 authorize-security-group-ingress')));
  assert.ok(!logged.changes.some((c) => c.address === 'aws_instance.worker'), 'carol\'s change is not under the grant');
});

function awsCli(creds: CliCredentials, args: string[]): Promise<void> {
  return runAwsCli(sandbox.endpoint, scenario.region, creds, args);
}

test('the real aws CLI stops, resizes and starts the worker under a grant: the resize command, not the nearest one, is the change\'s command', async () => {
  const requested = await broker.request(alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'resize the worker', ticket: 'INC-8' });
  const grant = await broker.approve(bob, requested.id);
  const creds = await broker.getCredentials(alice, grant.id);
  const id = worker().id;
  const typed = [
    ['ec2', 'stop-instances', '--instance-ids', id, '--output', 'text'],
    ['ec2', 'modify-instance-attribute', '--instance-id', id, '--instance-type', 't3.medium'],
    ['ec2', 'start-instances', '--instance-ids', id, '--output', 'text'],
  ];
  for (const args of typed) {
    // Recorded as the grant terminal does: when the command starts, as the user typed it.
    await broker.recordCommands(alice, grant.id, [{ at: new Date().toISOString(), cwd: '/ops', command: `aws --endpoint-url ${sandbox.endpoint} ${args.join(' ')}`, exitCode: 0, source: 'shell' }]);
    await awsCli(creds, args);
  }
  const found = await drifts();
  const type = found.find((d) => d.address === 'aws_instance.worker' && d.attributePath[0] === 'instance_type');
  assert.equal(type?.live, 't3.medium');
  const attributed = await new Attributor(new ResourceEventReader(module.clients!)).attribute({
    drifts: found, namesOf: (d) => resourceNames(d, module.cache!.snapshot), grants: brokerGrantSource((op, params) => dispatch(broker, alice, op, params)),
  });
  const resize = `aws --endpoint-url ${sandbox.endpoint} ${typed[1]!.join(' ')}`;
  assert.equal(attributed.attributions.get('aws_instance.worker\u0000instance_type')?.command, resize);

  const timeline = await broker.timeline(alice, grant.id);
  const events = timelineEvents(timeline);
  // CloudTrail kept the CLI's userAgent, which names the command that made each call.
  assert.match(events.find((e) => e.eventName === 'ModifyInstanceAttribute')?.userAgent ?? '', /command\/ec2\.modify-instance-attribute/);
  const changes = grantChanges({
    grant: timeline.grant, events, commands: timeline.entries.flatMap((e) => (e.kind === 'command' ? [e.command] : [])),
    drifts: withAttribution(found, attributed.attributions), resources: workspaceResources(module),
  });
  const change = changes.find((c) => c.address === 'aws_instance.worker' && c.attributePath[0] === 'instance_type');
  assert.equal(change?.command, resize);
  assert.equal(change?.eventName, 'ec2:ModifyInstanceAttribute');
  await broker.release(alice, grant.id);
});

test('tidemark check caps CloudTrail lookups: progress on stderr, and the drifts past the cap are named as not attributed', async (t) => {
  const readerKeys = keyOf('drift-reader');
  const env = { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region, AWS_PROFILE: '', AWS_SESSION_TOKEN: '', AWS_ACCESS_KEY_ID: readerKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: readerKeys.secretAccessKey };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  t.after(() => {
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  });
  const io = cli(env);
  await check(['--json', '--max-lookups', '1'], io);
  const report = JSON.parse(io.stdout.join('\n')) as { drifts: Array<{ address: string; attribution?: { class: string; summary: string } }>; apiCalls: { byOperation: Record<string, number> } };
  assert.equal(report.apiCalls.byOperation['cloudtrail:LookupEvents'], 1, 'one lookup, as capped');
  const capped = report.drifts.filter((d) => /not looked up: the cap of 1 CloudTrail lookups per check was reached/.test(d.attribution?.summary ?? ''));
  assert.ok(capped.length > 0, JSON.stringify(report.drifts.map((d) => d.attribution?.summary)));
  assert.ok(capped.every((d) => d.attribution?.class === 'unknown'));
  const stderr = io.stderr.join('\n');
  assert.match(stderr, /attribution: looking up who changed \d+ drifted resources in CloudTrail \(at most 1 lookups, 2 per second\)/);
  const warning = io.stderr.find((l) => l.includes('not attributed, the cap of 1 CloudTrail lookups per check was reached (--max-lookups)'));
  assert.ok(warning, stderr);
  for (const d of capped) assert.ok(warning.includes(d.address), `${d.address} is named in: ${warning}`);
  const bad = cli(env);
  assert.equal(await check(['--max-lookups', 'many'], bad).catch((e: Error) => e.message), '--max-lookups must be a whole number, got \'many\'');
});
