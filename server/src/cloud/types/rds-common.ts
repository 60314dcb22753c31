// What the RDS and ElastiCache types share: identifiers (lower-case, as both services store them),
// tags (the Tagging API's by-ARN read when it returned them, else the service's
// ListTagsForResource), tag write-back, listings of groups, the provider's engine-version rule,
// and parameter sets compared like the provider's set hash (name and value).
import { AddTagsToResourceCommand, ListTagsForResourceCommand, RemoveTagsFromResourceCommand } from '@aws-sdk/client-rds';
import {
  AddTagsToResourceCommand as AddCacheTags, ListTagsForResourceCommand as ListCacheTags, RemoveTagsFromResourceCommand as RemoveCacheTags,
} from '@aws-sdk/client-elasticache';
import type { LiveEntry } from '../../drift/snapshot';
import { canonicalJson, Known } from '../../drift/values';
import { blocksOf, stringsOf } from './blocks';
import type { AwsClients } from '../clients';
import { describeError } from '../errors';
import { allUnknown, bool, failureText, listAllPages, perTarget, revertTagMap, str, unknownEntry, untagThenTag, userTags } from './common';
import type { ReadContext, ReadTarget, RevertOutcome, RevertRequest } from './resource-type';

export type TagService = 'rds' | 'elasticache';

/** An object's tags: from the Tagging API's by-ARN read when it has them, else one ListTagsForResource. */
export async function tagsOf(ctx: ReadContext, service: TagService, arn: string): Promise<Record<string, string>> {
  const known = ctx.tagsByArn.get(arn);
  if (known) return known;
  const out = service === 'rds'
    ? await ctx.clients.gate.call('rds:ListTagsForResource', () => ctx.clients.rds.send(new ListTagsForResourceCommand({ ResourceName: arn })))
    : await ctx.clients.gate.call('elasticache:ListTagsForResource', () => ctx.clients.elasticache.send(new ListCacheTags({ ResourceName: arn })));
  return userTags(out.TagList);
}

/** Writes a tag map back with AddTagsToResource/RemoveTagsFromResource on the object's ARN. */
export function revertServiceTags(request: RevertRequest, clients: AwsClients, service: TagService, arn: string | undefined): Promise<RevertOutcome> {
  if (!arn) return Promise.resolve({ ok: false, message: 'the live object has no ARN to tag' });
  return revertTagMap(request, untagThenTag(
    (TagKeys) => service === 'rds'
      ? clients.gate.call('rds:RemoveTagsFromResource', () => clients.rds.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys })))
      : clients.gate.call('elasticache:RemoveTagsFromResource', () => clients.elasticache.send(new RemoveCacheTags({ ResourceName: arn, TagKeys }))),
    (Tags) => service === 'rds'
      ? clients.gate.call('rds:AddTagsToResource', () => clients.rds.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags })))
      : clients.gate.call('elasticache:AddTagsToResource', () => clients.elasticache.send(new AddCacheTags({ ResourceName: arn, Tags }))),
  ));
}

/** RDS and ElastiCache identifiers are case-insensitive; both store them lower-case. */
export const lowerId = (v: unknown): string | undefined => str(v)?.toLowerCase();

export interface Listing<Item> {
  /** Items by lower-case name, or why the listing failed (no target can then be proven missing). */
  byName?: Map<string, Item>;
  failure?: string;
}

/** Pages through a whole Describe* listing (Marker/MaxRecords 100), keyed by lower-case name. */
export async function listByName<Page, Item>(
  ctx: ReadContext,
  operation: string,
  send: (marker: string | undefined) => Promise<Page>,
  itemsOf: (page: Page) => Item[] | undefined,
  markerOf: (page: Page) => string | undefined,
  nameOf: (item: Item) => string | undefined,
): Promise<Listing<Item>> {
  const byName = new Map<string, Item>();
  const failure = await listAllPages(ctx, operation, send, (page) => {
    for (const item of itemsOf(page) ?? []) {
      const name = nameOf(item);
      if (name) byName.set(name.toLowerCase(), item);
    }
    return markerOf(page);
  });
  return failure ? { failure } : { byName };
}

/**
 * Reads a type whose objects come from one listing: every target is found, missing, or unknown
 * when the listing failed; `pick` may make further per-object calls (tags, parameters).
 */
export async function readFromListing<Item>(
  targets: ReadTarget[],
  ctx: ReadContext,
  listing: Listing<Item>,
  what: string,
  pick: (target: ReadTarget, item: Item) => Promise<LiveEntry>,
): Promise<Map<string, LiveEntry>> {
  if (!listing.byName) return allUnknown(targets, ctx, listing.failure ?? `${what} listing failed`);
  const byName = listing.byName;
  return perTarget(targets, ctx, async (t) => {
    const item = byName.get(t.id.toLowerCase());
    if (!item) return { status: 'missing', id: t.id, reason: `${what} ${t.id} does not exist`, readAt: ctx.now };
    try {
      return await pick(t, item);
    } catch (error) {
      return unknownEntry(ctx, failureText(error));
    }
  });
}

