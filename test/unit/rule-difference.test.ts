// Tables: security group rules as short phrases, set differences of them, and the drift sentence,
// hover and squiggle range that use them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rulePhrases } from '../../server/src/cloud/types/sg-rules';
import { differenceLines, driftMessage, fullDifference, setDifference, shortDifference } from '../../server/src/drift/describe';
import type { Drift } from '../../server/src/model';
import { driftHover } from '../../server/src/lsp/drift-hover';
import { diff, instance, live } from '../drift/helpers';

const rule = (o: Record<string, unknown>) => ({ protocol: 'tcp', cidr_blocks: [], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false, description: '', ...o });

test('one rule, one short phrase: protocol, ports, peer, description', () => {
  const cases: Array<[Record<string, unknown>, 'ingress' | 'egress', string[]]> = [
    [{ from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'] }, 'ingress', ['tcp 22 from 0.0.0.0/0']],
    [{ from_port: 443, to_port: 443, cidr_blocks: ['10.0.0.0/8'], ipv6_cidr_blocks: ['::/0'], description: 'HTTPS' }, 'ingress', ['tcp 443 from 10.0.0.0/8 ("HTTPS")', 'tcp 443 from ::/0 ("HTTPS")']],
    [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'] }, 'egress', ['all traffic to 0.0.0.0/0']],
    [{ protocol: '6', from_port: 1024, to_port: 65535, security_groups: ['sg-9'] }, 'ingress', ['tcp 1024-65535 from sg-9']],
    [{ protocol: 'udp', from_port: 0, to_port: 65535, self: true }, 'ingress', ['udp all ports from self']],
    [{ protocol: 'icmp', from_port: 8, to_port: 0, prefix_list_ids: ['pl-1'] }, 'ingress', ['icmp type 8 code 0 from pl-1']],
    [{ protocol: 'icmp', from_port: -1, to_port: -1, cidr_blocks: ['10.0.0.0/8'] }, 'ingress', ['icmp from 10.0.0.0/8']],
    [{ protocol: '50', from_port: 0, to_port: 0, cidr_blocks: ['10.0.0.0/8'] }, 'egress', ['protocol 50 to 10.0.0.0/8']],
  ];
  for (const [block, direction, want] of cases) assert.deepEqual(rulePhrases([rule(block)], 'sg-self', direction), want, JSON.stringify(block));
});

test('a set difference in short human terms: + live only, - code only, and the whole set as a diff', () => {
  const d = setDifference(['tcp 443 from 0.0.0.0/0', 'tcp 443 from 10.0.0.0/8'], ['tcp 443 from 0.0.0.0/0', 'tcp 22 from 0.0.0.0/0']);
  assert.deepEqual(d, { added: ['tcp 22 from 0.0.0.0/0'], removed: ['tcp 443 from 10.0.0.0/8'], kept: ['tcp 443 from 0.0.0.0/0'] });
  assert.deepEqual(differenceLines(d), ['+ tcp 22 from 0.0.0.0/0', '- tcp 443 from 10.0.0.0/8']);
  assert.equal(shortDifference(d), '+ tcp 22 from 0.0.0.0/0, - tcp 443 from 10.0.0.0/8');
  assert.equal(shortDifference(d, 1), '+ tcp 22 from 0.0.0.0/0 (+1 more)');
  assert.equal(fullDifference(d), ['+ tcp 22 from 0.0.0.0/0', '  tcp 443 from 0.0.0.0/0', '- tcp 443 from 10.0.0.0/8'].join('\n'));
  assert.deepEqual(setDifference(['a', 'a'], ['a']), { added: [], removed: [], kept: ['a'] }, 'a set: duplicates are one element');
});

const https = rule({ from_port: 443, to_port: 443, cidr_blocks: ['0.0.0.0/0'], description: 'HTTPS' });
const ssh = rule({ from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'] });
const ingressDrift: Drift = {
  address: 'aws_security_group.web', file: '/ws/network.tf', attributePath: ['ingress'], declared: [https], live: [https, ssh],
  range: { start: { line: 39, character: 0 }, end: { line: 39, character: 36 } }, kind: 'changed', confidence: 'proven', basis: 'declared',
  difference: setDifference(rulePhrases([https], 'sg-1', 'ingress'), rulePhrases([https, ssh], 'sg-1', 'ingress')),
};

test('the drift sentence names the rule that differs, not the rule both sides share', () => {
  const message = driftMessage(ingressDrift);
  assert.equal(message, 'aws_security_group.web: ingress differs from the configuration: + tcp 22 from 0.0.0.0/0 (+ live only, - code only)');
  assert.doesNotMatch(message, /443/);
});

test('the hover shows the rule set as a diff instead of two JSON lists', () => {
  const hover = driftHover([ingressDrift], undefined, new Date())!.value;
  assert.match(hover, /```diff\n\+ tcp 22 from 0\.0\.0\.0\/0\n {2}tcp 443 from 0\.0\.0\.0\/0 \("HTTPS"\)\n```/);
  assert.doesNotMatch(hover, /```json/);
});

const SG = `
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port = 80
    to_port   = 80
    protocol  = "tcp"
    self      = true
  }
}
`;
const sgState = [instance('aws_security_group.web', { id: 'sg-1' })];
const sgLive = (ingress: unknown[]) => live('aws_security_group.web', 'aws_security_group', 'sg-1', { name: 'web', ingress, egress: [], tags: {} });
const httpsLive = rule({ from_port: 443, to_port: 443, cidr_blocks: ['0.0.0.0/0'], description: 'HTTPS' });
const selfLive = rule({ from_port: 80, to_port: 80, security_groups: ['sg-1'] });

test('a live rule the code does not declare is squiggled on the resource header, not on an unrelated ingress block', async () => {
  const r = await diff({ files: { 'main.tf': SG }, state: sgState, live: [sgLive([httpsLive, selfLive, ssh])] });
  const [d] = r.drifts;
  assert.equal(d?.range.start.line, 1, 'the `resource "aws_security_group" "web"` line');
  assert.deepEqual(d?.difference, { added: ['tcp 22 from 0.0.0.0/0'], removed: [], kept: ['tcp 443 from 0.0.0.0/0 ("HTTPS")', 'tcp 80 from self'] });
  assert.match(driftMessage(d!), /ingress differs from the configuration: \+ tcp 22 from 0\.0\.0\.0\/0 /);
});

test('a declared rule missing live is squiggled on its own block', async () => {
  const r = await diff({ files: { 'main.tf': SG }, state: sgState, live: [sgLive([httpsLive])] });
  const [d] = r.drifts;
  assert.equal(d?.range.start.line, 10, 'the second ingress block (port 80 from self)');
  assert.deepEqual(d?.difference?.removed, ['tcp 80 from self']);
  // Both missing: no single block to blame, so the header.
  const both = await diff({ files: { 'main.tf': SG }, state: sgState, live: [sgLive([ssh])] });
  assert.equal(both.drifts[0]?.range.start.line, 1);
});
