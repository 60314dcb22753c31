// Workspace folders that come and go: the root modules of a folder added after start are found and
// checked like those found at start, and a removed folder's roots are dropped from the Drift view.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { DriftListResult } from '../../server/src/protocol';
import { fileUri, LspSession } from '../support/lsp-client';
import { startSandboxLsp, stopSandboxLsp } from '../support/sandbox-lsp';
import { waitFor } from '../support/wait';
import { demoScenario, keyOf } from '../sandbox/helpers';
import { addStagingVpc, rootsWorkspace, VPC } from '../drift/roots-workspace';

let sandbox: SandboxHandle;
let session: LspSession;
let dir: string;
const scenario = demoScenario();
addStagingVpc(scenario);
const carol = keyOf(scenario, 'carol');
const folder = (env: string) => ({ uri: fileUri(path.join(dir, 'envs', env)), name: env });

before(async () => {
  sandbox = await startSandbox(scenario);
  const ec2 = new EC2Client({ region: sandbox.region, endpoint: sandbox.endpoint, credentials: carol });
  await ec2.send(new CreateTagsCommand({ Resources: [VPC.staging], Tags: [{ Key: 'Env', Value: 'staging-by-hand' }] }));
  dir = rootsWorkspace();
  // The editor opens envs/prod only; envs/staging is added as a second folder later.
  session = await startSandboxLsp(sandbox, carol, path.join(dir, 'envs', 'prod'));
});

after(() => stopSandboxLsp(session, sandbox, dir));

const envDrift = (diags: Diagnostic[]) => diags.find((d) => d.source === 'tidemark' && d.code === 'drift.changed' && /tags\.Env/.test(String(d.message)));
const roots = async () => ((await session.connection.sendRequest('tidemark/drift')) as DriftListResult).roots?.map((r) => path.basename(r)).sort();

test('a folder added after start has its root checked; a removed folder\'s root is dropped', async () => {
  await waitFor('envs/prod to be found as a root', async () => (await roots())?.join() === 'prod', { timeoutMs: 60_000 });
  await session.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder('staging')], removed: [] } });
  const file = path.join(dir, 'envs', 'staging', 'main.tf');
  const uri = fileUri(file);
  await session.open(uri, readFileSync(file, 'utf8'), 1);
  const published = await session.diagnostics(uri, (p) => Boolean(envDrift(p.diagnostics)), 60_000).catch((error: Error) => {
    throw new Error(`the added folder's root was not checked: ${error.message}\n${session.logs.join('\n')}`);
  });
  assert.match(String(envDrift(published.diagnostics)!.message), /tags\.Env is "staging-by-hand" live but "staging"/);
  assert.deepEqual(await roots(), ['prod', 'staging']);

  await session.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder('prod')] } });
  await waitFor('envs/prod to be dropped', async () => (await roots())?.join() === 'staging', { timeoutMs: 60_000 });
});
