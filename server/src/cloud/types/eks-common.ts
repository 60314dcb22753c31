// What the EKS types share. EKS has no batch describe: DescribeCluster, DescribeNodegroup,
// DescribeAddon and DescribeAccessEntry each return one object with its tags, and the List calls
// return names only, so one Describe per declared object (under the gate's concurrency cap) is the
// fewest calls that read the configuration; a gone object (or cluster) answers
// ResourceNotFoundException and reads as missing.
import { TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-eks';
import type { LiveEntry } from '../../drift/snapshot';
import type { Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { AwsCallError, describeError } from '../errors';
import { firstBlock } from './blocks';
import { missingEntry, perTarget, revertTagMap, str, untagThenTag } from './common';
import type { ReadContext, ReadTarget, RevertOutcome, RevertRequest } from './resource-type';

function isNotFound(error: unknown): boolean {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  return f.code === 'ResourceNotFoundException';
}

/**
 * Reads each target with one Describe call; `describe` returns undefined for an empty answer. A
 * ResourceNotFoundException (the object or its cluster is gone) is missing; other failures unknown.
 */
export function describeEach<T>(
  targets: ReadTarget[], ctx: ReadContext, what: string,
  describe: (t: ReadTarget) => Promise<T | undefined>, entry: (t: ReadTarget, item: T) => LiveEntry,
): Promise<Map<string, LiveEntry>> {
  return perTarget(targets, ctx, async (t) => {
    let item: T | undefined;
    try {
      item = await describe(t);
    } catch (error) {
      if (isNotFound(error)) return missingEntry(ctx, t.id, `${what} ${t.id} does not exist`);
      throw error;
    }
    return item ? entry(t, item) : missingEntry(ctx, t.id, `${what} ${t.id} does not exist`);
  });
}

/** `cluster:rest` ids (node groups, add-ons, access entries): the cluster name never holds a colon. */
export function splitId(id: string): { cluster: string; name: string } | undefined {
  const i = id.indexOf(':');
  return i > 0 && i < id.length - 1 ? { cluster: id.slice(0, i), name: id.slice(i + 1) } : undefined;
}

/** The `cluster:name` id from state: Terraform's own id, or built from the arguments. */
export function twoPartId(attributes: Record<string, unknown>, nameField: string): string | undefined {
  const cluster = str(attributes.cluster_name);
  const name = str(attributes[nameField]);
  if (cluster && name) return `${cluster}:${name}`;
  const id = str(attributes.id);
  return id && splitId(id) ? id : undefined;
}

/** EKS tags through TagResource/UntagResource on the object's ARN. */
export function revertEksTags(request: RevertRequest, clients: AwsClients): Promise<RevertOutcome> {
  const arn = request.live.arn;
  if (!arn) return Promise.resolve({ ok: false, message: `${request.id}: the ARN was not read; refresh first` });
  return revertTagMap(request, untagThenTag(
    (tagKeys) => clients.gate.call('eks:UntagResource', () => clients.eks.send(new UntagResourceCommand({ resourceArn: arn, tagKeys }))),
    (tags) => clients.gate.call('eks:TagResource', () => clients.eks.send(new TagResourceCommand({ resourceArn: arn, tags: Object.fromEntries(tags.map(({ Key, Value }) => [Key, Value])) }))),
  ));
}

/**
 * A sub-field of a nested block the provider marks Optional+Computed: when the declared block leaves
 * it out, AWS's value stands (so it is never drift); when it is there, it is compared.
 */
export function computedField(block: Record<string, Known> | undefined, field: string, live: Readonly<Record<string, unknown>> | undefined, liveBlock: string): Known | undefined {
  const given = block?.[field];
  // The legacy SDK reads an empty list of an Optional+Computed field as unset.
  if (given !== undefined && given !== null && !(Array.isArray(given) && given.length === 0)) return given;
  return firstBlock(live?.[liveBlock])?.[field];
}
