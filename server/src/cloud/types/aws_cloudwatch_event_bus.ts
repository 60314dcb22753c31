// aws_cloudwatch_event_bus ↔ EventBridge ListEventBuses: one listing of the region's buses (100 a
// page) serves every bus of the check; tags from the Tagging API's by-ARN read, ListTagsForResource
// where it has none.
import { EventBus, ListEventBusesCommand, ListTagsForResourceCommand, UpdateEventBusCommand } from '@aws-sdk/client-eventbridge';
import { allUnknown, cannotRevert, foundEntry, labelFrom, listAllPages, missingEntry, perTarget, str } from './common';
import { revertEventTags } from './events-common';
import type { ResourceType } from './resource-type';

export const awsCloudwatchEventBus: ResourceType = {
  type: 'aws_cloudwatch_event_bus',
  tags: true,
  taggingType: 'events:event-bus',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    // No default: providers before 5.x had no description, so an undeclared one is not proven drift.
    { name: 'description', compare: 'scalar' },
  ],
  notCompared: {
    event_source_name: 'partner event buses (ForceNew) are not read',
    kms_key_identifier: 'ListEventBuses does not return it (only one DescribeEventBus per bus would); not read yet',
    dead_letter_config: 'not read yet',
    arn: 'computed by AWS from the account, region and name',
  },
  idFromState: (a) => str(a.name) ?? str(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:events:[^:]*:\d{12}:event-bus\/(.+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, live.id),

  async read(targets, ctx) {
    const all = new Map<string, EventBus>();
    const failure = await listAllPages(ctx, 'events:ListEventBuses', (token) => ctx.clients.events.send(new ListEventBusesCommand({ Limit: 100, NextToken: token })), (page) => {
      for (const b of page.EventBuses ?? []) if (b.Name) all.set(b.Name, b);
      return page.NextToken;
    });
    if (failure) return allUnknown(targets, ctx, failure);
    return perTarget(targets, ctx, async (t) => {
      const b = all.get(t.id);
      if (!b) return missingEntry(ctx, t.id, `event bus ${t.id} does not exist`);
      let tags = b.Arn ? ctx.tagsByArn.get(b.Arn) : undefined;
      if (!tags) {
        const listed = await ctx.clients.gate.call('events:ListTagsForResource', () => ctx.clients.events.send(new ListTagsForResourceCommand({ ResourceARN: b.Arn })));
        tags = Object.fromEntries((listed.Tags ?? []).filter((x) => x.Key && !x.Key.startsWith('aws:')).map((x) => [x.Key!, x.Value ?? '']));
      }
      return foundEntry(t, 'aws_cloudwatch_event_bus', ctx, { name: b.Name, description: b.Description ?? '', tags }, { arn: b.Arn });
    });
  },

  async revert(request, clients) {
    switch (request.attribute) {
      case 'description': {
        const description = typeof request.declared === 'string' ? request.declared : '';
        await clients.gate.call('events:UpdateEventBus', () => clients.events.send(new UpdateEventBusCommand({ Name: request.id, Description: description })));
        return { ok: true, message: description ? 'description restored' : 'description removed' };
      }
      case 'tags':
        return revertEventTags(request, clients, 'event bus');
      default:
        return cannotRevert(request.attribute);
    }
  },
};
