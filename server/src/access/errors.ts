// Errors the broker returns to clients; `code` maps to an HTTP status and survives the wire.

export type AccessErrorCode = 'bad-request' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'unavailable';

export const HTTP_STATUS: Record<AccessErrorCode, number> = {
  'bad-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
};

export class AccessError extends Error {
  constructor(readonly code: AccessErrorCode, message: string) {
    super(message);
  }
}
