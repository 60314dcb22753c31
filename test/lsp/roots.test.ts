// Several root modules in one workspace, in the editor: the language server finds envs/prod and
// envs/staging (not the shared modules folder), checks each with its own state, reports the drift
// of both, and the Drift view's list says which root each drift belongs to.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { DriftListResult } from '../../server/src/protocol';
import { fileUri, LspSession } from '../support/lsp-client';
import { startSandboxLsp, stopSandboxLsp } from '../support/sandbox-lsp';
import { demoScenario, keyOf } from '../sandbox/helpers';
import { addStagingVpc, rootsWorkspace, VPC } from '../drift/roots-workspace';

let sandbox: SandboxHandle;
let session: LspSession;
let dir: string;
const scenario = demoScenario();
addStagingVpc(scenario);
const carol = keyOf(scenario, 'carol');

before(async () => {
  sandbox = await startSandbox(scenario);
  const ec2 = new EC2Client({ region: sandbox.region, endpoint: sandbox.endpoint, credentials: carol });
  await ec2.send(new CreateTagsCommand({ Resources: [VPC.prod], Tags: [{ Key: 'Env', Value: 'prod-by-hand' }] }));
  await ec2.send(new CreateTagsCommand({ Resources: [VPC.staging], Tags: [{ Key: 'Env', Value: 'staging-by-hand' }] }));
  dir = rootsWorkspace();
  session = await startSandboxLsp(sandbox, carol, dir);
});

after(() => stopSandboxLsp(session, sandbox, dir));

const envDrift = (diags: Diagnostic[]) => diags.find((d) => d.source === 'tidemark' && d.code === 'drift.changed' && /tags\.Env|Env/.test(String(d.message)));

test('drift is reported in both roots, each against its own state', async () => {
  for (const env of ['prod', 'staging']) {
    const file = path.join(dir, 'envs', env, 'main.tf');
    const uri = fileUri(file);
    await session.open(uri, readFileSync(file, 'utf8'), 1);
    const published = await session.diagnostics(uri, (p) => Boolean(envDrift(p.diagnostics)), 60_000).catch((error: Error) => {
      throw new Error(`${env}: ${error.message}\n${session.logs.join('\n')}`);
    });
    assert.match(String(envDrift(published.diagnostics)!.message), new RegExp(`aws_vpc\\.main: tags\\.Env is "${env}-by-hand" live but "${env}"`));
  }
  const list = (await session.connection.sendRequest('tidemark/drift')) as DriftListResult;
  assert.deepEqual(list.roots?.map((r) => r.slice(fileUri(dir).length)).sort(), ['/envs/prod', '/envs/staging'], 'modules/network is not a root');
  assert.deepEqual(list.drifts.map((d) => [d.rootUri?.slice(fileUri(dir).length), d.live]).sort(), [['/envs/prod', 'prod-by-hand'], ['/envs/staging', 'staging-by-hand']]);
});
