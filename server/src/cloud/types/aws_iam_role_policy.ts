// aws_iam_role_policy (inline policy) ↔ IAM GetRolePolicy / PutRolePolicy. Terraform's id is `role:name`.
import { GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { cannotRevert, failureText, foundEntry, missingEntry, perTarget, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';
import { decodePolicy } from './aws_iam_role';
import { errorCode } from './s3-common';

function split(id: string): [string, string] | undefined {
  const at = id.indexOf(':');
  return at > 0 ? [id.slice(0, at), id.slice(at + 1)] : undefined;
}

export const awsIamRolePolicy: ResourceType = {
  type: 'aws_iam_role_policy',
  tags: false,
  attributes: [
    { name: 'role', compare: 'scalar', forceNew: true },
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'policy', compare: 'policy', severity: 'error' },
  ],
  idFromState: (a) => str(a.id) ?? (str(a.role) && str(a.name) ? `${String(a.role)}:${String(a.name)}` : undefined),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return perTarget(targets, ctx, async (t) => {
      const parts = split(t.id);
      if (!parts) return unknownEntry(ctx, `'${t.id}' is not a role:policy id`);
      const [role, name] = parts;
      try {
        const out = await ctx.clients.gate.call('iam:GetRolePolicy', () => ctx.clients.iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: name })));
        return foundEntry(t, 'aws_iam_role_policy', ctx, { role, name, policy: decodePolicy(out.PolicyDocument) });
      } catch (error) {
        if (errorCode(error) === 'NoSuchEntity') return missingEntry(ctx, t.id, `inline policy ${name} of role ${role} does not exist`);
        return unknownEntry(ctx, failureText(error));
      }
    });
  },

  async revert(request, clients) {
    if (request.attribute !== 'policy') return cannotRevert(request.attribute);
    const parts = split(request.id);
    if (!parts || typeof request.declared !== 'string') return { ok: false, message: 'declared policy is not a JSON document' };
    const [role, name] = parts;
    const doc = request.declared;
    await clients.gate.call('iam:PutRolePolicy', () => clients.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: name, PolicyDocument: doc })));
    return { ok: true, message: `inline policy ${name} restored` };
  },
};
