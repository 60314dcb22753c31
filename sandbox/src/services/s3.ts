// S3 (REST/XML, path style): buckets and their tagging, versioning, encryption, policy and public
// access block, plus plain objects (enough for a Terraform S3 backend).
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { PolicyError, parsePolicy } from '../auth/policy';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { S3_NAMESPACE, type S3Target } from '../protocol/rest-xml';
import type { Bucket, BucketEncryption, BucketWebsite, CorsRule, PublicAccessBlock, Tags } from '../world';
import { XmlParseError, child, childText, childrenNamed, items, localName, node, parseXml, toXml, type XmlElement, type XmlNode } from '../xml';

export interface S3Request {
  method: string;
  target: S3Target;
  query: Map<string, string>;
  headers: Map<string, string[]>;
  /** Payload after aws-chunked decoding. */
  body: Buffer;
}

export interface S3Result {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Object-level calls are CloudTrail data events: not in event history, so not recorded. */
export const S3_DATA_OPERATIONS = new Set(['GetObject', 'PutObject', 'HeadObject', 'DeleteObject', 'ListObjectsV2', 'ListObjects']);

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const xmlResult = (root: XmlNode, status = 200): S3Result => ({ status, headers: { 'content-type': 'application/xml' }, body: toXml(root) });
export const noContent = (): S3Result => ({ status: 204 });
export const ok = (): S3Result => ({ status: 200 });

const noSuchBucket = (name: string): ApiError => new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: name });
/** The account's canonical user id, as ListBuckets and ACLs show it. */
export const canonicalOwner = (ctx: CallContext): string => createHash('sha256').update(ctx.world.accountId).digest('hex');
export const malformed = (): ApiError => new ApiError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

export function header(req: S3Request, name: string): string | undefined {
  return req.headers.get(name)?.[0];
}

/** Verifies Content-MD5 and the flexible checksum headers the SDK may send with a body. */
function checkDigests(req: S3Request): void {
  const md5 = header(req, 'content-md5');
  if (md5 !== undefined && createHash('md5').update(req.body).digest('base64') !== md5) {
    throw new ApiError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  }
  const checks: [string, () => string | undefined][] = [
    ['x-amz-checksum-sha256', () => createHash('sha256').update(req.body).digest('base64')],
    ['x-amz-checksum-sha1', () => createHash('sha1').update(req.body).digest('base64')],
    ['x-amz-checksum-crc32', () => {
      const crc = (zlib as unknown as { crc32?: (data: Buffer) => number }).crc32;
      if (!crc) return undefined;
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc(req.body) >>> 0);
      return b.toString('base64');
    }],
  ];
  for (const [name, compute] of checks) {
    const sent = header(req, name);
    if (sent === undefined) continue;
    const actual = compute();
    if (actual !== undefined && actual !== sent) throw new ApiError('BadDigest', `The ${name.slice(6).toUpperCase()} you specified did not match the calculated checksum.`, 400);
  }
}

export function xmlBody(req: S3Request, rootName: string): XmlElement {
  checkDigests(req);
  let root: XmlElement;
  try {
    root = parseXml(req.body.toString('utf8'));
  } catch (err) {
    if (err instanceof XmlParseError) throw malformed();
    throw err;
  }
  if (localName(root.name) !== rootName) throw malformed();
  return root;
}

function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

