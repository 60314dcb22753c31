// The access CLI at its edges, each command a real `node dist/cli.js` process against the sandbox:
// a stale broker lock whose PID now belongs to an unrelated live process, a reader that goes away
// (`tidemark log | head`), --workspace on a folder without .tidemark, and an alias-bomb config.yaml.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SCENARIO = path.join(ROOT, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);

let sandbox: SandboxHandle;
let base: string;
let home: string;

interface Result { code: number | null; stdout: string; stderr: string }

function envFor(who: string): NodeJS.ProcessEnv {
  const key = scenario.users?.find((u) => u.name === who)?.accessKeys?.[0];
  assert.ok(key, `scenario user ${who} has an access key`);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(AWS_|TIDEMARK_)/.test(k)) env[k] = v;
  return {
    ...env, HOME: home,
    AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region, AWS_ACCESS_KEY_ID: key.id, AWS_SECRET_ACCESS_KEY: key.secret,
    AWS_CONFIG_FILE: path.join(home, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
  };
}

/** Runs `tidemark …` as alice in `cwd`; `closeStdout` makes the reader go away before anything is written. */
function tm(cwd: string, args: string[], o: { closeStdout?: boolean } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: envFor('alice'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    if (o.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh copy of the demo workspace. */
function workspace(name: string): string {
  const dir = path.join(base, name);
  cpSync(path.join(ROOT, 'examples/demo'), dir, { recursive: true });
  return dir;
}

/** A loopback port nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One clear line on stderr: `tidemark <command>: …`, no stack trace, no internal error. */
function oneCleanLine(r: Result, command: string): string {
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0], new RegExp(`^tidemark ${command}: `));
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+|internal error|ENOENT/);
  return lines[0];
}

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  base = mkdtempSync(path.join(tmpdir(), 'tidemark-cli-edges-'));
  home = path.join(base, 'home');
  mkdirSync(home);
});

after(async () => {
  await sandbox?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
});

test('a lock naming a live unrelated process (a reused PID) whose broker does not answer is taken over', async () => {
  const dir = workspace('reused-pid');
  const lock = path.join(dir, '.tidemark/broker.lock');
  // This test process is alive and is no broker: what a container restart leaves behind.
  writeFileSync(lock, JSON.stringify({ pid: process.pid, url: `http://127.0.0.1:${await closedPort()}`, token: 'stale' }));
  const r = await tm(dir, ['grants', '--json']);
  assert.equal(r.code, 0, `grants should work, got: ${r.stderr}`);
  assert.ok(Array.isArray(JSON.parse(r.stdout)));
  assert.equal(existsSync(lock), false, 'the command released the lock it took over');
});

test('a starting-broker lock whose PID was reused (another start time) is taken over without waiting it out', async () => {
  const dir = workspace('reused-pid-starting');
  const lock = path.join(dir, '.tidemark/broker.lock');
  if (!existsSync(`/proc/${process.pid}/stat`)) return; // start times come from /proc (Linux)
  writeFileSync(lock, JSON.stringify({ pid: process.pid, url: '', token: 'stale', pidStart: '1' }));
  const r = await tm(dir, ['grants', '--json']);
  assert.equal(r.code, 0, `grants should work, got: ${r.stderr}`);
  assert.ok(Array.isArray(JSON.parse(r.stdout)));
});

test('a broker that cannot be confirmed is reported with the lock file\'s name', async () => {
  const dir = workspace('silent-broker');
  const lock = path.join(dir, '.tidemark/broker.lock');
  // Accepts connections, never answers: a busy owner is not taken over, and the user learns which file.
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = silent.address() as { port: number };
    writeFileSync(lock, JSON.stringify({ pid: process.pid, url: `http://127.0.0.1:${port}`, token: 'x' }));
    const r = await tm(dir, ['grants']);
    assert.notEqual(r.code, 0);
    assert.ok(oneCleanLine(r, 'grants').includes(lock), `names ${lock}: ${r.stderr}`);
  } finally {
    silent.close();
  }
});

test('`tidemark log | head`: a reader that goes away ends the output quietly, not with an EPIPE stack trace', async () => {
  const dir = workspace('epipe');
  const request = await tm(dir, ['request', 'prod-operator', '--duration', '10m', '--reason', 'pipe test', '--ticket', 'OPS-1', '--json']);
  assert.equal(request.code, 0, request.stderr);
  const { id } = JSON.parse(request.stdout) as { id: string };
  const r = await tm(dir, ['log', id, '--no-changes'], { closeStdout: true });
  assert.doesNotMatch(r.stderr, /EPIPE|\bat .*\.js:\d+/, r.stderr);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(path.join(dir, '.tidemark/broker.lock')), false, 'the embedded broker was closed');
});

test('--workspace on a folder without .tidemark says so, naming the folder', async () => {
  const empty = path.join(base, 'no-tidemark');
  mkdirSync(empty);
  const r = await tm(base, ['grants', '--workspace', empty]);
  assert.notEqual(r.code, 0);
  const line = oneCleanLine(r, 'grants');
  assert.ok(line.includes(empty), line);
  assert.match(line, /\.tidemark\/policy\.cedar/);
});

test('an alias-bomb ("billion laughs") config.yaml is refused naming the file, by the access and drift commands alike', async () => {
  const dir = workspace('laughs');
  const config = path.join(dir, '.tidemark/config.yaml');
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(97 + i - 1);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  writeFileSync(config, `${readFileSync(config, 'utf8')}\n${levels.join('\n')}\nlaughs: *i\n`);
  for (const args of [['grants'], ['check', '.']]) {
    const r = await tm(dir, args);
    assert.notEqual(r.code, 0, `${args[0]} must refuse the file`);
    assert.match(oneCleanLine(r, args[0]), /config\.yaml/);
  }
});
