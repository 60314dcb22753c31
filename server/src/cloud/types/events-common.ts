// What the EventBridge types share: tags written back through TagResource/UntagResource on the
// rule or bus ARN, and JSON documents (event patterns, target input) compared by content.
import { TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-eventbridge';
import { canonicalJson, Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { tagsArg } from './common';
import type { RevertOutcome, RevertRequest } from './resource-type';

/**
 * A JSON document as one canonical string (key order and whitespace do not matter), as the
 * provider's JSON normalisation of `event_pattern` and `input` makes them; text that is not JSON
 * compares as written.
 */
export function canonicalDocument(value: Known): Known {
  if (value === null || value === '') return '';
  if (typeof value !== 'string') return canonicalJson(value);
  try {
    return canonicalJson(JSON.parse(value));
  } catch {
    return value;
  }
}

export async function revertEventTags(request: RevertRequest, clients: AwsClients, what: string): Promise<RevertOutcome> {
  const want = tagsArg(request.declared);
  if (!want) return { ok: false, message: 'declared tags are not a map' };
  const arn = request.live.arn;
  if (!arn) return { ok: false, message: `the ${what} ARN is unknown` };
  const have = (request.live.attributes.tags ?? {}) as Record<string, string>;
  const remove = Object.keys(have).filter((k) => !(k in want));
  const set = Object.entries(want).filter(([k, v]) => have[k] !== v);
  if (remove.length) await clients.gate.call('events:UntagResource', () => clients.events.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: remove })));
  if (set.length) await clients.gate.call('events:TagResource', () => clients.events.send(new TagResourceCommand({ ResourceARN: arn, Tags: set.map(([Key, Value]) => ({ Key, Value })) })));
  return { ok: true, message: `tags restored (${set.length} set, ${remove.length} removed)` };
}
