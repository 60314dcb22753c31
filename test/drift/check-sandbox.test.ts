// `tidemark check` on a copy of examples/demo against the sandbox cloud (real SDK over HTTP): an
// override file and TF_VAR_ values change nothing Terraform would not change.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { runCheck } from '../support/check-cli';
import { repoRoot } from '../support/lsp-client';
import { demoScenario, keyOf } from '../sandbox/helpers';

let sandbox: SandboxHandle;
const dirs: string[] = [];

before(async () => {
  sandbox = await startSandbox(path.join(repoRoot, 'sandbox/scenarios/demo.yaml'));
});

after(async () => {
  await sandbox?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh copy of the demo with some files added or changed. */
function demo(files: Record<string, string | ((old: string) => string)> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-tfsem-'));
  dirs.push(dir);
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : content(readFileSync(file, 'utf8')));
  }
  return dir;
}

interface Report {
  drifts: Array<{ address: string; attributePath: string[]; file: string }>;
  errors: string[];
}

async function check(dir: string, env: Record<string, string> = {}, args: string[] = []): Promise<{ code: number; report: Report; err: string }> {
  const carol = keyOf(demoScenario(), 'carol');
  const { code, out, err } = await runCheck(sandbox, carol, dir, ['--json', '--no-attribution', ...args, dir], env);
  return { code, report: JSON.parse(out) as Report, err };
}

const keys = (r: Report) => r.drifts.map((d) => `${d.address} ${d.attributePath.join('.')}`);

// Both sides of providers.tf in file order: the merge, not the order of files, must decide.
for (const name of ['override.tf', 'sandbox_override.tf']) {
  test(`${name} setting only endpoints in provider "aws" keeps default_tags: 0 drift`, async () => {
    const dir = demo({ [name]: `provider "aws" {\n  endpoints {\n    ec2 = "${sandbox.endpoint}"\n    s3  = "${sandbox.endpoint}"\n  }\n}\n` });
    const { code, report, err } = await check(dir);
    assert.deepEqual(keys(report), []);
    assert.deepEqual(report.errors, [], err);
    assert.equal(code, 0);
  });
}

test('an override that changes an argument is drift, reported in the override file', async () => {
  const dir = demo({ 'tags_override.tf': 'resource "aws_security_group" "web" {\n  description = "Web tier (changed)"\n}\n' });
  const { report } = await check(dir);
  assert.deepEqual(report.drifts.map((d) => `${d.file} ${d.address} ${d.attributePath.join('.')}`), ['tags_override.tf aws_security_group.web description']);
});

test('an override of a block that does not exist fails the check, naming the file and line', async () => {
  const dir = demo({ 'override.tf': '\nresource "aws_instance" "nope" {\n  ami = "x"\n}\n' });
  const { code, report } = await check(dir);
  assert.equal(code, 1);
  assert.ok(report.errors.some((e) => /^override\.tf:2: there is no aws_instance resource named "nope"/.test(e)), report.errors.join('\n'));
});

const listVariable = {
  'cidrs.tf': 'variable "web_cidrs" {\n  type = list(string)\n}\n',
  'network.tf': (old: string) => old.replace('description = "HTTPS"\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]', 'description = "HTTPS"\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = var.web_cidrs'),
};

test('a list variable from TF_VAR_ is parsed as a list: 0 drift', async () => {
  const dir = demo(listVariable);
  assert.match(readFileSync(path.join(dir, 'network.tf'), 'utf8'), /cidr_blocks = var\.web_cidrs/);
  const { code, report, err } = await check(dir, { TF_VAR_web_cidrs: '["0.0.0.0/0"]' });
  assert.deepEqual(keys(report), []);
  assert.deepEqual(report.errors, [], err);
  assert.equal(code, 0);
});

test('-var wins over TF_VAR_, and an unparsable TF_VAR_ is an error, never a guess', async () => {
  const dir = demo(listVariable);
  const overridden = await check(dir, { TF_VAR_web_cidrs: '["10.0.0.0/8"]' }, ['-var', 'web_cidrs=["0.0.0.0/0"]']);
  assert.deepEqual(keys(overridden.report), []);
  assert.equal(overridden.code, 0);

  const bad = await check(dir, { TF_VAR_web_cidrs: '["0.0.0.0/0"' });
  assert.equal(bad.code, 1);
  assert.ok(bad.report.errors.some((e) => /TF_VAR_web_cidrs is not a valid value for var\.web_cidrs of type list\(string\)/.test(e)), bad.report.errors.join('\n'));
  assert.deepEqual(keys(bad.report), [], 'state and live agree, so the unknown value reports nothing');
});
