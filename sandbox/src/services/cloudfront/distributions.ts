// CloudFront distributions: create (with or without tags), get, get/update config (If-Match),
// delete (only once disabled), list (summaries carry most of the config, as on AWS). A config is
// kept as the document the caller sent with the values AWS fills in when they are left out, and
// checked the way CloudFront checks it: counts match their lists, the default behaviour targets a
// declared origin, a custom name needs a certificate of its own, names are unique across
// distributions, origin access controls exist. Changes deploy at once (Status Deployed).
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import type { Tags } from '../../world';
import { child, childText, localName, node, type XmlElement, type XmlNode } from '../../xml';
import {
  authorized, checkIfMatch, checkTagCount, checkedItems, cloudFrontId, flag, invalidArgument, newEtag, parsedTags, requestBody, segment, xmlResult,
  type CloudFrontRequest, type CloudFrontResult,
} from './common';
import { cloudFrontOf } from './world';

export interface CfDistribution {
  id: string;
  arn: string;
  domainName: string;
  /** The DistributionConfig document with AWS's defaults filled in. */
  config: XmlElement;
  etag: string;
  lastModified: string;
  tags: Tags;
}

const VIEWER_POLICIES = new Set(['allow-all', 'https-only', 'redirect-to-https']);
const PRICE_CLASSES = new Set(['PriceClass_100', 'PriceClass_200', 'PriceClass_All', 'None']);
const HTTP_VERSIONS = new Set(['http1.1', 'http2', 'http3', 'http2and3']);
const RESTRICTION_TYPES = new Set(['none', 'whitelist', 'blacklist']);
const SSL_METHODS = new Set(['sni-only', 'vip', 'static-ip']);
/** The method sets CloudFront accepts (allowed and cached). */
const ALLOWED_SETS = ['GET,HEAD', 'GET,HEAD,OPTIONS', 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'];
const CACHED_SETS = ['GET,HEAD', 'GET,HEAD,OPTIONS'];

const leaf = (name: string, text: string): XmlElement => ({ name, attributes: {}, children: [], text });
const branch = (name: string, children: XmlElement[]): XmlElement => ({ name, attributes: {}, children, text: '' });
const emptyList = (name: string): XmlElement => branch(name, [leaf('Quantity', '0')]);

/** Adds `value` as the child `name` when the element lacks it (AWS's default for an omitted field). */
function ensure(el: XmlElement, name: string, value: () => XmlElement): XmlElement {
  const existing = child(el, name);
  if (existing) return existing;
  const made = value();
  el.children.push(made);
  return made;
}

/** An element as the writer's node (namespace prefixes dropped), for answering it back. */
export function elementNode(el: XmlElement): XmlNode {
  return el.children.length ? node(localName(el.name), el.children.map(elementNode)) : node(localName(el.name), el.text);
}

const text = (el: XmlElement | undefined, name: string): string | undefined => (el ? childText(el, name) : undefined);

function methodSet(el: XmlElement | undefined, field: string, allowed: string[]): string[] {
  const methods = checkedItems(el, 'Method', field).map((m) => m.text.toUpperCase()).sort();
  if (!allowed.includes(methods.join(','))) throw invalidArgument(`${field}: the methods ${methods.join(', ')} are not a combination CloudFront accepts.`);
  return methods;
}

const ORIGIN_PROTOCOL_POLICIES = new Set(['http-only', 'match-viewer', 'https-only']);
const SSL_PROTOCOLS = new Set(['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2']);

/** Validates a custom origin's settings and fills in AWS's timeouts (keep-alive 5 s, read 30 s). */
function normalizedCustomOrigin(custom: XmlElement, id: string): void {
  for (const port of ['HTTPPort', 'HTTPSPort']) {
    const v = Number(text(custom, port));
    if (!Number.isInteger(v) || v < 1 || v > 65535) throw invalidArgument(`Origin ${id}: ${port} must be a port number.`);
  }
  const policy = text(custom, 'OriginProtocolPolicy');
  if (!policy || !ORIGIN_PROTOCOL_POLICIES.has(policy)) throw invalidArgument(`Origin ${id}: OriginProtocolPolicy ${policy ?? '(none)'} is not one of ${[...ORIGIN_PROTOCOL_POLICIES].join(', ')}.`);
  const protocols = ensure(custom, 'OriginSslProtocols', () => branch('OriginSslProtocols', [leaf('Quantity', '1'), branch('Items', [leaf('SslProtocol', 'TLSv1.2')])]));
  const named = checkedItems(protocols, 'SslProtocol', 'OriginSslProtocols').map((p) => p.text);
  if (!named.length || named.some((p) => !SSL_PROTOCOLS.has(p))) throw invalidArgument(`Origin ${id}: OriginSslProtocols must name at least one of ${[...SSL_PROTOCOLS].join(', ')}.`);
  ensure(custom, 'OriginReadTimeout', () => leaf('OriginReadTimeout', '30'));
  ensure(custom, 'OriginKeepaliveTimeout', () => leaf('OriginKeepaliveTimeout', '5'));
}

/** Validates a cache behaviour (default or ordered) and fills in what AWS fills in when it is left out. */
function normalizedBehavior(behavior: XmlElement, originIds: ReadonlySet<string>, what: string): void {
  const target = text(behavior, 'TargetOriginId');
  if (!target || !originIds.has(target)) throw new ApiError('NoSuchOrigin', `${what} targets the origin ${target ?? '(none)'}, which the distribution does not declare.`, 404);
  const policy = text(behavior, 'ViewerProtocolPolicy');
  if (!policy || !VIEWER_POLICIES.has(policy)) throw invalidArgument(`ViewerProtocolPolicy ${policy ?? '(none)'} is not one of ${[...VIEWER_POLICIES].join(', ')}.`);
  if (!text(behavior, 'CachePolicyId') && !child(behavior, 'ForwardedValues')) throw invalidArgument('The parameter ForwardedValues is required when no CachePolicyId is given.');
  const allowed = ensure(behavior, 'AllowedMethods', () => branch('AllowedMethods', [leaf('Quantity', '2'), branch('Items', [leaf('Method', 'HEAD'), leaf('Method', 'GET')])]));
  methodSet(allowed, 'AllowedMethods', ALLOWED_SETS);
  const cached = ensure(allowed, 'CachedMethods', () => branch('CachedMethods', [leaf('Quantity', '2'), branch('Items', [leaf('Method', 'HEAD'), leaf('Method', 'GET')])]));
  methodSet(cached, 'CachedMethods', CACHED_SETS);
  ensure(behavior, 'Compress', () => leaf('Compress', 'false'));
  flag(behavior, 'Compress', false);
  ensure(behavior, 'SmoothStreaming', () => leaf('SmoothStreaming', 'false'));
  ensure(behavior, 'FieldLevelEncryptionId', () => leaf('FieldLevelEncryptionId', ''));
  ensure(behavior, 'LambdaFunctionAssociations', () => emptyList('LambdaFunctionAssociations'));
  ensure(behavior, 'FunctionAssociations', () => emptyList('FunctionAssociations'));
  ensure(behavior, 'TrustedSigners', () => branch('TrustedSigners', [leaf('Enabled', 'false'), leaf('Quantity', '0')]));
  ensure(behavior, 'TrustedKeyGroups', () => branch('TrustedKeyGroups', [leaf('Enabled', 'false'), leaf('Quantity', '0')]));
}

/** Validates a DistributionConfig and fills in what AWS fills in when it is left out. */
function normalizedConfig(ctx: CallContext, root: XmlElement, selfId: string | undefined): XmlElement {
  const config: XmlElement = { ...root, name: 'DistributionConfig', attributes: {} };
  if (!text(config, 'CallerReference')) throw invalidArgument('CallerReference is required.');
  if (text(config, 'Comment') === undefined) throw invalidArgument('Comment is required.');
  if (text(config, 'Enabled') === undefined) throw invalidArgument('Enabled is required.');
  flag(config, 'Enabled', false);
  const origins = checkedItems(child(config, 'Origins'), 'Origin', 'Origins');
  if (!origins.length) throw invalidArgument('A distribution needs at least one origin.');
  const ids = new Set<string>();
  const oacs = cloudFrontOf(ctx).originAccessControls;
  for (const o of origins) {
    const id = text(o, 'Id');
    if (!id || !text(o, 'DomainName')) throw invalidArgument('Each origin needs an Id and a DomainName.');
    if (ids.has(id)) throw invalidArgument(`The origin id ${id} is used more than once.`);
    ids.add(id);
    if (!child(o, 'S3OriginConfig') && !child(o, 'CustomOriginConfig') && !child(o, 'VpcOriginConfig')) throw new ApiError('InvalidOrigin', `Origin ${id} needs an S3OriginConfig or a CustomOriginConfig.`, 400);
    const custom = child(o, 'CustomOriginConfig');
    if (custom) normalizedCustomOrigin(custom, id);
    const path = ensure(o, 'OriginPath', () => leaf('OriginPath', '')).text;
    if (path && (!path.startsWith('/') || path.endsWith('/'))) throw invalidArgument(`OriginPath ${path} must start with a slash and not end with one.`);
    ensure(o, 'ConnectionAttempts', () => leaf('ConnectionAttempts', '3'));
    ensure(o, 'ConnectionTimeout', () => leaf('ConnectionTimeout', '10'));
    ensure(o, 'CustomHeaders', () => emptyList('CustomHeaders'));
    const oac = ensure(o, 'OriginAccessControlId', () => leaf('OriginAccessControlId', '')).text;
    if (oac && !oacs[oac]) throw new ApiError('NoSuchOriginAccessControl', `The origin access control ${oac} does not exist.`, 404);
  }
  const behavior = child(config, 'DefaultCacheBehavior');
  if (!behavior) throw invalidArgument('DefaultCacheBehavior is required.');
  normalizedBehavior(behavior, ids, 'The default cache behavior');
  const patterns = new Set<string>();
  for (const ordered of checkedItems(ensure(config, 'CacheBehaviors', () => emptyList('CacheBehaviors')), 'CacheBehavior', 'CacheBehaviors')) {
    const pattern = text(ordered, 'PathPattern');
    if (!pattern) throw invalidArgument('Each cache behavior needs a PathPattern.');
    if (patterns.has(pattern)) throw invalidArgument(`The path pattern ${pattern} is used by more than one cache behavior.`);
    patterns.add(pattern);
    normalizedBehavior(ordered, ids, `The cache behavior for ${pattern}`);
  }

  const aliases = checkedItems(ensure(config, 'Aliases', () => emptyList('Aliases')), 'CNAME', 'Aliases').map((a) => a.text.toLowerCase());
  ensure(config, 'DefaultRootObject', () => leaf('DefaultRootObject', ''));
  ensure(config, 'OriginGroups', () => emptyList('OriginGroups'));
  ensure(config, 'CustomErrorResponses', () => emptyList('CustomErrorResponses'));
  const logging = ensure(config, 'Logging', () => branch('Logging', [leaf('Enabled', 'false'), leaf('IncludeCookies', 'false'), leaf('Bucket', ''), leaf('Prefix', '')]));
  if (flag(logging, 'Enabled', false) && !/\.s3(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(text(logging, 'Bucket') ?? '')) {
    throw new ApiError('InvalidLoggingBucket', 'The S3 bucket that you specified for CloudFront logs does not exist or is not named as bucket.s3.amazonaws.com.', 400);
  }
  const price = ensure(config, 'PriceClass', () => leaf('PriceClass', 'PriceClass_All')).text;
  if (!PRICE_CLASSES.has(price)) throw invalidArgument(`PriceClass ${price} is not valid.`);
  const http = ensure(config, 'HttpVersion', () => leaf('HttpVersion', 'http2')).text;
  if (!HTTP_VERSIONS.has(http)) throw invalidArgument(`HttpVersion ${http} is not valid.`);
  ensure(config, 'IsIPV6Enabled', () => leaf('IsIPV6Enabled', 'false'));
  ensure(config, 'WebACLId', () => leaf('WebACLId', ''));
  ensure(config, 'Staging', () => leaf('Staging', 'false'));
  const restrictions = ensure(config, 'Restrictions', () => branch('Restrictions', [branch('GeoRestriction', [leaf('RestrictionType', 'none'), leaf('Quantity', '0')])]));
  const geo = child(restrictions, 'GeoRestriction');
  const restriction = text(geo, 'RestrictionType');
  if (!geo || !restriction || !RESTRICTION_TYPES.has(restriction)) throw invalidArgument(`RestrictionType ${restriction ?? '(none)'} is not one of none, whitelist, blacklist.`);
  const locations = checkedItems(geo, 'Location', 'GeoRestriction');
  if ((restriction === 'none') !== (locations.length === 0)) throw invalidArgument('A geo restriction of type none lists no locations; whitelist and blacklist list at least one.');

  const certificate = ensure(config, 'ViewerCertificate', () => branch('ViewerCertificate', [leaf('CloudFrontDefaultCertificate', 'true')]));
  const acm = text(certificate, 'ACMCertificateArn');
  const iam = text(certificate, 'IAMCertificateId');
  const ownCertificate = Boolean(acm || iam);
  if (ownCertificate) {
    const method = text(certificate, 'SSLSupportMethod');
    if (!method || !SSL_METHODS.has(method)) throw new ApiError('InvalidViewerCertificate', 'A custom certificate needs SSLSupportMethod sni-only, vip or static-ip.', 400);
    ensure(certificate, 'MinimumProtocolVersion', () => leaf('MinimumProtocolVersion', 'TLSv1.2_2021'));
    ensure(certificate, 'CloudFrontDefaultCertificate', () => leaf('CloudFrontDefaultCertificate', 'false'));
    if (acm) {
      ensure(certificate, 'Certificate', () => leaf('Certificate', acm));
      ensure(certificate, 'CertificateSource', () => leaf('CertificateSource', 'acm'));
    }
  } else {
    if (!flag(certificate, 'CloudFrontDefaultCertificate', false)) throw new ApiError('InvalidViewerCertificate', 'Set CloudFrontDefaultCertificate or name a certificate.', 400);
    ensure(certificate, 'MinimumProtocolVersion', () => leaf('MinimumProtocolVersion', 'TLSv1'));
    ensure(certificate, 'CertificateSource', () => leaf('CertificateSource', 'cloudfront'));
  }
  if (aliases.length && !ownCertificate) {
    throw new ApiError('InvalidViewerCertificate', 'To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name.', 400);
  }
  for (const d of Object.values(cloudFrontOf(ctx).distributions)) {
    if (d.id === selfId) continue;
    const taken = checkedItems(child(d.config, 'Aliases'), 'CNAME', 'Aliases').map((a) => a.text.toLowerCase());
    const clash = aliases.find((a) => taken.includes(a));
    if (clash) throw new ApiError('CNAMEAlreadyExists', `One or more of the CNAMEs you provided are already associated with a different resource (${clash}).`, 409);
  }
  return config;
}

function distributionFor(ctx: CallContext, id: string, action: string): CfDistribution {
  const arn = `arn:aws:cloudfront::${ctx.world.accountId}:distribution/${id}`;
  authorized(ctx, action, arn, 'AWS::CloudFront::Distribution', id);
  const d = cloudFrontOf(ctx).distributions[id];
  if (!d) throw new ApiError('NoSuchDistribution', 'The specified distribution does not exist.', 404);
  return d;
}

function distributionXml(d: CfDistribution): XmlNode {
  return node('Distribution', [
    node('Id', d.id), node('ARN', d.arn), node('Status', 'Deployed'), node('LastModifiedTime', d.lastModified), node('InProgressInvalidationBatches', 0),
    node('DomainName', d.domainName), node('ActiveTrustedSigners', [node('Enabled', false), node('Quantity', 0)]),
    node('ActiveTrustedKeyGroups', [node('Enabled', false), node('Quantity', 0)]), elementNode(d.config),
  ]);
}

/** The fields ListDistributions answers for each distribution (no CallerReference, DefaultRootObject or Logging). */
const SUMMARY_FIELDS = ['Aliases', 'Origins', 'OriginGroups', 'DefaultCacheBehavior', 'CacheBehaviors', 'CustomErrorResponses', 'Comment', 'PriceClass', 'Enabled', 'ViewerCertificate', 'Restrictions', 'WebACLId', 'HttpVersion', 'IsIPV6Enabled', 'Staging'];

function summaryXml(d: CfDistribution): XmlNode {
  const fields = SUMMARY_FIELDS.map((f) => child(d.config, f)).filter((e): e is XmlElement => e !== undefined).map(elementNode);
  return node('DistributionSummary', [
    node('Id', d.id), node('ARN', d.arn), node('ETag', d.etag), node('Status', 'Deployed'), node('LastModifiedTime', d.lastModified), node('DomainName', d.domainName), ...fields,
  ]);
}

function create(ctx: CallContext, config: XmlElement, tags: Tags): CloudFrontResult {
  authorized(ctx, 'CreateDistribution', `arn:aws:cloudfront::${ctx.world.accountId}:distribution/*`, 'AWS::CloudFront::Distribution', '*');
  const normalized = normalizedConfig(ctx, config, undefined);
  const reference = text(normalized, 'CallerReference');
  const all = cloudFrontOf(ctx).distributions;
  if (Object.values(all).some((d) => text(d.config, 'CallerReference') === reference)) {
    throw new ApiError('DistributionAlreadyExists', `A distribution with the caller reference ${reference} already exists.`, 409);
  }
  const id = cloudFrontId();
  const d: CfDistribution = {
    id, arn: `arn:aws:cloudfront::${ctx.world.accountId}:distribution/${id}`, domainName: `d${id.slice(1).toLowerCase()}.cloudfront.net`,
    config: normalized, etag: newEtag(), lastModified: ctx.now.toISOString(), tags: checkTagCount(tags),
  };
  all[id] = d;
  ctx.trail.resources.push({ type: 'AWS::CloudFront::Distribution', name: id, arn: d.arn });
  return xmlResult(distributionXml(d), d.etag, 201, { location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${id}` });
}

export const distributionOperations: Record<string, (ctx: CallContext, req: CloudFrontRequest) => CloudFrontResult> = {
  CreateDistribution(ctx, req) {
    return create(ctx, requestBody(req, 'DistributionConfig'), {});
  },
  CreateDistributionWithTags(ctx, req) {
    const root = requestBody(req, 'DistributionConfigWithTags');
    const config = child(root, 'DistributionConfig');
    if (!config) throw invalidArgument('DistributionConfig is required.');
    return create(ctx, config, parsedTags(child(root, 'Tags')));
  },
  GetDistribution(ctx, req) {
    const d = distributionFor(ctx, segment(req, 2), 'GetDistribution');
    return xmlResult(distributionXml(d), d.etag);
  },
  GetDistributionConfig(ctx, req) {
    const d = distributionFor(ctx, segment(req, 2), 'GetDistributionConfig');
    return xmlResult(elementNode(d.config), d.etag);
  },
  UpdateDistribution(ctx, req) {
    const d = distributionFor(ctx, segment(req, 2), 'UpdateDistribution');
    checkIfMatch(req, d);
    const config = normalizedConfig(ctx, requestBody(req, 'DistributionConfig'), d.id);
    if (text(config, 'CallerReference') !== text(d.config, 'CallerReference')) throw new ApiError('IllegalUpdate', 'The caller reference of a distribution cannot be changed.', 400);
    d.config = config;
    d.etag = newEtag();
    d.lastModified = ctx.now.toISOString();
    return xmlResult(distributionXml(d), d.etag);
  },
  DeleteDistribution(ctx, req) {
    const d = distributionFor(ctx, segment(req, 2), 'DeleteDistribution');
    checkIfMatch(req, d);
    if (flag(d.config, 'Enabled', false)) throw new ApiError('DistributionNotDisabled', 'The distribution you are trying to delete has not been disabled.', 409);
    delete cloudFrontOf(ctx).distributions[d.id];
    return { status: 204 };
  },
  ListDistributions(ctx, req) {
    ctx.authorize('cloudfront:ListDistributions', '*');
    const max = Math.min(1000, Number(req.query.get('MaxItems') ?? '100') || 100);
    const all = Object.values(cloudFrontOf(ctx).distributions).sort((a, b) => (a.id < b.id ? -1 : 1));
    const marker = req.query.get('Marker');
    const start = marker ? all.findIndex((d) => d.id === marker) : 0;
    if (start < 0) throw invalidArgument(`Invalid Marker ${marker}.`);
    const page = all.slice(start, start + max);
    const next = all[start + max];
    return xmlResult(node('DistributionList', [
      node('Marker', marker ?? ''), ...(next ? [node('NextMarker', next.id)] : []), node('MaxItems', max), node('IsTruncated', next !== undefined), node('Quantity', page.length),
      ...(page.length ? [node('Items', page.map(summaryXml))] : []),
    ]));
  },
};

/** Whether any distribution's origin uses the origin access control (then it cannot be deleted). */
export function originAccessControlInUse(ctx: CallContext, id: string): boolean {
  return Object.values(cloudFrontOf(ctx).distributions).some((d) => checkedItems(child(d.config, 'Origins'), 'Origin', 'Origins').some((o) => text(o, 'OriginAccessControlId') === id));
}
