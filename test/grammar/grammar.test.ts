// TextMate grammar tests for syntaxes/terraform.tmLanguage.json (scope source.tidemark.hcl).
//
// Runs the two command-line tools of vscode-tmgrammar-test from the repository root:
//   - vscode-tmgrammar-snap over the fixtures test/grammar/*.tf (except *.test.tf), compared with
//     their *.tf.snap snapshots;
//   - vscode-tmgrammar-test over the scope assertion files test/grammar/*.test.tf.
// Both read test/grammar/tmgrammar.config.json, so they test the grammar file itself and do not
// depend on the extension manifest. After an intended grammar change, review and refresh the
// snapshots from the repository root with:
//   node_modules/.bin/vscode-tmgrammar-snap --config test/grammar/tmgrammar.config.json -u \
//     $(ls test/grammar/*.tf | grep -v '\.test\.tf$')
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv } from '../support/child-env';

// Compiled to out/test/grammar/grammar.test.js, three levels below the repository root.
const root = path.resolve(__dirname, '../../..');
const grammarDir = path.join(root, 'test/grammar');
const grammarFile = path.join(root, 'syntaxes/terraform.tmLanguage.json');
const config = path.join(grammarDir, 'tmgrammar.config.json');
const scopeName = 'source.tidemark.hcl';

const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
const snapshotFixtures = readdirSync(grammarDir)
  .filter((name) => name.endsWith('.tf') && !name.endsWith('.test.tf'))
  .sort()
  .map((name) => path.join(grammarDir, name));
const assertionFiles = readdirSync(grammarDir)
  .filter((name) => name.endsWith('.test.tf'))
  .sort()
  .map((name) => path.join(grammarDir, name));

/** Path of one of the package's command-line scripts, taken from its package.json "bin". */
function toolScript(bin: 'vscode-tmgrammar-snap' | 'vscode-tmgrammar-test'): string {
  const pkgDir = path.join(root, 'node_modules/vscode-tmgrammar-test');
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return path.join(pkgDir, pkg.bin[bin]);
}

/** Runs a tool with node from the repository root; returns its exit status and combined output. */
function runTool(bin: 'vscode-tmgrammar-snap' | 'vscode-tmgrammar-test', args: string[]) {
  const result = spawnSync(process.execPath, [toolScript(bin), '--config', rel(config), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: childEnv({ FORCE_COLOR: '0', NO_COLOR: '1' }),
    timeout: 120_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `\n${result.error}` : ''}`;
  return { status: result.status, output };
}

function assertPassed(run: { status: number | null; output: string }, what: string) {
  assert.equal(run.status, 0, `${what} failed (exit status ${run.status}):\n${run.output}`);
}

test('the grammar file is valid JSON with the Tidemark scope name', () => {
  const grammar = JSON.parse(readFileSync(grammarFile, 'utf8')) as { scopeName: string; patterns: unknown[] };
  assert.equal(grammar.scopeName, scopeName);
  assert.ok(grammar.patterns.length > 0);
  const configured = JSON.parse(readFileSync(config, 'utf8')) as {
    contributes: { grammars: { scopeName: string; path: string }[] };
  };
  for (const g of configured.contributes.grammars) {
    assert.equal(g.scopeName, scopeName);
    assert.equal(path.resolve(grammarDir, g.path), grammarFile);
  }
});

test('the extension manifest registers the grammar under its own scope name', () => {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes?: { grammars?: { scopeName: string; path: string }[] };
  };
  const entries = (manifest.contributes?.grammars ?? []).filter(
    (g) => path.resolve(root, g.path) === grammarFile,
  );
  assert.ok(entries.length > 0, 'package.json contributes no grammar with path ./syntaxes/terraform.tmLanguage.json');
  for (const g of entries) assert.equal(g.scopeName, scopeName);
});

test('snapshot fixtures match their .snap files', () => {
  assert.ok(snapshotFixtures.length > 0, 'no snapshot fixtures found');
  // The snapshot tool silently writes a missing snapshot and passes, so insist that each exists.
  const missing = snapshotFixtures.filter((file) => !existsSync(`${file}.snap`)).map(rel);
  assert.deepEqual(missing, [], `fixtures without a committed snapshot: ${missing.join(', ')}`);
  assertPassed(runTool('vscode-tmgrammar-snap', snapshotFixtures.map(rel)), 'vscode-tmgrammar-snap');
});

test('scope assertions in *.test.tf hold', () => {
  assert.ok(assertionFiles.length > 0, 'no assertion files found');
  for (const file of assertionFiles) {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    assert.match(lines[0], new RegExp(`^# SYNTAX TEST "${scopeName.replace(/\./g, '\\.')}"`), `${rel(file)}: header`);
    assert.ok(lines.some((l) => /^#\s*(\^|<~*-)/.test(l)), `${rel(file)} contains no assertions`);
  }
  assertPassed(runTool('vscode-tmgrammar-test', assertionFiles.map(rel)), 'vscode-tmgrammar-test');
});

// Negative controls: the tools must report a wrong expectation, or the tests above prove nothing.
test('a wrong scope assertion and a stale snapshot are reported as failures', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidemark-grammar-'));
  try {
    const wrongAssertion = path.join(dir, 'wrong.test.tf');
    writeFileSync(
      wrongAssertion,
      ['# SYNTAX TEST "source.tidemark.hcl" "deliberately wrong"', 'a = 1', '#   ^ string.quoted.double.hcl', ''].join('\n'),
    );
    const unit = runTool('vscode-tmgrammar-test', [wrongAssertion]);
    assert.notEqual(unit.status, 0, `a wrong assertion passed:\n${unit.output}`);
    assert.match(unit.output, /string\.quoted\.double\.hcl/);

    const fixture = path.join(dir, 'stale.tf');
    copyFileSync(path.join(grammarDir, 'comments.tf'), fixture);
    const snap = readFileSync(path.join(grammarDir, 'comments.tf.snap'), 'utf8');
    const stale = snap.replace('comment.line.double-slash.hcl', 'comment.line.number-sign.hcl');
    assert.notEqual(stale, snap);
    writeFileSync(`${fixture}.snap`, stale);
    const snapRun = runTool('vscode-tmgrammar-snap', [fixture]);
    assert.notEqual(snapRun.status, 0, `a stale snapshot passed:\n${snapRun.output}`);
    assert.equal(readFileSync(`${fixture}.snap`, 'utf8'), stale, 'the snapshot tool rewrote the snapshot');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
