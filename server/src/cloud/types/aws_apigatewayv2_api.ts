// aws_apigatewayv2_api ↔ API Gateway v2 GetApis: one paged listing of the region returns every
// API with its settings and tags. Unset selection expressions are the provider's defaults;
// `cors_configuration` compares as one block (its lists as sets). Revert writes settings back with
// UpdateApi, removes a CORS configuration nobody declared with DeleteCorsConfiguration, and tags
// through TagResource/UntagResource. The protocol type forces a new API.
import {
  Api, DeleteCorsConfigurationCommand, GetApisCommand, TagResourceCommand, UntagResourceCommand, UpdateApiCommand, UpdateApiRequest,
} from '@aws-sdk/client-apigatewayv2';
import type { LiveEntry } from '../../drift/snapshot';
import type { Known } from '../../drift/values';
import { apiArn, shapeAtom } from './apigatewayv2-common';
import { blocksOf, firstBlock, stringsOf } from './blocks';
import { allUnknown, bool, cannotRevert, foundEntry, listAllPages, missingEntry, num, revertTagMap, str, untagThenTag } from './common';
import type { ResourceType } from './resource-type';

const DEFAULT_API_KEY_SELECTION = '$request.header.x-api-key';
const DEFAULT_ROUTE_SELECTION = '$request.method $request.path';

function corsBlock(api: Api): Known {
  const c = api.CorsConfiguration;
  if (!c) return [];
  return [{
    allow_credentials: c.AllowCredentials ?? false, allow_headers: c.AllowHeaders ?? [], allow_methods: c.AllowMethods ?? [], allow_origins: c.AllowOrigins ?? [],
    expose_headers: c.ExposeHeaders ?? [], max_age: c.MaxAge ?? 0,
  }];
}

export const awsApigatewayv2Api: ResourceType = {
  type: 'aws_apigatewayv2_api',
  tags: true,
  attributes: [
    { name: 'name', compare: 'scalar' },
    { name: 'protocol_type', compare: 'scalar', forceNew: true },
    { name: 'description', compare: 'scalar', default: '' },
    { name: 'version', compare: 'scalar', default: '' },
    { name: 'api_key_selection_expression', compare: 'scalar', default: DEFAULT_API_KEY_SELECTION },
    { name: 'route_selection_expression', compare: 'scalar', default: DEFAULT_ROUTE_SELECTION },
    { name: 'disable_execute_api_endpoint', compare: 'scalar', default: false, severity: 'warning' },
    { name: 'cors_configuration', compare: 'blocks', normalize: shapeAtom, default: [] },
  ],
  notCompared: {
    arn: 'computed', api_endpoint: 'computed by AWS', execution_arn: 'computed',
    body: 'an OpenAPI import: AWS keeps the routes and integrations it creates, not the document (compared through those types)',
    fail_on_warnings: 'applies to an import only', credentials_arn: 'quick-create input: AWS keeps it on the integration it creates',
    route_key: 'quick-create input: AWS keeps it on the route it creates', target: 'quick-create input: AWS keeps it on the integration it creates',
    ip_address_type: 'optional and computed: AWS chooses it when unset',
  },
  idFromState: (a) => str(a.id),
  idFromArn: (arn) => /^arn:aws[\w-]*:apigateway:[^:]+::\/apis\/(\w+)$/.exec(arn)?.[1],
  importId: (live) => live.id,
  suggestName: (live) => String(live.attributes.name ?? 'api').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'api',

  async read(targets, ctx) {
    const apis = new Map<string, Api>();
    const failure = await listAllPages(ctx, 'apigateway:GetApis', (token) => ctx.clients.apigatewayv2.send(new GetApisCommand({ MaxResults: '500', NextToken: token })), (p) => {
      for (const a of p.Items ?? []) if (a.ApiId) apis.set(a.ApiId, a);
      return p.NextToken;
    });
    if (failure) return allUnknown(targets, ctx, failure);
    return new Map<string, LiveEntry>(targets.map((t) => {
      const a = apis.get(t.id);
      if (!a) return [t.address, missingEntry(ctx, t.id, `API ${t.id} does not exist`)];
      return [t.address, foundEntry(t, 'aws_apigatewayv2_api', ctx, {
        name: a.Name ?? '', protocol_type: a.ProtocolType ?? '', description: a.Description ?? '', version: a.Version ?? '',
        api_key_selection_expression: a.ApiKeySelectionExpression ?? '', route_selection_expression: a.RouteSelectionExpression ?? '',
        disable_execute_api_endpoint: a.DisableExecuteApiEndpoint ?? false, cors_configuration: corsBlock(a), api_endpoint: a.ApiEndpoint ?? '',
        tags: { ...(a.Tags ?? {}) },
      }, { arn: apiArn(ctx.clients.region, t.id) })];
    }));
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const client = clients.apigatewayv2;
    if (attribute === 'tags') {
      const arn = apiArn(clients.region, id);
      return revertTagMap(request, untagThenTag(
        (keys) => clients.gate.call('apigateway:UntagResource', () => client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: keys }))),
        (tags) => clients.gate.call('apigateway:TagResource', () => client.send(new TagResourceCommand({ ResourceArn: arn, Tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])) }))),
      ));
    }
    const input: UpdateApiRequest = { ApiId: id };
    switch (attribute) {
      case 'name': input.Name = str(declared); break;
      case 'description': input.Description = typeof declared === 'string' ? declared : ''; break;
      case 'version': input.Version = typeof declared === 'string' ? declared : ''; break;
      case 'api_key_selection_expression': input.ApiKeySelectionExpression = str(declared) ?? DEFAULT_API_KEY_SELECTION; break;
      case 'route_selection_expression': input.RouteSelectionExpression = str(declared) ?? DEFAULT_ROUTE_SELECTION; break;
      case 'disable_execute_api_endpoint': input.DisableExecuteApiEndpoint = bool(declared) ?? false; break;
      case 'cors_configuration': {
        const b = firstBlock(declared);
        if (!b || !blocksOf(declared).length) {
          await clients.gate.call('apigateway:DeleteCorsConfiguration', () => client.send(new DeleteCorsConfigurationCommand({ ApiId: id })));
          return { ok: true, message: 'CORS configuration removed' };
        }
        input.CorsConfiguration = {
          AllowCredentials: bool(b.allow_credentials ?? false) ?? false, AllowHeaders: stringsOf(b.allow_headers), AllowMethods: stringsOf(b.allow_methods),
          AllowOrigins: stringsOf(b.allow_origins), ExposeHeaders: stringsOf(b.expose_headers), ...(num(b.max_age ?? null) ? { MaxAge: num(b.max_age ?? null) } : {}),
        };
        break;
      }
      default:
        return cannotRevert(attribute);
    }
    await clients.gate.call('apigateway:UpdateApi', () => client.send(new UpdateApiCommand(input)));
    return { ok: true, message: `${attribute} written back to API ${id}` };
  },
};
