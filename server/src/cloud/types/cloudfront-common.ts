// What the CloudFront types share: CloudFront's not-found codes, tags by ARN (the Tagging API's
// answer when the check listed it, else ListTagsForResource — CloudFront has no batch tag read),
// and tag write-back through TagResource/UntagResource. CloudFront is global; its client is
// signed for us-east-1 (see clients.ts).
import { ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-cloudfront';
import type { AwsClients } from '../clients';
import { AwsCallError, describeError } from '../errors';
import { revertTagMap, userTags } from './common';
import type { ReadContext, RevertOutcome, RevertRequest } from './resource-type';

const NOT_FOUND = new Set(['NoSuchDistribution', 'NoSuchOriginAccessControl', 'NoSuchFunctionExists', 'NoSuchResource']);

export function isCloudFrontNotFound(error: unknown): boolean {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  return NOT_FOUND.has(f.code);
}

export async function cloudFrontTags(arn: string, ctx: ReadContext): Promise<Record<string, string>> {
  const known = ctx.tagsByArn.get(arn);
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
