import { test } from 'node:test';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, parseConfig } from '../../server/src/access/config';
import { buildAuthorizationCall, clockIn, compilePolicy, decide, PolicyError } from '../../server/src/access/policy';
import { POLICY_SCHEMA } from '../../server/src/access/policy-schema';
import { PolicySource } from '../../server/src/access/policy-source';
import { parsePolicyTests, PolicyTestFileError, runPolicyTests } from '../../server/src/access/policy-tests';
import { examplePolicy, REPO, user, WORKING_HOURS } from './helpers';

test('the shipped schema file is the schema the broker validates against', () => {
  for (const dir of ['.tidemark', 'examples/demo/.tidemark']) {
    assert.equal(readFileSync(path.join(REPO, dir, 'policy.cedarschema'), 'utf8'), POLICY_SCHEMA, dir);
  }
  for (const f of ['policy.cedar', 'config.yaml', 'policy-tests.yaml']) {
    assert.equal(readFileSync(path.join(REPO, 'examples/demo/.tidemark', f), 'utf8'), readFileSync(path.join(REPO, '.tidemark', f), 'utf8'), f);
  }
});

test('the example policy passes its own table of cases', () => {
  const { config, policy } = examplePolicy();
  const file = path.join(REPO, '.tidemark', 'policy-tests.yaml');
  const cases = parsePolicyTests(readFileSync(file, 'utf8'), 'policy-tests.yaml', config);
  assert.ok(cases.length >= 15);
  const results = runPolicyTests(config, policy, cases);
  assert.deepEqual(results.filter((r) => !r.passed).map((r) => r.name), []);
  assert.ok(results.some((r) => r.expected === 'deny') && results.some((r) => r.expected === 'allow'));
});

test('a wrong expectation fails and names its line', () => {
  const { config, policy } = examplePolicy();
  const text = 'defaults:\n  role: prod-operator\n  at: 2026-11-25T10:00:00+01:00\n  duration: 2h\ncases:\n  - name: wrong\n    user: bob\n    action: request\n    expect: allow\n';
  const [r] = runPolicyTests(config, policy, parsePolicyTests(text, 't.yaml', config));
  assert.equal(r.passed, false);
  assert.equal(r.actual, 'deny');
  assert.equal(r.where, 't.yaml:6:5');
});

test('bad test files name file:line:column and the field', () => {
  const { config } = examplePolicy();
  assert.throws(() => parsePolicyTests('cases:\n  - user: mallory\n    action: request\n    role: prod-operator\n    duration: 1h\n    at: 2026-11-25T10:00:00Z\n    expect: allow\n', 't.yaml', config),
    (e: unknown) => e instanceof PolicyTestFileError && /^t\.yaml:2:11: cases\[0\]\.user 'mallory'/.test(e.message));
  assert.throws(() => parsePolicyTests('cases:\n  - user: alice\n    action: fly\n', 't.yaml', config), /t\.yaml:3:13: cases\[0\]\.action 'fly'/);
  assert.throws(() => parsePolicyTests('cases: [', 't.yaml', config), /^PolicyTestFileError|t\.yaml:1:/);
});

test('a policy that does not parse is an error with line:column', () => {
  const text = 'permit (principal, action, resource)\nwhen { context.when.hour > };\n';
  assert.throws(() => compilePolicy(text, 'p.cedar'), (e: unknown) => e instanceof PolicyError && e.problems[0].line === 2 && e.problems[0].column === 28 && e.message.startsWith('p.cedar:2:28:'));
});

test('a policy that does not validate against the schema is an error with line:column', () => {
  const text = '// comment\npermit (principal, action == Tidemark::Action::"request", resource)\nwhen { context.durationHours < 3 };\n';
  assert.throws(() => compilePolicy(text, 'p.cedar'), (e: unknown) => e instanceof PolicyError && /^p\.cedar:3:8: .*durationHours/.test(e.message));
});

