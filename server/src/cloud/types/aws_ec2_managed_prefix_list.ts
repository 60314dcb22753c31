// aws_ec2_managed_prefix_list (DescribeManagedPrefixLists family, by id; the entries through one
// GetManagedPrefixListEntries per list, only for blocks that declare `entry`). Entries are a set of
// CIDR and description; name, size and entries are written back with ModifyManagedPrefixList at
// the live version (a concurrent change makes AWS refuse, and Revert says so).
import { GetManagedPrefixListEntriesCommand, ModifyManagedPrefixListCommand, PrefixListEntry } from '@aws-sdk/client-ec2';
import type { LiveEntry } from '../../drift/snapshot';
import { isObject, Known } from '../../drift/values';
import { prefixListKey, prefixListsFamily } from '../families/interfaces';
import { cannotRevert, failureText, foundEntry, labelFrom, missingEntry, num, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ReadContext, ReadTarget, ResourceType } from './resource-type';

const entryBlocks = (v: Known | undefined): Array<Record<string, Known>> => (Array.isArray(v) ? v : []).flatMap((b) => (isObject(b) ? [b as Record<string, Known>] : []));

/** `entry { cidr, description }` → `cidr description` (description absent = empty). */
function entryAtoms(value: Known): Known {
  return entryBlocks(value).map((b) => `${String(b.cidr ?? '')} ${typeof b.description === 'string' ? b.description : ''}`.trimEnd());
}

async function entriesOf(ctx: ReadContext, id: string): Promise<PrefixListEntry[]> {
  const out: PrefixListEntry[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.clients.gate.call('ec2:GetManagedPrefixListEntries', () => ctx.clients.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id, MaxResults: 100, NextToken })));
    out.push(...(page.Entries ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

export const awsEc2ManagedPrefixList: ResourceType = {
  type: 'aws_ec2_managed_prefix_list',
  tags: true,
  taggingType: 'ec2:prefix-list',
  attributes: [
    { name: 'name', compare: 'scalar' },
    { name: 'address_family', compare: 'scalar', forceNew: true },
    { name: 'max_entries', compare: 'scalar' },
    { name: 'entry', compare: 'blocks', normalize: entryAtoms, phrases: (v) => entryAtoms(v) as string[], severity: 'error' },
  ],
  notCompared: { arn: 'computed by AWS', owner_id: 'computed by AWS', version: 'computed by AWS (grows with every change)' },
  // The family reads the lists; entries need one more call per list, so this type reads itself.
  async read(targets, ctx) {
    const rows = await prefixListsFamily.load(targets.map((t) => prefixListKey(t.id)), ctx);
    const result = new Map<string, LiveEntry>();
    await Promise.all(targets.map(async (t: ReadTarget) => {
      const found = rows.lookup(prefixListKey(t.id));
      if ('failure' in found) return result.set(t.address, unknownEntry(ctx, found.failure));
      const l = found.items.find((x) => x.PrefixListId === t.id);
      if (!l || String(l.State).startsWith('delete')) return result.set(t.address, missingEntry(ctx, t.id, `prefix list ${t.id} does not exist`));
      const attrs: Record<string, unknown> = { name: l.PrefixListName, address_family: l.AddressFamily, max_entries: l.MaxEntries, version: l.Version, tags: userTags(l.Tags) };
      const unknownAttributes: Record<string, string> = {};
      if (!t.needs || t.needs.has('entry')) {
        try {
          attrs.entry = (await entriesOf(ctx, t.id)).map((e) => ({ cidr: e.Cidr ?? '', description: e.Description ?? '' }));
        } catch (error) {
          unknownAttributes.entry = failureText(error);
        }
      }
      return result.set(t.address, foundEntry(t, 'aws_ec2_managed_prefix_list', ctx, attrs, Object.keys(unknownAttributes).length ? { unknownAttributes } : {}));
    }));
    return result;
  },
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /:prefix-list\/(pl-[0-9a-f]+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => labelFrom(live, String(live.attributes.name ?? live.id)),
  async revert(request, clients) {
    const { attribute, declared, live, id } = request;
    if (attribute === 'tags') return revertEc2Tags(clients, request);
    const version = num((live.attributes.version ?? null) as Known);
    if (attribute === 'name' && typeof declared === 'string') {
      await clients.gate.call('ec2:ModifyManagedPrefixList', () => clients.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, PrefixListName: declared })));
    } else if (attribute === 'max_entries' && num(declared) !== undefined) {
      await clients.gate.call('ec2:ModifyManagedPrefixList', () => clients.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, MaxEntries: num(declared) })));
    } else if (attribute === 'entry' && version !== undefined) {
      const want = entryBlocks(declared).map((b) => ({ Cidr: String(b.cidr ?? ''), Description: typeof b.description === 'string' && b.description ? b.description : undefined }));
      const have = entryBlocks(live.attributes.entry as Known).map((b) => ({ cidr: String(b.cidr ?? ''), description: String(b.description ?? '') }));
      const key = (cidr: string, description: string | undefined) => `${cidr} ${description ?? ''}`;
      const wanted = new Set(want.map((e) => key(e.Cidr, e.Description)));
      const AddEntries = want.filter((e) => !have.some((h) => key(h.cidr, h.description || undefined) === key(e.Cidr, e.Description)));
      // An entry whose description changed is re-added, not removed (ModifyManagedPrefixList replaces it).
      const RemoveEntries = have.filter((h) => !wanted.has(key(h.cidr, h.description || undefined)) && !want.some((e) => e.Cidr === h.cidr)).map((h) => ({ Cidr: h.cidr }));
      await clients.gate.call('ec2:ModifyManagedPrefixList', () => clients.ec2.send(new ModifyManagedPrefixListCommand({
        PrefixListId: id, CurrentVersion: version, ...(AddEntries.length ? { AddEntries } : {}), ...(RemoveEntries.length ? { RemoveEntries } : {}),
      })));
    } else {
      return cannotRevert(attribute);
    }
    return { ok: true, message: `${attribute} of prefix list ${id} restored` };
  },
};
