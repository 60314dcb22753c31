// A grant's scope: the Terraform resources a change touches, resolved through state to live ARNs,
// turned into the inline session policy the broker passes on AssumeRole. The credentials' effective
// permissions are then the role's intersected with this policy — enforced by AWS, not by trust.
// Pure: addresses + state in, statements and packed text out; no I/O.
import type { StateInstance } from '../model';

/** One scoped resource as the requester resolved it and the approvers see it. */
export interface ScopeResource {
  address: string;
  type: string;
  arn: string;
}

export interface PolicyStatement {
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

export class ScopeError extends Error {}

/**
 * The write actions each resource type needs on its own ARN: the API calls that change its attributes
 * (the same calls the attribution table maps to attributes) plus its tags. A type missing here cannot
 * be scoped: refusing is better than guessing wider actions.
 */
const WRITE_ACTIONS: Record<string, readonly string[]> = {
  aws_instance: [
    'ec2:ModifyInstanceAttribute', 'ec2:ModifyInstanceMetadataOptions', 'ec2:StopInstances', 'ec2:StartInstances',
    'ec2:MonitorInstances', 'ec2:UnmonitorInstances', 'ec2:CreateTags', 'ec2:DeleteTags',
  ],
  aws_security_group: [
    'ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress',
    'ec2:UpdateSecurityGroupRuleDescriptionsIngress', 'ec2:UpdateSecurityGroupRuleDescriptionsEgress', 'ec2:CreateTags', 'ec2:DeleteTags',
  ],
  aws_vpc: ['ec2:ModifyVpcAttribute', 'ec2:CreateTags', 'ec2:DeleteTags'],
  aws_subnet: ['ec2:ModifySubnetAttribute', 'ec2:CreateTags', 'ec2:DeleteTags'],
};

/** Reads the work needs, per service, on `*`: EC2's Describe calls do not support resource-level permissions. */
const READ_ACTIONS: Record<string, string> = { ec2: 'ec2:Describe*' };

export function scopableTypes(): string[] {
  return Object.keys(WRITE_ACTIONS).sort();
}

/** Resolves each address to its state instance and live ARN; throws ScopeError naming the first bad one. */
export function resolveScope(addresses: string[], instances: StateInstance[]): ScopeResource[] {
  const byAddress = new Map(instances.map((i) => [i.address, i]));
  const modules = new Set(instances.map((i) => i.module).filter(Boolean));
  const out: ScopeResource[] = [];
  for (const address of addresses) {
    const inst = byAddress.get(address);
    if (!inst) throw new ScopeError(notFound(address, instances, modules));
    if (!WRITE_ACTIONS[inst.type]) throw new ScopeError(`${address}: resources of type ${inst.type} cannot be scoped yet (scopable: ${scopableTypes().join(', ')})`);
    const arn = inst.attributes.arn;
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw new ScopeError(`${address}: state records no ARN for it, so no scope can name it`);
    if (!out.some((r) => r.address === address)) out.push({ address, type: inst.type, arn });
  }
  return out;
}

function notFound(address: string, instances: StateInstance[], modules: Set<string>): string {
  // `module.net["a"].aws_x.y`: name the missing module instance rather than the resource.
  const m = /^((?:module\.[\w-]+(?:\[[^\]]+\])?\.)*module\.[\w-]+(?:\[[^\]]+\])?)\./.exec(address);
  if (m && !modules.has(m[1]!)) return `${address}: module instance ${m[1]} does not exist in state`;
  const resource = instances.filter((i) => i.resourceAddress === address);
  if (resource.length) return `${address}: has several instances; name one of ${resource.map((i) => i.address).join(', ')}`;
  return `${address}: not in state (is it applied? \`terraform state list\` shows the addresses)`;
}

/** One statement per distinct action set (resources of a type share one), plus the reads on `*`. */
export function scopeStatements(resources: ScopeResource[]): PolicyStatement[] {
  const groups = new Map<string, { actions: string[]; arns: string[] }>();
  const services = new Set<string>();
  for (const r of resources) {
    const actions = WRITE_ACTIONS[r.type];
    if (!actions) throw new ScopeError(`${r.address}: resources of type ${r.type} cannot be scoped yet`);
    if (!/^arn:aws[\w-]*:[\w-]+:/.test(r.arn)) throw new ScopeError(`${r.address}: '${r.arn}' is not an ARN`);
    const key = [...actions].sort().join(',');
    const g = groups.get(key) ?? { actions: [...actions].sort(), arns: [] };
    if (!g.arns.includes(r.arn)) g.arns.push(r.arn);
    groups.set(key, g);
    for (const a of actions) services.add(a.split(':')[0]!);
  }
  const statements: PolicyStatement[] = [...groups.values()].map((g) => ({ Effect: 'Allow', Action: g.actions, Resource: g.arns.sort() }));
  const reads = [...services].sort().map((s) => READ_ACTIONS[s]).filter((a): a is string => a !== undefined);
  if (reads.length) statements.push({ Effect: 'Allow', Action: reads, Resource: ['*'] });
  return statements;
}

/** AWS's limit on the packed inline session policy plus session tags. */
export const PACKED_LIMIT = 2048;

/**
 * The session policy as compact JSON, or a ScopeError when it does not fit `budget` characters.
 * Never widens (no wildcarded ARNs or actions) to make it fit: a wider grant is not what was approved.
 */
export function packSessionPolicy(statements: PolicyStatement[], budget = PACKED_LIMIT): string {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  if (text.length > budget) {
    const arns = new Set(statements.flatMap((s) => s.Resource.filter((r) => r !== '*'))).size;
    throw new ScopeError(`the scope (${arns} resources) needs a ${text.length}-character session policy, over the ${budget} AWS allows; split the request into smaller scopes`);
  }
  return text;
}
