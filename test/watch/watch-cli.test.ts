// `tidemark watch` end to end in-process: JSON lines on stdout and a signed generic-JSON webhook;
// a change made with carol's keys before the run is announced by the first (full) reading and
// attributed to her, with no grant, by the next poll. Also: bad options are one-line errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import type { Alert } from '../../server/src/alerts/alert';
import type { CliIO } from '../../server/src/cli/io';
import { run } from '../../server/src/cli/watch';
import { repoRoot } from '../support/lsp-client';
import { childEnv } from '../support/child-env';
import { within } from '../support/wait';

const SCENARIO = path.join(repoRoot, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const keys = (name: string) => scenario.users!.find((u) => u.name === name)!.accessKeys![0]!;
process.env.AWS_ACCESS_KEY_ID = keys('drift-reader').id;
process.env.AWS_SECRET_ACCESS_KEY = keys('drift-reader').secret;
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

let sandbox: SandboxHandle;
let dir: string;
let hook: http.Server;
const received: Array<{ body: string; signature?: string }> = [];

before(async () => {
  sandbox = await startSandbox({ ...scenario, limits: { lookupEventsPerSecond: 0 } });
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-watch-cli-'));
  cpSync(path.join(repoRoot, 'examples/demo'), dir, { recursive: true });
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ body, signature: req.headers['x-tidemark-signature'] as string | undefined });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await sandbox?.stop();
  await new Promise<void>((resolve) => hook.close(() => resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function watch(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  let err = '';
  const io: CliIO = { cwd: dir, env: { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region, ...env }, out: (t) => out.push(t), err: (t) => (err += t + '\n'), isTTY: false };
  try {
    return { code: await run(args, io), out, err };
  } catch (error) {
    return { code: (error as { exitCode?: number }).exitCode ?? 99, out, err: err + (error as Error).message };
  }
}

test('watch: the drift is announced, then attributed to carol (no grant) as an error, on stdout and the webhook', async () => {
  const first = await watch(['.', '--polls', '1', '--json']);
  assert.equal(first.code, 0, first.err);
  assert.deepEqual(first.out, [], 'the untouched sandbox matches examples/demo');
  assert.ok(existsSync(path.join(dir, '.tidemark', 'watch-state.json')));

  const carol = new EC2Client({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: { accessKeyId: keys('carol').id, secretAccessKey: keys('carol').secret } });
  const web = scenario.instances!.find((i) => i.tags?.Name === 'tidemark-demo-web')!.id;
  await carol.send(new CreateTagsCommand({ Resources: [web], Tags: [{ Key: 'Team', Value: 'hotfix' }] }));

  const secret = 'webhook-secret-from-env';
  const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`;
  const second = await watch(['.', '--polls', '2', '--interval', '1s', '--json', '--webhook', url, '--webhook-format', 'json'], { TIDEMARK_WEBHOOK_SECRET: secret });
  assert.equal(second.code, 0, second.err);
  assert.match(second.err, /webhook json \(signed\)/);
  assert.match(second.err, /stopped after 2 polls/);
  const alerts = second.out.map((l) => JSON.parse(l) as Alert);
  assert.deepEqual(alerts.map((a) => [a.kind, a.resource, a.attribute, a.severity]), [
    ['drift-appeared', 'aws_instance.web', 'tags.Team', 'info'],
    ['drift-attributed', 'aws_instance.web', 'tags.Team', 'error'],
  ]);
  assert.equal(alerts[1]!.attribution?.class, 'no-grant');
  assert.equal(alerts[1]!.attribution?.actor, 'carol');
  assert.equal(alerts[1]!.file, 'compute.tf');

  // The webhook got the same alerts (the run flushes its queue before exiting), each signed.
  assert.equal(received.length, 2);
  for (const r of received) assert.equal(r.signature, `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`);
  assert.deepEqual(received.map((r) => (JSON.parse(r.body) as { alert: Alert }).alert.id), alerts.map((a) => a.id));
  assert.doesNotMatch(received.map((r) => r.body).join('') + second.out.join(''), new RegExp(`${secret}|${keys('drift-reader').secret.replace(/\+/g, '\\+')}`));
  assert.doesNotMatch(readFileSync(path.join(dir, '.tidemark', 'watch-state.json'), 'utf8'), /AKIA|sandbox\+/);
});

test('Ctrl-C stops the bundled CLI cleanly: exit 0 after the poll in progress', async () => {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'watch', dir, '--interval', '1h'], {
    env: childEnv({ AWS_ACCESS_KEY_ID: keys('drift-reader').id, AWS_SECRET_ACCESS_KEY: keys('drift-reader').secret, AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: sandbox.region }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    // Fails (instead of hanging) when the CLI exits before announcing itself, e.g. dist/ not built.
    await within('the watch to announce how Ctrl-C stops it', new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (c: Buffer) => {
        err += c.toString('utf8');
        if (err.includes('Ctrl-C stops')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`the watch exited with ${code} before announcing itself: ${err}`)));
    }), 120_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  child.kill('SIGINT');
  assert.equal(await within('the watch to exit after Ctrl-C', exited, 120_000), 0, err);
  assert.match(err, /stopped after 1 poll\n/);
});

const bad: Array<[string[], RegExp]> = [
  [['--interval', 'soon'], /--interval must be a duration like 30s, 5m or 1h, not 'soon'/],
  [['--budget', '0'], /--budget must be a whole number of at least 1, not '0'/],
  [['--webhook-format', 'xml'], /--webhook-format must be one of slack, json/],
  [['--webhook', 'ftp://x'], /--webhook must be an http\(s\) URL/],
  [['--webhook-secret-env', 'NOT_SET_ANYWHERE'], /NOT_SET_ANYWHERE: that environment variable is not set/],
  [['missing-dir'], /missing-dir: not a directory/],
];

for (const [args, message] of bad) {
  test(`watch ${args.join(' ')} → one-line error, exit 1`, async () => {
    const r = await watch(args);
    assert.equal(r.code, 1);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  });
}

test('a corrupt watch-state.json is an error naming the file and field', async () => {
  const other = mkdtempSync(path.join(tmpdir(), 'tidemark-watch-bad-'));
  try {
    cpSync(path.join(repoRoot, 'examples/demo'), other, { recursive: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(other, '.tidemark', 'watch-state.json'), JSON.stringify({ version: 1, since: 'yesterday', seen: {} }));
    const r = await watch([other, '--polls', '1']);
    assert.equal(r.code, 1);
    assert.match(r.err, /watch-state\.json: since: expected an ISO time; delete the file to start following from now/);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
