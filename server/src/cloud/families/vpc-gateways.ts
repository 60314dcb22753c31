// Families of the VPC's gateways and options: egress-only internet gateways (DescribeEgressOnly-
// InternetGateways filters only by tag, so one listing serves every gateway), DHCP option sets,
// customer and virtual private gateways (which also serve their attachments), placement groups and
// VPCs themselves (for the DHCP options association and the secondary CIDR associations).
import {
  CustomerGateway, DescribeCustomerGatewaysCommand, DescribeDhcpOptionsCommand, DescribeEgressOnlyInternetGatewaysCommand, DescribePlacementGroupsCommand,
  DescribeVpcsCommand, DescribeVpnGatewaysCommand, DhcpOptions, EgressOnlyInternetGateway, PlacementGroup, Vpc, VpnGateway,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from '../clients';
import { failureText } from '../types/common';
import { ec2Family, FamilyKey, ReadFamily } from './family';

export interface ListFamilySpec<Item> {
  name: string;
  page(clients: AwsClients, nextToken: string | undefined): Promise<{ items: Item[]; next?: string }>;
  idOf(item: Item): string | undefined;
}

/**
 * A family whose API cannot filter by id (or fails the whole call on one unknown id): one complete
 * listing serves every key, so an id absent from it is proven missing. Keys use the filter `id`.
 */
export function listFamily<Item>(spec: ListFamilySpec<Item>): ReadFamily<Item> {
  return {
    name: spec.name,
    async load(keys, ctx) {
      const byId = new Map<string, Item>();
      let failure: string | undefined;
      if (keys.length) {
        try {
          let next: string | undefined;
          do {
            const out = await ctx.clients.gate.call(spec.name, () => spec.page(ctx.clients, next));
            for (const item of out.items) {
              const id = spec.idOf(item);
              if (id) byId.set(id, item);
            }
            next = out.next;
          } while (next);
        } catch (error) {
          failure = failureText(error);
        }
      }
      return {
        lookup(key) {
          if (failure) return { failure };
          const item = byId.get(key.value);
          return { items: item ? [item] : [] };
        },
      };
    },
  };
}

export const idKey = (id: string): FamilyKey => ({ filter: 'id', value: id });

export const egressOnlyGatewaysFamily = listFamily<EgressOnlyInternetGateway>({
  name: 'ec2:DescribeEgressOnlyInternetGateways',
  async page(clients, NextToken) {
    const out = await clients.ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({ MaxResults: 255, NextToken }));
    return { items: out.EgressOnlyInternetGateways ?? [], next: out.NextToken };
  },
  idOf: (g) => g.EgressOnlyInternetGatewayId,
});

export const dhcpOptionsFamily = ec2Family<DhcpOptions>({
  name: 'ec2:DescribeDhcpOptions',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeDhcpOptionsCommand({ Filters, MaxResults: 1000, NextToken }));
    return { items: out.DhcpOptions ?? [], next: out.NextToken };
  },
  valuesOf: (d, filter) => (filter === 'dhcp-options-id' && d.DhcpOptionsId ? [d.DhcpOptionsId] : []),
  idOf: (d) => d.DhcpOptionsId,
});
export const dhcpKey = (id: string): FamilyKey => ({ filter: 'dhcp-options-id', value: id });

/** DescribeCustomerGateways and DescribeVpnGateways do not paginate: one call per 1,000 ids. */
export const customerGatewaysFamily = ec2Family<CustomerGateway>({
  name: 'ec2:DescribeCustomerGateways',
  async page(clients, Filters) {
    const out = await clients.ec2.send(new DescribeCustomerGatewaysCommand({ Filters }));
    return { items: out.CustomerGateways ?? [] };
  },
  valuesOf: (g, filter) => (filter === 'customer-gateway-id' && g.CustomerGatewayId ? [g.CustomerGatewayId] : []),
  idOf: (g) => g.CustomerGatewayId,
});
export const customerGatewayKey = (id: string): FamilyKey => ({ filter: 'customer-gateway-id', value: id });

export const vpnGatewaysFamily = ec2Family<VpnGateway>({
  name: 'ec2:DescribeVpnGateways',
  async page(clients, Filters) {
    const out = await clients.ec2.send(new DescribeVpnGatewaysCommand({ Filters }));
    return { items: out.VpnGateways ?? [] };
  },
  valuesOf: (g, filter) => (filter === 'vpn-gateway-id' && g.VpnGatewayId ? [g.VpnGatewayId] : []),
  idOf: (g) => g.VpnGatewayId,
});
export const vpnGatewayKey = (id: string): FamilyKey => ({ filter: 'vpn-gateway-id', value: id });

export const placementGroupsFamily = ec2Family<PlacementGroup>({
  name: 'ec2:DescribePlacementGroups',
  async page(clients, Filters) {
    const out = await clients.ec2.send(new DescribePlacementGroupsCommand({ Filters }));
    return { items: out.PlacementGroups ?? [] };
  },
  valuesOf: (g, filter) => (filter === 'group-name' && g.GroupName ? [g.GroupName] : []),
  idOf: (g) => g.GroupId ?? g.GroupName,
});
export const placementGroupKey = (name: string): FamilyKey => ({ filter: 'group-name', value: name });

export const vpcsFamily = ec2Family<Vpc>({
  name: 'ec2:DescribeVpcs',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeVpcsCommand({ Filters, MaxResults: 1000, NextToken }));
    return { items: out.Vpcs ?? [], next: out.NextToken };
  },
  valuesOf(v, filter) {
    if (filter === 'vpc-id') return v.VpcId ? [v.VpcId] : [];
    if (filter === 'cidr-block-association.association-id') return (v.CidrBlockAssociationSet ?? []).flatMap((a) => (a.AssociationId ? [a.AssociationId] : []));
    if (filter === 'is-default') return [String(v.IsDefault ?? false)];
    return [];
  },
  idOf: (v) => v.VpcId,
});
export const vpcKey = (id: string): FamilyKey => ({ filter: 'vpc-id', value: id });
