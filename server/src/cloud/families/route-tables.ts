// DescribeRouteTables by route table id serves every route type: aws_route_table,
// aws_default_route_table, aws_route, aws_route_table_association,
// aws_main_route_table_association, and the unmanaged-route check of managed tables.
import { DescribeRouteTablesCommand, RouteTable } from '@aws-sdk/client-ec2';
import { ec2Family, FamilyKey } from './family';

export const routeTablesFamily = ec2Family<RouteTable>({
  name: 'ec2:DescribeRouteTables',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeRouteTablesCommand({ Filters, MaxResults: 100, NextToken }));
    return { items: out.RouteTables ?? [], next: out.NextToken };
  },
  valuesOf: (t, filter) => (filter === 'route-table-id' && t.RouteTableId ? [t.RouteTableId] : []),
  idOf: (t) => t.RouteTableId,
});

export const tableKey = (routeTableId: string): FamilyKey => ({ filter: 'route-table-id', value: routeTableId });

/** The one table a key names, `undefined` when it does not exist, or the read's failure. */
export function tableOf(found: { items: RouteTable[] } | { failure: string }, id: string): RouteTable | undefined | { failure: string } {
  if ('failure' in found) return found;
  return found.items.find((t) => t.RouteTableId === id);
}
