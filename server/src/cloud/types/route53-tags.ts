// Tags of Route 53 hosted zones and health checks: from the Tagging API's page where it listed the
// object (it lists Route 53 in us-east-1), else ListTagsForResources, 10 ids a call.
import { ListTagsForResourcesCommand } from '@aws-sdk/client-route-53';
import { chunk, failureText } from './common';
import type { ReadContext } from './resource-type';

export type Route53TagType = 'hostedzone' | 'healthcheck';

export const route53Arn = (type: Route53TagType, id: string): string => `arn:aws:route53:::${type}/${id}`;

/** Tags by id; a failed batch leaves its ids out and names them in `failures`. */
export async function route53Tags(ctx: ReadContext, type: Route53TagType, ids: readonly string[]): Promise<{ tags: Map<string, Record<string, string>>; failures: Map<string, string> }> {
  const tags = new Map<string, Record<string, string>>();
  const failures = new Map<string, string>();
  const unlisted: string[] = [];
  for (const id of new Set(ids)) {
    const listed = ctx.tagsByArn.get(route53Arn(type, id));
    if (listed) tags.set(id, listed);
    else unlisted.push(id);
  }
  await Promise.all(chunk(unlisted, 10).map(async (group) => {
    try {
      const page = await ctx.clients.gate.call('route53:ListTagsForResources', () =>
        ctx.clients.route53.send(new ListTagsForResourcesCommand({ ResourceType: type, ResourceIds: group })));
      for (const set of page.ResourceTagSets ?? []) {
        const own: Record<string, string> = {};
        for (const t of set.Tags ?? []) if (t.Key && !t.Key.startsWith('aws:')) own[t.Key] = t.Value ?? '';
        if (set.ResourceId) tags.set(set.ResourceId, own);
      }
    } catch (error) {
      for (const id of group) failures.set(id, failureText(error));
    }
  }));
  return { tags, failures };
}
