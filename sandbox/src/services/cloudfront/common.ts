// CloudFront's REST-XML wire format (API version 2020-05-31, one global endpoint signed for
// us-east-1): the request and reply shapes every CloudFront handler shares, its error document,
// the ETag versioning every config write checks (If-Match), ids, ARNs and tags.
import { createHash, randomBytes } from 'node:crypto';
import type { CallContext } from '../../context';
import { ApiError } from '../../errors';
import type { Tags } from '../../world';
import { XmlParseError, child, childrenNamed, localName, node, parseXml, toXml, type XmlElement, type XmlNode } from '../../xml';

export const CLOUDFRONT_NAMESPACE = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';
export const CLOUDFRONT_VERSION = '2020-05-31';

export interface CloudFrontRequest {
  method: string;
  /** Path after `/2020-05-31`, e.g. `/distribution/E123/config`. */
  path: string;
  query: Map<string, string>;
  headers: Map<string, string[]>;
  body: Buffer;
}

export interface CloudFrontResult {
  status?: number;
  headers?: Record<string, string>;
  /** An XML document, or raw bytes (GetFunction answers the function's code as is). */
  body?: string | Buffer;
}

/** One configuration version of an object: every write makes a new ETag, and writes must name the current one. */
export interface Versioned {
  etag: string;
}

/** A tag-bearing CloudFront object (distributions and functions carry tags; origin access controls do not). */
export interface Tagged {
  arn: string;
  tags: Tags;
}

export const invalidArgument = (message: string): ApiError => new ApiError('InvalidArgument', message, 400);

export function renderCloudFrontError(err: ApiError, requestId: string): string {
  return toXml(node('ErrorResponse', [
    node('Error', [node('Type', err.status >= 500 ? 'Receiver' : 'Sender'), node('Code', err.code), node('Message', err.message)]),
    node('RequestId', requestId),
  ], { xmlns: CLOUDFRONT_NAMESPACE }));
}

/** A reply document in CloudFront's namespace, with the object's ETag when it has one. */
export function xmlResult(root: XmlNode, etag?: string, status = 200, extra: Record<string, string> = {}): CloudFrontResult {
  const withNs: XmlNode = { ...root, attributes: { ...root.attributes, xmlns: CLOUDFRONT_NAMESPACE } };
  return { status, headers: { 'content-type': 'text/xml', ...(etag ? { etag } : {}), ...extra }, body: toXml(withNs) };
}

export function requestBody(req: CloudFrontRequest, rootName: string): XmlElement {
  if (!req.body.length) throw new ApiError('MissingBody', 'This operation requires a body. Ensure that the body is present and the Content-Type header is set.', 400);
  let root: XmlElement;
  try {
    root = parseXml(req.body.toString('utf8'));
  } catch (err) {
    if (err instanceof XmlParseError) throw new ApiError('MalformedXML', `The XML you provided was not well-formed: ${err.message}`, 400);
    throw err;
  }
  if (localName(root.name) !== rootName) throw new ApiError('MalformedXML', `Expected the root element ${rootName}, got ${localName(root.name)}.`, 400);
  return root;
}

export function newEtag(): string {
  return `E${randomBytes(8).toString('hex').toUpperCase().slice(0, 13)}`;
}

/** CloudFront ids: an upper-case letter followed by 13 upper-case letters and digits. */
export function cloudFrontId(seed?: string): string {
  const bytes = seed === undefined ? randomBytes(16) : createHash('sha256').update(seed).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let out = 'E';
  for (let i = 0; i < 13; i++) out += alphabet[(bytes[i] as number) % alphabet.length];
  return out;
}

/**
 * Checks the If-Match header against the object's current version, as every CloudFront
 * update and delete does: absent is InvalidIfMatchVersion, stale is PreconditionFailed.
 */
export function checkIfMatch(req: CloudFrontRequest, current: Versioned): void {
  const sent = req.headers.get('if-match')?.[0];
  if (!sent) throw new ApiError('InvalidIfMatchVersion', 'The If-Match version is missing or not valid for the resource.', 400);
  if (sent !== current.etag) throw new ApiError('PreconditionFailed', 'The precondition given in one or more of the request-header fields evaluated to false.', 412);
}

/** An absent element, read as empty. */
const NONE: XmlElement = { name: '', attributes: {}, children: [], text: '' };

/** `<Quantity>` must count `<Items>`, as CloudFront checks every list. */
export function checkedItems(list: XmlElement | undefined, itemName: string, field: string): XmlElement[] {
  if (!list) return [];
  const quantity = Number(child(list, 'Quantity')?.text ?? 'NaN');
  const items = childrenNamed(child(list, 'Items') ?? NONE, itemName);
  if (!Number.isInteger(quantity)) throw invalidArgument(`${field}: Quantity is required.`);
  if (quantity !== items.length) throw new ApiError('InconsistentQuantities', `The value of Quantity and the size of Items don't match (${field}).`, 400);
  return items;
}

export const segment = (req: CloudFrontRequest, index: number): string => decodeURIComponent(req.path.split('/')[index] ?? '');

export function tagsXml(tags: Tags): XmlNode {
  return node('Tags', [node('Items', Object.entries(tags).map(([k, v]) => node('Tag', [node('Key', k), node('Value', v)])))]);
}

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

/** The tags a `<Tags>` element carries, checked as TagResource checks them. */
export function parsedTags(el: XmlElement | undefined): Tags {
  const tags: Tags = {};
  for (const t of childrenNamed(child(el ?? NONE, 'Items') ?? NONE, 'Tag')) {
    const key = child(t, 'Key')?.text ?? '';
    const value = child(t, 'Value')?.text ?? '';
    if (!TAG_KEY.test(key) || key.startsWith('aws:')) throw new ApiError('InvalidTagging', `Tag key '${key}' is not valid.`, 400);
    if (value.length > 256) throw new ApiError('InvalidTagging', `The value of tag '${key}' is longer than 256 characters.`, 400);
    tags[key] = value;
  }
  return tags;
}

export function checkTagCount(tags: Tags): Tags {
  if (Object.keys(tags).length > 50) throw new ApiError('InvalidTagging', 'A resource can have at most 50 tags.', 400);
  return tags;
}

/** The principal may perform `action` (CloudFront's IAM actions carry no version suffix) on `arn`. */
export function authorized(ctx: CallContext, action: string, arn: string, type: string, name: string): void {
  ctx.trail.resources.push({ type, name, arn });
  ctx.authorize(`cloudfront:${action}`, arn);
}

/** An element's text as a boolean, `fallback` when absent. */
export function flag(el: XmlElement | undefined, name: string, fallback: boolean): boolean {
  const v = el ? child(el, name)?.text : undefined;
  if (v === undefined) return fallback;
  if (v !== 'true' && v !== 'false') throw invalidArgument(`${name} must be true or false.`);
  return v === 'true';
}

/** The API version suffix CloudTrail appends to CloudFront event names (UpdateDistribution2020_05_31). */
export const trailName = (operation: string): string => `${operation}${CLOUDFRONT_VERSION.replace(/-/g, '_')}`;
