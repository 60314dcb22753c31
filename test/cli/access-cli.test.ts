// The access CLI end to end: a temp copy of examples/demo, the sandbox, and `tidemark broker`
// (embedded PGlite, the tidemark-broker user's keys); every command runs as a separate
// `node dist/cli.js` process with the AWS keys of the person running it, like a real shell would.
// Requests carry a ticket and stay within an hour, so the example policy allows them at any time of day.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenarioFile, SandboxHandle, startSandbox } from '../../sandbox/src/index';
import { childEnv } from '../support/child-env';
import { reap } from '../support/child-reaper';
import { waitFor } from '../support/wait';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SCENARIO = path.join(ROOT, 'sandbox/scenarios/demo.yaml');
const scenario = loadScenarioFile(SCENARIO);
const INSTANCE = 'i-0a1b2c3d4e5f60c02';

type Person = 'alice' | 'bob' | 'carol' | 'tidemark-broker' | 'drift-reader';

let sandbox: SandboxHandle;
let broker: ChildProcess;
let dir: string;
let home: string;
/** Everything the broker process printed (its log must not hold secrets either). */
let brokerOutput = '';

interface Grant { id: string; state: string; requesterName: string; role: string; endsAt?: string; endReason?: string; decisions: Array<{ byName: string; decision: string }> }
interface Result { code: number | null; stdout: string; stderr: string }

/** The user's environment: only their own keys; nothing inherited that could point elsewhere. */
function envFor(who: Person): NodeJS.ProcessEnv {
  const key = scenario.users?.find((u) => u.name === who)?.accessKeys?.[0];
  assert.ok(key, `scenario user ${who} has an access key`);
  return {
    ...childEnv(), HOME: home, SHELL: '/bin/bash',
    AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: scenario.region, AWS_ACCESS_KEY_ID: key.id, AWS_SECRET_ACCESS_KEY: key.secret,
    AWS_CONFIG_FILE: path.join(home, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
  };
}

/** Runs `tidemark …` as `who` (asynchronously: the sandbox answers from this process). */
function tm(who: Person, args: string[], o: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Result> {
  return run(process.execPath, [CLI, ...args], { env: { ...envFor(who), ...o.env }, input: o.input, cwd: o.cwd });
}

function run(command: string, args: string[], o: { env: NodeJS.ProcessEnv; input?: string; cwd?: string }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: o.cwd ?? dir, env: o.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(o.input ?? '');
  });
}

async function ok(who: Person, args: string[], o: { input?: string } = {}): Promise<Result> {
  const r = await tm(who, args, o);
  assert.equal(r.code, 0, `tidemark ${args.join(' ')} as ${who} failed: ${r.stderr}`);
  return r;
}

async function json<T>(who: Person, args: string[]): Promise<T> {
  return JSON.parse((await ok(who, [...args, '--json'])).stdout) as T;
}

/** A clear one-line error: `tidemark <command>: …` matching `pattern`, non-zero exit, no stack trace. */
async function fails(who: Person, args: string[], pattern: RegExp): Promise<Result> {
  const r = await tm(who, args);
  assert.notEqual(r.code, 0, `tidemark ${args.join(' ')} should fail`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0], new RegExp(`^tidemark ${args[0]}: `));
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+|internal error/);
  return r;
}

async function request(who: Person, minutes: number, reason: string): Promise<Grant> {
  return json<Grant>(who, ['request', 'prod-operator', '--duration', `${minutes}m`, '--reason', reason, '--ticket', 'INC-4711']);
}

async function activeGrant(who: Person, minutes: number, reason: string): Promise<Grant> {
  const g = await request(who, minutes, reason);
  const approved = await json<Grant>('bob', ['approve', g.id]);
  assert.equal(approved.state, 'active');
  return approved;
}

