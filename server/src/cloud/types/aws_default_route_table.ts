// aws_default_route_table: adopts a VPC's main route table; read like aws_route_table through the
// DescribeRouteTables family. Its id is the table's id (default_route_table_id).
import { labelFrom, str } from './common';
import type { ResourceType } from './resource-type';
import { revertRouteTable, ROUTE_TABLE_ATTRIBUTES, routeTableMember, routeTableMembers } from './route-table-common';

export const awsDefaultRouteTable: ResourceType = {
  type: 'aws_default_route_table',
  tags: true,
  attributes: [{ name: 'default_route_table_id', compare: 'scalar', forceNew: true }, ...ROUTE_TABLE_ATTRIBUTES],
  notCompared: { vpc_id: 'computed from the adopted table', owner_id: 'computed by AWS', arn: 'computed by AWS' },
  family: routeTableMember('aws_default_route_table'),
  members: routeTableMembers,
  idFromState: (a) => str(a.default_route_table_id) ?? str(a.id),
  importId: (live) => String(live.attributes.vpc_id ?? live.id),
  suggestName: (live) => labelFrom(live, live.id),
  revert: revertRouteTable,
};
