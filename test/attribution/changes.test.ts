// A grant's changes: drifted, ignored, adopted into code, reverted — from attributed drifts and the grant's events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyDrift } from '../../server/src/attribution/classify';
import { grantChanges, ResourceRef } from '../../server/src/attribution/changes';
import { at, command, drift, event, evidence, grant, NOW } from './fixtures';

const g = grant({ id: 'g-42', state: 'revoked', endedAt: at('10:35:00') });
const sgEvent = event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:31:00'), session: 'tidemark-g-42', sourceIdentity: 'alice', resources: ['sg-1'] });
const typeEvent = event({ name: 'ModifyInstanceAttribute', at: at('10:32:00'), session: 'tidemark-g-42', sourceIdentity: 'alice', resources: ['i-1'], parameterNames: ['instanceId', 'instanceType'] });
const tagEvent = event({ name: 'CreateTags', at: at('10:33:00'), session: 'tidemark-g-42', sourceIdentity: 'alice', resources: ['sg-1'] });
const failed = event({ name: 'DeleteSecurityGroup', at: at('10:34:00'), session: 'tidemark-g-42', sourceIdentity: 'alice', resources: ['sg-1'], errorCode: 'Client.DependencyViolation' });
const commands = [
  command('g-42', at('10:30:58'), 'aws ec2 authorize-security-group-ingress --group-id sg-1 --port 22'),
  command('g-42', at('10:31:59'), 'aws ec2 modify-instance-attribute --instance-id i-1 --instance-type t3.large'),
];
const resources: ResourceRef[] = [
  { address: 'aws_security_group.web', names: ['sg-1', 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1'], file: '/ws/main.tf', live: { ingress: [{ from_port: 22 }], tags: { Env: 'prod', Owner: 'alice' } } },
  { address: 'aws_instance.web', names: ['i-1'], file: '/ws/main.tf', live: { instance_type: 't3.large', source_dest_check: true } },
];

function attributed(d: ReturnType<typeof drift>, events: typeof sgEvent[]) {
  return { ...d, attribution: classifyDrift({ drift: d, events, grants: [evidence(g, commands)], now: NOW }) };
}

test('a grant\'s changes: still drifted with before/after and command, adopted when code now matches, ignored when suppressed', () => {
  const ingress = attributed(drift(['ingress']), [sgEvent, tagEvent]);
  const tag = attributed(drift(['tags', 'Owner'], { declared: null, live: 'alice', suppressed: { source: 'comment', reason: 'owner tags are free' }, severity: 'hint' }), [sgEvent, tagEvent]);
  assert.equal(ingress.attribution.class, 'ended-grant');
  const changes = grantChanges({ grant: g, events: [sgEvent, typeEvent, tagEvent, failed], commands, drifts: [ingress, tag], resources });
  const byPath = new Map(changes.map((c) => [`${c.address} ${c.attributePath.join('.')}`, c]));
  const sg = byPath.get('aws_security_group.web ingress');
  assert.equal(sg?.status, 'drifted');
  assert.deepEqual(sg?.before, []);
  assert.deepEqual(sg?.after, [{ from_port: 22 }]);
  assert.equal(sg?.command, commands[0]!.command);
  assert.equal(sg?.eventName, 'ec2:AuthorizeSecurityGroupIngress');
  assert.equal(byPath.get('aws_security_group.web tags.Owner')?.status, 'ignored');
  // The instance type no longer drifts: the change was adopted into code.
  const adopted = byPath.get('aws_instance.web instance_type');
  assert.equal(adopted?.status, 'adopted');
  assert.equal(adopted?.after, 't3.large');
  assert.equal(adopted?.command, commands[1]!.command);
  assert.ok(!byPath.has('aws_instance.web source_dest_check'), 'only the attribute the call named');
  assert.ok(![...byPath.keys()].some((k) => k.startsWith('aws_security_group.web ') && k.endsWith(' ')), 'refused calls changed nothing');
  assert.deepEqual(changes.map((c) => c.at), [...changes.map((c) => c.at)].sort(), 'in time order');
});

test('a change Tidemark wrote back is reverted; a failed revert says why', () => {
  const changes = grantChanges({
    grant: g, events: [typeEvent], commands, drifts: [], resources,
    reverts: [{ address: 'aws_instance.web', attributePath: ['instance_type'], at: at('10:36:00'), ok: true, message: 'instance_type set back to t3.micro' }],
  });
  assert.equal(changes.length, 1);
  assert.equal(changes[0]!.status, 'reverted');
  assert.equal(changes[0]!.note, 'instance_type set back to t3.micro');
});

test('a change someone else changed again stays drifted and says who did', () => {
  const carol = event({ name: 'AuthorizeSecurityGroupIngress', at: at('10:38:00'), user: 'carol', resources: ['sg-1'] });
  const ingress = attributed(drift(['ingress']), [sgEvent, carol]);
  assert.equal(ingress.attribution.class, 'no-grant');
  const changes = grantChanges({ grant: g, events: [sgEvent], commands, drifts: [ingress], resources });
  assert.equal(changes.length, 1);
  assert.equal(changes[0]!.status, 'drifted');
  assert.match(changes[0]!.note ?? '', /changed again later: changed by carol/);
});
