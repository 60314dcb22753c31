// The RDS database families: DescribeDBInstances (aws_db_instance and aws_rds_cluster_instance —
// a cluster member is a DB instance) and DescribeDBClusters (aws_rds_cluster), each by its
// identifier filter with up to 100 identifiers a call and Marker pagination. A filter, unlike
// DBInstanceIdentifier, does not fail the call for an identifier that no longer exists, so an
// identifier absent from the listing is proven missing. Tags come with each object (TagList).
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, type DBCluster, type DBInstance } from '@aws-sdk/client-rds';
import type { AwsClients } from '../clients';
import { chunk, failureText } from '../types/common';
import type { FamilyKey, ReadFamily } from './family';

export const DB_INSTANCE_KEY = 'db-instance-id';
export const DB_CLUSTER_KEY = 'db-cluster-id';

interface Page<Item> {
  items: Item[];
  marker?: string;
}

function rdsFamily<Item>(name: string, filter: string, page: (clients: AwsClients, ids: string[], marker: string | undefined) => Promise<Page<Item>>, idOf: (item: Item) => string | undefined): ReadFamily<Item> {
  return {
    name,
    async load(keys, ctx) {
      const ids = [...new Set(keys.filter((k) => k.filter === filter).map((k) => k.value.toLowerCase()))];
      const found = new Map<string, Item>();
      const failed = new Map<string, string>();
      await Promise.all(chunk(ids, 100).map(async (group) => {
        try {
          let marker: string | undefined;
          do {
            const out = await ctx.clients.gate.call(name, () => page(ctx.clients, group, marker));
            for (const item of out.items) {
              const id = idOf(item)?.toLowerCase();
              if (id) found.set(id, item);
            }
            marker = out.marker;
          } while (marker);
        } catch (error) {
          for (const id of group) failed.set(id, failureText(error));
        }
      }));
      return {
        lookup(key: FamilyKey) {
          const id = key.value.toLowerCase();
          const failure = failed.get(id);
          if (failure) return { failure };
          if (key.filter !== filter || !ids.includes(id)) return { failure: `${name} was not planned for ${key.filter}=${key.value}` };
          const item = found.get(id);
          return { items: item ? [item] : [] };
        },
      };
    },
  };
}

export const dbInstancesFamily: ReadFamily<DBInstance> = rdsFamily('rds:DescribeDBInstances', DB_INSTANCE_KEY, async (clients, ids, Marker) => {
  const out = await clients.rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: DB_INSTANCE_KEY, Values: ids }], Marker, MaxRecords: 100 }));
  return { items: out.DBInstances ?? [], marker: out.Marker };
}, (i) => i.DBInstanceIdentifier);

export const dbClustersFamily: ReadFamily<DBCluster> = rdsFamily('rds:DescribeDBClusters', DB_CLUSTER_KEY, async (clients, ids, Marker) => {
  const out = await clients.rds.send(new DescribeDBClustersCommand({ Filters: [{ Name: DB_CLUSTER_KEY, Values: ids }], Marker, MaxRecords: 100 }));
  return { items: out.DBClusters ?? [], marker: out.Marker };
}, (c) => c.DBClusterIdentifier);
