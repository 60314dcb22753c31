// Shared by aws_vpc_security_group_ingress_rule and _egress_rule: both are members of the
// DescribeSecurityGroupRules family (read by group id) and write with ModifySecurityGroupRules.
// Only the direction differs.
import { ModifySecurityGroupRulesCommand, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand, SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { Known } from '../../drift/values';
import { member } from '../families/family';
import { groupKey, securityGroupRulesFamily } from '../families/security-group-rules';
import { cannotRevert, foundEntry, labelFrom, missingEntry, num, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';
import { normalizeProtocol } from './sg-rules';

/** Ports mean nothing for all-traffic rules: AWS reports -1, Terraform leaves them null. */
function port(protocol: unknown, v: unknown): Known {
  if (normalizeProtocol(protocol) === '-1') return null;
  return v === undefined || v === null ? null : Number(v);
}

export function ruleAttributes(r: SecurityGroupRule): Record<string, unknown> {
  return {
    security_group_id: r.GroupId,
    ip_protocol: normalizeProtocol(r.IpProtocol),
    from_port: port(r.IpProtocol, r.FromPort),
    to_port: port(r.IpProtocol, r.ToPort),
    cidr_ipv4: r.CidrIpv4 ?? null,
    cidr_ipv6: r.CidrIpv6 ?? null,
    prefix_list_id: r.PrefixListId ?? null,
    referenced_security_group_id: r.ReferencedGroupInfo?.GroupId ?? null,
    description: r.Description ?? null,
    tags: userTags(r.Tags),
  };
}

export function securityGroupRuleType(direction: 'ingress' | 'egress'): ResourceType {
  const type = `aws_vpc_security_group_${direction}_rule`;
  const egress = direction === 'egress';
  return {
    type,
    tags: true,
    taggingType: 'ec2:security-group-rule',
    attributes: [
      { name: 'security_group_id', compare: 'scalar', forceNew: true },
      { name: 'ip_protocol', compare: 'scalar', normalize: (v) => normalizeProtocol(v), severity: 'error' },
      { name: 'from_port', compare: 'scalar', severity: 'error' },
      { name: 'to_port', compare: 'scalar', severity: 'error' },
      { name: 'cidr_ipv4', compare: 'scalar', severity: 'error' },
      { name: 'cidr_ipv6', compare: 'scalar', severity: 'error' },
      { name: 'prefix_list_id', compare: 'scalar', severity: 'error' },
      { name: 'referenced_security_group_id', compare: 'scalar', severity: 'error' },
      { name: 'description', compare: 'scalar' },
    ],
    idFromState: (a) => str(a.security_group_rule_id) ?? str(a.id),
    idFromArn: (arn) => /:security-group-rule\/(sgr-[0-9a-f]+)$/.exec(arn)?.[1],
    importId: (live) => live.id,
    suggestName: (live) => labelFrom(live, live.id),

    family: member(securityGroupRulesFamily, {
      // Rules are listed per group: the group id recorded in state drives the filter.
      keys: (t) => {
        const group = str(t.state.attributes.security_group_id);
        return group ? [groupKey(group)] : 'state records no security_group_id for this rule';
      },
      pick(t, rows, ctx) {
        const found = rows.lookup(groupKey(String(t.state.attributes.security_group_id)));
        if ('failure' in found) return unknownEntry(ctx, found.failure);
        const rule = found.items.find((r) => r.SecurityGroupRuleId === t.id);
        if (!rule || rule.IsEgress !== egress) return missingEntry(ctx, t.id, `security group rule ${t.id} does not exist`);
        return foundEntry(t, type, ctx, ruleAttributes(rule));
      },
    }),

    async removeLive(live, clients) {
      const input = { GroupId: String(live.attributes.security_group_id), SecurityGroupRuleIds: [live.id] };
      if (egress) await clients.gate.call('ec2:RevokeSecurityGroupEgress', () => clients.ec2.send(new RevokeSecurityGroupEgressCommand(input)));
      else await clients.gate.call('ec2:RevokeSecurityGroupIngress', () => clients.ec2.send(new RevokeSecurityGroupIngressCommand(input)));
      return { ok: true, message: `${direction} rule ${live.id} revoked from ${input.GroupId}` };
    },

    async revert(request, clients) {
      const { attribute, declared, live, id } = request;
      if (attribute === 'tags') return revertEc2Tags(clients, request);
      if (attribute === 'security_group_id') return cannotRevert(attribute);
      const merged: Record<string, unknown> = { ...live.attributes, [attribute]: declared };
      const protocol = normalizeProtocol(merged.ip_protocol);
      const optional = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
      await clients.gate.call('ec2:ModifySecurityGroupRules', () =>
        clients.ec2.send(new ModifySecurityGroupRulesCommand({
          GroupId: String(live.attributes.security_group_id),
          SecurityGroupRules: [{
            SecurityGroupRuleId: id,
            SecurityGroupRule: {
              IpProtocol: protocol,
              FromPort: protocol === '-1' ? -1 : num(merged.from_port as Known),
              ToPort: protocol === '-1' ? -1 : num(merged.to_port as Known),
              CidrIpv4: optional(merged.cidr_ipv4),
              CidrIpv6: optional(merged.cidr_ipv6),
              PrefixListId: optional(merged.prefix_list_id),
              ReferencedGroupId: optional(merged.referenced_security_group_id),
              Description: optional(merged.description),
            },
          }],
        })));
      return { ok: true, message: `${attribute} restored on rule ${id}` };
    },
  };
}
