// aws_security_group: a member of the DescribeSecurityGroups family (by group id).
// Inline ingress/egress compare as sets of rule atoms; they are compared only when declared,
// because rules may be managed by separate rule resources instead.
import {
  AuthorizeSecurityGroupEgressCommand, AuthorizeSecurityGroupIngressCommand,
  RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand, SecurityGroup,
} from '@aws-sdk/client-ec2';
import { canonicalJson } from '../../drift/values';
import { member, type FamilyMember } from '../families/family';
import { securityGroupKey, securityGroupsFamily } from '../families/security-groups';
import { cannotRevert, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { AwsClients } from '../clients';
import type { ResourceType, RevertOutcome, RevertRequest } from './resource-type';
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

  family: securityGroupMember('aws_security_group'),

  revert: revertSecurityGroup,
};

/** A group type as a member of the DescribeSecurityGroups family. */
export function securityGroupMember(type: string): FamilyMember {
  return member(securityGroupsFamily, {
    keys: (t) => [securityGroupKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(securityGroupKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const group = found.items.find((g) => g.GroupId === t.id);
      if (!group) return missingEntry(ctx, t.id, `security group ${t.id} does not exist`);
      return foundEntry(t, type, ctx, securityGroupAttributes(group));
    },
  });
}

/** Writes tags, or `ingress`/`egress` back as a set: revokes what is not declared, authorizes what is missing. */
export async function revertSecurityGroup(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> {
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
};
