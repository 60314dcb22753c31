// AWS Signature Version 4 verification, written from the SigV4 documentation: canonical request,
// string to sign, derived signing key. Both the Authorization-header and the presigned-query forms.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** What the signer claimed, read from the Authorization header or the X-Amz-* query parameters. */
export interface SignatureClaim {
  form: 'header' | 'query';
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** X-Amz-Date, `yyyymmddThhmmssZ`. */
  amzDate: string;
  /** Presigned lifetime in seconds (query form only). */
  expiresSeconds?: number;
  securityToken?: string;
}

/** The parts of an HTTP request that enter the canonical request. */
export interface SignableRequest {
  method: string;
  /** Path exactly as sent, still percent-encoded. */
  rawPath: string;
  /** Query string as sent, without `?`. */
  rawQuery: string;
  /** Header values by lower-cased name, in arrival order. */
  headers: Map<string, string[]>;
}

export class SignatureFormatError extends Error {}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
}

/** RFC 3986 encoding as SigV4 requires: everything but A-Z a-z 0-9 - _ . ~ is escaped. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Splits a raw query into decoded pairs. `+` is kept literally: AWS clients encode spaces as %20. */
export function parseRawQuery(rawQuery: string): [string, string][] {
  if (!rawQuery) return [];
  return rawQuery.split('&').filter((p) => p !== '').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [safeDecode(pair), ''] : [safeDecode(pair.slice(0, eq)), safeDecode(pair.slice(eq + 1))];
  });
}

export function canonicalQuery(pairs: [string, string][]): string {
  return pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** S3 signs the path as sent; every other service normalises it and encodes each segment again. */
export function canonicalPath(rawPath: string, service: string): string {
  if (service === 's3') return rawPath || '/';
  const segments: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const trailing = rawPath.endsWith('/') && segments.length > 0 ? '/' : '';
  return '/' + segments.map((s) => uriEncode(s)).join('/') + trailing;
}

function canonicalHeaderValue(values: string[]): string {
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

export function canonicalRequest(req: SignableRequest, claim: SignatureClaim, payloadHash: string): string {
  const pairs = parseRawQuery(req.rawQuery).filter(([k]) => !(claim.form === 'query' && k === 'X-Amz-Signature'));
  const headerLines = claim.signedHeaders.map((h) => `${h}:${canonicalHeaderValue(req.headers.get(h) ?? [])}\n`).join('');
  return [req.method, canonicalPath(req.rawPath, claim.service), canonicalQuery(pairs), headerLines, claim.signedHeaders.join(';'), payloadHash].join('\n');
}

export function credentialScope(claim: SignatureClaim): string {
  return `${claim.scopeDate}/${claim.region}/${claim.service}/aws4_request`;
}

export function stringToSign(claim: SignatureClaim, canonical: string): string {
  return [ALGORITHM, claim.amzDate, credentialScope(claim), sha256Hex(canonical)].join('\n');
}

export function computeSignature(secret: string, claim: SignatureClaim, canonical: string): string {
  return createHmac('sha256', signingKey(secret, claim.scopeDate, claim.region, claim.service)).update(stringToSign(claim, canonical), 'utf8').digest('hex');
}

export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseCredential(credential: string): { accessKeyId: string; scopeDate: string; region: string; service: string } {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    throw new SignatureFormatError(`Credential should be scoped to a valid region, service and terminated by aws4_request; got '${credential}'.`);
  }
  const [accessKeyId, scopeDate, region, service] = parts as [string, string, string, string];
  if (!/^\d{8}$/.test(scopeDate)) throw new SignatureFormatError(`Credential should be scoped to a valid date; got '${scopeDate}'.`);
  return { accessKeyId, scopeDate, region, service };
}

/**
 * Reads the signer's claim from a request, or returns undefined when the request carries no
 * signature at all (anonymous). Throws SignatureFormatError for a malformed one.
 */
export function readClaim(req: SignableRequest, query: Map<string, string>): SignatureClaim | undefined {
  const header = req.headers.get('authorization')?.[0];
  if (header !== undefined) {
    if (!header.startsWith(ALGORITHM + ' ')) throw new SignatureFormatError(`Unsupported authorization type; only ${ALGORITHM} is accepted.`);
    const fields = new Map<string, string>();
    for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const credential = fields.get('Credential');
    const signed = fields.get('SignedHeaders');
    const signature = fields.get('Signature');
    if (!credential || !signed || !signature) {
      throw new SignatureFormatError(`Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${header.replace(/Signature=\w+/, 'Signature=…')}`);
    }
    const amzDate = req.headers.get('x-amz-date')?.[0] ?? '';
    if (!/^\d{8}T\d{6}Z$/.test(amzDate)) throw new SignatureFormatError("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    return {
      form: 'header', ...parseCredential(credential), signedHeaders: signed.split(';'), signature, amzDate,
      securityToken: req.headers.get('x-amz-security-token')?.[0],
    };
  }
  if (!query.has('X-Amz-Algorithm') && !query.has('X-Amz-Signature')) return undefined;
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) throw new SignatureFormatError(`X-Amz-Algorithm only supports "${ALGORITHM}".`);
  const credential = query.get('X-Amz-Credential');
  const signed = query.get('X-Amz-SignedHeaders');
  const signature = query.get('X-Amz-Signature');
  const amzDate = query.get('X-Amz-Date') ?? '';
  if (!credential || !signed || !signature || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw new SignatureFormatError('Query-string authentication requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  const expires = Number(query.get('X-Amz-Expires') ?? '900');
  if (!Number.isInteger(expires) || expires < 1 || expires > 604800) throw new SignatureFormatError('X-Amz-Expires must be an integer between 1 and 604800 seconds.');
  return {
    form: 'query', ...parseCredential(credential), signedHeaders: signed.split(';'), signature, amzDate,
    expiresSeconds: expires, securityToken: query.get('X-Amz-Security-Token'),
  };
}

/** `20240101T000000Z` → Date. */
export function parseAmzDate(amzDate: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return new Date(NaN);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/** Signature of one aws-chunked chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD). */
export function chunkSignature(secret: string, claim: SignatureClaim, previous: string, chunk: Buffer): string {
  const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', claim.amzDate, credentialScope(claim), previous, EMPTY_SHA256, sha256Hex(chunk)].join('\n');
  return createHmac('sha256', signingKey(secret, claim.scopeDate, claim.region, claim.service)).update(toSign, 'utf8').digest('hex');
}
