// aws_vpn_gateway and aws_vpn_gateway_attachment (DescribeVpnGateways family, by gateway id). The
// gateway's vpc_id is its attached VPC (optional: attached here or by an attachment resource);
// a gateway in state `deleted` is gone, as the provider reads it.
import { AttachVpnGatewayCommand, DetachVpnGatewayCommand, VpnGateway } from '@aws-sdk/client-ec2';
import { member } from '../families/family';
import { vpnGatewayKey, vpnGatewaysFamily } from '../families/vpc-gateways';
import { cannotRevert, foundEntry, labelFrom, missingEntry, str, unknownEntry, userTags } from './common';
import { revertGatewayVpc } from './gateway-attachment';
import type { FamilyRows } from '../families/family';
import type { ReadContext, ReadTarget, ResourceType } from './resource-type';

function gatewayOf(rows: FamilyRows<VpnGateway>, id: string): VpnGateway | undefined | { failure: string } {
  const found = rows.lookup(vpnGatewayKey(id));
  if ('failure' in found) return found;
  const g = found.items.find((x) => x.VpnGatewayId === id);
  return g && g.State !== 'deleted' && g.State !== 'deleting' ? g : undefined;
}

const attachedVpc = (g: VpnGateway): string | undefined => (g.VpcAttachments ?? []).find((a) => a.State === 'attached' || a.State === 'attaching')?.VpcId;

export const awsVpnGateway: ResourceType = {
  type: 'aws_vpn_gateway',
  tags: true,
  taggingType: 'ec2:vpn-gateway',
  attributes: [
    { name: 'vpc_id', compare: 'scalar', severity: 'error' },
    { name: 'availability_zone', compare: 'scalar', forceNew: true },
    { name: 'amazon_side_asn', compare: 'scalar', forceNew: true },
  ],
  notCompared: { arn: 'computed by AWS' },
  family: member(vpnGatewaysFamily, {
    keys: (t) => [vpnGatewayKey(t.id)],
    pick(t: ReadTarget, rows, ctx: ReadContext) {
      const g = gatewayOf(rows, t.id);
      if (g && 'failure' in g) return unknownEntry(ctx, g.failure);
      if (!g) return missingEntry(ctx, t.id, `VPN gateway ${t.id} does not exist`);
      return foundEntry(t, 'aws_vpn_gateway', ctx, {
        vpc_id: attachedVpc(g) ?? null, availability_zone: g.AvailabilityZone ?? '', amazon_side_asn: g.AmazonSideAsn === undefined ? null : String(g.AmazonSideAsn), tags: userTags(g.Tags),
      });
    },
  }),
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:vpn-gateway\/(vgw-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  revert: revertGatewayVpc({
    noun: 'VPN gateway',
    detach: (clients, VpnGatewayId, VpcId) => clients.gate.call('ec2:DetachVpnGateway', () => clients.ec2.send(new DetachVpnGatewayCommand({ VpnGatewayId, VpcId }))),
    attach: (clients, VpnGatewayId, VpcId) => clients.gate.call('ec2:AttachVpnGateway', () => clients.ec2.send(new AttachVpnGatewayCommand({ VpnGatewayId, VpcId }))),
  }),
};

export const awsVpnGatewayAttachment: ResourceType = {
  type: 'aws_vpn_gateway_attachment',
  tags: false,
  attributes: [
    { name: 'vpc_id', compare: 'scalar', forceNew: true },
    { name: 'vpn_gateway_id', compare: 'scalar', forceNew: true },
  ],
  revertUnsupported: 'both arguments force a new attachment; a detached gateway reads as the attachment missing',
  family: member(vpnGatewaysFamily, {
    keys(t) {
      const gateway = str(t.state.attributes.vpn_gateway_id);
      return gateway ? [vpnGatewayKey(gateway)] : 'state records no vpn_gateway_id for this attachment';
    },
    pick(t, rows, ctx) {
      const gatewayId = String(t.state.attributes.vpn_gateway_id);
      const vpcId = str(t.state.attributes.vpc_id);
      const g = gatewayOf(rows, gatewayId);
      if (g && 'failure' in g) return unknownEntry(ctx, g.failure);
      if (!g || !vpcId || attachedVpc(g) !== vpcId) return missingEntry(ctx, t.id, `VPN gateway ${gatewayId} is not attached to ${vpcId ?? 'a VPC'}`);
      return foundEntry(t, 'aws_vpn_gateway_attachment', ctx, { vpc_id: vpcId, vpn_gateway_id: gatewayId });
    },
  }),
  idFromState: (a) => str(a.id) ?? (str(a.vpn_gateway_id) && str(a.vpc_id) ? `${String(a.vpn_gateway_id)}/${String(a.vpc_id)}` : undefined),
  // The provider cannot import attachments; the gateway's own import id is the closest handle.
  importId: (live) => String(live.attributes.vpn_gateway_id),
  suggestName: (live) => String(live.attributes.vpn_gateway_id ?? live.id).replace(/-/g, '_'),
  revert: async (request) => cannotRevert(request.attribute),
};
