// The unmanaged rules of a managed security group: every live rule that no inline block, no
// aws_vpc_security_group_{ingress,egress}_rule and no aws_security_group_rule declares.
import type { SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { LiveResource, StateInstance } from '../../model';
import type { FamilyRows } from '../families/family';
import { groupKey, securityGroupRulesFamily } from '../families/security-group-rules';
import { str } from './common';
import type { ContainerMembers, InstancesByType, ReadTarget } from './resource-type';
import { ruleAttributes } from './sg-rule-resource';
import { atomsFromPermissions, normalizeProtocol, rulePhrase, RuleAtom } from './sg-rules';

const WORLD = new Set(['cidr:0.0.0.0/0', 'cidr6:::/0']);

export function atomOf(r: SecurityGroupRule): RuleAtom | undefined {
  return atomsFromPermissions([{
    IpProtocol: r.IpProtocol, FromPort: r.FromPort, ToPort: r.ToPort,
    IpRanges: r.CidrIpv4 ? [{ CidrIp: r.CidrIpv4 }] : undefined,
    Ipv6Ranges: r.CidrIpv6 ? [{ CidrIpv6: r.CidrIpv6 }] : undefined,
    PrefixListIds: r.PrefixListId ? [{ PrefixListId: r.PrefixListId }] : undefined,
    UserIdGroupPairs: r.ReferencedGroupInfo?.GroupId ? [{ GroupId: r.ReferencedGroupInfo.GroupId }] : undefined,
  }])[0];
}

/** Rule content without its description: what a classic aws_security_group_rule claims. */
export const contentKey = (egress: boolean, a: RuleAtom) => `${egress ? 'egress' : 'ingress'} ${a.protocol} ${a.from} ${a.to} ${a.source}`;

/** The content keys an aws_security_group_rule state instance declares (one per source). */
export function classicRuleKeys(attrs: Record<string, unknown>, groupId: string): string[] {
  const egress = attrs.type === 'egress';
  const protocol = normalizeProtocol(attrs.protocol);
  const [from, to] = protocol === '-1' ? [0, 0] : [Number(attrs.from_port ?? 0), Number(attrs.to_port ?? 0)];
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const sources = [
    ...list(attrs.cidr_blocks).map((c) => `cidr:${c}`),
    ...list(attrs.ipv6_cidr_blocks).map((c) => `cidr6:${c}`),
    ...list(attrs.prefix_list_ids).map((c) => `pl:${c}`),
    ...(str(attrs.source_security_group_id) ? [`sg:${attrs.source_security_group_id}`] : []),
    ...(attrs.self === true ? [`sg:${groupId}`] : []),
  ];
  return sources.map((source) => contentKey(egress, { protocol, from, to, source, description: '' }));
}

function rulesOfGroup(declared: InstancesByType, type: string, groupId: string): StateInstance[] {
  return (declared.get(type) ?? []).filter((i) => i.attributes.security_group_id === groupId);
}

export const securityGroupMembers: ContainerMembers = {
  family: securityGroupRulesFamily,
  managesMembers: (t, declared) =>
    ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group_rule'].some((type) => rulesOfGroup(declared, type, t.id).length > 0),
  keys: (t: ReadTarget) => [groupKey(t.id)],
  unmanaged(target, container, rows, declared, ctx) {
    const groupId = target.id;
    const found = (rows as FamilyRows<SecurityGroupRule>).lookup(groupKey(groupId));
    if ('failure' in found) return [];
    const standalone = [...rulesOfGroup(declared, 'aws_vpc_security_group_ingress_rule', groupId), ...rulesOfGroup(declared, 'aws_vpc_security_group_egress_rule', groupId)];
    const classic = rulesOfGroup(declared, 'aws_security_group_rule', groupId);
    // Only a group whose rules are managed as rule resources: inline blocks are compared on the group itself.
    if (standalone.length === 0 && classic.length === 0) return [];
    const claimedIds = new Set(standalone.map((i) => str(i.attributes.security_group_rule_id) ?? str(i.attributes.id)));
    const claimedContent = new Set(classic.flatMap((i) => classicRuleKeys(i.attributes, groupId)));
    const inline = { ingress: Boolean(target.needs?.has('ingress')), egress: Boolean(target.needs?.has('egress')) };
    const out: LiveResource[] = [];
    for (const rule of found.items) {
      const egress = Boolean(rule.IsEgress);
      const atom = atomOf(rule);
      if (!rule.SecurityGroupRuleId || !atom || inline[egress ? 'egress' : 'ingress']) continue;
      if (claimedIds.has(rule.SecurityGroupRuleId) || claimedContent.has(contentKey(egress, atom))) continue;
      const direction = egress ? 'egress' : 'ingress';
      const open = !egress && WORLD.has(atom.source);
      out.push({
        type: `aws_vpc_security_group_${direction}_rule`, address: '', id: rule.SecurityGroupRuleId, readAt: ctx.now,
        attributes: ruleAttributes(rule),
        container: {
          resourceAddress: target.state.resourceAddress,
          severity: open ? 'error' : 'warning',
          note: `unmanaged rule ${rulePhrase(atom, groupId, direction)} on ${container.address || target.address}: no rule resource or inline block declares it`,
        },
      });
    }
    return out;
  },
};
