// A child module's file used by two roots (envs/prod and envs/staging both call ./modules/network,
// which declares aws_vpc.this): saving the module's file re-reads its resources in every root under
// their instance addresses, a drift there says which root it belongs to, and reverting it writes to
// that root's resource, never to the other root's resource of the same address.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CreateTagsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { Commands } from '../../server/src/protocol';
import { fileUri, LspSession } from '../support/lsp-client';
import { startSandboxLsp, stopSandboxLsp } from '../support/sandbox-lsp';
import { demoScenario, keyOf } from '../sandbox/helpers';
import { addModuleVpcs, addStagingVpc, MODULE_VPC, rootsWorkspace } from '../drift/roots-workspace';

let sandbox: SandboxHandle;
let session: LspSession;
let dir: string;
let ec2: EC2Client;
const scenario = demoScenario();
addStagingVpc(scenario);
addModuleVpcs(scenario);
const carol = keyOf(scenario, 'carol');

before(async () => {
  sandbox = await startSandbox(scenario);
  ec2 = new EC2Client({ region: sandbox.region, endpoint: sandbox.endpoint, credentials: carol });
  dir = rootsWorkspace({ moduleVpc: true });
  // Reverting asks the user first: press "Revert".
  session = await startSandboxLsp(sandbox, carol, dir, { answer: (_message, actions) => actions.find((a) => a === 'Revert') });
});

after(() => stopSandboxLsp(session, sandbox, dir));

const nameTag = async (id: string) => (await ec2.send(new DescribeVpcsCommand({ VpcIds: [id] }))).Vpcs?.[0]?.Tags?.find((t) => t.Key === 'Name')?.Value;
const nameDrift = (diags: Diagnostic[]) => diags.find((d) => d.source === 'tidemark' && d.code === 'drift.changed' && /aws_vpc\.this: tags\.Name/.test(String(d.message)));

test('saving a shared module file re-reads it in each root; the drift names its root and revert writes to that root only', async () => {
  // Both roots read once with no drift in the module.
  for (const env of ['prod', 'staging']) {
    const file = path.join(dir, 'envs', env, 'main.tf');
    await session.open(fileUri(file), readFileSync(file, 'utf8'), 1);
  }
  const moduleFile = path.join(dir, 'modules', 'network', 'main.tf');
  const uri = fileUri(moduleFile);
  await session.open(uri, readFileSync(moduleFile, 'utf8'), 1);
  await session.diagnostics(uri, (p) => p.diagnostics.length === 0, 60_000);

  // Someone renames staging's network VPC by hand; nothing has re-read it yet.
  await ec2.send(new CreateTagsCommand({ Resources: [MODULE_VPC.staging], Tags: [{ Key: 'Name', Value: 'renamed-by-hand' }] }));
  await session.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  const published = await session.diagnostics(uri, (p) => Boolean(nameDrift(p.diagnostics)), 60_000).catch((error: Error) => {
    throw new Error(`the save did not re-read module.network.aws_vpc.this: ${error.message}\n${session.logs.join('\n')}`);
  });
  const drifts = published.diagnostics.filter((d) => nameDrift([d]));
  assert.equal(drifts.length, 1, 'only staging drifted');
  assert.match(String(drifts[0]!.message), /"renamed-by-hand" live but "net-staging"/);
  assert.match(String(drifts[0]!.message), /in root module envs\/staging/);

  await session.connection.sendRequest('workspace/executeCommand', { command: Commands.revertLive, arguments: [drifts[0]!.data] });
  assert.equal(await nameTag(MODULE_VPC.staging), 'net-staging', 'staging\'s VPC reverted');
  assert.equal(await nameTag(MODULE_VPC.prod), 'net-prod', 'prod\'s VPC of the same address untouched');
});
