// From a signature claim to a principal: find the access key (long-term or STS session), check the
// session token and its expiry, verify the signature, and reject stale requests. Each failure is
// reported with the code the called service uses.
import { ApiError } from '../errors';
import type { ServiceName } from '../faults';
import type { Principal } from '../context';
import type { WorldData } from '../world';
import { arns } from '../world';
import { EMPTY_SHA256, canonicalRequest, computeSignature, parseAmzDate, sha256Hex, signaturesEqual, type SignableRequest, type SignatureClaim } from './sigv4';

/** AWS rejects header-signed requests whose X-Amz-Date is more than 15 minutes off. */
const MAX_SKEW_MS = 15 * 60 * 1000;

export function invalidKey(service: ServiceName): ApiError {
  switch (service) {
    case 's3': return new ApiError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
    case 'ec2': return new ApiError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
    case 'tagging': case 'cloudtrail': return new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
    default: return new ApiError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
}

export function invalidToken(service: ServiceName): ApiError {
  if (service === 's3') return new ApiError('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400);
  if (service === 'ec2') return new ApiError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
  return new ApiError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
}

export function expiredToken(service: ServiceName): ApiError {
  if (service === 's3') return new ApiError('ExpiredToken', 'The provided token has expired.', 400);
  if (service === 'ec2') return new ApiError('RequestExpired', 'Request has expired.', 400);
  return new ApiError('ExpiredToken', 'The security token included in the request is expired', 403);
}

export function signatureMismatch(service: ServiceName): ApiError {
  const message = service === 's3'
    ? 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'
    : 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
  return new ApiError('SignatureDoesNotMatch', message, 403);
}

function staleRequest(service: ServiceName, detail: string): ApiError {
  if (service === 's3') return new ApiError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403);
  if (service === 'ec2') return new ApiError('RequestExpired', `Request has expired. ${detail}`, 400);
  return new ApiError('SignatureDoesNotMatch', `Signature expired: ${detail}`, 403);
}

export interface AuthenticateInput {
  world: WorldData;
  service: ServiceName;
  claim: SignatureClaim;
  request: SignableRequest;
  /** The body as received (before aws-chunked decoding). */
  body: Buffer;
  worldNow: Date;
  wallNow: Date;
}

export interface Authenticated {
  principal: Principal;
  secret: string;
  /** The payload hash that was signed (for aws-chunked seed verification). */
  payloadHash: string;
}

export function authenticate(input: AuthenticateInput): Authenticated {
  const { world, service, claim, request } = input;
  let secret: string;
  let principal: Principal;
  const key = world.accessKeys[claim.accessKeyId];
  const session = key ? undefined : world.sessions[claim.accessKeyId];
  if (key) {
    const user = world.users[key.userName];
    if (!user || key.status !== 'Active') throw invalidKey(service);
    secret = key.secretAccessKey;
    principal = { kind: 'user', accessKeyId: key.accessKeyId, arn: user.arn, userId: user.userId, user };
  } else if (session) {
    if (!claim.securityToken || claim.securityToken !== session.sessionToken) throw invalidToken(service);
    secret = session.secretAccessKey;
    principal = {
      kind: 'session', accessKeyId: session.accessKeyId, arn: arns.assumedRole(world.accountId, session.roleName, session.sessionName),
      userId: `${session.roleId}:${session.sessionName}`, session,
    };
  } else {
    throw invalidKey(service);
  }

  const headerHash = request.headers.get('x-amz-content-sha256')?.[0];
  const candidates: string[] = [];
  if (headerHash) candidates.push(headerHash);
  else if (claim.form === 'query') candidates.push(sha256Hex(input.body), 'UNSIGNED-PAYLOAD');
  else candidates.push(sha256Hex(input.body));
  const payloadHash = candidates.find((hash) => signaturesEqual(computeSignature(secret, claim, canonicalRequest(request, claim, hash)), claim.signature));
  if (!payloadHash) throw signatureMismatch(service);
  if (headerHash && /^[0-9a-f]{64}$/.test(headerHash) && headerHash !== sha256Hex(input.body)) {
    throw new ApiError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);
  }
  if (!claim.signedHeaders.includes('host')) throw signatureMismatch(service);

  const signedAt = parseAmzDate(claim.amzDate);
  if (claim.amzDate.slice(0, 8) !== claim.scopeDate) throw signatureMismatch(service);
  if (claim.form === 'query') {
    // Presigned lifetimes follow the world clock, so tests can let identity proofs expire.
    const expiresAt = signedAt.getTime() + (claim.expiresSeconds ?? 900) * 1000;
    if (input.worldNow.getTime() > expiresAt) {
      if (service === 's3') throw new ApiError('AccessDenied', 'Request has expired', 403);
      throw staleRequest(service, `${claim.amzDate} is now earlier than ${compact(input.worldNow)} (request expired after ${claim.expiresSeconds} seconds)`);
    }
  } else if (Math.abs(input.wallNow.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
    throw staleRequest(service, `${claim.amzDate} is now earlier than ${compact(new Date(input.wallNow.getTime() - MAX_SKEW_MS))} (${compact(input.wallNow)} - 15 min.)`);
  }

  if (session && input.worldNow.getTime() >= Date.parse(session.expiration)) throw expiredToken(service);
  if (session && !world.roles[session.roleName]) throw invalidToken(service);
  return { principal, secret, payloadHash: payloadHash ?? EMPTY_SHA256 };
}

function compact(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
