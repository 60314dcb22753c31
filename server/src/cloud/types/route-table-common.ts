// Shared by aws_route_table and aws_default_route_table: both are members of the
// DescribeRouteTables family, compare `route` as a set of (destination, target) atoms when it is
// declared, and report the live routes of a managed table that no aws_route declares.
import { CreateRouteCommand, DeleteRouteCommand, DisableVgwRoutePropagationCommand, EnableVgwRoutePropagationCommand, ReplaceRouteCommand, RouteTable } from '@aws-sdk/client-ec2';
import type { LiveResource } from '../../model';
import { canonicalJson } from '../../drift/values';
import { member, type FamilyRows } from '../families/family';
import { routeTablesFamily, tableKey, tableOf } from '../families/route-tables';
import { cannotRevert, foundEntry, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ContainerMembers, ResourceType, RevertOutcome, RevertRequest } from './resource-type';
import type { AwsClients } from '../clients';
import { canonicalRoutes, managedRoutes, routeAtoms, routeBlock, routeDestination, routePhrases, routeRequest, routeTarget } from './route-common';

export function routeTableAttributes(t: RouteTable): Record<string, unknown> {
  return {
    vpc_id: t.VpcId,
    route: managedRoutes(t).map(routeBlock),
    propagating_vgws: (t.PropagatingVgws ?? []).map((g) => g.GatewayId).filter((g): g is string => Boolean(g)),
    owner_id: t.OwnerId,
    tags: userTags(t.Tags),
  };
}

export const routeTableMember = (type: string) => member(routeTablesFamily, {
  keys: (t) => [tableKey(t.id)],
  pick(t, rows, ctx) {
    const table = tableOf(rows.lookup(tableKey(t.id)), t.id);
    if (table && 'failure' in table) return unknownEntry(ctx, table.failure);
    if (!table) return missingEntry(ctx, t.id, `route table ${t.id} does not exist`);
    return foundEntry(t, type, ctx, { ...routeTableAttributes(table), ...(type === 'aws_default_route_table' ? { default_route_table_id: t.id } : {}) });
  },
});

/** The routes of a managed table that no aws_route declares (only when its routes are aws_route resources). */
export const routeTableMembers: ContainerMembers = {
  family: routeTablesFamily,
  managesMembers: (t, declared) => (declared.get('aws_route') ?? []).some((i) => i.attributes.route_table_id === t.id),
  keys: (t) => [tableKey(t.id)],
  unmanaged(target, container, rows, declared, ctx) {
    const table = tableOf((rows as FamilyRows<RouteTable>).lookup(tableKey(target.id)), target.id);
    if (!table || 'failure' in table || target.needs?.has('route')) return [];
    const routes = (declared.get('aws_route') ?? []).filter((i) => i.attributes.route_table_id === target.id);
    if (routes.length === 0) return [];
    const claimed = new Set(routes.map((i) => str(i.attributes.destination_cidr_block) ?? str(i.attributes.destination_ipv6_cidr_block) ?? str(i.attributes.destination_prefix_list_id)));
    const out: LiveResource[] = [];
    for (const r of managedRoutes(table)) {
      const destination = routeDestination(r);
      if (!destination || claimed.has(destination) || r.Origin !== 'CreateRoute') continue;
      const attributes = routeAttributes(target.id, r);
      out.push({
        type: 'aws_route', address: '', id: `${target.id}_${destination}`, readAt: ctx.now, attributes,
        container: {
          resourceAddress: target.state.resourceAddress,
          severity: destination === '0.0.0.0/0' || destination === '::/0' ? 'error' : 'warning',
          note: `unmanaged route ${destination} → ${routeTarget(r) ?? 'no target'} in ${container.address || target.address}: no aws_route or inline route block declares it`,
        },
      });
    }
    return out;
  },
};

