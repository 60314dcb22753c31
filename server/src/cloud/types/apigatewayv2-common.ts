// What the API Gateway v2 types share: the paged per-API listings (GetStages, GetRoutes,
// GetIntegrations return every child of one API, tags included, so one listing serves every
// declared child of that API), ARNs, and map/block comparisons in canonical form.
import type { LiveEntry } from '../../drift/snapshot';
import type { Known } from '../../drift/values';
import { AwsCallError, describeError } from '../errors';
import { canonicalJson, isObject } from '../../drift/values';
import { canonicalShape } from './canonical-shape';
import { foundEntry, listAllPages, missingEntry, str, unknownEntry } from './common';
import type { ReadContext, ReadTarget } from './resource-type';

export const apiArn = (region: string, apiId: string): string => `arn:aws:apigateway:${region}::/apis/${apiId}`;
export const stageArn = (region: string, apiId: string, stage: string): string => `${apiArn(region, apiId)}/stages/${stage}`;

export function isNotFound(error: unknown): boolean {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  return f.code === 'NotFoundException';
}

/**
 * A map or block argument as one canonical atom: unset members dropped, sets sorted, list-vs-block
 * shapes equal; a block with nothing set (the all-default route settings AWS reports on every
 * stage) is no block.
 */
export function shapeAtom(value: Known): Known {
  const c = canonicalShape(value);
  return c === undefined || (isObject(c) && Object.keys(c).length === 0) ? [] : [canonicalJson(c)];
}

/** A string map (stage variables, request models, request parameters) compared as one value; unset is empty. */
export const mapRule = (name: string) => ({ name, compare: 'blocks' as const, normalize: shapeAtom, default: {} });

interface ChildListing<T> {
  /** Lists one page of an API's children. */
  page(apiId: string, token: string | undefined): Promise<{ items: T[]; next?: string }>;
  /** The id a child is declared by (a stage's name, a route's or integration's id). */
  idOf(item: T): string | undefined;
  /** The Terraform-shaped attributes of a child. */
  attributes(item: T, target: ReadTarget, apiId: string): Record<string, unknown>;
  arn?(apiId: string, item: T): string | undefined;
}

/**
 * Reads declared children of APIs with one paged listing per API: a child absent from its API's
 * complete listing is missing, as is every child of an API that is gone.
 */
export async function readApiChildren<T>(type: string, operation: string, targets: ReadTarget[], ctx: ReadContext, listing: ChildListing<T>): Promise<Map<string, LiveEntry>> {
  const out = new Map<string, LiveEntry>();
  const byApi = new Map<string, ReadTarget[]>();
  for (const t of targets) {
    const apiId = str(t.state.attributes.api_id);
    if (!apiId) {
      out.set(t.address, unknownEntry(ctx, 'the state records no api_id'));
      continue;
    }
    byApi.set(apiId, [...(byApi.get(apiId) ?? []), t]);
  }
  await Promise.all([...byApi].map(async ([apiId, group]) => {
    const items = new Map<string, T>();
    let gone = false;
    const failure = await listAllPages(ctx, operation, async (token) => {
      try {
        return await listing.page(apiId, token);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        gone = true;
        return { items: [] as T[] };
      }
    }, (p) => {
      for (const item of p.items) {
        const id = listing.idOf(item);
        if (id !== undefined) items.set(id, item);
      }
      return p.next;
    });
    for (const t of group) {
      const item = items.get(t.id);
      if (failure) out.set(t.address, unknownEntry(ctx, failure));
      else if (gone) out.set(t.address, missingEntry(ctx, t.id, `API ${apiId} does not exist`));
      else if (!item) out.set(t.address, missingEntry(ctx, t.id, `${t.id} is not in API ${apiId}`));
      else out.set(t.address, foundEntry(t, type, ctx, listing.attributes(item, t, apiId), { arn: listing.arn?.(apiId, item) ?? t.arn }));
    }
  }));
  return out;
}