/** Authorizes against identity policies and the bucket policy, then finds the bucket. */
export function bucketFor(ctx: CallContext, req: S3Request, action: string): Bucket {
  const name = req.target.bucket!;
  const bucket = ctx.world.buckets[name];
  ctx.trail.resources.push({ type: 'AWS::S3::Bucket', name, arn: bucketArn(name) });
  ctx.trail.requestParameters = { bucketName: name, Host: header(req, 'host') ?? '', ...(req.target.subresource ? { [req.target.subresource]: '' } : {}) };
  ctx.authorize(action, bucketArn(name), undefined, bucket?.policy);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

function readTags(root: XmlElement): Tags {
  const set = child(root, 'TagSet');
  if (!set) throw malformed();
  const tags: Tags = {};
  for (const t of childrenNamed(set, 'Tag')) {
    const key = childText(t, 'Key');
    const value = childText(t, 'Value');
    if (key === undefined || value === undefined) throw malformed();
    if (key in tags) throw new ApiError('InvalidTag', 'Cannot provide multiple Tags with the same key', 400);
    if (key.length < 1 || key.length > 128) throw new ApiError('InvalidTag', 'The TagKey you have provided is invalid', 400);
    if (value.length > 256) throw new ApiError('InvalidTag', 'The TagValue you have provided is too long, max length is 256', 400);
    if (key.toLowerCase().startsWith('aws:')) throw new ApiError('InvalidTag', 'System tags cannot be added/updated by requester', 400);
    tags[key] = value;
  }
  if (Object.keys(tags).length > 50) throw new ApiError('InvalidTag', 'Object tags cannot be greater than 50', 400);
  return tags;
}

function readEncryption(root: XmlElement): BucketEncryption {
  const rule = child(root, 'Rule');
  const def = rule && child(rule, 'ApplyServerSideEncryptionByDefault');
  const algorithm = def && childText(def, 'SSEAlgorithm');
  if (!rule || !def || (algorithm !== 'AES256' && algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse')) throw malformed();
  const key = childText(def, 'KMSMasterKeyID');
  if (key && algorithm === 'AES256') throw new ApiError('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 400);
  const bucketKey = childText(rule, 'BucketKeyEnabled');
  return { sseAlgorithm: algorithm, kmsMasterKeyId: key || undefined, bucketKeyEnabled: bucketKey === 'true' };
}

export function readPublicAccessBlock(root: XmlElement): PublicAccessBlock {
  const flag = (name: string): boolean => {
    const v = childText(root, name);
    if (v !== undefined && v !== 'true' && v !== 'false') throw malformed();
    return v === 'true';
  };
  return { blockPublicAcls: flag('BlockPublicAcls'), ignorePublicAcls: flag('IgnorePublicAcls'), blockPublicPolicy: flag('BlockPublicPolicy'), restrictPublicBuckets: flag('RestrictPublicBuckets') };
}

/** A policy is public when it allows a wildcard principal without conditions. */
function isPublicPolicy(text: string): boolean {
  const policy = parsePolicy(text, 'resource');
  return policy.statements.some((s) => s.effect === 'Allow' && s.conditions.length === 0 && (s.principal === '*' || (s.principal !== undefined && s.principal.AWS?.includes('*'))));
}

function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

function objectFor(ctx: CallContext, req: S3Request, action: string): { bucket: Bucket; key: string } {
  const name = req.target.bucket!;
  const key = req.target.key!;
  const bucket = ctx.world.buckets[name];
  ctx.authorize(action, objectArn(name, key), undefined, bucket?.policy);
  if (!bucket) throw noSuchBucket(name);
  return { bucket, key };
}

type Handler = (ctx: CallContext, req: S3Request) => S3Result;

export const s3Operations: Record<string, Handler> = {
  ListBuckets(ctx) {
    ctx.authorize('s3:ListAllMyBuckets', '*');
    const buckets = Object.values(ctx.world.buckets);
    return xmlResult(node('ListAllMyBucketsResult', [
      node('Owner', [node('ID', createHash('sha256').update(ctx.world.accountId).digest('hex')), node('DisplayName', 'sandbox')]),
      node('Buckets', items('Bucket', buckets, (b) => [node('Name', b.name), node('CreationDate', b.creationDate), node('BucketRegion', b.region)])),
    ], { xmlns: S3_NAMESPACE }));
  },
  CreateBucket(ctx, req) {
    const name = req.target.bucket!;
    ctx.trail.resources.push({ type: 'AWS::S3::Bucket', name, arn: bucketArn(name) });
    ctx.trail.requestParameters = { bucketName: name, Host: header(req, 'host') ?? '' };
    ctx.authorize('s3:CreateBucket', bucketArn(name));
    if (!BUCKET_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
      throw new ApiError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: name });
    }
    let region = ctx.region;
    if (req.body.length) {
      const root = xmlBody(req, 'CreateBucketConfiguration');
      const constraint = childText(root, 'LocationConstraint');
      if (constraint) region = constraint === 'EU' ? 'eu-west-1' : constraint;
    }
    const existing = ctx.world.buckets[name];
    if (existing) {
      // us-east-1 answers 200 when you re-create your own bucket there; other regions refuse.
      if (existing.region === 'us-east-1' && region === 'us-east-1') return { status: 200, headers: { location: `/${name}` } };
      throw new ApiError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: name });
    }
    ctx.world.buckets[name] = {
      name, region, creationDate: ctx.now.toISOString(), encryption: { sseAlgorithm: 'AES256', bucketKeyEnabled: false },
      // New buckets block public access by default (since April 2023).
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      objects: {},
    };
    // Object Lock chosen at creation also turns versioning on, as S3 does.
    if (header(req, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true') Object.assign(ctx.world.buckets[name]!, { objectLock: { enabled: true }, versioning: 'Enabled' });
    return { status: 200, headers: { location: `/${name}` } };
  },
  HeadBucket(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:ListBucket');
    return { status: 200, headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' } };
  },
  DeleteBucket(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:DeleteBucket');
    if (Object.keys(bucket.objects).length) throw new ApiError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket.name });
    delete ctx.world.buckets[bucket.name];
    return noContent();
  },
  GetBucketLocation(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketLocation');
    return xmlResult(node('LocationConstraint', bucket.region === 'us-east-1' ? '' : bucket.region, { xmlns: S3_NAMESPACE }));
  },
  GetBucketTagging(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketTagging');
    if (!bucket.tags || !Object.keys(bucket.tags).length) throw new ApiError('NoSuchTagSet', 'The TagSet does not exist', 404, { BucketName: bucket.name });
    return xmlResult(node('Tagging', [node('TagSet', items('Tag', Object.entries(bucket.tags), ([k, v]) => [node('Key', k), node('Value', v)]))], { xmlns: S3_NAMESPACE }));
  },
  PutBucketTagging(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketTagging');
    const tags = readTags(xmlBody(req, 'Tagging'));
    bucket.tags = tags;
    return noContent();
  },
  DeleteBucketTagging(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketTagging');
    bucket.tags = undefined;
    return noContent();
  },
  GetBucketVersioning(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketVersioning');
    return xmlResult(node('VersioningConfiguration', bucket.versioning ? [node('Status', bucket.versioning)] : [], { xmlns: S3_NAMESPACE }));
  },
  PutBucketVersioning(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketVersioning');
    const status = childText(xmlBody(req, 'VersioningConfiguration'), 'Status');
    if (status !== 'Enabled' && status !== 'Suspended') throw malformed();
    // Once enabled, versioning can only be suspended, never removed; a never-versioned bucket may stay unset.
    if (status === 'Suspended' && bucket.versioning === undefined) return ok();
    if (status === 'Suspended' && bucket.replication) throw new ApiError('InvalidBucketState', 'A replication configuration is present on this bucket, so the versioning state cannot be changed.', 409, { BucketName: bucket.name });
    bucket.versioning = status;
    return ok();
  },
  GetBucketEncryption(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetEncryptionConfiguration');
    const e = bucket.encryption;
    return xmlResult(node('ServerSideEncryptionConfiguration', [node('Rule', [
      node('ApplyServerSideEncryptionByDefault', [node('SSEAlgorithm', e.sseAlgorithm), node('KMSMasterKeyID', e.kmsMasterKeyId)]),
      node('BucketKeyEnabled', e.bucketKeyEnabled),
    ])], { xmlns: S3_NAMESPACE }));
  },
  PutBucketEncryption(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutEncryptionConfiguration');
    bucket.encryption = readEncryption(xmlBody(req, 'ServerSideEncryptionConfiguration'));
    return ok();
  },
  DeleteBucketEncryption(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutEncryptionConfiguration');
    bucket.encryption = { sseAlgorithm: 'AES256', bucketKeyEnabled: false };
    return noContent();
  },
  GetBucketPolicy(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketPolicy');
    if (bucket.policy === undefined) throw new ApiError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: bucket.name });
    return { status: 200, headers: { 'content-type': 'application/json' }, body: bucket.policy };
  },
  PutBucketPolicy(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketPolicy');
    checkDigests(req);
    const text = req.body.toString('utf8');
    if (!text.trimStart().startsWith('{')) throw new ApiError('MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'", 400, { BucketName: bucket.name });
    try {
      parsePolicy(text, 'resource');
    } catch (err) {
      if (err instanceof PolicyError) throw new ApiError('MalformedPolicy', err.message, 400, { BucketName: bucket.name });
      throw err;
    }
    // AWS applies the most restrictive combination of the bucket's and the account's settings.
    if ((bucket.publicAccessBlock?.blockPublicPolicy || ctx.world.accountPublicAccessBlock?.blockPublicPolicy) && isPublicPolicy(text)) {
      throw new ApiError('AccessDenied', `User: ${ctx.principal.arn} is not authorized to perform: s3:PutBucketPolicy on resource: "${bucketArn(bucket.name)}" because public policies are blocked by the BlockPublicPolicy block public access setting.`, 403);
    }
    bucket.policy = text;
    return noContent();
  },
  DeleteBucketPolicy(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:DeleteBucketPolicy');
    bucket.policy = undefined;
    return noContent();
  },
  GetPublicAccessBlock(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketPublicAccessBlock');
    const b = bucket.publicAccessBlock;
    if (!b) throw new ApiError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, { BucketName: bucket.name });
    return xmlResult(node('PublicAccessBlockConfiguration', [
      node('BlockPublicAcls', b.blockPublicAcls), node('IgnorePublicAcls', b.ignorePublicAcls),
      node('BlockPublicPolicy', b.blockPublicPolicy), node('RestrictPublicBuckets', b.restrictPublicBuckets),
    ], { xmlns: S3_NAMESPACE }));
  },
  PutPublicAccessBlock(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketPublicAccessBlock');
    bucket.publicAccessBlock = readPublicAccessBlock(xmlBody(req, 'PublicAccessBlockConfiguration'));
    return ok();
  },
  DeletePublicAccessBlock(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketPublicAccessBlock');
    bucket.publicAccessBlock = undefined;
    return noContent();
  },
  // Sub-resources the sandbox does not configure: the answers AWS gives a bucket that never set them
  // (a documented default document, or the documented "not configured" error). The ACL, Object Lock,
  // notifications, lifecycle rules and replication are configurable (s3-configs.ts).
  GetBucketRequestPayment(ctx, req) {
    bucketFor(ctx, req, 's3:GetBucketRequestPayment');
    return xmlResult(node('RequestPaymentConfiguration', [node('Payer', 'BucketOwner')], { xmlns: S3_NAMESPACE }));
  },
  GetBucketCors(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketCORS');
    if (!bucket.cors) throw new ApiError('NoSuchCORSConfiguration', 'The CORS configuration does not exist', 404, { BucketName: bucket.name });
    return xmlResult(node('CORSConfiguration', items('CORSRule', bucket.cors, (r) => [
      ...(r.id !== undefined ? [node('ID', r.id)] : []),
      ...r.allowedHeaders.map((h) => node('AllowedHeader', h)), ...r.allowedMethods.map((m) => node('AllowedMethod', m)),
      ...r.allowedOrigins.map((o) => node('AllowedOrigin', o)), ...r.exposeHeaders.map((h) => node('ExposeHeader', h)),
      ...(r.maxAgeSeconds !== undefined ? [node('MaxAgeSeconds', r.maxAgeSeconds)] : []),
    ]), { xmlns: S3_NAMESPACE }));
  },
  PutBucketCors(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketCORS');
    const rules = childrenNamed(xmlBody(req, 'CORSConfiguration'), 'CORSRule');
    if (!rules.length || rules.length > 100) throw malformed();
    const texts = (el: XmlElement, name: string): string[] => childrenNamed(el, name).map((c) => c.text);
    bucket.cors = rules.map((r): CorsRule => {
      const methods = texts(r, 'AllowedMethod');
      const origins = texts(r, 'AllowedOrigin');
      if (!methods.length || !origins.length) throw malformed();
      const bad = methods.find((m) => !['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].includes(m));
      if (bad) throw new ApiError('InvalidRequest', `Found unsupported HTTP method in CORS config. Unsupported method is ${bad}`, 400);
      const age = childText(r, 'MaxAgeSeconds');
      return {
        ...(childText(r, 'ID') !== undefined ? { id: childText(r, 'ID') } : {}),
        allowedMethods: methods, allowedOrigins: origins, allowedHeaders: texts(r, 'AllowedHeader'), exposeHeaders: texts(r, 'ExposeHeader'),
        ...(age !== undefined ? { maxAgeSeconds: Number(age) } : {}),
      };
    });
    return ok();
  },
  DeleteBucketCors(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketCORS');
    bucket.cors = undefined;
    return noContent();
  },
  GetBucketWebsite(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketWebsite');
    const w = bucket.website;
    if (!w) throw new ApiError('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', 404, { BucketName: bucket.name });
    const body = toXml(node('WebsiteConfiguration', [
      ...(w.redirectHost ? [node('RedirectAllRequestsTo', [node('HostName', w.redirectHost), ...(w.redirectProtocol ? [node('Protocol', w.redirectProtocol)] : [])])] : []),
      ...(w.indexSuffix ? [node('IndexDocument', [node('Suffix', w.indexSuffix)])] : []),
      ...(w.errorKey ? [node('ErrorDocument', [node('Key', w.errorKey)])] : []),
    ], { xmlns: S3_NAMESPACE }));
    // Routing rules go back as they were sent.
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: w.routingRulesXml ? body.replace('</WebsiteConfiguration>', `${w.routingRulesXml}</WebsiteConfiguration>`) : body };
  },
  PutBucketWebsite(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketWebsite');
    const root = xmlBody(req, 'WebsiteConfiguration');
    const index = child(root, 'IndexDocument');
    const error = child(root, 'ErrorDocument');
    const redirect = child(root, 'RedirectAllRequestsTo');
    if (!index && !redirect) throw new ApiError('InvalidArgument', 'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 400);
    if (redirect && (index || error)) throw new ApiError('InvalidArgument', 'RedirectAllRequestsTo cannot be provided in conjunction with other Routing/Redirect configurations.', 400);
    const suffix = index ? childText(index, 'Suffix') : undefined;
    if (index && (!suffix || suffix.includes('/'))) throw new ApiError('InvalidArgument', 'The IndexDocument Suffix is not well formed', 400);
    const rules = req.body.toString('utf8').match(/<RoutingRules>[\s\S]*<\/RoutingRules>/)?.[0];
    const website: BucketWebsite = {
      ...(suffix ? { indexSuffix: suffix } : {}),
      ...(error && childText(error, 'Key') ? { errorKey: childText(error, 'Key') } : {}),
      ...(redirect ? { redirectHost: childText(redirect, 'HostName'), redirectProtocol: childText(redirect, 'Protocol') } : {}),
      ...(rules ? { routingRulesXml: rules } : {}),
    };
    bucket.website = website;
    return ok();
  },
  DeleteBucketWebsite(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:DeleteBucketWebsite');
    bucket.website = undefined;
    return noContent();
  },
  GetBucketAccelerateConfiguration(ctx, req) {
    bucketFor(ctx, req, 's3:GetAccelerateConfiguration');
    // A bucket that never set acceleration answers an empty configuration (no Status).
    return xmlResult(node('AccelerateConfiguration', [], { xmlns: S3_NAMESPACE }));
  },
  GetBucketLogging(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketLogging');
    const l = bucket.logging;
    return xmlResult(node('BucketLoggingStatus', l ? [node('LoggingEnabled', [node('TargetBucket', l.targetBucket), node('TargetPrefix', l.targetPrefix)])] : [], { xmlns: S3_NAMESPACE }));
  },
  PutBucketLogging(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketLogging');
    const enabled = child(xmlBody(req, 'BucketLoggingStatus'), 'LoggingEnabled');
    if (!enabled) {
      bucket.logging = undefined;
      return ok();
    }
    const target = childText(enabled, 'TargetBucket');
    if (!target) throw malformed();
    if (!ctx.world.buckets[target]) throw new ApiError('InvalidTargetBucketForLogging', 'The target bucket for logging does not exist', 400, { TargetBucket: target });
    bucket.logging = { targetBucket: target, targetPrefix: childText(enabled, 'TargetPrefix') ?? '' };
    return ok();
  },
  GetBucketOwnershipControls(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:GetBucketOwnershipControls');
    const ownership = bucket.ownership ?? 'BucketOwnerEnforced';
    if (ownership === 'none') throw new ApiError('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', 404, { BucketName: bucket.name });
    return xmlResult(node('OwnershipControls', [node('Rule', [node('ObjectOwnership', ownership)])], { xmlns: S3_NAMESPACE }));
  },
  PutBucketOwnershipControls(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketOwnershipControls');
    const rule = child(xmlBody(req, 'OwnershipControls'), 'Rule');
    const ownership = rule && childText(rule, 'ObjectOwnership');
    if (ownership !== 'BucketOwnerEnforced' && ownership !== 'BucketOwnerPreferred' && ownership !== 'ObjectWriter') throw malformed();
    bucket.ownership = ownership;
    return ok();
  },
  DeleteBucketOwnershipControls(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:PutBucketOwnershipControls');
    bucket.ownership = 'none';
    return noContent();
  },
  PutObject(ctx, req) {
    const { bucket, key } = objectFor(ctx, req, 's3:PutObject');
    checkDigests(req);
    const etag = `"${createHash('md5').update(req.body).digest('hex')}"`;
    bucket.objects[key] = { body: req.body.toString('base64'), etag, lastModified: ctx.now.toISOString(), contentType: header(req, 'content-type') ?? 'binary/octet-stream' };
    return { status: 200, headers: { etag } };
  },
  GetObject(ctx, req) {
    const { bucket, key } = objectFor(ctx, req, 's3:GetObject');
    const o = bucket.objects[key];
    if (!o) throw new ApiError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
    const body = Buffer.from(o.body, 'base64');
    return { status: 200, headers: { etag: o.etag, 'last-modified': new Date(o.lastModified).toUTCString(), 'content-type': o.contentType, 'content-length': String(body.length) }, body };
  },
  HeadObject(ctx, req) {
    const { bucket, key } = objectFor(ctx, req, 's3:GetObject');
    const o = bucket.objects[key];
    if (!o) throw new ApiError('NotFound', 'Not Found', 404);
    return { status: 200, headers: { etag: o.etag, 'last-modified': new Date(o.lastModified).toUTCString(), 'content-type': o.contentType, 'content-length': String(Buffer.from(o.body, 'base64').length) } };
  },
  DeleteObject(ctx, req) {
    const { bucket, key } = objectFor(ctx, req, 's3:DeleteObject');
    delete bucket.objects[key];
    return noContent();
  },
  ListObjectsV2(ctx, req) {
    const bucket = bucketFor(ctx, req, 's3:ListBucket');
    const prefix = req.query.get('prefix') ?? '';
    const max = Math.min(1000, Number(req.query.get('max-keys') ?? '1000'));
    const after = req.query.get('continuation-token') ? Buffer.from(req.query.get('continuation-token')!, 'base64url').toString('utf8') : req.query.get('start-after') ?? '';
    const keys = Object.keys(bucket.objects).filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = keys.slice(0, max);
    const truncated = keys.length > page.length;
    return xmlResult(node('ListBucketResult', [
      node('Name', bucket.name), node('Prefix', prefix), node('KeyCount', page.length), node('MaxKeys', max), node('IsTruncated', truncated),
      ...(truncated ? [node('NextContinuationToken', Buffer.from(page[page.length - 1]!, 'utf8').toString('base64url'))] : []),
      ...items('Contents', page, (k) => {
        const o = bucket.objects[k]!;
        return [node('Key', k), node('LastModified', o.lastModified), node('ETag', o.etag), node('Size', Buffer.from(o.body, 'base64').length), node('StorageClass', 'STANDARD')];
      }),
    ], { xmlns: S3_NAMESPACE }));
  },
};
