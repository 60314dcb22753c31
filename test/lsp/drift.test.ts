// Drift in the editor, end to end: the sandbox cloud, the bundled language server over stdio, a
// real LSP client, and changes made through the real AWS SDK as a console user would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand, EC2Client, ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { IAMClient, UpdateRoleCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { CodeAction, CodeActionRequest, Diagnostic, ExecuteCommandRequest, HoverRequest, TextEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadScenarioFile, startSandbox, SandboxHandle } from '../../sandbox/src/index';
import { fileUri, LspSession, repoRoot } from '../support/lsp-client';
import { startSandboxLsp, stopSandboxLsp } from '../support/sandbox-lsp';
import { keyOf as scenarioKey } from '../sandbox/helpers';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const keysOf = (name: string) => scenarioKey(scenario, name);

let sandbox: SandboxHandle;
let session: LspSession;
let dir: string;
let ec2: EC2Client;

const worker = scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-worker')!;
const webGroup = scenario.securityGroups!.find((g) => g.name === 'tidemark-demo-web')!;

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  // A hand-made incident fix, as carol would do it in the console.
  const carol = keysOf('carol');
  ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: carol });
  const s3 = new S3Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: carol, forcePathStyle: true });
  await ec2.send(new StopInstancesCommand({ InstanceIds: [worker.id] }));
  await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: worker.id, InstanceType: { Value: 't3.large' } }));
  await ec2.send(new StartInstancesCommand({ InstanceIds: [worker.id] }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: webGroup.id, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  const logs = scenario.buckets!.find((b) => b.name === 'tidemark-demo-logs')!;
  const tags = Object.entries(logs.tags ?? {}).filter(([k]) => k !== 'Team').map(([Key, Value]) => ({ Key, Value }));
  await s3.send(new PutBucketTaggingCommand({ Bucket: logs.name, Tagging: { TagSet: tags } }));
  // A bucket made by hand with this workspace's default tags: unmanaged, offered for import.
  await s3.send(new CreateBucketCommand({ Bucket: 'tidemark-demo-scratch' }));
  await s3.send(new PutBucketTaggingCommand({ Bucket: 'tidemark-demo-scratch', Tagging: { TagSet: [{ Key: 'Project', Value: 'tidemark-demo' }, { Key: 'ManagedBy', Value: 'terraform' }] } }));

  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-drift-lsp-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  // iam.tf is never opened: its ignore comment must still apply (read from disk).
  const iamFile = path.join(dir, 'iam.tf');
  writeFileSync(iamFile, readFileSync(iamFile, 'utf8').replace('max_session_duration = 3600', 'max_session_duration = 3600 # tidemark:ignore reason="raised for the batch job"'));
  await new IAMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: carol }).send(new UpdateRoleCommand({ RoleName: 'app-role', MaxSessionDuration: 7200 }));
  // The editor user has write access (carol), so Revert can write the declared value back.
  session = await startSandboxLsp(sandbox, carol, dir, {
    answer: (_message, actions) => actions.find((a) => a === 'Revert'),
  });
});

after(() => stopSandboxLsp(session, sandbox, dir));

const driftOf = (diags: Diagnostic[], code: string, line: number) => diags.find((d) => d.source === 'tidemark' && d.code === code && d.range.start.line === line);

async function openDoc(name: string): Promise<{ uri: string; doc: TextDocument }> {
  const file = path.join(dir, name);
  const uri = fileUri(file);
  const text = readFileSync(file, 'utf8');
  await session.open(uri, text, 1);
  return { uri, doc: TextDocument.create(uri, 'terraform', 1, text) };
}

async function actionsFor(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  return (await session.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
}

test('a live change shows as a drift diagnostic on the exact attribute, with a hover of declared vs live', async () => {
  const { uri } = await openDoc('compute.tf');
  const published = await session.diagnostics(uri, (p) => Boolean(driftOf(p.diagnostics, 'drift.changed', 20)));
  const diagnostic = driftOf(published.diagnostics, 'drift.changed', 20)!;
  assert.deepEqual(diagnostic.range.start, { line: 20, character: 2 });
  assert.match(String(diagnostic.message), /aws_instance\.worker: instance_type is "t3\.large" live but "t3\.small"/);
  const hover = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 20, character: 5 } });
  const text = JSON.stringify(hover?.contents);
  assert.match(text, /t3\.small/);
  assert.match(text, /t3\.large/);
  assert.match(text, /Live values read/);
});

test('Adopt live value writes where the value is written (terraform.tfvars), not over the reference, and the diagnostic goes away', async () => {
  const { uri } = await openDoc('compute.tf');
  const published = await session.diagnostics(uri, (p) => Boolean(driftOf(p.diagnostics, 'drift.changed', 20)));
  const actions = await actionsFor(uri, driftOf(published.diagnostics, 'drift.changed', 20)!);
  const adopt = actions.find((a) => a.title === 'Adopt live value of instance_type in terraform.tfvars:2');
  assert.ok(adopt?.edit?.changes, `adopt offered; got ${actions.map((a) => a.title).join(', ')}`);
  // Nothing else reads var.worker_instance_type: no second, local-only action.
  assert.equal(actions.filter((a) => a.title.startsWith('Adopt live value')).length, 1);
  const tfvars = await openDoc('terraform.tfvars');
  assert.deepEqual(Object.keys(adopt.edit.changes), [tfvars.uri]);
  const edited = TextDocument.applyEdits(tfvars.doc, adopt.edit.changes[tfvars.uri] as TextEdit[]);
  assert.equal(edited.split('\n')[1], 'worker_instance_type = "t3.large"');
  await session.change(tfvars.uri, 2, [{ text: edited }]);
  await session.diagnostics(uri, (p) => !driftOf(p.diagnostics, 'drift.changed', 20));
});

