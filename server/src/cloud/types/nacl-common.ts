// Network ACL entries in one canonical form, shared by the ACL types and aws_network_acl_rule.
// Protocol names become numbers (tcp → 6), actions lower case; ports count only for TCP/UDP and
// ICMP type/code only for ICMP (the provider's default for both is 0). The fixed deny rule 32767
// is AWS's, never Terraform's.
import {
  CreateNetworkAclEntryCommand, DeleteNetworkAclEntryCommand, DescribeNetworkAclsCommand, NetworkAcl, NetworkAclEntry,
  ReplaceNetworkAclAssociationCommand, ReplaceNetworkAclEntryCommand,
} from '@aws-sdk/client-ec2';
import type { LiveResource } from '../../model';
import { canonicalJson, isObject, Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { member, type FamilyRows } from '../families/family';
import { aclKey, networkAclsFamily } from '../families/network-acls';
import { cannotRevert, foundEntry, missingEntry, revertEc2Tags, unknownEntry, userTags } from './common';
import type { ContainerMembers, ResourceType, RevertOutcome, RevertRequest } from './resource-type';

const NUMBERS: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58', all: '-1' };
export const aclProtocol = (p: unknown): string => {
  const s = String(p ?? '-1').toLowerCase();
  return NUMBERS[s] ?? s;
};

export interface AclAtom {
  rule_no: number;
  action: string;
  protocol: string;
  cidr_block: string;
  ipv6_cidr_block: string;
  from_port: number;
  to_port: number;
  icmp_type: number;
  icmp_code: number;
}

const n = (v: unknown, fallback = 0): number => (v === undefined || v === null || v === '' || Number.isNaN(Number(v)) ? fallback : Number(v));

export function atomOfBlock(b: Record<string, unknown>): AclAtom {
  const protocol = aclProtocol(b.protocol);
  const ported = protocol === '6' || protocol === '17';
  const icmp = protocol === '1' || protocol === '58';
  return {
    rule_no: n(b.rule_no ?? b.rule_number), action: String(b.action ?? b.rule_action ?? '').toLowerCase(), protocol,
    cidr_block: String(b.cidr_block ?? ''), ipv6_cidr_block: String(b.ipv6_cidr_block ?? ''),
    from_port: ported ? n(b.from_port) : 0, to_port: ported ? n(b.to_port) : 0,
    icmp_type: icmp ? n(b.icmp_type) : 0, icmp_code: icmp ? n(b.icmp_code) : 0,
  };
}

/** A live entry as the provider's `ingress`/`egress` block. */
export function blockOfEntry(e: NetworkAclEntry): Record<string, Known> {
  return {
    rule_no: e.RuleNumber ?? 0, action: String(e.RuleAction ?? ''), protocol: aclProtocol(e.Protocol),
    cidr_block: e.CidrBlock ?? '', ipv6_cidr_block: e.Ipv6CidrBlock ?? '',
    from_port: e.PortRange?.From ?? 0, to_port: e.PortRange?.To ?? 0, icmp_type: e.IcmpTypeCode?.Type ?? 0, icmp_code: e.IcmpTypeCode?.Code ?? 0,
  };
}

export const entriesOf = (a: NetworkAcl, egress: boolean): NetworkAclEntry[] => (a.Entries ?? []).filter((e) => Boolean(e.Egress) === egress && e.RuleNumber !== 32767);
const blocks = (v: Known): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x): x is Record<string, Known> => isObject(x)) : []);
export const canonicalAcl = (v: Known): Known => blocks(v).map((b) => ({ ...atomOfBlock(b) }));
export const aclPhrases = (v: Known): string[] => blocks(v).map(atomOfBlock).map((a) => {
  const proto = a.protocol === '-1' ? 'all' : a.protocol === '6' ? 'tcp' : a.protocol === '17' ? 'udp' : `protocol ${a.protocol}`;
  const ports = a.protocol === '6' || a.protocol === '17' ? ` ${a.from_port === a.to_port ? a.from_port : `${a.from_port}-${a.to_port}`}` : '';
  return `#${a.rule_no} ${a.action} ${proto}${ports} ${a.cidr_block || a.ipv6_cidr_block}`;
});

