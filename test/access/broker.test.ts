import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessError } from '../../server/src/access/errors';
import { closeSharedLedger, dumpLedger, fakeKeyId, harness } from './helpers';

after(closeSharedLedger);

const rejectsWith = (code: string, pattern?: RegExp) => (e: unknown) => e instanceof AccessError && e.code === code && (!pattern || pattern.test(e.message));

test('request → one approval → active with credentials; time counts from activation', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'fix checkout' });
  assert.equal(g.state, 'pending');
  assert.equal(g.pendingExpiresAt, '2026-11-25T10:00:00.000Z');
  await h.advance(600);
  const approved = await h.broker.approve(h.bob, g.id, 'go');
  assert.equal(approved.state, 'active');
  assert.equal(approved.activatedAt, '2026-11-25T09:10:00.000Z');
  assert.equal(approved.endsAt, '2026-11-25T10:10:00.000Z');
  assert.equal(h.cloud.assumed.length, 1);
  assert.deepEqual(h.cloud.assumed[0], {
    roleArn: 'arn:aws:iam::123456789012:role/prod-operator', sessionName: `tidemark-${g.id}`, sourceIdentity: 'alice', tags: { 'tidemark-grant': g.id }, durationSeconds: 3600,
  });
  const creds = await h.broker.getCredentials(h.alice, g.id);
  assert.equal(creds.accessKeyId, h.cloud.issued[0].accessKeyId, 'the activation credentials are handed out, not new ones');
  await assert.rejects(h.broker.getCredentials(h.bob, g.id), rejectsWith('forbidden', /only to the requester/));
});

test('self-approval is refused, and so are approvers the policy does not name', async () => {
  const h = await harness();
  const g = await h.broker.request(h.carol, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  await assert.rejects(h.broker.approve(h.carol, g.id), rejectsWith('forbidden', /cannot approve their own/));
  await assert.rejects(h.broker.approve(h.alice, g.id), rejectsWith('forbidden', /policy does not allow alice to decide/));
  assert.equal((await h.broker.get(g.id)).state, 'pending');
  assert.equal(h.cloud.assumed.length, 0);
});

test('the policy sets the approval count: over 2 hours needs two different approvers', async () => {
  const h = await harness();
  // Over 2 h the example policy wants a scope.
  const scope = [{ address: 'aws_instance.worker', type: 'aws_instance', arn: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0' }];
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3 * 3600, reason: 'migration', scope });
  const first = await h.broker.approve(h.bob, g.id);
  assert.equal(first.state, 'pending');
  await assert.rejects(h.broker.approve(h.bob, g.id), rejectsWith('conflict', /already approved/));
  const second = await h.broker.approve(h.carol, g.id);
  assert.equal(second.state, 'active');
  assert.deepEqual(second.decisions.map((d) => d.byName), ['bob', 'carol']);
  // The role allows 1 h sessions: credentials are capped and refreshed, the grant is not.
  assert.equal(h.cloud.assumed[0].durationSeconds, 3600);
  assert.equal(second.endsAt, '2026-11-25T12:00:00.000Z');
});

test('the policy sees the scope: IAM in scope needs two approvers, an unscoped request over 2 h is refused', async () => {
  const h = await harness();
  const scope = [{ address: 'module.app.aws_iam_role.this', type: 'aws_iam_role', arn: 'arn:aws:iam::123456789012:role/app' }];
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 1800, reason: 'fix the trust policy', scope });
  const requested = (await h.broker.auditExport()).find((r) => r.kind === 'request' && r.grantId === g.id);
  assert.deepEqual(requested?.data.scope, scope, 'the audit chain keeps the scope');
  assert.equal(requested?.data.sessionPolicy, g.sessionPolicy, 'and the exact session policy issued');
  assert.equal((await h.broker.approve(h.bob, g.id)).state, 'pending', 'one approval is not enough for IAM');
  assert.equal((await h.broker.approve(h.carol, g.id)).state, 'active');
  await assert.rejects(h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3 * 3600, reason: 'migration' }), rejectsWith('forbidden', /policy does not allow alice to request prod-operator for 180 min/));
  const refused = (await h.broker.auditExport()).filter((r) => r.kind === 'request' && r.data.outcome === 'refused');
  assert.deepEqual(refused.at(-1)?.data.policies, ['unscoped-at-most-2h']);
});

