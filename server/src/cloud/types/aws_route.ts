// aws_route: one route of a table, a member of the DescribeRouteTables family (read by the
// table id state records). Its id is the provider's import id, `<table>_<destination>`.
import { DeleteRouteCommand, ReplaceRouteCommand } from '@aws-sdk/client-ec2';
import { member } from '../families/family';
import { routeTablesFamily, tableKey, tableOf } from '../families/route-tables';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';
import { routeRequest, TARGET_ARGS } from './route-common';
import { routeAttributes } from './route-table-common';
import { routeDestination } from './route-common';

const destinationOf = (a: Record<string, unknown>) =>
  str(a.destination_cidr_block) ?? str(a.destination_ipv6_cidr_block) ?? str(a.destination_prefix_list_id);

export const awsRoute: ResourceType = {
  type: 'aws_route',
  tags: false,
  attributes: [
    { name: 'route_table_id', compare: 'scalar', forceNew: true },
    { name: 'destination_cidr_block', compare: 'scalar', forceNew: true },
    { name: 'destination_ipv6_cidr_block', compare: 'scalar', forceNew: true },
    { name: 'destination_prefix_list_id', compare: 'scalar', forceNew: true },
    ...TARGET_ARGS.map((name) => ({ name, compare: 'scalar' as const, severity: 'error' as const })),
  ],
  notCompared: {
    instance_id: 'computed: the provider records the instance behind network_interface_id',
    origin: 'computed by AWS', state: 'computed by AWS (blackhole is a consequence, not a change)',
  },
  family: member(routeTablesFamily, {
    keys: (t) => {
      const table = str(t.state.attributes.route_table_id);
      return table ? [tableKey(table)] : 'state records no route_table_id for this route';
    },
    pick(t, rows, ctx) {
      const tableId = String(t.state.attributes.route_table_id);
      const destination = destinationOf(t.state.attributes);
      const table = tableOf(rows.lookup(tableKey(tableId)), tableId);
      if (table && 'failure' in table) return unknownEntry(ctx, table.failure);
      const route = table?.Routes?.find((r) => routeDestination(r) === destination);
      if (!table || !route || !destination) return missingEntry(ctx, t.id, `route ${destination ?? '?'} does not exist in route table ${tableId}`);
      return foundEntry(t, 'aws_route', ctx, routeAttributes(tableId, route));
    },
  }),
  idFromState: (a) => {
    const table = str(a.route_table_id);
    const destination = destinationOf(a);
    return table && destination ? `${table}_${destination}` : undefined;
  },
  importId: (live) => live.id,
  suggestName: (live) => `route_${String(destinationOf(live.attributes) ?? live.id).replace(/[^A-Za-z0-9]/g, '_')}`,

  async removeLive(live, clients) {
    const destination = destinationOf(live.attributes) ?? '';
    const dest = routeRequest(destination, 'igw-x');
    await clients.gate.call('ec2:DeleteRoute', () => clients.ec2.send(new DeleteRouteCommand({
      RouteTableId: String(live.attributes.route_table_id),
      DestinationCidrBlock: dest.DestinationCidrBlock, DestinationIpv6CidrBlock: dest.DestinationIpv6CidrBlock, DestinationPrefixListId: dest.DestinationPrefixListId,
    })));
    return { ok: true, message: `route ${destination} deleted from ${String(live.attributes.route_table_id)}` };
  },

  async revert(request, clients) {
    const { attribute, declared, live } = request;
    if (!(TARGET_ARGS as readonly string[]).includes(attribute)) return cannotRevert(attribute);
    if (typeof declared !== 'string' || declared === '') return { ok: false, message: `${attribute} declares no target to write back` };
    const input = { RouteTableId: String(live.attributes.route_table_id), ...routeRequest(destinationOf(live.attributes) ?? '', declared) };
    await clients.gate.call('ec2:ReplaceRoute', () => clients.ec2.send(new ReplaceRouteCommand(input)));
    return { ok: true, message: `route ${destinationOf(live.attributes)} points at ${declared} again` };
  },
};
