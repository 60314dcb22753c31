// What the CloudFront types share: CloudFront's not-found codes, tags by ARN, and tag write-back
// through TagResource/UntagResource. CloudFront is global; its client is signed for us-east-1 (see
// clients.ts). CloudFront has no batch tag read of its own: where the check's Tagging API client is
// in us-east-1 (the one region whose Tagging API lists CloudFront), one GetResources call answers
// 100 ARNs; what it does not answer (untagged objects, or any other region) costs one
// ListTagsForResource each.
import { ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-cloudfront';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import type { AwsClients } from '../clients';
import { AwsCallError, describeError } from '../errors';
import { chunk, revertTagMap, userTags } from './common';
import type { ReadContext, RevertOutcome, RevertRequest } from './resource-type';

const NOT_FOUND = new Set(['NoSuchDistribution', 'NoSuchOriginAccessControl', 'NoSuchFunctionExists', 'NoSuchResource']);

export function isCloudFrontNotFound(error: unknown): boolean {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  return NOT_FOUND.has(f.code);
}

/** The region whose Resource Groups Tagging API lists CloudFront's global resources. */
const GLOBAL_TAGGING_REGION = 'us-east-1';

/**
 * Tags of many CloudFront ARNs through the Tagging API, 100 a call, when the check's Tagging API
 * client is in us-east-1; an empty map otherwise or when the call fails (the caller then asks
 * CloudFront per object, so a failure here costs calls, never a wrong answer).
 */
export async function cloudFrontTagsInBulk(arns: string[], ctx: ReadContext): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  const wanted = arns.filter((a) => !ctx.tagsByArn.has(a));
  if (ctx.clients.region !== GLOBAL_TAGGING_REGION || !wanted.length) return out;
  await Promise.all(chunk(wanted, 100).map(async (group) => {
    try {
      let token: string | undefined;
      do {
        const page = await ctx.clients.gate.call('tagging:GetResources', () =>
          ctx.clients.tagging.send(new GetResourcesCommand({ ResourceARNList: group, PaginationToken: token || undefined })));
        for (const m of page.ResourceTagMappingList ?? []) if (m.ResourceARN) out.set(m.ResourceARN, userTags(m.Tags));
        token = page.PaginationToken || undefined;
      } while (token);
    } catch {
      // Per-object reads follow for this group.
    }
  }));
  return out;
}

export async function cloudFrontTags(arn: string, ctx: ReadContext, bulk?: ReadonlyMap<string, Record<string, string>>): Promise<Record<string, string>> {
  const known = ctx.tagsByArn.get(arn) ?? bulk?.get(arn);
  if (known) return known;
  const out = await ctx.clients.gate.call('cloudfront:ListTagsForResource', () => ctx.clients.cloudfront.send(new ListTagsForResourceCommand({ Resource: arn })));
  return userTags(out.Tags?.Items);
}

export function revertCloudFrontTags(request: RevertRequest, arn: string, clients: AwsClients): Promise<RevertOutcome> {
  const cf = clients.cloudfront;
  return revertTagMap(request, async ({ set, remove }) => {
    if (remove.length) await clients.gate.call('cloudfront:UntagResource', () => cf.send(new UntagResourceCommand({ Resource: arn, TagKeys: { Items: remove } })));
    if (set.length) await clients.gate.call('cloudfront:TagResource', () => cf.send(new TagResourceCommand({ Resource: arn, Tags: { Items: set } })));
  });
}

/** `key=value` pairs in a fixed order: one readable, comparable atom per nested block. */
export function atom(fields: Array<[string, unknown]>): string {
  return fields.map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : String(v ?? '')}`).join(' ');
}
