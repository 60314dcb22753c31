// The RDS, ElastiCache and DynamoDB objects the Resource Groups Tagging API lists and tags: each
// with its ARN, the API's resource type (`rds:db`, `elasticache:replicationgroup`,
// `dynamodb:table`) and the service's own tag permissions, which TagResources also requires.
import type { Tags } from '../../world';
import { cacheArn, cacheTagHolder, type ElastiCacheState } from '../elasticache/elasticache';
import { tableArn, type DynamoTable } from '../dynamodb/tables';
import { rdsArn, type RdsState } from './model';
import { rdsTagHolder } from './rds';

export interface DataTaggable {
  arn: string;
  type: string;
  tags: () => Tags;
  write: (tags: Tags) => void;
  tagAction: string;
  untagAction: string;
}

interface DataWorld {
  accountId: string;
  rds?: RdsState;
  elasticache?: ElastiCacheState;
  dynamodbTables?: Record<string, DynamoTable>;
}

const holderTaggable = (arn: string, type: string, holder: { tags: Tags }, service: string, tagAction = 'AddTagsToResource', untagAction = 'RemoveTagsFromResource'): DataTaggable => ({
  arn, type, tags: () => holder.tags, write: (t) => { holder.tags = t; }, tagAction: `${service}:${tagAction}`, untagAction: `${service}:${untagAction}`,
});

export function* dataTaggables(w: DataWorld, region: string): Generator<DataTaggable> {
  const rds = w.rds;
  if (rds) {
    const named = <T extends { region: string; tags: Tags }>(table: Record<string, T>, id: (o: T) => string) => Object.values(table).map((o) => ({ o, id: id(o) }));
    const kinds = [
      ['db', named(rds.instances, (i) => i.identifier)], ['cluster', named(rds.clusters, (c) => c.identifier)], ['subgrp', named(rds.subnetGroups, (g) => g.name)],
      ['pg', named(rds.parameterGroups, (g) => g.name)], ['cluster-pg', named(rds.clusterParameterGroups, (g) => g.name)],
    ] as const;
    for (const [kind, list] of kinds) {
      for (const { o, id } of list) if (o.region === region && !id.startsWith('default.')) yield holderTaggable(rdsArn(w, region, kind, id), `rds:${kind}`, o, 'rds');
    }
  }
  const cache = w.elasticache;
  if (cache) {
    for (const g of Object.values(cache.subnetGroups)) if (g.region === region) yield holderTaggable(cacheArn(w, region, 'subnetgroup', g.name), 'elasticache:subnetgroup', g, 'elasticache');
    for (const g of Object.values(cache.parameterGroups)) if (g.region === region && !g.name.startsWith('default.')) yield holderTaggable(cacheArn(w, region, 'parametergroup', g.name), 'elasticache:parametergroup', g, 'elasticache');
    for (const g of Object.values(cache.replicationGroups)) if (g.region === region) yield holderTaggable(cacheArn(w, region, 'replicationgroup', g.id), 'elasticache:replicationgroup', g, 'elasticache');
  }
  for (const t of Object.values(w.dynamodbTables ?? {})) if (t.region === region) yield holderTaggable(tableArn(w, region, t.name), 'dynamodb:table', t, 'dynamodb', 'TagResource', 'UntagResource');
}

/** The taggable object behind an RDS, ElastiCache or DynamoDB ARN in this region, if it exists. */
export function dataTaggableByArn(w: DataWorld, region: string, arn: string): DataTaggable | undefined {
  const m = /^arn:aws:(rds|elasticache|dynamodb):([^:]+):(\d{12}):(.+)$/.exec(arn);
  if (!m || m[2] !== region || m[3] !== w.accountId) return undefined;
  if (m[1] === 'rds') {
    const holder = rdsTagHolder(w, region, arn);
    return holder ? holderTaggable(arn, `rds:${m[4]!.split(':')[0]}`, holder, 'rds') : undefined;
  }
  if (m[1] === 'elasticache') {
    const holder = cacheTagHolder(w, region, arn);
    return holder ? holderTaggable(arn, `elasticache:${m[4]!.split(':')[0]}`, holder, 'elasticache') : undefined;
  }
  const name = /^table\/([^/]+)$/.exec(m[4]!)?.[1];
  const t = name ? w.dynamodbTables?.[`${region}/${name}`] : undefined;
  return t ? holderTaggable(arn, 'dynamodb:table', t, 'dynamodb', 'TagResource', 'UntagResource') : undefined;
}
