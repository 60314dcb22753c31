// `tidemark sandbox` as a process: prints its endpoint line, serves, stops on SIGTERM; bad input is
// a clear message and exit code 2, never a stack trace.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { runSandboxCli } from '../../sandbox/src/main';
import { loadScenarioFile } from '../../sandbox/src/index';
import { DEMO_SCENARIO, ROOT } from './helpers';
import { childEnv } from '../support/child-env';

const MAIN = path.join(ROOT, 'out/sandbox/src/bin.js');

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  return { stream: new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }), text: () => text };
}

describe('tidemark sandbox command', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-main-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts, prints one listening line with the endpoint, answers, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [MAIN, '--scenario', DEMO_SCENARIO, '--port', '0'], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^Tidemark sandbox listening on (http:\/\/127\.0\.0\.1:\d+) \(account 123456789012, region us-east-1\)$/m.exec(out);
        if (m && out.includes('Press Ctrl+C')) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      assert.match(out, /AWS_ACCESS_KEY_ID=AKIAREADER/, 'says how to use the read-only user');
      const health = await fetch(`${endpoint}/_sandbox/health`);
      assert.equal(((await health.json()) as { account: string }).account, '123456789012');
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });

  it('exits 2 with the file and line of a scenario mistake', async () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'account: "123456789012"\nregion: us-east-1\nvpcs:\n  - id: vpc-xyz\n    cidrBlock: 10.0.0.0/16\n');
    const err = collector();
    const code = await runSandboxCli(['--scenario', file], collector().stream, err.stream);
    assert.equal(code, 2);
    assert.match(err.text(), /bad\.yaml:4: vpcs\[0\]\.id: 'vpc-xyz' is not valid/);
    assert.doesNotMatch(err.text(), /\n\s+at /, 'no stack trace');
  });

  it('exits 2 on bad arguments and prints usage for --help', async () => {
    const err = collector();
    assert.equal(await runSandboxCli(['--port', 'eighty', '--scenario', DEMO_SCENARIO], collector().stream, err.stream), 2);
    assert.match(err.text(), /--port: 'eighty' is not a port number/);
    const missing = collector();
    assert.equal(await runSandboxCli([], collector().stream, missing.stream), 2);
    assert.match(missing.text(), /--scenario FILE is required/);
    const fault = collector();
    assert.equal(await runSandboxCli(['--scenario', DEMO_SCENARIO, '--fault', 'ec2.throttleRate=5'], collector().stream, fault.stream), 2);
    assert.match(fault.text(), /throttleRate is a probability/);
    const help = collector();
    assert.equal(await runSandboxCli(['--help'], help.stream, collector().stream), 0);
    assert.match(help.text(), /Usage: tidemark sandbox --scenario FILE/);
  });

  it('--keys prints a user\'s keys from the scenario as env assignments, or names the users it has', async () => {
    const scenario = loadScenarioFile(DEMO_SCENARIO);
    const alice = scenario.users!.find((u) => u.name === 'alice')!.accessKeys![0]!;
    const out = collector();
    assert.equal(await runSandboxCli(['--scenario', DEMO_SCENARIO, '--keys', 'alice'], out.stream, collector().stream), 0);
    assert.equal(out.text(), `AWS_ACCESS_KEY_ID=${alice.id} AWS_SECRET_ACCESS_KEY=${alice.secret}\n`);
    const err = collector();
    assert.equal(await runSandboxCli(['--scenario', DEMO_SCENARIO, '--keys', 'mallory'], collector().stream, err.stream), 2);
    assert.match(err.text(), /no user 'mallory' with an access key \(users with keys: alice, bob, carol, tidemark-broker, drift-reader\)/);
  });
});