export function aclAttributes(a: NetworkAcl): Record<string, unknown> {
  return {
    vpc_id: a.VpcId,
    ingress: entriesOf(a, false).map(blockOfEntry),
    egress: entriesOf(a, true).map(blockOfEntry),
    subnet_ids: (a.Associations ?? []).map((x) => x.SubnetId).filter((s): s is string => Boolean(s)),
    owner_id: a.OwnerId,
    tags: userTags(a.Tags),
  };
}

export const aclMember = (type: string) => member(networkAclsFamily, {
  keys: (t) => [aclKey(t.id)],
  pick(t, rows, ctx) {
    const found = rows.lookup(aclKey(t.id));
    if ('failure' in found) return unknownEntry(ctx, found.failure);
    const a = found.items.find((x) => x.NetworkAclId === t.id);
    if (!a) return missingEntry(ctx, t.id, `network ACL ${t.id} does not exist`);
    return foundEntry(t, type, ctx, { ...aclAttributes(a), ...(type === 'aws_default_network_acl' ? { default_network_acl_id: t.id } : {}) });
  },
});

/** The request fields of Create/ReplaceNetworkAclEntry for one atom. */
export function entryRequest(aclId: string, egress: boolean, a: AclAtom) {
  const ported = a.protocol === '6' || a.protocol === '17';
  const icmp = a.protocol === '1' || a.protocol === '58';
  return {
    NetworkAclId: aclId, Egress: egress, RuleNumber: a.rule_no, Protocol: a.protocol, RuleAction: a.action as 'allow' | 'deny',
    CidrBlock: a.cidr_block || undefined, Ipv6CidrBlock: a.ipv6_cidr_block || undefined,
    PortRange: ported ? { From: a.from_port, To: a.to_port } : undefined,
    IcmpTypeCode: icmp ? { Type: a.icmp_type, Code: a.icmp_code } : undefined,
  };
}

/** Writes tags, `ingress`/`egress` (entry by entry) or `subnet_ids` (moving associations) back. */
export async function revertAcl(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> {
  const { attribute, id } = request;
  if (attribute === 'tags') return revertEc2Tags(clients, request);
  if (attribute === 'ingress' || attribute === 'egress') {
    const egress = attribute === 'egress';
    const want = new Map(blocks(request.declared).map(atomOfBlock).map((a) => [a.rule_no, a]));
    const have = new Map(blocks(request.live.attributes[attribute] as Known).map(atomOfBlock).map((a) => [a.rule_no, a]));
    let changed = 0;
    for (const [rule] of have) {
      if (want.has(rule)) continue;
      await clients.gate.call('ec2:DeleteNetworkAclEntry', () => clients.ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: id, Egress: egress, RuleNumber: rule })));
      changed++;
    }
    for (const [rule, a] of want) {
      const now = have.get(rule);
      if (now && canonicalJson({ ...now }) === canonicalJson({ ...a })) continue;
      const input = entryRequest(id, egress, a);
      if (now) await clients.gate.call('ec2:ReplaceNetworkAclEntry', () => clients.ec2.send(new ReplaceNetworkAclEntryCommand(input)));
      else await clients.gate.call('ec2:CreateNetworkAclEntry', () => clients.ec2.send(new CreateNetworkAclEntryCommand(input)));
      changed++;
    }
    return { ok: true, message: `${attribute}: ${changed} entr${changed === 1 ? 'y' : 'ies'} written back` };
  }
  if (attribute === 'subnet_ids') {
    const want = new Set((Array.isArray(request.declared) ? request.declared : []).map(String));
    const have = new Set((request.live.attributes.subnet_ids ?? []) as string[]);
    const vpc = String(request.live.attributes.vpc_id);
    const listed = await clients.gate.call('ec2:DescribeNetworkAcls', () => clients.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] })));
    const acls = listed.NetworkAcls ?? [];
    const associationOf = (subnet: string) => acls.flatMap((a) => a.Associations ?? []).find((x) => x.SubnetId === subnet)?.NetworkAclAssociationId;
    const fallback = acls.find((a) => a.IsDefault)?.NetworkAclId;
    const moves: Array<[string, string | undefined]> = [...[...want].filter((s) => !have.has(s)).map((s) => [s, id] as [string, string]), ...[...have].filter((s) => !want.has(s)).map((s) => [s, fallback] as [string, string | undefined])];
    for (const [subnet, target] of moves) {
      const association = associationOf(subnet);
      if (!association || !target) return { ok: false, message: `subnet ${subnet} has no association that can be moved` };
      await clients.gate.call('ec2:ReplaceNetworkAclAssociation', () => clients.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association, NetworkAclId: target })));
    }
    return { ok: true, message: `subnet_ids: ${moves.length} association(s) moved` };
  }
  return cannotRevert(attribute);
}