test('the policy source keeps the last good policy when the file breaks, and picks up the fix', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-policy-'));
  const policyFile = path.join(dir, 'policy.cedar');
  const configFile = path.join(dir, 'config.yaml');
  copyFileSync(path.join(REPO, '.tidemark/policy.cedar'), policyFile);
  copyFileSync(path.join(REPO, '.tidemark/config.yaml'), configFile);
  const problems: string[] = [];
  const source = new PolicySource(policyFile, configFile, (p) => problems.push(p));
  const good = source.current();
  writeFileSync(policyFile, 'permit (principal, action, resource) when { oops };');
  utimesSync(policyFile, new Date(), new Date(Date.now() + 5000));
  assert.equal(source.current(), good);
  assert.match(problems[0], /policy\.cedar:1:\d+: .*keeping the last good policy/);
  assert.match(source.problem ?? '', /keeping the last good policy/);
  writeFileSync(policyFile, 'permit (principal, action == Tidemark::Action::"request", resource);');
  utimesSync(policyFile, new Date(), new Date(Date.now() + 10000));
  assert.notEqual(source.current(), good);
  assert.equal(source.problem, undefined);
  assert.throws(() => new PolicySource(path.join(dir, 'missing.cedar'), configFile), /missing\.cedar: cannot read \(ENOENT\)/);
});

test('config errors name file:line:column and the field', () => {
  assert.throws(() => parseConfig('roles:\n  ops:\n    arn: nope\n', 'c.yaml'), (e: unknown) => e instanceof ConfigError && e.message === "c.yaml:3:10: roles.ops.arn 'nope' is not an IAM role ARN");
  assert.throws(() => parseConfig('users:\n  - name: x\nroles: {}\n', 'c.yaml'), /c\.yaml:2:5: users\[0\] is missing 'arn'/);
  assert.throws(() => parseConfig('timezone: Mars/Olympus\nroles: {}\n', 'c.yaml'), /c\.yaml:1:11: timezone 'Mars\/Olympus'/);
  assert.throws(() => parseConfig('roles:\n  ops:\n    arn: arn:aws:iam::123456789012:role/ops\n    maxSession: forever\n', 'c.yaml'), /c\.yaml:4:17: roles\.ops\.maxSession 'forever'/);
});

test('working hours are computed in the configured timezone', () => {
  assert.deepEqual(clockIn(new Date('2026-11-25T09:00:00Z'), 'Europe/Berlin'), { hour: 10, weekday: 3 });
  assert.deepEqual(clockIn(new Date('2026-11-29T23:30:00Z'), 'Europe/Berlin'), { hour: 0, weekday: 1 });
  assert.deepEqual(clockIn(new Date('2026-11-29T23:30:00Z'), 'UTC'), { hour: 23, weekday: 7 });
});

test('authorization input: principal by ARN, groups as parents, role attributes, context per action', () => {
  const { config, policy } = examplePolicy();
  const alice = user(config, 'alice');
  const role = config.roles[0];
  const call = buildAuthorizationCall(config, policy, { action: 'approve', principal: user(config, 'bob'), role, at: new Date(WORKING_HOURS), durationSeconds: 5400, requester: alice, breakGlass: true });
  assert.deepEqual(call.principal, { type: 'Tidemark::User', id: 'arn:aws:iam::123456789012:user/bob' });
  assert.deepEqual(call.context, { when: { hour: 10, weekday: 3 }, durationMinutes: 90, requester: { __entity: { type: 'Tidemark::User', id: alice.arn } }, breakGlass: true });
  const aliceEntity = call.entities.find((e) => 'id' in e.uid && e.uid.id === alice.arn);
  assert.deepEqual(aliceEntity?.parents, [{ type: 'Tidemark::Group', id: 'engineers' }, { type: 'Tidemark::Group', id: 'oncall' }]);
  const roleEntity = call.entities.find((e) => 'type' in e.uid && e.uid.type === 'Tidemark::Role');
  assert.deepEqual(roleEntity?.attrs, { environment: 'production', maxSessionMinutes: 60 });
  const d = decide(config, policy, { action: 'request', principal: alice, role, at: new Date(WORKING_HOURS), durationSeconds: 3600, reason: 'x' });
  assert.deepEqual(d.determining, ['engineers-request-prod-operator']);
  assert.equal(d.annotations.pendingTimeout, '1h');
});

