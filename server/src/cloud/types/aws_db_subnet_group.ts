// aws_db_subnet_group ↔ one DescribeDBSubnetGroups listing of the region (100 groups a page: the
// call has no filters, and one page serves every declared group); tags from the Tagging API's
// by-ARN read, else ListTagsForResource. Identified, as in Terraform, by the group's name.
import { DescribeDBSubnetGroupsCommand, ModifyDBSubnetGroupCommand, type DBSubnetGroup } from '@aws-sdk/client-rds';
import { cannotRevert, foundEntry, labelFrom, str } from './common';
import { lowerId, listByName, readFromListing, revertServiceTags, tagsOf } from './rds-common';
import type { ResourceType } from './resource-type';

/** The provider's default description (`description` is Optional with this default). */
export const MANAGED_BY_TERRAFORM = 'Managed by Terraform';

export const awsDbSubnetGroup: ResourceType = {
  type: 'aws_db_subnet_group',
  tags: true,
  taggingType: 'rds:subgrp',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'description', compare: 'scalar', default: MANAGED_BY_TERRAFORM },
    { name: 'subnet_ids', compare: 'set' },
  ],
  notCompared: {
    name_prefix: 'a Terraform-side naming input; the name it produced is compared',
    arn: 'computed by AWS',
    vpc_id: 'computed by AWS from the subnets',
    supported_network_types: 'computed by AWS from the subnets',
  },
  idFromState: (a) => lowerId(a.name) ?? lowerId(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:rds:[^:]+:\d{12}:subgrp:(.+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  async read(targets, ctx) {
    const listing = await listByName<{ DBSubnetGroups?: DBSubnetGroup[]; Marker?: string }, DBSubnetGroup>(
      ctx, 'rds:DescribeDBSubnetGroups',
      (Marker) => ctx.clients.rds.send(new DescribeDBSubnetGroupsCommand({ Marker, MaxRecords: 100 })),
      (p) => p.DBSubnetGroups, (p) => p.Marker, (g) => g.DBSubnetGroupName,
    );
    return readFromListing(targets, ctx, listing, 'DB subnet group', async (t, g) => foundEntry(t, 'aws_db_subnet_group', ctx, {
      name: g.DBSubnetGroupName ?? t.id,
      description: g.DBSubnetGroupDescription ?? '',
      subnet_ids: (g.Subnets ?? []).map((s) => s.SubnetIdentifier).filter((s): s is string => Boolean(s)),
      tags: g.DBSubnetGroupArn ? await tagsOf(ctx, 'rds', g.DBSubnetGroupArn) : {},
    }, { arn: g.DBSubnetGroupArn }));
  },

  async revert(request, clients) {
    const { attribute, declared, live } = request;
    if (attribute === 'tags') return revertServiceTags(request, clients, 'rds', live.arn);
    if (attribute !== 'description' && attribute !== 'subnet_ids') return cannotRevert(attribute);
    // ModifyDBSubnetGroup always takes the whole subnet list; the other argument keeps its live value.
    const subnets = attribute === 'subnet_ids' ? declared : live.attributes.subnet_ids;
    if (!Array.isArray(subnets) || subnets.some((s) => typeof s !== 'string')) return { ok: false, message: 'declared subnet_ids is not a list of subnet ids' };
    const description = attribute === 'description' ? (str(declared) ?? '') : String(live.attributes.description ?? '');
    await clients.gate.call('rds:ModifyDBSubnetGroup', () => clients.rds.send(new ModifyDBSubnetGroupCommand({
      DBSubnetGroupName: request.id, DBSubnetGroupDescription: description, SubnetIds: subnets as string[],
    })));
    return { ok: true, message: attribute === 'description' ? `description set to ${description}` : `subnet_ids set to ${(subnets as string[]).join(', ')}` };
  },
};
