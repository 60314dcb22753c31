// aws_cloudwatch_event_rule ↔ the EventBridge rules family: one ListRules listing per event bus
// serves every rule on it (pattern, schedule, state, description, role); tags by ARN.
// Identified as the provider does: the rule name on the default bus, `bus/name` on another.
//
// Values AWS or the provider set on their own, not drift:
// - `is_enabled` is deprecated in provider v5 and computed from `state`: compared only when declared;
// - `event_pattern` is stored by the provider in normalised JSON: patterns equal as JSON are equal.
import { DescribeRuleCommand, PutRuleCommand, PutRuleCommandInput } from '@aws-sdk/client-eventbridge';
import { bool, cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import { busNameOf, DEFAULT_BUS, eventRulesFamily, RuleRead, ruleKey } from '../families/eventbridge';
import { member } from '../families/family';
import { canonicalDocument, revertEventTags } from './events-common';
import type { ResourceType } from './resource-type';

/** `bus/name` → [bus, name]; a bare name is on the default bus (rule names contain no '/'). */
function parseId(id: string): [string, string] {
  const i = id.lastIndexOf('/');
  return i < 0 ? [DEFAULT_BUS, id] : [id.slice(0, i), id.slice(i + 1)];
}

const idOf = (bus: string, name: string): string => (bus === DEFAULT_BUS ? name : `${bus}/${name}`);

export const awsCloudwatchEventRule: ResourceType = {
  type: 'aws_cloudwatch_event_rule',
  tags: true,
  taggingType: 'events:rule',
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'event_bus_name', compare: 'scalar', default: DEFAULT_BUS, forceNew: true, normalize: (v) => busNameOf(v) },
    { name: 'event_pattern', compare: 'scalar', normalize: canonicalDocument, severity: 'warning' },
    { name: 'schedule_expression', compare: 'scalar', default: '' },
    { name: 'description', compare: 'scalar', default: '' },
    { name: 'role_arn', compare: 'scalar', default: '' },
    { name: 'state', compare: 'scalar', default: 'ENABLED', severity: 'warning' },
    { name: 'is_enabled', compare: 'scalar', severity: 'warning' },
  ],
  notCompared: {
    name_prefix: 'a Terraform-side naming input; the name it produced is compared',
    force_destroy: 'a Terraform-side deletion setting; AWS has nothing to compare it with',
    arn: 'computed by AWS from the account, region, bus and name',
  },
  idFromState: (a) => {
    const name = str(a.name);
    return name ? idOf(busNameOf(a.event_bus_name), name) : str(a.id);
  },
  idFromArn: (arn) => {
    const rest = /^arn:aws[\w-]*:events:[^:]*:\d{12}:rule\/(.+)$/.exec(arn)?.[1];
    return rest;
  },
  importId: (live) => live.id,
  suggestName: (live) => parseId(live.id)[1].replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'rule',

  family: member<RuleRead>(eventRulesFamily, {
    keys: (t) => [ruleKey(...parseId(t.id))],
    pick(t, rows, ctx) {
      const found = rows.lookup(ruleKey(...parseId(t.id)));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const item = found.items[0];
      if (!item) return missingEntry(ctx, t.id, `rule ${t.id} does not exist`);
      const r = item.rule;
      return foundEntry(t, 'aws_cloudwatch_event_rule', ctx, {
        name: r.Name, event_bus_name: r.EventBusName ?? DEFAULT_BUS, event_pattern: r.EventPattern ?? '', schedule_expression: r.ScheduleExpression ?? '',
        description: r.Description ?? '', role_arn: r.RoleArn ?? '', state: r.State ?? 'ENABLED', is_enabled: r.State !== 'DISABLED', tags: item.tags,
      }, { arn: r.Arn });
    },
  }),

  async revert(request, clients) {
    const { attribute, declared } = request;
    if (attribute === 'tags') return revertEventTags(request, clients, 'rule');
    const [bus, name] = parseId(request.id);
    // PutRule replaces the whole definition: start from the rule as it is now, change one field.
    const now = await clients.gate.call('events:DescribeRule', () => clients.events.send(new DescribeRuleCommand({ Name: name, EventBusName: bus })));
    const input: PutRuleCommandInput = {
      Name: name, EventBusName: bus, EventPattern: now.EventPattern, ScheduleExpression: now.ScheduleExpression, State: now.State,
      Description: now.Description, RoleArn: now.RoleArn,
    };
    const text = typeof declared === 'string' && declared !== '' ? declared : undefined;
    switch (attribute) {
      case 'event_pattern':
        input.EventPattern = text ?? (declared !== null && typeof declared === 'object' ? JSON.stringify(declared) : undefined);
        break;
      case 'schedule_expression': input.ScheduleExpression = text; break;
      case 'description': input.Description = text ?? ''; break;
      case 'role_arn': input.RoleArn = text; break;
      case 'state':
        if (declared !== 'ENABLED' && declared !== 'DISABLED' && declared !== 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') return { ok: false, message: `declared state ${String(declared)} is not a rule state` };
        input.State = declared;
        break;
      case 'is_enabled': {
        const on = bool(declared);
        if (on === undefined) return { ok: false, message: 'declared is_enabled is not a boolean' };
        input.State = on ? 'ENABLED' : 'DISABLED';
        break;
      }
      default:
        return cannotRevert(attribute);
    }
    await clients.gate.call('events:PutRule', () => clients.events.send(new PutRuleCommand(input)));
    return { ok: true, message: `${attribute} restored` };
  },
};
