// aws_egress_only_internet_gateway (one DescribeEgressOnlyInternetGateways listing serves every
// gateway): the VPC it was created in forces replacement; only tags are written back.
import { member } from '../families/family';
import { egressOnlyGatewaysFamily, idKey } from '../families/vpc-gateways';
import { cannotRevert, foundEntry, labelFrom, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

export const awsEgressOnlyInternetGateway: ResourceType = {
  type: 'aws_egress_only_internet_gateway',
  tags: true,
  taggingType: 'ec2:egress-only-internet-gateway',
  attributes: [{ name: 'vpc_id', compare: 'scalar', forceNew: true }],
  family: member(egressOnlyGatewaysFamily, {
    keys: (t) => [idKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(idKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const g = found.items[0];
      if (!g) return missingEntry(ctx, t.id, `egress-only internet gateway ${t.id} does not exist`);
      const attached = (g.Attachments ?? []).find((a) => a.State === 'attached' || a.State === 'attaching');
      return foundEntry(t, 'aws_egress_only_internet_gateway', ctx, { vpc_id: attached?.VpcId ?? null, tags: userTags(g.Tags) });
    },
  }),
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:egress-only-internet-gateway\/(eigw-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),
  async revert(request, clients) {
    if (request.attribute === 'tags') return revertEc2Tags(clients, request);
    return cannotRevert(request.attribute);
  },
};
