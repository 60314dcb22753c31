// `tidemark watch --queue` against the sandbox through the real SDK: the sandbox's EventBridge rule
// delivers each write call to an SQS queue; carol's change becomes the error alert naming her; a
// redelivery of the same CloudTrail event raises nothing and is deleted; a poison message is
// reported once and left in the queue; a bad or missing queue is a one-line error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { Scenario } from '../../sandbox/src/scenario';
import type { Alert } from '../../server/src/alerts/alert';
import { QueueConsumer } from '../../server/src/app/queue-consumer';
import { Follower } from '../../server/src/app/watch-follower';
import { ignoreCommentsOf, rootFilesOf, RootModule, withoutBrokenBlocks } from '../../server/src/app/root-module';
import type { CliIO } from '../../server/src/cli/io';
import { run } from '../../server/src/cli/watch';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import type { WatchEvent } from '../../server/src/watch/events';
import { repoRoot } from '../support/lsp-client';
import { keyOf, startDemo } from '../sandbox/helpers';

let sandbox: SandboxHandle;
let scenario: Scenario;
let ops: SQSClient;
const dirs: string[] = [];

/** drift-reader may also consume queues (as the watcher's role would on AWS). */
before(async () => {
  ({ sandbox, scenario } = await startDemo({}, (s) => {
    s.limits = { lookupEventsPerSecond: 0 };
    const reader = s.users!.find((u) => u.name === 'drift-reader')!;
    reader.policies = { ...(reader.policies ?? {}), queue: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sqs:*', 'events:*'], Resource: '*' }] } };
  }));
  const reader = keyOf(scenario, 'drift-reader');
  process.env.AWS_ACCESS_KEY_ID = reader.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = reader.secretAccessKey;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  ops = new SQSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: reader, maxAttempts: 1 });
});

after(async () => {
  ops?.destroy();
  await sandbox?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-watch-queue-'));
  dirs.push(dir);
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  return dir;
}

/** A queue fed by a rule matching every write call via CloudTrail. */
async function eventQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const url = (await ops.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  const arn = (await ops.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const events = new EventBridgeClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: keyOf(scenario, 'drift-reader'), maxAttempts: 1 });
  await events.send(new PutRuleCommand({ Name: `${name}-writes`, EventPattern: JSON.stringify({ 'detail-type': ['AWS API Call via CloudTrail'], detail: { readOnly: [false] } }) }));
  await events.send(new PutTargetsCommand({ Rule: `${name}-writes`, Targets: [{ Id: 'q', Arn: arn }] }));
  events.destroy();
  return url;
}

async function depth(url: string): Promise<number> {
  const a = (await ops.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes!;
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
}

async function carolTags(value: string): Promise<void> {
  const carol = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: keyOf(scenario, 'carol'), maxAttempts: 1 });
  const web = scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-web')!.id;
  await carol.send(new CreateTagsCommand({ Resources: [web], Tags: [{ Key: 'Team', Value: value }] }));
  carol.destroy();
}

async function watch(dir: string, args: string[]): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  let err = '';
  const io: CliIO = { cwd: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region }, out: (t) => out.push(t), err: (t) => (err += t + '\n'), isTTY: false };
  try {
    return { code: await run(args, io), out, err };
  } catch (error) {
    return { code: (error as { exitCode?: number }).exitCode ?? 99, out, err: err + (error as Error).message };
  }
}

