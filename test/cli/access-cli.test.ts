// The access CLI end to end, requests and sessions: request, list, approve, exec and shell with the
// real aws CLI, a shell killed with -9, revoke, break glass and deny (set-up in access-cli-support.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { reap } from '../support/child-reaper';
import { waitFor } from '../support/wait';
import { ctx, useAccessCli, envFor, CLI, scenario, INSTANCE, tm, run, ok, json, fails, request, activeGrant, grantCredentials, aws, type Grant } from './access-cli-support';

useAccessCli();

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
  await ok('alice', ['exec', g.id, '--', 'aws', 'ec2', 'create-tags', '--endpoint-url', ctx.sandbox.endpoint, '--resources', INSTANCE, '--tags', 'Key=touched-by,Value=alice']);
  assert.equal(ctx.sandbox.world.instances[INSTANCE]!.tags['touched-by'], 'alice');
  // The command's exit code is passed through and recorded; secrets on the command line are not stored.
  const failed = await tm('alice', ['exec', g.id, '--', 'bash', '-c', 'exit 3', 'mysql', '--password', 'hunter2-secret']);
  assert.equal(failed.code, 3);

  mkdirSync(path.join(ctx.dir, 'ops'), { recursive: true });
  const shell = await ok('alice', ['shell', g.id], { input: 'aws sts get-caller-identity --query Arn --output text\ncd ops\nfalse\necho done\nexit\n' });
  assert.match(shell.stdout, new RegExp(`assumed-role/prod-operator/tidemark-${g.id}`));
  assert.match(shell.stderr, new RegExp(`commands in this shell are recorded on ${g.id}`));
  // The recording hooks turn history on for every command (even ' space-prefixed' ones); none of it may land in ~/.bash_history.
  assert.deepEqual(readdirSync(ctx.home).filter((f) => /history/.test(f)), []);

  const log = await json<{ grant: Grant; entries: Array<{ kind: string; text?: string; command?: { command: string; cwd: string; exitCode: number | null; source: string; user: string }; event?: { eventName: string; sourceIdentity?: string; sessionName?: string } }>; warnings: string[] }>('alice', ['log', g.id]);
  assert.deepEqual(log.warnings, []);
  const commands = log.entries.filter((e) => e.kind === 'command').map((e) => [e.command!.source, e.command!.command, path.relative(ctx.dir, e.command!.cwd), e.command!.exitCode]);
  assert.deepEqual(commands, [
    ['exec', 'aws sts get-caller-identity --output json', '', 0],
    ['exec', `aws ec2 create-tags --endpoint-url ${ctx.sandbox.endpoint} --resources ${INSTANCE} --tags Key=touched-by,Value=alice`, '', 0],
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
  const tmp = mkdtempSync(path.join(ctx.dir, 'tmp-'));
  const env = { ...envFor('alice'), TMPDIR: tmp };
  // AWS's documented example secret key, under a name that says nothing about secrets.
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const shell = reap(spawn(process.execPath, [CLI, 'shell', g.id], { cwd: ctx.dir, env, stdio: ['pipe', 'pipe', 'pipe'] }));
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
  walk(path.join(ctx.dir, '.tidemark'));
  const stored = files.map((f) => ({ f, bytes: readFileSync(f) }));
  // The ledger is on disk in plain bytes (so the search below can find things), just not the secrets.
  assert.ok(stored.some(({ bytes }) => bytes.includes(`revoke me`)), 'the ledger files hold the grants');
  for (const { f, bytes } of stored) {
    for (const s of secrets) assert.equal(bytes.includes(s), false, `${f} holds a session secret`);
  }
  assert.match(ctx.brokerOutput, new RegExp(`grant ${a.id} revoked`), 'the broker logged the revoke');
  for (const s of secrets) assert.ok(!ctx.brokerOutput.includes(s), 'the broker log holds no session secret');
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
