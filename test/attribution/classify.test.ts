// Attribution tables over recorded event sets: which grant (or principal) explains a drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributedSeverity, classifyDrift, GrantEvidence, matchCommand, withAttribution, driftKey } from '../../server/src/attribution/classify';
import { eventExplains } from '../../server/src/attribution/event-attributes';
import type { ChangeEvent } from '../../server/src/model';
import { at, command, drift, event, evidence, grant, NOW, ROLE_READONLY } from './fixtures';

const ingress = drift(['ingress']);
const classify = (events: ChangeEvent[], grants: GrantEvidence[] | undefined, d = ingress, now = NOW) => classifyDrift({ drift: d, events, grants, now });

test('a change made in an active grant\'s session is information, with the person, time and command', () => {
  const g = grant({ id: 'g-42' });
  const cmd = 'aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 22 --cidr 0.0.0.0/0';
  const a = classify(
    [event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:31:07'), session: 'tidemark-g-42', sourceIdentity: 'alice' })],
    [evidence(g, [command('g-42', at('10:20:00'), 'aws sts get-caller-identity'), command('g-42', at('10:31:05'), cmd)])],
  );
  assert.equal(a.class, 'active-grant');
  assert.equal(a.grantId, 'g-42');
  assert.equal(a.actor, 'alice');
  assert.equal(a.command, cmd);
  assert.equal(a.eventName, 'ec2:AuthorizeSecurityGroupIngress');
  assert.equal(attributedSeverity({ severity: 'warning', attribution: a }), 'info');
  assert.match(a.summary, /^changed by alice under grant g-42, 10:31 UTC, `aws ec2 authorize-security-group-ingress --group-id sg-1/);
});

test('a change under a grant that has since ended is a warning naming how it ended', () => {
  const table: Array<[Partial<Parameters<typeof grant>[0]>, RegExp]> = [
    [{ state: 'revoked', endedAt: at('10:35:00') }, /grant g-1 \(revoked 10:35 UTC\).*not reverted or adopted/],
    [{ state: 'expired', endedAt: at('10:30:00'), endsAt: at('10:30:00') }, /\(expired 10:30 UTC\)/],
    [{ state: 'ended-early', endedAt: at('10:33:00') }, /\(released 10:33 UTC\)/],
  ];
  for (const [g, summary] of table) {
    const a = classify([event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:12:00'), session: 'tidemark-g-1', sourceIdentity: 'alice' })], [evidence(grant({ id: 'g-1', ...g }))]);
    assert.equal(a.class, 'ended-grant', JSON.stringify(g));
    assert.match(a.summary, summary);
    assert.equal(attributedSeverity({ severity: 'info', attribution: a }), 'warning');
  }
});

test('several grants overlapping: each event goes to the grant whose session made it', () => {
  const alice = grant({ id: 'g-a', who: 'alice' });
  const bob = grant({ id: 'g-b', who: 'bob', activatedAt: at('10:05:00') });
  const grants = [evidence(alice), evidence(bob)];
  const byBob = classify([event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:20:00'), session: 'tidemark-g-b', sourceIdentity: 'bob' })], grants);
  assert.equal(byBob.grantId, 'g-b');
  assert.equal(byBob.actor, 'bob');
  // Alice holds two overlapping grants on different roles; a chained session keeps only her
  // SourceIdentity, so the role she acted through picks the grant.
  const ro = grant({ id: 'g-ro', who: 'alice', roleArn: ROLE_READONLY, activatedAt: at('10:10:00') });
  const chained = event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:25:00'), role: 'prod-operator', session: 'alice-chained', sourceIdentity: 'alice' });
  assert.equal(classify([chained], [evidence(ro), evidence(alice), evidence(bob)]).grantId, 'g-a');
  const viaReadonly = { ...chained, principalArn: chained.principalArn!.replace('prod-operator', 'prod-readonly') };
  assert.equal(classify([viaReadonly], [evidence(ro), evidence(alice), evidence(bob)]).grantId, 'g-ro');
});

test('the same attribute changed twice: the latest change explains the drift', () => {
  const grants = [evidence(grant({ id: 'g-a', who: 'alice' })), evidence(grant({ id: 'g-b', who: 'bob' }))];
  const first = event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:10:00'), session: 'tidemark-g-a', sourceIdentity: 'alice' });
  const second = event({ name: 'RevokeSecurityGroupIngress', at: at('10:15:00'), session: 'tidemark-g-b', sourceIdentity: 'bob' });
  assert.equal(classify([first, second], grants).grantId, 'g-b');
  assert.equal(classify([second, first], grants).grantId, 'g-b', 'order of delivery does not matter');
  // A later write that cannot change the attribute (a tag) does not take the attribution.
  const tag = event({ name: 'CreateTags', at: at('10:20:00'), user: 'carol' });
  assert.equal(classify([first, second, tag], grants).grantId, 'g-b');
  assert.equal(classify([first, second, tag], grants, drift(['tags', 'Env'])).class, 'no-grant');
});

test('an event without SourceIdentity still matches by session name, by the broker\'s event list, or by access key', () => {
  const g = grant({ id: 'g-7' });
  const bySession = event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:10:00'), session: 'tidemark-g-7' });
  assert.equal(classify([bySession], [evidence(g)]).class, 'active-grant');
  const byEvent = event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:10:00'), session: 'renamed', id: 'ev-known' });
  assert.equal(classify([byEvent], [evidence(g, [], { eventIds: ['ev-known'] })]).grantId, 'g-7');
  const byKey = event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:10:00'), session: 'renamed', keyFingerprint: 'fp1' });
  assert.equal(classify([byKey], [evidence(g, [], { keyFingerprints: ['fp0', 'fp1'] })]).grantId, 'g-7');
  // Nothing ties it to a grant: an unauthorized change, naming the principal.
  const bare = classify([event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:10:00'), session: 'renamed' })], [evidence(g)]);
  assert.equal(bare.class, 'no-grant');
  assert.equal(bare.actor, 'renamed');
  assert.match(bare.summary, /assumed-role\/prod-operator\/renamed/);
});

test('clock skew of a few seconds is tolerated, more is not', () => {
  const g = grant({ id: 'g-s', activatedAt: at('10:00:00') });
  // CloudTrail's clock is 3 s behind the broker's: the call appears just before activation.
  const early = event({ name: 'AuthorizeSecurityGroupIngress', at: at('09:59:57'), session: 'tidemark-g-s', sourceIdentity: 'alice' });
  assert.equal(classify([early], [evidence(g)]).class, 'active-grant');
  // The terminal's clock is 3 s ahead: the command appears after the call it issued.
  const e = event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:10:00'), session: 'tidemark-g-s' });
  const ahead = command('g-s', at('10:10:03'), 'aws ec2 authorize-security-group-ingress --group-id sg-1');
  assert.equal(matchCommand(e, [command('g-s', at('10:05:00'), 'ls'), ahead], ['sg-1'])?.command, ahead.command);
  assert.equal(matchCommand(e, [command('g-s', at('10:10:12'), 'aws ec2 authorize-security-group-ingress')], ['sg-1']), undefined, '12 s is not skew');
  // Without a command naming the call, the latest one started before the event wins.
  assert.equal(matchCommand(e, [command('g-s', at('10:09:00'), 'make fix'), command('g-s', at('10:09:30'), './fix.sh')], ['sg-1'])?.command, './fix.sh');
});

test('an event before the grant was active is not under it', () => {
  const g = grant({ id: 'g-late', activatedAt: at('10:30:00') });
  const bySourceIdentity = classify([event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:20:00'), session: 'alice-own', sourceIdentity: 'alice' })], [evidence(g)]);
  assert.equal(bySourceIdentity.class, 'no-grant');
  assert.equal(bySourceIdentity.actor, 'alice');
  const bySession = classify([event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:20:00'), session: 'tidemark-g-late', sourceIdentity: 'alice' })], [evidence(g)]);
  assert.equal(bySession.class, 'no-grant');
  assert.match(bySession.summary, /before the grant was active/);
  // After the grant ended, its credentials no longer stand for an approved change.
  const ended = grant({ id: 'g-old', state: 'revoked', activatedAt: at('10:00:00'), endedAt: at('10:10:00') });
  const after = classify([event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:12:00'), session: 'tidemark-g-old', sourceIdentity: 'alice' })], [evidence(ended)]);
  assert.equal(after.class, 'no-grant');
  assert.match(after.summary, /after the grant ended/);
});

test('a session name claiming a grant the broker does not know, or another person\'s grant, is unauthorized', () => {
  const g = grant({ id: 'g-real', who: 'alice' });
  const forged = classify([event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:10:00'), session: 'tidemark-g-fake', sourceIdentity: 'mallory' })], [evidence(g)]);
  assert.equal(forged.class, 'no-grant');
  assert.match(forged.summary, /g-fake, which the broker does not know/);
  const borrowed = classify([event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:10:00'), session: 'tidemark-g-real', sourceIdentity: 'mallory' })], [evidence(g)]);
  assert.equal(borrowed.class, 'no-grant');
  assert.equal(borrowed.actor, 'mallory');
});

test('read-only and refused calls are ignored', () => {
  const g = grant({ id: 'g-r' });
  const change = event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:10:00'), session: 'tidemark-g-r', sourceIdentity: 'alice' });
  const read = event({ name: 'DescribeSecurityGroups', at: at('10:20:00'), user: 'carol', readOnly: true });
  const refused = event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:21:00'), user: 'carol', errorCode: 'Client.UnauthorizedOperation' });
  const a = classify([change, read, refused], [evidence(g)]);
  assert.equal(a.class, 'active-grant');
  assert.equal(a.grantId, 'g-r');
  assert.equal(classify([read, refused], [evidence(g)]).class, 'unknown');
});

test('unknown when no event explains the drift: says so and names the CloudTrail delay', () => {
  const none = classifyDrift({ drift: ingress, events: [], grants: [], now: NOW }, { searchedSince: at('09:40:00') });
  assert.equal(none.class, 'unknown');
  assert.equal(none.grantId, undefined);
  assert.match(none.summary, /no CloudTrail event since 09:40 UTC explains the change to `ingress` yet/);
  assert.match(none.summary, /several minutes/);
  assert.equal(attributedSeverity({ severity: 'warning', attribution: none }), 'warning', 'unknown keeps the drift\'s own severity');
  const unrelated = classify([event({ name: 'CreateTags', at: at('10:10:00'), user: 'carol' })], []);
  assert.equal(unrelated.class, 'unknown');
  assert.match(unrelated.summary, /1 other write on sg-1 cannot change it/);
});

test('without a broker: changes outside Tidemark sessions are still unauthorized; Tidemark sessions are unconfirmed', () => {
  const carol = classifyDrift({ drift: drift(['instance_type'], { address: 'aws_instance.web', liveId: 'i-1' }), events: [event({ name: 'ModifyInstanceAttribute', at: at('10:10:00'), user: 'carol', resources: ['i-1'] })], grants: undefined, now: NOW });
  assert.equal(carol.class, 'no-grant');
  assert.equal(carol.actor, 'carol');
  assert.equal(carol.principalArn, 'arn:aws:iam::123456789012:user/carol');
  assert.equal(attributedSeverity({ severity: 'info', attribution: carol }), 'error');
  const session = classify([event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:10:00'), session: 'tidemark-g-9', sourceIdentity: 'alice' })], undefined);
  assert.equal(session.class, 'unknown');
  assert.equal(session.grantId, 'g-9');
  assert.match(session.summary, /no access broker reachable/);
});

test('events explain only the attributes they can change; the request narrows many-attribute calls', () => {
  assert.ok(eventExplains({ eventName: 'ModifyInstanceAttribute' }, ['instance_type']));
  assert.ok(eventExplains({ eventName: 'ModifyInstanceAttribute', parameterNames: ['instanceId', 'instanceType'] }, ['instance_type']));
  assert.ok(!eventExplains({ eventName: 'ModifyInstanceAttribute', parameterNames: ['instanceId', 'sourceDestCheck'] }, ['instance_type']));
  assert.ok(eventExplains({ eventName: 'CreateTags' }, ['tags', 'Env']));
  assert.ok(!eventExplains({ eventName: 'CreateTags' }, ['ingress']));
  assert.ok(eventExplains({ eventName: 'TerminateInstances' }, []));
  assert.ok(!eventExplains({ eventName: 'TerminateInstances' }, ['instance_type']));
  assert.ok(eventExplains({ eventName: 'PutParameter', parameterNames: ['name', 'description', 'overwrite'] }, ['description']));
  assert.ok(!eventExplains({ eventName: 'PutParameter', parameterNames: ['name', 'description', 'overwrite'] }, ['allowed_pattern']));
  assert.ok(!eventExplains({ eventName: 'PutParameter' }, ['tags', 'Team']));
  assert.ok(eventExplains({ eventName: 'AddTagsToResource' }, ['tags', 'Team']));
  assert.ok(eventExplains({ eventName: 'RunInstances' }, []));
  assert.ok(eventExplains({ eventName: 'SomeFutureCall' }, ['anything']), 'unknown calls may change anything');
  // Auto Scaling: a capacity change explains desired_capacity only; its tag calls explain tag blocks; a policy write explains any policy argument.
  assert.ok(eventExplains({ eventName: 'SetDesiredCapacity' }, ['desired_capacity']));
  assert.ok(!eventExplains({ eventName: 'SetDesiredCapacity' }, ['max_size']));
  assert.ok(eventExplains({ eventName: 'UpdateAutoScalingGroup', parameterNames: ['autoScalingGroupName', 'maxSize'] }, ['max_size']));
  assert.ok(!eventExplains({ eventName: 'UpdateAutoScalingGroup', parameterNames: ['autoScalingGroupName', 'maxSize'] }, ['min_size']));
  assert.ok(eventExplains({ eventName: 'CreateOrUpdateTags' }, ['tag']));
  assert.ok(eventExplains({ eventName: 'DeleteTags' }, ['tag']));
  assert.ok(eventExplains({ eventName: 'PutScalingPolicy', parameterNames: ['policyName', 'policyType', 'stepAdjustments'] }, ['step_adjustment']));
});

test('attributions attach by address and path; severity follows the class unless the drift is ignored', () => {
  const a = classify([event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:10:00'), user: 'carol' })], [], drift(['ingress']));
  const plain = drift(['ingress']);
  const ignored = drift(['egress'], { suppressed: { source: 'comment' }, severity: 'hint' });
  const map = new Map([[driftKey(plain), a], [driftKey(ignored), a]]);
  const [p, i, other] = withAttribution([plain, ignored, drift(['tags', 'Env'])], map);
  assert.equal(p!.severity, 'error');
  assert.equal(p!.attribution?.class, 'no-grant');
  assert.equal(i!.severity, 'hint');
  assert.equal(other!.attribution, undefined);
  assert.equal(plain.attribution, undefined, 'inputs are not mutated');
});

test('of several commands on the same instance, the one whose operation made the call is the command, not the nearest', () => {
  // The demo's sequence: stop, resize, start, typed in a row; StartInstances lands nearest to the resize.
  const modify = event({ name: 'ModifyInstanceAttribute', at: at('10:10:01'), session: 'tidemark-g-d', resources: ['i-1'], parameterNames: ['instanceId', 'instanceType'] });
  const typed = [
    command('g-d', at('10:09:58'), 'aws --endpoint-url http://127.0.0.1:4510 ec2 stop-instances --instance-ids i-1 --output text'),
    command('g-d', at('10:09:59'), 'aws --endpoint-url http://127.0.0.1:4510 ec2 modify-instance-attribute --instance-id i-1 --instance-type t3.large'),
    command('g-d', at('10:10:01'), 'aws --endpoint-url http://127.0.0.1:4510 ec2 start-instances --instance-ids i-1 --output text'),
  ];
  assert.equal(matchCommand(modify, typed, ['i-1'])?.command, typed[1]!.command);
  // The aws CLI v2's userAgent names the command: of two identical resizes, the one it names (by time) wins.
  const withUa = { ...modify, userAgent: 'aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12 prompt/off command/ec2.modify-instance-attribute' };
  assert.equal(matchCommand(withUa, typed, ['i-1'])?.command, typed[1]!.command);
  // Only commands of other operations near the call: none of them made it.
  assert.equal(matchCommand(modify, [typed[0]!, typed[2]!], ['i-1']), undefined);
  // A script may have made it: it stays a candidate.
  assert.equal(matchCommand(modify, [typed[0]!, command('g-d', at('10:10:00'), './resize.sh i-1')], ['i-1'])?.command, './resize.sh i-1');
  // And the full classification names the resize as the command.
  const g = grant({ id: 'g-d' });
  const a = classifyDrift({ drift: drift(['instance_type'], { address: 'aws_instance.worker', liveId: 'i-1' }), events: [modify], grants: [evidence(g, typed)], now: NOW });
  assert.equal(a.command, typed[1]!.command);
  assert.match(a.summary, /`aws --endpoint-url http:\/\/127\.0\.0\.1:4510 ec2 modify-instance-attribute/);
});
