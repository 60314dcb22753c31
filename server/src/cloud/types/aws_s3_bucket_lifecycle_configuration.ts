// aws_s3_bucket_lifecycle_configuration ↔ GetBucketLifecycleConfiguration / PutBucketLifecycleConfiguration.
// Rules are a set; each rule compares as one canonical value: id, status, the filter (a rule-level
// prefix counts as a filter prefix; an empty filter is no filter), and its actions with zero or
// empty values dropped (the provider records 0, "" and false for what is not set), transitions as
// sets, dates as instants. No lifecycle configuration means Terraform drops the resource.
import { GetBucketLifecycleConfigurationCommand, LifecycleRule, LifecycleRuleFilter, PutBucketLifecycleConfigurationCommand, TransitionStorageClass } from '@aws-sdk/client-s3';
import { isObject, Known } from '../../drift/values';
import { cannotRevert, num, str } from './common';
import type { ResourceType } from './resource-type';
import { bucketOf, readBucketConfig } from './s3-common';

type Block = Record<string, Known>;
const blocks = (v: Known | undefined): Block[] => (Array.isArray(v) ? v : isObject(v) ? [v as Known] : []).flatMap((b) => (isObject(b) ? [b as Block] : []));
const first = (v: Known | undefined): Block | undefined => blocks(v)[0];
const text = (v: Known | undefined): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const positive = (v: Known | undefined): number | undefined => {
  const n = num((v ?? null) as Known);
  return n !== undefined && n > 0 ? n : undefined;
};
const instant = (v: Known | undefined): string | undefined => {
  const t = text(v);
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? t : new Date(ms).toISOString();
};
const compact = (o: Record<string, unknown>): Record<string, unknown> | undefined => {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)));
  return Object.keys(out).length ? out : undefined;
};
const tagsOf = (v: Known | undefined): string[] | undefined => (isObject(v) ? Object.entries(v as Block).map(([k, x]) => `${k}=${text(x)}`).sort() : undefined);

function filterForm(rule: Block): Record<string, unknown> | undefined {
  const f = first(rule.filter);
  const and = first(f?.and);
  const tag = first(f?.tag);
  return compact({
    prefix: text(f?.prefix) || text(rule.prefix) || undefined,
    tag: tag ? `${text(tag.key)}=${text(tag.value)}` : undefined,
    gt: positive(f?.object_size_greater_than), lt: positive(f?.object_size_less_than),
    and: and ? compact({ prefix: text(and.prefix) || undefined, tags: tagsOf(and.tags), gt: positive(and.object_size_greater_than), lt: positive(and.object_size_less_than) }) : undefined,
  });
}

/** One canonical value per rule (see the header). */
function ruleAtoms(value: Known): Known {
  return blocks(value).map((r) => {
    const exp = first(r.expiration);
    const nve = first(r.noncurrent_version_expiration);
    const abort = first(r.abort_incomplete_multipart_upload);
    const atom = compact({
      id: text(r.id), status: text(r.status), filter: filterForm(r),
      expiration: exp ? compact({ date: instant(exp.date), days: positive(exp.days), delete_marker: exp.expired_object_delete_marker === true || exp.expired_object_delete_marker === 'true' ? true : undefined }) : undefined,
      transition: blocks(r.transition).map((t) => `${instant(t.date) ?? ''}|${positive(t.days) ?? 0}|${text(t.storage_class)}`).sort(),
      noncurrent_expiration: nve ? compact({ days: positive(nve.noncurrent_days), newer: positive(nve.newer_noncurrent_versions) }) : undefined,
      noncurrent_transition: blocks(r.noncurrent_version_transition).map((t) => `${positive(t.noncurrent_days) ?? 0}|${positive(t.newer_noncurrent_versions) ?? 0}|${text(t.storage_class)}`).sort(),
      abort_days: positive(abort?.days_after_initiation),
    });
    return JSON.stringify(atom ?? {});
  });
}

