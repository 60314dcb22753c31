// aws_iam_policy_attachment ↔ the IAM family. Exclusive, as the provider documents: users, roles
// and groups are every entity the policy is attached to, so one attached by hand elsewhere is
// drift. With no entity left, the provider drops the resource: it reads as missing.
import {
  AttachGroupPolicyCommand, AttachRolePolicyCommand, AttachUserPolicyCommand, DetachGroupPolicyCommand, DetachRolePolicyCommand, DetachUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../clients';
import { iamMember } from '../families/iam';
import { cannotRevert, foundEntry, missingEntry, str } from './common';
import type { ResourceType } from './resource-type';

const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

async function setAttached(clients: AwsClients, kind: 'users' | 'roles' | 'groups', arn: string, name: string, attach: boolean): Promise<void> {
  const iam = clients.iam;
  const gate = clients.gate;
  if (kind === 'roles') {
    if (attach) await gate.call('iam:AttachRolePolicy', () => iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn })));
    else await gate.call('iam:DetachRolePolicy', () => iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: arn })));
  } else if (kind === 'users') {
    if (attach) await gate.call('iam:AttachUserPolicy', () => iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: arn })));
    else await gate.call('iam:DetachUserPolicy', () => iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn: arn })));
  } else if (attach) {
    await gate.call('iam:AttachGroupPolicy', () => iam.send(new AttachGroupPolicyCommand({ GroupName: name, PolicyArn: arn })));
  } else {
    await gate.call('iam:DetachGroupPolicy', () => iam.send(new DetachGroupPolicyCommand({ GroupName: name, PolicyArn: arn })));
  }
}

export const awsIamPolicyAttachment: ResourceType = {
  type: 'aws_iam_policy_attachment',
  tags: false,
  attributes: [
    { name: 'policy_arn', compare: 'scalar', forceNew: true },
    { name: 'users', compare: 'set', default: [], severity: 'error' },
    { name: 'roles', compare: 'set', default: [], severity: 'error' },
    { name: 'groups', compare: 'set', default: [], severity: 'error' },
  ],
  notCompared: { name: 'a Terraform-side label of the attachment; AWS has no such object' },
  idFromState: (a) => str(a.id) ?? str(a.name),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_'),
  family: iamMember(['Role', 'User', 'Group'], (t, account, ctx) => {
    const arn = str(t.state.attributes.policy_arn);
    if (!arn) return missingEntry(ctx, t.id, 'state records no policy_arn');
    const has = (list: Array<{ PolicyArn?: string }> | undefined) => (list ?? []).some((p) => p.PolicyArn === arn);
    const roles = [...account.roles.values()].filter((r) => has(r.AttachedManagedPolicies)).map((r) => r.RoleName!);
    const users = [...account.users.values()].filter((u) => has(u.AttachedManagedPolicies)).map((u) => u.UserName!);
    const groups = [...account.groups.values()].filter((g) => has(g.AttachedManagedPolicies)).map((g) => g.GroupName!);
    if (!roles.length && !users.length && !groups.length) return missingEntry(ctx, t.id, `${arn} is attached to nothing`);
    return foundEntry(t, 'aws_iam_policy_attachment', ctx, { name: t.id, policy_arn: arn, users, roles, groups });
  }),
  async revert(request, clients) {
    const { attribute } = request;
    if (attribute !== 'users' && attribute !== 'roles' && attribute !== 'groups') return cannotRevert(attribute);
    const arn = String(request.live.attributes.policy_arn);
    const want = new Set(names(request.declared));
    const have = new Set(names(request.live.attributes[attribute]));
    for (const n of want) if (!have.has(n)) await setAttached(clients, attribute, arn, n, true);
    for (const n of have) if (!want.has(n)) await setAttached(clients, attribute, arn, n, false);
    return { ok: true, message: `${attribute} attached to ${arn} restored` };
  },
};
