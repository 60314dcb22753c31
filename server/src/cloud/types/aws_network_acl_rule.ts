// aws_network_acl_rule: one entry of an ACL, a member of the DescribeNetworkAcls family, found by
// (direction, rule number) in the ACL state records. Its id is `<acl>:<rule>:<egress>`.
import { DeleteNetworkAclEntryCommand, ReplaceNetworkAclEntryCommand } from '@aws-sdk/client-ec2';
import { member } from '../families/family';
import { aclKey, networkAclsFamily } from '../families/network-acls';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';
import { aclProtocol, atomOfBlock, entryRequest, ruleAttributes } from './nacl-common';

const isEgress = (a: Record<string, unknown>) => a.egress === true || a.egress === 'true';

export const awsNetworkAclRule: ResourceType = {
  type: 'aws_network_acl_rule',
  tags: false,
  attributes: [
    { name: 'network_acl_id', compare: 'scalar', forceNew: true },
    { name: 'rule_number', compare: 'scalar', forceNew: true },
    { name: 'egress', compare: 'scalar', default: false, forceNew: true },
    { name: 'protocol', compare: 'scalar', normalize: (v) => aclProtocol(v), severity: 'error' },
    { name: 'rule_action', compare: 'scalar', normalize: (v) => String(v).toLowerCase(), severity: 'error' },
    { name: 'cidr_block', compare: 'scalar', severity: 'error' },
    { name: 'ipv6_cidr_block', compare: 'scalar', severity: 'error' },
    { name: 'from_port', compare: 'scalar', severity: 'error' },
    { name: 'to_port', compare: 'scalar', severity: 'error' },
    { name: 'icmp_type', compare: 'scalar' },
    { name: 'icmp_code', compare: 'scalar' },
  ],
  family: member(networkAclsFamily, {
    keys: (t) => {
      const acl = str(t.state.attributes.network_acl_id);
      return acl ? [aclKey(acl)] : 'state records no network_acl_id for this rule';
    },
    pick(t, rows, ctx) {
      const attrs = t.state.attributes;
      const aclId = String(attrs.network_acl_id);
      const found = rows.lookup(aclKey(aclId));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const acl = found.items.find((a) => a.NetworkAclId === aclId);
      const entry = acl?.Entries?.find((e) => Boolean(e.Egress) === isEgress(attrs) && e.RuleNumber === Number(attrs.rule_number));
      if (!entry) return missingEntry(ctx, t.id, `network ACL ${aclId} has no ${isEgress(attrs) ? 'egress' : 'ingress'} rule ${String(attrs.rule_number)}`);
      return foundEntry(t, 'aws_network_acl_rule', ctx, ruleAttributes(aclId, entry, attrs));
    },
  }),
  idFromState: (a) => {
    const acl = str(a.network_acl_id);
    return acl && a.rule_number !== undefined && a.rule_number !== null ? `${acl}:${String(a.rule_number)}:${isEgress(a)}` : undefined;
  },
  importId: (live) => `${String(live.attributes.network_acl_id)}:${String(live.attributes.rule_number)}:${String(live.attributes.protocol)}:${String(live.attributes.egress)}`,
  suggestName: (live) => `${live.attributes.egress ? 'egress' : 'ingress'}_${String(live.attributes.rule_number)}`,

  async removeLive(live, clients) {
    const input = { NetworkAclId: String(live.attributes.network_acl_id), Egress: Boolean(live.attributes.egress), RuleNumber: Number(live.attributes.rule_number) };
    await clients.gate.call('ec2:DeleteNetworkAclEntry', () => clients.ec2.send(new DeleteNetworkAclEntryCommand(input)));
    return { ok: true, message: `rule ${input.RuleNumber} deleted from ${input.NetworkAclId}` };
  },

  async revert(request, clients) {
    const { attribute, declared, live } = request;
    if (['network_acl_id', 'rule_number', 'egress'].includes(attribute)) return cannotRevert(attribute);
    const merged = { ...live.attributes, [attribute]: declared };
    const atom = atomOfBlock({ ...merged, rule_no: merged.rule_number, action: merged.rule_action });
    const input = entryRequest(String(live.attributes.network_acl_id), Boolean(live.attributes.egress), atom);
    await clients.gate.call('ec2:ReplaceNetworkAclEntry', () => clients.ec2.send(new ReplaceNetworkAclEntryCommand(input)));
    return { ok: true, message: `${attribute} restored on rule ${atom.rule_no}` };
  },
};