/** The live rules in the provider's shape (what ruleAtoms and the phrases read). */
function liveRules(rules: LifecycleRule[]): Block[] {
  const filterOf = (f: LifecycleRuleFilter | undefined): Block[] => (f ? [{
    prefix: f.Prefix ?? '', object_size_greater_than: f.ObjectSizeGreaterThan ?? 0, object_size_less_than: f.ObjectSizeLessThan ?? 0,
    tag: f.Tag ? [{ key: f.Tag.Key ?? '', value: f.Tag.Value ?? '' }] : [],
    and: f.And ? [{
      prefix: f.And.Prefix ?? '', object_size_greater_than: f.And.ObjectSizeGreaterThan ?? 0, object_size_less_than: f.And.ObjectSizeLessThan ?? 0,
      tags: Object.fromEntries((f.And.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    }] : [],
  }] : []);
  return rules.map((r) => ({
    id: r.ID ?? '', status: r.Status ?? '', prefix: r.Prefix ?? '', filter: filterOf(r.Filter),
    expiration: r.Expiration ? [{ date: r.Expiration.Date?.toISOString() ?? '', days: r.Expiration.Days ?? 0, expired_object_delete_marker: r.Expiration.ExpiredObjectDeleteMarker ?? false }] : [],
    transition: (r.Transitions ?? []).map((t) => ({ date: t.Date?.toISOString() ?? '', days: t.Days ?? 0, storage_class: t.StorageClass ?? '' })),
    noncurrent_version_expiration: r.NoncurrentVersionExpiration ? [{ noncurrent_days: r.NoncurrentVersionExpiration.NoncurrentDays ?? 0, newer_noncurrent_versions: String(r.NoncurrentVersionExpiration.NewerNoncurrentVersions ?? '') }] : [],
    noncurrent_version_transition: (r.NoncurrentVersionTransitions ?? []).map((t) => ({ noncurrent_days: t.NoncurrentDays ?? 0, newer_noncurrent_versions: String(t.NewerNoncurrentVersions ?? ''), storage_class: t.StorageClass ?? '' })),
    abort_incomplete_multipart_upload: r.AbortIncompleteMultipartUpload ? [{ days_after_initiation: r.AbortIncompleteMultipartUpload.DaysAfterInitiation ?? 0 }] : [],
  }));
}

/** A declared rule as the API takes it. */
function apiRule(r: Block): LifecycleRule {
  const f = filterForm(r) as { prefix?: string; tag?: string; gt?: number; lt?: number; and?: { prefix?: string; tags?: string[]; gt?: number; lt?: number } } | undefined;
  const exp = first(r.expiration);
  const nve = first(r.noncurrent_version_expiration);
  const abort = first(r.abort_incomplete_multipart_upload);
  const split = (kv: string) => ({ Key: kv.slice(0, kv.indexOf('=')), Value: kv.slice(kv.indexOf('=') + 1) });
  const date = (v: Known | undefined) => (instant(v) ? new Date(instant(v)!) : undefined);
  return {
    ID: text(r.id) || undefined, Status: text(r.status) as LifecycleRule['Status'],
    Filter: f ? {
      ...(f.and ? { And: { Prefix: f.and.prefix, Tags: f.and.tags?.map(split), ObjectSizeGreaterThan: f.and.gt, ObjectSizeLessThan: f.and.lt } } : {}),
      ...(f.tag ? { Tag: split(f.tag) } : {}), ...(f.prefix !== undefined && !f.and ? { Prefix: f.prefix } : {}),
      ...(f.gt ? { ObjectSizeGreaterThan: f.gt } : {}), ...(f.lt ? { ObjectSizeLessThan: f.lt } : {}),
    } : { Prefix: '' },
    ...(exp ? { Expiration: { Date: date(exp.date), Days: positive(exp.days), ExpiredObjectDeleteMarker: exp.expired_object_delete_marker === true ? true : undefined } } : {}),
    ...(blocks(r.transition).length ? { Transitions: blocks(r.transition).map((t) => ({ Date: date(t.date), Days: positive(t.days), StorageClass: text(t.storage_class) as TransitionStorageClass })) } : {}),
    ...(nve ? { NoncurrentVersionExpiration: { NoncurrentDays: positive(nve.noncurrent_days), NewerNoncurrentVersions: positive(nve.newer_noncurrent_versions) } } : {}),
    ...(blocks(r.noncurrent_version_transition).length ? {
      NoncurrentVersionTransitions: blocks(r.noncurrent_version_transition).map((t) => ({ NoncurrentDays: positive(t.noncurrent_days), NewerNoncurrentVersions: positive(t.newer_noncurrent_versions), StorageClass: text(t.storage_class) as TransitionStorageClass })),
    } : {}),
    ...(positive(abort?.days_after_initiation) ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: positive(abort?.days_after_initiation) } } : {}),
  };
}

export const awsS3BucketLifecycleConfiguration: ResourceType = {
  type: 'aws_s3_bucket_lifecycle_configuration',
  tags: false,
  attributes: [
    { name: 'bucket', compare: 'scalar', forceNew: true },
    { name: 'rule', compare: 'blocks', normalize: ruleAtoms, phrases: (v) => (ruleAtoms(v) as string[]), severity: 'warning' },
  ],
  notCompared: {
    expected_bucket_owner: 'a guard of the API calls, not a property of the configuration',
    transition_default_minimum_object_size: 'not read yet (a response header)',
  },
  idFromState: (a) => bucketOf(a),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_-]/g, '_'),

  read(targets, ctx) {
    return readBucketConfig('aws_s3_bucket_lifecycle_configuration', targets, ctx, async (bucket) => {
      const out = await ctx.clients.gate.call('s3:GetBucketLifecycleConfiguration', () => ctx.clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })));
      return { rule: liveRules(out.Rules ?? []) };
    }, 'NoSuchLifecycleConfiguration', 'has no lifecycle configuration');
  },

  async revert(request, clients) {
    if (request.attribute !== 'rule') return cannotRevert(request.attribute);
    const rules = blocks(request.declared).map(apiRule);
    if (!rules.length) return { ok: false, message: 'declared rule is empty' };
    const bucket = str(request.live.attributes.bucket) ?? request.id;
    await clients.gate.call('s3:PutBucketLifecycleConfiguration', () =>
      clients.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } })));
    return { ok: true, message: `${rules.length} lifecycle rule(s) restored` };
  },
};
