// aws_apigatewayv2_route ↔ API Gateway v2 GetRoutes: one paged listing per API serves every
// declared route of it. Unset arguments are the provider's defaults (authorization NONE, no API
// key required, no scopes). Revert writes the route back with UpdateRoute.
import { GetRoutesCommand, ParameterConstraints, Route, UpdateRouteCommand, UpdateRouteRequest } from '@aws-sdk/client-apigatewayv2';
import type { Known } from '../../drift/values';
import { mapRule, readApiChildren } from './apigatewayv2-common';
import { blocksOf, stringsOf } from './blocks';
import { bool, cannotRevert, str } from './common';
import type { ResourceType } from './resource-type';

/** The route's request parameters as the provider's `request_parameter` set: key and whether it is required. */
const parametersOf = (r: Route): Known => Object.entries(r.RequestParameters ?? {}).map(([key, c]) => ({ request_parameter_key: key, required: c.Required ?? false }));
const parameterAtoms = (v: Known): Known => blocksOf(v).map((b) => `${String(b.request_parameter_key ?? '')} required=${String(bool(b.required ?? false) ?? false)}`);

const SCALARS: Array<[string, keyof UpdateRouteRequest, string]> = [
  ['route_key', 'RouteKey', ''], ['target', 'Target', ''], ['authorization_type', 'AuthorizationType', 'NONE'], ['authorizer_id', 'AuthorizerId', ''],
  ['model_selection_expression', 'ModelSelectionExpression', ''], ['operation_name', 'OperationName', ''],
  ['route_response_selection_expression', 'RouteResponseSelectionExpression', ''],
];

export const awsApigatewayv2Route: ResourceType = {
  type: 'aws_apigatewayv2_route',
  tags: false,
  attributes: [
    { name: 'api_id', compare: 'scalar', forceNew: true },
    { name: 'route_key', compare: 'scalar', severity: 'error' },
    { name: 'target', compare: 'scalar', default: '', severity: 'error' },
    { name: 'authorization_type', compare: 'scalar', default: 'NONE', severity: 'error' },
    { name: 'authorizer_id', compare: 'scalar', default: '' },
    { name: 'authorization_scopes', compare: 'set', default: [] },
    { name: 'api_key_required', compare: 'scalar', default: false, severity: 'warning' },
    { name: 'model_selection_expression', compare: 'scalar', default: '' },
    { name: 'operation_name', compare: 'scalar', default: '' },
    { name: 'route_response_selection_expression', compare: 'scalar', default: '' },
    mapRule('request_models'),
    { name: 'request_parameter', compare: 'blocks', normalize: parameterAtoms, default: [] },
  ],
  notCompared: { api_gateway_managed: 'computed by AWS (true for a quick-create route, which Terraform does not manage)' },
  idFromState: (a) => str(a.id),
  importId: (live) => `${String(live.attributes.api_id ?? '')}/${live.id}`,
  suggestName: (live) => String(live.attributes.route_key ?? 'route').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'route',

  read(targets, ctx) {
    return readApiChildren<Route>('aws_apigatewayv2_route', 'apigateway:GetRoutes', targets, ctx, {
      page: async (apiId, token) => {
        const out = await ctx.clients.apigatewayv2.send(new GetRoutesCommand({ ApiId: apiId, MaxResults: '500', NextToken: token }));
        return { items: out.Items ?? [], next: out.NextToken };
      },
      idOf: (r) => r.RouteId,
      attributes: (r, _t, apiId) => ({
        api_id: apiId, route_key: r.RouteKey ?? '', target: r.Target ?? '', authorization_type: r.AuthorizationType ?? 'NONE', authorizer_id: r.AuthorizerId ?? '',
        authorization_scopes: r.AuthorizationScopes ?? [], api_key_required: r.ApiKeyRequired ?? false, model_selection_expression: r.ModelSelectionExpression ?? '',
        operation_name: r.OperationName ?? '', route_response_selection_expression: r.RouteResponseSelectionExpression ?? '',
        request_models: { ...(r.RequestModels ?? {}) }, request_parameter: parametersOf(r),
      }),
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id, state } = request;
    const input: UpdateRouteRequest = { ApiId: str(state.attributes.api_id) ?? String(request.live.attributes.api_id ?? ''), RouteId: id };
    const scalar = SCALARS.find(([name]) => name === attribute);
    if (scalar) (input as unknown as Record<string, unknown>)[scalar[1]] = typeof declared === 'string' && declared !== '' ? declared : scalar[2];
    else if (attribute === 'authorization_scopes') input.AuthorizationScopes = stringsOf(declared);
    else if (attribute === 'api_key_required') input.ApiKeyRequired = bool(declared) ?? false;
    else if (attribute === 'request_models') input.RequestModels = Object.fromEntries(Object.entries((declared ?? {}) as Record<string, Known>).map(([k, v]) => [k, String(v)]));
    else if (attribute === 'request_parameter') {
      input.RequestParameters = Object.fromEntries(blocksOf(declared).map((b): [string, ParameterConstraints] => [String(b.request_parameter_key ?? ''), { Required: bool(b.required ?? false) ?? false }]));
    } else return cannotRevert(attribute);
    await clients.gate.call('apigateway:UpdateRoute', () => clients.apigatewayv2.send(new UpdateRouteCommand(input)));
    return { ok: true, message: `${attribute} written back to route ${id}` };
  },
};
