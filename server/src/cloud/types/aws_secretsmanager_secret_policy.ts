// aws_secretsmanager_secret_policy ↔ Secrets Manager GetResourcePolicy, one call per secret the state
// names (no batch read of policies); a secret without a policy, or gone, proves it missing. The
// policy is compared as an IAM document. Never the secret's value.
import { GetResourcePolicyCommand, PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import type { Known } from '../../drift/values';
import { AwsCallError, describeError } from '../errors';
import { bool, cannotRevert, foundEntry, missingEntry, perTarget, str } from './common';
import type { ResourceType } from './resource-type';

const codeOf = (error: unknown): string => (error instanceof AwsCallError ? error.failure : describeError(error)).code;

export const awsSecretsmanagerSecretPolicy: ResourceType = {
  type: 'aws_secretsmanager_secret_policy',
  tags: false,
  attributes: [
    { name: 'secret_arn', compare: 'scalar', forceNew: true },
    { name: 'policy', compare: 'policy', severity: 'error' },
  ],
  notCompared: { block_public_policy: 'a flag of the write call (PutResourcePolicy), not stored with the policy' },
  idFromState: (a) => str(a.secret_arn) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/^.*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, '').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'policy',

  async read(targets, ctx) {
    return perTarget(targets, ctx, async (t) => {
      let out;
      try {
        out = await ctx.clients.gate.call('secretsmanager:GetResourcePolicy', () => ctx.clients.secretsmanager.send(new GetResourcePolicyCommand({ SecretId: t.id })));
      } catch (error) {
        // A secret scheduled for deletion refuses calls (InvalidRequestException): the provider treats it as gone too.
        if (['ResourceNotFoundException', 'InvalidRequestException'].includes(codeOf(error))) return missingEntry(ctx, t.id, `secret ${t.id} does not exist or is scheduled for deletion`);
        throw error;
      }
      if (!out.ResourcePolicy) return missingEntry(ctx, t.id, `secret ${t.id} has no resource policy`);
      return foundEntry(t, 'aws_secretsmanager_secret_policy', ctx, { secret_arn: out.ARN, policy: out.ResourcePolicy });
    });
  },

  async revert(request, clients) {
    if (request.attribute !== 'policy') return cannotRevert(request.attribute);
    const text = typeof request.declared === 'string' ? request.declared : JSON.stringify(request.declared);
    const block = bool(request.state.attributes.block_public_policy as Known);
    await clients.gate.call('secretsmanager:PutResourcePolicy', () => clients.secretsmanager.send(new PutResourcePolicyCommand({ SecretId: request.id, ResourcePolicy: text, BlockPublicPolicy: block })));
    return { ok: true, message: 'resource policy restored' };
  },
};