test('requests the policy refuses are audited and never stored as grants', async () => {
  const h = await harness();
  await assert.rejects(h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 5 * 3600, reason: 'x' }), rejectsWith('forbidden', /policy does not allow alice to request prod-operator for 300 min/));
  await assert.rejects(h.broker.request(h.bob, { role: 'prod-operator', durationSeconds: 600, reason: 'x' }), rejectsWith('forbidden'));
  await assert.rejects(h.broker.request(h.alice, { role: 'nope', durationSeconds: 600, reason: 'x' }), rejectsWith('not-found', /unknown role 'nope' \(configured: prod-operator\)/));
  await assert.rejects(h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 600, reason: ' ' }), rejectsWith('bad-request'));
  assert.deepEqual(await h.broker.grants({ all: true }), []);
  const audit = await h.broker.auditExport();
  assert.deepEqual(audit.map((r) => [r.kind, r.data.outcome]), [['request', 'refused'], ['request', 'refused']]);
});

test('deny ends a request; nobody can approve it afterwards', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  const denied = await h.broker.deny(h.bob, g.id, 'not now');
  assert.equal(denied.state, 'denied');
  await assert.rejects(h.broker.approve(h.carol, g.id), rejectsWith('conflict', /is denied/));
});

test('a pending request expires at exactly the policy-set time and the requester is told', async () => {
  const h = await harness();
  const alerts: string[] = [];
  h.broker.subscribe((e) => { if (e.type === 'alert') alerts.push(e.message); });
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  await h.advance(3599);
  assert.equal((await h.broker.get(g.id)).state, 'pending');
  await h.advance(1);
  const expired = await h.broker.get(g.id);
  assert.equal(expired.state, 'expired');
  assert.equal(expired.endReason, 'request not approved in time');
  assert.match(alerts.join('\n'), new RegExp(`request ${g.id} .* expired before enough approvals; alice may request again`));
  await assert.rejects(h.broker.approve(h.bob, g.id), rejectsWith('conflict'));
});

test('after-hours requests get the shorter @pendingTimeout of the policy that allowed them', async () => {
  const h = await harness(undefined, '2026-11-25T21:00:00Z');
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'incident', ticket: 'OPS-1' });
  assert.equal(g.pendingExpiresAt, '2026-11-25T21:30:00.000Z');
});

test('an active grant expires at the exact second; credentials that outlive it get the scoped deny', async () => {
  const h = await harness();
  // 10 minutes: STS's 15-minute minimum means the credentials outlive the grant.
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 600, reason: 'x' });
  await h.broker.approve(h.bob, g.id);
  assert.equal(h.cloud.assumed[0].durationSeconds, 900);
  await h.advance(599);
  assert.equal((await h.broker.get(g.id)).state, 'active');
  await h.advance(1);
  const ended = await h.broker.get(g.id);
  assert.equal(ended.state, 'expired');
  assert.equal(ended.endedAt, '2026-11-25T09:10:00.000Z');
  const doc = JSON.parse(h.cloud.policies.get(`prod-operator/tidemark-revoke-${g.id}`) ?? 'null');
  assert.deepEqual(doc.Statement[0].Condition, { StringLike: { 'aws:userid': `*:tidemark-${g.id}` }, DateLessThan: { 'aws:TokenIssueTime': '2026-11-25T09:10:01Z' } });
  await assert.rejects(h.broker.getCredentials(h.alice, g.id), rejectsWith('conflict', /is expired/));
  // Once the last credentials have expired, the deny is removed (journaled in the audit log).
  await h.advance(300 + 60);
  assert.equal(h.cloud.policies.size, 0);
  const kinds = (await h.broker.auditExport()).filter((r) => r.kind === 'revoke-policy').map((r) => r.data.action);
  assert.deepEqual(kinds, ['attached', 'removed']);
});

test('revoke attaches a deny scoped to the grant\'s own sessions and to tokens issued before the revoke', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  await h.broker.approve(h.bob, g.id);
  await h.advance(125.4);
  const revoked = await h.broker.revoke(h.bob, g.id, 'done');
  assert.equal(revoked.state, 'revoked');
  const doc = JSON.parse(h.cloud.policies.get(`prod-operator/tidemark-revoke-${g.id}`)!);
  assert.deepEqual(doc.Statement[0], {
    Sid: 'TidemarkRevokeGrantSessions', Effect: 'Deny', Action: '*', Resource: '*',
    Condition: { StringLike: { 'aws:userid': `*:tidemark-${g.id}` }, DateLessThan: { 'aws:TokenIssueTime': '2026-11-25T09:02:06Z' } },
  });
  await assert.rejects(h.broker.revoke(h.bob, g.id), rejectsWith('conflict'));
});

