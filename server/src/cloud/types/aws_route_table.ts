// aws_route_table: a member of the DescribeRouteTables family. `route` and `propagating_vgws`
// are compared only when declared (the provider's attributes-as-blocks: absent means "routes are
// managed elsewhere"); a table whose routes are aws_route resources reports routes nobody declares.
import { labelFrom, str } from './common';
import type { ResourceType } from './resource-type';
import { revertRouteTable, ROUTE_TABLE_ATTRIBUTES, routeTableMember, routeTableMembers } from './route-table-common';

export const awsRouteTable: ResourceType = {
  type: 'aws_route_table',
  tags: true,
  taggingType: 'ec2:route-table',
  attributes: [{ name: 'vpc_id', compare: 'scalar', forceNew: true }, ...ROUTE_TABLE_ATTRIBUTES],
  notCompared: { owner_id: 'computed by AWS', arn: 'computed by AWS' },
  family: routeTableMember('aws_route_table'),
  members: routeTableMembers,
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:route-table\/(rtb-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  revert: revertRouteTable,
};
