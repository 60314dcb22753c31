// aws_s3_bucket_replication_configuration ↔ GetBucketReplication / PutBucketReplication. The role is
// one value; rules are a set, each rule one canonical value: id, priority (0 and unset alike, as S3
// defaults it), status, the filter (a rule-level prefix counts as a filter prefix, an empty filter
// as none), delete-marker and existing-object replication, source selection and the destination,
// with the provider's empty strings, zeros and empty blocks for what is not set dropped. No
// replication configuration means Terraform drops the resource.
import { GetBucketReplicationCommand, PutBucketReplicationCommand, ReplicationRule, ReplicationRuleFilter, StorageClass } from '@aws-sdk/client-s3';
import { isObject, Known } from '../../drift/values';
import { cannotRevert, num, str } from './common';
import type { ResourceType } from './resource-type';
import { bucketOf, readBucketConfig } from './s3-common';

type Block = Record<string, Known>;
const blocks = (v: Known | undefined): Block[] => (Array.isArray(v) ? v : isObject(v) ? [v as Known] : []).flatMap((b) => (isObject(b) ? [b as Block] : []));
const first = (v: Known | undefined): Block | undefined => blocks(v)[0];
const text = (v: Known | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const positive = (v: Known | undefined): number | undefined => {
  const n = num((v ?? null) as Known);
  return n !== undefined && n > 0 ? n : undefined;
};
const statusOf = (v: Known | undefined): string | undefined => text(first(v)?.status);
const compact = (o: Record<string, unknown>): Record<string, unknown> | undefined => {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && !v.length)));
  return Object.keys(out).length ? out : undefined;
};
const tagList = (v: Known | undefined): string[] => (isObject(v) ? Object.entries(v as Block).map(([k, x]) => `${k}=${text(x) ?? ''}`).sort() : []);

function filterForm(rule: Block): { prefix?: string; tag?: string; and?: { prefix?: string; tags: string[] } } | undefined {
  const f = first(rule.filter);
  const tag = first(f?.tag);
  const and = first(f?.and);
  return compact({
    prefix: text(f?.prefix) ?? text(rule.prefix),
    tag: tag ? `${text(tag.key) ?? ''}=${text(tag.value) ?? ''}` : undefined,
    and: and ? compact({ prefix: text(and.prefix), tags: tagList(and.tags) }) : undefined,
  }) as ReturnType<typeof filterForm>;
}

function destinationForm(rule: Block): Record<string, unknown> | undefined {
  const d = first(rule.destination);
  if (!d) return undefined;
  const rtc = first(d.replication_time);
  const metrics = first(d.metrics);
  return compact({
    bucket: text(d.bucket), storage_class: text(d.storage_class), account: text(d.account),
    owner: text(first(d.access_control_translation)?.owner),
    replica_kms_key_id: text(first(d.encryption_configuration)?.replica_kms_key_id),
    replication_time: rtc ? compact({ status: text(rtc.status), minutes: positive(first(rtc.time)?.minutes) }) : undefined,
    metrics: metrics ? compact({ status: text(metrics.status), minutes: positive(first(metrics.event_threshold)?.minutes) }) : undefined,
  });
}

/** One canonical value per rule (see the header). */
function ruleAtoms(value: Known): string[] {
  return blocks(value).map((r) => {
    const ssc = first(r.source_selection_criteria);
    return JSON.stringify(compact({
      id: text(r.id), priority: positive(r.priority), status: text(r.status), filter: filterForm(r),
      delete_marker_replication: statusOf(r.delete_marker_replication),
      existing_object_replication: statusOf(r.existing_object_replication),
      replica_modifications: statusOf(ssc?.replica_modifications),
      sse_kms_encrypted_objects: statusOf(ssc?.sse_kms_encrypted_objects),
      destination: destinationForm(r),
    }) ?? {});
  });
}

const statusBlock = (s: { Status?: string } | undefined): Block[] => (s?.Status ? [{ status: s.Status }] : []);

/** The live rules in the provider's shape (what ruleAtoms reads). */
function liveRules(rules: ReplicationRule[]): Block[] {
  const filterOf = (f: ReplicationRuleFilter | undefined): Block[] => (f ? [{
    prefix: f.Prefix ?? '',
    tag: f.Tag ? [{ key: f.Tag.Key ?? '', value: f.Tag.Value ?? '' }] : [],
    and: f.And ? [{ prefix: f.And.Prefix ?? '', tags: Object.fromEntries((f.And.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])) }] : [],
  }] : []);
  return rules.map((r) => {
    const d = r.Destination;
    return {
      id: r.ID ?? '', priority: r.Priority ?? 0, prefix: r.Prefix ?? '', status: r.Status ?? '', filter: filterOf(r.Filter),
      delete_marker_replication: statusBlock(r.DeleteMarkerReplication),
      existing_object_replication: statusBlock(r.ExistingObjectReplication),
      source_selection_criteria: r.SourceSelectionCriteria ? [{
        replica_modifications: statusBlock(r.SourceSelectionCriteria.ReplicaModifications),
        sse_kms_encrypted_objects: statusBlock(r.SourceSelectionCriteria.SseKmsEncryptedObjects),
      }] : [],
      destination: d ? [{
        bucket: d.Bucket ?? '', storage_class: d.StorageClass ?? '', account: d.Account ?? '',
        access_control_translation: d.AccessControlTranslation ? [{ owner: d.AccessControlTranslation.Owner ?? '' }] : [],
        encryption_configuration: d.EncryptionConfiguration ? [{ replica_kms_key_id: d.EncryptionConfiguration.ReplicaKmsKeyID ?? '' }] : [],
        replication_time: d.ReplicationTime ? [{ status: d.ReplicationTime.Status ?? '', time: d.ReplicationTime.Time ? [{ minutes: d.ReplicationTime.Time.Minutes ?? 0 }] : [] }] : [],
        metrics: d.Metrics ? [{ status: d.Metrics.Status ?? '', event_threshold: d.Metrics.EventThreshold ? [{ minutes: d.Metrics.EventThreshold.Minutes ?? 0 }] : [] }] : [],
      }] : [],
    };
  });
}

