// After a refresh of some addresses, attribution looks up CloudTrail for their drifts only: the
// other drifts were not read again, so who changed them is what the last read found (their
// attribution is kept as it was), and the attribution of a drift that went away is dropped.
// Real DriftService and AttributionService against the sandbox, carol changing things with her keys.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTagsCommand, EC2Client, ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { AttributionService } from '../../server/src/app/attribution-service';
import { DriftService } from '../../server/src/app/drift-service';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import type { Drift } from '../../server/src/model';
import { repoRoot } from '../support/lsp-client';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const keyOf = (name: string) => scenario.users!.find((u) => u.name === name)!.accessKeys![0]!;
const worker = scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-worker')!;
const web = scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-web')!;

let sandbox: SandboxHandle;
let dir: string;

before(async () => {
  sandbox = await startSandbox({ ...scenario, limits: { lookupEventsPerSecond: 0 } });
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-incremental-attribution-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a refresh of one address attributes only its drifts and keeps the others\' attribution', async () => {
  const carol = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: { accessKeyId: keyOf('carol').id, secretAccessKey: keyOf('carol').secret } });
  const resize = async (type: string) => {
    await carol.send(new StopInstancesCommand({ InstanceIds: [worker.id] }));
    await carol.send(new ModifyInstanceAttributeCommand({ InstanceId: worker.id, InstanceType: { Value: type } }));
    await carol.send(new StartInstancesCommand({ InstanceIds: [worker.id] }));
  };
  await resize('t3.large');
  await carol.send(new CreateTagsCommand({ Resources: [web.id], Tags: [{ Key: 'Owner', Value: 'carol' }] }));

  const index = new WorkspaceIndex();
  await index.addFolder(dir);
  const reader = keyOf('drift-reader');
  const env = { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region, AWS_ACCESS_KEY_ID: reader.id, AWS_SECRET_ACCESS_KEY: reader.secret };
  // The SDK's credential chain reads this process's environment, as in the language server.
  Object.assign(process.env, env);
  const drift = new DriftService(index, { env, settings: () => ({ aws: {}, refreshIntervalSeconds: 0 }), textOf: () => undefined, log: () => undefined });
  const attribution = new AttributionService({ drift, grants: () => undefined, log: () => undefined });
  const [root] = await drift.discover();
  assert.ok(root, 'the demo is a root module');
  assert.deepEqual(await drift.refresh(root), []);
  assert.deepEqual(await attribution.refresh(root), []);
  const of = (address: string): Drift[] => (drift.report(root)?.drifts ?? []).filter((d) => d.address === address);
  const [webTag] = of('aws_instance.web');
  const [workerType] = of('aws_instance.worker');
  assert.ok(webTag && workerType, `both drifts: ${JSON.stringify(drift.report(root)?.drifts.map((d) => d.address))}`);
  const webBefore = attribution.attributionOf(webTag);
  assert.match(webBefore?.summary ?? '', /carol/);

  await resize('t3.xlarge');
  sandbox.resetStats();
  assert.deepEqual(await drift.refresh(root, ['aws_instance.worker']), []);
  assert.deepEqual(await attribution.refresh(root, ['aws_instance.worker']), []);
  assert.equal(sandbox.stats()['ec2:DescribeInstances'], 1, JSON.stringify(sandbox.stats()));
  // Kept as it was (the same object: not looked up or classified again).
  assert.equal(attribution.attributionOf(of('aws_instance.web')[0]!), webBefore);
  const workerNow = of('aws_instance.worker')[0]!;
  assert.equal(JSON.stringify(workerNow.live), JSON.stringify('t3.xlarge'));
  assert.match(attribution.attributionOf(workerNow)?.summary ?? '', /carol/);

  // Back to the declared type: the worker's drift and its attribution are gone; the web's stays.
  await resize(worker.type);
  await drift.refresh(root, ['aws_instance.worker']);
  await attribution.refresh(root, ['aws_instance.worker']);
  assert.equal(of('aws_instance.worker').length, 0);
  assert.equal(attribution.attributionOf(workerType), undefined);
  assert.equal(attribution.attributionOf(of('aws_instance.web')[0]!), webBefore);
});
