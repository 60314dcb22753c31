// Pure: the changes a guardrail is asked about. From the cloud (a drift: live moved away from the
// code) or from the code (each declared attribute, as if it were being applied), so `tidemark
// watch` and `tidemark check` put exactly the same questions to the same rules.
import type { Attribution, Drift, Range, TopBlock } from '../model';

export interface NetRule {
  direction: 'ingress' | 'egress';
  protocol: string;
  fromPort: number;
  toPort: number;
  cidrBlocks: string[];
  ipv6CidrBlocks: string[];
}

export interface GuardrailChange {
  source: 'live' | 'code';
  /** `ec2:AuthorizeSecurityGroupIngress`; `declare` for code; `unknown` when no event explains it yet. */
  eventName: string;
  resourceType: string;
  address: string;
  attribute: string;
  path: string;
  value: unknown;
  removed: boolean;
  rule?: NetRule;
  /** Who: the grant's requester or the principal's name; `code` for declared values. */
  actor: string;
  grant?: { id: string; requester: string; role: string };
  file?: string;
  range?: Range;
}

const RULE_TYPES: Record<string, 'ingress' | 'egress'> = {
  aws_vpc_security_group_ingress_rule: 'ingress',
  aws_vpc_security_group_egress_rule: 'egress',
};

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v ? [v] : [];
}

function port(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

/**
 * A rule in the guardrail's terms, from an inline `ingress`/`egress` element or an
 * `aws_vpc_security_group_*_rule`'s attributes. Undefined when the ports are not literal numbers.
 */
export function netRule(direction: 'ingress' | 'egress', o: Record<string, unknown>): NetRule | undefined {
  const protocol = String(o.protocol ?? o.ip_protocol ?? '-1').toLowerCase();
  const all = protocol === '-1' || protocol === 'all';
  const from = all ? 0 : port(o.from_port);
  const to = all ? 65535 : port(o.to_port);
  if (from === undefined || to === undefined) return undefined;
  return {
    direction,
    protocol: all ? '-1' : protocol,
    fromPort: from,
    toPort: to,
    cidrBlocks: [...strings(o.cidr_blocks), ...strings(o.cidr_ipv4)],
    ipv6CidrBlocks: [...strings(o.ipv6_cidr_blocks), ...strings(o.cidr_ipv6)],
  };
}

/** Whether a declared rule already allows everything a live rule allows (then it is not new). */
function covers(declared: NetRule, live: NetRule): boolean {
  return declared.protocol === live.protocol && declared.fromPort === live.fromPort && declared.toPort === live.toPort
    && live.cidrBlocks.every((c) => declared.cidrBlocks.includes(c)) && live.ipv6CidrBlocks.every((c) => declared.ipv6CidrBlocks.includes(c));
}

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)) : [];
}

function who(attribution: Attribution | undefined): Pick<GuardrailChange, 'actor' | 'eventName'> {
  return { actor: attribution?.actor ?? 'unknown', eventName: attribution?.eventName ?? 'unknown' };
}

/**
 * The changes one drift stands for. For inline rule sets only the rules live has and the code does
 * not are asked about, so a rule that was always declared is `tidemark check`'s business, not an alert.
 */
export function changesFromDrift(
  drift: Drift,
  o: { grantRole?: (grantId: string) => string | undefined; liveAttributes?: Record<string, unknown> } = {},
): GuardrailChange[] {
  if (drift.kind === 'unmanaged') return [];
  const type = drift.resourceType ?? drift.address.replace(/^(?:module\.[^.]+\.)*/, '').split('.')[0]!;
  const attribution = drift.attribution;
  const grant = attribution?.grantId && (attribution.class === 'active-grant' || attribution.class === 'ended-grant')
    ? { id: attribution.grantId, requester: attribution.actor ?? '', role: o.grantRole?.(attribution.grantId) ?? '' }
    : undefined;
  const base = {
    source: 'live' as const, resourceType: type, address: drift.address, ...who(attribution), ...(grant ? { grant } : {}),
    file: drift.file, range: drift.range,
  };
  const attribute = drift.attributePath[0] ?? '';
  if (drift.kind === 'missing-live') return [{ ...base, attribute: '', path: '', value: null, removed: true }];
  if (type === 'aws_security_group' && (attribute === 'ingress' || attribute === 'egress')) {
    const declared = records(drift.declared).map((r) => netRule(attribute, r)).filter((r): r is NetRule => r !== undefined);
    return records(drift.live).flatMap((element) => {
      const rule = netRule(attribute, element);
      if (!rule || declared.some((d) => covers(d, rule))) return [];
      return [{ ...base, attribute, path: attribute, value: element, removed: false, rule }];
    });
  }
  const direction = RULE_TYPES[type];
  // A rule resource's drift is on one attribute; the rule it forms needs the others too.
  const rule = direction && o.liveAttributes ? netRule(direction, o.liveAttributes) : undefined;
  return [{
    ...base, attribute, path: drift.attributePath.join('.'), value: drift.live, removed: drift.live === undefined || drift.live === null,
    ...(rule ? { rule } : {}),
  }];
}

/** Every declared attribute of every resource block, as if the code were being applied. */
export function changesFromCode(blocks: readonly TopBlock[]): GuardrailChange[] {
  const out: GuardrailChange[] = [];
  for (const b of blocks) {
    if (b.kind !== 'resource') continue;
    const type = b.labels[0] ?? '';
    const base = { source: 'code' as const, eventName: 'declare', resourceType: type, address: b.address, actor: 'code', file: b.file, removed: false };
    const direction = RULE_TYPES[type];
    const own = Object.fromEntries(b.attributes.map((a) => [a.name, a.value]));
    const ownRule = direction ? netRule(direction, own) : undefined;
    for (const a of b.attributes) {
      out.push({ ...base, attribute: a.name, path: a.name, value: a.value, range: a.range, ...(ownRule ? { rule: ownRule } : {}) });
    }
    for (const nested of b.blocks) {
      const values = Object.fromEntries(nested.attributes.map((a) => [a.name, a.value]));
      const rule = type === 'aws_security_group' && (nested.type === 'ingress' || nested.type === 'egress') ? netRule(nested.type, values) : undefined;
      out.push({ ...base, attribute: nested.type, path: nested.type, value: values, range: nested.range, ...(rule ? { rule } : {}) });
    }
  }
  return out;
}