test('release by the requester ends early; others cannot release', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  await h.broker.approve(h.bob, g.id);
  await assert.rejects(h.broker.release(h.bob, g.id), rejectsWith('forbidden', /only the requester can release/));
  const released = await h.broker.release(h.alice, g.id);
  assert.equal(released.state, 'ended-early');
  assert.equal(h.cloud.policyLog.filter((p) => p.action === 'put').length, 1);
});

test('break-glass: active at once, flagged, alerts until someone else reviews it', async () => {
  const h = await harness();
  const alerts: string[] = [];
  h.broker.subscribe((e) => { if (e.type === 'alert') alerts.push(e.message); });
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 1800, reason: 'outage', breakGlass: true });
  assert.equal(g.state, 'active');
  assert.equal(g.breakGlass, true);
  assert.deepEqual(g.review, { state: 'open' });
  assert.equal(g.decisions.length, 0);
  await assert.rejects(h.broker.request(h.carol, { role: 'prod-operator', durationSeconds: 1800, reason: 'x', breakGlass: true }), rejectsWith('forbidden', /break glass/));
  await h.advance(1800);
  assert.equal((await h.broker.get(g.id)).state, 'expired');
  assert.deepEqual((await h.broker.grants()).map((x) => x.id), [g.id], 'an ended break-glass grant stays listed while its review is open');
  const before = alerts.filter((a) => a.includes('post-review')).length;
  await h.advance(3600);
  assert.ok(alerts.filter((a) => a.includes('post-review')).length > before, 'the open review alerts again');
  await assert.rejects(h.broker.review(h.alice, g.id), rejectsWith('forbidden', /cannot review their own/));
  const reviewed = await h.broker.review(h.bob, g.id, 'justified');
  assert.equal(reviewed.review?.state, 'done');
  assert.deepEqual(await h.broker.grants(), []);
  const count = alerts.length;
  await h.advance(7200);
  assert.equal(alerts.length, count, 'no alerts after the review');
});

test('extension is a new request that needs approval and must extend your own active grant', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  await h.broker.approve(h.bob, g.id);
  const ext = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 1800, reason: 'more time', extends: g.id });
  assert.equal(ext.state, 'pending');
  assert.equal(ext.extends, g.id);
  await assert.rejects(h.broker.request(h.carol, { role: 'prod-operator', durationSeconds: 1800, reason: 'x', extends: g.id }), rejectsWith('conflict'));
});

test('two approvals racing issue credentials once', async () => {
  const h = await harness();
  for (let round = 0; round < 5; round++) {
    const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: `race ${round}` });
    const results = await Promise.allSettled([h.broker.approve(h.bob, g.id), h.broker.approve(h.carol, g.id)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one approval wins');
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(rejectsWith('conflict')(loser.reason));
    assert.equal((await h.broker.get(g.id)).state, 'active');
  }
  assert.equal(h.cloud.assumed.length, 5);
  const activations = (await h.broker.auditExport()).filter((r) => r.kind === 'activate');
  assert.equal(activations.length, 5);
  assert.equal((await h.broker.auditVerify()).ok, true);
});

test('a revoke racing an activation wins: the credentials are discarded, never handed out', async () => {
  const h = await harness();
  let release!: () => void;
  h.cloud.gate = new Promise((r) => { release = r; });
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  const approving = h.broker.approve(h.bob, g.id);
  while (h.cloud.assumed.length === 0) await new Promise((r) => setImmediate(r));
  const revoked = await h.broker.revoke(h.carol, g.id, 'changed my mind');
  release();
  h.cloud.gate = undefined;
  await approving;
  assert.equal(revoked.state, 'revoked');
  assert.equal((await h.broker.get(g.id)).state, 'revoked');
  await assert.rejects(h.broker.getCredentials(h.alice, g.id), rejectsWith('conflict', /is revoked/));
  const discarded = (await h.broker.auditExport()).filter((r) => r.kind === 'credentials');
  assert.deepEqual(discarded.map((r) => r.data.outcome), ['discarded']);
});

test('credentials are refreshed while the grant lives, never past it, and each issue is journaled', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 7200, reason: 'x' });
  await h.broker.approve(h.bob, g.id);
  const first = await h.broker.getCredentials(h.alice, g.id);
  await h.advance(3600 - 200);
  const second = await h.broker.getCredentials(h.alice, g.id);
  assert.notEqual(second.accessKeyId, first.accessKeyId);
  assert.equal(h.cloud.assumed[1].durationSeconds, 3600);
  await h.advance(3600 - 200 - 100);
  // 500 s left of the grant: STS's minimum is 900 s, the end-of-grant deny covers the rest.
  const third = await h.broker.getCredentials(h.alice, g.id);
  assert.notEqual(third.accessKeyId, second.accessKeyId);
  assert.equal(h.cloud.assumed[2].durationSeconds, 900);
  assert.equal((await h.broker.auditExport()).filter((r) => r.kind === 'credentials').length, 3);
});

