// Routes in one canonical form, shared by the route table types and aws_route: a route is its
// destination plus its target id. The target's argument name is not part of it: AWS accepts a
// NAT gateway id as gateway_id and answers with nat_gateway_id (the provider documents the
// resulting permanent diff as a configuration mistake, not a change in the cloud).
import type { Route, RouteTable } from '@aws-sdk/client-ec2';
import { isObject, Known } from '../../drift/values';

export const DESTINATION_ARGS = ['cidr_block', 'ipv6_cidr_block', 'destination_prefix_list_id'] as const;
export const TARGET_ARGS = [
  'gateway_id', 'nat_gateway_id', 'network_interface_id', 'transit_gateway_id', 'vpc_peering_connection_id', 'egress_only_gateway_id',
  'vpc_endpoint_id', 'carrier_gateway_id', 'local_gateway_id', 'core_network_arn',
] as const;

export interface RouteAtom {
  destination: string;
  target: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function routeDestination(r: Route): string | undefined {
  return r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId;
}

/** The live route's target id; a route to an instance is its network interface, as the provider stores it. */
export function routeTarget(r: Route): string | undefined {
  return r.NetworkInterfaceId ?? r.GatewayId ?? r.NatGatewayId ?? r.TransitGatewayId ?? r.VpcPeeringConnectionId ?? r.EgressOnlyInternetGatewayId
    ?? r.CarrierGatewayId ?? r.LocalGatewayId ?? r.CoreNetworkArn ?? r.InstanceId;
}

/**
 * The routes the provider's `route` set holds: not the table's `local` route, not routes a VPN
 * gateway propagates, not the prefix-list routes of gateway VPC endpoints (managed by the endpoint).
 */
export function managedRoutes(t: RouteTable): Route[] {
  return (t.Routes ?? []).filter((r) =>
    r.GatewayId !== 'local' && r.Origin !== 'EnableVgwRoutePropagation' && !(r.DestinationPrefixListId && r.GatewayId?.startsWith('vpce-')));
}

/** A live route as the provider's `route` block. */
export function routeBlock(r: Route): Record<string, Known> {
  const gateway = r.GatewayId?.startsWith('vpce-') ? undefined : r.GatewayId;
  return {
    cidr_block: r.DestinationCidrBlock ?? '', ipv6_cidr_block: r.DestinationIpv6CidrBlock ?? '', destination_prefix_list_id: r.DestinationPrefixListId ?? '',
    gateway_id: gateway ?? '', nat_gateway_id: r.NatGatewayId ?? '', network_interface_id: r.NetworkInterfaceId ?? '', transit_gateway_id: r.TransitGatewayId ?? '',
    vpc_peering_connection_id: r.VpcPeeringConnectionId ?? '', egress_only_gateway_id: r.EgressOnlyInternetGatewayId ?? '',
    vpc_endpoint_id: r.GatewayId?.startsWith('vpce-') ? r.GatewayId : '', carrier_gateway_id: r.CarrierGatewayId ?? '', local_gateway_id: r.LocalGatewayId ?? '',
    core_network_arn: r.CoreNetworkArn ?? '',
  };
}

/** `route` blocks (declared, state or live) → atoms. */
export function routeAtoms(blocks: Known): RouteAtom[] {
  const out: RouteAtom[] = [];
  for (const b of Array.isArray(blocks) ? blocks : []) {
    if (!isObject(b)) continue;
    const destination = DESTINATION_ARGS.map((a) => text(b[a])).find(Boolean);
    const target = TARGET_ARGS.map((a) => text(b[a])).find(Boolean);
    if (destination) out.push({ destination, target: target ?? '' });
  }
  return out;
}

export const canonicalRoutes = (v: Known): Known => routeAtoms(v).map((a) => ({ ...a }));
export const routePhrases = (v: Known): string[] => routeAtoms(v).map((a) => `${a.destination} → ${a.target || 'no target'}`);

/** The request fields of CreateRoute/ReplaceRoute for one atom. */
export function routeRequest(destination: string, target: string): Record<string, string> {
  const dest: Record<string, string> = destination.startsWith('pl-') ? { DestinationPrefixListId: destination } : destination.includes(':') ? { DestinationIpv6CidrBlock: destination } : { DestinationCidrBlock: destination };
  const prefix = target.slice(0, target.indexOf('-'));
  const field: Record<string, string> = {
    igw: 'GatewayId', vgw: 'GatewayId', vpce: 'VpcEndpointId', nat: 'NatGatewayId', eni: 'NetworkInterfaceId', tgw: 'TransitGatewayId', pcx: 'VpcPeeringConnectionId',
    eigw: 'EgressOnlyInternetGatewayId', cagw: 'CarrierGatewayId', lgw: 'LocalGatewayId', i: 'InstanceId',
  };
  return { ...dest, [target.startsWith('arn:') ? 'CoreNetworkArn' : field[prefix] ?? 'GatewayId']: target };
}
