// aws_cloudwatch_log_group ↔ CloudWatch Logs DescribeLogGroups (50 per page); tags from the Tagging
// API's page (it lists log groups), ListTagsForResource only for a group it did not list (untagged,
// or a page that failed). Few groups: one prefix query each; many: one listing of the region
// (⌈groups/50⌉ calls) serves all.
import {
  AssociateKmsKeyCommand, DeleteRetentionPolicyCommand, DescribeLogGroupsCommand, DisassociateKmsKeyCommand, ListTagsForResourceCommand,
  LogGroup, PutRetentionPolicyCommand, TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LiveEntry } from '../../drift/snapshot';
import { cannotRevert, failureText, foundEntry, labelFrom, missingEntry, num, perTarget, str, tagsArg, unknownEntry } from './common';
import type { ReadContext, ReadTarget, ResourceType } from './resource-type';

/** Above this many targets one listing of every group is cheaper than a prefix query per group. */
const LIST_ALL_ABOVE = 10;

async function describeAll(ctx: ReadContext, prefix: string | undefined, stopAt?: string): Promise<Map<string, LogGroup>> {
  const out = new Map<string, LogGroup>();
  let token: string | undefined;
  do {
    const page = await ctx.clients.gate.call('logs:DescribeLogGroups', () =>
      ctx.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, limit: 50, nextToken: token })));
    for (const g of page.logGroups ?? []) if (g.logGroupName) out.set(g.logGroupName, g);
    token = page.nextToken;
    // Names come back in order: once past the one we want, later pages cannot hold it.
    if (stopAt !== undefined && (out.has(stopAt) || [...out.keys()].some((n) => n > stopAt))) break;
  } while (token);
  return out;
}

/** The group's ARN without the `:*` DescribeLogGroups appends (Terraform's `arn`). */
const arnOf = (g: LogGroup): string | undefined => g.logGroupArn ?? g.arn?.replace(/:\*$/, '');

async function entryFor(t: ReadTarget, g: LogGroup | undefined, ctx: ReadContext): Promise<LiveEntry> {
  if (!g) return missingEntry(ctx, t.id, `log group ${t.id} does not exist`);
  const arn = arnOf(g);
  const tags = (arn ? ctx.tagsByArn.get(arn) : undefined) ?? Object.fromEntries(Object.entries(
    (await ctx.clients.gate.call('logs:ListTagsForResource', () => ctx.clients.logs.send(new ListTagsForResourceCommand({ resourceArn: arn })))).tags ?? {},
  ).filter(([k]) => !k.startsWith('aws:')));
  return foundEntry(t, 'aws_cloudwatch_log_group', ctx, {
    name: g.logGroupName,
    retention_in_days: g.retentionInDays ?? 0,
    kms_key_id: g.kmsKeyId ?? '',
    log_group_class: g.logGroupClass ?? 'STANDARD',
    tags,
  }, { arn });
}

export const awsCloudwatchLogGroup: ResourceType = {
  type: 'aws_cloudwatch_log_group',
  tags: true,
  taggingType: 'logs:log-group',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'retention_in_days', compare: 'scalar', default: 0 },
    { name: 'kms_key_id', compare: 'scalar', default: '', severity: 'warning' },
    { name: 'log_group_class', compare: 'scalar', default: 'STANDARD', forceNew: true },
  ],
  notCompared: { skip_destroy: 'a Terraform-side deletion setting; AWS has nothing to compare it with' },
  idFromState: (a) => str(a.name) ?? str(a.id),
  idFromArn: (arn) => /:log-group:(.+?)(?::\*)?$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  async read(targets, ctx) {
    if (targets.length > LIST_ALL_ABOVE) {
      const all = await describeAll(ctx, undefined);
      return perTarget(targets, ctx, (t) => entryFor(t, all.get(t.id), ctx));
    }
    return perTarget(targets, ctx, async (t) => {
      try {
        return await entryFor(t, (await describeAll(ctx, t.id, t.id)).get(t.id), ctx);
      } catch (error) {
        return unknownEntry(ctx, failureText(error));
      }
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const logs = clients.logs;
    switch (attribute) {
      case 'retention_in_days': {
        const days = num(declared) ?? 0;
        if (days === 0) await clients.gate.call('logs:DeleteRetentionPolicy', () => logs.send(new DeleteRetentionPolicyCommand({ logGroupName: id })));
        else await clients.gate.call('logs:PutRetentionPolicy', () => logs.send(new PutRetentionPolicyCommand({ logGroupName: id, retentionInDays: days })));
        return { ok: true, message: days === 0 ? 'retention set to never expire' : `retention set to ${days} days` };
      }
      case 'kms_key_id':
        if (typeof declared === 'string' && declared !== '') await clients.gate.call('logs:AssociateKmsKey', () => logs.send(new AssociateKmsKeyCommand({ logGroupName: id, kmsKeyId: declared })));
        else await clients.gate.call('logs:DisassociateKmsKey', () => logs.send(new DisassociateKmsKeyCommand({ logGroupName: id })));
        return { ok: true, message: 'KMS key association restored' };
      case 'tags': {
        const want = tagsArg(declared);
        if (!want) return { ok: false, message: 'declared tags are not a map' };
        const arn = request.live.arn;
        if (!arn) return { ok: false, message: 'the log group ARN is unknown' };
        const have = (request.live.attributes.tags ?? {}) as Record<string, string>;
        const remove = Object.keys(have).filter((k) => !(k in want));
        const set = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
        if (remove.length) await clients.gate.call('logs:UntagResource', () => logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: remove })));
        if (Object.keys(set).length) await clients.gate.call('logs:TagResource', () => logs.send(new TagResourceCommand({ resourceArn: arn, tags: set })));
        return { ok: true, message: `tags restored (${Object.keys(set).length} set, ${remove.length} removed)` };
      }
      default:
        return cannotRevert(attribute);
    }
  },
};