export const ACL_RULE_ATTRIBUTES: ResourceType['attributes'] = [
  { name: 'ingress', compare: 'blocks', normalize: (v) => canonicalAcl(v), phrases: (v) => aclPhrases(v), severity: 'error' },
  { name: 'egress', compare: 'blocks', normalize: (v) => canonicalAcl(v), phrases: (v) => aclPhrases(v), severity: 'error' },
];

const WORLD = new Set(['0.0.0.0/0', '::/0']);

/** Entries of a managed ACL that no aws_network_acl_rule declares (directions not declared inline). */
export const aclMembers: ContainerMembers = {
  family: networkAclsFamily,
  managesMembers: (t, declared) => (declared.get('aws_network_acl_rule') ?? []).some((i) => i.attributes.network_acl_id === t.id),
  keys: (t) => [aclKey(t.id)],
  unmanaged(target, container, rows, declared, ctx) {
    const found = (rows as FamilyRows<NetworkAcl>).lookup(aclKey(target.id));
    if ('failure' in found) return [];
    const acl = found.items.find((a) => a.NetworkAclId === target.id);
    const rules = (declared.get('aws_network_acl_rule') ?? []).filter((i) => i.attributes.network_acl_id === target.id);
    if (!acl || rules.length === 0) return [];
    const claimed = new Set(rules.map((i) => `${i.attributes.egress === true}:${n(i.attributes.rule_number)}`));
    const out: LiveResource[] = [];
    for (const egress of [false, true]) {
      if (target.needs?.has(egress ? 'egress' : 'ingress')) continue;
      for (const e of entriesOf(acl, egress)) {
        if (claimed.has(`${egress}:${e.RuleNumber}`)) continue;
        const attributes = ruleAttributes(target.id, e);
        const open = !egress && e.RuleAction === 'allow' && WORLD.has(e.CidrBlock ?? e.Ipv6CidrBlock ?? '');
        out.push({
          type: 'aws_network_acl_rule', address: '', id: `${target.id}:${e.RuleNumber}:${egress}`, readAt: ctx.now, attributes,
          container: {
            resourceAddress: target.state.resourceAddress, severity: open ? 'error' : 'warning',
            note: `unmanaged ${egress ? 'egress' : 'ingress'} rule ${aclPhrases([blockOfEntry(e)])[0]} in ${container.address || target.address}: no aws_network_acl_rule or inline block declares it`,
          },
        });
      }
    }
    return out;
  },
};

/** A live entry as aws_network_acl_rule's attributes. */
export function ruleAttributes(aclId: string, e: NetworkAclEntry, recorded: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    network_acl_id: aclId, rule_number: e.RuleNumber, egress: Boolean(e.Egress), protocol: aclProtocol(e.Protocol), rule_action: e.RuleAction,
    cidr_block: e.CidrBlock ?? null, ipv6_cidr_block: e.Ipv6CidrBlock ?? null,
    // Without a port range (all protocols, ICMP) AWS has no ports: the provider keeps what it recorded.
    from_port: e.PortRange?.From ?? recorded.from_port ?? null, to_port: e.PortRange?.To ?? recorded.to_port ?? null,
    icmp_type: e.IcmpTypeCode?.Type ?? recorded.icmp_type ?? null, icmp_code: e.IcmpTypeCode?.Code ?? recorded.icmp_code ?? null,
  };
}

