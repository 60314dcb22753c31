// Per-keystroke re-diffs reuse the reports of blocks an edit did not touch. Whatever the edit —
// inside a resource, above it (moving blocks), in a variable, in an ignore comment — the result must
// equal a fresh analysis of the same text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EC2Client, ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { analyzeWorkspace } from '../../server/src/drift/engine';
import { WorkspaceIndex } from '../../server/src/hcl/workspace-index';
import { RESOURCE_TYPES } from '../../server/src/cloud/types';
import { ignoreCommentsOf, rootFilesOf, RootModule, tfVarsFromEnv, withoutBrokenBlocks } from '../../server/src/app/root-module';
import { repoRoot } from '../support/lsp-client';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const carol = scenario.users!.find((u) => u.name === 'carol')!.accessKeys![0];
const worker = scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-worker')!;

let sandbox: SandboxHandle;
let dir: string;

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-incremental-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('incremental re-diffs equal fresh analyses through a sequence of edits', async () => {
  const index = new WorkspaceIndex();
  await index.addFolder(dir);
  const module = new RootModule({ root: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region }, credentials: { accessKeyId: carol.id, secretAccessKey: carol.secret } });
  await module.loadConfig();
  await module.connect(withoutBrokenBlocks(rootFilesOf(dir, index.allFiles())).files);
  await module.refreshAll();

  const texts = new Map<string, string>();
  let version = 1;
  const edit = async (name: string, change: (text: string) => string) => {
    const file = path.join(dir, name);
    const text = change(texts.get(file) ?? readFileSync(file, 'utf8'));
    texts.set(file, text);
    await index.update(file, text, ++version);
  };
  const compare = async (label: string) => {
    const files = withoutBrokenBlocks(rootFilesOf(dir, index.allFiles())).files;
    const comments = await ignoreCommentsOf(files, (f) => texts.get(f));
    const incremental = module.analyze(files, comments);
    const fresh = analyzeWorkspace(files, Object.assign(module.state, { present: module.statePresent }), module.cache!.snapshot, {
      types: RESOURCE_TYPES, config: module.config, comments, now: new Date(), variables: { env: tfVarsFromEnv({}) }, inferred: module.inferred,
    });
    // The engine's output, without the root module's accounting of state instances (see accounting.ts).
    const { account: _account, ...engineOnly } = incremental;
    assert.deepEqual(JSON.parse(JSON.stringify(engineOnly)), JSON.parse(JSON.stringify(fresh)), label);
    return incremental;
  };

  assert.equal((await compare('start')).drifts.length, 0);
  await edit('compute.tf', (t) => t.replace('private_ip             = "10.0.1.10"', 'private_ip             = "10.0.1.11"'));
  assert.equal((await compare('a changed attribute in one block')).drifts.length, 1);
  await edit('compute.tf', (t) => `# a comment line that moves every block below it\n${t}`);
  const moved = await compare('blocks moved down one line');
  assert.equal(moved.drifts[0]?.range.start.line, 6, 'the reused drift sits on the moved line');
  // Typing on a line above moves only the blocks' character offsets: they are reused as they are.
  await edit('compute.tf', (t) => t.replace('# a comment line that', '# a longer comment line that'));
  assert.equal((await compare('blocks moved along their lines')).drifts.length, 1);
  await edit('compute.tf', (t) => t.replace('private_ip             = "10.0.1.11"', 'private_ip             = "10.0.1.12"'));
  assert.equal((await compare('an edit inside a block whose offsets moved')).drifts[0]?.range.start.line, 6);
  await edit('compute.tf', (t) => t.replace('private_ip             = "10.0.1.12"', 'private_ip             = "10.0.1.11"'));
  await edit('variables.tf', (t) => t.replace('default     = "tidemark-demo"', 'default     = "renamed"'));
  assert.ok((await compare('a variable every block uses')).drifts.length > 1);
  await edit('variables.tf', (t) => t.replace('default     = "renamed"', 'default     = "tidemark-demo"'));
  await edit('compute.tf', (t) => t.replace('private_ip             = "10.0.1.11"', 'private_ip             = "10.0.1.11" # tidemark:ignore reason="testing"'));
  const ignored = await compare('an ignore comment');
  assert.ok(ignored.drifts.every((d) => d.suppressed), 'the drift is now ignored');
  await edit('compute.tf', (t) => t.replace('"10.0.1.11" # tidemark:ignore reason="testing"', '"10.0.1.10"'));
  assert.equal((await compare('back to the declared value')).drifts.length, 0);

  // A live refresh of one address replaces that address's snapshot entry: its block is diffed again
  // (the others are reused), and the result still equals a fresh analysis.
  const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: { accessKeyId: carol.id, secretAccessKey: carol.secret } });
  await ec2.send(new StopInstancesCommand({ InstanceIds: [worker.id] }));
  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: worker.id, InstanceType: { Value: 't3.large' } }));
  await ec2.send(new StartInstancesCommand({ InstanceIds: [worker.id] }));
  await module.refreshResources(['aws_instance.worker']);
  const refreshed = await compare('an incremental refresh of one address');
  assert.deepEqual(refreshed.drifts.map((d) => [d.address, d.attributePath.join('.')]), [['aws_instance.worker', 'instance_type']]);
  await module.refreshResources(['aws_instance.web']);
  assert.equal((await compare('a refresh of an address that did not change')).drifts.length, 1);
  await ec2.send(new StopInstancesCommand({ InstanceIds: [worker.id] }));
  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: worker.id, InstanceType: { Value: worker.type } }));
  await ec2.send(new StartInstancesCommand({ InstanceIds: [worker.id] }));
  await module.refreshResources(['aws_instance.worker']);
  assert.equal((await compare('refreshed back to the declared value')).drifts.length, 0);
});