test('Revert live resource asks for confirmation, writes the declared rules back, and the drift clears', async () => {
  const { uri } = await openDoc('network.tf');
  const published = await session.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'drift.changed' && /ingress/.test(String(d.message))));
  const diagnostic = published.diagnostics.find((d) => d.code === 'drift.changed' && /ingress/.test(String(d.message)))!;
  // The rule that differs, in words; squiggled on the group's header, not on the unrelated HTTPS rule.
  assert.match(String(diagnostic.message), /ingress differs from the configuration: \+ tcp 22 from 0\.0\.0\.0\/0 \(\+ live only/);
  assert.equal(diagnostic.range.start.line, 39, 'the resource "aws_security_group" "web" line');
  const hover = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 39, character: 2 } });
  const text = (hover?.contents as { value: string }).value;
  assert.match(text, /```diff\n\+ tcp 22 from 0\.0\.0\.0\/0\n {2}tcp 443 from 0\.0\.0\.0\/0 \("HTTPS"\)\n {2}tcp 80 from 0\.0\.0\.0\/0 \("HTTP"\)\n```/);
  const revert = (await actionsFor(uri, diagnostic)).find((a) => a.command?.command === 'tidemark.server.revertLive');
  assert.ok(revert?.command, 'revert offered');
  await session.connection.sendRequest(ExecuteCommandRequest.type, { command: revert.command.command, arguments: revert.command.arguments });
  assert.ok(session.prompts.some((p) => /Revert live aws_security_group\.web ingress/.test(p)), 'the user was asked first');
  const live = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [webGroup.id] }));
  const ports = (live.SecurityGroups?.[0].IpPermissions ?? []).map((p) => p.FromPort).sort();
  assert.deepEqual(ports, [443, 80].sort(), 'port 22 is gone from the live group');
  const cleared = await session.diagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'drift.changed' && /ingress/.test(String(d.message))));
  assert.ok(cleared);
});

test('Ignore adds the attribute to lifecycle.ignore_changes and the drift becomes a hint', async () => {
  const { uri, doc } = await openDoc('storage.tf');
  const published = await session.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'drift.changed' && /tags\.Team/.test(String(d.message))));
  const diagnostic = published.diagnostics.find((d) => d.code === 'drift.changed' && /tags\.Team/.test(String(d.message)))!;
  const ignore = (await actionsFor(uri, diagnostic)).find((a) => a.title.startsWith('Ignore'));
  assert.ok(ignore?.edit?.changes, 'ignore offered');
  const edited = TextDocument.applyEdits(doc, ignore.edit.changes[uri] as TextEdit[]);
  assert.match(edited, /ignore_changes = \[tags\["Team"\]\]/);
  await session.change(uri, 2, [{ text: edited }]);
  const after = await session.diagnostics(uri, (p) => p.version === 2);
  const hint = after.diagnostics.find((d) => d.code === 'drift.changed' && /tags\.Team/.test(String(d.message)));
  assert.equal(hint?.severity, 4, 'ignored drift stays visible as a hint');
  assert.match(String(hint?.message), /ignored by lifecycle/);
});

test('Import turns an unmanaged bucket into a resource block plus an import block', async () => {
  const { uri, doc } = await openDoc('storage.tf');
  const isScratch = (d: Diagnostic) => d.code === 'drift.unmanaged' && /tidemark-demo-scratch/.test(String(d.message));
  const published = await session.diagnostics(uri, (p) => p.diagnostics.some(isScratch));
  const diagnostic = published.diagnostics.find(isScratch)!;
  const importAction = (await actionsFor(uri, diagnostic)).find((a) => a.title.startsWith('Import'));
  assert.ok(importAction?.edit?.changes, 'import offered');
  const edited = TextDocument.applyEdits(doc, importAction.edit.changes[uri] as TextEdit[]);
  assert.ok(edited.startsWith(doc.getText()), 'existing text is kept; the blocks are appended');
  const added = edited.slice(doc.getText().length);
  assert.match(added, /import \{\n\s+to = aws_s3_bucket\.tidemark_demo_scratch\n\s+id = "tidemark-demo-scratch"\n\}/);
  assert.match(added, /resource "aws_s3_bucket" "tidemark_demo_scratch" \{\n\s+bucket = "tidemark-demo-scratch"\n\}/, 'the bucket is named; tags from default_tags are not repeated');
});

test('an ignore comment in a file that is not open turns its drift into a hint', async () => {
  const uri = fileUri(path.join(dir, 'iam.tf'));
  const isRoleDrift = (d: Diagnostic) => d.code === 'drift.changed' && /max_session_duration/.test(String(d.message));
  const published = await session.diagnostics(uri, (p) => p.diagnostics.some(isRoleDrift));
  const diagnostic = published.diagnostics.find(isRoleDrift)!;
  assert.equal(diagnostic.severity, 4, 'a hint, not a problem');
  assert.match(String(diagnostic.message), /raised for the batch job/);
});
