// EventBridge read families. Rules: one ListRules listing per event bus (100 a page) serves every
// rule declared on it — ListRules returns pattern, schedule, state, description and role, all the
// provider reads; tags from the Tagging API's by-ARN read, ListTagsForResource where it has none.
// Targets: one ListTargetsByRule per rule (AWS has no listing across rules), shared by every
// target of the rule.
import { ListRulesCommand, ListTagsForResourceCommand, ListTargetsByRuleCommand, Rule, Target } from '@aws-sdk/client-eventbridge';
import { AwsCallError, describeError } from '../errors';
import { failureText } from '../types/common';
import type { ReadContext } from '../types/resource-type';
import type { FamilyKey, FamilyLookup, ReadFamily } from './family';

export const DEFAULT_BUS = 'default';

/** `bus` + `rule` in one key value (rule names cannot contain a newline). */
export const ruleKey = (bus: string, rule: string): FamilyKey => ({ filter: 'rule', value: `${bus}\n${rule}` });
const split = (value: string): [string, string] => {
  const i = value.lastIndexOf('\n');
  return [value.slice(0, i), value.slice(i + 1)];
};

/** An event bus given by name or ARN, as its name. */
export function busNameOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') return DEFAULT_BUS;
  return /^arn:aws[\w-]*:events:[^:]*:\d{12}:event-bus\/(.+)$/.exec(value)?.[1] ?? value;
}

function isNotFound(error: unknown): boolean {
  const code = error instanceof AwsCallError ? error.failure.code : describeError(error).code;
  return code === 'ResourceNotFoundException';
}

export interface RuleRead {
  rule: Rule;
  tags: Record<string, string>;
}

async function listRules(bus: string, ctx: ReadContext): Promise<Map<string, Rule> | undefined> {
  const out = new Map<string, Rule>();
  let token: string | undefined;
  try {
    do {
      const page = await ctx.clients.gate.call('events:ListRules', () =>
        ctx.clients.events.send(new ListRulesCommand({ EventBusName: bus, Limit: 100, NextToken: token })));
      for (const r of page.Rules ?? []) if (r.Name) out.set(r.Name, r);
      token = page.NextToken;
    } while (token);
  } catch (error) {
    // The bus is gone, and with it every rule on it.
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return out;
}

async function tagsOf(arn: string, ctx: ReadContext): Promise<Record<string, string>> {
  const known = ctx.tagsByArn.get(arn);
  if (known) return known;
  const listed = await ctx.clients.gate.call('events:ListTagsForResource', () => ctx.clients.events.send(new ListTagsForResourceCommand({ ResourceARN: arn })));
  return Object.fromEntries((listed.Tags ?? []).filter((t) => t.Key && !t.Key.startsWith('aws:')).map((t) => [t.Key!, t.Value ?? '']));
}

export const eventRulesFamily: ReadFamily<RuleRead> = {
  name: 'events:ListRules',
  async load(keys, ctx) {
    const byBus = new Map<string, Set<string>>();
    for (const k of keys) {
      const [bus, rule] = split(k.value);
      byBus.set(bus, (byBus.get(bus) ?? new Set()).add(rule));
    }
    const results = new Map<string, FamilyLookup<RuleRead>>();
    await Promise.all([...byBus.entries()].map(async ([bus, rules]) => {
      let listed: Map<string, Rule> | undefined;
      try {
        listed = await listRules(bus, ctx);
      } catch (error) {
        for (const r of rules) results.set(`${bus}\n${r}`, { failure: failureText(error) });
        return;
      }
      await Promise.all([...rules].map(async (name) => {
        const rule = listed?.get(name);
        if (!rule) return results.set(`${bus}\n${name}`, { items: [] });
        try {
          results.set(`${bus}\n${name}`, { items: [{ rule, tags: rule.Arn ? await tagsOf(rule.Arn, ctx) : {} }] });
        } catch (error) {
          results.set(`${bus}\n${name}`, { failure: failureText(error) });
        }
      }));
    }));
    return { lookup: (key) => results.get(key.value) ?? { failure: `events:ListRules was not planned for ${key.value.replace('\n', '/')}` } };
  },
};

export const eventTargetsFamily: ReadFamily<Target> = {
  name: 'events:ListTargetsByRule',
  async load(keys, ctx) {
    const values = [...new Set(keys.map((k) => k.value))];
    const results = new Map<string, FamilyLookup<Target>>();
    await Promise.all(values.map(async (value) => {
      const [bus, rule] = split(value);
      const items: Target[] = [];
      try {
        let token: string | undefined;
        do {
          const page = await ctx.clients.gate.call('events:ListTargetsByRule', () =>
            ctx.clients.events.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: bus, Limit: 100, NextToken: token })));
          items.push(...(page.Targets ?? []));
          token = page.NextToken;
        } while (token);
        results.set(value, { items });
      } catch (error) {
        results.set(value, isNotFound(error) ? { items: [] } : { failure: failureText(error) });
      }
    }));
    return { lookup: (key) => results.get(key.value) ?? { failure: `events:ListTargetsByRule was not planned for ${key.value.replace('\n', '/')}` } };
  },
};
