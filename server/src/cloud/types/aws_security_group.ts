// aws_security_group ↔ EC2 DescribeSecurityGroups (batched by group-id filter).
// Inline ingress/egress compare as sets of rule atoms; they are compared only when declared,
// because rules may be managed by separate rule resources instead.
import {
  AuthorizeSecurityGroupEgressCommand, AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand, SecurityGroup,
} from '@aws-sdk/client-ec2';
import type { LiveEntry } from '../../drift/snapshot';
import { canonicalJson } from '../../drift/values';
import { cannotRevert, describeByFilter, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';
import { securityGroupMembers } from './sg-members';
import { atomsFromBlocks, atomsFromPermissions, blocksFromAtoms, canonicalRules, permissionsFromAtoms, rulePhrases } from './sg-rules';

export function securityGroupAttributes(g: SecurityGroup): Record<string, unknown> {
  const self = g.GroupId ?? '';
  return {
    name: g.GroupName,
    description: g.Description,
    vpc_id: g.VpcId,
    ingress: blocksFromAtoms(atomsFromPermissions(g.IpPermissions), self),
    egress: blocksFromAtoms(atomsFromPermissions(g.IpPermissionsEgress), self),
    tags: userTags(g.Tags),
  };
}

export const awsSecurityGroup: ResourceType = {
  type: 'aws_security_group',
  tags: true,
  taggingType: 'ec2:security-group',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'description', compare: 'scalar', default: 'Managed by Terraform', forceNew: true },
    { name: 'vpc_id', compare: 'scalar', forceNew: true },
    { name: 'ingress', compare: 'blocks', normalize: (v, ctx) => canonicalRules(v, ctx.selfId), phrases: (v, ctx) => rulePhrases(v, ctx.selfId, 'ingress'), severity: 'error' },
    { name: 'egress', compare: 'blocks', normalize: (v, ctx) => canonicalRules(v, ctx.selfId), phrases: (v, ctx) => rulePhrases(v, ctx.selfId, 'egress'), severity: 'error' },
  ],
  members: securityGroupMembers,
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:security-group\/(sg-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, String(live.attributes.name ?? live.id)),

  async read(targets, ctx) {
    const { byId, failed } = await describeByFilter<SecurityGroup>(
      ctx,
      targets,
      'group-id',
      'ec2:DescribeSecurityGroups',
      async (Filters, NextToken) => {
        const out = await ctx.clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters, MaxResults: 1000, NextToken }));
        return { items: out.SecurityGroups ?? [], next: out.NextToken };
      },
      (g) => g.GroupId,
    );
    const result = new Map<string, LiveEntry>();
    for (const t of targets) {
      const failure = failed.get(t.id);
      const group = byId.get(t.id);
      if (failure) result.set(t.address, unknownEntry(ctx, failure));
      else if (!group) result.set(t.address, missingEntry(ctx, t.id, `security group ${t.id} does not exist`));
      else result.set(t.address, foundEntry(t, 'aws_security_group', ctx, securityGroupAttributes(group)));
    }
    return result;
  },

  async revert(request, clients) {
    const { attribute, id } = request;
    if (attribute === 'tags') return revertEc2Tags(clients, request);
    if (attribute !== 'ingress' && attribute !== 'egress') return cannotRevert(attribute);
    const want = atomsFromBlocks(request.declared, id);
    const have = atomsFromBlocks(request.live.attributes[attribute] as never, id);
    const key = (a: object) => canonicalJson(a);
    const wantKeys = new Set(want.map(key));
    const haveKeys = new Set(have.map(key));
    const revoke = have.filter((a) => !wantKeys.has(key(a)));
    const authorize = want.filter((a) => !haveKeys.has(key(a)));
    const ingress = attribute === 'ingress';
    if (revoke.length) {
      const input = { GroupId: id, IpPermissions: permissionsFromAtoms(revoke) };
      if (ingress) await clients.gate.call('ec2:RevokeSecurityGroupIngress', () => clients.ec2.send(new RevokeSecurityGroupIngressCommand(input)));
      else await clients.gate.call('ec2:RevokeSecurityGroupEgress', () => clients.ec2.send(new RevokeSecurityGroupEgressCommand(input)));
    }
    if (authorize.length) {
      const input = { GroupId: id, IpPermissions: permissionsFromAtoms(authorize) };
      if (ingress) await clients.gate.call('ec2:AuthorizeSecurityGroupIngress', () => clients.ec2.send(new AuthorizeSecurityGroupIngressCommand(input)));
      else await clients.gate.call('ec2:AuthorizeSecurityGroupEgress', () => clients.ec2.send(new AuthorizeSecurityGroupEgressCommand(input)));
    }
    return { ok: true, message: `${attribute}: ${revoke.length} rule(s) revoked, ${authorize.length} authorized` };
  },
};
