// Shared by the access CLI tests (access-cli*.test.ts, split so they run in parallel): a temp copy of
// examples/demo, the sandbox, and `tidemark broker` (embedded PGlite, the tidemark-broker user's
// keys); every command runs as a separate `node dist/cli.js` process with the AWS keys of the person
// running it, like a real shell would. Requests carry a ticket and stay within an hour, so the
// example policy allows them at any time of day.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { childEnv } from '../support/child-env';
import { reap } from '../support/child-reaper';
import { runProcess, type Result } from '../support/run-process';

export const ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(ROOT, 'dist/cli.js');
export const SCENARIO = path.join(ROOT, 'sandbox/scenarios/demo.yaml');
export const scenario = loadScenarioFile(SCENARIO);
export const INSTANCE = 'i-0a1b2c3d4e5f60c02';

export type Person = 'alice' | 'bob' | 'carol' | 'tidemark-broker' | 'drift-reader';

let broker: ChildProcess;
/** What the hooks set up for the file's tests. */
export const ctx = {
  sandbox: undefined as unknown as SandboxHandle,
  dir: '',
  home: '',
  /** Everything the broker process printed (its log must not hold secrets either). */
  brokerOutput: '',
};

export interface Grant { id: string; state: string; requesterName: string; role: string; endsAt?: string; endReason?: string; decisions: Array<{ byName: string; decision: string }> }
export type { Result };

/** The user's environment: only their own keys; nothing inherited that could point elsewhere. */
export function envFor(who: Person): NodeJS.ProcessEnv {
  const key = scenario.users?.find((u) => u.name === who)?.accessKeys?.[0];
  assert.ok(key, `scenario user ${who} has an access key`);
  return {
    ...childEnv(), HOME: ctx.home, SHELL: '/bin/bash',
    AWS_ENDPOINT_URL: ctx.sandbox.endpoint, AWS_REGION: scenario.region, AWS_ACCESS_KEY_ID: key.id, AWS_SECRET_ACCESS_KEY: key.secret,
    AWS_CONFIG_FILE: path.join(ctx.home, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(ctx.home, 'no-credentials'),
  };
}

/** Runs `tidemark …` as `who` (asynchronously: the sandbox answers from this process). */
export function tm(who: Person, args: string[], o: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Result> {
  return run(process.execPath, [CLI, ...args], { env: { ...envFor(who), ...o.env }, input: o.input, cwd: o.cwd });
}

export function run(command: string, args: string[], o: { env: NodeJS.ProcessEnv; input?: string; cwd?: string }): Promise<Result> {
  return runProcess(command, args, { ...o, cwd: o.cwd ?? ctx.dir });
}

export async function ok(who: Person, args: string[], o: { input?: string } = {}): Promise<Result> {
  const r = await tm(who, args, o);
  assert.equal(r.code, 0, `tidemark ${args.join(' ')} as ${who} failed: ${r.stderr}\nbroker output (last 2,000 characters):\n${ctx.brokerOutput.slice(-2_000)}`);
  return r;
}

export async function json<T>(who: Person, args: string[]): Promise<T> {
  return JSON.parse((await ok(who, [...args, '--json'])).stdout) as T;
}

/** A clear one-line error: `tidemark <command>: …` matching `pattern`, non-zero exit, no stack trace. */
export async function fails(who: Person, args: string[], pattern: RegExp): Promise<Result> {
  const r = await tm(who, args);
  assert.notEqual(r.code, 0, `tidemark ${args.join(' ')} should fail`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0], new RegExp(`^tidemark ${args[0]}: `));
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+|internal error/);
  return r;
}

export async function request(who: Person, minutes: number, reason: string): Promise<Grant> {
  return json<Grant>(who, ['request', 'prod-operator', '--duration', `${minutes}m`, '--reason', reason, '--ticket', 'INC-4711']);
}

export async function activeGrant(who: Person, minutes: number, reason: string): Promise<Grant> {
  const g = await request(who, minutes, reason);
  const approved = await json<Grant>('bob', ['approve', g.id]);
  assert.equal(approved.state, 'active');
  return approved;
}

/** The grant's credentials as the grant's shell sees them (to prove they stop working). */
export async function grantCredentials(who: Person, id: string): Promise<NodeJS.ProcessEnv> {
  const r = await ok(who, ['exec', id, '--', 'printenv', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
  const [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN] = r.stdout.trim().split('\n');
  assert.match(AWS_ACCESS_KEY_ID, /^ASIA/);
  return { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN };
}

export function aws(env: NodeJS.ProcessEnv, args: string[]): Promise<Result> {
  return run('aws', [...args, '--endpoint-url', ctx.sandbox.endpoint, '--region', scenario.region], { env: { ...envFor('alice'), ...env } });
}

/** Starts the sandbox and the broker before the file's tests and stops both after them. */
export function useAccessCli(): void {
before(async () => {
  ctx.sandbox = await startSandbox(SCENARIO);
  ctx.dir = mkdtempSync(path.join(tmpdir(), 'tidemark-access-cli-'));
  ctx.home = path.join(ctx.dir, '.home');
  cpSync(path.join(ROOT, 'examples/demo'), ctx.dir, { recursive: true });
  mkdirSync(ctx.home);
  broker = reap(spawn(process.execPath, [CLI, 'broker'], { cwd: ctx.dir, env: envFor('tidemark-broker'), stdio: ['ignore', 'pipe', 'pipe'] }));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start within 120 s: ${ctx.brokerOutput}`)), 120_000);
    broker.stdout!.on('data', (d) => {
      ctx.brokerOutput += d;
      if (ctx.brokerOutput.includes('listening on')) { clearTimeout(timer); resolve(); }
    });
    broker.stderr!.on('data', (d) => (ctx.brokerOutput += d));
    broker.once('exit', (code) => { clearTimeout(timer); reject(new Error(`broker exited ${code}: ${ctx.brokerOutput}`)); });
  });
});

after(async () => {
  if (broker && broker.exitCode === null) {
    const exited = new Promise((r) => broker.once('exit', r));
    broker.kill('SIGTERM');
    await exited;
  }
  await ctx.sandbox?.stop();
  if (ctx.dir) rmSync(ctx.dir, { recursive: true, force: true });
});
}
