// aws_vpn_gateway_route_propagation (DescribeRouteTables family): present while the table lists
// the gateway among its propagating gateways; both arguments force a new propagation.
import { member } from '../families/family';
import { routeTablesFamily, tableKey, tableOf } from '../families/route-tables';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';

export const awsVpnGatewayRoutePropagation: ResourceType = {
  type: 'aws_vpn_gateway_route_propagation',
  tags: false,
  attributes: [
    { name: 'route_table_id', compare: 'scalar', forceNew: true },
    { name: 'vpn_gateway_id', compare: 'scalar', forceNew: true },
  ],
  revertUnsupported: 'both arguments force a new propagation; a disabled propagation reads as missing',
  // The route tables family serves every route type; the propagation is one more member.
  family: member(routeTablesFamily,
    {
      keys(t) {
        const table = str(t.state.attributes.route_table_id);
        return table ? [tableKey(table)] : 'state records no route_table_id for this propagation';
      },
      pick(t, rows, ctx) {
        const tableId = String(t.state.attributes.route_table_id);
        const gatewayId = str(t.state.attributes.vpn_gateway_id);
        const table = tableOf(rows.lookup(tableKey(tableId)), tableId);
        if (table && 'failure' in table) return unknownEntry(ctx, table.failure);
        if (!table || !gatewayId || !(table.PropagatingVgws ?? []).some((g) => g.GatewayId === gatewayId)) {
          return missingEntry(ctx, t.id, `route table ${tableId} does not propagate routes from ${gatewayId ?? 'a VPN gateway'}`);
        }
        return foundEntry(t, 'aws_vpn_gateway_route_propagation', ctx, { route_table_id: tableId, vpn_gateway_id: gatewayId });
      },
    },
  ),
  idFromState: (a) => str(a.id) ?? (str(a.vpn_gateway_id) && str(a.route_table_id) ? `${String(a.route_table_id)}_${String(a.vpn_gateway_id)}` : undefined),
  importId: (live) => `${String(live.attributes.route_table_id)}_${String(live.attributes.vpn_gateway_id)}`,
  suggestName: (live) => String(live.attributes.route_table_id ?? live.id).replace(/-/g, '_'),
  revert: async (request) => cannotRevert(request.attribute),
};
