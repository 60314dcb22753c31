// Conventions RDS and ElastiCache share on the query protocol: Marker/MaxRecords pagination, tags
// as `Tags.Tag.N.Key`, lists named by their member (`<TagList><Tag>`), and the two services' way of
// answering a tag call on an ARN they do not know.
import { ApiError } from '../../errors';
import type { QueryParams } from '../../protocol/query-xml';
import type { Tags } from '../../world';
import { items, node, type XmlNode } from '../../xml';

export const invalidValue = (message: string): ApiError => new ApiError('InvalidParameterValue', message, 400);
export const invalidCombination = (message: string): ApiError => new ApiError('InvalidParameterCombination', message, 400);

/** One page of a sorted listing: MaxRecords 20..100 (default 100), an opaque Marker for the rest. */
export function pageOf<T>(list: T[], params: QueryParams): { items: T[]; marker?: string } {
  const max = params.int('MaxRecords') ?? 100;
  if (max < 20 || max > 100) throw invalidValue(`Invalid value ${max} for MaxRecords. Must be between 20 and 100`);
  const marker = params.get('Marker');
  const start = marker === undefined ? 0 : Number(Buffer.from(marker, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw invalidValue('The marker is not valid');
  const next = start + max < list.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return { items: list.slice(start, start + max), marker: next };
}

/** `Tags.Tag.N.Key/Value`; AWS reserves the `aws:` prefix. */
export function tagsParam(params: QueryParams, name = 'Tags.Tag'): Tags {
  const out: Tags = {};
  for (const t of params.structs(name)) {
    const key = t.get('Key');
    if (!key) throw invalidValue('Tag keys must not be empty');
    if (key.toLowerCase().startsWith('aws:')) throw invalidValue(`Tag keys must not start with 'aws:' (${key})`);
    out[key] = t.get('Value') ?? '';
  }
  if (Object.keys(out).length > 50) throw new ApiError('TagQuotaPerResourceExceeded', 'Exceeded the maximum number of tags (50)', 400);
  return out;
}

export function tagListNode(tags: Tags, name = 'TagList'): XmlNode {
  return node(name, items('Tag', Object.entries(tags), ([Key, Value]) => [node('Key', Key), node('Value', Value)]));
}

/** A `<Name><Member>…</Member></Name>` list of strings. */
export function stringList(name: string, member: string, values: readonly string[]): XmlNode {
  return node(name, items(member, values, (v) => v));
}

/** Filters as `Filters.Filter.N.Name` with `Values.Value.N`. */
export function filtersParam(params: QueryParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of params.structs('Filters.Filter')) {
    const name = f.get('Name');
    if (!name) throw invalidValue('Filter name must not be empty');
    out.set(name, f.list('Values.Value'));
  }
  return out;
}

/** A maintenance window `ddd:hh24:mi-ddd:hh24:mi` (AWS stores it lower-case). */
export function maintenanceWindow(value: string): string {
  if (!/^(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}-(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}$/i.test(value)) {
    throw invalidValue(`Invalid maintenance window format: ${value}. Expected ddd:hh24:mi-ddd:hh24:mi`);
  }
  return value.toLowerCase();
}

/** A daily window `hh24:mi-hh24:mi`. */
export function dailyWindow(value: string, what: string): string {
  if (!/^\d{2}:\d{2}-\d{2}:\d{2}$/.test(value)) throw invalidValue(`Invalid ${what} format: ${value}. Expected hh24:mi-hh24:mi`);
  return value;
}
