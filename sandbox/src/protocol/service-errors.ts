// Errors whose code depends on the service: throttling, server faults, missing or malformed
// signatures. Each service uses its own name for the same condition.
import { ApiError } from '../errors';
import type { ServiceName } from '../faults';

export function throttled(service: ServiceName): ApiError {
  switch (service) {
    case 'ec2': return new ApiError('RequestLimitExceeded', 'Request limit exceeded.', 503);
    case 's3': return new ApiError('SlowDown', 'Please reduce your request rate.', 503);
    case 'tagging': return new ApiError('ThrottledException', 'Rate exceeded', 400);
    case 'cloudtrail': return new ApiError('ThrottlingException', 'Rate exceeded', 400);
    case 'lambda': case 'apigateway': return new ApiError('TooManyRequestsException', 'Rate exceeded', 429);
    case 'eks': return new ApiError('ThrottlingException', 'Rate exceeded', 429);
    default: return new ApiError('Throttling', 'Rate exceeded', 400);
  }
}

export function serverFault(service: ServiceName): ApiError {
  switch (service) {
    case 'ec2': return new ApiError('InternalError', 'An internal error has occurred', 500);
    case 's3': return new ApiError('InternalError', 'We encountered an internal error. Please try again.', 500);
    case 'iam': return new ApiError('ServiceFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
    case 'lambda': return new ApiError('ServiceException', 'An internal error occurred in the Lambda service.', 500);
    case 'eks': return new ApiError('ServerException', 'An internal error occurred in the EKS service.', 500);
    case 'tagging': return new ApiError('InternalServiceException', 'The request processing failed because of an unknown error, exception, or failure.', 500);
    default: return new ApiError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
  }
}

export function missingAuthentication(service: ServiceName): ApiError {
  if (service === 's3') return new ApiError('AccessDenied', 'Access Denied', 403);
  if (service === 'tagging' || service === 'cloudtrail' || service === 'lambda' || service === 'eks' || service === 'apigateway') return new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  return new ApiError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
}

export function malformedSignature(service: ServiceName, detail: string, form: 'header' | 'query'): ApiError {
  if (service === 's3') return new ApiError(form === 'header' ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError', detail, 400);
  return new ApiError('IncompleteSignature', detail, 400);
}
