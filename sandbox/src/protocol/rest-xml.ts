// S3's REST-XML protocol, path style: /<bucket>[/<key>] with sub-resources as query keys
// (?tagging, ?versioning, …); XML bodies; errors as <Error><Code/><Message/>…</Error>.
import { ApiError } from '../errors';
import { node, toXml } from '../xml';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface S3Target {
  bucket?: string;
  key?: string;
  /** The sub-resource that selects the operation (tagging, versioning, …), if any. */
  subresource?: string;
}

const SUBRESOURCES = ['tagging', 'versioning', 'encryption', 'policy', 'publicAccessBlock', 'location', 'acl', 'cors', 'lifecycle', 'logging', 'website', 'ownershipControls', 'policyStatus', 'uploads', 'versions', 'object-lock', 'notification', 'replication', 'requestPayment', 'accelerate', 'analytics', 'inventory', 'metrics', 'intelligent-tiering', 'delete'];

export function s3Target(rawPath: string, query: Map<string, string>): S3Target {
  const path = rawPath.replace(/^\/+/, '');
  const slash = path.indexOf('/');
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new ApiError('InvalidURI', "Couldn't parse the specified URI.", 400);
    }
  };
  const bucket = path === '' ? undefined : decode(slash < 0 ? path : path.slice(0, slash));
  const key = slash < 0 || slash === path.length - 1 ? undefined : decode(path.slice(slash + 1));
  const subresource = SUBRESOURCES.find((s) => query.has(s));
  return { bucket, key, subresource };
}

/** Operation name from method + target, as CloudTrail and the stats name it. */
export function s3Operation(method: string, t: S3Target, query: Map<string, string>): string {
  const m = method.toUpperCase();
  if (!t.bucket) return m === 'GET' ? 'ListBuckets' : 'UnknownOperation';
  if (t.key !== undefined) {
    if (m === 'GET') return 'GetObject';
    if (m === 'PUT') return query.has('tagging') ? 'PutObjectTagging' : 'PutObject';
    if (m === 'HEAD') return 'HeadObject';
    if (m === 'DELETE') return 'DeleteObject';
    return 'UnknownOperation';
  }
  const sub = t.subresource;
  const names: Record<string, Record<string, string>> = {
    tagging: { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'DeleteBucketTagging' },
    versioning: { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' },
    encryption: { GET: 'GetBucketEncryption', PUT: 'PutBucketEncryption', DELETE: 'DeleteBucketEncryption' },
    policy: { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' },
    publicAccessBlock: { GET: 'GetPublicAccessBlock', PUT: 'PutPublicAccessBlock', DELETE: 'DeletePublicAccessBlock' },
    location: { GET: 'GetBucketLocation' },
    acl: { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' },
    ownershipControls: { GET: 'GetBucketOwnershipControls', PUT: 'PutBucketOwnershipControls', DELETE: 'DeleteBucketOwnershipControls' },
    requestPayment: { GET: 'GetBucketRequestPayment' },
    cors: { GET: 'GetBucketCors', PUT: 'PutBucketCors', DELETE: 'DeleteBucketCors' },
    lifecycle: { GET: 'GetBucketLifecycleConfiguration', PUT: 'PutBucketLifecycleConfiguration', DELETE: 'DeleteBucketLifecycle' },
    logging: { GET: 'GetBucketLogging', PUT: 'PutBucketLogging' },
    replication: { GET: 'GetBucketReplication', PUT: 'PutBucketReplication', DELETE: 'DeleteBucketReplication' },
    website: { GET: 'GetBucketWebsite', PUT: 'PutBucketWebsite', DELETE: 'DeleteBucketWebsite' },
    accelerate: { GET: 'GetBucketAccelerateConfiguration' },
    'object-lock': { GET: 'GetObjectLockConfiguration', PUT: 'PutObjectLockConfiguration' },
    notification: { GET: 'GetBucketNotificationConfiguration', PUT: 'PutBucketNotificationConfiguration' },
  };
  if (sub) return names[sub]?.[m] ?? `Unsupported:${sub}`;
  if (m === 'GET') return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  return ({ PUT: 'CreateBucket', HEAD: 'HeadBucket', DELETE: 'DeleteBucket' } as Record<string, string>)[m] ?? 'UnknownOperation';
}

export function renderS3Error(err: ApiError, requestId: string, hostId: string): string {
  return toXml(node('Error', [
    node('Code', err.code), node('Message', err.message),
    ...Object.entries(err.extra).map(([k, v]) => node(k, v)),
    node('RequestId', requestId), node('HostId', hostId),
  ]));
}