/** The grant's credentials as the grant's shell sees them (to prove they stop working). */
async function grantCredentials(who: Person, id: string): Promise<NodeJS.ProcessEnv> {
  const r = await ok(who, ['exec', id, '--', 'printenv', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
  const [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN] = r.stdout.trim().split('\n');
  assert.match(AWS_ACCESS_KEY_ID, /^ASIA/);
  return { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN };
}

function aws(env: NodeJS.ProcessEnv, args: string[]): Promise<Result> {
  return run('aws', [...args, '--endpoint-url', sandbox.endpoint, '--region', scenario.region], { env: { ...envFor('alice'), ...env } });
}

before(async () => {
  sandbox = await startSandbox(SCENARIO);
  dir = mkdtempSync(path.join(tmpdir(), 'tidemark-access-cli-'));
  home = path.join(dir, '.home');
  cpSync(path.join(ROOT, 'examples/demo'), dir, { recursive: true });
  mkdirSync(home);
  broker = reap(spawn(process.execPath, [CLI, 'broker'], { cwd: dir, env: envFor('tidemark-broker'), stdio: ['ignore', 'pipe', 'pipe'] }));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start within 120 s: ${brokerOutput}`)), 120_000);
    broker.stdout!.on('data', (d) => {
      brokerOutput += d;
      if (brokerOutput.includes('listening on')) { clearTimeout(timer); resolve(); }
    });
    broker.stderr!.on('data', (d) => (brokerOutput += d));
    broker.once('exit', (code) => { clearTimeout(timer); reject(new Error(`broker exited ${code}: ${brokerOutput}`)); });
  });
});

after(async () => {
  if (broker && broker.exitCode === null) {
    const exited = new Promise((r) => broker.once('exit', r));
    broker.kill('SIGTERM');
    await exited;
  }
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('request as alice, list as bob, approve as bob: pending → active, in text and JSON', async () => {
  const text = await ok('alice', ['request', 'prod-operator', '--duration', '30m', '--reason', 'restart the worker', '--ticket', 'INC-4711']);
  const id = /^(g-\w+)\s+pending\s+prod-operator\s+alice\s+30m/m.exec(text.stdout)?.[1];
  assert.ok(id, text.stdout);
  assert.match(text.stdout, new RegExp(`run: tidemark approve ${id}`));

  const listed = await ok('bob', ['grants']);
  assert.match(listed.stdout, /^GRANT\s+STATE\s+ROLE/m);
  assert.match(listed.stdout, new RegExp(`^${id}\\s+pending\\s+prod-operator\\s+alice\\s+30m\\s+waits until`, 'm'));
  assert.ok((await json<Grant[]>('bob', ['grants'])).some((g) => g.id === id && g.state === 'pending'));
  assert.ok(!(await json<Grant[]>('bob', ['grants', '--active'])).some((g) => g.id === id), 'pending is not active');

  const approved = await ok('bob', ['approve', id, '--comment', 'go ahead']);
  assert.match(approved.stdout, new RegExp(`^${id}\\s+active\\s+prod-operator\\s+alice\\s+30m\\s+ends \\S+\\s+approved by bob`));
  const active = await json<Grant[]>('carol', ['grants', '--active']);
  const g = active.find((x) => x.id === id);
  assert.ok(g, 'the approved grant is listed as active');
  assert.deepEqual(g.decisions.map((d) => [d.byName, d.decision]), [['bob', 'approve']]);
  assert.match((await ok('alice', ['grants', '--active'])).stdout, new RegExp(`^${id}\\s+active`, 'm'));
});

test('exec runs the real aws CLI as the grant, shell records each command, log merges them with CloudTrail', async () => {
  const g = await activeGrant('alice', 30, 'tag the worker');
  // No --endpoint-url: AWS_ENDPOINT_URL must reach the sandbox even with an aws CLI that ignores it (Debian's 2.9.19).
  const who = await ok('alice', ['exec', g.id, '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json']);
  assert.equal(JSON.parse(who.stdout).Arn, `arn:aws:sts::${scenario.account}:assumed-role/prod-operator/tidemark-${g.id}`);
  await ok('alice', ['exec', g.id, '--', 'aws', 'ec2', 'create-tags', '--endpoint-url', sandbox.endpoint, '--resources', INSTANCE, '--tags', 'Key=touched-by,Value=alice']);
  assert.equal(sandbox.world.instances[INSTANCE]!.tags['touched-by'], 'alice');
  // The command's exit code is passed through and recorded; secrets on the command line are not stored.
  const failed = await tm('alice', ['exec', g.id, '--', 'bash', '-c', 'exit 3', 'mysql', '--password', 'hunter2-secret']);
  assert.equal(failed.code, 3);

  mkdirSync(path.join(dir, 'ops'), { recursive: true });
  const shell = await ok('alice', ['shell', g.id], { input: 'aws sts get-caller-identity --query Arn --output text\ncd ops\nfalse\necho done\nexit\n' });
  assert.match(shell.stdout, new RegExp(`assumed-role/prod-operator/tidemark-${g.id}`));
  assert.match(shell.stderr, new RegExp(`commands in this shell are recorded on ${g.id}`));
  // The recording hooks turn history on for every command (even ' space-prefixed' ones); none of it may land in ~/.bash_history.
  assert.deepEqual(readdirSync(home).filter((f) => /history/.test(f)), []);

  const log = await json<{ grant: Grant; entries: Array<{ kind: string; text?: string; command?: { command: string; cwd: string; exitCode: number | null; source: string; user: string }; event?: { eventName: string; sourceIdentity?: string; sessionName?: string } }>; warnings: string[] }>('alice', ['log', g.id]);
  assert.deepEqual(log.warnings, []);
  const commands = log.entries.filter((e) => e.kind === 'command').map((e) => [e.command!.source, e.command!.command, path.relative(dir, e.command!.cwd), e.command!.exitCode]);
  assert.deepEqual(commands, [
    ['exec', 'aws sts get-caller-identity --output json', '', 0],
    ['exec', `aws ec2 create-tags --endpoint-url ${sandbox.endpoint} --resources ${INSTANCE} --tags Key=touched-by,Value=alice`, '', 0],
    ['exec', "bash -c 'exit 3' mysql --password [REDACTED]", '', 3],
    ['shell', 'aws sts get-caller-identity --query Arn --output text', '', 0],
    ['shell', 'cd ops', 'ops', 0],
    ['shell', 'false', 'ops', 1],
    ['shell', 'echo done', 'ops', 0],
  ]);
  const api = log.entries.filter((e) => e.kind === 'api').map((e) => e.event!);
  assert.ok(api.some((e) => e.eventName === 'CreateTags' && e.sourceIdentity === 'alice' && e.sessionName === `tidemark-${g.id}`), JSON.stringify(api));

  const text = await ok('bob', ['log', g.id]);
  assert.match(text.stdout, new RegExp(`^${g.id}\\s+active\\s+prod-operator\\s+alice`));
  assert.match(text.stdout, /command\s+alice\s+\S+ \$ false\s+→ 1/);
  assert.match(text.stdout, /api\s+alice\s+ec2\.amazonaws\.com CreateTags/);
  assert.doesNotMatch(text.stdout + JSON.stringify(log), /hunter2-secret/);
});

test('a tidemark shell killed with -9: its command file is private, redacted on record, and gone on the next start', async () => {
  const g = await activeGrant('alice', 20, 'kill the shell');
  const tmp = mkdtempSync(path.join(dir, 'tmp-'));
  const env = { ...envFor('alice'), TMPDIR: tmp };
  // AWS's documented example secret key, under a name that says nothing about secrets.
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const shell = reap(spawn(process.execPath, [CLI, 'shell', g.id], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] }));
  let output = '';
  shell.stdout!.on('data', (d) => (output += d));
  shell.stderr!.on('data', (d) => (output += d));
  const exited = new Promise((r) => shell.once('exit', r));
  let bashPid = 0;
  try {
    shell.stdin!.write(`echo "bash-pid $$"\nX=${secret} true\n`);
    await waitFor("the shell's pid", () => /bash-pid \d+/.test(output), { timeoutMs: 60_000 });
    bashPid = Number(/bash-pid (\d+)/.exec(output)![1]);
    let recorded: string | undefined;
    await waitFor('the command in the grant log', async () => {
      const log = JSON.parse((await ok('alice', ['log', g.id, '--json'])).stdout) as { entries: Array<{ command?: { command: string } }> };
      recorded = log.entries.map((e) => e.command?.command).find((c) => c?.endsWith(' true'));
      return recorded !== undefined;
    }, { timeoutMs: 60_000, everyMs: 200 });
    assert.equal(recorded, 'X=[REDACTED] true');
    const [own] = readdirSync(tmp).filter((n) => n.startsWith(`tidemark-shell-${shell.pid}-`));
    assert.ok(own, `the shell's private directory in ${tmp}: ${readdirSync(tmp).join(', ')}`);
    assert.equal(statSync(path.join(tmp, own)).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(tmp, own, 'commands')).mode & 0o777, 0o600);
    shell.kill('SIGKILL');
    await exited;
    shell.stdin!.end(); // bash, orphaned, reads end of input and exits
    await waitFor(`bash ${bashPid} to exit`, () => { try { process.kill(bashPid, 0); return false; } catch { return true; } }, { timeoutMs: 60_000 });
    assert.ok(readdirSync(tmp).includes(own), 'kill -9 skips the cleanup');

    const next = await tm('alice', ['shell', g.id], { input: 'exit\n', env: { TMPDIR: tmp } });
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(readdirSync(tmp), [], 'the next shell removed the orphaned directory, then its own');
  } finally {
    if (shell.exitCode === null && shell.signalCode === null) shell.kill('SIGKILL');
    shell.stdin!.destroy();
    if (bashPid) try { process.kill(bashPid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

test('revoke as bob: the grant\'s credentials stop at once, carol\'s session on the same role keeps working', async () => {
  const a = await activeGrant('alice', 30, 'revoke me');
  const c = await activeGrant('carol', 30, 'keep me');
  const aliceKeys = await grantCredentials('alice', a.id);
  const carolKeys = await grantCredentials('carol', c.id);
  assert.equal((await aws(aliceKeys, ['ec2', 'describe-instances'])).code, 0);

  const revoked = await json<Grant>('bob', ['revoke', a.id, '--reason', 'incident over']);
  assert.equal(revoked.state, 'revoked');
  assert.equal(revoked.endReason, 'incident over');
  const denied = await aws(aliceKeys, ['ec2', 'describe-instances']);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /UnauthorizedOperation/);
  assert.equal((await aws(carolKeys, ['ec2', 'describe-instances'])).code, 0, 'carol keeps working');
  await fails('alice', ['exec', a.id, '--', 'true'], new RegExp(`grant ${a.id} is revoked; no credentials`));
  await fails('bob', ['revoke', a.id], new RegExp(`grant ${a.id} is revoked; cannot revoke it`));

  // Releasing her own grant ends carol's access the same way.
  const released = await json<Grant>('carol', ['release', c.id]);
  assert.equal(released.state, 'ended-early');
  assert.match((await aws(carolKeys, ['ec2', 'describe-instances'])).stderr, /UnauthorizedOperation/);
  assert.ok(!(await json<Grant[]>('bob', ['grants', '--active'])).some((g) => g.id === a.id || g.id === c.id));

  // The session credentials never reach the disk: not in the ledger files, not in the audit export.
  const secrets = [aliceKeys.AWS_SECRET_ACCESS_KEY!, aliceKeys.AWS_SESSION_TOKEN!, carolKeys.AWS_SECRET_ACCESS_KEY!];
  const files: string[] = [];
  const walk = (d: string) => { for (const f of readdirSync(d)) { const p = path.join(d, f); if (statSync(p).isDirectory()) walk(p); else files.push(p); } };
  walk(path.join(dir, '.tidemark'));
  const stored = files.map((f) => ({ f, bytes: readFileSync(f) }));
  // The ledger is on disk in plain bytes (so the search below can find things), just not the secrets.
  assert.ok(stored.some(({ bytes }) => bytes.includes(`revoke me`)), 'the ledger files hold the grants');
  for (const { f, bytes } of stored) {
    for (const s of secrets) assert.equal(bytes.includes(s), false, `${f} holds a session secret`);
  }
  assert.match(brokerOutput, new RegExp(`grant ${a.id} revoked`), 'the broker logged the revoke');
  for (const s of secrets) assert.ok(!brokerOutput.includes(s), 'the broker log holds no session secret');
  const exported = (await ok('bob', ['audit', 'export'])).stdout;
  assert.match(exported, new RegExp(a.id), 'the export covers the grant');
  for (const s of secrets) assert.ok(!exported.includes(s), 'the audit export holds no session secret');
});

test('break glass as alice: active at once, flagged, review stays open until someone else reviews it', async () => {
  const text = await ok('alice', ['request', 'prod-operator', '--break-glass', '--duration', '30m', '--reason', 'checkout is down']);
  const id = /^(g-\w+)\s+active\s+prod-operator\s+alice\s+30m\s+ends \S+\s+BREAK-GLASS REVIEW-OPEN/m.exec(text.stdout)?.[1];
  assert.ok(id, text.stdout);
  assert.equal((await aws(await grantCredentials('alice', id), ['ec2', 'describe-instances'])).code, 0);
  await ok('alice', ['release', id]);
  const listed = await ok('bob', ['grants']);
  assert.match(listed.stdout, new RegExp(`^${id}\\s+ended-early.*BREAK-GLASS REVIEW-OPEN`, 'm'), 'an ended break-glass grant stays listed while its review is open');
  assert.match(listed.stdout, new RegExp(`need a post-review: tidemark review ${id}`));
  await fails('alice', ['review', id], new RegExp(`grant ${id}: the break-glass user cannot review their own access`));
  const reviewed = await json<Grant & { review?: { state: string; reviewer?: string } }>('bob', ['review', id, '--note', 'justified: incident INC-4712']);
  assert.equal(reviewed.review?.state, 'done');
  assert.equal(reviewed.review?.reviewer, `arn:aws:iam::${scenario.account}:user/bob`);
  assert.ok(!(await json<Grant[]>('bob', ['grants'])).some((g) => g.id === id));
});

test('deny as bob ends a request; text and JSON', async () => {
  const g = await request('alice', 20, 'maybe later');
  const denied = await ok('bob', ['deny', g.id, '--comment', 'not during the freeze']);
  assert.match(denied.stdout, new RegExp(`^${g.id}\\s+denied`));
  const again = await request('alice', 20, 'second try');
  assert.equal((await json<Grant>('carol', ['deny', again.id])).state, 'denied');
  await fails('carol', ['approve', g.id], new RegExp(`grant ${g.id} is denied`));
});

test('audit verify and export --since, text and JSON', async () => {
  const verify = await ok('bob', ['audit', 'verify']);
  assert.match(verify.stdout.trim(), /^audit chain intact: \d+ records, head [0-9a-f]{64} \(checked against the ledger's head #\d+\)$/);
  const verdict = await json<{ ok: boolean; count: number }>('bob', ['audit', 'verify']);
  assert.equal(verdict.ok, true);

  const all = (await ok('bob', ['audit', 'export'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { at: string; kind: string; seq: number });
  assert.equal(all.length, verdict.count);
  assert.deepEqual(all.map((r) => r.seq), all.map((_, i) => i + 1));
  for (const kind of ['request', 'decision', 'credentials', 'command', 'api-event', 'end', 'revoke-policy']) assert.ok(all.some((r) => r.kind === kind), `export has ${kind} records`);
  const since = all[Math.floor(all.length / 2)].at;
  const later = (await ok('bob', ['audit', 'export', '--since', since])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { at: string });
  assert.ok(later.length > 0 && later.length < all.length, `${later.length} of ${all.length}`);
  assert.ok(later.every((r) => r.at >= since));
  const out = path.join(dir, 'audit.jsonl');
  await ok('bob', ['audit', 'export', '--since', since, '--out', out]);
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, later.length);
  // The export's signed head pins the chain: verify against it, and refuse a forged one.
  const head = JSON.parse(readFileSync(`${out}.head.json`, 'utf8')) as { count: number; hash: string; signature?: string };
  assert.ok(head.signature, 'the embedded broker signs heads');
  assert.match((await ok('bob', ['audit', 'verify', '--expect-head', `${out}.head.json`])).stdout, new RegExp(`and the expected head #${head.count}\\)$`, 'm'));
  assert.equal((await ok('bob', ['audit', 'head'])).stdout.trim().split(':')[1]?.length, 64);
  writeFileSync(path.join(dir, 'forged.head.json'), JSON.stringify({ ...head, count: head.count - 1 }));
  const forged = await tm('bob', ['audit', 'verify', '--expect-head', 'forged.head.json']);
  assert.equal(forged.code, 2);
  assert.match(forged.stdout, /that head is not trustworthy|does not have the expected head's hash/);
  await fails('bob', ['audit', 'verify', '--expect-head', 'latest'], /--expect-head 'latest' is neither N:HASH/);
});

test('reads go through the policy: alice sees only her grants and cannot export; a stranger to config.yaml gets nothing', async () => {
  const mine = await request('alice', 20, 'alice reads her own');
  const carols = await request('carol', 20, 'carol\'s reason is hers');
  const aliceSees = (await json<Grant[]>('alice', ['grants', '--all'])).map((g) => g.id);
  assert.ok(aliceSees.includes(mine.id));
  assert.ok(!aliceSees.includes(carols.id), 'alice does not see carol\'s grant');
  assert.ok((await json<Grant[]>('bob', ['grants', '--all'])).some((g) => g.id === carols.id), 'approvers see everyone\'s');
  await fails('alice', ['audit', 'export'], /policy does not allow alice to export the audit log \(exportAudit\)/);
  await fails('alice', ['log', carols.id], /only carol and those the policy lets read timelines/);
  // tidemark-broker has working AWS keys but is not in config.yaml: refused everywhere.
  for (const args of [['grants', '--all'], ['audit', 'export'], ['audit', 'verify'], ['log', mine.id]]) {
    await fails('tidemark-broker', args, /arn:aws:iam::\d+:user\/tidemark-broker is not a user in \.tidemark\/config\.yaml/);
  }
  await ok('bob', ['deny', mine.id]);
  await ok('bob', ['deny', carols.id]);
});

test('policy test runs the example cases, text and JSON', async () => {
  const text = await ok('alice', ['policy', 'test']);
  assert.match(text.stdout, /^ok {4}/m);
  assert.match(text.stdout, /^\d+ passed, 0 failed$/m);
  const result = await json<{ passed: number; failed: number; results: unknown[] }>('alice', ['policy', 'test']);
  assert.equal(result.failed, 0);
  assert.equal(result.passed, result.results.length);
});

test('bad input: one-line errors naming the field or grant, non-zero exit, no stack trace', async () => {
  const pending = await request('alice', 20, 'for the bad-input cases');
  await fails('bob', ['approve', 'g-doesnotexist'], /no grant g-doesnotexist/);
  await fails('alice', ['log', 'g-doesnotexist'], /no grant g-doesnotexist/);
  await fails('alice', ['exec', 'g-doesnotexist', '--', 'true'], /no grant g-doesnotexist/);
  await fails('alice', ['request', 'prod-operator', '--duration', 'forever', '--reason', 'x', '--ticket', 'T'], /--duration 'forever' is not a duration/);
  await fails('alice', ['request', 'prod-operator', '--duration', '30m', '--ticket', 'T'], /--reason is required/);
  await fails('alice', ['request', 'prod-operator', '--reason', 'x'], /--duration is required/);
  await fails('alice', ['request', 'prod-opertor', '--duration', '30m', '--reason', 'x', '--ticket', 'T'], /unknown role 'prod-opertor' \(configured: prod-operator\)/);
  await fails('alice', ['request', 'prod-operator', '--duration', '9h', '--reason', 'x', '--ticket', 'T'], /policy does not allow alice to request prod-operator for 540 min/);
  await fails('alice', ['approve', pending.id], new RegExp(`grant ${pending.id}: requesters cannot approve their own request`));
  await fails('alice', ['deny', pending.id], new RegExp(`grant ${pending.id}: requesters cannot decide on their own request`));
  const carols = await request('carol', 20, 'needs someone else');
  await fails('alice', ['approve', carols.id], /policy does not allow alice to decide on prod-operator requests/);
  await fails('bob', ['release', carols.id], new RegExp(`grant ${carols.id}`));
  await fails('alice', ['grants', '--frobnicate'], /unknown option --frobnicate/);
  await fails('alice', ['log'], /missing grant id/);
  await fails('alice', ['audit', 'export', '--since', 'yesterday'], /--since 'yesterday' is not a date/);
  await fails('alice', ['audit', 'frob'], /expected 'verify', 'head' or 'export', not 'frob'/);
  // A person the sandbox does not know cannot prove anything.
  const stranger = await tm('alice', ['grants'], { env: { AWS_ACCESS_KEY_ID: 'AKIANOBODYSANDBOX001', AWS_SECRET_ACCESS_KEY: 'not-a-real-secret' } });
  assert.equal(stranger.code, 3);
  assert.match(stranger.stderr.trim(), /^tidemark grants: STS rejected the identity proof \(InvalidClientTokenId\)$/);
  // None of the refusals changed the grant.
  assert.equal((await json<Grant>('bob', ['deny', pending.id])).state, 'denied');
});

test('request --scope: approvers see the resources and actions, the grant changes the worker only, bad addresses request nothing', async () => {
  const requested = await ok('alice', ['request', 'prod-operator', '--duration', '30m', '--reason', 'tag the worker', '--ticket', 'INC-4712', '--scope', 'aws_instance.worker']);
  const id = /^(g-\w+)\s+pending/m.exec(requested.stdout)?.[1];
  assert.ok(id, requested.stdout);
  assert.match(requested.stdout, new RegExp(`scope: 1 resource\\n\\s+aws_instance\\.worker\\s+arn:aws:ec2:${scenario.region}:${scenario.account}:instance/${INSTANCE}`));
  const listed = await ok('bob', ['grants']);
  assert.match(listed.stdout, new RegExp(`${id}:\\n\\s+scope: 1 resource\\n\\s+aws_instance\\.worker`));
  assert.match(listed.stdout, /ec2: .*ModifyInstanceAttribute/);
  const approved = await json<Grant & { sessionPolicy?: string }>('bob', ['approve', id]);
  assert.equal(approved.state, 'active');
  assert.ok(approved.sessionPolicy?.includes(`instance/${INSTANCE}`), 'the grant JSON carries the exact session policy');

  await ok('alice', ['exec', id, '--', 'aws', 'ec2', 'create-tags', '--endpoint-url', sandbox.endpoint, '--resources', INSTANCE, '--tags', 'Key=scoped,Value=yes']);
  assert.equal(sandbox.world.instances[INSTANCE]!.tags.scoped, 'yes');
  const other = await tm('alice', ['exec', id, '--', 'aws', 'ec2', 'create-tags', '--endpoint-url', sandbox.endpoint, '--resources', 'i-0a1b2c3d4e5f60c01', '--tags', 'Key=scoped,Value=no']);
  assert.notEqual(other.code, 0);
  assert.match(other.stderr, /UnauthorizedOperation/);
  assert.equal(sandbox.world.instances['i-0a1b2c3d4e5f60c01']!.tags.scoped, undefined);
  // Approvers see the refusal on the grant's timeline, from CloudTrail's error code.
  const log = await ok('bob', ['log', id, '--no-changes']);
  assert.match(log.stdout, /ec2\.amazonaws\.com CreateTags .*denied: outside the grant's scope \((Client\.)?UnauthorizedOperation\)/);
  assert.match(log.stdout, /scope: 1 resource\n\s+aws_instance\.worker/);
  await ok('bob', ['revoke', id, '--reason', 'done']);

  const before = (await json<Grant[]>('bob', ['grants', '--all'])).length;
  const base = ['request', 'prod-operator', '--duration', '30m', '--reason', 'x', '--ticket', 'INC-1'];
  await fails('alice', [...base, '--scope', 'aws_instance.nope'], /aws_instance\.nope: not in state/);
  await fails('alice', [...base, '--scope', 'module.ghost.aws_instance.worker'], /module instance module\.ghost does not exist in state/);
  assert.equal((await json<Grant[]>('bob', ['grants', '--all'])).length, before, 'nothing was requested');
});

test('request --scope-from-diff and --scope-from-plan: the changed blocks and the plan\'s updates become the scope; bad refs and plans request nothing', async () => {
  const git = (args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { env: childEnv() });
  for (const args of [['init', '-q'], ['add', '--', '*.tf'], ['commit', '-q', '-m', 'base']]) assert.equal((await git(args)).code, 0, `git ${args.join(' ')}`);
  const compute = path.join(dir, 'compute.tf');
  const original = readFileSync(compute, 'utf8');
  try {
    // Only the worker's tags change: the scope is the worker, tags only, with the diff's lines.
    writeFileSync(compute, original.replace('    Team = "app"\n  }\n}', '    Team = "data"\n  }\n}'));
    assert.notEqual(readFileSync(compute, 'utf8'), original);
    const fromDiff = await ok('alice', ['request', 'prod-operator', '--duration', '30m', '--reason', 'retag the worker', '--ticket', 'INC-4713', '--scope-from-diff']);
    assert.match(fromDiff.stdout, new RegExp(`scope: 1 resource\\n\\s+aws_instance\\.worker\\s+arn:aws:ec2:${scenario.region}:${scenario.account}:instance/${INSTANCE}\\s+compute\\.tf:33 vs HEAD, tags only`));
    const id = /^(g-\w+)\s+pending/m.exec(fromDiff.stdout)![1]!;
    // Approvers see the same scope in `tidemark log` (text and JSON) as in the request.
    const logged = await ok('bob', ['log', id, '--no-changes']);
    assert.match(logged.stdout, /scope: 1 resource\n\s+aws_instance\.worker\s+\S+\s+compute\.tf:33 vs HEAD, tags only\n\s+ec2: CreateTags DeleteTags Describe\*/);
    const { grant } = await json<{ grant: Grant & { sessionPolicy: string; scope: unknown[] } }>('bob', ['log', id, '--no-changes']);
    assert.deepEqual(JSON.parse(grant.sessionPolicy).Statement[0].Action, ['ec2:CreateTags', 'ec2:DeleteTags'], 'a tags-only change gets only the tag actions');
    assert.deepEqual(grant.scope, [{ address: 'aws_instance.worker', type: 'aws_instance', arn: `arn:aws:ec2:${scenario.region}:${scenario.account}:instance/${INSTANCE}`, tagsOnly: true, origin: { kind: 'diff', file: 'compute.tf', startLine: 33, endLine: 33, ref: 'HEAD' } }]);
    await ok('bob', ['deny', id]);
  } finally {
    writeFileSync(compute, original);
  }

  const plan = path.join(ROOT, 'test/fixtures/access/plan-worker.json');
  const fromPlan = await ok('alice', ['request', 'prod-operator', '--duration', '30m', '--reason', 'resize the worker', '--ticket', 'INC-4714', '--scope-from-plan', plan]);
  assert.match(fromPlan.stdout, /scope: 2 resources\n\s+aws_instance\.worker\s+\S+\s+plan: update\n\s+aws_security_group\.db\s+\S+\s+plan: update, tags only/);
  await ok('bob', ['deny', /^(g-\w+)\s+pending/m.exec(fromPlan.stdout)![1]!]);

  const before = (await json<Grant[]>('bob', ['grants', '--all'])).length;
  const base = ['request', 'prod-operator', '--duration', '30m', '--reason', 'x', '--ticket', 'INC-1'];
  await fails('alice', [...base, '--scope-from-diff', 'no-such-ref'], /^tidemark request: --scope-from-diff no-such-ref: no such commit or ref in this repository$/);
  await fails('alice', [...base, '--scope-from-diff'], /--scope-from-diff HEAD: no resource block changed against HEAD/);
  const fixture = JSON.parse(readFileSync(plan, 'utf8'));
  const variant = (name: string, text: string) => { const file = path.join(dir, name); writeFileSync(file, text); return file; };
  const other = structuredClone(fixture);
  other.resource_changes[0].change.before.id = 'i-0ffffffffffffff99';
  await fails('alice', [...base, '--scope-from-plan', variant('other.json', JSON.stringify(other))], /other\.json: the plan changes aws_instance\.worker \(i-0ffffffffffffff99\), which the state of workspace 'default' records as i-0a1b2c3d4e5f60c02: a plan of another workspace/);
  await fails('alice', [...base, '--scope-from-plan', variant('corrupt.json', '{"format_version": "1.2", "resource_')], /corrupt\.json: not a JSON plan/);
  await fails('alice', [...base, '--scope-from-plan', variant('state.json', readFileSync(path.join(dir, 'terraform.tfstate'), 'utf8'))], /state\.json: not a `terraform show -json` plan/);
  const create = structuredClone(fixture);
  create.resource_changes[0] = { ...create.resource_changes[0], address: 'aws_instance.batch', name: 'batch', change: { actions: ['create'], before: null, after: {}, after_unknown: { id: true } } };
  await fails('alice', [...base, '--scope-from-plan', variant('create.json', JSON.stringify(create))], /aws_instance\.batch: not created yet .*type-level actions/);
  await fails('alice', [...base, '--scope-from-plan', path.join(dir, 'missing.json')], /missing\.json: cannot read the plan \(no such file\)/);
  assert.equal((await json<Grant[]>('bob', ['grants', '--all'])).length, before, 'nothing was requested');
});
