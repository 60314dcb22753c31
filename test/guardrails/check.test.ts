// `tidemark check` applies the guardrails to the declared code: a pull request opening SSH to the
// world fails (exit 2, whatever --fail-on says) with a SARIF result at the offending block, and a
// broken rule file is an error naming file:line:column.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { run } from '../../server/src/cli/check';
import type { CliIO } from '../../server/src/cli/io';
import { repoRoot } from '../support/lsp-client';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const reader = loadScenarioFile(SCENARIO).users!.find((u) => u.name === 'drift-reader')!.accessKeys![0]!;
// The SDK's credential chain reads process.env.
process.env.AWS_ACCESS_KEY_ID = reader.id;
process.env.AWS_SECRET_ACCESS_KEY = reader.secret;
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

let sandbox: SandboxHandle;
let dir: string;

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-guardrails-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function check(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region }, out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n'), isTTY: false };
  try {
    return { code: await run(args, io), out, err };
  } catch (error) {
    return { code: (error as { exitCode?: number }).exitCode ?? 99, out, err: err + (error as Error).message };
  }
}

test('the demo as it is keeps its guardrails: exit 0', async () => {
  const r = await check(['.']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.doesNotMatch(r.out, /guardrail/);
});

test('a change opening SSH to the world fails with a SARIF result at the ingress block', async () => {
  const file = path.join(dir, 'network.tf');
  const original = readFileSync(file, 'utf8');
  const anchor = original.indexOf('  ingress {');
  const added = '  ingress {\n    description = "debug"\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n\n';
  writeFileSync(file, original.slice(0, anchor) + added + original.slice(anchor));
  const line = original.slice(0, anchor).split('\n').length;
  try {
    // --fail-on never: the drift this also causes cannot be what fails the run.
    const sarif = await check(['.', '--sarif', '--fail-on', 'never']);
    assert.equal(sarif.code, 2, sarif.err);
    const log = JSON.parse(sarif.out) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }> }> }> };
    const results = log.runs[0]!.results.filter((r) => r.ruleId.startsWith('tidemark/guardrail/'));
    assert.equal(results.length, 1);
    const [r] = results;
    assert.equal(r!.ruleId, 'tidemark/guardrail/no-world-ssh');
    assert.equal(log.runs[0]!.tool.driver.rules[r!.ruleIndex]!.id, r!.ruleId);
    assert.equal(r!.level, 'error');
    assert.deepEqual(r!.locations[0]!.physicalLocation.artifactLocation.uri, 'network.tf');
    assert.deepEqual(r!.locations[0]!.physicalLocation.region.startLine, line);
    assert.deepEqual(r!.locations[0]!.physicalLocation.region.startColumn, 3);
    assert.match(r!.message.text, /no-world-ssh.*ingress tcp 22 from 0\.0\.0\.0\/0/);

    const text = await check(['.', '--fail-on', 'never']);
    assert.equal(text.code, 2);
    assert.match(text.out, new RegExp(`^network\\.tf:${line}:3: guardrail no-world-ssh: `, 'm'));

    const json = await check(['.', '--json', '--fail-on', 'never']);
    assert.equal(json.code, 2);
    const report = JSON.parse(json.out) as { guardrails: Array<{ rule: string; file: string; line: number }> };
    assert.deepEqual(report.guardrails.map((g) => [g.rule, g.file, g.line]), [['no-world-ssh', 'network.tf', line]]);
  } finally {
    writeFileSync(file, original);
  }
});

test('a broken guardrail file is an error (exit 1) naming file:line:column', async () => {
  const file = path.join(dir, '.tidemark', 'guardrails.cedar');
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, `${original}\nforbid (principal, action, resource)\nwhen { context.port == 22 };\n`);
  const line = original.split('\n').length + 2;
  try {
    const r = await check(['.']);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`^\\.tidemark/guardrails\\.cedar:${line}:8: .*attribute \`port\``, 'm'));
  } finally {
    writeFileSync(file, original);
  }
});
