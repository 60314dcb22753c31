// The unmanaged attachments of a managed role or user: every managed policy attached live that no
// aws_iam_{role,user}_policy_attachment and no aws_iam_policy_attachment in the check declares.
// A principal that lists its policies itself (managed_policy_arns) is compared on that argument
// instead, so it is skipped here.
import type { AttachedPolicy } from '@aws-sdk/client-iam';
import type { LiveResource } from '../../model';
import type { FamilyRows } from '../families/family';
import { attachmentSeverity, IamAccount, iamFamily, iamKey } from '../families/iam';
import { str } from './common';
import type { ContainerMembers, InstancesByType } from './resource-type';

const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Policy ARNs attached to `principal` by attachment resources in state. */
function claimed(declared: InstancesByType, principal: 'role' | 'user' | 'group', name: string): Set<string> {
  const out = new Set<string>();
  for (const i of declared.get(`aws_iam_${principal}_policy_attachment`) ?? []) {
    if (i.attributes[principal] === name && str(i.attributes.policy_arn)) out.add(String(i.attributes.policy_arn));
  }
  for (const i of declared.get('aws_iam_policy_attachment') ?? []) {
    if (names(i.attributes[`${principal}s`]).includes(name) && str(i.attributes.policy_arn)) out.add(String(i.attributes.policy_arn));
  }
  return out;
}

export function attachmentMembers(principal: 'role' | 'user' | 'group'): ContainerMembers {
  const kind = principal === 'role' ? 'Role' : principal === 'user' ? 'User' : 'Group';
  return {
    family: iamFamily as ContainerMembers['family'],
    keys: () => [iamKey(kind)],
    unmanaged(target, container, rows, declared, ctx) {
      if (target.needs?.has('managed_policy_arns') || names(target.state.attributes.managed_policy_arns).length) return [];
      const found = (rows as FamilyRows<IamAccount>).lookup(iamKey(kind));
      if ('failure' in found || !found.items[0]) return [];
      const account = found.items[0];
      const name = target.id;
      const holder = principal === 'role' ? account.roles.get(name) : principal === 'user' ? account.users.get(name) : account.groups.get(name);
      const attached: AttachedPolicy[] = holder?.AttachedManagedPolicies ?? [];
      const mine = claimed(declared, principal, name);
      const out: LiveResource[] = [];
      for (const p of attached) {
        if (!p.PolicyArn || mine.has(p.PolicyArn)) continue;
        out.push({
          type: `aws_iam_${principal}_policy_attachment`, address: '', id: `${name}/${p.PolicyArn}`, readAt: ctx.now,
          attributes: { [principal]: name, policy_arn: p.PolicyArn },
          container: {
            resourceAddress: target.state.resourceAddress,
            severity: attachmentSeverity(p.PolicyArn),
            note: `unmanaged attachment of ${p.PolicyArn} to ${principal} ${name} (${container.address || target.address}): no attachment resource declares it`,
          },
        });
      }
      return out;
    },
  };
}