test('activation failures are audited and retried on the next tick', async () => {
  const h = await harness();
  h.cloud.failAssume = 'not authorized to perform sts:AssumeRole';
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  assert.equal((await h.broker.approve(h.bob, g.id)).state, 'approved');
  h.cloud.failAssume = undefined;
  await h.broker.tick();
  assert.equal((await h.broker.get(g.id)).state, 'active');
  const failed = (await h.broker.auditExport()).filter((r) => r.kind === 'activate').map((r) => r.data.outcome ?? 'ok');
  assert.deepEqual(failed, ['failed', 'ok']);
});

test('commands are recorded redacted; secrets never reach the ledger or the export', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'rotate db password --password hunter2hunter2' });
  await h.broker.approve(h.bob, g.id);
  const creds = await h.broker.getCredentials(h.alice, g.id);
  const keyId = fakeKeyId('AKIA');
  await h.broker.recordCommands(h.alice, g.id, [
    { cwd: '/srv', command: `aws configure set aws_access_key_id ${keyId}`, exitCode: 0, source: 'shell' },
    { cwd: '/srv', command: `echo ${creds.secretAccessKey} ${creds.sessionToken}`, exitCode: 0, source: 'shell' },
    { cwd: '/srv', command: 'psql --password=hunter3hunter3', exitCode: 2, source: 'exec' },
  ]);
  await assert.rejects(h.broker.recordCommands(h.bob, g.id, []), rejectsWith('forbidden'));
  const dump = await dumpLedger(h.ledger) + JSON.stringify(await h.broker.auditExport()) + JSON.stringify(await h.broker.timeline(h.alice, g.id));
  for (const secret of [keyId, creds.accessKeyId, creds.secretAccessKey, creds.sessionToken, 'hunter2hunter2', 'hunter3hunter3']) {
    assert.ok(!dump.includes(secret), `secret leaked: ${secret.slice(0, 6)}…`);
  }
  const timeline = await h.broker.timeline(h.alice, g.id);
  const commands = timeline.entries.filter((e) => e.kind === 'command');
  assert.equal(commands.length, 3);
  assert.deepEqual(commands.map((e) => e.kind === 'command' && e.command.exitCode), [0, 0, 2]);
});

