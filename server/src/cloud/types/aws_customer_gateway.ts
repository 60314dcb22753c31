// aws_customer_gateway (DescribeCustomerGateways family, by id). A gateway in state `deleted` (or
// `deleting`) is gone, as the provider reads it; every argument forces replacement.
import { member } from '../families/family';
import { customerGatewayKey, customerGatewaysFamily } from '../families/vpc-gateways';
import { cannotRevert, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

export const awsCustomerGateway: ResourceType = {
  type: 'aws_customer_gateway',
  tags: true,
  taggingType: 'ec2:customer-gateway',
  attributes: [
    { name: 'bgp_asn', compare: 'scalar', forceNew: true },
    { name: 'ip_address', compare: 'scalar', forceNew: true },
    { name: 'type', compare: 'scalar', forceNew: true },
    { name: 'device_name', compare: 'scalar', forceNew: true },
    { name: 'certificate_arn', compare: 'scalar', forceNew: true },
  ],
  notCompared: { arn: 'computed by AWS', bgp_asn_extended: 'not read yet (AWS reports extended ASNs in a separate field)' },
  family: member(customerGatewaysFamily, {
    keys: (t) => [customerGatewayKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(customerGatewayKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const g = found.items.find((x) => x.CustomerGatewayId === t.id);
      if (!g || g.State === 'deleted' || g.State === 'deleting') return missingEntry(ctx, t.id, `customer gateway ${t.id} does not exist${g?.State ? ` (${g.State})` : ''}`);
      return foundEntry(t, 'aws_customer_gateway', ctx, {
        bgp_asn: g.BgpAsn ?? '', ip_address: g.IpAddress ?? '', type: g.Type, device_name: g.DeviceName ?? '', certificate_arn: g.CertificateArn ?? '', tags: userTags(g.Tags),
      });
    },
  }),
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:customer-gateway\/(cgw-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  async revert(request, clients) {
    if (request.attribute === 'tags') return revertEc2Tags(clients, request);
    return cannotRevert(request.attribute);
  },
};
