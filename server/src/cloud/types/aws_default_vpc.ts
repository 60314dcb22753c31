// aws_default_vpc and aws_default_subnet: Terraform adopts the region's default VPC and the
// default subnet of an availability zone instead of creating them; they read like aws_vpc and
// aws_subnet, with the provider's defaults for default networks (DNS hostnames on) and with
// the addressing AWS chose being computed, so it is not compared.
import type { LiveEntry } from '../../drift/snapshot';
import { awsSubnet } from './aws_subnet';
import { awsVpc } from './aws_vpc';
import type { ReadContext, ReadTarget, ResourceType } from './resource-type';

function retyped(entries: Map<string, LiveEntry>, type: string): Map<string, LiveEntry> {
  for (const entry of entries.values()) if (entry.status === 'found') entry.resource.type = type;
  return entries;
}

export const awsDefaultVpc: ResourceType = {
  ...awsVpc,
  type: 'aws_default_vpc',
  // aws_vpc lists the region's VPCs by tag; the default one is adopted by id only.
  taggingType: undefined,
  idFromArn: undefined,
  attributes: [
    { name: 'enable_dns_support', compare: 'scalar', default: true },
    { name: 'enable_dns_hostnames', compare: 'scalar', default: true },
    { name: 'instance_tenancy', compare: 'scalar' },
  ],
  notCompared: {
    cidr_block: 'chosen by AWS for the default VPC (computed)', force_destroy: 'a Terraform-side setting', existing_default_vpc: 'computed by the provider',
    enable_network_address_usage_metrics: 'not read yet', assign_generated_ipv6_cidr_block: 'not read yet (IPv6)',
  },
  read: (targets: ReadTarget[], ctx: ReadContext) => awsVpc.read!(targets, ctx).then((e) => retyped(e, 'aws_default_vpc')),
};

export const awsDefaultSubnet: ResourceType = {
  ...awsSubnet,
  type: 'aws_default_subnet',
  taggingType: undefined,
  idFromArn: undefined,
  attributes: [
    { name: 'availability_zone', compare: 'scalar', forceNew: true },
    // Optional and computed in the provider's schema: compared only when declared.
    { name: 'map_public_ip_on_launch', compare: 'scalar', severity: 'error' },
    { name: 'assign_ipv6_address_on_creation', compare: 'scalar' },
  ],
  notCompared: {
    cidr_block: 'chosen by AWS for the default subnet (computed)', vpc_id: 'the default VPC (computed)', force_destroy: 'a Terraform-side setting',
    existing_default_subnet: 'computed by the provider', enable_dns64: 'not read yet', ipv6_native: 'not read yet (IPv6)',
  },
  read: (targets: ReadTarget[], ctx: ReadContext) => awsSubnet.read!(targets, ctx).then((e) => retyped(e, 'aws_default_subnet')),
};
