// Override files and TF_VAR_ in the editor: the bundled language server over stdio against the
// sandbox, with the demo plus an endpoints-only provider override, an argument override, an
// override of a block that does not exist, and a list variable from TF_VAR_.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { fileUri, LspSession, repoRoot, startLspSession } from '../support/lsp-client';
import { keyOf } from '../sandbox/helpers';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
let sandbox: SandboxHandle;
let session: LspSession;
let dir: string;

const OVERRIDE = [
  'provider "aws" {',
  '  endpoints {',
  '    ec2 = "http://127.0.0.1:1"',
  '  }',
  '}',
  '',
  'resource "aws_security_group" "web" {',
  '  description = "Web tier (test)"',
  '}',
  '',
  'resource "aws_instance" "nope" {',
  '  ami = "x"',
  '}',
  '',
].join('\n');

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-tfsem-lsp-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  writeFileSync(path.join(dir, 'sandbox_override.tf'), OVERRIDE);
  writeFileSync(path.join(dir, 'cidrs.tf'), 'variable "web_cidrs" {\n  type = list(string)\n}\n');
  const network = path.join(dir, 'network.tf');
  const text = readFileSync(network, 'utf8');
  const changed = text.replace('protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]', 'protocol    = "tcp"\n    cidr_blocks = var.web_cidrs');
  assert.notEqual(changed, text);
  writeFileSync(network, changed);
  const carol = keyOf(loadScenarioFile(SCENARIO), 'carol');
  session = await startLspSession({
    rootDir: dir,
    env: {
      AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region, AWS_ACCESS_KEY_ID: carol.accessKeyId, AWS_SECRET_ACCESS_KEY: carol.secretAccessKey,
      AWS_PROFILE: '', AWS_SESSION_TOKEN: '', TF_VAR_web_cidrs: '["0.0.0.0/0"]',
    },
    initializationOptions: { refreshInterval: 0 },
  });
});

after(async () => {
  await session?.shutdown().catch(() => undefined);
  session?.process.kill();
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('merged overrides: drift on the override, an error on the override without a base, no false tag or list drift', async () => {
  const overrideUri = fileUri(path.join(dir, 'sandbox_override.tf'));
  await session.open(overrideUri, OVERRIDE, 1);
  // Drift on the overridden description proves a full analysis ran and every file was published.
  const published = await session.diagnostics(overrideUri, (p) => p.diagnostics.some((d) => d.code === 'drift.changed'), 60_000);
  const drift = published.diagnostics.filter((d) => d.code === 'drift.changed');
  assert.equal(drift.length, 1, JSON.stringify(drift));
  assert.equal(drift[0].range.start.line, 7);
  assert.match(String(drift[0].message), /description/);
  const missing = published.diagnostics.find((d) => /there is no aws_instance resource named "nope"/.test(String(d.message)));
  assert.ok(missing, JSON.stringify(published.diagnostics));
  assert.equal(missing.range.start.line, 10);
  assert.equal(missing.severity, 1);

  for (const name of ['network.tf', 'compute.tf', 'storage.tf', 'iam.tf']) {
    const params = session.latestDiagnostics(fileUri(path.join(dir, name)));
    assert.ok(params, `${name} was published`);
    assert.deepEqual(params.diagnostics.filter((d) => String(d.code).startsWith('drift.')).map((d) => `${name}:${d.range.start.line + 1} ${d.message}`), []);
  }
});
