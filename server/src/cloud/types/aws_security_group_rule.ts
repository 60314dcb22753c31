// aws_security_group_rule (the classic rule type): one rule block with possibly several sources,
// a member of the DescribeSecurityGroupRules family. It has no AWS id: it is found by content
// (direction, protocol, ports, source) among its group's rules, as the provider does. A source it
// declares that is no longer live shows as drift on its list; all of them gone is a missing rule.
import { AuthorizeSecurityGroupEgressCommand, AuthorizeSecurityGroupIngressCommand, ModifySecurityGroupRulesCommand, SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { Known } from '../../drift/values';
import { member } from '../families/family';
import { groupKey, securityGroupRulesFamily } from '../families/security-group-rules';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';
import { atomOf, classicRuleKeys, contentKey } from './sg-members';
import { normalizeProtocol, permissionsFromAtoms, RuleAtom } from './sg-rules';

const LISTS: Array<[string, string]> = [['cidr_blocks', 'cidr'], ['ipv6_cidr_blocks', 'cidr6'], ['prefix_list_ids', 'pl']];

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The live rules a classic rule's state declares, by content key. */
function matches(attrs: Record<string, unknown>, groupId: string, rules: SecurityGroupRule[]): Map<string, SecurityGroupRule> {
  const wanted = new Set(classicRuleKeys(attrs, groupId));
  const egress = attrs.type === 'egress';
  const out = new Map<string, SecurityGroupRule>();
  for (const r of rules) {
    const atom = atomOf(r);
    if (!atom || Boolean(r.IsEgress) !== egress) continue;
    const key = contentKey(egress, atom);
    if (wanted.has(key)) out.set(key, r);
  }
  return out;
}

export const awsSecurityGroupRule: ResourceType = {
  type: 'aws_security_group_rule',
  tags: false,
  attributes: [
    { name: 'cidr_blocks', compare: 'set', severity: 'error' },
    { name: 'ipv6_cidr_blocks', compare: 'set', severity: 'error' },
    { name: 'prefix_list_ids', compare: 'set', severity: 'error' },
    { name: 'description', compare: 'scalar' },
  ],
  notCompared: {
    type: 'identity: the rule is found by direction, protocol, ports and source',
    protocol: 'identity', from_port: 'identity', to_port: 'identity',
    source_security_group_id: 'identity (a rule whose source group is gone is missing)', self: 'identity',
    security_group_rule_id: 'computed: the provider records the first matching AWS rule id',
  },
  family: member(securityGroupRulesFamily, {
    keys: (t) => {
      const group = str(t.state.attributes.security_group_id);
      return group ? [groupKey(group)] : 'state records no security_group_id for this rule';
    },
    pick(t, rows, ctx) {
      const attrs = t.state.attributes;
      const groupId = String(attrs.security_group_id);
      const found = rows.lookup(groupKey(groupId));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const live = matches(attrs, groupId, found.items);
      if (live.size === 0) return missingEntry(ctx, t.id, `no rule of ${groupId} matches ${t.address}`);
      const present = (kind: string, value: string) => [...live.keys()].some((k) => k.endsWith(` ${kind}:${value}`));
      const attributes: Record<string, unknown> = { security_group_id: groupId, type: attrs.type, protocol: normalizeProtocol(attrs.protocol) };
      for (const [name, kind] of LISTS) attributes[name] = strings(attrs[name]).filter((v) => present(kind, v));
      attributes.description = [...live.values()][0]?.Description ?? '';
      // Not compared: what the description writer needs (the AWS rules this block stands for).
      attributes.matched_rules = [...live.values()].map((r) => ({ id: r.SecurityGroupRuleId, atom: atomOf(r) }));
      return foundEntry(t, 'aws_security_group_rule', ctx, attributes);
    },
  }),
  idFromState: (a) => str(a.id),
  importId: (live) => String(live.id),
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_'),

  async revert(request, clients) {
    const { attribute, declared, state, live } = request;
    const groupId = String(state.attributes.security_group_id);
    const egress = state.attributes.type === 'egress';
    const protocol = normalizeProtocol(state.attributes.protocol);
    const [from, to] = protocol === '-1' ? [0, 0] : [Number(state.attributes.from_port ?? 0), Number(state.attributes.to_port ?? 0)];
    const description = typeof state.attributes.description === 'string' ? state.attributes.description : '';
    const list = LISTS.find(([name]) => name === attribute);
    if (list) {
      const have = new Set(strings(live.attributes[attribute]));
      const missing = strings(declared as Known[]).filter((v) => !have.has(v));
      if (!missing.length) return { ok: true, message: `${attribute}: nothing to authorize` };
      const atoms: RuleAtom[] = missing.map((v) => ({ protocol, from, to, source: `${list[1]}:${v}`, description }));
      const input = { GroupId: groupId, IpPermissions: permissionsFromAtoms(atoms) };
      if (egress) await clients.gate.call('ec2:AuthorizeSecurityGroupEgress', () => clients.ec2.send(new AuthorizeSecurityGroupEgressCommand(input)));
      else await clients.gate.call('ec2:AuthorizeSecurityGroupIngress', () => clients.ec2.send(new AuthorizeSecurityGroupIngressCommand(input)));
      return { ok: true, message: `${attribute}: ${missing.length} source(s) authorized again` };
    }
    if (attribute !== 'description') return cannotRevert(attribute);
    const text = typeof declared === 'string' ? declared : '';
    const matched = (live.attributes.matched_rules ?? []) as Array<{ id: string; atom: RuleAtom }>;
    await clients.gate.call('ec2:ModifySecurityGroupRules', () => clients.ec2.send(new ModifySecurityGroupRulesCommand({
      GroupId: groupId,
      SecurityGroupRules: matched.map(({ id, atom }) => {
        const value = atom.source.slice(atom.source.indexOf(':') + 1);
        const kind = atom.source.slice(0, atom.source.indexOf(':'));
        return {
          SecurityGroupRuleId: id,
          SecurityGroupRule: {
            IpProtocol: atom.protocol, FromPort: atom.protocol === '-1' ? -1 : atom.from, ToPort: atom.protocol === '-1' ? -1 : atom.to,
            CidrIpv4: kind === 'cidr' ? value : undefined, CidrIpv6: kind === 'cidr6' ? value : undefined,
            PrefixListId: kind === 'pl' ? value : undefined, ReferencedGroupId: kind === 'sg' ? value : undefined,
            Description: text || undefined,
          },
        };
      }),
    })));
    return { ok: true, message: `description restored on ${matched.length} rule(s)` };
  },
};
