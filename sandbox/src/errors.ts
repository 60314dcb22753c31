// One error type for everything a handler can refuse: the protocol layer renders it in the
// service's own error shape (query XML, EC2 XML, S3 XML or JSON 1.1).

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra top-level fields some services add to errors (S3 `BucketName`, `Key`). */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string, extra?: Record<string, string>): ApiError => new ApiError(code, message, 404, extra);
export const badRequest = (code: string, message: string): ApiError => new ApiError(code, message, 400);

/** Input validation in the shape most query/JSON services use. */
export const validation = (message: string): ApiError => new ApiError('ValidationError', message, 400);
