// API Gateway v2's REST-JSON route table (method + path template → operation, with the success
// status the service model declares), its error body and what CloudTrail records of a call.
import type { CallContext } from '../../context';
import type { ApiError } from '../../errors';
import { RestJsonRouter, type RestJsonRoute } from '../../protocol/rest-json';
import { apiHandlers as h, badRequest } from './apis';

const API = '/v2/apis/{ApiId}';
const route = (method: string, path: string, operation: string, status: number, handler: RestJsonRoute<CallContext>['handler']): RestJsonRoute<CallContext> =>
  ({ method, path, operation, status, handler });

export const apigatewayv2Router = new RestJsonRouter<CallContext>([
  route('POST', '/v2/apis', 'CreateApi', 201, h.createApi!),
  route('GET', '/v2/apis', 'GetApis', 200, h.getApis!),
  route('GET', API, 'GetApi', 200, h.getApi!),
  route('PATCH', API, 'UpdateApi', 200, h.updateApi!),
  route('DELETE', API, 'DeleteApi', 204, h.deleteApi!),
  route('DELETE', `${API}/cors`, 'DeleteCorsConfiguration', 204, h.deleteCorsConfiguration!),
  route('POST', `${API}/stages`, 'CreateStage', 201, h.createStage!),
  route('GET', `${API}/stages`, 'GetStages', 200, h.getStages!),
  route('GET', `${API}/stages/{StageName}`, 'GetStage', 200, h.getStage!),
  route('PATCH', `${API}/stages/{StageName}`, 'UpdateStage', 200, h.updateStage!),
  route('DELETE', `${API}/stages/{StageName}`, 'DeleteStage', 204, h.deleteStage!),
  route('POST', `${API}/routes`, 'CreateRoute', 201, h.createRoute!),
  route('GET', `${API}/routes`, 'GetRoutes', 200, h.getRoutes!),
  route('GET', `${API}/routes/{RouteId}`, 'GetRoute', 200, h.getRoute!),
  route('PATCH', `${API}/routes/{RouteId}`, 'UpdateRoute', 200, h.updateRoute!),
  route('DELETE', `${API}/routes/{RouteId}`, 'DeleteRoute', 204, h.deleteRoute!),
  route('POST', `${API}/integrations`, 'CreateIntegration', 201, h.createIntegration!),
  route('GET', `${API}/integrations`, 'GetIntegrations', 200, h.getIntegrations!),
  route('GET', `${API}/integrations/{IntegrationId}`, 'GetIntegration', 200, h.getIntegration!),
  route('PATCH', `${API}/integrations/{IntegrationId}`, 'UpdateIntegration', 200, h.updateIntegration!),
  route('DELETE', `${API}/integrations/{IntegrationId}`, 'DeleteIntegration', 204, h.deleteIntegration!),
  route('GET', '/v2/tags/{ResourceArn}', 'GetTags', 200, h.getTags!),
  route('POST', '/v2/tags/{ResourceArn}', 'TagResource', 201, h.tagResource!),
  route('DELETE', '/v2/tags/{ResourceArn}', 'UntagResource', 204, h.untagResource!),
]);

/** API Gateway's error body: the message under `message` (the code travels in x-amzn-ErrorType). */
export function apigatewayv2ErrorBody(err: ApiError): Record<string, unknown> {
  return { message: err.message };
}

export const apigatewayv2InvalidBody = (message: string): ApiError => badRequest(message);

/** CloudTrail's requestParameters: the path's ids and the body, as API Gateway records them. */
export function apigatewayv2TrailParameters(path: Record<string, string>, query: [string, string][], body: Record<string, unknown>): Record<string, unknown> {
  const ids = Object.fromEntries(Object.entries(path).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]));
  return { ...ids, ...(query.length ? Object.fromEntries(query) : {}), ...body };
}
