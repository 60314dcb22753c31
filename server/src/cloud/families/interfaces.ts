// DescribeNetworkInterfaces and DescribeManagedPrefixLists by id filter (one family each). A prefix
// list's entries need GetManagedPrefixListEntries per list, so the type asks only for declared ones.
import { DescribeManagedPrefixListsCommand, DescribeNetworkInterfacesCommand, ManagedPrefixList, NetworkInterface } from '@aws-sdk/client-ec2';
import { ec2Family, FamilyKey } from './family';

export const networkInterfacesFamily = ec2Family<NetworkInterface>({
  name: 'ec2:DescribeNetworkInterfaces',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeNetworkInterfacesCommand({ Filters, MaxResults: 1000, NextToken }));
    return { items: out.NetworkInterfaces ?? [], next: out.NextToken };
  },
  valuesOf: (e, filter) => (filter === 'network-interface-id' && e.NetworkInterfaceId ? [e.NetworkInterfaceId] : []),
  idOf: (e) => e.NetworkInterfaceId,
});
export const networkInterfaceKey = (id: string): FamilyKey => ({ filter: 'network-interface-id', value: id });

export const prefixListsFamily = ec2Family<ManagedPrefixList>({
  name: 'ec2:DescribeManagedPrefixLists',
  async page(clients, Filters, NextToken) {
    const out = await clients.ec2.send(new DescribeManagedPrefixListsCommand({ Filters, MaxResults: 100, NextToken }));
    return { items: out.PrefixLists ?? [], next: out.NextToken };
  },
  valuesOf: (l, filter) => (filter === 'prefix-list-id' && l.PrefixListId ? [l.PrefixListId] : []),
  idOf: (l) => l.PrefixListId,
});
export const prefixListKey = (id: string): FamilyKey => ({ filter: 'prefix-list-id', value: id });