/** Whether an SDK error is the service's not-found for this kind of object. */
export function isNotFound(error: unknown, ...codes: string[]): boolean {
  const f = describeError(error);
  return codes.includes(f.code) || codes.some((c) => f.code === `${c}Fault` || `${f.code}Fault` === c);
}

/**
 * The engine version as the provider records it (its compareActualEngineVersion): a declared
 * prefix of the running version (`15` or `15.4` for `15.4.7`) stays as declared; anything else is
 * the running version.
 */
export function recordedEngineVersion(recorded: unknown, live: string | undefined): string | null {
  if (live === undefined) return null;
  const r = str(recorded);
  if (r && (r === live || live.startsWith(`${r}.`))) return r;
  // ElastiCache takes `6.x` for any 6.* version (the provider's normalised form).
  if (r && /^\d+\.x$/.test(r) && live.startsWith(`${r.split('.')[0]}.`)) return r;
  return live;
}

/** Numeric order of dotted versions (`15.10` after `15.9`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const c = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

/** The major line of a version: `15` for PostgreSQL 10+, `8.0` for MySQL/MariaDB, `5.7`, `9.6`. */
export function majorOf(engine: string, version: string): string {
  const parts = version.split('.');
  if (/postgres/.test(engine) && Number(parts[0]) >= 10) return parts[0]!;
  return parts.slice(0, 2).join('.');
}

/**
 * When minor upgrades are automatic, a running version newer than the recorded one within the same
 * major line is AWS's own upgrade, not drift: the reason, or undefined.
 */
export function minorUpgradeOwner(engine: string, recorded: unknown, live: string | undefined, autoMinor: boolean): string | undefined {
  const r = str(recorded);
  if (!autoMinor || !r || !live || r === live || live.startsWith(`${r}.`)) return undefined;
  if (majorOf(engine, r) !== majorOf(engine, live) || compareVersions(live, r) <= 0) return undefined;
  return `auto_minor_version_upgrade is on, so AWS upgraded ${engine} from ${r} to ${live} in a maintenance window on its own (declare the major version only, e.g. "${majorOf(engine, live)}", or update engine_version)`;
}

/** A maintenance window compares case-insensitively (the provider stores it lower-case). */
export const lowerCase = (v: Known): Known => (typeof v === 'string' ? v.toLowerCase() : v);

/**
 * A parameter set: each element `{name, value}` canonical as the provider hashes it (the name
 * lower-case; apply_method is how a change is applied, not part of the value).
 */
export function parameterAtoms(value: Known): Known {
  return blocksOf(value).map((p) => canonicalJson({ name: String(p.name ?? '').toLowerCase(), value: String(p.value ?? '') }));
}

export function parameterPhrases(value: Known): string[] {
  return blocksOf(value).map((p) => `${String(p.name ?? '').toLowerCase()} = ${String(p.value ?? '')}`);
}

/** Declared parameters as name → value (names lower-case), or undefined when the value is not a list of blocks. */
export function declaredParameters(declared: Known): Map<string, { value: string; applyMethod?: string }> | undefined {
  if (!Array.isArray(declared)) return undefined;
  const out = new Map<string, { value: string; applyMethod?: string }>();
  for (const p of blocksOf(declared)) {
    if (typeof p.name !== 'string') return undefined;
    out.set(p.name.toLowerCase(), { value: String(p.value ?? ''), applyMethod: str(p.apply_method) });
  }
  return out;
}

/**
 * What ModifyDBInstance / ModifyDBCluster need to write a declared engine_version back: the version
 * and whether a major upgrade is allowed (as the state says); or the outcome when nothing is sent —
 * a declared prefix of the running version already matches, and AWS cannot downgrade.
 */
export function engineVersionWrite(declared: Known, running: string, state: Record<string, unknown>): { EngineVersion: string; AllowMajorVersionUpgrade: boolean } | RevertOutcome {
  const want = str(declared);
  if (!want) return { ok: false, message: 'declared engine_version is not a string' };
  if (running.startsWith(`${want}.`)) return { ok: true, message: `engine_version ${running} already matches ${want}` };
  if (running && compareVersions(want, running) < 0) return { ok: false, message: `engine_version cannot be written back: AWS cannot downgrade ${running} to ${want}; declare ${running} (or its major version) instead` };
  return { EngineVersion: want, AllowMajorVersionUpgrade: bool(state.allow_major_version_upgrade as Known) ?? false };
}

/** The log types to enable and disable so the live exports become the declared ones. */
export function logExportsWrite(declared: Known, live: unknown): { EnableLogTypes: string[]; DisableLogTypes: string[] } {
  const want = stringsOf(declared);
  const have = stringsOf(live);
  return { EnableLogTypes: want.filter((t) => !have.includes(t)), DisableLogTypes: have.filter((t) => !want.includes(t)) };
}
