// EKS tags by ARN (clusters, node groups, add-ons, access entries): TagResource, UntagResource,
// ListTagsForResource, and the taggable objects the Resource Groups Tagging API lists.
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import type { RestJsonRequest, RestJsonResult } from '../../protocol/rest-json';
import type { Tags } from '../../world';
import { body, checkTags, clustersOf, type EksWorld } from './model';

export interface EksTaggable {
  arn: string;
  /** `eks:cluster`, `eks:nodegroup`, `eks:addon` or `eks:access-entry`, as ResourceTypeFilters name them. */
  type: string;
  holder: { tags: Tags };
}

/** Every EKS object of a region that carries tags. */
export function* eksTaggables(w: EksWorld, region: string): Generator<EksTaggable> {
  for (const c of Object.values(w.eksClusters ?? {})) {
    if (c.region !== region) continue;
    yield { arn: c.arn, type: 'eks:cluster', holder: c };
    for (const g of Object.values(c.nodegroups)) yield { arn: g.arn, type: 'eks:nodegroup', holder: g };
    for (const a of Object.values(c.addons)) yield { arn: a.arn, type: 'eks:addon', holder: a };
    for (const e of Object.values(c.accessEntries)) yield { arn: e.arn, type: 'eks:access-entry', holder: e };
  }
}

const ARN = /^arn:aws[\w-]*:eks:([a-z0-9-]+):(\d{12}):(cluster|nodegroup|addon|access-entry)\/([^/]+)(\/.+)?$/;

/** The EKS object an ARN names in this region, or undefined. */
export function eksTaggableByArn(w: EksWorld, region: string, arn: string): EksTaggable | undefined {
  const m = ARN.exec(arn);
  if (!m || m[1] !== region || m[2] !== w.accountId) return undefined;
  const cluster = clustersOf(w)[`${region}/${m[4]}`];
  if (!cluster) return undefined;
  for (const t of eksTaggables({ accountId: w.accountId, eksClusters: { [`${region}/${cluster.name}`]: cluster } }, region)) if (t.arn === arn) return t;
  return undefined;
}

function taggableFor(ctx: CallContext, arn: string, action: string): EksTaggable {
  if (!ARN.test(arn)) throw new ApiError('BadRequestException', `${arn} is not a valid resource ARN`, 400);
  ctx.trail.resources.push({ type: 'AWS::EKS::Resource', name: arn, arn });
  const cluster = ARN.exec(arn)![4]!;
  ctx.trail.resources.push({ type: 'AWS::EKS::Cluster', name: cluster });
  ctx.authorize(action, arn);
  const t = eksTaggableByArn(ctx.world, ctx.region, arn);
  if (!t) throw new ApiError('NotFoundException', `Resource ${arn} not found`, 404);
  return t;
}

function tagResource(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const t = taggableFor(ctx, req.path.resourceArn!, 'eks:TagResource');
  const tags = body.map(req.body, 'tags');
  if (!tags || !Object.keys(tags).length) throw new ApiError('BadRequestException', 'tags must contain at least one tag', 400);
  t.holder.tags = checkTags({ ...t.holder.tags, ...tags });
  return { body: {} };
}

function untagResource(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const t = taggableFor(ctx, req.path.resourceArn!, 'eks:UntagResource');
  const keys = req.query.all('tagKeys');
  if (!keys.length) throw new ApiError('BadRequestException', 'tagKeys must contain at least one key', 400);
  const next = { ...t.holder.tags };
  for (const k of keys) delete next[k];
  t.holder.tags = next;
  return { body: {} };
}

function listTagsForResource(ctx: CallContext, req: RestJsonRequest): RestJsonResult {
  const t = taggableFor(ctx, req.path.resourceArn!, 'eks:ListTagsForResource');
  return { body: { tags: t.holder.tags } };
}

export const tagHandlers = { tagResource, untagResource, listTagsForResource };
