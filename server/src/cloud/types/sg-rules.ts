// Security group rules in one canonical form: one atom per (protocol, ports, source, description).
// AWS groups rules by port range with several sources each; Terraform groups them by block; both
// explode to the same set of atoms, so order and grouping never look like drift.
import type { IpPermission } from '@aws-sdk/client-ec2';
import { isObject, Known } from '../../drift/values';

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1', '-1': '-1' };

export function normalizeProtocol(p: unknown): string {
  const s = String(p ?? '-1').toLowerCase();
  return PROTOCOL_NAMES[s] ?? s;
}

export interface RuleAtom {
  protocol: string;
  from: number;
  to: number;
  /** `cidr:…`, `cidr6:…`, `pl:…`, `sg:…` */
  source: string;
  description: string;
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function ports(protocol: string, from: unknown, to: unknown): [number, number] {
  // All-traffic rules have no ports: AWS omits them, Terraform requires 0/0.
  if (protocol === '-1') return [0, 0];
  return [Number(from ?? 0), Number(to ?? 0)];
}

/** Terraform `ingress`/`egress` blocks (state or declared) → atoms. `selfId` resolves `self = true`. */
export function atomsFromBlocks(blocks: Known, selfId: string): RuleAtom[] {
  const out: RuleAtom[] = [];
  for (const b of Array.isArray(blocks) ? blocks : []) {
    if (!isObject(b)) continue;
    const protocol = normalizeProtocol(b.protocol);
    const [from, to] = ports(protocol, b.from_port, b.to_port);
    const description = typeof b.description === 'string' ? b.description : '';
    const sources = [
      ...list(b.cidr_blocks).map((c) => `cidr:${c}`),
      ...list(b.ipv6_cidr_blocks).map((c) => `cidr6:${c}`),
      ...list(b.prefix_list_ids).map((c) => `pl:${c}`),
      ...list(b.security_groups).map((g) => `sg:${g.includes('/') ? g.slice(g.indexOf('/') + 1) : g}`),
      ...(b.self === true || b.self === 'true' ? [`sg:${selfId}`] : []),
    ];
    for (const source of sources) out.push({ protocol, from, to, source, description });
  }
  return out;
}

/** AWS IpPermissions → atoms. */
export function atomsFromPermissions(perms: IpPermission[] | undefined): RuleAtom[] {
  const out: RuleAtom[] = [];
  for (const p of perms ?? []) {
    const protocol = normalizeProtocol(p.IpProtocol);
    const [from, to] = ports(protocol, p.FromPort, p.ToPort);
    const add = (source: string, description: string | undefined) => out.push({ protocol, from, to, source, description: description ?? '' });
    for (const r of p.IpRanges ?? []) if (r.CidrIp) add(`cidr:${r.CidrIp}`, r.Description);
    for (const r of p.Ipv6Ranges ?? []) if (r.CidrIpv6) add(`cidr6:${r.CidrIpv6}`, r.Description);
    for (const r of p.PrefixListIds ?? []) if (r.PrefixListId) add(`pl:${r.PrefixListId}`, r.Description);
    for (const r of p.UserIdGroupPairs ?? []) if (r.GroupId) add(`sg:${r.GroupId}`, r.Description);
  }
  return out;
}

/** Atoms → Terraform blocks, one source per block (how live rules are shown and stored). */
export function blocksFromAtoms(atoms: RuleAtom[], selfId: string): Known[] {
  return atoms.map((a) => {
    const [kind, value] = [a.source.slice(0, a.source.indexOf(':')), a.source.slice(a.source.indexOf(':') + 1)];
    return {
      protocol: a.protocol,
      from_port: a.from,
      to_port: a.to,
      cidr_blocks: kind === 'cidr' ? [value] : [],
      ipv6_cidr_blocks: kind === 'cidr6' ? [value] : [],
      prefix_list_ids: kind === 'pl' ? [value] : [],
      security_groups: kind === 'sg' && value !== selfId ? [value] : [],
      self: kind === 'sg' && value === selfId,
      description: a.description,
    };
  });
}

/** Atoms → the IpPermissions shape Authorize/Revoke calls take. */
export function permissionsFromAtoms(atoms: RuleAtom[]): IpPermission[] {
  return atoms.map((a) => {
    const [kind, value] = [a.source.slice(0, a.source.indexOf(':')), a.source.slice(a.source.indexOf(':') + 1)];
    const d = a.description ? { Description: a.description } : {};
    return {
      IpProtocol: a.protocol,
      ...(a.protocol === '-1' ? {} : { FromPort: a.from, ToPort: a.to }),
      IpRanges: kind === 'cidr' ? [{ CidrIp: value, ...d }] : undefined,
      Ipv6Ranges: kind === 'cidr6' ? [{ CidrIpv6: value, ...d }] : undefined,
      PrefixListIds: kind === 'pl' ? [{ PrefixListId: value, ...d }] : undefined,
      UserIdGroupPairs: kind === 'sg' ? [{ GroupId: value, ...d }] : undefined,
    };
  });
}

/** The canonical (comparable) form of a set of Terraform rule blocks. */
export function canonicalRules(blocks: Known, selfId: string): Known {
  return atomsFromBlocks(blocks, selfId).map((a) => ({ ...a }));
}

function portPhrase(a: RuleAtom): string {
  if (a.protocol === '-1') return 'all traffic';
  if (a.protocol === 'icmp' || a.protocol === 'icmpv6') {
    // For ICMP, Terraform's from_port is the type and to_port the code; -1 is "any".
    if (a.from === -1) return a.protocol;
    return `${a.protocol} type ${a.from}${a.to === -1 ? '' : ` code ${a.to}`}`;
  }
  const name = a.protocol === 'tcp' || a.protocol === 'udp' ? a.protocol : `protocol ${a.protocol}`;
  if (a.from === 0 && (a.to === 65535 || a.to === 0) && name !== a.protocol) return name;
  if (a.from === 0 && a.to === 65535) return `${name} all ports`;
  return a.from === a.to ? `${name} ${a.from}` : `${name} ${a.from}-${a.to}`;
}

/** One rule as people read it: `tcp 22 from 0.0.0.0/0`, `all traffic to sg-1 ("db")`, `udp 53 from self`. */
export function rulePhrase(a: RuleAtom, selfId: string, direction: 'ingress' | 'egress'): string {
  const value = a.source.slice(a.source.indexOf(':') + 1);
  const peer = a.source.startsWith('sg:') && value === selfId ? 'self' : value;
  const description = a.description ? ` (${JSON.stringify(a.description)})` : '';
  return `${portPhrase(a)} ${direction === 'ingress' ? 'from' : 'to'} ${peer}${description}`;
}

/** Terraform rule blocks (declared, state or live) → one phrase per rule atom, for describing drift. */
export function rulePhrases(blocks: Known, selfId: string, direction: 'ingress' | 'egress'): string[] {
  return atomsFromBlocks(blocks, selfId).map((a) => rulePhrase(a, selfId, direction));
}
