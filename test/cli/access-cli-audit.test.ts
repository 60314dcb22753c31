// The access CLI end to end, audit and policy: audit verify and export, reads through the policy,
// policy test, bad input, and scoped requests (set-up in access-cli-support.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { childEnv } from '../support/child-env';
import { ctx, useAccessCli, activeGrant, ROOT, scenario, INSTANCE, tm, run, ok, json, fails, request, aws, type Grant } from './access-cli-support';
import { fakeKeyId } from '../support/fake-keys';

useAccessCli();

test('audit verify and export --since, text and JSON', async () => {
  // The activity the chain must cover: a request, its decision and credentials, a command and its
  // API event (read into the timeline by `log`), and an end with its revoke policy.
  const g = await activeGrant('alice', 20, 'activity for the audit');
  await ok('alice', ['exec', g.id, '--', 'aws', 'ec2', 'create-tags', '--endpoint-url', ctx.sandbox.endpoint, '--resources', INSTANCE, '--tags', 'Key=audited,Value=yes']);
  await ok('bob', ['log', g.id]);
  await ok('bob', ['revoke', g.id, '--reason', 'audited']);
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
  const out = path.join(ctx.dir, 'audit.jsonl');
  await ok('bob', ['audit', 'export', '--since', since, '--out', out]);
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, later.length);
  // The export's signed head pins the chain: verify against it, and refuse a forged one.
  const head = JSON.parse(readFileSync(`${out}.head.json`, 'utf8')) as { count: number; hash: string; signature?: string };
  assert.ok(head.signature, 'the embedded broker signs heads');
  assert.match((await ok('bob', ['audit', 'verify', '--expect-head', `${out}.head.json`])).stdout, new RegExp(`and the expected head #${head.count}\\)$`, 'm'));
  assert.equal((await ok('bob', ['audit', 'head'])).stdout.trim().split(':')[1]?.length, 64);
  writeFileSync(path.join(ctx.dir, 'forged.head.json'), JSON.stringify({ ...head, count: head.count - 1 }));
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
  const stranger = await tm('alice', ['grants'], { env: { AWS_ACCESS_KEY_ID: fakeKeyId('AKIA'), AWS_SECRET_ACCESS_KEY: 'not-a-real-secret' } });
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

  await ok('alice', ['exec', id, '--', 'aws', 'ec2', 'create-tags', '--endpoint-url', ctx.sandbox.endpoint, '--resources', INSTANCE, '--tags', 'Key=scoped,Value=yes']);
  assert.equal(ctx.sandbox.world.instances[INSTANCE]!.tags.scoped, 'yes');
  const other = await tm('alice', ['exec', id, '--', 'aws', 'ec2', 'create-tags', '--endpoint-url', ctx.sandbox.endpoint, '--resources', 'i-0a1b2c3d4e5f60c01', '--tags', 'Key=scoped,Value=no']);
  assert.notEqual(other.code, 0);
  assert.match(other.stderr, /UnauthorizedOperation/);
  assert.equal(ctx.sandbox.world.instances['i-0a1b2c3d4e5f60c01']!.tags.scoped, undefined);
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
  const compute = path.join(ctx.dir, 'compute.tf');
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
  const variant = (name: string, text: string) => { const file = path.join(ctx.dir, name); writeFileSync(file, text); return file; };
  const other = structuredClone(fixture);
  other.resource_changes[0].change.before.id = 'i-0ffffffffffffff99';
  await fails('alice', [...base, '--scope-from-plan', variant('other.json', JSON.stringify(other))], /other\.json: the plan changes aws_instance\.worker \(i-0ffffffffffffff99\), which the state of workspace 'default' records as i-0a1b2c3d4e5f60c02: a plan of another workspace/);
  await fails('alice', [...base, '--scope-from-plan', variant('corrupt.json', '{"format_version": "1.2", "resource_')], /corrupt\.json: not a JSON plan/);
  await fails('alice', [...base, '--scope-from-plan', variant('state.json', readFileSync(path.join(ctx.dir, 'terraform.tfstate'), 'utf8'))], /state\.json: not a `terraform show -json` plan/);
  const create = structuredClone(fixture);
  create.resource_changes[0] = { ...create.resource_changes[0], address: 'aws_instance.batch', name: 'batch', change: { actions: ['create'], before: null, after: {}, after_unknown: { id: true } } };
  await fails('alice', [...base, '--scope-from-plan', variant('create.json', JSON.stringify(create))], /aws_instance\.batch: not created yet .*type-level actions/);
  await fails('alice', [...base, '--scope-from-plan', path.join(ctx.dir, 'missing.json')], /missing\.json: cannot read the plan \(no such file\)/);
  assert.equal((await json<Grant[]>('bob', ['grants', '--all'])).length, before, 'nothing was requested');
});
