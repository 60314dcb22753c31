// CloudWatch's errors in AWS JSON 1.0 with awsQuery compatibility: the body names the error
// shape (`com.amazonaws.cloudwatch#DashboardNotFoundError`), the `x-amzn-query-error` header
// carries the query-protocol code (`ResourceNotFound;Sender`) that SDKs and the CLI report.
import { ApiError } from '../../errors';

export const CLOUDWATCH_CONTENT_TYPE = 'application/x-amz-json-1.0';
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801';

/** Query code → the error shape AWS's model gives it (codes without a shape render as themselves). */
const SHAPES: Record<string, string> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidNextToken: 'InvalidNextToken',
  LimitExceeded: 'LimitExceededFault',
  InvalidParameterInput: 'DashboardInvalidInputError',
  InternalServiceError: 'InternalServiceFault',
};

/** A CloudWatch error: `code` is the query code; `shape` overrides the shape where one code has several (ResourceNotFound). */
export function cloudwatchError(code: string, message: string, status = 400, shape?: string): ApiError {
  return new ApiError(code, message, status, shape ? { shape } : {});
}

export function renderCloudWatchError(err: ApiError): { body: string; headers: Record<string, string> } {
  const shape = err.extra.shape ?? SHAPES[err.code] ?? err.code;
  return {
    body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${shape}`, message: err.message }),
    headers: { 'x-amzn-query-error': `${err.code};${err.status >= 500 ? 'Receiver' : 'Sender'}` },
  };
}
