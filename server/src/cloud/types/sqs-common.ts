// What the SQS types share: the mapping of Terraform arguments to queue attribute names, the
// canonical forms of the JSON attributes that are not IAM policies, and the one write call
// (SetQueueAttributes) every queue setting goes back through.
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { canonicalJson, isObject, Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { lookupAll, member, FamilyMember } from '../families/family';
import { QueueRead, QUEUE_KEY, sqsQueueFamily } from '../families/sqs-queues';
import { bool, foundEntry, missingEntry, num, str, unknownEntry } from './common';
import type { RevertOutcome, ResourceType } from './resource-type';

export type QueueValueKind = 'int' | 'bool' | 'string' | 'policy' | 'json';

export interface QueueArgument {
  /** Terraform argument. */
  name: string;
  /** SQS attribute name. */
  attribute: string;
  kind: QueueValueKind;
}

/** The live value of an argument in Terraform's shape (absent attributes read as the provider records them). */
export function liveValue(arg: QueueArgument, attributes: Record<string, string>): unknown {
  const raw = attributes[arg.attribute];
  switch (arg.kind) {
    case 'int': return raw === undefined ? null : Number(raw);
    case 'bool': return raw === 'true';
    default: return raw ?? '';
  }
}

/** The declared value as SetQueueAttributes takes it (a string), or undefined when it cannot be one. */
export function wireValue(kind: QueueValueKind, declared: Known): string | undefined {
  switch (kind) {
    case 'int': {
      const n = num(declared);
      return n === undefined ? undefined : String(n);
    }
    case 'bool': {
      const b = bool(declared);
      return b === undefined ? undefined : String(b);
    }
    default:
      if (declared === null) return '';
      if (typeof declared === 'string') return declared;
      return isObject(declared) ? JSON.stringify(declared) : undefined;
  }
}

/**
 * A redrive or redrive-allow policy as one canonical string: key order and whitespace do not
 * matter, `maxReceiveCount` compares as a number (AWS returns 5 for "5"), source queue ARNs as
 * a set. The provider compares these documents as JSON too (its JSON-equivalence suppression).
 */
export function canonicalQueueJson(value: Known): Known {
  if (value === null || value === '') return '';
  let doc: unknown = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (!isObject(doc)) return typeof value === 'string' ? value : canonicalJson(value);
  const out: Record<string, unknown> = { ...doc };
  if (out.maxReceiveCount !== undefined && !Number.isNaN(Number(out.maxReceiveCount))) out.maxReceiveCount = Number(out.maxReceiveCount);
  if (Array.isArray(out.sourceQueueArns)) out.sourceQueueArns = [...(out.sourceQueueArns as unknown[])].map(String).sort();
  return canonicalJson(out);
}

/** Writes one queue attribute back. */
export async function setQueueAttribute(clients: AwsClients, url: string, arg: QueueArgument, declared: Known): Promise<RevertOutcome> {
  const value = wireValue(arg.kind, declared);
  if (value === undefined) return { ok: false, message: `declared ${arg.name} is not a ${arg.kind === 'int' ? 'number' : arg.kind === 'bool' ? 'boolean' : 'string'}` };
  await clients.gate.call('sqs:SetQueueAttributes', () => clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [arg.attribute]: value } })));
  return { ok: true, message: value === '' ? `${arg.name} removed` : `${arg.name} set to ${value.length > 60 ? `${value.slice(0, 57)}...` : value}` };
}

const urlOf = (a: Record<string, unknown>): string | undefined => str(a.queue_url) ?? str(a.id);

/**
 * The three queue sub-resources (aws_sqs_queue_policy, _redrive_policy, _redrive_allow_policy):
 * identified by the queue URL, one JSON document each, read through the queue family. The provider
 * treats an empty attribute as the resource being gone.
 */
export function queueDocumentType(type: string, arg: QueueArgument, what: string): ResourceType {
  const family: FamilyMember = member<QueueRead>(sqsQueueFamily, {
    keys: (t) => [{ filter: QUEUE_KEY, value: t.id }],
    pick(t, rows, ctx) {
      const found = lookupAll(rows, [{ filter: QUEUE_KEY, value: t.id }]);
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const q = found.items[0];
      if (!q) return missingEntry(ctx, t.id, `queue ${t.id} does not exist`);
      const doc = q.attributes[arg.attribute];
      if (!doc) return missingEntry(ctx, t.id, `queue ${t.id} has no ${what}`);
      return foundEntry(t, type, ctx, { queue_url: t.id, [arg.name]: doc }, { arn: q.attributes.QueueArn });
    },
  });
  return {
    type,
    tags: false,
    attributes: [
      { name: 'queue_url', compare: 'scalar', forceNew: true },
      arg.kind === 'policy'
        ? { name: arg.name, compare: 'policy', severity: 'warning' }
        : { name: arg.name, compare: 'scalar', normalize: canonicalQueueJson },
    ],
    idFromState: urlOf,
    importId: (live) => live.id,
    suggestName: (live) => (/\/([^/]+)\/?$/.exec(live.id)?.[1] ?? 'queue').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),
    family,
    async revert(request, clients) {
      if (request.attribute !== arg.name) return { ok: false, message: `${request.attribute} cannot be written back in place: it names the queue; run terraform apply instead` };
      return setQueueAttribute(clients, request.id, arg, request.declared);
    },
  };
}
