// Read families: one batched call set that serves several resource types. A type names its family,
// the keys it needs read (e.g. `route-table-id=rtb-1`) and how to pick its object out of what the
// family read; the reader collects the keys of every member type and loads each family once.
import type { Filter } from '@aws-sdk/client-ec2';
import type { LiveEntry } from '../../drift/snapshot';
import type { AwsClients } from '../clients';
import { chunk, failureText } from '../types/common';
import type { ReadContext, ReadTarget } from '../types/resource-type';

/** One value a member asks its family to read by, e.g. `{ filter: 'route-table-id', value: 'rtb-1' }`. */
export interface FamilyKey {
  filter: string;
  value: string;
}

/** The items read for one key (a complete listing: an object absent from it is proven missing), or why the read failed. */
export type FamilyLookup<Item> = { items: Item[] } | { failure: string };

export interface FamilyRows<Item> {
  lookup(key: FamilyKey): FamilyLookup<Item>;
}

export interface ReadFamily<Item> {
  /** The family's name as `tidemark types` shows it, e.g. `ec2:DescribeRouteTables`. */
  name: string;
  /** Reads every key with as few calls as the API allows. Never throws: failures are per key. */
  load(keys: FamilyKey[], ctx: ReadContext): Promise<FamilyRows<Item>>;
}

/** How one type reads through its family (the item type is bound inside; the reader sees none of it). */
export interface FamilyMember {
  family: ReadFamily<unknown>;
  /** The keys the target needs read, or why it cannot be read (e.g. state records no group id). */
  keys(target: ReadTarget): FamilyKey[] | string;
  /** The target's entry from what the family read. */
  pick(target: ReadTarget, rows: FamilyRows<unknown>, ctx: ReadContext): LiveEntry;
}

export interface MemberSpec<Item> {
  keys(target: ReadTarget): FamilyKey[] | string;
  pick(target: ReadTarget, rows: FamilyRows<Item>, ctx: ReadContext): LiveEntry;
}

/** Binds a type to its family; the item type stays between the two. */
export function member<Item>(family: ReadFamily<Item>, spec: MemberSpec<Item>): FamilyMember {
  return {
    family: family as ReadFamily<unknown>,
    keys: spec.keys,
    pick: (target, rows, ctx) => spec.pick(target, rows as FamilyRows<Item>, ctx),
  };
}

/** The items of several keys at once, or the first failure among them. */
export function lookupAll<Item>(rows: FamilyRows<Item>, keys: FamilyKey[]): FamilyLookup<Item> {
  const items: Item[] = [];
  for (const k of keys) {
    const found = rows.lookup(k);
    if ('failure' in found) return found;
    items.push(...found.items);
  }
  return { items };
}

export interface Ec2FamilySpec<Item> {
  name: string;
  /** One page of the Describe call with these filters. */
  page(clients: AwsClients, filters: Filter[], nextToken: string | undefined): Promise<{ items: Item[]; next?: string }>;
  /** The values an item has for a filter the members use (to answer lookups). */
  valuesOf(item: Item, filter: string): string[];
  /** Identity of an item, so the same object read through two filters counts once. */
  idOf(item: Item): string | undefined;
}

/**
 * An EC2 Describe* family: one filter per key kind, up to 1,000 values per call, MaxResults
 * pagination. Filters (unlike id lists) do not fail the whole call when one value no longer
 * exists, so an object absent from a complete listing is proven missing.
 */
export function ec2Family<Item>(spec: Ec2FamilySpec<Item>): ReadFamily<Item> {
  return {
    name: spec.name,
    async load(keys, ctx) {
      const byFilter = new Map<string, Set<string>>();
      for (const k of keys) byFilter.set(k.filter, (byFilter.get(k.filter) ?? new Set()).add(k.value));
      const items = new Map<string, Item>();
      const failed = new Map<string, string>();
      await Promise.all(
        [...byFilter.entries()].flatMap(([filter, values]) =>
          chunk([...values], 1000).map(async (group) => {
            try {
              let next: string | undefined;
              do {
                const out = await ctx.clients.gate.call(spec.name, () => spec.page(ctx.clients, [{ Name: filter, Values: group }], next));
                for (const item of out.items) items.set(spec.idOf(item) ?? `#${items.size}`, item);
                next = out.next;
              } while (next);
            } catch (error) {
              for (const v of group) failed.set(`${filter}=${v}`, failureText(error));
            }
          }),
        ),
      );
      // Index by (filter, value) once: lookups are per target and must not rescan every item.
      const index = new Map<string, Item[]>();
      for (const item of items.values()) {
        for (const filter of byFilter.keys()) {
          for (const v of spec.valuesOf(item, filter)) {
            const key = `${filter}=${v}`;
            const list = index.get(key);
            if (list) list.push(item);
            else index.set(key, [item]);
          }
        }
      }
      return {
        lookup(key) {
          const k = `${key.filter}=${key.value}`;
          const failure = failed.get(k);
          if (failure) return { failure };
          if (!byFilter.get(key.filter)?.has(key.value)) return { failure: `${spec.name} was not planned for ${k}` };
          return { items: index.get(k) ?? [] };
        },
      };
    },
  };
}
