// S3 bucket replication (PutBucketReplication / GetBucketReplication / DeleteBucketReplication,
// REST/XML): rules are kept as received, with the id S3 assigns to a rule sent without one. Checked
// the way S3 checks them: both buckets versioned, a destination that exists, the V2 schema's
// delete-marker element, unique ids and priorities.
import { createHash } from 'node:crypto';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { S3_NAMESPACE } from '../protocol/rest-xml';
import type { Bucket, XmlTree } from '../world';
import { child, childrenNamed, childText, localName, node, type XmlElement, type XmlNode } from '../xml';
import { bucketFor, malformed, noContent, ok, xmlBody, xmlResult, type S3Request, type S3Result } from './s3';

type Handler = (ctx: CallContext, req: S3Request) => S3Result;

const STORAGE_CLASSES = new Set(['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'OUTPOSTS', 'GLACIER_IR', 'EXPRESS_ONEZONE']);
const STATUS = new Set(['Enabled', 'Disabled']);

const treeOf = (e: XmlElement): XmlTree => ({ name: localName(e.name), value: e.children.length ? e.children.map(treeOf) : e.text });
const treeNode = (t: XmlTree): XmlNode => node(t.name, typeof t.value === 'string' ? t.value : t.value.map(treeNode));
const invalid = (message: string): ApiError => new ApiError('InvalidRequest', message, 400);

/** Every `Status` element found under `names` (a path of child elements) must be Enabled or Disabled. */
function checkStatus(parent: XmlElement | undefined, ...names: string[]): void {
  let e = parent;
  for (const n of names) e = e && child(e, n);
  if (e && !STATUS.has(childText(e, 'Status') ?? '')) throw malformed();
}

function checkDestination(ctx: CallContext, rule: XmlElement): void {
  const dest = child(rule, 'Destination');
  const arn = dest && childText(dest, 'Bucket');
  if (!dest || !arn) throw malformed();
  const name = /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(arn)?.[1];
  if (!name) throw new ApiError('InvalidArgument', 'Invalid bucket ARN', 400, { ArgumentName: 'Bucket', ArgumentValue: arn });
  const target: Bucket | undefined = ctx.world.buckets[name];
  if (!target) throw invalid('Destination bucket must exist.');
  if (target.versioning !== 'Enabled') throw invalid('Destination bucket must have versioning enabled.');
  const storage = childText(dest, 'StorageClass');
  if (storage !== undefined && !STORAGE_CLASSES.has(storage)) throw malformed();
  const owner = child(dest, 'AccessControlTranslation');
  if (owner && childText(owner, 'Owner') !== 'Destination') throw malformed();
  if (owner && !childText(dest, 'Account')) throw invalid('Account must be specified when AccessControlTranslation is specified');
  checkStatus(dest, 'ReplicationTime');
  checkStatus(dest, 'Metrics');
  const time = child(dest, 'ReplicationTime');
  const metrics = child(dest, 'Metrics');
  if (time && childText(time, 'Status') === 'Enabled' && (!metrics || childText(metrics, 'Status') !== 'Enabled')) {
    throw invalid('Replication Time Control must be used in conjunction with Metrics.');
  }
}

/** Checks one rule and keeps it, with an id S3 derives when none is sent. */
function readRule(ctx: CallContext, rule: XmlElement, index: number, seen: { ids: Set<string>; priorities: Set<string> }): XmlTree {
  if (!STATUS.has(childText(rule, 'Status') ?? '')) throw malformed();
  const filter = child(rule, 'Filter');
  if (filter && childText(rule, 'Prefix') !== undefined) throw malformed();
  if (filter) {
    if (!child(rule, 'DeleteMarkerReplication')) throw invalid('DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.');
    const priority = childText(rule, 'Priority') ?? '0';
    if (seen.priorities.has(priority)) throw invalid('Found two rules with same priority.');
    seen.priorities.add(priority);
  }
  checkStatus(rule, 'DeleteMarkerReplication');
  checkStatus(rule, 'ExistingObjectReplication');
  checkStatus(rule, 'SourceSelectionCriteria', 'SseKmsEncryptedObjects');
  checkStatus(rule, 'SourceSelectionCriteria', 'ReplicaModifications');
  checkDestination(ctx, rule);
  const tree = treeOf(rule);
  let id = childText(rule, 'ID');
  if (id === undefined || id === '') {
    id = createHash('sha256').update(`${index}:${JSON.stringify(tree)}`).digest('base64url').slice(0, 40);
    tree.value = [{ name: 'ID', value: id }, ...(tree.value as XmlTree[]).filter((t) => t.name !== 'ID')];
  }
  if (id.length > 255) throw new ApiError('InvalidArgument', 'ID length should not exceed allowed limit of 255', 400);
  if (seen.ids.has(id)) throw new ApiError('InvalidArgument', 'Rule Id must be unique', 400);
  seen.ids.add(id);
  return tree;
}

export const s3ReplicationOperations: Record<string, Handler> = {
  GetBucketReplication(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetReplicationConfiguration');
    const r = bucket.replication;
    if (!r) throw new ApiError('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', 404, { BucketName: bucket.name });
    return xmlResult(node('ReplicationConfiguration', [node('Role', r.role), ...r.rules.map(treeNode)], { xmlns: S3_NAMESPACE }));
  },
  PutBucketReplication(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutReplicationConfiguration');
    const root = xmlBody(req, 'ReplicationConfiguration');
    const role = childText(root, 'Role');
    const rules = childrenNamed(root, 'Rule');
    if (!role || !rules.length || rules.length > 1000) throw malformed();
    if (bucket.versioning !== 'Enabled') throw invalid('Versioning must be \'Enabled\' on the bucket to apply a replication configuration');
    const seen = { ids: new Set<string>(), priorities: new Set<string>() };
    bucket.replication = { role, rules: rules.map((r, i) => readRule(ctx, r, i, seen)) };
    return ok();
  },
  DeleteBucketReplication(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutReplicationConfiguration');
    bucket.replication = undefined;
    return noContent();
  },
};
