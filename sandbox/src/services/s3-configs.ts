// S3 bucket configurations a Terraform sub-resource manages: the bucket ACL, Object Lock, event
// notifications and lifecycle rules (REST/XML), per the S3 API reference; replication in s3-replication.ts.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { S3_NAMESPACE } from '../protocol/rest-xml';
import type { Bucket, BucketGrant, BucketNotification, BucketNotificationTarget, XmlTree } from '../world';
import { child, childrenNamed, childText, localName, node, type XmlElement, type XmlNode } from '../xml';
import { s3ReplicationOperations } from './s3-replication';
import { bucketFor, canonicalOwner, header, malformed, ok, xmlBody, xmlResult, type S3Request, type S3Result } from './s3';

type Handler = (ctx: CallContext, req: S3Request) => S3Result;

const GROUPS = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
} as const;

const PERMISSIONS = new Set(['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP']);

/** The grants a canned ACL stands for (S3 documentation, "Canned ACL"). */
function cannedGrants(ctx: CallContext, acl: string): BucketGrant[] {
  const owner: BucketGrant = { type: 'CanonicalUser', id: canonicalOwner(ctx), permission: 'FULL_CONTROL' };
  const group = (uri: string, permission: BucketGrant['permission']): BucketGrant => ({ type: 'Group', uri, permission });
  switch (acl) {
    case 'private': case 'bucket-owner-full-control': case 'bucket-owner-read': return [owner];
    case 'public-read': return [owner, group(GROUPS.AllUsers, 'READ')];
    case 'public-read-write': return [owner, group(GROUPS.AllUsers, 'READ'), group(GROUPS.AllUsers, 'WRITE')];
    case 'authenticated-read': return [owner, group(GROUPS.AuthenticatedUsers, 'READ')];
    case 'log-delivery-write': return [owner, group(GROUPS.LogDelivery, 'WRITE'), group(GROUPS.LogDelivery, 'READ_ACP')];
    default: throw new ApiError('InvalidArgument', `Invalid canned ACL: ${acl}`, 400, { ArgumentName: 'x-amz-acl', ArgumentValue: acl });
  }
}

/** Only the owner's full control is an ACL a bucket with ACLs disabled accepts. */
function ownerOnly(ctx: CallContext, grants: BucketGrant[]): boolean {
  return grants.every((g) => g.type === 'CanonicalUser' && g.id === canonicalOwner(ctx) && g.permission === 'FULL_CONTROL');
}

function readGrants(root: XmlElement): BucketGrant[] {
  const list = child(root, 'AccessControlList');
  if (!list) throw malformed();
  return childrenNamed(list, 'Grant').map((g) => {
    const grantee = child(g, 'Grantee');
    const permission = childText(g, 'Permission') ?? '';
    if (!grantee || !PERMISSIONS.has(permission)) throw malformed();
    const type = (Object.entries(grantee.attributes ?? {}).find(([k]) => k.endsWith(':type') || k === 'type')?.[1] ?? '') as BucketGrant['type'];
    if (type === 'CanonicalUser') return { type, id: childText(grantee, 'ID'), permission: permission as BucketGrant['permission'] };
    if (type === 'Group') return { type, uri: childText(grantee, 'URI'), permission: permission as BucketGrant['permission'] };
    if (type === 'AmazonCustomerByEmail') return { type, email: childText(grantee, 'EmailAddress'), permission: permission as BucketGrant['permission'] };
    throw malformed();
  });
}

