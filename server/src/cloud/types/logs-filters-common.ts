// What the two CloudWatch Logs filter types share: a filter is named by its log group and its own
// name (`group:name`, the metric filter's import id), and is read with one listing per log group
// (ResourceNotFoundException: the group, and so every filter on it, is gone).
import type { LiveEntry } from '../../drift/snapshot';
import { AwsCallError, describeError } from '../errors';
import { failureText, missingEntry, str, unknownEntry } from './common';
import type { ReadContext, ReadTarget } from './resource-type';

export interface FilterId {
  group: string;
  name: string;
}

/** Neither a log group nor a filter name may contain `:`, so the pair splits unambiguously. */
export function filterId(attributes: Record<string, unknown>): string | undefined {
  const group = str(attributes.log_group_name);
  const name = str(attributes.name);
  return group && name ? `${group}:${name}` : undefined;
}

export function splitFilterId(id: string): FilterId {
  const at = id.indexOf(':');
  return { group: id.slice(0, at), name: id.slice(at + 1) };
}

export function isLogsNotFound(error: unknown): boolean {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  return f.code === 'ResourceNotFoundException';
}

/** A group's filters by name, `gone` when the group does not exist, or why the listing failed. */
export type GroupFilters<F> = { filters: Map<string, F> } | { gone: true } | { failure: string };

/**
 * Lists the filters of every log group the targets name (each listing followed to its last page),
 * then answers each target from its group's listing.
 */
export async function readByGroup<F>(
  targets: ReadTarget[],
  ctx: ReadContext,
  listGroup: (group: string) => Promise<Map<string, F>>,
  entry: (t: ReadTarget, filter: F) => LiveEntry,
  what: string,
): Promise<Map<string, LiveEntry>> {
  const groups = [...new Set(targets.map((t) => splitFilterId(t.id).group))];
  const listed = new Map<string, GroupFilters<F>>(await Promise.all(groups.map(async (g) => {
    try {
      return [g, { filters: await listGroup(g) }] as const;
    } catch (error) {
      return [g, isLogsNotFound(error) ? { gone: true as const } : { failure: failureText(error) }] as const;
    }
  })));
  return new Map(targets.map((t) => {
    const { group, name } = splitFilterId(t.id);
    const found = listed.get(group);
    if (!found || 'failure' in found) return [t.address, unknownEntry(ctx, found && 'failure' in found ? found.failure : `${what} ${t.id} was not read`)];
    if ('gone' in found) return [t.address, missingEntry(ctx, t.id, `log group ${group} does not exist`)];
    const filter = found.filters.get(name);
    return [t.address, filter === undefined ? missingEntry(ctx, t.id, `${what} ${name} does not exist on log group ${group}`) : entry(t, filter)];
  }));
}