test('queue consumer: carol\'s change is one error alert; a redelivery of the same event raises nothing and is deleted', async () => {
  const dir = workspace();
  const url = await eventQueue('follow');
  const load = async () => {
    const files = withoutBrokenBlocks(rootFilesOf(dir, await new WorkspaceIndex().addFolder(dir))).files;
    return { files, comments: await ignoreCommentsOf(files) };
  };
  const module = new RootModule({ root: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region }, credentials: keyOf(scenario, 'drift-reader') });
  await module.loadConfig();
  await module.connect((await load()).files);
  const emitted: WatchEvent[] = [];
  const follower = new Follower({ module, load, intervalMs: 30_000, sweepMs: 3_600_000, budget: 20, emit: (e) => emitted.push(e) });
  const baseline = await follower.poll();
  assert.equal(baseline.error, undefined);
  assert.deepEqual(baseline.emitted, [], 'the untouched sandbox matches examples/demo');
  const lines: string[] = [];
  const consumer = new QueueConsumer({ sqs: ops, queueUrl: url, follower, waitSeconds: 0, report: (l) => lines.push(l) });

  await carolTags('hotfix');
  // Peek at the delivered envelope without taking it, to deliver it a second time later.
  const peek = await ops.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0, MaxNumberOfMessages: 10 }));
  const body = peek.Messages?.find((m) => m.Body?.includes('"CreateTags"'))?.Body;
  assert.ok(body, 'the sandbox delivered the CreateTags call to the queue');

  const first = await consumer.round();
  assert.equal(first.error, undefined);
  assert.ok(first.events >= 1, 'the CreateTags event (and the rule set-up calls before it)');
  assert.deepEqual(first.poll!.reread, ['aws_instance.web'], 'only the touched resource is re-read');
  const alerts = first.poll!.emitted.filter((e) => e.kind === 'appeared');
  assert.equal(alerts.length, 1, JSON.stringify(first.poll!.emitted));
  const drift = (alerts[0] as Exclude<WatchEvent, { kind: 'error' }>).drift;
  assert.equal(drift.attribution?.class, 'no-grant');
  assert.match(drift.attribution?.principalArn ?? '', /user\/carol$/);
  assert.equal(await depth(url), 0, 'a processed batch is deleted');

  // At-least-once delivery: the same CloudTrail event arrives again.
  await ops.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
  const again = await consumer.round();
  assert.equal(again.events, 1);
  assert.equal(again.poll!.duplicates, 1);
  assert.deepEqual(again.poll!.reread, [], 'a duplicate is not even re-read');
  assert.deepEqual(again.poll!.emitted, [], 'a redelivery raises no second alert');
  assert.equal(await depth(url), 0, 'the duplicate is deleted too');
  assert.deepEqual(lines, []);
  assert.equal(emitted.filter((e) => e.kind === 'appeared').length, 1);
});

test('watch --queue: carol\'s change arrives through the queue and is attributed to her on stdout', async () => {
  const dir = workspace();
  const url = await eventQueue('cli');
  await carolTags('queue-path');
  const r = await watch(dir, ['.', '--queue', url, '--queue-wait', '0', '--polls', '1', '--json']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, new RegExp(`queue ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(0s long polls\\)`));
  const alerts = r.out.map((l) => JSON.parse(l) as Alert);
  const attributed = alerts.find((a) => a.kind === 'drift-attributed' && a.resource === 'aws_instance.web');
  assert.ok(attributed, r.out.join('\n'));
  assert.equal(attributed.severity, 'error');
  assert.match(attributed.message, /carol/);
  assert.equal(await depth(url), 0);
});

test('watch --queue: a poison message is reported once, by id, and left in the queue', async () => {
  const dir = workspace();
  // Visibility 0: every receive sees the message again, as a quick redelivery would.
  const url = (await ops.send(new CreateQueueCommand({ QueueName: 'poison', Attributes: { VisibilityTimeout: '0' } }))).QueueUrl!;
  const sent = await ops.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'this is not an event' }));
  const r = await watch(dir, ['.', '--queue', url, '--queue-wait', '0', '--polls', '3', '--json']);
  assert.equal(r.code, 0, r.err);
  const reports = r.err.split('\n').filter((l) => l.includes(sent.MessageId!));
  assert.equal(reports.length, 1, r.err);
  assert.match(reports[0]!, /not an EventBridge CloudTrail event \(not JSON.*left in the queue/);
  assert.equal(await depth(url), 1, 'the poison message stays for the dead-letter policy');
});

test('watch --queue: not an SQS URL, or a queue that does not exist, is one line and exit 1', async () => {
  const dir = workspace();
  const bad = await watch(dir, ['.', '--queue', 'https://example.com/queue']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /^--queue: 'https:\/\/example\.com\/queue' is not an SQS queue URL/);
  const missing = await watch(dir, ['.', '--queue', `${sandbox.endpoint}/${scenario.account}/nope`]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /--queue .*\/nope: no such queue$/);
  assert.equal(missing.err.trim().split('\n').length, 1, missing.err);
});
