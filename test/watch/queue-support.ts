// Shared by the queue tests: a demo workspace, a queue fed by a rule matching every write call via
// CloudTrail, and a follower on the demo root module, all against one sandbox through the real SDK.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { Scenario } from '../../sandbox/src/scenario';
import { Follower, type FollowerOptions } from '../../server/src/app/watch-follower';
import { ignoreCommentsOf, rootFilesOf, RootModule, withoutBrokenBlocks } from '../../server/src/app/root-module';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import { repoRoot } from '../support/lsp-client';
import type { WatchEvent } from '../../server/src/watch/events';
import { keyOf, startDemo } from '../sandbox/helpers';

/** The demo scenario with LookupEvents unthrottled and drift-reader allowed to consume queues and rules. */
export function queueScenario(s: Scenario): void {
  s.limits = { lookupEventsPerSecond: 0 };
  const reader = s.users!.find((u) => u.name === 'drift-reader')!;
  reader.policies = { ...(reader.policies ?? {}), queue: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sqs:*', 'events:*'], Resource: '*' }] } };
}

/** The sandbox of a queue test file, and drift-reader's SQS client on it. */
export async function startQueueSandbox(): Promise<{ sandbox: SandboxHandle; scenario: Scenario; ops: SQSClient }> {
  const { sandbox, scenario } = await startDemo({}, queueScenario);
  return { sandbox, scenario, ops: sqsFor(sandbox, scenario) };
}

/** Stops what startQueueSandbox started and removes the test's workspaces, whatever the outcome. */
export async function stopQueueSandbox(ops: SQSClient | undefined, sandbox: SandboxHandle | undefined, dirs: string[]): Promise<void> {
  ops?.destroy();
  await sandbox?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

export type DriftEvent = Extract<WatchEvent, { drift: unknown }>;
export const appeared = (events: WatchEvent[]): DriftEvent[] => events.filter((e): e is DriftEvent => e.kind === 'appeared');

export function demoWorkspace(dirs: string[], prefix = 'tidemark-queue-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  return dir;
}

export function sqsFor(sandbox: SandboxHandle, scenario: Scenario): SQSClient {
  return new SQSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: keyOf(scenario, 'drift-reader'), maxAttempts: 1 });
}

/** A queue fed by a rule matching every write call via CloudTrail. */
export async function eventQueue(sandbox: SandboxHandle, scenario: Scenario, sqs: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<string> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const events = new EventBridgeClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: keyOf(scenario, 'drift-reader'), maxAttempts: 1 });
  await events.send(new PutRuleCommand({ Name: `${name}-writes`, EventPattern: JSON.stringify({ 'detail-type': ['AWS API Call via CloudTrail'], detail: { readOnly: [false] } }) }));
  await events.send(new PutTargetsCommand({ Rule: `${name}-writes`, Targets: [{ Id: 'q', Arn: arn }] }));
  events.destroy();
  return url;
}

/** Messages in the queue, visible or in flight. */
export async function depth(sqs: SQSClient, url: string): Promise<number> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes!;
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
}

export async function visible(sqs: SQSClient, url: string): Promise<number> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!;
  return Number(a.ApproximateNumberOfMessages);
}

/** carol tags the given demo resources (by their sandbox ids) with Team=value, in one CreateTags call. */
export async function carolTags(sandbox: SandboxHandle, scenario: Scenario, ids: string[], value: string): Promise<void> {
  const carol = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: keyOf(scenario, 'carol'), maxAttempts: 1 });
  await carol.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'Team', Value: value }] }));
  carol.destroy();
}

export const webInstance = (scenario: Scenario): string => scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-web')!.id;

/** A connected root module on the demo workspace, and a follower over it (options may override). */
export async function demoFollower(sandbox: SandboxHandle, scenario: Scenario, dir: string, options: Partial<FollowerOptions> & Pick<FollowerOptions, 'emit'> & { beforeLoad?: () => Promise<void> }): Promise<Follower> {
  const load = async () => {
    await options.beforeLoad?.();
    const files = withoutBrokenBlocks(rootFilesOf(dir, await new WorkspaceIndex().addFolder(dir))).files;
    return { files, comments: await ignoreCommentsOf(files) };
  };
  const module = new RootModule({ root: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region }, credentials: keyOf(scenario, 'drift-reader') });
  await module.loadConfig();
  await module.connect((await load()).files);
  return new Follower({ module, load, intervalMs: 30_000, sweepMs: 3_600_000, budget: 20, ...options });
}