test('each compiled policy decides by its own text, however decisions by other policies interleave', () => {
  // Decisions reuse Cedar's parsed policy sets: a reloaded policy must never answer with the old one's parse.
  const { config, policy: example } = examplePolicy();
  const open = compilePolicy('permit (principal, action == Tidemark::Action::"request", resource);', 'open.cedar');
  const again = compilePolicy('permit (principal, action == Tidemark::Action::"request", resource);', 'open.cedar');
  const q = { action: 'request' as const, principal: user(config, 'bob'), role: config.roles[0], at: new Date(WORKING_HOURS), durationSeconds: 7200, reason: 'x' };
  for (let round = 0; round < 2; round++) {
    assert.equal(decide(config, example, q).allowed, false, `example policy, round ${round}`);
    assert.equal(decide(config, open, q).allowed, true, `open policy, round ${round}`);
    assert.deepEqual(decide(config, again, q).determining, ['policy0']);
  }
});

test('a decision answered from the cache of answers always equals a fresh analysis by Cedar', () => {
  // The cache is keyed by everything Cedar is given: any part left out of the key (the hour, the
  // approvals so far, who asks, the reason) would answer one question with another's decision.
  const { config, policy } = examplePolicy();
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => user(config, name));
  const role = config.roles[0];
  const night = new Date(Date.parse(WORKING_HOURS) + 14 * 3600_000);
  const questions = [
    { action: 'request' as const, principal: alice, role, at: new Date(WORKING_HOURS), durationSeconds: 3600, reason: 'x' },
    { action: 'request' as const, principal: alice, role, at: night, durationSeconds: 3600, reason: 'x' },
    { action: 'request' as const, principal: alice, role, at: new Date(WORKING_HOURS), durationSeconds: 3600, reason: '' },
    { action: 'request' as const, principal: carol, role, at: new Date(WORKING_HOURS), durationSeconds: 3600, reason: 'x' },
    { action: 'request' as const, principal: alice, role, at: new Date(WORKING_HOURS), durationSeconds: 99 * 3600, reason: 'x' },
    { action: 'approve' as const, principal: bob, role, at: new Date(WORKING_HOURS), durationSeconds: 3600, requester: alice },
    { action: 'approve' as const, principal: carol, role, at: new Date(WORKING_HOURS), durationSeconds: 3600, requester: alice },
    { action: 'activate' as const, principal: alice, role, at: new Date(WORKING_HOURS), durationSeconds: 3600, approvals: 1 },
    { action: 'activate' as const, principal: alice, role, at: new Date(WORKING_HOURS), durationSeconds: 3600, approvals: 0 },
    { action: 'activate' as const, principal: alice, role, at: night, durationSeconds: 3600, approvals: 1 },
  ];
  const fresh = (q: (typeof questions)[number]) => {
    const answer = cedar.isAuthorized(buildAuthorizationCall(config, policy, q));
    assert.equal(answer.type, 'success');
    return answer.type === 'success' ? { allowed: answer.response.decision === 'allow', policies: answer.response.diagnostics.reason.length } : undefined;
  };
  const decisions = new Set<boolean>();
  for (let round = 0; round < 3; round++) {
    for (const q of round === 1 ? [...questions].reverse() : questions) {
      const d = decide(config, policy, q);
      decisions.add(d.allowed);
      assert.deepEqual({ allowed: d.allowed, policies: d.determining.length }, fresh(q), `${q.action} by ${q.principal.name}, round ${round}`);
    }
  }
  assert.deepEqual([...decisions].sort(), [false, true], 'the questions get both answers');
});
