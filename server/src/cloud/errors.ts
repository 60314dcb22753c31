// Classifies AWS SDK failures into what the user can act on.

export type FailureKind = 'credentials' | 'throttled' | 'unreachable' | 'denied' | 'not-found' | 'server' | 'other';

const CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'ExpiredTokenException', 'UnrecognizedClientException',
  'InvalidAccessKeyId', 'AuthFailure', 'TokenRefreshRequired', 'RequestExpired', 'InvalidToken', 'CredentialsProviderError',
]);
const THROTTLE_CODES = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottled', 'RequestThrottledException', 'RequestLimitExceeded',
  'TooManyRequestsException', 'SlowDown', 'ProvisionedThroughputExceededException', 'RequestLimitExceededException', 'BandwidthLimitExceeded',
  'EC2ThrottledException', 'PriorRequestNotComplete',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'TimeoutError']);

export interface AwsFailure {
  kind: FailureKind;
  code: string;
  message: string;
  status?: number;
}

export function describeError(error: unknown): AwsFailure {
  // Already classified (e.g. a credential provider's own call failed inside another call).
  if (error instanceof AwsCallError) return error.failure;
  const e = (error ?? {}) as { name?: string; code?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown };
  const code = e.Code ?? e.code ?? e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = (e.message ?? String(error)).split('\n')[0];
  let kind: FailureKind = 'other';
  if (CREDENTIAL_CODES.has(code) || e.name === 'CredentialsProviderError') kind = 'credentials';
  else if (THROTTLE_CODES.has(code) || status === 429) kind = 'throttled';
  else if (NETWORK_CODES.has(code) || NETWORK_CODES.has(String((e.cause as { code?: string } | undefined)?.code ?? ''))) kind = 'unreachable';
  else if (code === 'AccessDenied' || code === 'AccessDeniedException' || code === 'UnauthorizedOperation' || status === 403) kind = 'denied';
  else if (status === 404) kind = 'not-found';
  else if (status !== undefined && status >= 500) kind = 'server';
  return { kind, code, message, status };
}

/** A read or write failure carrying the AWS error code, for messages in the user's terms. */
export class AwsCallError extends Error {
  constructor(readonly operation: string, readonly failure: AwsFailure) {
    super(`${operation}: ${failure.code}: ${failure.message}`);
  }
}
