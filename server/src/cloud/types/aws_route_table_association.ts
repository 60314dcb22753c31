// aws_route_table_association and aws_main_route_table_association: members of the
// DescribeRouteTables family, found in the table state records. AWS gives a replaced association
// a new id, so an association moved to another table by hand is missing, as Terraform sees it.
import { member } from '../families/family';
import { routeTablesFamily, tableKey, tableOf } from '../families/route-tables';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

const REPLACED = 'AWS replaces the association under a new id, which only terraform apply can record in state';

function associationType(main: boolean): ResourceType {
  const type = main ? 'aws_main_route_table_association' : 'aws_route_table_association';
  return {
    type,
    tags: false,
    attributes: main
      ? [{ name: 'vpc_id', compare: 'scalar', forceNew: true }, { name: 'route_table_id', compare: 'scalar', severity: 'error' }]
      : [
        { name: 'route_table_id', compare: 'scalar', severity: 'error' },
        { name: 'subnet_id', compare: 'scalar', forceNew: true },
        { name: 'gateway_id', compare: 'scalar', forceNew: true },
      ],
    notCompared: main ? { original_route_table_id: 'the table that was main before Terraform; recorded once, never read back' } : {},
    family: member(routeTablesFamily, {
      keys: (t) => {
        const table = str(t.state.attributes.route_table_id);
        return table ? [tableKey(table)] : 'state records no route_table_id for this association';
      },
      pick(t, rows, ctx) {
        const tableId = String(t.state.attributes.route_table_id);
        const table = tableOf(rows.lookup(tableKey(tableId)), tableId);
        if (table && 'failure' in table) return unknownEntry(ctx, table.failure);
        const a = table?.Associations?.find((x) => x.RouteTableAssociationId === t.id && Boolean(x.Main) === main);
        if (!table || !a) return missingEntry(ctx, t.id, `route table association ${t.id} does not exist in ${tableId}`);
        const attributes: Record<string, unknown> = main
          ? { vpc_id: table.VpcId, route_table_id: tableId }
          : { route_table_id: tableId, subnet_id: a.SubnetId ?? null, gateway_id: a.GatewayId ?? null };
        return foundEntry(t, type, ctx, attributes);
      },
    }),
    idFromState: (a) => str(a.id),
    importId: (live) => (main ? live.id : `${String(live.attributes.subnet_id ?? live.attributes.gateway_id)}/${String(live.attributes.route_table_id)}`),
    suggestName: (live) => live.id.replace(/-/g, '_'),
    revertUnsupported: 'the only in-place change (route_table_id) makes AWS replace the association under a new id',
    revert: async (request) => cannotRevert(request.attribute, request.attribute === 'route_table_id' ? REPLACED : undefined),
  };
}

export const awsRouteTableAssociation = associationType(false);
export const awsMainRouteTableAssociation = associationType(true);