/** A live route as aws_route's attributes. */
export function routeAttributes(tableId: string, r: import('@aws-sdk/client-ec2').Route): Record<string, unknown> {
  const b = routeBlock(r);
  return {
    route_table_id: tableId,
    destination_cidr_block: b.cidr_block || null,
    destination_ipv6_cidr_block: b.ipv6_cidr_block || null,
    destination_prefix_list_id: b.destination_prefix_list_id || null,
    gateway_id: b.gateway_id || null,
    nat_gateway_id: b.nat_gateway_id || null,
    network_interface_id: b.network_interface_id || null,
    transit_gateway_id: b.transit_gateway_id || null,
    vpc_peering_connection_id: b.vpc_peering_connection_id || null,
    egress_only_gateway_id: b.egress_only_gateway_id || null,
    vpc_endpoint_id: b.vpc_endpoint_id || null,
    carrier_gateway_id: b.carrier_gateway_id || null,
    local_gateway_id: b.local_gateway_id || null,
    core_network_arn: b.core_network_arn || null,
    instance_id: r.InstanceId ?? null,
    origin: r.Origin,
    state: r.State,
  };
}

/** Writes `route` or `propagating_vgws` back: creates, replaces and deletes until live equals declared. */
export async function revertRouteTable(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> {
  const { attribute, id } = request;
  if (attribute === 'tags') return revertEc2Tags(clients, request);
  if (attribute === 'propagating_vgws') {
    const want = new Set((Array.isArray(request.declared) ? request.declared : []).map(String));
    const have = new Set((request.live.attributes.propagating_vgws ?? []) as string[]);
    for (const g of want) if (!have.has(g)) await clients.gate.call('ec2:EnableVgwRoutePropagation', () => clients.ec2.send(new EnableVgwRoutePropagationCommand({ RouteTableId: id, GatewayId: g })));
    for (const g of have) if (!want.has(g)) await clients.gate.call('ec2:DisableVgwRoutePropagation', () => clients.ec2.send(new DisableVgwRoutePropagationCommand({ RouteTableId: id, GatewayId: g })));
    return { ok: true, message: 'propagating_vgws restored' };
  }
  if (attribute !== 'route') return cannotRevert(attribute);
  const want = routeAtoms(request.declared);
  const have = routeAtoms(request.live.attributes.route as never);
  const haveBy = new Map(have.map((a) => [a.destination, a]));
  const wantBy = new Map(want.map((a) => [a.destination, a]));
  let created = 0, replaced = 0, deleted = 0;
  for (const a of have) {
    if (wantBy.has(a.destination)) continue;
    const dest = routeRequest(a.destination, 'igw-x');
    await clients.gate.call('ec2:DeleteRoute', () => clients.ec2.send(new DeleteRouteCommand({ RouteTableId: id, DestinationCidrBlock: dest.DestinationCidrBlock, DestinationIpv6CidrBlock: dest.DestinationIpv6CidrBlock, DestinationPrefixListId: dest.DestinationPrefixListId })));
    deleted++;
  }
  for (const a of want) {
    const now = haveBy.get(a.destination);
    if (now && canonicalJson({ ...now }) === canonicalJson({ ...a })) continue;
    if (!a.target) return { ok: false, message: `route ${a.destination} declares no target` };
    const input = { RouteTableId: id, ...routeRequest(a.destination, a.target) };
    if (now) {
      await clients.gate.call('ec2:ReplaceRoute', () => clients.ec2.send(new ReplaceRouteCommand(input)));
      replaced++;
    } else {
      await clients.gate.call('ec2:CreateRoute', () => clients.ec2.send(new CreateRouteCommand(input)));
      created++;
    }
  }
  return { ok: true, message: `route: ${created} created, ${replaced} replaced, ${deleted} deleted` };
}

export const ROUTE_TABLE_ATTRIBUTES: ResourceType['attributes'] = [
  { name: 'route', compare: 'blocks', normalize: (v) => canonicalRoutes(v), phrases: (v) => routePhrases(v), severity: 'error' },
  { name: 'propagating_vgws', compare: 'set' },
];