/**
 * A declared rule as the provider sends it: a rule with a filter block is the V2 schema (filter,
 * priority, delete-marker replication); without one, the V1 schema (a rule-level prefix).
 */
function apiRule(r: Block): ReplicationRule {
  const v2 = blocks(r.filter).length > 0;
  const f = filterForm(r);
  const d = first(r.destination);
  const ssc = first(r.source_selection_criteria);
  const split = (kv: string) => ({ Key: kv.slice(0, kv.indexOf('=')), Value: kv.slice(kv.indexOf('=') + 1) });
  const status = <S extends string>(v: Known | undefined) => (statusOf(v) ? { Status: statusOf(v) as S } : undefined);
  const dest = destinationForm(r) as { bucket?: string; storage_class?: string; account?: string; owner?: string; replica_kms_key_id?: string; replication_time?: { status?: string; minutes?: number }; metrics?: { status?: string; minutes?: number } } | undefined;
  const filter: ReplicationRuleFilter = f?.and ? { And: { Prefix: f.and.prefix, Tags: f.and.tags.map(split) } } : f?.tag ? { Tag: split(f.tag) } : { Prefix: f?.prefix ?? '' };
  return {
    ...(text(r.id) ? { ID: text(r.id) } : {}),
    Status: text(r.status) as ReplicationRule['Status'],
    ...(v2 ? { Filter: filter, Priority: positive(r.priority) ?? 0 } : { Prefix: text(r.prefix) ?? '' }),
    ...(status(r.delete_marker_replication) ? { DeleteMarkerReplication: status(r.delete_marker_replication) } : {}),
    ...(status(r.existing_object_replication) ? { ExistingObjectReplication: status(r.existing_object_replication) } : {}),
    ...(ssc ? { SourceSelectionCriteria: { ReplicaModifications: status(ssc.replica_modifications), SseKmsEncryptedObjects: status(ssc.sse_kms_encrypted_objects) } } : {}),
    Destination: {
      Bucket: dest?.bucket ?? '',
      ...(dest?.storage_class ? { StorageClass: dest.storage_class as StorageClass } : {}),
      ...(dest?.account ? { Account: dest.account } : {}),
      ...(dest?.owner ? { AccessControlTranslation: { Owner: dest.owner as 'Destination' } } : {}),
      ...(dest?.replica_kms_key_id ? { EncryptionConfiguration: { ReplicaKmsKeyID: dest.replica_kms_key_id } } : {}),
      ...(d && first(d.replication_time) ? { ReplicationTime: { Status: (dest?.replication_time?.status ?? 'Disabled') as 'Enabled', Time: { Minutes: dest?.replication_time?.minutes ?? 15 } } } : {}),
      ...(d && first(d.metrics) ? { Metrics: { Status: (dest?.metrics?.status ?? 'Disabled') as 'Enabled', ...(dest?.metrics?.minutes ? { EventThreshold: { Minutes: dest.metrics.minutes } } : {}) } } : {}),
    },
  } as ReplicationRule;
}

export const awsS3BucketReplicationConfiguration: ResourceType = {
  type: 'aws_s3_bucket_replication_configuration',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    { name: 'role', compare: 'scalar', severity: 'warning' },
    { name: 'rule', compare: 'blocks', normalize: ruleAtoms, phrases: ruleAtoms, severity: 'warning' },
  ],
  notCompared: {
    token: 'sensitive (the Object Lock token): never read',
  },
  idFromState: (a) => bucketOf(a),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readBucketConfig('aws_s3_bucket_replication_configuration', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetBucketReplication', () => ctx.clients.s3.send(new GetBucketReplicationCommand({ Bucket: bucket })));
      const config = out.ReplicationConfiguration;
      return config ? { role: config.Role ?? '', rule: liveRules(config.Rules ?? []) } : undefined;
    }, 'ReplicationConfigurationNotFoundError', 'has no replication configuration');
  },

  async revert(request, clients) {
    const { attribute, declared, live } = request;
    if (attribute !== 'role' && attribute !== 'rule') return cannotRevert(attribute);
    const bucket = str(live.attributes.bucket) ?? request.id;
    // PutBucketReplication replaces the whole configuration: the other half is kept as it is now
    // (read again, so that reverting role and rule one after the other keeps both).
    const current = await clients.gate.call('s3:GetBucketReplication', () => clients.s3.send(new GetBucketReplicationCommand({ Bucket: bucket })));
    const now = current.ReplicationConfiguration;
    const role = attribute === 'role' ? str(declared) : now?.Role;
    const rules = attribute === 'rule' ? blocks(declared).map(apiRule) : now?.Rules ?? [];
    if (!role) return { ok: false, message: 'declared role is empty' };
    if (!rules.length) return { ok: false, message: 'declared rule is empty' };
    await clients.gate.call('s3:PutBucketReplication', () =>
      clients.s3.send(new PutBucketReplicationCommand({ Bucket: bucket, ReplicationConfiguration: { Role: role, Rules: rules } })));
    return { ok: true, message: attribute === 'role' ? 'replication role restored' : `${rules.length} replication rule(s) restored` };
  },
};
