// aws_internet_gateway: a member of the DescribeInternetGateways family. vpc_id is the attachment
// (optional: a gateway may be detached, or attached by aws_internet_gateway_attachment).
import { AttachInternetGatewayCommand, DetachInternetGatewayCommand } from '@aws-sdk/client-ec2';
import { member } from '../families/family';
import { gatewayKey, internetGatewaysFamily } from '../families/internet-gateways';
import { foundEntry, labelFrom, missingEntry, str, unknownEntry, userTags } from './common';
import { revertGatewayVpc } from './gateway-attachment';
import type { ResourceType } from './resource-type';

export const awsInternetGateway: ResourceType = {
  type: 'aws_internet_gateway',
  tags: true,
  taggingType: 'ec2:internet-gateway',
  attributes: [{ name: 'vpc_id', compare: 'scalar', severity: 'error' }],
  notCompared: { owner_id: 'computed by AWS', arn: 'computed by AWS' },
  family: member(internetGatewaysFamily, {
    keys: (t) => [gatewayKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(gatewayKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const g = found.items.find((x) => x.InternetGatewayId === t.id);
      if (!g) return missingEntry(ctx, t.id, `internet gateway ${t.id} does not exist`);
      const attached = (g.Attachments ?? []).find((a) => ['available', 'attached'].includes(String(a.State)));
      return foundEntry(t, 'aws_internet_gateway', ctx, { vpc_id: attached?.VpcId ?? null, owner_id: g.OwnerId, tags: userTags(g.Tags) });
    },
  }),
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:internet-gateway\/(igw-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  revert: revertGatewayVpc({
    noun: 'internet gateway',
    detach: (clients, InternetGatewayId, VpcId) => clients.gate.call('ec2:DetachInternetGateway', () => clients.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId, VpcId }))),
    attach: (clients, InternetGatewayId, VpcId) => clients.gate.call('ec2:AttachInternetGateway', () => clients.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId, VpcId }))),
  }),
};