test('the session log takes commands only from a live grant, inside its window, in bounded amounts', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  await h.broker.approve(h.bob, g.id);
  await h.advance(600);
  const ok = { at: '2026-11-25T09:05:00Z', cwd: '/srv', command: 'aws s3 ls', exitCode: 0, source: 'shell' as const };
  const many = Array.from({ length: 5000 }, () => ok);
  await assert.rejects(h.broker.recordCommands(h.alice, g.id, many), rejectsWith('bad-request', /'commands' has 5000 entries; at most 100 per call/));
  await assert.rejects(h.broker.recordCommands(h.alice, g.id, [ok, { ...ok, at: '1999-01-01T00:00:00Z' }]), rejectsWith('bad-request', /^commands\[1\]\.at 1999-01-01T00:00:00.000Z is outside grant g-\S+'s session/));
  // Ahead of the broker's clock (09:10) by more than the allowed skew.
  await assert.rejects(h.broker.recordCommands(h.alice, g.id, [{ ...ok, at: '2026-11-25T09:30:00Z' }]), rejectsWith('bad-request', /^commands\[0\]\.at .* broker time 2026-11-25T09:10:00.000Z/));
  await assert.rejects(h.broker.recordCommands(h.alice, g.id, [{ ...ok, at: 'yesterday' }]), rejectsWith('bad-request', /^commands\[0\]\.at must be an ISO 8601 time/));
  await assert.rejects(h.broker.recordCommands(h.alice, g.id, [{ ...ok, command: 'x'.repeat(20_000) }]), rejectsWith('bad-request', /^commands\[0\]\.command is 20000 characters; at most/));
  await assert.rejects(h.broker.recordCommands(h.alice, g.id, [{ ...ok, cwd: 42 }]), rejectsWith('bad-request', /^commands\[0\]\.cwd must be a string/));
  assert.equal(await h.broker.recordCommands(h.alice, g.id, [ok, { ...ok, at: '2026-11-25T09:10:30Z' }]), 2, 'a few seconds of client clock skew are fine');
  // A command still in flight when the grant ends is accepted for a short grace; later the log is closed.
  await h.broker.revoke(h.bob, g.id, 'done');
  assert.equal(await h.broker.recordCommands(h.alice, g.id, [{ ...ok, at: '2026-11-25T09:09:59Z' }]), 1);
  await assert.rejects(h.broker.recordCommands(h.alice, g.id, [{ ...ok, at: '2026-11-25T09:13:00Z' }]), rejectsWith('bad-request', /outside grant/));
  await h.advance(121);
  await assert.rejects(h.broker.recordCommands(h.alice, g.id, [{ ...ok, at: '2026-11-25T09:09:59Z' }]), rejectsWith('conflict', /is revoked since 2026-11-25T09:10:00.000Z; its session log is closed/));
  const commands = (await h.broker.timeline(h.alice, g.id)).entries.filter((e) => e.kind === 'command');
  assert.equal(commands.length, 3, 'refused calls record nothing');
});

test('API events from CloudTrail join the timeline once, matched by session name or access key', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  await h.broker.approve(h.bob, g.id);
  const creds = await h.broker.getCredentials(h.alice, g.id);
  await h.broker.recordCommands(h.alice, g.id, [{ at: '2026-11-25T09:00:30Z', cwd: '/srv', command: 'aws ec2 stop-instances', exitCode: 0, source: 'exec' }]);
  h.cloud.events = [
    { eventId: 'e1', at: '2026-11-25T09:00:31Z', eventSource: 'ec2.amazonaws.com', eventName: 'StopInstances', principalArn: `arn:aws:sts::123456789012:assumed-role/prod-operator/tidemark-${g.id}`, sourceIdentity: 'alice', resources: ['i-1'] },
    { eventId: 'e2', at: '2026-11-25T09:00:40Z', eventSource: 's3.amazonaws.com', eventName: 'PutObject', accessKeyId: creds.accessKeyId, resources: [] },
    { eventId: 'e3', at: '2026-11-25T09:00:50Z', eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket', principalArn: 'arn:aws:sts::123456789012:assumed-role/prod-operator/someone-else', resources: [] },
  ];
  const t1 = await h.broker.timeline(h.alice, g.id);
  assert.deepEqual(t1.entries.filter((e) => e.kind !== 'state').map((e) => (e.kind === 'api' ? e.event.eventName : 'command')), ['command', 'StopInstances', 'PutObject']);
  await h.broker.timeline(h.bob, g.id);
  assert.equal((await h.broker.auditExport()).filter((r) => r.kind === 'api-event').length, 2, 'each event is audited once');
  assert.ok(!JSON.stringify(await dumpLedger(h.ledger)).includes(creds.accessKeyId));
  await assert.rejects(h.broker.timeline({ arn: 'arn:aws:iam::123456789012:user/mallory', name: 'mallory', groups: [] }, g.id), rejectsWith('forbidden'));
});

test('tampering with one stored audit record is detected and named', async () => {
  const h = await harness();
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  await h.broker.approve(h.bob, g.id);
  await h.broker.release(h.alice, g.id);
  const intact = await h.broker.auditVerify();
  assert.equal(intact.ok, true);
  const records = await h.broker.auditExport();
  const victim = records.find((r) => r.kind === 'decision')!;
  await h.ledger.db.query(`UPDATE audit SET body = replace(body, 'bob', 'eve') WHERE seq = $1`, [victim.seq]);
  const broken = await h.broker.auditVerify();
  assert.equal(broken.ok, false);
  assert.equal(!broken.ok && broken.brokenAt, victim.seq);
  assert.match(!broken.ok ? broken.problem : '', new RegExp(`record #${victim.seq} \\(decision\\) was altered`));
});

test('grant events never go back: a notice that arrives after the grant moved on emits nothing', async () => {
  const h = await harness();
  const seen: string[] = [];
  h.broker.subscribe((e) => { if (e.type === 'grant') seen.push(`${e.grant.state}@${e.grant.version}`); });
  const g = await h.broker.request(h.alice, { role: 'prod-operator', durationSeconds: 3600, reason: 'x' });
  await h.broker.approve(h.bob, g.id);
  // The ledger's NOTIFY for `pending` delivered late (as PostgreSQL may, while the grant is already active).
  const onNotice = (h.broker as unknown as { onNotice(payload: string): Promise<void> }).onNotice.bind(h.broker);
  await onNotice(JSON.stringify({ id: g.id, state: 'pending', version: 1 }));
  const versions = seen.map((s) => Number(s.split('@')[1]));
  assert.ok(versions.length > 0, 'the grant was announced');
  assert.ok(versions.every((v, i) => i === 0 || v > versions[i - 1]), `each version once, in order: ${seen.join(' ')}`);
  assert.match(seen.at(-1) ?? '', /^active@/);
});
