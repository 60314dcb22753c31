// Helpers shared by the resource type files: batching, EC2 tag shapes, tag writes, failures as unknown.
import { CreateTagsCommand, DeleteTagsCommand, Filter } from '@aws-sdk/client-ec2';
import type { LiveResource } from '../../model';
import type { LiveEntry } from '../../drift/snapshot';
import { isObject, Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { AwsCallError, describeError } from '../errors';
import type { ReadContext, ReadTarget, RevertOutcome, RevertRequest } from './resource-type';

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** AWS-reserved tags (`aws:cloudformation:...`) are not Terraform's to manage. */
export function userTags(list: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list ?? []) if (t.Key !== undefined && !t.Key.startsWith('aws:')) out[t.Key] = t.Value ?? '';
  return out;
}

export function failureText(error: unknown): string {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  const op = error instanceof AwsCallError ? `${error.operation}: ` : '';
  return `${op}${f.code}: ${f.message}`;
}

export function unknownEntry(ctx: ReadContext, reason: string): LiveEntry {
  return { status: 'unknown', reason, readAt: ctx.now };
}

export function missingEntry(ctx: ReadContext, id: string, reason: string): LiveEntry {
  return { status: 'missing', id, reason, readAt: ctx.now };
}

export function foundEntry(target: ReadTarget, type: string, ctx: ReadContext, attributes: Record<string, unknown>, extra: Partial<LiveResource> = {}): LiveEntry {
  return { status: 'found', resource: { type, address: target.address, id: target.id, arn: target.arn, attributes, readAt: ctx.now, ...extra } };
}

/** Runs `fn` for each target in parallel (the gate caps concurrency) and keys the results by address. */
export async function perTarget(targets: ReadTarget[], ctx: ReadContext, fn: (t: ReadTarget) => Promise<LiveEntry>): Promise<Map<string, LiveEntry>> {
  const entries = await Promise.all(
    targets.map(async (t) => {
      try {
        return [t.address, await fn(t)] as const;
      } catch (error) {
        return [t.address, unknownEntry(ctx, failureText(error))] as const;
      }
    }),
  );
  return new Map(entries);
}

/**
 * Follows a listing to its last page: `call` sends one page (no token for the first), `collect` keeps
 * its items and returns the next token. Returns the failure text when a call fails (the listing is
 * then incomplete, so no target can be proven missing).
 */
export async function listAllPages<P>(
  ctx: ReadContext,
  operation: string,
  call: (token: string | undefined) => Promise<P>,
  collect: (page: P) => string | undefined,
): Promise<string | undefined> {
  try {
    let token: string | undefined;
    do {
      const page = await ctx.clients.gate.call(operation, () => call(token));
      token = collect(page);
    } while (token);
    return undefined;
  } catch (error) {
    return failureText(error);
  }
}

/** Every target unknown for one reason (a listing they all depend on failed). */
export function allUnknown(targets: ReadTarget[], ctx: ReadContext, reason: string): Map<string, LiveEntry> {
  return new Map(targets.map((t) => [t.address, unknownEntry(ctx, reason)]));
}

/**
 * EC2 Describe* by an id filter, 1,000 values per call with MaxResults pagination. Filters (unlike
 * id lists) do not fail the whole call when one id no longer exists; an id absent from a complete
 * listing is therefore proven missing.
 */
export async function describeByFilter<T>(
  ctx: ReadContext,
  targets: ReadTarget[],
  filterName: string,
  operation: string,
  page: (filters: Filter[], nextToken: string | undefined) => Promise<{ items: T[]; next?: string }>,
  idOf: (item: T) => string | undefined,
  batch = 1000,
): Promise<{ byId: Map<string, T>; failed: Map<string, string> }> {
  const byId = new Map<string, T>();
  const failed = new Map<string, string>();
  const ids = [...new Set(targets.map((t) => t.id))];
  await Promise.all(
    chunk(ids, batch).map(async (group) => {
      try {
        let next: string | undefined;
        do {
          const out = await ctx.clients.gate.call(operation, () => page([{ Name: filterName, Values: group }], next));
          for (const item of out.items) {
            const id = idOf(item);
            if (id) byId.set(id, item);
          }
          next = out.next;
        } while (next);
      } catch (error) {
        for (const id of group) failed.set(id, failureText(error));
      }
    }),
  );
  return { byId, failed };
}

export function tagsArg(declared: Known): Record<string, string> | undefined {
  if (!isObject(declared)) return undefined;
  return Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, String(v)]));
}

/** A tag write-back: the keys live has but the declaration does not, and the declared pairs live lacks. */
export interface TagChange {
  set: Array<{ Key: string; Value: string }>;
  remove: string[];
}

/** Writes a tag map back: `write` applies the change through the service's own calls. */
export async function revertTagMap(request: RevertRequest, write: (change: TagChange) => Promise<unknown>): Promise<RevertOutcome> {
  const want = tagsArg(request.declared);
  if (!want) return { ok: false, message: 'declared tags are not a map' };
  const have = (request.live.attributes.tags ?? {}) as Record<string, string>;
  const remove = Object.keys(have).filter((k) => !(k in want));
  const set = Object.entries(want).filter(([k, v]) => have[k] !== v).map(([Key, Value]) => ({ Key, Value }));
  await write({ set, remove });
  return { ok: true, message: `tags restored (${set.length} set, ${remove.length} removed)` };
}

/** A `write` for services with separate untag and tag calls: each runs only when it has keys. */
export function untagThenTag(
  untag: (keys: string[]) => Promise<unknown>,
  tag: (tags: TagChange['set']) => Promise<unknown>,
): (change: TagChange) => Promise<void> {
  return async ({ set, remove }) => {
    if (remove.length) await untag(remove);
    if (set.length) await tag(set);
  };
}

/** Writes EC2 tags back: deletes keys not declared, sets the declared ones. */
export function revertEc2Tags(clients: AwsClients, request: RevertRequest): Promise<RevertOutcome> {
  return revertTagMap(request, untagThenTag(
    (keys) => clients.gate.call('ec2:DeleteTags', () => clients.ec2.send(new DeleteTagsCommand({ Resources: [request.id], Tags: keys.map((Key) => ({ Key })) }))),
    (Tags) => clients.gate.call('ec2:CreateTags', () => clients.ec2.send(new CreateTagsCommand({ Resources: [request.id], Tags }))),
  ));
}

export function cannotRevert(attribute: string, why = 'changing it forces Terraform to replace the resource'): RevertOutcome {
  return { ok: false, message: `${attribute} cannot be written back in place: ${why}; run terraform apply instead` };
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function bool(v: Known): boolean | undefined {
  return v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;
}

export function num(v: Known): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

/** The resource label suggested for an unmanaged object: its Name tag or id, as a Terraform identifier. */
export function labelFrom(live: LiveResource, fallback: string): string {
  const name = (live.attributes.tags as Record<string, string> | undefined)?.Name ?? fallback;
  const label = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
  return label || 'imported';
}
