// Steps every EC2 operation module takes the same way: the write check (IAM plus the CloudTrail
// resource), the query a pagination token is bound to, filtering, and the errors for unknown ids.
// Kept in one place so the modules cannot drift apart on what EC2 does uniformly.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import type { QueryParams } from '../protocol/query-xml';
import { arns, type Vpc } from '../world';
import { checkFilterNames, matchesFilters, readFilters, type FilterValues } from './ec2-shapes';

/** Authorizes a write on one resource (or on `*` before it has an id) and notes it for CloudTrail. */
export function authorizeWrite(ctx: CallContext, action: string, type: string, trailType: string, id?: string): void {
  const arn = arns.ec2(ctx.region, ctx.world.accountId, type, id ?? '*');
  if (id) ctx.trail.resources.push({ type: trailType, name: id, arn });
  ctx.authorize(action, [arn]);
}

/** The parameters a NextToken is bound to: the query minus the paging and dry-run ones. */
export function queryKey(p: QueryParams): string {
  return JSON.stringify(p.entries().filter(([k]) => k !== 'NextToken' && k !== 'MaxResults' && k !== 'DryRun').sort());
}

/** The request's `Filter.N` applied to a list; an unknown filter name fails even when nothing would match. */
export function filtered<T>(list: T[], p: QueryParams, values: FilterValues<T>): T[] {
  const filters = readFilters(p);
  checkFilterNames(list[0], filters, values);
  return filters.length ? list.filter((x) => matchesFilters(x, filters, values)) : list;
}

/** `<Code>.NotFound` for an id of a kind described by its error code and its noun in the message. */
export function notFound(kind: { code: string; noun: string }, id: string): ApiError {
  return new ApiError(`${kind.code}.NotFound`, `The ${kind.noun} '${id}' does not exist`, 400);
}

/** A VPC of the caller's region, or EC2's InvalidVpcID.NotFound. */
export function regionalVpc(ctx: CallContext, vpcId: string): Vpc {
  const v = ctx.world.vpcs[vpcId];
  if (!v || v.region !== ctx.region) throw new ApiError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`, 400);
  return v;
}
