// aws_lb_listener_rule ↔ ELBv2 DescribeRules, one call (400 a page) per listener the state names: it
// answers for every rule of that listener, so a rule absent from it is proven missing. Tags:
// DescribeTags, 20 ARNs a call.
import { DescribeRulesCommand, ModifyRuleCommand, Rule, RuleCondition, SetRulePrioritiesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Known } from '../../drift/values';
import { blocksOf, firstBlock, stringsOf, type Block } from './blocks';
import { cannotRevert, failureText, foundEntry, missingEntry, num, perTarget, str, unknownEntry } from './common';
import { actionAtoms, actionBlocks, apiActions, elbTags, errorCode, revertElbTags } from './elb-common';
import type { ResourceType } from './resource-type';

/** Condition kinds whose block holds a `values` set, with the API's field name. */
const VALUE_CONDITIONS: Record<string, string> = {
  host_header: 'host-header', path_pattern: 'path-pattern', http_request_method: 'http-request-method', source_ip: 'source-ip',
};

/** `condition` blocks: one atom per condition, its values as a sorted set. */
function conditionAtoms(v: Known): Known {
  return blocksOf(v).flatMap((c) => Object.entries(VALUE_CONDITIONS).flatMap(([block, field]) => {
    const b = firstBlock(c[block]);
    return b ? [`${field} ${stringsOf(b.values).sort().join(' | ')}`] : [];
  }));
}

function conditionBlocks(conditions: RuleCondition[] | undefined): Block[] {
  return (conditions ?? []).map((c) => {
    const block = Object.entries(VALUE_CONDITIONS).find(([, field]) => field === c.Field)?.[0];
    const values = c.Values?.length ? c.Values
      : c.HostHeaderConfig?.Values ?? c.PathPatternConfig?.Values ?? c.HttpRequestMethodConfig?.Values ?? c.SourceIpConfig?.Values ?? [];
    return block ? { [block]: [{ values }] } : { field: c.Field ?? '' };
  });
}

function apiConditions(v: Known): RuleCondition[] {
  return blocksOf(v).flatMap((c) => Object.entries(VALUE_CONDITIONS).flatMap(([block, field]) => {
    const b = firstBlock(c[block]);
    return b ? [{ Field: field, Values: stringsOf(b.values) }] : [];
  }));
}

export const awsLbListenerRule: ResourceType = {
  type: 'aws_lb_listener_rule',
  tags: true,
  attributes: [
    { name: 'listener_arn', compare: 'scalar', forceNew: true },
    { name: 'priority', compare: 'scalar', severity: 'warning' },
    { name: 'action', compare: 'blocks', normalize: actionAtoms, phrases: (v) => actionAtoms(v) as string[], severity: 'error' },
    { name: 'condition', compare: 'blocks', normalize: conditionAtoms, phrases: (v) => conditionAtoms(v) as string[], severity: 'error' },
  ],
  notCompared: {
    'condition.http_header': 'not read yet',
    'condition.query_string': 'not read yet',
    arn: 'computed by AWS',
  },
  idFromState: (a) => str(a.arn) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => `rule_${String(live.attributes.priority ?? '')}`,

  async read(targets, ctx) {
    const listenersOf = new Set(targets.map((t) => str(t.state.attributes.listener_arn)).filter((l): l is string => Boolean(l)));
    const rules = new Map<string, Rule>();
    const gone = new Set<string>();
    const failed = new Map<string, string>();
    await Promise.all([...listenersOf].map(async (listener) => {
      try {
        let marker: string | undefined;
        do {
          const page = await ctx.clients.gate.call('elasticloadbalancing:DescribeRules', () =>
            ctx.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener, PageSize: 400, Marker: marker })));
          for (const r of page.Rules ?? []) if (r.RuleArn) rules.set(r.RuleArn, r);
          marker = page.NextMarker;
        } while (marker);
      } catch (error) {
        if (['ListenerNotFound', 'ListenerNotFoundException'].includes(errorCode(error))) gone.add(listener);
        else failed.set(listener, failureText(error));
      }
    }));
    let tags: Map<string, Record<string, string>>;
    try {
      tags = await elbTags(ctx, targets.map((t) => t.id).filter((id) => rules.has(id)));
    } catch (error) {
      const reason = failureText(error);
      return new Map(targets.map((t) => [t.address, unknownEntry(ctx, reason)]));
    }
    return perTarget(targets, ctx, async (t) => {
      const listener = str(t.state.attributes.listener_arn);
      if (!listener) return unknownEntry(ctx, 'state records no listener_arn for this rule');
      const why = failed.get(listener);
      if (why) return unknownEntry(ctx, why);
      if (gone.has(listener)) return missingEntry(ctx, t.id, `listener rule ${t.id}: its listener ${listener} does not exist`);
      const r = rules.get(t.id);
      if (!r) return missingEntry(ctx, t.id, `listener rule ${t.id} does not exist`);
      return foundEntry(t, 'aws_lb_listener_rule', ctx, {
        listener_arn: listener,
        priority: r.Priority === 'default' ? null : Number(r.Priority),
        action: actionBlocks(r.Actions),
        condition: conditionBlocks(r.Conditions),
        tags: tags.get(t.id) ?? {},
      }, { arn: r.RuleArn });
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    switch (attribute) {
      case 'priority': {
        const p = num(declared);
        if (p === undefined) return { ok: false, message: 'declared priority is not a number' };
        await clients.gate.call('elasticloadbalancing:SetRulePriorities', () => clients.elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: id, Priority: p }] })));
        return { ok: true, message: `priority set to ${p}` };
      }
      case 'action':
        await clients.gate.call('elasticloadbalancing:ModifyRule', () => clients.elbv2.send(new ModifyRuleCommand({ RuleArn: id, Actions: apiActions(declared) })));
        return { ok: true, message: 'actions restored' };
      case 'condition':
        await clients.gate.call('elasticloadbalancing:ModifyRule', () => clients.elbv2.send(new ModifyRuleCommand({ RuleArn: id, Conditions: apiConditions(declared) })));
        return { ok: true, message: 'conditions restored' };
      case 'tags':
        return revertElbTags(clients, request);
      default:
        return cannotRevert(attribute);
    }
  },
};
