// Amazon RDS (query protocol, Version 2014-10-31): DB instances and clusters, subnet groups, DB and
// DB cluster parameter groups, and tags by ARN (AddTagsToResource, RemoveTagsFromResource,
// ListTagsForResource) — what the aws_db_* and aws_rds_* types read and write.
import type { CallContext } from '../../context';
import { notFound } from '../../errors';
import type { QueryParams } from '../../protocol/query-xml';
import type { Tags } from '../../world';
import type { XmlNode } from '../../xml';
import { rdsDatabaseOperations } from './databases';
import { rdsGroupOperations } from './groups';
import { rdsOf, type RdsWorld } from './model';
import { invalidValue, tagListNode, tagsParam } from './shapes';

type Handler = (ctx: CallContext, params: QueryParams) => XmlNode[];

/** What a tag call finds behind an RDS ARN: the tag holder and AWS's not-found error for its kind. */
const KINDS: Record<string, { table: 'instances' | 'clusters' | 'subnetGroups' | 'parameterGroups' | 'clusterParameterGroups'; code: string; cfn: string }> = {
  db: { table: 'instances', code: 'DBInstanceNotFound', cfn: 'AWS::RDS::DBInstance' },
  cluster: { table: 'clusters', code: 'DBClusterNotFoundFault', cfn: 'AWS::RDS::DBCluster' },
  subgrp: { table: 'subnetGroups', code: 'DBSubnetGroupNotFoundFault', cfn: 'AWS::RDS::DBSubnetGroup' },
  pg: { table: 'parameterGroups', code: 'DBParameterGroupNotFound', cfn: 'AWS::RDS::DBParameterGroup' },
  'cluster-pg': { table: 'clusterParameterGroups', code: 'DBParameterGroupNotFound', cfn: 'AWS::RDS::DBClusterParameterGroup' },
};

/** The tagged object an RDS ARN names (also used by the Tagging API). */
export function rdsTagHolder(w: RdsWorld, region: string, arn: string): { tags: Tags } | undefined {
  const m = /^arn:aws:rds:([^:]+):(\d{12}):([a-z-]+):(.+)$/.exec(arn);
  if (!m || m[1] !== region || m[2] !== w.accountId) return undefined;
  const kind = KINDS[m[3]!];
  return kind ? rdsOf(w)[kind.table][`${region}/${m[4]!.toLowerCase()}`] : undefined;
}

function holderFor(ctx: CallContext, action: string, record: boolean): (arn: string) => { tags: Tags } {
  return (arn) => {
    const m = /^arn:aws:rds:([^:]+):(\d{12}):([a-z-]+):(.+)$/.exec(arn);
    const kind = m ? KINDS[m[3]!] : undefined;
    if (!m || !kind) throw invalidValue(`The specified resource name does not match an RDS resource in this region: ${arn}`);
    if (record) ctx.trail.resources.push({ type: kind.cfn, name: m[4]!, arn });
    ctx.authorize(action, arn);
    const holder = rdsTagHolder(ctx.world, ctx.region, arn);
    if (!holder) throw notFound(kind.code, `${m[4]} not found.`);
    return holder;
  };
}

const tagOperations: Record<string, Handler> = {
  AddTagsToResource(ctx, params) {
    const holder = holderFor(ctx, 'rds:AddTagsToResource', true)(params.required('ResourceName'));
    holder.tags = { ...holder.tags, ...tagsParam(params) };
    return [];
  },
  RemoveTagsFromResource(ctx, params) {
    const holder = holderFor(ctx, 'rds:RemoveTagsFromResource', true)(params.required('ResourceName'));
    const keys = params.list('TagKeys.member');
    holder.tags = Object.fromEntries(Object.entries(holder.tags).filter(([k]) => !keys.includes(k)));
    return [];
  },
  ListTagsForResource(ctx, params) {
    const holder = holderFor(ctx, 'rds:ListTagsForResource', false)(params.required('ResourceName'));
    return [tagListNode(holder.tags)];
  },
};

export const rdsOperations: Record<string, Handler> = { ...rdsGroupOperations, ...rdsDatabaseOperations, ...tagOperations };
