// aws_ssm_parameter ↔ SSM DescribeParameters (a Name filter of up to 50 names, 50 per page) +
// ListTagsForResource per parameter (SSM has no batch tag read). Metadata only: a parameter's value
// is never read — DescribeParameters does not return it, and GetParameter is never called, so a
// SecureString's plaintext never reaches Tidemark.
import { AddTagsToResourceCommand, DescribeParametersCommand, ListTagsForResourceCommand, ParameterMetadata, RemoveTagsFromResourceCommand } from '@aws-sdk/client-ssm';
import { cannotRevert, chunk, failureText, foundEntry, missingEntry, perTarget, str, revertTagMap, untagThenTag, unknownEntry } from './common';
import type { ReadContext, ResourceType } from './resource-type';

/** DescribeParameters takes at most 50 values per filter and returns at most 50 per page. */
const NAMES_PER_CALL = 50;

const NO_VALUE_WRITE = 'SSM writes metadata only together with the value (PutParameter), and Tidemark never reads or writes parameter values';

async function describeByName(ctx: ReadContext, names: string[]): Promise<{ byName: Map<string, ParameterMetadata>; failed: Map<string, string> }> {
  const byName = new Map<string, ParameterMetadata>();
  const failed = new Map<string, string>();
  await Promise.all(chunk([...new Set(names)], NAMES_PER_CALL).map(async (group) => {
    try {
      let token: string | undefined;
      do {
        const page = await ctx.clients.gate.call('ssm:DescribeParameters', () => ctx.clients.ssm.send(new DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: group }], MaxResults: 50, NextToken: token,
        })));
        for (const p of page.Parameters ?? []) if (p.Name) byName.set(p.Name, p);
        token = page.NextToken;
      } while (token);
    } catch (error) {
      for (const n of group) failed.set(n, failureText(error));
    }
  }));
  return { byName, failed };
}

export const awsSsmParameter: ResourceType = {
  type: 'aws_ssm_parameter',
  tags: true,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'type', compare: 'scalar', severity: 'warning' },
    { name: 'description', compare: 'scalar', default: '' },
    { name: 'allowed_pattern', compare: 'scalar', default: '' },
    { name: 'data_type', compare: 'scalar', default: 'text', forceNew: true },
  ],
  notCompared: {
    value: 'never read: a SecureString\'s plaintext must not reach Tidemark, and a plain value is not fetched either',
    insecure_value: 'never read, like value',
    version: 'computed: AWS raises it on every PutParameter; the engine compares declared arguments, not state-only values, so a value rewrite outside Terraform is not reported yet',
    // The provider's tier DiffSuppressFunc: a declared Intelligent-Tiering never differs from the tier AWS chose.
    tier: 'with Intelligent-Tiering AWS picks Standard or Advanced on each write and the provider suppresses the difference; the read cannot see which tier was declared',
    key_id: 'AWS reports the key as it was given (alias, id or ARN) or alias/aws/ssm by default; the equivalence of those forms is not checked yet',
    overwrite: 'a flag of the write call, not a property of the parameter',
    arn: 'computed by AWS from the name',
  },
  idFromState: (a) => str(a.name) ?? str(a.id),
  idFromArn: (arn) => {
    const rest = /^arn:aws[\w-]*:ssm:[^:]*:\d{12}:parameter\/(.+)$/.exec(arn)?.[1];
    // ARNs drop the leading slash of hierarchical names.
    return rest === undefined ? undefined : rest.includes('/') ? `/${rest}` : rest;
  },
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/^\//, '').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'parameter',

  async read(targets, ctx) {
    const { byName, failed } = await describeByName(ctx, targets.map((t) => t.id));
    return perTarget(targets, ctx, async (t) => {
      const why = failed.get(t.id);
      if (why) return unknownEntry(ctx, why);
      const p = byName.get(t.id);
      if (!p) return missingEntry(ctx, t.id, `parameter ${t.id} does not exist`);
      const listed = await ctx.clients.gate.call('ssm:ListTagsForResource', () =>
        ctx.clients.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: t.id })));
      const tags: Record<string, string> = {};
      for (const tag of listed.TagList ?? []) if (tag.Key && !tag.Key.startsWith('aws:')) tags[tag.Key] = tag.Value ?? '';
      return foundEntry(t, 'aws_ssm_parameter', ctx, {
        name: p.Name,
        type: p.Type ?? null,
        description: p.Description ?? '',
        allowed_pattern: p.AllowedPattern ?? '',
        data_type: p.DataType ?? 'text',
        tier: p.Tier ?? null,
        version: p.Version ?? null,
        tags,
      }, { arn: p.ARN });
    });
  },

  async revert(request, clients) {
    const { attribute, id } = request;
    if (attribute !== 'tags') return cannotRevert(attribute, NO_VALUE_WRITE);
    return revertTagMap(request, untagThenTag(
      (TagKeys) => clients.gate.call('ssm:RemoveTagsFromResource', () => clients.ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: id, TagKeys }))),
      (Tags) => clients.gate.call('ssm:AddTagsToResource', () => clients.ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: id, Tags }))),
    ));
  },
};