function grantXml(ctx: CallContext, g: BucketGrant): XmlNode {
  const attrs = { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:type': g.type };
  const body = g.type === 'CanonicalUser' ? [node('ID', g.id), ...(g.id === canonicalOwner(ctx) ? [node('DisplayName', 'sandbox')] : [])]
    : g.type === 'Group' ? [node('URI', g.uri)] : [node('EmailAddress', g.email)];
  return node('Grant', [node('Grantee', body, attrs), node('Permission', g.permission)]);
}

function objectLockXml(b: Bucket): XmlNode {
  const rule = b.objectLock?.rule;
  return node('ObjectLockConfiguration', [
    node('ObjectLockEnabled', 'Enabled'),
    ...(rule ? [node('Rule', [node('DefaultRetention', [node('Mode', rule.mode), ...(rule.days ? [node('Days', rule.days)] : []), ...(rule.years ? [node('Years', rule.years)] : [])])])] : []),
  ], { xmlns: S3_NAMESPACE });
}

const TARGETS: Array<{ kind: BucketNotificationTarget['kind']; element: string; arnElement: string; service: string }> = [
  { kind: 'Topic', element: 'TopicConfiguration', arnElement: 'Topic', service: 'sns' },
  { kind: 'Queue', element: 'QueueConfiguration', arnElement: 'Queue', service: 'sqs' },
  { kind: 'CloudFunction', element: 'CloudFunctionConfiguration', arnElement: 'CloudFunction', service: 'lambda' },
];

function readNotification(root: XmlElement): BucketNotification {
  const targets: BucketNotificationTarget[] = [];
  let n = 0;
  for (const t of TARGETS) {
    for (const c of childrenNamed(root, t.element)) {
      const arn = childText(c, t.arnElement) ?? '';
      const events = childrenNamed(c, 'Event').map((e) => e.text);
      if (!arn.startsWith(`arn:aws:${t.service}:`) || !events.length) {
        throw new ApiError('InvalidArgument', 'Unable to validate the following destination configurations', 400, { ArgumentName: arn || t.arnElement, ArgumentValue: 'Not a valid destination' });
      }
      const bad = events.find((e) => !/^s3:[A-Za-z]+:(\*|[A-Za-z]+)$|^s3:[A-Za-z]+:[A-Za-z]+:[A-Za-z*]+$/.test(e));
      if (bad) throw new ApiError('InvalidArgument', `The event is not supported for notifications: ${bad}`, 400);
      const rules = childrenNamed(child(child(c, 'Filter') ?? c, 'S3Key') ?? c, 'FilterRule').map((r) => [childText(r, 'Name')?.toLowerCase(), childText(r, 'Value')] as const);
      // S3 names configurations it receives without an id.
      const id = childText(c, 'Id') ?? `tf-s3-${t.kind.toLowerCase()}-${String(++n).padStart(4, '0')}-generated`;
      targets.push({ kind: t.kind, id, arn, events, prefix: rules.find(([k]) => k === 'prefix')?.[1], suffix: rules.find(([k]) => k === 'suffix')?.[1] });
    }
  }
  return { targets, eventBridge: Boolean(child(root, 'EventBridgeConfiguration')) };
}

function notificationXml(n: BucketNotification | undefined): XmlNode {
  const out: XmlNode[] = [];
  for (const t of TARGETS) {
    for (const c of (n?.targets ?? []).filter((x) => x.kind === t.kind)) {
      const rules = [['prefix', c.prefix], ['suffix', c.suffix]].filter(([, v]) => v !== undefined) as Array<[string, string]>;
      out.push(node(t.element, [
        node('Id', c.id), node(t.arnElement, c.arn), ...c.events.map((e) => node('Event', e)),
        ...(rules.length ? [node('Filter', [node('S3Key', rules.map(([k, v]) => node('FilterRule', [node('Name', k), node('Value', v)])))])] : []),
      ]));
    }
  }
  if (n?.eventBridge) out.push(node('EventBridgeConfiguration', []));
  return node('NotificationConfiguration', out, { xmlns: S3_NAMESPACE });
}

const treeOf = (e: XmlElement): XmlTree => ({ name: localName(e.name), value: e.children.length ? e.children.map(treeOf) : e.text });
const treeNode = (t: XmlTree): XmlNode => node(t.name, typeof t.value === 'string' ? t.value : t.value.map(treeNode));

const LIFECYCLE_ACTIONS = ['Expiration', 'Transition', 'NoncurrentVersionExpiration', 'NoncurrentVersionTransition', 'AbortIncompleteMultipartUpload'];

/** Checks one lifecycle rule the way S3 does for the common mistakes, and keeps it as received. */
function readLifecycleRule(rule: XmlElement, ids: Set<string>): XmlTree {
  const id = childText(rule, 'ID');
  if (id !== undefined) {
    if (id.length > 255) throw new ApiError('InvalidArgument', 'ID length should not exceed allowed limit of 255', 400);
    if (ids.has(id)) throw new ApiError('InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule', 400);
    ids.add(id);
  }
  const status = childText(rule, 'Status');
  if (status !== 'Enabled' && status !== 'Disabled') throw malformed();
  if (!rule.children.some((c) => LIFECYCLE_ACTIONS.includes(localName(c.name)))) throw new ApiError('InvalidRequest', 'At least one action needs to be specified in a rule', 400);
  for (const days of [...childrenNamed(rule, 'Expiration'), ...childrenNamed(rule, 'Transition')].map((a) => childText(a, 'Days')).filter((d) => d !== undefined)) {
    if (!/^\d+$/.test(days!) || Number(days) < 0) throw new ApiError('InvalidArgument', `'Days' in the action must be a non-negative integer`, 400);
  }
  return treeOf(rule);
}

export const s3ConfigOperations: Record<string, Handler> = {
  ...s3ReplicationOperations,
  GetBucketAcl(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketAcl');
    const grants = bucket.acl ?? cannedGrants(ctx, 'private');
    return xmlResult(node('AccessControlPolicy', [
      node('Owner', [node('ID', canonicalOwner(ctx)), node('DisplayName', 'sandbox')]),
      node('AccessControlList', grants.map((g) => grantXml(ctx, g))),
    ], { xmlns: S3_NAMESPACE }));
  },
  PutBucketAcl(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketAcl');
    const canned = header(req, 'x-amz-acl');
    if (canned !== undefined && req.body.length) throw new ApiError('UnexpectedContent', 'This request does not support content', 400);
    const grants = canned !== undefined ? cannedGrants(ctx, canned) : readGrants(xmlBody(req, 'AccessControlPolicy'));
    if ((bucket.ownership ?? 'BucketOwnerEnforced') === 'BucketOwnerEnforced' && !ownerOnly(ctx, grants)) {
      throw new ApiError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
    }
    // Block Public Access refuses a public ACL outright (BlockPublicAcls).
    if (bucket.publicAccessBlock?.blockPublicAcls && grants.some((g) => g.uri === GROUPS.AllUsers || g.uri === GROUPS.AuthenticatedUsers)) {
      throw new ApiError('AccessDenied', 'Access Denied', 403);
    }
    bucket.acl = grants;
    return ok();
  },
  GetObjectLockConfiguration(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketObjectLockConfiguration');
    if (!bucket.objectLock?.enabled) throw new ApiError('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404, { BucketName: bucket.name });
    return xmlResult(objectLockXml(bucket));
  },
  PutObjectLockConfiguration(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketObjectLockConfiguration');
    const root = xmlBody(req, 'ObjectLockConfiguration');
    if (childText(root, 'ObjectLockEnabled') !== 'Enabled') throw malformed();
    if (!bucket.objectLock?.enabled && bucket.versioning !== 'Enabled') {
      throw new ApiError('InvalidBucketState', 'Versioning must be \'Enabled\' on the bucket to apply a Object Lock configuration', 409, { BucketName: bucket.name });
    }
    const retention = child(child(root, 'Rule') ?? root, 'DefaultRetention');
    let rule: NonNullable<Bucket['objectLock']>['rule'];
    if (retention) {
      const mode = childText(retention, 'Mode');
      const days = childText(retention, 'Days');
      const years = childText(retention, 'Years');
      if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') throw malformed();
      if ((days === undefined) === (years === undefined)) throw malformed();
      if (Number(days ?? years) <= 0) throw new ApiError('InvalidArgument', 'Default retention period must be a positive integer value', 400);
      rule = { mode, ...(days !== undefined ? { days: Number(days) } : { years: Number(years) }) };
    }
    bucket.objectLock = { enabled: true, rule };
    return ok();
  },
  GetBucketLifecycleConfiguration(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetLifecycleConfiguration');
    if (!bucket.lifecycleRules?.length) throw new ApiError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404, { BucketName: bucket.name });
    const result = xmlResult(node('LifecycleConfiguration', bucket.lifecycleRules.map(treeNode), { xmlns: S3_NAMESPACE }));
    return { ...result, headers: { ...result.headers, 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' } };
  },
  PutBucketLifecycleConfiguration(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutLifecycleConfiguration');
    const rules = childrenNamed(xmlBody(req, 'LifecycleConfiguration'), 'Rule');
    if (!rules.length || rules.length > 1000) throw malformed();
    const ids = new Set<string>();
    bucket.lifecycleRules = rules.map((r) => readLifecycleRule(r, ids));
    return ok();
  },
  DeleteBucketLifecycle(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutLifecycleConfiguration');
    bucket.lifecycleRules = undefined;
    return { status: 204 };
  },
  GetBucketNotificationConfiguration(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketNotification');
    return xmlResult(notificationXml(bucket.notification));
  },
  PutBucketNotificationConfiguration(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketNotification');
    const n = readNotification(xmlBody(req, 'NotificationConfiguration'));
    bucket.notification = n.targets.length || n.eventBridge ? n : undefined;
    return ok();
  },
};
